/* SPDX-License-Identifier: MIT */
/*
 * timer-smp: two vCPUs on two CPUs, each with its own singleshot timer at the same time.
 *
 * Booted as dom0 with two vCPUs on a two-CPU machine (test.conf).  Each vCPU binds its own
 * VIRQ_TIMER, then takes 10 shots: arm its singleshot timer 1-3 ms ahead and wait for the
 * port in SCHEDOP_poll (with a 1 s safety timeout).  vCPU 1 runs on the second CPU, so its
 * timer lives in that CPU's timer list and is programmed into that CPU's APIC timer while
 * vCPU 0's lives on the first.  Checked for both: every shot is woken by its own port (not
 * the safety timeout, not the other vCPU's timer), never before the deadline by its own
 * clock.  Also: a singleshot timer is the running vCPU's own — vCPU 1 setting vCPU 0's is
 * -EINVAL, as on Xen.
 *
 * Lateness is printed, and its median only held under 100 ms: with two busy vCPUs, QEMU
 * runs two threads that spin on the hypervisor lock for each other, and on a loaded host
 * the thread holding it is often descheduled for milliseconds (measured: 100-300 us when
 * the host is quiet, 10-25 ms medians with another QEMU test beside it, the time going
 * into the hypercall entry, before the timer is even armed).  The one-CPU test `timer`
 * holds the 5 ms bound.
 */
#include <public/event_channel.h>
#include <pvguest/test.h>
#include <pvguest/time.h>
#include <pvguest/vcpu.h>

#define MS         PV_NS_PER_MS
#define SHOTS      10
#define MEDIAN_MAX (100 * MS)

struct shots {
    uint32_t port;
    int64_t late[SHOTS];
    unsigned int woken_by_port, other_pending;
    long rc; /* first hypercall failure, 0 if none */
    volatile int done;
};

static struct shots shots[2];
static volatile long cross_rc = 1;
static uint8_t stack1[16384] __attribute__((aligned(16)));

/* System time by this vCPU's own record (Xen keeps one per vCPU). */
static uint64_t now_on(unsigned int vcpu)
{
    struct pv_time_record r;

    pv_time_read(vcpu, &r);
    return pv_time_at(&r, pv_rdtsc());
}

/* Clears port's pending bit; true if it was set. */
static bool take(uint32_t port)
{
    uint64_t bit = 1ULL << (port % 64);

    return __atomic_fetch_and(&pv_shared_info->evtchn_pending[port / 64], ~bit, __ATOMIC_SEQ_CST) &
           bit;
}

static void run_shots(unsigned int vcpu)
{
    struct shots *s = &shots[vcpu];
    uint32_t other = shots[!vcpu].port;

    for (unsigned int i = 0; i < SHOTS; i++) {
        uint64_t deadline = now_on(vcpu) + (1 + i % 3) * MS;
        struct sched_poll p = {.ports = (uint64_t)(unsigned long)&s->port,
                               .nr_ports = 1,
                               .timeout = deadline + PV_NS_PER_SEC};
        long rc = pv_set_singleshot_timer(vcpu, deadline, 0);

        if (!rc)
            rc = HYPERVISOR_sched_op(SCHEDOP_poll, &p);
        if (rc) {
            s->rc = rc;
            break;
        }
        s->late[i] = (int64_t)(now_on(vcpu) - deadline);
        s->woken_by_port += take(s->port);
        s->other_pending +=
            other && (pv_shared_info->evtchn_pending[other / 64] >> (other % 64) & 1);
    }
}

static void vcpu1_main(unsigned long arg)
{
    (void)arg;
    cross_rc = pv_set_singleshot_timer(0, now_on(1) + MS, 0);
    run_shots(1);
    __atomic_store_n(&shots[1].done, 1, __ATOMIC_RELEASE);
}

static void judge(unsigned int vcpu)
{
    struct shots *s = &shots[vcpu];
    unsigned int early = 0;
    int64_t v[SHOTS];

    if (!xtf_check(s->rc == 0, "vCPU %u: hypercall failed: %ld", vcpu, s->rc))
        return;
    for (unsigned int i = 0; i < SHOTS; i++) {
        v[i] = s->late[i];
        early += v[i] < 0;
    }
    for (unsigned int i = 1; i < SHOTS; i++)
        for (unsigned int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            int64_t t = v[j];

            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    pv_printf("vCPU %u: lateness median %ld us, min %ld us, max %ld us; %u/%u woken by its port\n",
              vcpu, (long)(v[SHOTS / 2] / 1000), (long)(v[0] / 1000), (long)(v[SHOTS - 1] / 1000),
              s->woken_by_port, SHOTS);
    xtf_check(early == 0, "vCPU %u: %u shots woke before the deadline", vcpu, early);
    xtf_check(s->woken_by_port == SHOTS, "vCPU %u: only %u of %u shots found its port pending",
              vcpu, s->woken_by_port, SHOTS);
    xtf_check(v[SHOTS / 2] < (int64_t)MEDIAN_MAX, "vCPU %u: median lateness %ld us, want < %lu ms",
              vcpu, (long)(v[SHOTS / 2] / 1000), (unsigned long)(MEDIAN_MAX / MS));
}

void test_main(void)
{
    long rc;

    if (!pv_shared_info) {
        xtf_error("shared_info is not mapped");
        return;
    }
    for (unsigned int vcpu = 0; vcpu < 2; vcpu++) {
        struct evtchn_bind_virq b = {.virq = VIRQ_TIMER, .vcpu = vcpu};

        /* No ticks from the default 100 Hz periodic timer (set for vCPU 1 from here). */
        rc = pv_stop_periodic_timer(vcpu);
        if (!xtf_check(rc == 0, "stop_periodic_timer(vCPU %u): %ld", vcpu, rc))
            return;
        rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b);
        if (!xtf_check(rc == 0, "EVTCHNOP_bind_virq(VIRQ_TIMER, vCPU %u): %ld", vcpu, rc))
            return;
        shots[vcpu].port = b.port;
    }
    /* Events stay masked on both vCPUs: SCHEDOP_poll returns on the pending bit alone. */
    rc = pv_vcpu_start(1, vcpu1_main, 0, stack1 + sizeof(stack1));
    if (!xtf_check(rc == 0, "starting vCPU 1: %ld", rc))
        return;
    run_shots(0);
    for (int i = 0; i < 100000 && !__atomic_load_n(&shots[1].done, __ATOMIC_ACQUIRE); i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    if (!xtf_check(shots[1].done, "vCPU 1 never finished its shots"))
        return;
    xtf_check(cross_rc == -XEN_EINVAL,
              "vCPU 1 setting vCPU 0's singleshot timer: %ld, want -EINVAL", cross_rc);
    judge(0);
    judge(1);
    xtf_success();
}
