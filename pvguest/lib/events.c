/* SPDX-License-Identifier: MIT */
/* Event channels: the two-level pending scan run by the event callback, and port bits. */
#include <pvguest/events.h>

static void (*event_handler)(unsigned int port);

void pv_set_event_handler(void (*fn)(unsigned int port))
{
    event_handler = fn;
}

/*
 * Acknowledge the upcall, then take each word flagged in evtchn_pending_sel and each
 * pending, unmasked port in it, clearing its pending bit before calling the handler.
 * Clearing evtchn_upcall_pending first means an event raised during the scan triggers
 * another upcall instead of being lost.
 */
void pv_handle_events(void)
{
    volatile struct shared_info *s = pv_shared_info;
    volatile struct vcpu_info *vi;
    uint64_t sel;

    if (!s)
        return;
    vi = &s->vcpu_info[pv_vcpu_id()];
    vi->evtchn_upcall_pending = 0;
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    while (sel) {
        unsigned int word = (unsigned int)__builtin_ctzll(sel);
        uint64_t pending;

        sel &= sel - 1;
        pending = s->evtchn_pending[word] & ~s->evtchn_mask[word];
        while (pending) {
            unsigned int bit = (unsigned int)__builtin_ctzll(pending);

            pending &= pending - 1;
            __atomic_fetch_and(&s->evtchn_pending[word], ~(1ULL << bit), __ATOMIC_SEQ_CST);
            if (event_handler)
                event_handler(word * 64 + bit);
        }
    }
}

void pv_evtchn_mask(uint32_t port)
{
    __atomic_fetch_or(&pv_shared_info->evtchn_mask[port / 64], 1ULL << (port % 64),
                      __ATOMIC_SEQ_CST);
}

bool pv_evtchn_is_masked(uint32_t port)
{
    return pv_shared_info->evtchn_mask[port / 64] >> (port % 64) & 1;
}

bool pv_evtchn_is_pending(uint32_t port)
{
    return pv_shared_info->evtchn_pending[port / 64] >> (port % 64) & 1;
}

void pv_evtchn_clear_pending(uint32_t port)
{
    __atomic_fetch_and(&pv_shared_info->evtchn_pending[port / 64], ~(1ULL << (port % 64)),
                       __ATOMIC_SEQ_CST);
}

void pv_events_disable(void)
{
    pv_shared_info->vcpu_info[pv_vcpu_id()].evtchn_upcall_mask = 1;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

void pv_events_enable(void)
{
    volatile struct vcpu_info *vi = &pv_shared_info->vcpu_info[pv_vcpu_id()];

    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    vi->evtchn_upcall_mask = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (vi->evtchn_upcall_pending)
        HYPERVISOR_xen_version(XENVER_version, NULL);
}
