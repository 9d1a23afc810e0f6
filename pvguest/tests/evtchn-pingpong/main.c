/* SPDX-License-Identifier: MIT */
/*
 * evtchn-pingpong: two domains talk over an interdomain event channel.
 *
 * This image boots twice (test.conf): as dom0 ("A") and as domU 1 ("B", command line
 * "peer"). Protocol: A's first port is offered to domain 1 (alloc_unbound), so it is port
 * 1; B retries bind_interdomain(0, 1) until A has offered it. Then B sends PINGS pings,
 * each only after the previous pong arrived; A answers each with a pong. A waits with
 * SCHEDOP_poll on its port, masked (a poll must end when a masked port becomes pending);
 * B waits with SCHEDOP_block for the upcall (events enabled, the callback counts pongs).
 * Each side checks it saw exactly PINGS events, and the status of both ends. B also checks
 * that an unprivileged domain cannot touch dom0's ports (status, alloc_unbound, reset:
 * -EPERM), prints its verdict and powers off.
 *
 * A then waits (poll on the masked VIRQ_DOM_EXC port) for the hypervisor to report B's
 * shutdown and teardown, and checks what teardown must do: B's ports are gone (status
 * -ESRCH) and A's end is unbound again, offered to domain 1. Finally a poll with a
 * deadline and no pending port must end by itself: the deadline is found by doubling it
 * from 1 ms until poll blocks (system time counts from boot), and if the guest can read
 * system time it checks the deadline had passed. A prints its verdict last and powers off,
 * ending the run: two "Test result:" lines.
 */
#include <pvguest/events.h>
#include <pvguest/test.h>

#define PINGS        100
#define PEER_DOMID   1
#define BIND_RETRIES 100000

static bool is_peer(void)
{
    return strcmp(pv_start_info->cmd_line, "peer") == 0;
}

static long poll(uint32_t *ports, unsigned int n, uint64_t timeout)
{
    struct sched_poll p = {.nr_ports = n, .timeout = timeout};

    p.ports = (uint64_t)ports;
    return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

/* ---- B: the peer domU ---- */

static uint32_t peer_port;
static volatile unsigned int pongs, strays;

static void peer_on_port(unsigned int port)
{
    if (port == peer_port)
        pongs++;
    else
        strays++;
}

static void peer(void)
{
    struct evtchn_status st;
    unsigned int tries = 0;
    uint32_t p;
    long rc;

    /* A offers its first port (1) to us; it may not have done so yet. */
    while ((rc = pv_evtchn_bind_interdomain(0, 1, &peer_port)) == -XEN_EINVAL &&
           ++tries < BIND_RETRIES)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    xtf_expect_rc("bind_interdomain(dom0, port 1)", rc, 0);
    if (rc)
        return;
    xtf_check(pv_evtchn_status(DOMID_SELF, peer_port, &st) == 0 &&
                  st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == 0 &&
                  st.u.interdomain.port == 1,
              "our end: status %u dom %u port %u", st.status, st.u.interdomain.dom,
              st.u.interdomain.port);
    xtf_expect_rc("status of dom0's port (unprivileged)", pv_evtchn_status(0, 1, &st), -XEN_EPERM);
    xtf_expect_rc("alloc_unbound in dom0 (unprivileged)", pv_evtchn_alloc_unbound(0, 0, &p),
                  -XEN_EPERM);
    xtf_expect_rc("reset of dom0 (unprivileged)", pv_evtchn_reset(0), -XEN_EPERM);

    /* The binding end starts pending (Xen's rule): forget that before counting. */
    pv_evtchn_clear_pending(peer_port);
    pv_shared_info->vcpu_info[0].evtchn_pending_sel = 0;
    pv_shared_info->vcpu_info[0].evtchn_upcall_pending = 0;
    pv_set_event_handler(peer_on_port);

    for (unsigned int i = 0; i < PINGS; i++) {
        rc = pv_evtchn_send(peer_port);
        if (!xtf_check(rc == 0, "ping %u: send returned %ld", i, rc))
            break;
        /* Block until the pong's upcall; block itself enables events. */
        while (pongs < i + 1)
            HYPERVISOR_sched_op(SCHEDOP_block, NULL);
        pv_events_disable();
    }
    xtf_check(pongs == PINGS && strays == 0, "%u pongs and %u other events, want %u and 0", pongs,
              strays, PINGS);
    pv_printf("peer: %u pings sent, %u pongs received\n", PINGS, pongs);
    xtf_success();
}

/* ---- A: dom0 ---- */

static uint32_t port_a, dom_exc;

/* Waits for port (masked) to be pending, with SCHEDOP_poll; false if dom_exc came first. */
static bool wait_for(uint32_t port)
{
    uint32_t ports[2] = {port, dom_exc};

    for (;;) {
        if (pv_evtchn_is_pending(port)) {
            pv_evtchn_clear_pending(port);
            return true;
        }
        if (pv_evtchn_is_pending(dom_exc))
            return false;
        poll(ports, 2, 0);
    }
}

/* After the game: B shuts down and is torn down; we hear of it through VIRQ_DOM_EXC. */
static void watch_teardown(void)
{
    struct evtchn_status st;
    unsigned int exc = 0;
    long rc;

    for (;;) {
        rc = pv_evtchn_status(PEER_DOMID, 1, &st);
        if (rc == -XEN_ESRCH) {
            /* Gone already (it may have finished on another CPU): its event is waiting. */
            if (pv_evtchn_is_pending(dom_exc)) {
                pv_evtchn_clear_pending(dom_exc);
                exc++;
            }
            break;
        }
        /* Still there: sleep until the next domain event. */
        if (!pv_evtchn_is_pending(dom_exc))
            poll(&dom_exc, 1, 0);
        pv_evtchn_clear_pending(dom_exc);
        exc++;
        if (!xtf_check(exc <= 2, "VIRQ_DOM_EXC #%u and d%u still exists", exc, PEER_DOMID))
            return;
    }
    xtf_check(exc >= 1, "the peer vanished without a VIRQ_DOM_EXC");
    pv_printf("VIRQ_DOM_EXC seen %u time(s); d%u is gone\n", exc, PEER_DOMID);
    xtf_check(pv_evtchn_status(DOMID_SELF, port_a, &st) == 0 && st.status == EVTCHNSTAT_unbound &&
                  st.u.unbound.dom == PEER_DOMID,
              "our end after the peer's teardown: status %u dom %u, want unbound for d%u",
              st.status, st.u.unbound.dom, PEER_DOMID);
}

/*
 * A poll on a port nobody signals ends at its deadline. Deadlines are system time since
 * boot: poll returns at once while the deadline is past, so doubling it from 1 ms finds the
 * first one in the future, and that poll must block and come back by itself. Without a
 * readable clock the blocking call is recognised by taking far longer (TSC) than the
 * immediate ones; with one, the time after it is checked against the deadline.
 */
static void poll_deadline(void)
{
    uint32_t quiet;
    uint64_t quick = ~0ULL;

    xtf_expect_rc("bind_ipi (a port nobody signals)", pv_evtchn_bind_ipi(0, &quiet), 0);
    pv_evtchn_mask(quiet);
    for (uint64_t t = 1000000; t <= (1ULL << 34); t *= 2) {
        uint64_t now = pv_time_now_ns(), tsc = pv_rdtsc();
        long rc = poll(&quiet, 1, t);

        tsc = pv_rdtsc() - tsc;
        if (!xtf_check(rc == 0, "SCHEDOP_poll with deadline %lu returned %ld", (unsigned long)t,
                       rc))
            return;
        if (now && now < t) {
            xtf_check(pv_time_now_ns() >= t, "poll returned at %lu ns, before its deadline %lu",
                      (unsigned long)pv_time_now_ns(), (unsigned long)t);
            pv_printf("poll with deadline %lu ns blocked until it\n", (unsigned long)t);
            return;
        }
        if (!now && quick != ~0ULL && tsc > 50 * quick) {
            pv_printf("poll with deadline %lu ns blocked (%lu TSC ticks, immediate ones %lu); "
                      "no system time in vcpu_info to check it against\n",
                      (unsigned long)t, (unsigned long)tsc, (unsigned long)quick);
            return;
        }
        quick = tsc < quick ? tsc : quick;
    }
    pv_printf("no poll blocked before 2^34 ns of system time\n");
}

static void dom0_side(void)
{
    struct evtchn_status st;
    unsigned int pings = 0;

    xtf_expect_rc("alloc_unbound(self, remote d1)",
                  pv_evtchn_alloc_unbound(DOMID_SELF, PEER_DOMID, &port_a), 0);
    xtf_check(port_a == 1, "our first port is %u, the protocol says 1", port_a);
    xtf_expect_rc("bind_virq(DOM_EXC)", pv_evtchn_bind_virq(VIRQ_DOM_EXC, 0, &dom_exc), 0);
    pv_evtchn_mask(port_a);
    pv_evtchn_mask(dom_exc);

    for (unsigned int i = 0; i < PINGS; i++) {
        long rc;

        if (!xtf_check(wait_for(port_a), "the peer went away after %u pings", pings))
            return;
        pings++;
        if (i == 0) {
            /* Connected now: both ends as a privileged domain sees them. */
            xtf_check(pv_evtchn_status(DOMID_SELF, port_a, &st) == 0 &&
                          st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == PEER_DOMID,
                      "our end: status %u dom %u", st.status, st.u.interdomain.dom);
            xtf_check(pv_evtchn_status(PEER_DOMID, st.u.interdomain.port, &st) == 0 &&
                          st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == 0 &&
                          st.u.interdomain.port == port_a,
                      "the peer's end: status %u dom %u port %u", st.status, st.u.interdomain.dom,
                      st.u.interdomain.port);
        }
        rc = pv_evtchn_send(port_a);
        if (!xtf_check(rc == 0, "pong %u: send returned %ld", i, rc))
            return;
    }
    pv_printf("dom0: %u pings received, %u pongs sent\n", pings, PINGS);
    xtf_check(!pv_evtchn_is_pending(port_a), "an event after the last ping");
    watch_teardown();
    poll_deadline();
    xtf_success();
}

void test_main(void)
{
    if (!pv_shared_info) {
        xtf_error("no shared_info");
        return;
    }
    if (is_peer())
        peer();
    else
        dom0_side();
}
