/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for event channels: the EVTCHNOP_* layer (hypercalls/event_channel.c) and the
 * port tables and 2-level pending rules beneath it (common/event.c).  The expected errnos
 * are Xen's (common/event_channel.c with its default policy).  dom0 is privileged and has
 * one vCPU; domu (domain 1, current unless a test switches) is not and has
 * HARNESS_DOMU_VCPUS, of which vCPU 0 runs.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/xen.h>
#include <event.h>
#include <frame-alloc.h>
#include "harness/harness.h"

TestSuite(evtchn, .init = harness_boot);

#define NO_VCPU HARNESS_DOMU_VCPUS /* the first vCPU number domu does not have */

/* Issues EVTCHNOP cmd with *arg in guest memory; the OUT fields are copied back into arg. */
static long op(int cmd, void *arg, size_t len)
{
    static uint64_t scratch; /* one buffer: some tests make thousands of calls */
    long rc;

    if (!scratch)
        scratch = guest_alloc(64);
    memcpy(guest_mem(scratch, len), arg, len);
    rc = hc(__HYPERVISOR_event_channel_op, (uint64_t)cmd, scratch);
    memcpy(arg, guest_mem(scratch, len), len);
    return rc;
}

static long alloc_unbound(uint16_t dom, uint16_t remote, uint32_t *port)
{
    struct evtchn_alloc_unbound a = {.dom = dom, .remote_dom = remote, .port = 0xdead};
    long rc = op(EVTCHNOP_alloc_unbound, &a, sizeof(a));

    if (port)
        *port = a.port;
    return rc;
}

static long bind_interdomain(uint16_t rdom, uint32_t rport, uint32_t *lport)
{
    struct evtchn_bind_interdomain b = {.remote_dom = rdom, .remote_port = rport};
    long rc = op(EVTCHNOP_bind_interdomain, &b, sizeof(b));

    if (lport)
        *lport = b.local_port;
    return rc;
}

static long bind_virq(uint32_t virq, uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_virq b = {.virq = virq, .vcpu = vcpu};
    long rc = op(EVTCHNOP_bind_virq, &b, sizeof(b));

    if (port)
        *port = b.port;
    return rc;
}

static long bind_ipi(uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_ipi b = {.vcpu = vcpu};
    long rc = op(EVTCHNOP_bind_ipi, &b, sizeof(b));

    if (port)
        *port = b.port;
    return rc;
}

static long port_op(int cmd, uint32_t port)
{
    return op(cmd, &port, sizeof(port)); /* close, send, unmask: { uint32_t port } */
}

static long status(uint16_t dom, uint32_t port, struct evtchn_status *st)
{
    *st = (struct evtchn_status){.dom = dom, .port = port, .status = 0xff, .vcpu = 0xff};
    return op(EVTCHNOP_status, st, sizeof(*st));
}

static long bind_vcpu(uint32_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu b = {.port = port, .vcpu = vcpu};

    return op(EVTCHNOP_bind_vcpu, &b, sizeof(b));
}

static long reset(uint16_t dom)
{
    struct evtchn_reset r = {.dom = dom};

    return op(EVTCHNOP_reset, &r, sizeof(r));
}

/* The status of a port as seen by its own domain (current must be allowed to look). */
static uint32_t state_of(struct domain *d, uint32_t port)
{
    struct evtchn_status st;

    cr_assert_eq(status(d->domid, port, &st), 0, "status of d%u port %u", d->domid, port);
    return st.status;
}

static bool pending(struct domain *d, uint32_t port)
{
    return d->shared_info->evtchn_pending[port / 64] >> (port % 64) & 1;
}

static void mask(struct domain *d, uint32_t port)
{
    d->shared_info->evtchn_mask[port / 64] |= 1ULL << (port % 64);
}

static struct vcpu_info *vi(struct domain *d)
{
    return &d->shared_info->vcpu_info[0];
}

/* Clears every trace of earlier events in d: pending bits, selector, upcall flag. */
static void clear_events(struct domain *d)
{
    memset(d->shared_info->evtchn_pending, 0, sizeof(d->shared_info->evtchn_pending));
    vi(d)->evtchn_pending_sel = 0;
    vi(d)->evtchn_upcall_pending = 0;
}

/* ---- alloc_unbound ---- */

/* Ports are handed out lowest first from 1 (0 is reserved) and start unbound. */
Test(evtchn, alloc_unbound_hands_out_ports_from_1)
{
    struct evtchn_status st;
    uint32_t p1, p2;

    cr_assert_eq(alloc_unbound(DOMID_SELF, 0, &p1), 0);
    cr_assert_eq(alloc_unbound(1, 0, &p2), 0); /* our own id works like DOMID_SELF */
    cr_assert_eq(p1, 1);
    cr_assert_eq(p2, 2);
    cr_assert_eq(status(DOMID_SELF, p1, &st), 0);
    cr_assert_eq(st.status, EVTCHNSTAT_unbound);
    cr_assert_eq(st.u.unbound.dom, 0);
    cr_assert_eq(st.vcpu, 0);
    cr_assert_eq(state_of(domu, 0), EVTCHNSTAT_closed);
}

/* remote_dom DOMID_SELF means the caller; any other id is recorded as given (as Xen). */
Test(evtchn, alloc_unbound_remote_ids)
{
    struct evtchn_status st;
    uint32_t p;

    cr_assert_eq(alloc_unbound(DOMID_SELF, DOMID_SELF, &p), 0);
    cr_assert_eq(status(DOMID_SELF, p, &st), 0);
    cr_assert_eq(st.u.unbound.dom, 1);
    cr_assert_eq(alloc_unbound(DOMID_SELF, 42, &p), 0);
    cr_assert_eq(status(DOMID_SELF, p, &st), 0);
    cr_assert_eq(st.u.unbound.dom, 42);
}

/* An unprivileged domain cannot allocate in another one; a domain nobody has: -ESRCH. */
Test(evtchn, alloc_unbound_for_others)
{
    static const uint16_t nobody[] = {2, MAX_DOMAINS, DOMID_IO, DOMID_INVALID, 0xffff};

    cr_assert_eq(alloc_unbound(0, 1, NULL), -XEN_EPERM);
    for (unsigned int i = 0; i < ARRAY_SIZE(nobody); i++)
        cr_assert_eq(alloc_unbound(nobody[i], 0, NULL), -XEN_ESRCH, "dom %#x", nobody[i]);
    cr_assert_eq(dom0->evtchn[0][1].state, ECS_FREE);
    cr_assert_eq(domu->evtchn[0][1].state, ECS_FREE);
}

/* dom0 may allocate in a domU; DOMID_SELF as remote is then dom0 itself. */
Test(evtchn, privileged_alloc_unbound_in_a_domu)
{
    struct evtchn_status st;
    uint32_t p;

    harness_set_current(dom0);
    cr_assert_eq(alloc_unbound(1, DOMID_SELF, &p), 0);
    cr_assert_eq(p, 1);
    cr_assert_eq(status(1, p, &st), 0);
    cr_assert_eq(st.status, EVTCHNSTAT_unbound);
    cr_assert_eq(st.u.unbound.dom, 0);
    cr_assert_eq(state_of(dom0, 1), EVTCHNSTAT_closed);
}

/* All 4095 usable ports, then -ENOSPC; a closed port is the next one handed out. */
Test(evtchn, table_full_is_enospc)
{
    uint32_t p;

    for (uint32_t i = 1; i < EVTCHN_2L_NR_CHANNELS; i++) {
        cr_assert_eq(alloc_unbound(DOMID_SELF, 0, &p), 0, "port %u", i);
        cr_assert_eq(p, i);
    }
    cr_assert_eq(alloc_unbound(DOMID_SELF, 0, NULL), -XEN_ENOSPC);
    cr_assert_eq(bind_ipi(0, NULL), -XEN_ENOSPC);
    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, NULL), -XEN_ENOSPC);
    cr_assert_eq(domu->vcpus[0]->virq_to_port[VIRQ_TIMER], 0);
    for (unsigned int i = 0; i < EVTCHN_NR_BUCKETS; i++)
        cr_assert_not_null(domu->evtchn[i]);
    cr_assert_eq(port_op(EVTCHNOP_close, 1234), 0);
    cr_assert_eq(bind_ipi(0, &p), 0);
    cr_assert_eq(p, 1234);
}

/* A domain with few ports holds one bucket page. */
Test(evtchn, buckets_are_made_on_demand)
{
    cr_assert_not_null(domu->evtchn[0]);
    for (unsigned int i = 1; i < EVTCHN_NR_BUCKETS; i++)
        cr_assert_null(domu->evtchn[i]);
    cr_assert_eq(bind_ipi(0, NULL), 0);
    cr_assert_null(domu->evtchn[1]);
}

/* ---- argument copying and unknown commands ---- */

static const int all_cmds[] = {EVTCHNOP_bind_interdomain,
                               EVTCHNOP_bind_virq,
                               EVTCHNOP_bind_pirq,
                               EVTCHNOP_close,
                               EVTCHNOP_send,
                               EVTCHNOP_status,
                               EVTCHNOP_alloc_unbound,
                               EVTCHNOP_bind_ipi,
                               EVTCHNOP_bind_vcpu,
                               EVTCHNOP_unmask,
                               EVTCHNOP_reset,
                               EVTCHNOP_init_control,
                               EVTCHNOP_expand_array,
                               EVTCHNOP_set_priority};

/* Every command reads its struct first: an unreadable one is -EFAULT and changes nothing. */
Test(evtchn, unreadable_argument_is_efault)
{
    static const uint64_t bad[] = {0, 0x1000, HV_VIRT_START, GUEST_BASE + GUEST_SIZE - 1};

    for (unsigned int i = 0; i < ARRAY_SIZE(all_cmds); i++)
        for (unsigned int j = 0; j < ARRAY_SIZE(bad); j++)
            cr_assert_eq(hc(__HYPERVISOR_event_channel_op, all_cmds[i], bad[j]), -XEN_EFAULT,
                         "cmd %d arg %#lx", all_cmds[i], bad[j]);
    for (uint32_t p = 1; p < 4; p++)
        cr_assert_eq(state_of(domu, p), EVTCHNSTAT_closed);
}

/* Commands that do not exist, and the FIFO ones (-ENOSYS keeps guests on 2-level). */
Test(evtchn, fifo_and_unknown_commands_are_enosys)
{
    struct evtchn_init_control ic = {0};
    struct evtchn_expand_array ea = {0};
    struct evtchn_set_priority sp = {.port = 1, .priority = 3};
    static const int unknown[] = {14, 15, 99, -1};

    cr_assert_eq(op(EVTCHNOP_init_control, &ic, sizeof(ic)), -XEN_ENOSYS);
    cr_assert_eq(op(EVTCHNOP_expand_array, &ea, sizeof(ea)), -XEN_ENOSYS);
    cr_assert_eq(op(EVTCHNOP_set_priority, &sp, sizeof(sp)), -XEN_ENOSYS);
    sp.port = EVTCHN_2L_NR_CHANNELS;
    cr_assert_eq(op(EVTCHNOP_set_priority, &sp, sizeof(sp)), -XEN_EINVAL);
    for (unsigned int i = 0; i < ARRAY_SIZE(unknown); i++)
        cr_assert_eq(hc(__HYPERVISOR_event_channel_op, (uint64_t)unknown[i], guest_alloc(32)),
                     -XEN_ENOSYS, "cmd %d", unknown[i]);
}

/* ---- interdomain ---- */

/* domu offers a port to dom0, dom0 binds it: both ends interdomain, pointing at each other. */
Test(evtchn, bind_interdomain_connects_both_ends)
{
    struct evtchn_status st;
    uint32_t up, lp;

    cr_assert_eq(alloc_unbound(DOMID_SELF, 0, &up), 0);
    harness_set_current(dom0);
    cr_assert_eq(bind_interdomain(1, up, &lp), 0);
    cr_assert_eq(lp, 1);
    cr_assert_eq(status(DOMID_SELF, lp, &st), 0);
    cr_assert_eq(st.status, EVTCHNSTAT_interdomain);
    cr_assert_eq(st.u.interdomain.dom, 1);
    cr_assert_eq(st.u.interdomain.port, up);
    cr_assert_eq(status(1, up, &st), 0); /* dom0 may look at domu's ports */
    cr_assert_eq(st.status, EVTCHNSTAT_interdomain);
    cr_assert_eq(st.u.interdomain.dom, 0);
    cr_assert_eq(st.u.interdomain.port, lp);
    /* Sends on the unbound port were dropped: the binder starts pending, as in Xen. */
    cr_assert(pending(dom0, lp));
    cr_assert_not(pending(domu, up));
}

/* send sets the pending bit at the other end: its vCPU gets pending_sel, the upcall, a kick. */
Test(evtchn, send_reaches_the_peer)
{
    uint32_t up, lp;

    cr_assert_eq(alloc_unbound(DOMID_SELF, 0, &up), 0);
    harness_set_current(dom0);
    cr_assert_eq(bind_interdomain(1, up, &lp), 0);
    clear_events(dom0);
    harness.kicks = 0;
    cr_assert_eq(port_op(EVTCHNOP_send, lp), 0);
    cr_assert(pending(domu, up));
    cr_assert_eq(vi(domu)->evtchn_pending_sel, 1ULL << (up / 64));
    cr_assert_eq(vi(domu)->evtchn_upcall_pending, 1);
    cr_assert_eq(harness.kicks, 1);
    cr_assert_eq(harness.last_kicked, domu->vcpus[0]);
    cr_assert_not(pending(dom0, lp));

    harness_set_current(domu);
    cr_assert_eq(port_op(EVTCHNOP_send, up), 0);
    cr_assert(pending(dom0, lp));
    cr_assert_eq(vi(dom0)->evtchn_upcall_pending, 1);
    cr_assert_eq(harness.last_kicked, dom0->vcpus[0]);
}

/* The remote domain must exist (-ESRCH) and its port be unbound and offered to us (-EINVAL). */
Test(evtchn, bind_interdomain_refusals)
{
    static const uint16_t nobody[] = {2, MAX_DOMAINS, DOMID_IO, 0xffff};
    static const uint32_t bad_ports[] = {0, 3, 4095, EVTCHN_2L_NR_CHANNELS, 0xffffffff};
    uint32_t to_dom0, to_5, virq, ipi, lp;

    cr_assert_eq(alloc_unbound(DOMID_SELF, 0, &to_dom0), 0);
    cr_assert_eq(alloc_unbound(DOMID_SELF, 5, &to_5), 0);
    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &virq), 0);
    cr_assert_eq(bind_ipi(0, &ipi), 0);
    harness_set_current(dom0);
    for (unsigned int i = 0; i < ARRAY_SIZE(nobody); i++)
        cr_assert_eq(bind_interdomain(nobody[i], to_dom0, NULL), -XEN_ESRCH, "%#x", nobody[i]);
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_ports); i++)
        cr_assert_eq(bind_interdomain(1, bad_ports[i], NULL), -XEN_EINVAL, "port %u", bad_ports[i]);
    cr_assert_eq(bind_interdomain(1, to_5, NULL), -XEN_EINVAL);
    cr_assert_eq(bind_interdomain(1, virq, NULL), -XEN_EINVAL);
    cr_assert_eq(bind_interdomain(1, ipi, NULL), -XEN_EINVAL);
    cr_assert_eq(state_of(dom0, 1), EVTCHNSTAT_closed); /* nothing taken on the way */
    /* A port already connected cannot be bound a second time. */
    cr_assert_eq(bind_interdomain(1, to_dom0, &lp), 0);
    cr_assert_eq(bind_interdomain(1, to_dom0, NULL), -XEN_EINVAL);
    /* Privilege does not help: the port is not offered to dom0. */
    cr_assert_eq(state_of(domu, to_5), EVTCHNSTAT_unbound);
}

/* Loopback: a domain may bind its own unbound port (Xen allows it). */
Test(evtchn, loopback_within_a_domain)
{
    struct evtchn_status st;
    uint32_t a, b;

    cr_assert_eq(alloc_unbound(DOMID_SELF, DOMID_SELF, &a), 0);
    cr_assert_eq(bind_interdomain(DOMID_SELF, a, &b), 0);
    cr_assert_eq(b, a + 1);
    cr_assert_eq(status(DOMID_SELF, a, &st), 0);
    cr_assert_eq(st.status, EVTCHNSTAT_interdomain);
    cr_assert_eq(st.u.interdomain.port, b);
    clear_events(domu);
    cr_assert_eq(port_op(EVTCHNOP_send, b), 0);
    cr_assert(pending(domu, a));
    cr_assert_not(pending(domu, b));
    cr_assert_eq(port_op(EVTCHNOP_send, a), 0);
    cr_assert(pending(domu, b));
}

/* Closing one end returns the peer to unbound, offered to the closer, which may bind anew. */
Test(evtchn, close_returns_the_peer_to_unbound)
{
    struct evtchn_status st;
    uint32_t a, b, c;

    cr_assert_eq(alloc_unbound(DOMID_SELF, DOMID_SELF, &a), 0);
    cr_assert_eq(bind_interdomain(DOMID_SELF, a, &b), 0);
    cr_assert(pending(domu, b));
    cr_assert_eq(port_op(EVTCHNOP_close, b), 0);
    cr_assert_not(pending(domu, b)); /* a freed port keeps no pending bit */
    cr_assert_eq(status(DOMID_SELF, a, &st), 0);
    cr_assert_eq(st.status, EVTCHNSTAT_unbound);
    cr_assert_eq(st.u.unbound.dom, 1);
    cr_assert_eq(state_of(domu, b), EVTCHNSTAT_closed);
    cr_assert_eq(port_op(EVTCHNOP_send, a), 0); /* unbound: dropped, no error (as Xen) */
    cr_assert_not(pending(domu, a));
    cr_assert_eq(bind_interdomain(DOMID_SELF, a, &c), 0);
    cr_assert_eq(c, b);
}

/* Across domains: dom0 closes, domu's end goes back to unbound offered to dom0. */
Test(evtchn, close_across_domains)
{
    struct evtchn_status st;
    uint32_t up, lp;

    cr_assert_eq(alloc_unbound(DOMID_SELF, 0, &up), 0);
    harness_set_current(dom0);
    cr_assert_eq(bind_interdomain(1, up, &lp), 0);
    cr_assert_eq(port_op(EVTCHNOP_close, lp), 0);
    cr_assert_eq(status(1, up, &st), 0);
    cr_assert_eq(st.status, EVTCHNSTAT_unbound);
    cr_assert_eq(st.u.unbound.dom, 0);
    cr_assert_eq(bind_interdomain(1, up, &lp), 0);
}

/* ---- VIRQs ---- */

/* A VIRQ binds once per vCPU: again is -EEXIST until its port is closed. */
Test(evtchn, bind_virq_once)
{
    struct evtchn_status st;
    uint32_t p;

    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &p), 0);
    cr_assert_eq(domu->vcpus[0]->virq_to_port[VIRQ_TIMER], p);
    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, NULL), -XEN_EEXIST);
    cr_assert_eq(status(DOMID_SELF, p, &st), 0);
    cr_assert_eq(st.status, EVTCHNSTAT_virq);
    cr_assert_eq(st.u.virq, VIRQ_TIMER);
    cr_assert_eq(st.vcpu, 0);
    cr_assert_eq(port_op(EVTCHNOP_close, p), 0);
    cr_assert_eq(domu->vcpus[0]->virq_to_port[VIRQ_TIMER], 0);
    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &p), 0);
}

/* Bad VIRQ numbers -EINVAL; global VIRQs only on vCPU 0 (-EINVAL); no such vCPU -ENOENT. */
Test(evtchn, bind_virq_refusals)
{
    static const uint32_t bad_virq[] = {NR_VIRQS, 100, 0x80000000, 0xffffffff};

    for (unsigned int i = 0; i < ARRAY_SIZE(bad_virq); i++)
        cr_assert_eq(bind_virq(bad_virq[i], 0, NULL), -XEN_EINVAL, "virq %u", bad_virq[i]);
    cr_assert_eq(bind_virq(VIRQ_DOM_EXC, 1, NULL), -XEN_EINVAL); /* vCPU 1 exists */
    cr_assert_eq(bind_virq(VIRQ_CONSOLE, 0xffffffff, NULL), -XEN_EINVAL);
    cr_assert_eq(bind_virq(VIRQ_ARCH_0, 1, NULL), -XEN_EINVAL);
    cr_assert_eq(bind_virq(VIRQ_TIMER, NO_VCPU, NULL), -XEN_ENOENT);
    cr_assert_eq(bind_virq(VIRQ_DEBUG, 0xffffffff, NULL), -XEN_ENOENT);
    cr_assert_eq(state_of(domu, 1), EVTCHNSTAT_closed);
}

/* send_guest_vcpu_virq() raises a bound per-vCPU VIRQ, drops an unbound one. */
Test(evtchn, vcpu_virq_is_delivered)
{
    uint32_t p;

    send_guest_vcpu_virq(domu->vcpus[0], VIRQ_TIMER);
    cr_assert_eq(harness.kicks, 0);
    cr_assert_eq(vi(domu)->evtchn_upcall_pending, 0);
    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &p), 0);
    send_guest_vcpu_virq(domu->vcpus[0], VIRQ_TIMER);
    cr_assert(pending(domu, p));
    cr_assert_eq(vi(domu)->evtchn_upcall_pending, 1);
    cr_assert_eq(harness.kicks, 1);
    /* The wrong kind of VIRQ for each function is ignored. */
    send_guest_global_virq(domu, VIRQ_TIMER);
    send_guest_vcpu_virq(domu->vcpus[0], VIRQ_DOM_EXC);
    send_guest_vcpu_virq(domu->vcpus[0], NR_VIRQS);
    cr_assert_eq(harness.kicks, 1);
}

/* VIRQ_DOM_EXC reaches dom0 when a domain shuts down, and again when it is gone. */
Test(evtchn, dom_exc_on_shutdown_and_teardown)
{
    struct sched_shutdown s = {.reason = SHUTDOWN_poweroff};
    uint32_t p;

    harness_set_current(dom0);
    cr_assert_eq(bind_virq(VIRQ_DOM_EXC, 0, &p), 0);
    cr_assert_not(pending(dom0, p));
    harness_set_current(domu);
    cr_assert_eq(hc(__HYPERVISOR_sched_op, SCHEDOP_shutdown, guest_put(&s, sizeof(s))), 0);
    cr_assert(pending(dom0, p));
    cr_assert_eq(vi(dom0)->evtchn_upcall_pending, 1);
    clear_events(dom0);
    harness_set_current(dom0);
    domain_reap();
    cr_assert_null(domains[1]);
    cr_assert(pending(dom0, p));
}

/* A global VIRQ may move to another vCPU with bind_vcpu; a per-vCPU one may not. */
Test(evtchn, bind_vcpu_on_virqs)
{
    uint32_t timer, dom_exc;

    harness_set_current(dom0);
    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &timer), 0);
    cr_assert_eq(bind_virq(VIRQ_DOM_EXC, 0, &dom_exc), 0);
    cr_assert_eq(bind_vcpu(timer, 0), -XEN_EINVAL);
    cr_assert_eq(bind_vcpu(dom_exc, 0), 0);
}

/* ---- IPIs ---- */

/* An IPI port signals the domain itself, on the vCPU it names. */
Test(evtchn, ipi_signals_ourselves)
{
    struct evtchn_status st;
    uint32_t p;

    cr_assert_eq(bind_ipi(NO_VCPU, NULL), -XEN_ENOENT);
    cr_assert_eq(bind_ipi(0xffffffff, NULL), -XEN_ENOENT);
    cr_assert_eq(bind_ipi(0, &p), 0);
    cr_assert_eq(status(DOMID_SELF, p, &st), 0);
    cr_assert_eq(st.status, EVTCHNSTAT_ipi);
    cr_assert_eq(st.vcpu, 0);
    cr_assert_eq(port_op(EVTCHNOP_send, p), 0);
    cr_assert(pending(domu, p));
    cr_assert_eq(vi(domu)->evtchn_upcall_pending, 1);
    cr_assert_eq(harness.last_kicked, domu->vcpus[0]);
}

/* ---- several vCPUs ---- */

static struct vcpu_info *vi_of(struct domain *d, unsigned int vcpu)
{
    return &d->shared_info->vcpu_info[vcpu];
}

/* A per-vCPU VIRQ binds on each vCPU separately and is raised on its own vCPU only. */
Test(evtchn, per_vcpu_virq_on_each_vcpu)
{
    struct evtchn_status st;
    uint32_t p0, p2;

    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &p0), 0);
    cr_assert_eq(bind_virq(VIRQ_TIMER, 2, &p2), 0);
    cr_assert_neq(p0, p2);
    cr_assert_eq(bind_virq(VIRQ_TIMER, 2, NULL), -XEN_EEXIST);
    cr_assert_eq(status(DOMID_SELF, p2, &st), 0);
    cr_assert_eq(st.vcpu, 2);
    cr_assert_eq(bind_vcpu(p2, 0), -XEN_EINVAL);
    send_guest_vcpu_virq(domu->vcpus[2], VIRQ_TIMER);
    cr_assert(pending(domu, p2));
    cr_assert_not(pending(domu, p0));
    cr_assert_eq(vi_of(domu, 2)->evtchn_upcall_pending, 1);
    cr_assert_eq(vi_of(domu, 0)->evtchn_upcall_pending, 0);
    cr_assert_eq(harness.last_kicked, domu->vcpus[2]);
    cr_assert_eq(port_op(EVTCHNOP_close, p2), 0);
    cr_assert_eq(domu->vcpus[2]->virq_to_port[VIRQ_TIMER], 0);
    cr_assert_eq(domu->vcpus[0]->virq_to_port[VIRQ_TIMER], p0);
}

/* An IPI port notifies the vCPU it was bound for. */
Test(evtchn, ipi_to_another_vcpu)
{
    uint32_t p;

    cr_assert_eq(bind_ipi(3, &p), 0);
    cr_assert_eq(port_op(EVTCHNOP_send, p), 0);
    cr_assert_eq(vi_of(domu, 3)->evtchn_pending_sel, 1);
    cr_assert_eq(vi_of(domu, 3)->evtchn_upcall_pending, 1);
    cr_assert_eq(vi_of(domu, 0)->evtchn_upcall_pending, 0);
    cr_assert_eq(harness.last_kicked, domu->vcpus[3]);
}

/* bind_vcpu moves where an interdomain port's (and a global VIRQ's) upcall goes. */
Test(evtchn, bind_vcpu_moves_the_upcall)
{
    struct evtchn_status st;
    uint32_t a, b, exc;

    cr_assert_eq(alloc_unbound(DOMID_SELF, DOMID_SELF, &a), 0);
    cr_assert_eq(bind_interdomain(DOMID_SELF, a, &b), 0);
    cr_assert_eq(bind_vcpu(a, 1), 0);
    cr_assert_eq(status(DOMID_SELF, a, &st), 0);
    cr_assert_eq(st.vcpu, 1);
    clear_events(domu);
    cr_assert_eq(port_op(EVTCHNOP_send, b), 0);
    cr_assert_eq(vi_of(domu, 1)->evtchn_upcall_pending, 1);
    cr_assert_eq(vi_of(domu, 0)->evtchn_upcall_pending, 0);
    /* unmask raises the held-back upcall on the notify vCPU too */
    vi_of(domu, 1)->evtchn_upcall_pending = 0;
    vi_of(domu, 1)->evtchn_pending_sel = 0;
    domu->shared_info->evtchn_pending[0] = 0;
    mask(domu, a);
    cr_assert_eq(port_op(EVTCHNOP_send, b), 0);
    cr_assert_eq(vi_of(domu, 1)->evtchn_upcall_pending, 0);
    cr_assert_eq(port_op(EVTCHNOP_unmask, a), 0);
    cr_assert_eq(vi_of(domu, 1)->evtchn_upcall_pending, 1);
    cr_assert_eq(vi_of(domu, 0)->evtchn_upcall_pending, 0);

    cr_assert_eq(bind_virq(VIRQ_CONSOLE, 0, &exc), 0);
    cr_assert_eq(bind_vcpu(exc, 3), 0);
    send_guest_global_virq(domu, VIRQ_CONSOLE);
    cr_assert(pending(domu, exc));
    cr_assert_eq(vi_of(domu, 3)->evtchn_upcall_pending, 1);
    cr_assert_eq(port_op(EVTCHNOP_close, exc), 0);
    cr_assert_eq(domu->vcpus[0]->virq_to_port[VIRQ_CONSOLE], 0);
}

/* A poller on another vCPU of the domain is woken by its port. */
Test(evtchn, poller_on_another_vcpu)
{
    struct vcpu *v = domu->vcpus[2];
    uint32_t p;

    cr_assert_eq(bind_ipi(0, &p), 0);
    mask(domu, p);
    v->state = VCPU_BLOCKED;
    v->polling = true;
    v->poll_ports[p / 64] = 1ULL << (p % 64);
    cr_assert_eq(port_op(EVTCHNOP_send, p), 0);
    cr_assert_eq(v->state, VCPU_RUNNABLE);
    cr_assert_eq(harness.last_kicked, v);
}

/* ---- PIRQs ---- */

/* Without IRQ routing no domain may bind a physical IRQ; past NR_PIRQS is -EINVAL first. */
Test(evtchn, bind_pirq_without_routing)
{
    struct evtchn_bind_pirq b = {.pirq = 4};

    cr_assert_eq(op(EVTCHNOP_bind_pirq, &b, sizeof(b)), -XEN_EPERM);
    harness_set_current(dom0);
    cr_assert_eq(op(EVTCHNOP_bind_pirq, &b, sizeof(b)), -XEN_EPERM);
    b.pirq = NR_PIRQS;
    cr_assert_eq(op(EVTCHNOP_bind_pirq, &b, sizeof(b)), -XEN_EINVAL);
    b.pirq = 0xffffffff;
    cr_assert_eq(op(EVTCHNOP_bind_pirq, &b, sizeof(b)), -XEN_EINVAL);
    cr_assert_not(send_guest_pirq(dom0, 4));
    cr_assert_not(send_guest_pirq(dom0, NR_PIRQS));
    cr_assert_not(send_guest_pirq(NULL, 4));
}

/* ---- close, send, status, bind_vcpu: bad ports ---- */

static const uint32_t never_usable[] = {0, EVTCHN_2L_NR_CHANNELS, 4097, 0x10000, 0xffffffff};

/* Closing a port that is not in use, port 0, or one past the table: -EINVAL. */
Test(evtchn, close_refusals)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(never_usable); i++)
        cr_assert_eq(port_op(EVTCHNOP_close, never_usable[i]), -XEN_EINVAL, "port %u",
                     never_usable[i]);
    cr_assert_eq(port_op(EVTCHNOP_close, 1), -XEN_EINVAL);
    cr_assert_eq(port_op(EVTCHNOP_close, 3000), -XEN_EINVAL); /* in a bucket never made */
    cr_assert_eq(state_of(domu, 0), EVTCHNSTAT_closed);
}

/* Sending on a closed port, port 0, past the table, or a VIRQ port: -EINVAL. */
Test(evtchn, send_refusals)
{
    uint32_t virq;

    for (unsigned int i = 0; i < ARRAY_SIZE(never_usable); i++)
        cr_assert_eq(port_op(EVTCHNOP_send, never_usable[i]), -XEN_EINVAL, "port %u",
                     never_usable[i]);
    cr_assert_eq(port_op(EVTCHNOP_send, 1), -XEN_EINVAL);
    cr_assert_eq(port_op(EVTCHNOP_send, 4095), -XEN_EINVAL);
    cr_assert_eq(bind_virq(VIRQ_DEBUG, 0, &virq), 0);
    cr_assert_eq(port_op(EVTCHNOP_send, virq), -XEN_EINVAL);
    cr_assert_not(pending(domu, virq));
    cr_assert_eq(harness.kicks, 0);
}

/* status: unknown domain -ESRCH, past the table -EINVAL, someone else's ports -EPERM. */
Test(evtchn, status_refusals)
{
    struct evtchn_status st;

    cr_assert_eq(status(7, 1, &st), -XEN_ESRCH);
    cr_assert_eq(status(7, EVTCHN_2L_NR_CHANNELS, &st), -XEN_ESRCH); /* domain first */
    cr_assert_eq(status(DOMID_SELF, EVTCHN_2L_NR_CHANNELS, &st), -XEN_EINVAL);
    cr_assert_eq(status(0, EVTCHN_2L_NR_CHANNELS, &st), -XEN_EINVAL); /* port before privilege */
    cr_assert_eq(status(0, 1, &st), -XEN_EPERM);
    cr_assert_eq(st.status, 0xff); /* nothing written back */
    cr_assert_eq(status(DOMID_SELF, 4095, &st), 0);
    cr_assert_eq(st.status, EVTCHNSTAT_closed);
}

/* bind_vcpu: the vCPU is checked first (-ENOENT), then the port (-EINVAL); IPIs cannot
 * move (as Xen); unbound and interdomain ports can. */
Test(evtchn, bind_vcpu_rules)
{
    uint32_t ipi, unbound, a, b;

    cr_assert_eq(bind_ipi(0, &ipi), 0);
    cr_assert_eq(alloc_unbound(DOMID_SELF, DOMID_SELF, &unbound), 0);
    cr_assert_eq(alloc_unbound(DOMID_SELF, DOMID_SELF, &a), 0);
    cr_assert_eq(bind_interdomain(DOMID_SELF, a, &b), 0);
    cr_assert_eq(bind_vcpu(EVTCHN_2L_NR_CHANNELS, NO_VCPU), -XEN_ENOENT);
    cr_assert_eq(bind_vcpu(ipi, 0xffffffff), -XEN_ENOENT);
    for (unsigned int i = 0; i < ARRAY_SIZE(never_usable); i++)
        cr_assert_eq(bind_vcpu(never_usable[i], 0), -XEN_EINVAL, "port %u", never_usable[i]);
    cr_assert_eq(bind_vcpu(100, 0), -XEN_EINVAL);
    cr_assert_eq(bind_vcpu(ipi, 0), -XEN_EINVAL);
    cr_assert_eq(bind_vcpu(unbound, 0), 0);
    cr_assert_eq(bind_vcpu(a, 0), 0);
    cr_assert_eq(bind_vcpu(b, 0), 0);
}

/* ---- 2-level pending rules and unmask ---- */

/* A masked port only gets its pending bit: no selector bit, no upcall, no kick. */
Test(evtchn, masked_port_raises_no_upcall)
{
    uint32_t p;

    cr_assert_eq(bind_ipi(0, &p), 0);
    mask(domu, p);
    cr_assert_eq(port_op(EVTCHNOP_send, p), 0);
    cr_assert(pending(domu, p));
    cr_assert_eq(vi(domu)->evtchn_pending_sel, 0);
    cr_assert_eq(vi(domu)->evtchn_upcall_pending, 0);
    cr_assert_eq(harness.kicks, 0);
}

/* unmask clears the mask bit and raises the upcall the mask held back. */
Test(evtchn, unmask_delivers_what_was_held_back)
{
    uint32_t p;

    cr_assert_eq(bind_ipi(0, &p), 0);
    mask(domu, p);
    cr_assert_eq(port_op(EVTCHNOP_send, p), 0);
    cr_assert_eq(port_op(EVTCHNOP_unmask, p), 0);
    cr_assert_eq(domu->shared_info->evtchn_mask[0], 0);
    cr_assert_eq(vi(domu)->evtchn_pending_sel, 1);
    cr_assert_eq(vi(domu)->evtchn_upcall_pending, 1);
    cr_assert_eq(harness.kicks, 1);
    /* Unmasking again, or a port with nothing pending: no new upcall. */
    cr_assert_eq(port_op(EVTCHNOP_unmask, p), 0);
    cr_assert_eq(harness.kicks, 1);
}

/* unmask of a port not pending just clears the mask; ports not in use are left alone but
 * are no error; past the table is -EINVAL. */
Test(evtchn, unmask_quiet_cases)
{
    uint32_t p;

    cr_assert_eq(bind_ipi(0, &p), 0);
    mask(domu, p);
    mask(domu, 7);
    cr_assert_eq(port_op(EVTCHNOP_unmask, p), 0);
    cr_assert_eq(domu->shared_info->evtchn_mask[0], 1ULL << 7);
    cr_assert_eq(vi(domu)->evtchn_upcall_pending, 0);
    cr_assert_eq(port_op(EVTCHNOP_unmask, 7), 0);
    cr_assert_eq(domu->shared_info->evtchn_mask[0], 1ULL << 7);
    cr_assert_eq(port_op(EVTCHNOP_unmask, 0), 0);
    cr_assert_eq(port_op(EVTCHNOP_unmask, EVTCHN_2L_NR_CHANNELS), -XEN_EINVAL);
    cr_assert_eq(port_op(EVTCHNOP_unmask, 0xffffffff), -XEN_EINVAL);
    cr_assert_eq(harness.kicks, 0);
}

/* An event already pending, or an upcall already flagged, does not kick again. */
Test(evtchn, no_second_kick)
{
    uint32_t p, q;

    cr_assert_eq(bind_ipi(0, &p), 0);
    cr_assert_eq(bind_ipi(0, &q), 0);
    cr_assert_eq(port_op(EVTCHNOP_send, p), 0);
    cr_assert_eq(port_op(EVTCHNOP_send, p), 0);
    cr_assert_eq(harness.kicks, 1);
    cr_assert_eq(port_op(EVTCHNOP_send, q), 0); /* same word, upcall still flagged */
    cr_assert_eq(harness.kicks, 1);
    cr_assert(pending(domu, q));
}

/* Ports in another word set that word's selector bit. */
Test(evtchn, selector_bit_is_per_word)
{
    uint32_t p = 0;

    for (int i = 0; i < 130; i++)
        cr_assert_eq(bind_ipi(0, &p), 0);
    cr_assert_eq(p, 130);
    cr_assert_eq(port_op(EVTCHNOP_send, p), 0);
    cr_assert_eq(vi(domu)->evtchn_pending_sel, 1ULL << 2);
    cr_assert(pending(domu, 130));
}

/* ---- SCHEDOP_poll wake-ups ---- */

/* A poller wakes when one of its ports becomes pending, even a masked one. */
Test(evtchn, poller_wakes_on_its_port)
{
    struct vcpu *v = domu->vcpus[0];
    uint32_t p;

    cr_assert_eq(bind_ipi(0, &p), 0);
    mask(domu, p);
    v->state = VCPU_BLOCKED;
    v->polling = true;
    v->poll_ports[p / 64] = 1ULL << (p % 64);
    cr_assert_eq(port_op(EVTCHNOP_send, p), 0);
    cr_assert_eq(v->state, VCPU_RUNNABLE);
    cr_assert_not(v->polling);
    cr_assert_eq(harness.kicks, 1);
}

/* A masked port the poller does not wait for leaves it asleep; poll_any wakes on any. */
Test(evtchn, poller_ignores_other_ports)
{
    struct vcpu *v = domu->vcpus[0];
    uint32_t p, q;

    cr_assert_eq(bind_ipi(0, &p), 0);
    cr_assert_eq(bind_ipi(0, &q), 0);
    mask(domu, q);
    v->state = VCPU_BLOCKED;
    v->polling = true;
    v->poll_ports[p / 64] = 1ULL << (p % 64);
    cr_assert_eq(port_op(EVTCHNOP_send, q), 0);
    cr_assert_eq(v->state, VCPU_BLOCKED);
    cr_assert(v->polling);
    cr_assert_eq(harness.kicks, 0);
    v->poll_any = true;
    cr_assert_eq(port_op(EVTCHNOP_unmask, q), 0); /* pending already: no new set_pending */
    cr_assert_eq(v->state, VCPU_RUNNABLE);        /* ...but the unmask raised the upcall */
    v->state = VCPU_BLOCKED;
    v->polling = true;
    clear_events(domu);
    mask(domu, q);
    cr_assert_eq(port_op(EVTCHNOP_send, q), 0);
    cr_assert_eq(v->state, VCPU_RUNNABLE);
    cr_assert_not(v->polling);
}

/* SCHEDOP_poll records its ports before blocking and is done polling afterwards. */
Test(evtchn, sched_poll_records_its_ports)
{
    const uint32_t ports[] = {5, 4095};
    struct sched_poll sp = {.nr_ports = 2, .timeout = 0};
    struct vcpu *v = domu->vcpus[0];

    sp.ports = guest_put(ports, sizeof(ports));
    cr_assert_eq(hc(__HYPERVISOR_sched_op, SCHEDOP_poll, guest_put(&sp, sizeof(sp))), 0);
    cr_assert_eq(harness.blocks, 1);
    cr_assert(harness.polling_at_block);
    cr_assert_not(v->polling);
    cr_assert_not(v->poll_any);
    cr_assert_eq(v->poll_ports[0], 1ULL << 5);
    cr_assert_eq(v->poll_ports[63], 1ULL << 63);
    sp.nr_ports = 0;
    cr_assert_eq(hc(__HYPERVISOR_sched_op, SCHEDOP_poll, guest_put(&sp, sizeof(sp))), 0);
    cr_assert(v->poll_any);
    cr_assert_eq(v->poll_ports[0], 0);
}

/* A masked port already pending: poll returns at once without blocking. */
Test(evtchn, sched_poll_on_pending_masked_port)
{
    uint32_t p;
    struct sched_poll sp = {.nr_ports = 1};

    cr_assert_eq(bind_ipi(0, &p), 0);
    mask(domu, p);
    cr_assert_eq(port_op(EVTCHNOP_send, p), 0);
    sp.ports = guest_put(&p, sizeof(p));
    cr_assert_eq(hc(__HYPERVISOR_sched_op, SCHEDOP_poll, guest_put(&sp, sizeof(sp))), 0);
    cr_assert_eq(harness.blocks, 0);
    cr_assert_not(domu->vcpus[0]->polling);
}

/* The ports are taken in order (as Xen): a pending one before a bad one ends the call. */
Test(evtchn, sched_poll_takes_ports_in_order)
{
    uint32_t p;
    struct sched_poll sp = {.nr_ports = 2};

    cr_assert_eq(bind_ipi(0, &p), 0);
    cr_assert_eq(port_op(EVTCHNOP_send, p), 0);
    sp.ports = guest_put((uint32_t[]){p, EVTCHN_2L_NR_CHANNELS}, 8);
    cr_assert_eq(hc(__HYPERVISOR_sched_op, SCHEDOP_poll, guest_put(&sp, sizeof(sp))), 0);
    sp.ports = guest_put((uint32_t[]){EVTCHN_2L_NR_CHANNELS, p}, 8);
    cr_assert_eq(hc(__HYPERVISOR_sched_op, SCHEDOP_poll, guest_put(&sp, sizeof(sp))), -XEN_EINVAL);
    cr_assert_eq(harness.blocks, 0);
    cr_assert_not(domu->vcpus[0]->polling);
}

/* ---- reset and teardown ---- */

/* reset closes every port of the domain; interdomain peers go back to unbound. */
Test(evtchn, reset_closes_everything)
{
    struct evtchn_status st;
    uint32_t up, lp, timer, ipi;

    cr_assert_eq(alloc_unbound(DOMID_SELF, 0, &up), 0);
    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &timer), 0);
    cr_assert_eq(bind_ipi(0, &ipi), 0);
    harness_set_current(dom0);
    cr_assert_eq(bind_interdomain(1, up, &lp), 0);
    harness_set_current(domu);
    cr_assert_eq(reset(DOMID_SELF), 0);
    for (uint32_t p = 1; p <= ipi; p++)
        cr_assert_eq(state_of(domu, p), EVTCHNSTAT_closed, "port %u", p);
    cr_assert_eq(domu->vcpus[0]->virq_to_port[VIRQ_TIMER], 0);
    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, NULL), 0);
    harness_set_current(dom0);
    cr_assert_eq(status(DOMID_SELF, lp, &st), 0);
    cr_assert_eq(st.status, EVTCHNSTAT_unbound);
    cr_assert_eq(st.u.unbound.dom, 1);
}

/* reset of another domain: privileged only (-EPERM); a domain nobody has: -ESRCH. */
Test(evtchn, reset_of_others)
{
    uint32_t p;

    cr_assert_eq(reset(0), -XEN_EPERM);
    cr_assert_eq(reset(9), -XEN_ESRCH);
    cr_assert_eq(bind_ipi(0, &p), 0);
    harness_set_current(dom0);
    cr_assert_eq(reset(1), 0);
    cr_assert_eq(state_of(domu, p), EVTCHNSTAT_closed);
}

/* A domain torn down closes its ports: its peers are unbound again, its buckets freed. */
Test(evtchn, teardown_releases_peers)
{
    struct evtchn_status st;
    uint32_t up, lp;
    unsigned long free_before;

    cr_assert_eq(alloc_unbound(DOMID_SELF, 0, &up), 0);
    for (int i = 0; i < 1000; i++) /* two buckets' worth */
        cr_assert_eq(bind_ipi(0, NULL), 0);
    harness_set_current(dom0);
    cr_assert_eq(bind_interdomain(1, up, &lp), 0);
    free_before = frames_free();
    domain_shutdown(domu, SHUTDOWN_poweroff);
    domain_reap();
    cr_assert_null(domains[1]);
    /* The domain's own frames, its structures and its two buckets came back. */
    cr_assert_geq(frames_free(), free_before + 2);
    cr_assert_eq(frame_alloc_errors(), 0);
    cr_assert_eq(status(DOMID_SELF, lp, &st), 0);
    cr_assert_eq(st.status, EVTCHNSTAT_unbound);
    cr_assert_eq(st.u.unbound.dom, 1);
    cr_assert_eq(status(1, up, &st), -XEN_ESRCH);
    cr_assert_eq(port_op(EVTCHNOP_send, lp), 0);
}

/* Destroying the table gives back exactly its bucket pages. */
Test(evtchn, destroy_frees_every_bucket)
{
    unsigned long before;

    for (int i = 0; i < 1000; i++)
        cr_assert_eq(bind_ipi(0, NULL), 0);
    cr_assert_not_null(domu->evtchn[1]);
    before = frames_free();
    evtchn_domain_destroy(domu);
    cr_assert_eq(frames_free(), before + 2);
    for (unsigned int i = 0; i < EVTCHN_NR_BUCKETS; i++)
        cr_assert_null(domu->evtchn[i]);
}
