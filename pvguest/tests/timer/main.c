/* SPDX-License-Identifier: MIT */
/*
 * timer: VIRQ_TIMER from the guest's timers, and when it comes.
 *
 * A PV guest has no timer hardware: it asks the hypervisor for VIRQ_TIMER at an absolute
 * system time, with set_timer_op or VCPUOP_set_singleshot_timer, or every period with
 * VCPUOP_set_periodic_timer, and binds the VIRQ to an event channel (EVTCHNOP_bind_virq).
 * An idle guest blocks (SCHEDOP_block) until the timer wakes it.  Checked here, with the
 * default 100 Hz periodic timer stopped first (as Linux does):
 *   - singleshot, blocked: 20 shots 1-4 ms ahead; the handler never runs before the
 *     deadline, and the median lateness is under 5 ms (generous: QEMU TCG on a busy host);
 *   - set_timer_op, running with events enabled: the same;
 *   - a deadline already passed: VIRQ_TIMER is pending when the hypercall returns;
 *   - VCPU_SSHOTTMR_future with a passed deadline: -ETIME (62) and no event on xen-lite;
 *     Xen 4.17.7 may ignore the flag (its header says so) and fire at once instead;
 *   - stopping (stop_singleshot_timer, set_timer_op(0)) cancels: no VIRQ for 50 ms after
 *     the old deadline;
 *   - periodic: under 1 ms is -EINVAL; 10 ms gives a tick at once (none came for a period:
 *     Xen 4.17 does so), then one every 10 ms: ~21 in 205 ms; stopping it ends the ticks;
 *   - a vCPU blocked in SCHEDOP_block is woken by its timer, not before the deadline.
 * Lateness is printed so a slow run shows how slow.
 */
#include <public/event_channel.h>
#include <pvguest/test.h>
#include <pvguest/time.h>

#define MS     PV_NS_PER_MS
#define SHOTS  20
#define NTIMES 256

static unsigned int timer_port;
static volatile unsigned int fired;         /* VIRQ_TIMER events handled */
static volatile uint64_t fire_time[NTIMES]; /* handler time of event n, at n % NTIMES */
static volatile unsigned int other_events;

static void on_event(unsigned int port)
{
    uint64_t now = pv_time_now_ns();

    if (port != timer_port) {
        other_events++;
        return;
    }
    fire_time[fired % NTIMES] = now;
    fired++;
}

static volatile struct vcpu_info *vi(void)
{
    return &pv_shared_info->vcpu_info[0];
}

/* Events on (virtual IF set); an upcall already pending is taken at once, as Linux does. */
static void events_on(void)
{
    vi()->evtchn_upcall_mask = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (vi()->evtchn_upcall_pending)
        HYPERVISOR_xen_version(XENVER_version, NULL); /* the upcall comes on its way back */
}

static void events_off(void)
{
    vi()->evtchn_upcall_mask = 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static bool timer_pending(void)
{
    return pv_shared_info->evtchn_pending[timer_port / 64] >> (timer_port % 64) & 1;
}

/* Spins (events as they are) until VIRQ_TIMER number n has come or `until`; true if it came. */
static bool spin_for_event(unsigned int n, uint64_t until)
{
    while (fired <= n && pv_time_now_ns() < until)
        __asm__ volatile("pause");
    return fired > n;
}

static int64_t sorted_median(int64_t *v, unsigned int n)
{
    for (unsigned int i = 1; i < n; i++)
        for (unsigned int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            int64_t t = v[j];

            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return (v[(n - 1) / 2] + v[n / 2]) / 2;
}

/* Prints the lateness of the shots (us) and checks: none early, median under 5 ms. */
static void judge_lateness(const char *what, int64_t *late, unsigned int n)
{
    char line[256];
    int len = 0;
    unsigned int early = 0;
    int64_t median;

    for (unsigned int i = 0; i < n; i++) {
        early += late[i] < 0;
        len += snprintf(line + len, sizeof(line) - (size_t)len, " %ld", (long)(late[i] / 1000));
        if (len >= (int)sizeof(line))
            len = sizeof(line) - 1;
    }
    median = sorted_median(late, n);
    pv_printf("%s lateness (us):%s\n", what, line);
    pv_printf("%s: median %ld us, max %ld us\n", what, (long)(median / 1000),
              (long)(late[n - 1] / 1000));
    xtf_check(early == 0, "%s: %u of %u shots ran before their deadline", what, early, n);
    xtf_check(median < (int64_t)(5 * MS), "%s: median lateness %ld us, want under 5 ms", what,
              (long)(median / 1000));
}

/* Singleshot shots taken blocked: the timer is what wakes the vCPU each time. */
static void test_singleshot_blocked(void)
{
    int64_t late[SHOTS];

    for (unsigned int i = 0; i < SHOTS; i++) {
        unsigned int n = fired;
        uint64_t deadline = pv_time_now_ns() + (1 + i % 4) * MS;
        long rc = pv_set_singleshot_timer(0, deadline, 0);

        if (!xtf_check(rc == 0, "set_singleshot_timer: %ld", rc))
            return;
        while (fired == n)
            HYPERVISOR_sched_op(SCHEDOP_block, NULL); /* unmasks events; upcall on return */
        events_off();
        late[i] = (int64_t)(fire_time[n % NTIMES] - deadline);
    }
    judge_lateness("singleshot (blocked)", late, SHOTS);
}

/* set_timer_op shots taken running, events enabled: the timer interrupts the guest. */
static void test_set_timer_op_running(void)
{
    int64_t late[SHOTS];

    events_on();
    for (unsigned int i = 0; i < SHOTS; i++) {
        unsigned int n = fired;
        uint64_t deadline = pv_time_now_ns() + (1 + i % 4) * MS;
        long rc = HYPERVISOR_set_timer_op(deadline);

        if (!xtf_check(rc == 0, "set_timer_op: %ld", rc) ||
            !xtf_check(spin_for_event(n, deadline + PV_NS_PER_SEC),
                       "set_timer_op: no VIRQ_TIMER within 1 s of the deadline")) {
            events_off();
            return;
        }
        late[i] = (int64_t)(fire_time[n % NTIMES] - deadline);
    }
    events_off();
    judge_lateness("set_timer_op (running)", late, SHOTS);
}

/* Takes a pending VIRQ_TIMER (events on, then off again); true if one was handled. */
static bool consume(void)
{
    unsigned int n = fired;

    events_on();
    events_off();
    return fired > n;
}

/* A deadline already passed: the event is pending by the time the hypercall returns. */
static void test_past_deadline(void)
{
    long rc;

    events_off();
    rc = pv_set_singleshot_timer(0, pv_time_now_ns() - MS, 0);
    xtf_check(rc == 0, "set_singleshot_timer(past): %ld", rc);
    xtf_check(timer_pending(), "set_singleshot_timer(past): VIRQ_TIMER not pending on return");
    xtf_check(consume(), "set_singleshot_timer(past): no VIRQ_TIMER handled");

    rc = HYPERVISOR_set_timer_op(pv_time_now_ns() - MS);
    xtf_check(rc == 0, "set_timer_op(past): %ld", rc);
    xtf_check(timer_pending(), "set_timer_op(past): VIRQ_TIMER not pending on return");
    xtf_check(consume(), "set_timer_op(past): no VIRQ_TIMER handled");
}

static void test_future_flag(void)
{
    uint64_t now = pv_time_now_ns();
    unsigned int n;
    long rc;

    events_off();
    rc = pv_set_singleshot_timer(0, now - MS, VCPU_SSHOTTMR_future);
    pv_time_spin_until(now + 5 * MS);
    if (pv_on_xen_lite() || rc != 0) {
        xtf_check(rc == -XEN_ETIME, "future flag, passed deadline: %ld, want -ETIME (-62)", rc);
        xtf_check(!timer_pending(), "future flag, passed deadline: refused, yet VIRQ_TIMER came");
    } else {
        /* Xen 4.17.7 ignores the flag ("can be ignored by the hypervisor"): fired at once. */
        pv_printf("future flag ignored (0, event at once): as Xen since 4.17.7\n");
        xtf_check(timer_pending(), "future flag ignored: yet no VIRQ_TIMER");
    }
    consume();

    n = fired;
    rc = pv_set_singleshot_timer(0, pv_time_now_ns() + 2 * MS, VCPU_SSHOTTMR_future);
    xtf_check(rc == 0, "future flag, future deadline: %ld", rc);
    events_on();
    xtf_check(spin_for_event(n, pv_time_now_ns() + PV_NS_PER_SEC),
              "future flag, future deadline: no VIRQ_TIMER within 1 s");
    events_off();
}

/* Stopped timers stay quiet for 50 ms after the deadline they had. */
static void test_stop_cancels(void)
{
    uint64_t deadline;
    unsigned int n = fired;
    long rc1, rc2;

    events_on();
    deadline = pv_time_now_ns() + 20 * MS;
    rc1 = pv_set_singleshot_timer(0, deadline, 0);
    rc2 = pv_stop_singleshot_timer(0);
    xtf_check(rc1 == 0 && rc2 == 0, "set/stop_singleshot_timer: %ld, %ld", rc1, rc2);
    pv_time_spin_until(deadline + 50 * MS);
    xtf_check(fired == n, "stop_singleshot_timer: VIRQ_TIMER came anyway");

    deadline = pv_time_now_ns() + 20 * MS;
    rc1 = HYPERVISOR_set_timer_op(deadline);
    rc2 = HYPERVISOR_set_timer_op(0);
    xtf_check(rc1 == 0 && rc2 == 0, "set_timer_op(deadline), set_timer_op(0): %ld, %ld", rc1, rc2);
    pv_time_spin_until(deadline + 50 * MS);
    xtf_check(fired == n, "set_timer_op(0): VIRQ_TIMER came anyway");
    events_off();
}

/* 10 ms periodic ticks while running for 205 ms; the period between them; stop ends them. */
static void test_periodic(void)
{
    unsigned int n0, n1, ticks;
    uint64_t start, first, last;
    long rc;

    rc = pv_set_periodic_timer(0, MS - 1);
    xtf_check(rc == -XEN_EINVAL, "set_periodic_timer(999999 ns): %ld, want -EINVAL", rc);

    events_on();
    n0 = fired;
    start = pv_time_now_ns();
    rc = pv_set_periodic_timer(0, 10 * MS);
    if (!xtf_check(rc == 0, "set_periodic_timer(10 ms): %ld", rc)) {
        events_off();
        return;
    }
    pv_time_spin_until(start + 205 * MS);
    rc = pv_stop_periodic_timer(0);
    n1 = fired;
    xtf_check(rc == 0, "stop_periodic_timer: %ld", rc);
    pv_time_spin_until(pv_time_now_ns() + 50 * MS);
    xtf_check(fired == n1, "stop_periodic_timer: %u ticks after it", fired - n1);
    events_off();

    ticks = n1 - n0;
    if (!xtf_check(ticks >= 15 && ticks <= 22, "10 ms periodic timer: %u ticks in 205 ms", ticks))
        return;
    first = fire_time[n0 % NTIMES];
    last = fire_time[(n1 - 1) % NTIMES];
    pv_printf("periodic: %u ticks, first after %lu us, mean period %lu us\n", ticks,
              (unsigned long)((first - start) / 1000),
              (unsigned long)((last - first) / (ticks - 1) / 1000));
    xtf_check(first < start + 5 * MS, "first periodic tick %lu us after setting it: want at once",
              (unsigned long)((first - start) / 1000));
    xtf_check((last - first) / (ticks - 1) >= 9500000 && (last - first) / (ticks - 1) < 13 * MS,
              "mean periodic interval %lu us, want ~10000",
              (unsigned long)((last - first) / (ticks - 1) / 1000));
}

/* Blocked with nothing pending, the singleshot timer is what wakes the vCPU. */
static void test_block_wakes(void)
{
    unsigned int n = fired, blocks = 0;
    uint64_t deadline = pv_time_now_ns() + 30 * MS;
    long rc = pv_set_singleshot_timer(0, deadline, 0);

    xtf_check(rc == 0, "set_singleshot_timer: %ld", rc);
    while (fired == n) {
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
        blocks++;
    }
    events_off();
    xtf_check(pv_time_now_ns() >= deadline, "woken from SCHEDOP_block before the deadline");
    pv_printf("block: woken %lu us after the deadline (%u block call(s))\n",
              (unsigned long)((fire_time[n % NTIMES] - deadline) / 1000), blocks);
}

void test_main(void)
{
    struct evtchn_bind_virq bind = {.virq = VIRQ_TIMER, .vcpu = 0};
    long rc;

    if (!pv_shared_info) {
        xtf_error("shared_info is not mapped");
        return;
    }
    /* Xen gives a PV vCPU a 100 Hz periodic timer to start with: stop it, as Linux does. */
    rc = pv_stop_periodic_timer(0);
    xtf_check(rc == 0, "stop_periodic_timer: %ld", rc);
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bind);
    if (rc) {
        xtf_failure("EVTCHNOP_bind_virq(VIRQ_TIMER): %ld (%s)", rc, xen_errno_name((int)rc));
        return;
    }
    timer_port = bind.port;
    pv_printf("VIRQ_TIMER on port %u\n", timer_port);
    pv_set_event_handler(on_event);

    test_singleshot_blocked();
    test_set_timer_op_running();
    test_past_deadline();
    test_future_flag();
    test_stop_cancels();
    test_periodic();
    test_block_wakes();
    if (other_events)
        pv_printf("(%u events on other ports)\n", other_events);
    xtf_success();
}
