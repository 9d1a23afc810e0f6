/* SPDX-License-Identifier: MIT */
/*
 * bench, VIRQ_TIMER latency: how late a singleshot timer's event reaches the guest.
 *
 * Each shot sets VCPUOP_set_singleshot_timer DELAY_NS of system time ahead and blocks
 * (SCHEDOP_block, events on) until the VIRQ_TIMER handler has run; the handler's first act
 * is rdtsc. The deadline is turned into the TSC value at which system time reaches it, by
 * inverting the time record's scale, so the latency comes out in TSC cycles like every
 * other row: handler TSC - deadline TSC. It covers the APIC timer's rounding, the
 * interrupt, the hypervisor's timer softirq, waking and switching to the vCPU, the upcall
 * and the guest's pending-port scan. The row is the median of SHOTS shots; the log line
 * also gives the minimum, the maximum and the same in ns.
 */
#include <pvguest/events.h>
#include <pvguest/time.h>
#include "bench.h"

#define WARMUP   3
#define SHOTS    31 /* odd: one middle value */
#define DELAY_NS 1000000ULL

/* (hi:lo) / d for hi < d, with the CPU's 128-by-64 division (no libgcc here). */
static uint64_t div128(uint64_t hi, uint64_t lo, uint64_t d)
{
    uint64_t q, rem;

    __asm__("divq %4" : "=a"(q), "=d"(rem) : "a"(lo), "d"(hi), "rm"(d));
    return q;
}

/* ns of system time in TSC cycles, with the record's scale (ns < 2^63). */
static uint64_t ns_to_cycles(const struct pv_time_record *r, uint64_t ns)
{
    uint64_t shifted = div128(ns >> 32, ns << 32, r->mul);

    return r->shift < 0 ? shifted << -r->shift : shifted >> r->shift;
}

static uint64_t cycles_to_ns(const struct pv_time_record *r, uint64_t cycles)
{
    uint64_t shifted = r->shift < 0 ? cycles >> -r->shift : cycles << r->shift;

    return (uint64_t)(((unsigned __int128)shifted * r->mul) >> 32);
}

/* The TSC value at which system time is ns: the record's scale run backwards. */
static uint64_t tsc_at(const struct pv_time_record *r, uint64_t ns)
{
    if (ns >= r->system_time)
        return r->tsc_timestamp + ns_to_cycles(r, ns - r->system_time);
    return r->tsc_timestamp - ns_to_cycles(r, r->system_time - ns);
}

/* Signed cycles in ns. */
static long signed_ns(const struct pv_time_record *r, int64_t cycles)
{
    return cycles < 0 ? -(long)cycles_to_ns(r, (uint64_t)-cycles)
                      : (long)cycles_to_ns(r, (uint64_t)cycles);
}

static uint32_t timer_port;
static volatile uint64_t fired_tsc;
static volatile bool fired;
static volatile unsigned int strays;

static void on_event(unsigned int port)
{
    uint64_t now = pv_rdtsc();

    if (port == timer_port && !fired) {
        fired_tsc = now;
        fired = true;
    } else {
        strays++;
    }
}

/* One shot: cycles from the deadline to the handler, or INT64_MIN if the timer failed. */
static int64_t shot(void)
{
    struct pv_time_record r;
    uint64_t deadline;
    long rc;

    pv_time_read(0, &r);
    deadline = pv_time_at(&r, pv_rdtsc()) + DELAY_NS;
    fired = false;
    rc = pv_set_singleshot_timer(0, deadline, 0);
    if (rc) {
        pv_printf("bench: VCPUOP_set_singleshot_timer: %ld (%s)\n", rc, xen_errno_name((int)rc));
        return INT64_MIN;
    }
    /* Block re-enables events and returns once the upcall ran (or at once if pending). */
    while (!fired)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    pv_events_disable();
    return (int64_t)(fired_tsc - tsc_at(&r, deadline));
}

void bench_timer_latency(void)
{
    int64_t lat[SHOTS];
    struct pv_time_record r;
    bool ok = true;
    long rc;

    pv_time_read(0, &r);
    if (!r.mul) {
        pv_printf("bench: no system time in vcpu_info: timer_latency left out\n");
        return;
    }
    rc = pv_evtchn_bind_virq(VIRQ_TIMER, 0, &timer_port);
    if (rc) {
        pv_printf("bench: bind_virq(VIRQ_TIMER): %ld (%s)\n", rc, xen_errno_name((int)rc));
        bench_ok = false;
        return;
    }
    pv_set_event_handler(on_event);
    for (unsigned int i = 0; i < WARMUP + SHOTS; i++) {
        int64_t c = shot();

        if (c == INT64_MIN) {
            ok = false;
            break;
        }
        if (c < 0) {
            pv_printf("bench: VIRQ_TIMER %ld cycles before its deadline\n", (long)c);
            ok = false;
        }
        if (i >= WARMUP)
            lat[i - WARMUP] = c;
    }
    pv_set_event_handler(NULL);
    pv_evtchn_close(timer_port);
    if (!ok) {
        bench_ok = false;
        return;
    }
    if (strays)
        pv_printf("bench: %u events on other ports during the timer shots\n", strays);
    bench_sort(lat, SHOTS);
    pv_time_read(0, &r);
    pv_printf("bench: VIRQ_TIMER %lu ns ahead, %u shots: latency min %ld, median %ld, max %ld "
              "cycles = %ld, %ld, %ld ns\n",
              (unsigned long)DELAY_NS, SHOTS, (long)lat[0], (long)lat[SHOTS / 2],
              (long)lat[SHOTS - 1], signed_ns(&r, lat[0]), signed_ns(&r, lat[SHOTS / 2]),
              signed_ns(&r, lat[SHOTS - 1]));
    bench_report("timer_latency", (uint64_t)lat[SHOTS / 2]);
}
