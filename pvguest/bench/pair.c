/* SPDX-License-Identifier: MIT */
/*
 * bench, two domains: event round trips and yield switches between dom0 and a peer domU.
 *
 * Both sides are this image; the peer's command line is "peer". Protocol: dom0 offers its
 * first two ports to domain 1 (alloc_unbound), so they are ports 1 and 2; the peer binds
 * both, retrying while dom0 has not offered them yet, and sends on the first: "ready".
 *   port 1  ping: the peer answers each event with one back;
 *   port 2  phase: the peer leaves its poll for a SCHEDOP_yield loop that ends at the next
 *           event on this port, answers that one, and polls again.
 * Every port is masked on both sides and both wait with SCHEDOP_poll, so no upcall is part
 * of what is measured. Between phases the peer is blocked in its poll, not runnable: the
 * single-domain measures dom0 takes meanwhile see the CPU as they would without a peer.
 *
 * The scheduler has no pinning: which CPU runs the peer is its choice. With one CPU both
 * domains share it and every event that wakes the other side is a context switch when the
 * sender blocks; with two CPUs a woken domain goes to the idle CPU (an IPI), and each
 * domain keeps its own CPU.
 */
#include <pvguest/events.h>
#include <pvguest/time.h>
#include <public/vcpu.h>
#include "bench.h"

#define PEER_DOMID   1
#define PORT_PING    1 /* dom0's port numbers; the peer's are whatever binding gives it */
#define PORT_PHASE   2
#define BIND_RETRIES 100000
#define WARMUP       100
#define ROUNDS       1000
#define YIELDS       1000

static uint32_t dom_exc; /* dom0: VIRQ_DOM_EXC, so a peer that dies does not hang us */

static long poll_ports(uint32_t *ports, unsigned int n)
{
    struct sched_poll p = {.ports = (uint64_t)ports, .nr_ports = n};

    return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

static void yield(void)
{
    HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

/* ---- The peer ---- */

static uint32_t peer_bind(uint32_t dom0_port)
{
    unsigned int tries = 0;
    uint32_t port = 0;
    long rc;

    /* dom0 may not have offered the port yet: -EINVAL until it has. */
    while ((rc = pv_evtchn_bind_interdomain(0, dom0_port, &port)) == -XEN_EINVAL &&
           ++tries < BIND_RETRIES)
        yield();
    if (rc) {
        pv_printf("bench peer: bind_interdomain(dom0, port %u): %ld (%s)\n", dom0_port, rc,
                  xen_errno_name((int)rc));
        pv_crash(); /* dom0 hears of it through VIRQ_DOM_EXC */
    }
    pv_evtchn_mask(port);
    pv_evtchn_clear_pending(port); /* the binding end starts pending (Xen's rule) */
    return port;
}

void bench_peer_main(void)
{
    uint32_t ports[2];

    ports[0] = peer_bind(PORT_PING);
    ports[1] = peer_bind(PORT_PHASE);
    /* No periodic ticks: the peer runs only when dom0 asks it to. */
    pv_stop_periodic_timer(0);
    pv_printf("bench peer: dom0's ports %u and %u bound as %u and %u\n", PORT_PING, PORT_PHASE,
              ports[0], ports[1]);
    pv_evtchn_send(ports[0]);
    for (;;) {
        poll_ports(ports, 2);
        if (pv_evtchn_is_pending(ports[0])) {
            pv_evtchn_clear_pending(ports[0]);
            pv_evtchn_send(ports[0]);
        }
        if (pv_evtchn_is_pending(ports[1])) {
            pv_evtchn_clear_pending(ports[1]);
            while (!pv_evtchn_is_pending(ports[1]))
                yield();
            pv_evtchn_clear_pending(ports[1]);
            pv_evtchn_send(ports[1]);
        }
    }
}

/* ---- dom0 ---- */

/* Takes the next event on (masked) port, waiting with SCHEDOP_poll; false if the peer died. */
static bool wait_event(uint32_t port)
{
    uint32_t ports[2] = {port, dom_exc};

    for (;;) {
        if (pv_evtchn_is_pending(port)) {
            pv_evtchn_clear_pending(port);
            return true;
        }
        if (pv_evtchn_is_pending(dom_exc)) {
            pv_printf("bench: the peer shut down or crashed\n");
            bench_ok = false;
            return false;
        }
        poll_ports(ports, 2); /* may return early: look again */
    }
}

/* Reports a step that failed; false, which is also 0 for the callers returning a count. */
static bool fail(const char *what, long rc)
{
    pv_printf("bench: %s: %ld (%s)\n", what, rc, rc < 0 ? xen_errno_name((int)rc) : "-");
    bench_ok = false;
    return false;
}

bool bench_pair_connect(void)
{
    struct evtchn_status st;
    uint32_t port;
    long rc;

    /* Port 0 of a domain that exists reads as closed; a missing domain is -ESRCH. */
    if (pv_evtchn_status(PEER_DOMID, 0, &st) == -XEN_ESRCH) {
        pv_printf("bench: no peer domain d%u: the two-domain measures are left out\n", PEER_DOMID);
        return false;
    }
    for (uint32_t want = PORT_PING; want <= PORT_PHASE; want++) {
        rc = pv_evtchn_alloc_unbound(DOMID_SELF, PEER_DOMID, &port);
        if (rc)
            return fail("alloc_unbound for the peer", rc);
        if (port != want)
            return fail("alloc_unbound gave a port the protocol does not expect", port);
        pv_evtchn_mask(port);
    }
    rc = pv_evtchn_bind_virq(VIRQ_DOM_EXC, 0, &dom_exc);
    if (rc)
        return fail("bind_virq(VIRQ_DOM_EXC)", rc);
    pv_evtchn_mask(dom_exc);
    if (!wait_event(PORT_PING))
        return false;
    /*
     * On one CPU the "ready" event may have woken us before the peer reached its poll: a
     * few yields let it get there (a yield with nobody waiting returns at once).
     */
    for (unsigned int i = 0; i < 3; i++)
        yield();
    return true;
}

uint64_t bench_pair_roundtrip(void)
{
    static int64_t each[ROUNDS];
    uint64_t t0 = 0, t = 0, now;
    long rc;

    for (unsigned int i = 0; i < WARMUP + ROUNDS; i++) {
        rc = pv_evtchn_send(PORT_PING);
        if (rc)
            return fail("send to the peer", rc);
        if (!wait_event(PORT_PING))
            return 0;
        now = pv_rdtsc();
        if (i >= WARMUP)
            each[i - WARMUP] = (int64_t)(now - t);
        else if (i == WARMUP - 1)
            t0 = now;
        t = now;
    }
    /* The row is the mean; the spread shows how much of it is the host (plain TCG). */
    bench_sort(each, ROUNDS);
    pv_printf("bench: %u event round trips: min %ld, median %ld, max %ld cycles\n", ROUNDS,
              (long)each[0], (long)each[ROUNDS / 2], (long)each[ROUNDS - 1]);
    return (t - t0) / ROUNDS;
}

static void runstate(struct vcpu_runstate_info *rs)
{
    long rc = HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, rs);

    if (rc) {
        fail("VCPUOP_get_runstate_info", rc);
        *rs = (struct vcpu_runstate_info){0};
    }
}

uint64_t bench_pair_yield(void)
{
    struct vcpu_runstate_info before, after;
    uint64_t t0, t1, running, waiting;
    long rc;

    rc = pv_evtchn_send(PORT_PHASE);
    if (rc)
        return fail("send to the peer", rc);
    for (unsigned int i = 0; i < WARMUP; i++)
        yield();
    runstate(&before);
    t0 = pv_rdtsc();
    for (unsigned int i = 0; i < YIELDS; i++)
        yield();
    t1 = pv_rdtsc();
    runstate(&after);
    rc = pv_evtchn_send(PORT_PHASE);
    if (rc)
        return fail("send to the peer", rc);
    if (!wait_event(PORT_PHASE))
        return 0;

    /*
     * Each of our yields hands the CPU to the peer, whose yield hands it back: we wait
     * (runnable) about as long as we run. A yield that switched to nobody never waits.
     */
    running = after.time[RUNSTATE_running] - before.time[RUNSTATE_running];
    waiting = after.time[RUNSTATE_runnable] - before.time[RUNSTATE_runnable];
    if (waiting * 4 < running) {
        pv_printf("bench: the yields did not switch to the peer: %lu ns running, %lu ns "
                  "runnable\n",
                  (unsigned long)running, (unsigned long)waiting);
        bench_ok = false;
        return 0;
    }
    /* Two switches per round: to the peer and back. */
    return (t1 - t0) / (2 * YIELDS);
}
