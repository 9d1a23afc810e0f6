/* SPDX-License-Identifier: MIT */
/*
 * evtchn: the 2-level event channel ABI from one domain, every operation and its errors.
 *
 * Event channels are how a PV guest gets interrupts: a port becomes pending in shared_info
 * and, unless masked, the hypervisor flags an upcall and enters the event callback on the
 * next return to the guest. Everything here is what Xen does (common/event_channel.c,
 * event_2l.c), and the test also runs as dom0 of real Xen. Checked, as dom0 alone:
 *  - alloc_unbound (also for DOMID_SELF as remote), bind_interdomain to our own port
 *    (loopback), bind_virq, bind_ipi, status of every kind of port (closed, unbound,
 *    interdomain, virq, ipi) with its fields;
 *  - refusals: an already bound VIRQ (-EEXIST), a bad VIRQ or a global one on vCPU 1
 *    (-EINVAL), a vCPU that does not exist (-ENOENT), interdomain to a domain that does not
 *    exist (-ESRCH) or to a port offered to another domain, closed or ours already
 *    (-EINVAL), send / close / status / unmask / bind_vcpu on port 0, a closed port and
 *    ports past the table (4096, 5000, "negative" 0xffffffff: -EINVAL); bind_vcpu of an IPI
 *    or a per-vCPU VIRQ (-EINVAL) and of a global one (allowed);
 *  - close of one end of a loopback returns the other end to unbound, offered to us, and
 *    it can be bound again; a send on an unbound port is dropped (0, nothing pending);
 *  - delivery: with events enabled a send raises the upcall on the way back from that very
 *    hypercall (the callback's frame points into the hypercall page); a masked port gets
 *    only its pending bit, and EVTCHNOP_unmask delivers it; with the upcall mask set
 *    nothing is delivered (upcall_pending is set) until events are enabled again; an event
 *    raised while the guest is in user mode is delivered there (frame CS RPL 3);
 *  - SCHEDOP_block returns at once when an event is pending (and delivers it);
 *    SCHEDOP_poll returns at once for a pending masked port or a past deadline, and
 *    refuses port 4096 (taking the ports in order, as Xen: a pending port before it wins);
 *  - reset closes every port; the table holds 4095 ports, then -ENOSPC;
 *  - on xen-lite only: init_control and expand_array are -ENOSYS (the FIFO ABI is not
 *    offered; Xen offers it), bind_pirq of a pirq never mapped is -EPERM (the IRQ tests
 *    are pvguest/tests/irq-*, com2).
 * SCHEDOP_poll woken by a port, VIRQ_DOM_EXC and two-domain traffic are in evtchn-pingpong;
 * the failsafe callback in evtchn-failsafe.
 */
#include <pvguest/events.h>
#include <pvguest/test.h>

#define NO_SUCH_VCPU 200
#define NO_SUCH_DOM  50
#define SYS_SEND     7 /* our user-mode system call: send on the port in rdi */

static bool on_xen_lite;

/* ---- what the event callback saw ---- */

static volatile struct {
    unsigned int upcalls;  /* event callbacks taken */
    uint64_t rip, cs;      /* the interrupted context of the last one */
    unsigned int nr_ports; /* ports handled */
    uint32_t ports[16];
} ev;

static void on_event(struct pv_trap_frame *f)
{
    ev.upcalls++;
    ev.rip = f->rip;
    ev.cs = f->cs;
    pv_handle_events();
}

static void on_port(unsigned int port)
{
    if (ev.nr_ports < ARRAY_SIZE(ev.ports))
        ev.ports[ev.nr_ports] = port;
    ev.nr_ports++;
}

static void ev_reset(void)
{
    ev.upcalls = 0;
    ev.nr_ports = 0;
    ev.rip = ev.cs = 0;
}

static bool rip_in_hypercall_page(uint64_t rip)
{
    return rip >= (uint64_t)hypercall_page && rip < (uint64_t)hypercall_page + 4096;
}

/* Forgets every pending event (with events disabled). */
static void quiesce(void)
{
    volatile struct vcpu_info *vi = &pv_shared_info->vcpu_info[0];

    pv_events_disable();
    for (unsigned int i = 0; i < 64; i++)
        pv_shared_info->evtchn_pending[i] = 0;
    vi->evtchn_pending_sel = 0;
    vi->evtchn_upcall_pending = 0;
}

static uint32_t status_of(uint32_t port, struct evtchn_status *st)
{
    long rc = pv_evtchn_status(DOMID_SELF, port, st);

    if (rc) {
        xtf_failure("status of port %u returned %ld", port, rc);
        return ~0U;
    }
    return st->status;
}

/* ---- the operations ---- */

static uint32_t loop_a, loop_b, debug_virq, dom_exc, ipi;

/* A port that is closed right now: allocated and closed again (the next one handed out). */
static uint32_t closed_port(void)
{
    uint32_t p = 0;

    if (pv_evtchn_alloc_unbound(DOMID_SELF, 0, &p) || pv_evtchn_close(p))
        xtf_error("cannot make a closed port");
    return p;
}

static void binding(void)
{
    struct evtchn_status st;
    uint32_t other = 0, p = 0;

    xtf_expect_rc("alloc_unbound(self, remote self)",
                  pv_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &loop_a), 0);
    xtf_check(loop_a >= 1 && loop_a < EVTCHN_2L_NR_CHANNELS, "port %u", loop_a);
    xtf_check(status_of(loop_a, &st) == EVTCHNSTAT_unbound && st.u.unbound.dom == 0 && st.vcpu == 0,
              "unbound port: status %u dom %u vcpu %u", st.status, st.u.unbound.dom, st.vcpu);
    xtf_expect_rc("bind_interdomain(self, that port)",
                  pv_evtchn_bind_interdomain(DOMID_SELF, loop_a, &loop_b), 0);
    xtf_check(loop_b != loop_a, "loopback ends are both port %u", loop_a);
    xtf_check(status_of(loop_a, &st) == EVTCHNSTAT_interdomain && st.u.interdomain.dom == 0 &&
                  st.u.interdomain.port == loop_b,
              "port %u: status %u dom %u port %u", loop_a, st.status, st.u.interdomain.dom,
              st.u.interdomain.port);
    xtf_check(status_of(loop_b, &st) == EVTCHNSTAT_interdomain && st.u.interdomain.port == loop_a,
              "port %u: status %u port %u", loop_b, st.status, st.u.interdomain.port);
    xtf_check(pv_evtchn_is_pending(loop_b), "the binding end does not start pending (Xen's "
                                            "guard against notifications lost while unbound)");

    xtf_expect_rc("alloc_unbound(self, remote dom 5)",
                  pv_evtchn_alloc_unbound(DOMID_SELF, 5, &other), 0);
    xtf_check(status_of(other, &st) == EVTCHNSTAT_unbound && st.u.unbound.dom == 5,
              "port offered to d5: status %u dom %u", st.status, st.u.unbound.dom);
    xtf_expect_rc("bind_interdomain to a port offered to d5",
                  pv_evtchn_bind_interdomain(DOMID_SELF, other, &p), -XEN_EINVAL);
    xtf_expect_rc("bind_interdomain to a connected port",
                  pv_evtchn_bind_interdomain(DOMID_SELF, loop_a, &p), -XEN_EINVAL);
    xtf_expect_rc("bind_interdomain to port 0", pv_evtchn_bind_interdomain(DOMID_SELF, 0, &p),
                  -XEN_EINVAL);
    xtf_expect_rc("bind_interdomain to port 4096", pv_evtchn_bind_interdomain(DOMID_SELF, 4096, &p),
                  -XEN_EINVAL);
    xtf_expect_rc("bind_interdomain to a missing domain",
                  pv_evtchn_bind_interdomain(NO_SUCH_DOM, 1, &p), -XEN_ESRCH);
    xtf_expect_rc("alloc_unbound in a missing domain", pv_evtchn_alloc_unbound(NO_SUCH_DOM, 0, &p),
                  -XEN_ESRCH);
    xtf_expect_rc("close the port offered to d5", pv_evtchn_close(other), 0);
    xtf_check(status_of(other, &st) == EVTCHNSTAT_closed, "closed port: status %u", st.status);

    xtf_expect_rc("bind_virq(DEBUG, vcpu 0)", pv_evtchn_bind_virq(VIRQ_DEBUG, 0, &debug_virq), 0);
    xtf_check(status_of(debug_virq, &st) == EVTCHNSTAT_virq && st.u.virq == VIRQ_DEBUG &&
                  st.vcpu == 0,
              "virq port: status %u virq %u vcpu %u", st.status, st.u.virq, st.vcpu);
    xtf_expect_rc("bind_virq(DEBUG) again", pv_evtchn_bind_virq(VIRQ_DEBUG, 0, &p), -XEN_EEXIST);
    xtf_expect_rc("bind_virq(DOM_EXC, vcpu 0)", pv_evtchn_bind_virq(VIRQ_DOM_EXC, 0, &dom_exc), 0);
    xtf_expect_rc("bind_virq(DOM_EXC) again", pv_evtchn_bind_virq(VIRQ_DOM_EXC, 0, &p),
                  -XEN_EEXIST);
    xtf_expect_rc("bind_virq(CONSOLE, vcpu 1): global", pv_evtchn_bind_virq(VIRQ_CONSOLE, 1, &p),
                  -XEN_EINVAL);
    xtf_expect_rc("bind_virq(virq 24)", pv_evtchn_bind_virq(NR_VIRQS, 0, &p), -XEN_EINVAL);
    xtf_expect_rc("bind_virq(virq 0xffffffff)", pv_evtchn_bind_virq(0xffffffff, 0, &p),
                  -XEN_EINVAL);
    xtf_expect_rc("bind_virq(TIMER, missing vcpu)",
                  pv_evtchn_bind_virq(VIRQ_TIMER, NO_SUCH_VCPU, &p), -XEN_ENOENT);

    xtf_expect_rc("bind_ipi(vcpu 0)", pv_evtchn_bind_ipi(0, &ipi), 0);
    xtf_check(status_of(ipi, &st) == EVTCHNSTAT_ipi && st.vcpu == 0, "ipi port: status %u vcpu %u",
              st.status, st.vcpu);
    xtf_expect_rc("bind_ipi(missing vcpu)", pv_evtchn_bind_ipi(NO_SUCH_VCPU, &p), -XEN_ENOENT);

    xtf_expect_rc("bind_vcpu(DOM_EXC port, vcpu 0)", pv_evtchn_bind_vcpu(dom_exc, 0), 0);
    xtf_expect_rc("bind_vcpu(DEBUG port: per vCPU)", pv_evtchn_bind_vcpu(debug_virq, 0),
                  -XEN_EINVAL);
    xtf_expect_rc("bind_vcpu(IPI port)", pv_evtchn_bind_vcpu(ipi, 0), -XEN_EINVAL);
    xtf_expect_rc("bind_vcpu(interdomain port, vcpu 0)", pv_evtchn_bind_vcpu(loop_a, 0), 0);
    xtf_expect_rc("bind_vcpu(missing vcpu)", pv_evtchn_bind_vcpu(loop_a, NO_SUCH_VCPU),
                  -XEN_ENOENT);
    xtf_expect_rc("bind_vcpu(closed port)", pv_evtchn_bind_vcpu(closed_port(), 0), -XEN_EINVAL);

    if (on_xen_lite) {
        xtf_expect_rc("bind_pirq(4): not mapped", pv_evtchn_bind_pirq(4, 0, &p), -XEN_EPERM);
        xtf_expect_rc("bind_pirq(256)", pv_evtchn_bind_pirq(256, 0, &p), -XEN_EINVAL);
    }
}

static void bad_ports(void)
{
    static const uint32_t ports[] = {0, 4096, 5000, 0xffffffff};
    struct evtchn_status st;
    char what[64];

    for (unsigned int i = 0; i < ARRAY_SIZE(ports); i++) {
        uint32_t p = ports[i];

        snprintf(what, sizeof(what), "send(port %#x)", p);
        xtf_expect_rc(what, pv_evtchn_send(p), -XEN_EINVAL);
        snprintf(what, sizeof(what), "close(port %#x)", p);
        xtf_expect_rc(what, pv_evtchn_close(p), -XEN_EINVAL);
        snprintf(what, sizeof(what), "bind_vcpu(port %#x)", p);
        xtf_expect_rc(what, pv_evtchn_bind_vcpu(p, 0), -XEN_EINVAL);
        if (p) {
            snprintf(what, sizeof(what), "status(port %#x)", p);
            xtf_expect_rc(what, pv_evtchn_status(DOMID_SELF, p, &st), -XEN_EINVAL);
            snprintf(what, sizeof(what), "unmask(port %#x)", p);
            xtf_expect_rc(what, pv_evtchn_unmask(p), -XEN_EINVAL);
        }
    }
    xtf_check(status_of(0, &st) == EVTCHNSTAT_closed, "port 0: status %u", st.status);
    xtf_expect_rc("send on a closed port", pv_evtchn_send(closed_port()), -XEN_EINVAL);
    xtf_expect_rc("close a closed port", pv_evtchn_close(closed_port()), -XEN_EINVAL);
    xtf_expect_rc("send on a VIRQ port", pv_evtchn_send(debug_virq), -XEN_EINVAL);
}

/* Closing one end of the loopback leaves the other unbound, offered to us again. */
static void close_loopback(void)
{
    struct evtchn_status st;

    quiesce();
    xtf_expect_rc("close one end of the loopback", pv_evtchn_close(loop_b), 0);
    xtf_check(status_of(loop_a, &st) == EVTCHNSTAT_unbound && st.u.unbound.dom == 0,
              "the other end: status %u dom %u", st.status, st.u.unbound.dom);
    xtf_expect_rc("send on the unbound end (dropped)", pv_evtchn_send(loop_a), 0);
    xtf_check(!pv_evtchn_is_pending(loop_a) && !pv_evtchn_is_pending(loop_b),
              "a send on an unbound port left something pending");
    xtf_expect_rc("bind the unbound end again",
                  pv_evtchn_bind_interdomain(DOMID_SELF, loop_a, &loop_b), 0);
    xtf_check(status_of(loop_b, &st) == EVTCHNSTAT_interdomain && st.u.interdomain.port == loop_a,
              "rebound: status %u port %u", st.status, st.u.interdomain.port);
}

/* ---- delivery ---- */

static void delivery(void)
{
    volatile struct vcpu_info *vi = &pv_shared_info->vcpu_info[0];
    unsigned int before;

    /* Enabled: the upcall comes on the way back from the send hypercall itself. */
    quiesce();
    ev_reset();
    pv_events_enable();
    xtf_expect_rc("send on the loopback (events enabled)", pv_evtchn_send(loop_b), 0);
    before = ev.upcalls;
    pv_events_disable();
    xtf_check(before == 1 && ev.nr_ports == 1 && ev.ports[0] == loop_a,
              "after the send: %u upcalls, %u ports (first %u), want 1 for port %u", before,
              ev.nr_ports, ev.ports[0], loop_a);
    xtf_check(rip_in_hypercall_page(ev.rip) && (ev.cs & 3) == 0,
              "the upcall interrupted rip %#lx cs %#lx, not the hypercall's return",
              (unsigned long)ev.rip, (unsigned long)ev.cs);

    /* A masked port: pending, but no selector bit and no upcall; unmask delivers it. */
    quiesce();
    ev_reset();
    pv_evtchn_mask(loop_a);
    pv_events_enable();
    xtf_expect_rc("send to a masked port", pv_evtchn_send(loop_b), 0);
    xtf_check(ev.upcalls == 0 && pv_evtchn_is_pending(loop_a) && vi->evtchn_upcall_pending == 0 &&
                  vi->evtchn_pending_sel == 0,
              "masked port: %u upcalls, pending %d, upcall_pending %u, sel %#lx", ev.upcalls,
              pv_evtchn_is_pending(loop_a), vi->evtchn_upcall_pending,
              (unsigned long)vi->evtchn_pending_sel);
    xtf_expect_rc("unmask it", pv_evtchn_unmask(loop_a), 0);
    before = ev.upcalls;
    pv_events_disable();
    xtf_check(before == 1 && ev.nr_ports == 1 && ev.ports[0] == loop_a &&
                  !pv_evtchn_is_masked(loop_a),
              "after unmask: %u upcalls, %u ports, masked %d", before, ev.nr_ports,
              pv_evtchn_is_masked(loop_a));

    /* Upcall mask set: nothing delivered, upcall_pending set; enabling delivers it. */
    quiesce();
    ev_reset();
    xtf_expect_rc("send on the IPI port (events disabled)", pv_evtchn_send(ipi), 0);
    HYPERVISOR_xen_version(XENVER_version, NULL);
    xtf_check(ev.upcalls == 0 && vi->evtchn_upcall_pending == 1 && pv_evtchn_is_pending(ipi),
              "upcall mask set: %u upcalls, upcall_pending %u", ev.upcalls,
              vi->evtchn_upcall_pending);
    pv_events_enable();
    before = ev.upcalls;
    pv_events_disable();
    xtf_check(before == 1 && ev.nr_ports == 1 && ev.ports[0] == ipi,
              "after enabling events: %u upcalls, %u ports (first %u), want port %u", before,
              ev.nr_ports, ev.ports[0], ipi);

    /* SCHEDOP_block with an event pending returns at once (and enables events). */
    quiesce();
    ev_reset();
    xtf_expect_rc("send on the IPI port (events disabled)", pv_evtchn_send(ipi), 0);
    xtf_expect_rc("SCHEDOP_block with an event pending", HYPERVISOR_sched_op(SCHEDOP_block, NULL),
                  0);
    before = ev.upcalls;
    pv_events_disable();
    xtf_check(before == 1 && ev.ports[0] == ipi, "block: %u upcalls", before);
}

/* ---- user mode ---- */

static uint8_t user_stack[8192] __attribute__((aligned(16)));

static void on_syscall(struct pv_trap_frame *f)
{
    /* Events are masked here (the callback asks for it): the upcall waits for user mode. */
    f->rax =
        f->rax == SYS_SEND ? (uint64_t)pv_evtchn_send((uint32_t)f->rdi) : (uint64_t)-XEN_ENOSYS;
}

static long user_send(void)
{
    return pv_user_syscall(SYS_SEND, ipi);
}

static void user_mode(void)
{
    long rc;

    quiesce();
    ev_reset();
    pv_set_trap_handler(PV_VEC_SYSCALL, on_syscall);
    rc = pv_run_user(user_send, user_stack + sizeof(user_stack));
    pv_set_trap_handler(PV_VEC_SYSCALL, NULL);
    pv_events_disable();
    xtf_expect_rc("user mode: system call that sends on the IPI port", rc, 0);
    xtf_check(ev.upcalls == 1 && ev.nr_ports == 1 && ev.ports[0] == ipi && (ev.cs & 3) == 3,
              "event raised for user mode: %u upcalls, %u ports, interrupted cs %#lx (want RPL 3)",
              ev.upcalls, ev.nr_ports, (unsigned long)ev.cs);
}

/* ---- polling ---- */

static long poll(uint32_t *ports, unsigned int n, uint64_t timeout)
{
    struct sched_poll p = {.nr_ports = n, .timeout = timeout};

    p.ports = (uint64_t)ports;
    return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

static void polling(void)
{
    uint32_t ports[2] = {ipi, 4096}, bad_first[2] = {4096, ipi};

    quiesce();
    pv_evtchn_mask(ipi);
    xtf_expect_rc("send on the masked IPI port", pv_evtchn_send(ipi), 0);
    xtf_expect_rc("SCHEDOP_poll on it (pending: at once)", poll(ports, 1, 0), 0);
    xtf_expect_rc("SCHEDOP_poll with a past deadline", poll(&loop_a, 1, 1), 0);
    /* Ports are taken in order: the pending one ends the call before 4096 is seen. */
    xtf_expect_rc("SCHEDOP_poll on {pending port, 4096}", poll(ports, 2, 0), 0);
    xtf_expect_rc("SCHEDOP_poll on {4096, pending port}", poll(bad_first, 2, 0), -XEN_EINVAL);
    xtf_expect_rc("unmask the IPI port", pv_evtchn_unmask(ipi), 0);
    quiesce();
}

/* ---- reset and a full table ---- */

static void reset_and_fill(void)
{
    struct evtchn_status st;
    const uint32_t used[] = {loop_a, loop_b, debug_virq, dom_exc, ipi};
    uint32_t p = 0, n = 0;
    long rc;

    xtf_expect_rc("reset(self)", pv_evtchn_reset(DOMID_SELF), 0);
    for (unsigned int i = 0; i < ARRAY_SIZE(used); i++)
        xtf_check(status_of(used[i], &st) == EVTCHNSTAT_closed, "port %u after reset: status %u",
                  used[i], st.status);
    xtf_expect_rc("reset(missing domain)", pv_evtchn_reset(NO_SUCH_DOM), -XEN_ESRCH);
    xtf_expect_rc("bind_virq(DEBUG) after reset", pv_evtchn_bind_virq(VIRQ_DEBUG, 0, &p), 0);
    xtf_expect_rc("close it", pv_evtchn_close(p), 0);

    while ((rc = pv_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &p)) == 0)
        n++;
    xtf_expect_rc("alloc_unbound once the table is full", rc, -XEN_ENOSPC);
    xtf_check(n == EVTCHN_2L_NR_CHANNELS - 1, "%u ports allocated, want %u", n,
              EVTCHN_2L_NR_CHANNELS - 1);
    xtf_expect_rc("bind_ipi once the table is full", pv_evtchn_bind_ipi(0, &p), -XEN_ENOSPC);
    xtf_expect_rc("reset(self)", pv_evtchn_reset(DOMID_SELF), 0);
    xtf_expect_rc("alloc_unbound after the reset", pv_evtchn_alloc_unbound(DOMID_SELF, 0, &p), 0);
    xtf_check(p == 1, "first port after reset is %u", p);
    xtf_expect_rc("reset(self)", pv_evtchn_reset(DOMID_SELF), 0);
}

static void fifo(void)
{
    struct evtchn_init_control ic = {0};
    struct evtchn_expand_array ea = {0};

    if (!on_xen_lite)
        return; /* Xen offers the FIFO ABI: nothing to check there */
    xtf_expect_rc("init_control (FIFO)", HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &ic),
                  -XEN_ENOSYS);
    xtf_expect_rc("expand_array (FIFO)", HYPERVISOR_event_channel_op(EVTCHNOP_expand_array, &ea),
                  -XEN_ENOSYS);
}

void test_main(void)
{
    if (!pv_shared_info) {
        xtf_error("no shared_info");
        return;
    }
    on_xen_lite = pv_on_xen_lite();
    pv_set_trap_handler(PV_VEC_EVENT, on_event);
    pv_set_event_handler(on_port);

    fifo();
    binding();
    bad_ports();
    close_loopback();
    delivery();
    user_mode();
    polling();
    reset_and_fill();
    xtf_success();
}
