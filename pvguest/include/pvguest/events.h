/* SPDX-License-Identifier: MIT */
/* Event channels from the guest side: EVTCHNOP wrappers and the shared_info port bits. */
#ifndef PVGUEST_EVENTS_H
#define PVGUEST_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <public/event_channel.h>
#include <pvguest/pvguest.h>

/*
 * Each wrapper issues one EVTCHNOP and returns its result: 0, or -XEN_Exxx. Ports come
 * back through the out pointer (may be NULL), written only on success. Domain ids may be
 * DOMID_SELF where Xen allows it.
 */

static inline long pv_evtchn_alloc_unbound(uint16_t dom, uint16_t remote_dom, uint32_t *port)
{
    struct evtchn_alloc_unbound a = {.dom = dom, .remote_dom = remote_dom};
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a);

    if (!rc && port)
        *port = a.port;
    return rc;
}

static inline long pv_evtchn_bind_interdomain(uint16_t remote_dom, uint32_t remote_port,
                                              uint32_t *local_port)
{
    struct evtchn_bind_interdomain b = {.remote_dom = remote_dom, .remote_port = remote_port};
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b);

    if (!rc && local_port)
        *local_port = b.local_port;
    return rc;
}

static inline long pv_evtchn_bind_virq(uint32_t virq, uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_virq b = {.virq = virq, .vcpu = vcpu};
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b);

    if (!rc && port)
        *port = b.port;
    return rc;
}

static inline long pv_evtchn_bind_ipi(uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_ipi b = {.vcpu = vcpu};
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &b);

    if (!rc && port)
        *port = b.port;
    return rc;
}

static inline long pv_evtchn_bind_pirq(uint32_t pirq, uint32_t flags, uint32_t *port)
{
    struct evtchn_bind_pirq b = {.pirq = pirq, .flags = flags};
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, &b);

    if (!rc && port)
        *port = b.port;
    return rc;
}

static inline long pv_evtchn_close(uint32_t port)
{
    struct evtchn_close c = {.port = port};

    return HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
}

static inline long pv_evtchn_send(uint32_t port)
{
    struct evtchn_send s = {.port = port};

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

/* EVTCHNOP_status: fills *st (status, vcpu, u) for port of domain dom. */
static inline long pv_evtchn_status(uint16_t dom, uint32_t port, struct evtchn_status *st)
{
    *st = (struct evtchn_status){.dom = dom, .port = port};
    return HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
}

static inline long pv_evtchn_bind_vcpu(uint32_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu b = {.port = port, .vcpu = vcpu};

    return HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &b);
}

/* EVTCHNOP_unmask: the hypervisor clears the mask bit and raises what it held back. */
static inline long pv_evtchn_unmask(uint32_t port)
{
    struct evtchn_unmask u = {.port = port};

    return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &u);
}

static inline long pv_evtchn_reset(uint16_t dom)
{
    struct evtchn_reset r = {.dom = dom};

    return HYPERVISOR_event_channel_op(EVTCHNOP_reset, &r);
}

/*
 * The port bits in shared_info (vCPU 0's view), changed atomically: the hypervisor sets
 * pending bits concurrently. Masking is the guest's own business (no hypercall); to unmask
 * a port that may be pending use pv_evtchn_unmask(), which also raises the upcall.
 */
void pv_evtchn_mask(uint32_t port);
bool pv_evtchn_is_masked(uint32_t port);
bool pv_evtchn_is_pending(uint32_t port);
void pv_evtchn_clear_pending(uint32_t port);

/*
 * The virtual interrupt flag (vcpu_info[0].evtchn_upcall_mask). pv_events_enable() also
 * delivers an upcall that is already waiting, with a null hypercall (the hypervisor
 * checks for upcalls on every return to the guest, as Linux's xen_irq_enable relies on).
 */
void pv_events_disable(void);
void pv_events_enable(void);

#endif /* PVGUEST_EVENTS_H */
