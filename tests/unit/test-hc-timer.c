/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for set_timer_op and vcpu_op's timer commands (hypercalls/timer.c) and the
 * vCPU timers under them (common/time.c): what is armed, when VIRQ_TIMER is sent, the
 * Xen errnos, and that a vCPU going away leaves no timer behind.
 */
#include <criterion/criterion.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include <event.h>
#include <softirq.h>
#include <time.h>
#include <timer.h>
#include "harness/harness.h"
#include "harness/time-stubs.h"

#define MS 1000000ULL

/*
 * VIRQ_TIMER is bound for dom0's and domu's vCPU 0 through the real event channels;
 * collect() turns the pending bits into a count (each step below that can send one calls
 * it, so no two VIRQs merge into one bit unseen).
 */
static uint32_t port_of[2];
static unsigned int virqs;
static const struct vcpu *virq_vcpu;

static void collect(void)
{
    struct domain *ds[2] = {dom0, domu};

    for (unsigned int i = 0; i < 2; i++) {
        uint64_t *word = &ds[i]->shared_info->evtchn_pending[port_of[i] / 64];
        uint64_t bit = 1ULL << (port_of[i] % 64);

        if (__atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST) & bit) {
            virqs++;
            virq_vcpu = ds[i]->vcpus[0];
        }
    }
}

static void bind_timer_virq(struct domain *d, uint32_t *port)
{
    struct evtchn_bind_virq b = {.virq = VIRQ_TIMER, .vcpu = 0};
    uint64_t arg = guest_put(&b, sizeof(b));

    harness_set_current(d);
    cr_assert_eq(hc(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, arg), 0);
    *port = ((struct evtchn_bind_virq *)guest_mem(arg, sizeof(b)))->port;
}

static struct vcpu *v;

static void boot(void)
{
    harness_boot();
    timer_cpu_init(0);
    do_softirqs();
    bind_timer_virq(dom0, &port_of[0]);
    bind_timer_virq(domu, &port_of[1]);
    v = current;
}

/* The scheduler's switch hook, then the VIRQs it sent. */
static void switch_vcpus(struct vcpu *prev, struct vcpu *next)
{
    time_vcpu_switch(prev, next);
    collect();
}

TestSuite(set_timer_op, .init = boot);
TestSuite(vcpu_timer, .init = boot);

/* The softirq as it runs at system time `at`. */
static void softirq_at(uint64_t at)
{
    harness.now_ns = at;
    raise_softirq(SOFTIRQ_TIMER);
    do_softirqs();
    collect();
}

/* A hypercall, then the VIRQs it sent (a passed deadline fires at the softirq after it). */
static long hc_collect(long rc)
{
    do_softirqs();
    collect();
    return rc;
}

static long singleshot(uint64_t deadline, uint32_t flags)
{
    struct vcpu_set_singleshot_timer s = {.timeout_abs_ns = deadline, .flags = flags};

    return hc_collect(
        hc(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, guest_put(&s, sizeof(s))));
}

static long periodic(uint64_t period)
{
    struct vcpu_set_periodic_timer p = {.period_ns = period};

    return hc_collect(
        hc(__HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, guest_put(&p, sizeof(p))));
}

/* ---- set_timer_op ---- */

/* A deadline arms the singleshot timer; VIRQ_TIMER for this vCPU when it passes, once. */
Test(set_timer_op, fires_at_the_deadline)
{
    uint64_t now = harness.now_ns;

    cr_assert_eq(hc(__HYPERVISOR_set_timer_op, now + 2 * MS), 0);
    softirq_at(now + 2 * MS - 1);
    cr_assert_eq(virqs, 0);
    softirq_at(now + 2 * MS);
    cr_assert_eq(virqs, 1);
    cr_assert_eq(virq_vcpu, v);
    softirq_at(now + 10 * MS);
    cr_assert_eq(virqs, 1);
}

/* 0 cancels. */
Test(set_timer_op, zero_cancels)
{
    uint64_t now = harness.now_ns;

    cr_assert_eq(hc(__HYPERVISOR_set_timer_op, now + MS), 0);
    cr_assert_eq(hc(__HYPERVISOR_set_timer_op, 0), 0);
    cr_assert_not(v->singleshot_timer.active);
    softirq_at(now + 5 * MS);
    cr_assert_eq(virqs, 0);
}

/* A deadline already passed fires at the next softirq, i.e. before the guest runs again. */
Test(set_timer_op, past_deadline_fires_at_once)
{
    cr_assert_eq(hc(__HYPERVISOR_set_timer_op, harness.now_ns - 1), 0);
    cr_assert(softirq_pending());
    do_softirqs();
    collect();
    cr_assert_eq(virqs, 1);
}

/* A second call replaces the first deadline. */
Test(set_timer_op, rearm_replaces)
{
    uint64_t now = harness.now_ns;

    hc(__HYPERVISOR_set_timer_op, now + MS);
    hc(__HYPERVISOR_set_timer_op, now + 3 * MS);
    softirq_at(now + 2 * MS);
    cr_assert_eq(virqs, 0);
    softirq_at(now + 3 * MS);
    cr_assert_eq(virqs, 1);
}

/* Xen's rule for wrapped deadlines: negative, or 2^50 ns or more away, means 100 ms. */
Test(set_timer_op, wrapped_deadlines_become_100ms)
{
    uint64_t now = harness.now_ns;
    const uint64_t wrapped[] = {1ULL << 63, ~0ULL, now + (1ULL << 50), now + (1ULL << 60)};

    for (unsigned int i = 0; i < ARRAY_SIZE(wrapped); i++) {
        cr_assert_eq(hc(__HYPERVISOR_set_timer_op, wrapped[i]), 0);
        cr_assert_eq(v->singleshot_timer.expires, now + 100 * MS, "deadline %#lx", wrapped[i]);
    }
    cr_assert_eq(hc(__HYPERVISOR_set_timer_op, now + (1ULL << 50) - 1), 0);
    cr_assert_eq(v->singleshot_timer.expires, now + (1ULL << 50) - 1);
}

/* The caller's time record is refreshed (a guest reads the time right after). */
Test(set_timer_op, refreshes_the_time_record)
{
    uint32_t before = v->vcpu_info->time.version;

    hc(__HYPERVISOR_set_timer_op, 0);
    cr_assert_eq(v->vcpu_info->time.version, before + 2);
}

/* ---- VCPUOP singleshot ---- */

Test(vcpu_timer, singleshot_fires_and_stop_cancels)
{
    uint64_t now = harness.now_ns;

    cr_assert_eq(singleshot(now + MS, 0), 0);
    softirq_at(now + MS);
    cr_assert_eq(virqs, 1);
    cr_assert_eq(singleshot(now + 3 * MS, 0), 0);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_stop_singleshot_timer, 0, 0), 0);
    softirq_at(now + 10 * MS);
    cr_assert_eq(virqs, 1);
}

/* VCPU_SSHOTTMR_future: a passed deadline is -ETIME (62) and arms nothing; a future one is
 * armed as without the flag. */
Test(vcpu_timer, future_flag)
{
    uint64_t now = harness.now_ns;

    cr_assert_eq(-XEN_ETIME, -62);
    cr_assert_eq(singleshot(now - 1, VCPU_SSHOTTMR_future), -XEN_ETIME);
    cr_assert_not(v->singleshot_timer.active);
    do_softirqs();
    collect();
    cr_assert_eq(virqs, 0);
    cr_assert_eq(singleshot(now + MS, VCPU_SSHOTTMR_future), 0);
    softirq_at(now + MS);
    cr_assert_eq(virqs, 1);
}

/* Without the flag a passed deadline (0 included) fires at once; unknown flags are ignored. */
Test(vcpu_timer, past_deadline_fires_at_once)
{
    cr_assert_eq(singleshot(0, 0), 0);
    do_softirqs();
    collect();
    cr_assert_eq(virqs, 1);
    cr_assert_eq(singleshot(harness.now_ns - MS, 0xfffffffe), 0);
    do_softirqs();
    collect();
    cr_assert_eq(virqs, 2);
}

/* The argument must be readable: -EFAULT, nothing armed. */
Test(vcpu_timer, unreadable_argument_is_efault)
{
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, 0x1000), -XEN_EFAULT);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, HV_VIRT_START),
                 -XEN_EFAULT);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, 0x1000), -XEN_EFAULT);
    cr_assert_not(v->singleshot_timer.active);
}

/* Singleshot commands name the running vCPU only (Xen: -EINVAL, before reading arg). */
Test(vcpu_timer, singleshot_of_another_vcpu_is_einval)
{
    struct vcpu *other = dom0->vcpus[0];

    harness.raw_copies = 0;
    cr_assert_eq(vcpu_timer_op(VCPUOP_set_singleshot_timer, other, guest_ptr(0x1000)), -XEN_EINVAL);
    cr_assert_eq(vcpu_timer_op(VCPUOP_stop_singleshot_timer, other, guest_ptr(0)), -XEN_EINVAL);
    cr_assert_eq(harness.raw_copies, 0);
}

/* ---- VCPUOP periodic ---- */

/* A new vCPU has Xen's 100 Hz periodic timer, armed when it is first switched in: that
 * first switch ticks at once (no tick yet), then every 10 ms while it runs. */
Test(vcpu_timer, default_100hz_starts_at_switch_in)
{
    uint64_t now = harness.now_ns;

    cr_assert_eq(v->periodic_period_ns, 10 * MS);
    cr_assert_not(v->periodic_timer.active);
    switch_vcpus(dom0->vcpus[0], v);
    cr_assert_eq(virqs, 1);
    cr_assert_eq(v->periodic_timer.expires, now + 10 * MS);
    softirq_at(now + 10 * MS);
    cr_assert_eq(virqs, 2);
    softirq_at(now + 20 * MS);
    cr_assert_eq(virqs, 3);
}

/* Switched out, the periodic timer stops; switched in again, it ticks at once if a period
 * passed meanwhile, and the time record is fresh. */
Test(vcpu_timer, periodic_only_while_running)
{
    uint64_t now = harness.now_ns;
    uint32_t version;

    switch_vcpus(dom0->vcpus[0], v);
    switch_vcpus(v, dom0->vcpus[0]);
    cr_assert_not(v->periodic_timer.active);
    virqs = 0;
    softirq_at(now + 50 * MS);
    cr_assert_eq(virqs, 1, "only dom0's own catch-up tick");
    cr_assert_eq(virq_vcpu, dom0->vcpus[0]);
    version = v->vcpu_info->time.version;
    switch_vcpus(dom0->vcpus[0], v);
    cr_assert_eq(virqs, 2);
    cr_assert_eq(virq_vcpu, v);
    cr_assert_geq(v->vcpu_info->time.version, version + 2);
    cr_assert_eq(v->vcpu_info->time.version % 2, 0);
}

/*
 * set_periodic_timer: 1 ms to 2^62 - 1 ns.  As Xen 4.17: a tick at once (none came within
 * the period), then one every period; stop ends them.
 */
Test(vcpu_timer, set_and_stop_periodic)
{
    uint64_t now = harness.now_ns;

    cr_assert_eq(periodic(MS - 1), -XEN_EINVAL);
    cr_assert_eq(periodic(1ULL << 62), -XEN_EINVAL);
    cr_assert_eq(periodic(0), -XEN_EINVAL);
    cr_assert_eq(virqs, 0);
    cr_assert_eq(periodic(3 * MS), 0);
    cr_assert_eq(v->periodic_period_ns, 3 * MS);
    cr_assert_eq(virqs, 1);
    softirq_at(now + 3 * MS - 1);
    cr_assert_eq(virqs, 1);
    softirq_at(now + 3 * MS);
    softirq_at(now + 6 * MS);
    softirq_at(now + 9 * MS);
    cr_assert_eq(virqs, 4);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer, 0, 0), 0);
    cr_assert_eq(v->periodic_period_ns, 0);
    softirq_at(now + 100 * MS);
    cr_assert_eq(virqs, 4);
    cr_assert_eq(periodic((1ULL << 62) - 1), 0);
}

/* A new period set less than a period after the last tick waits for the rest of it. */
Test(vcpu_timer, periodic_reset_soon_after_a_tick_waits)
{
    uint64_t now = harness.now_ns;

    periodic(10 * MS);
    cr_assert_eq(virqs, 1);
    harness.now_ns = now + 4 * MS;
    periodic(5 * MS);
    cr_assert_eq(virqs, 1);
    cr_assert_eq(v->periodic_timer.expires, now + 5 * MS);
}

/* A late periodic tick does not burst: the next one is a period after the late one. */
Test(vcpu_timer, late_periodic_tick_does_not_burst)
{
    uint64_t now = harness.now_ns;

    periodic(2 * MS);
    softirq_at(now + 11 * MS);
    cr_assert_eq(virqs, 2);
    cr_assert_eq(v->periodic_timer.expires, now + 13 * MS);
}

/* Another vCPU's periodic timer is set the same way, on that vCPU's CPU (as Xen). */
Test(vcpu_timer, periodic_of_another_vcpu)
{
    struct vcpu *other = dom0->vcpus[0];
    struct vcpu_set_periodic_timer p = {.period_ns = 5 * MS};

    other->processor = 2;
    cr_assert_eq(vcpu_timer_op(VCPUOP_set_periodic_timer, other, guest_ptr(guest_put(&p, 8))), 0);
    collect();
    cr_assert_eq(other->periodic_period_ns, 5 * MS);
    cr_assert_eq(virqs, 1);
    cr_assert_eq(virq_vcpu, other);
    cr_assert(other->periodic_timer.active);
    cr_assert_eq(other->periodic_timer.cpu, 2);
}

/* ---- Poll timeout, going down, being freed ---- */

/* The poll timer wakes a vCPU still blocked in a poll, and nothing else. */
Test(vcpu_timer, poll_timer_wakes_a_polling_vcpu)
{
    uint64_t now = harness.now_ns;

    v->state = VCPU_BLOCKED;
    v->poll_deadline_ns = now + MS;
    vcpu_poll_timer_set(v, now + MS);
    softirq_at(now + MS);
    cr_assert_eq(harness_time.wakes, 1);
    cr_assert_eq(harness_time.last_woken, v);
    cr_assert_eq(v->state, VCPU_RUNNABLE);

    /* Blocked again, but in SCHEDOP_block (no poll deadline): a stale poll timer is ignored. */
    v->state = VCPU_BLOCKED;
    vcpu_poll_timer_set(v, now + 2 * MS);
    softirq_at(now + 2 * MS);
    cr_assert_eq(harness_time.wakes, 1);
    cr_assert_eq(v->state, VCPU_BLOCKED);

    vcpu_poll_timer_set(v, now + 3 * MS);
    vcpu_poll_timer_set(v, 0);
    cr_assert_not(v->poll_timer.active);
}

/* A vCPU going down (or its domain dying) leaves no timer armed. */
Test(vcpu_timer, stop_disarms_everything)
{
    uint64_t now = harness.now_ns;

    hc(__HYPERVISOR_set_timer_op, now + MS);
    periodic(MS);
    virqs = 0; /* the periodic timer's first tick */
    vcpu_poll_timer_set(v, now + MS);
    vcpu_time_stop(v);
    cr_assert_not(v->singleshot_timer.active || v->periodic_timer.active || v->poll_timer.active);
    softirq_at(now + 10 * MS);
    cr_assert_eq(virqs, 0);
}

/* A domain freed with timers still armed: they are gone from the CPU's list before its
 * vCPU's memory is (else the softirq would run a freed timer). */
Test(vcpu_timer, reaped_domain_leaves_no_timer)
{
    uint64_t now = harness.now_ns;

    hc(__HYPERVISOR_set_timer_op, now + MS);
    periodic(MS);
    virqs = 0; /* the periodic timer's first tick */
    harness_set_current(dom0);
    domain_shutdown(domu, SHUTDOWN_poweroff);
    domain_reap();
    cr_assert_null(domains[1]);
    softirq_at(now + 10 * MS);
    cr_assert_eq(virqs, 0);
}

/* New domains get the boot wallclock (set at vCPU 0's creation). */
Test(vcpu_timer, new_domain_gets_the_wallclock)
{
    struct domain *d;

    time_init();
    d = domain_create(7, "fresh", false, 1);
    cr_assert_not_null(d);
    cr_assert_eq(d->shared_info->wc_version % 2, 0);
    cr_assert_gt(d->shared_info->wc_version, 0);
    cr_assert_eq(d->shared_info->wc_sec, 1709210096 - 1); /* RTC read at now_ns() = 1 s */
}
