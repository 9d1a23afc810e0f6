/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the hypervisor timers (common/timer.c) and the time arithmetic of
 * common/time.c: TSC scale, RTC decoding, the time record and wallclock protocols.
 * Runs on the hc harness: now_ns() is harness.now_ns, the APIC timer is time-stubs.c.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <public/xen.h>
#include <sched.h>
#include <softirq.h>
#include <time.h>
#include <timer.h>
#include "harness/harness.h"
#include "harness/time-stubs.h"

/* ---- Timer lists ---- */

/* Which recording timers ran, in order (their ids). */
static int ran[32];
static unsigned int nr_ran;

static void record_fn(void *data)
{
    cr_assert_lt(nr_ran, ARRAY_SIZE(ran));
    ran[nr_ran++] = (int)(intptr_t)data;
}

static struct timer t[8];

static void arm(int id, uint64_t at)
{
    init_timer(&t[id], record_fn, (void *)(intptr_t)id, 0);
    set_timer(&t[id], at);
}

/* The softirq as it runs at system time `at`. */
static void softirq_at(uint64_t at)
{
    harness.now_ns = at;
    raise_softirq(SOFTIRQ_TIMER);
    do_softirqs();
}

static void expect_ran(const int *ids, unsigned int n)
{
    cr_assert_eq(nr_ran, n, "%u timers ran, expected %u", nr_ran, n);
    for (unsigned int i = 0; i < n; i++)
        cr_assert_eq(ran[i], ids[i], "run %u was timer %d, expected %d", i, ran[i], ids[i]);
}

/* The boot CPU set up as at boot (its own two timers armed, the APIC timer usable). */
static void timer_boot(void)
{
    harness_boot();
    timer_cpu_init(0);
}

TestSuite(timer, .init = timer_boot);

/* Due timers run earliest first; equal deadlines in the order they were armed. */
Test(timer, runs_due_timers_in_deadline_order)
{
    uint64_t now = harness.now_ns;

    arm(0, now + 3000);
    arm(1, now + 1000);
    arm(2, now + 2000);
    arm(3, now + 2000);
    softirq_at(now + 2500);
    expect_ran((int[]){1, 2, 3}, 3);
    cr_assert(t[0].active);
    cr_assert_not(t[1].active);
    softirq_at(now + 3000); /* exactly at the deadline: due */
    expect_ran((int[]){1, 2, 3, 0}, 4);
}

/* Nothing runs before its deadline, even when the softirq comes early. */
Test(timer, never_early)
{
    uint64_t now = harness.now_ns;

    arm(0, now + 1000);
    softirq_at(now + 999);
    cr_assert_eq(nr_ran, 0);
    softirq_at(now + 1000);
    cr_assert_eq(nr_ran, 1);
}

/* The APIC timer always holds the earliest deadline of the list. */
Test(timer, apic_timer_follows_the_head)
{
    uint64_t now = harness.now_ns;

    cr_assert_eq(harness_time.apic_inits, 1);
    cr_assert_eq(harness_time.apic_deadline, now + SCHED_TICK_NS, "the scheduler tick");
    arm(0, now + 5000);
    cr_assert_eq(harness_time.apic_deadline, now + 5000);
    arm(1, now + 7000); /* later than the head: nothing to reprogram */
    cr_assert_eq(harness_time.apic_deadline, now + 5000);
    softirq_at(now + 5000);
    cr_assert_eq(harness_time.apic_deadline, now + 7000);
    softirq_at(now + 7000);
    cr_assert_eq(harness_time.apic_deadline, now + SCHED_TICK_NS);
}

/* Re-arming moves the deadline (earlier or later); the timer runs once. */
Test(timer, rearm_moves_the_deadline)
{
    uint64_t now = harness.now_ns;

    arm(0, now + 1000);
    set_timer(&t[0], now + 4000);
    softirq_at(now + 2000);
    cr_assert_eq(nr_ran, 0);
    set_timer(&t[0], now + 3000);
    softirq_at(now + 3000);
    softirq_at(now + 5000);
    expect_ran((int[]){0}, 1);
}

/* A stopped timer never runs; stopping one that is not armed changes nothing. */
Test(timer, stop_disarms)
{
    uint64_t now = harness.now_ns;

    arm(0, now + 1000);
    arm(1, now + 2000);
    stop_timer(&t[0]);
    stop_timer(&t[0]);
    cr_assert_not(t[0].active);
    init_timer(&t[2], record_fn, (void *)2, 0);
    stop_timer(&t[2]);
    softirq_at(now + 3000);
    expect_ran((int[]){1}, 1);
}

/* A deadline already passed asks for the softirq at once and runs there. */
Test(timer, past_deadline_fires_at_the_next_softirq)
{
    uint64_t now = harness.now_ns;

    do_softirqs();
    cr_assert_not(softirq_pending());
    arm(0, now - 1);
    cr_assert(softirq_pending());
    do_softirqs();
    expect_ran((int[]){0}, 1);
}

/* A function may re-arm its own timer: it runs again at the new deadline, not in a loop. */
static unsigned int self_runs;
static struct timer self_timer;

static void self_rearm_fn(void *data)
{
    (void)data;
    self_runs++;
    set_timer(&self_timer, harness.now_ns + 1000);
}

Test(timer, function_can_rearm_its_timer)
{
    uint64_t now = harness.now_ns;

    init_timer(&self_timer, self_rearm_fn, NULL, 0);
    set_timer(&self_timer, now + 1000);
    softirq_at(now + 1000);
    cr_assert_eq(self_runs, 1);
    cr_assert_eq(self_timer.expires, now + 2000);
    softirq_at(now + 2500);
    cr_assert_eq(self_runs, 2);
}

/* One timer's function may stop another that is due in the same pass. */
static void stop_t1_fn(void *data)
{
    record_fn(data);
    stop_timer(&t[1]);
}

Test(timer, function_can_stop_a_due_timer)
{
    uint64_t now = harness.now_ns;

    init_timer(&t[0], stop_t1_fn, (void *)0, 0);
    set_timer(&t[0], now + 1000);
    arm(1, now + 1000);
    softirq_at(now + 2000);
    expect_ran((int[]){0}, 1);
}

/* A migrated timer keeps its deadline and runs on its new CPU only. */
Test(timer, migrate_moves_to_the_other_cpu)
{
    uint64_t now = harness.now_ns;

    arm(0, now + 1000);
    arm(1, now + 1000);
    migrate_timer(&t[0], 1);
    cr_assert_eq(t[0].cpu, 1);
    cr_assert(t[0].active);
    cr_assert_eq(t[0].expires, now + 1000);
    softirq_at(now + 2000); /* on CPU 0 */
    expect_ran((int[]){1}, 1);
    fake_percpu.cpu_id = 1;
    softirq_at(now + 2000); /* on CPU 1 */
    fake_percpu.cpu_id = 0;
    expect_ran((int[]){1, 0}, 2);
}

/* Migrating a disarmed timer only changes where it will run; migrating to its own CPU
 * changes nothing; re-arming after migrating uses the new CPU. */
Test(timer, migrate_disarmed_timer)
{
    uint64_t now = harness.now_ns;

    init_timer(&t[0], record_fn, (void *)0, 0);
    migrate_timer(&t[0], 0);
    migrate_timer(&t[0], 3);
    cr_assert_eq(t[0].cpu, 3);
    cr_assert_not(t[0].active);
    set_timer(&t[0], now + 10);
    softirq_at(now + 100);
    cr_assert_eq(nr_ran, 0);
    fake_percpu.cpu_id = 3;
    softirq_at(now + 100);
    fake_percpu.cpu_id = 0;
    expect_ran((int[]){0}, 1);
}

/* Migrating the new head of another CPU's list asks that CPU to reprogram (softirq). */
Test(timer, migrate_to_the_head_notifies_the_cpu)
{
    uint64_t now = harness.now_ns;

    do_softirqs();
    arm(0, now + 1000);
    do_softirqs();
    migrate_timer(&t[0], 1);
    cr_assert(softirq_pending());
}

/* kill_timer disarms for good (the vCPU is about to be freed). */
Test(timer, kill_disarms)
{
    uint64_t now = harness.now_ns;

    arm(0, now + 1000);
    kill_timer(&t[0]);
    softirq_at(now + 2000);
    cr_assert_eq(nr_ran, 0);
}

/* The scheduler tick runs every SCHED_TICK_NS, and late runs do not pile up. */
Test(timer, sched_tick_every_slice)
{
    uint64_t now = harness.now_ns;

    softirq_at(now + SCHED_TICK_NS - 1);
    cr_assert_eq(harness_time.sched_ticks, 0);
    softirq_at(now + SCHED_TICK_NS);
    cr_assert_eq(harness_time.sched_ticks, 1);
    softirq_at(now + 2 * SCHED_TICK_NS);
    cr_assert_eq(harness_time.sched_ticks, 2);
    softirq_at(now + 10 * SCHED_TICK_NS); /* very late: one run, then a slice from now */
    cr_assert_eq(harness_time.sched_ticks, 3);
    softirq_at(now + 11 * SCHED_TICK_NS - 1);
    cr_assert_eq(harness_time.sched_ticks, 3);
    softirq_at(now + 11 * SCHED_TICK_NS);
    cr_assert_eq(harness_time.sched_ticks, 4);
}

/* Every second the running vCPU's time record is rewritten (version + 2). */
Test(timer, running_vcpu_clock_refreshed_every_second)
{
    uint32_t v0 = current->vcpu_info->time.version;

    softirq_at(harness.now_ns + NS_PER_SEC);
    cr_assert_eq(current->vcpu_info->time.version, v0 + 2);
}

/* Before timer_cpu_init() the APIC timer is not touched; init programs what was armed. */
TestSuite(timer_early, .init = harness_boot);

Test(timer_early, armed_before_init_programmed_at_init)
{
    uint64_t now = harness.now_ns;

    arm(0, now + 1000);
    cr_assert_eq(harness_time.apic_programs, 0);
    timer_cpu_init(0);
    do_softirqs();
    cr_assert_eq(harness_time.apic_deadline, now + 1000);
}

/* ---- TSC scale ---- */

/* Frequencies from 1 MHz to 10 GHz: round ones, calibrated-looking ones, powers of two,
 * and the edges of the shift ranges (1e9, 2e9 and their neighbours). */
static const uint64_t freqs[] = {
    1000000,    1193182,    3579545,    14318180,   25000000,   100000000,   500000000,
    999999999,  1000000000, 1000000001, 1073741824, 1999999999, 2000000000,  2000000001,
    2007428000, 2100000000, 2400000000, 2899999999, 3000000000, 3600000007,  3999999999,
    4000000000, 4294967296, 5000000000, 7999999999, 8000000001, 10000000000,
};

/* Exact ns for delta ticks at hz, rounded down. */
static uint64_t exact_ns(uint64_t delta, uint64_t hz)
{
    return (uint64_t)((unsigned __int128)delta * NS_PER_SEC / hz);
}

/* mul/shift put the shifted rate in (1e9, 2e9] and keep 31+ bits of precision. */
Test(time_scale, shape)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(freqs); i++) {
        struct time_scale s = time_scale_from_hz(freqs[i]);
        /* rate = hz * 2^shift, compared exactly as hz * 2^max(shift, 0) vs x * 2^-min(..) */
        unsigned __int128 hz = (unsigned __int128)freqs[i] << (s.shift > 0 ? s.shift : 0);
        unsigned int down = s.shift < 0 ? -s.shift : 0;

        cr_assert(hz > ((unsigned __int128)NS_PER_SEC << down) &&
                      hz <= ((unsigned __int128)2 * NS_PER_SEC << down),
                  "hz %lu shift %d", freqs[i], s.shift);
        cr_assert_geq(s.mul, 1u << 31, "hz %lu mul %#x", freqs[i], s.mul);
    }
}

/* The scale against a direct 128-bit computation, from one tick up to a year of ticks:
 * never more than 2 ns plus 1 ns per 2^30 ns (~1 ppb) off, and never ahead. */
Test(time_scale, matches_128_bit_computation)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(freqs); i++) {
        uint64_t hz = freqs[i];
        struct time_scale s = time_scale_from_hz(hz);
        uint64_t year = hz * 366 * 86400 < hz ? UINT64_MAX / 2 : hz * 366 * 86400;

        for (uint64_t delta = 1; delta < year && delta; delta = delta * 3 + 7) {
            uint64_t want = exact_ns(delta, hz), got = time_scale_apply(delta, s);

            cr_assert_leq(got, want, "hz %lu delta %lu: %lu ns > exact %lu", hz, delta, got, want);
            cr_assert_leq(want - got, 2 + (want >> 30), "hz %lu delta %lu: %lu ns, exact %lu", hz,
                          delta, got, want);
        }
    }
}

/* mul is 1e9 * 2^(32 - shift) / hz rounded down: the largest that never runs ahead. */
Test(time_scale, mul_is_the_rounded_down_quotient)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(freqs); i++) {
        struct time_scale s = time_scale_from_hz(freqs[i]);
        unsigned __int128 num = (unsigned __int128)NS_PER_SEC << (32 - s.shift);

        cr_assert_leq((unsigned __int128)s.mul * freqs[i], num, "hz %lu", freqs[i]);
        cr_assert_gt((unsigned __int128)(s.mul + 1ULL) * freqs[i], num, "hz %lu", freqs[i]);
    }
}

/* ---- RTC decoding ---- */

struct rtc_case {
    struct rtc_regs r;
    int64_t unix_secs; /* -1: must be refused */
};

#define BCD24 0x02
#define BIN24 0x06
#define BCD12 0x00
#define BIN12 0x04

static const struct rtc_case rtc_cases[] = {
    /* 24-hour BCD and binary. */
    {{0x56, 0x34, 0x12, 0x29, 0x02, 0x24, BCD24}, 1709210096}, /* 2024-02-29 12:34:56 */
    {{56, 34, 12, 29, 2, 24, BIN24}, 1709210096},
    {{0x59, 0x59, 0x23, 0x31, 0x12, 0x99, BCD24}, 946684799},  /* 1999-12-31 23:59:59 */
    {{0x00, 0x00, 0x00, 0x01, 0x01, 0x70, BCD24}, 0},          /* 1970: year 70 is 19xx */
    {{0x00, 0x00, 0x00, 0x31, 0x12, 0x69, BCD24}, 3155673600}, /* 2069: year 69 is 20xx */
    {{8, 14, 3, 19, 1, 38, BIN24}, 2147483648},                /* past 2^31 seconds */
    {{59, 59, 23, 31, 12, 99, BIN24}, 946684799},
    /* 12-hour: 12 AM is midnight, 12 PM is noon, bit 7 is PM. */
    {{0x00, 0x00, 0x12, 0x04, 0x07, 0x01, BCD12}, 994204800},        /* 12 AM */
    {{0x00, 0x00, 0x92, 0x04, 0x07, 0x01, BCD12}, 994248000},        /* 12 PM */
    {{0x09, 0x05, 0x81, 0x04, 0x07, 0x01, BCD12}, 994251909},        /* 1:05:09 PM */
    {{9, 5, 0x80 | 1, 4, 7, 1, BIN12}, 994251909},                   /* binary, PM */
    {{0x00, 0x00, 0x01, 0x04, 0x07, 0x01, BCD12}, 994204800 + 3600}, /* 1 AM */
    /* Refused: BCD digits over 9, out-of-range fields, hour 0 or 13 in 12-hour mode. */
    {{0x5a, 0x00, 0x00, 0x01, 0x01, 0x24, BCD24}, -1},
    {{0x00, 0x60, 0x00, 0x01, 0x01, 0x24, BCD24}, -1},
    {{0x00, 0x00, 0x24, 0x01, 0x01, 0x24, BCD24}, -1},
    {{0x00, 0x00, 0x00, 0x00, 0x01, 0x24, BCD24}, -1},
    {{0x00, 0x00, 0x00, 0x32, 0x01, 0x24, BCD24}, -1},
    {{0x00, 0x00, 0x00, 0x31, 0x04, 0x24, BCD24}, -1},
    {{0x00, 0x00, 0x00, 0x01, 0x13, 0x24, BCD24}, -1},
    {{0x00, 0x00, 0x00, 0x01, 0x00, 0x24, BCD24}, -1},
    {{0x00, 0x00, 0x00, 0x01, 0x01, 0xa0, BCD24}, -1},
    {{0x00, 0x00, 0x00, 0x01, 0x01, 0x24, BCD12}, -1},
    {{0x00, 0x00, 0x13, 0x01, 0x01, 0x24, BCD12}, -1},
    {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, -1}, /* no RTC: the bus floats high */
};

ParameterizedTestParameters(rtc, decode)
{
    return cr_make_param_array(struct rtc_case, rtc_cases, ARRAY_SIZE(rtc_cases));
}

ParameterizedTest(const struct rtc_case *c, rtc, decode)
{
    int64_t secs = 12345;
    int rc = rtc_decode(&c->r, &secs);

    if (c->unix_secs < 0) {
        cr_assert_eq(rc, -XEN_EINVAL);
        cr_assert_eq(secs, 12345, "refused, yet written");
    } else {
        cr_assert_eq(rc, 0);
        cr_assert_eq(secs, c->unix_secs, "decoded %ld, expected %ld", secs, c->unix_secs);
    }
}

/* Day counts around the epoch, leap days and century rules. */
Test(rtc, days_from_civil)
{
    cr_assert_eq(days_from_civil(1970, 1, 1), 0);
    cr_assert_eq(days_from_civil(1969, 12, 31), -1);
    cr_assert_eq(days_from_civil(2000, 3, 1), 11017); /* 2000 is a leap year */
    cr_assert_eq(days_from_civil(2000, 2, 29), 11016);
    cr_assert_eq(days_from_civil(2100, 3, 1) - days_from_civil(2100, 2, 28), 1); /* 2100 is not */
    cr_assert_eq(days_from_civil(2024, 2, 29), 19782);
    cr_assert_eq(days_from_civil(2099, 12, 31), 47481);
    for (int64_t y = 1970; y < 2400; y++) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

        cr_assert_eq(days_from_civil(y + 1, 1, 1) - days_from_civil(y, 1, 1), leap ? 366 : 365,
                     "year %ld", y);
    }
}

/* ---- Time records and the wallclock ---- */

TestSuite(time, .init = harness_boot);

/* A record is written under an even->odd->even version, and extrapolating from it gives
 * the hypervisor's clock: the time of its own TSC stamp. */
Test(time, vcpu_record_protocol_and_contents)
{
    volatile struct vcpu_time_info *t = &current->vcpu_info->time;
    struct time_scale s;

    time_init();
    s = time_tsc_scale();
    t->version = 4;
    update_vcpu_system_time(current);
    cr_assert_eq(t->version, 6);
    cr_assert_eq(t->tsc_to_system_mul, s.mul);
    cr_assert_eq(t->tsc_shift, s.shift);
    cr_assert_eq(t->system_time, time_tsc_to_ns(t->tsc_timestamp));
    cr_assert_eq(t->flags, 0, "no invariant TSC, no TSC_STABLE");
    /* A guest that left an odd version behind still sees odd, then even. */
    t->version = 7;
    update_vcpu_system_time(current);
    cr_assert_eq(t->version, 10);
}

/* TSC_STABLE is set when the CPU has an invariant TSC. */
Test(time, stable_bit_with_invariant_tsc)
{
    harness_time.invariant_tsc = true;
    time_init();
    update_vcpu_system_time(current);
    cr_assert_eq(current->vcpu_info->time.flags, XEN_PVCLOCK_TSC_STABLE_BIT);
}

/* Extrapolating any record lands on time_tsc_to_ns() to within rounding, never ahead. */
Test(time, records_agree_with_the_clock)
{
    harness_time.tsc_hz = 2007428000;
    time_init();
    for (int i = 0; i < 1000; i++) {
        volatile struct vcpu_time_info *t = &current->vcpu_info->time;
        struct time_scale s;
        uint64_t later, direct, extrapolated;

        update_vcpu_system_time(current);
        s = (struct time_scale){t->tsc_to_system_mul, t->tsc_shift};
        later = t->tsc_timestamp + (uint64_t)i * i * 977 + 1;
        direct = time_tsc_to_ns(later);
        extrapolated = t->system_time + time_scale_apply(later - t->tsc_timestamp, s);
        cr_assert_leq(extrapolated, direct);
        cr_assert_leq(direct - extrapolated, 2, "off by %lu ns", direct - extrapolated);
    }
}

/* The wallclock is the RTC minus the system time it was read at, under wc_version. */
Test(time, wallclock_is_rtc_at_system_time_zero)
{
    volatile struct shared_info *si = domu->shared_info;

    harness.now_ns = 1500000000ULL; /* the RTC is read 1.5 s after system time 0 */
    time_init();
    si->wc_version = 3;
    update_domain_wallclock(domu);
    cr_assert_eq(si->wc_version, 6);
    cr_assert_eq(si->wc_sec, 1709210096 - 2); /* 2024-02-29 12:34:56 - 1.5 s */
    cr_assert_eq(si->wc_nsec, 500000000);
    cr_assert_eq(si->wc_sec_hi, 0);
}

/* Without a usable RTC the wallclock says 1970 rather than garbage. */
Test(time, wallclock_without_rtc)
{
    harness_time.rtc_rc = -1;
    time_init();
    update_domain_wallclock(domu);
    cr_assert_eq(domu->shared_info->wc_sec, 0);
    cr_assert(strstr(console_text(), "no usable CMOS RTC"));
}
