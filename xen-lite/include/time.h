/* SPDX-License-Identifier: MIT */
/*
 * Time: system time (ns since boot, from the TSC), the wallclock, the per-vCPU time records
 * guests extrapolate from, and the vCPU timers behind VIRQ_TIMER and set_timer_op.
 */
#ifndef XEN_LITE_TIME_H
#define XEN_LITE_TIME_H

#include <stdbool.h>
#include <stdint.h>
#include <guest-access.h>

struct domain;
struct vcpu;

#define NS_PER_SEC 1000000000ULL

/*
 * A TSC-to-nanoseconds scale as Xen publishes it in vcpu_time_info:
 *   ns = ((delta << shift, or >> -shift if shift < 0) * mul) >> 32
 * The hypervisor's own clock (now_ns()) uses the very same scale, so a guest extrapolating
 * from any record it was given lands on the hypervisor's clock, give or take rounding.
 */
struct time_scale {
    uint32_t mul;
    int8_t shift;
};

/* The scale for a counter of hz ticks per second (1 kHz to 2^63 Hz; {0, 0} otherwise). */
struct time_scale time_scale_from_hz(uint64_t hz);

/* Applies a scale to a tick count (128-bit product: no overflow for any delta). */
static inline uint64_t time_scale_apply(uint64_t delta, struct time_scale s)
{
    if (s.shift < 0)
        delta >>= -s.shift;
    else
        delta <<= s.shift;
    return (uint64_t)(((unsigned __int128)delta * s.mul) >> 32);
}

/* The CMOS RTC registers time keeping needs, raw as read (BCD or binary, 12 or 24 hour). */
struct rtc_regs {
    uint8_t sec, min, hour, mday, mon, year;
    uint8_t status_b; /* register B: bit 1 = 24-hour mode, bit 2 = binary (else BCD) */
};

/*
 * Decodes an RTC reading into seconds since 1970-01-01 00:00:00 UTC (the RTC is taken to
 * keep UTC, as Xen assumes).  The RTC has no reliable century: years 70-99 are 19xx, 00-69
 * 20xx.  Returns 0, or -XEN_EINVAL if a field is out of range (a broken or absent RTC).
 */
int rtc_decode(const struct rtc_regs *r, int64_t *unix_secs);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1-12, day 1-31). */
int64_t days_from_civil(int64_t year, unsigned int month, unsigned int day);

/*
 * Boot: starts system time at 0 from the TSC calibrated by apic_time_init(), and reads
 * the RTC for the wallclock.  Before it, now_ns() is 0.
 */
void time_init(void);

/* System time (ns since boot) of a TSC value; now_ns() is time_tsc_to_ns(rdtsc()). */
uint64_t time_tsc_to_ns(uint64_t tsc);

/* The scale from TSC ticks to ns (what every vcpu_time_info carries). */
struct time_scale time_tsc_scale(void);

/*
 * Rewrites v's vcpu_time_info (version odd, fields, version even) from a fresh TSC reading.
 * Only for the vCPU running on this CPU or one being switched in: a record has one writer.
 */
void update_vcpu_system_time(struct vcpu *v);

/*
 * VCPUOP_register_vcpu_time_memory_area: copies v's time record to the guest address it
 * registered (version odd, fields, version even), through the page tables loaded now, which
 * must be v's.  A bad address simply gets no copy, as in Xen.
 */
void vcpu_time_area_publish(struct vcpu *v);

/* Writes d's wallclock (wc_sec/wc_nsec/wc_sec_hi = UTC at system time 0) under wc_version. */
void update_domain_wallclock(struct domain *d);

/*
 * vCPU life cycle (domain.c, sched.c): init sets up the timers and the default 100 Hz
 * periodic timer a PV vCPU has on Xen (and the domain's wallclock for vCPU 0); stop disarms
 * every timer when the vCPU goes down or its domain dies; destroy kills them before the
 * vCPU is freed.
 */
void vcpu_time_init(struct vcpu *v);
void vcpu_time_stop(struct vcpu *v);
void vcpu_time_destroy(struct vcpu *v);

/*
 * The scheduler's hook, called as prev is switched out and next in on this CPU: the
 * periodic timer only runs while its vCPU does (as on Xen); next gets a fresh time record,
 * and a periodic tick at once if one fell due while it was away.
 */
void time_vcpu_switch(struct vcpu *prev, struct vcpu *next);

/*
 * Arms v's singleshot timer (VIRQ_TIMER at deadline_ns, moved to this CPU); a deadline
 * already passed fires before the vCPU next returns to its guest.  0 disarms it.
 */
void vcpu_singleshot_timer_set(struct vcpu *v, uint64_t deadline_ns);

/*
 * Sets v's periodic timer period (0 = off).  As on Xen 4.17, the first tick comes at once
 * unless one came less than a period ago, then one every period (while v runs).
 */
void vcpu_periodic_timer_set(struct vcpu *v, uint64_t period_ns);

/*
 * SCHEDOP_poll's timeout: wakes v at deadline_ns if it is then still blocked in a poll
 * (poll_deadline_ns set).  0 disarms it; disarm it once the poll is over.
 */
void vcpu_poll_timer_set(struct vcpu *v, uint64_t deadline_ns);

/*
 * vcpu_op's timer commands for vCPU v of the caller (hypercalls/timer.c):
 * VCPUOP_set_periodic_timer, stop_periodic_timer, set_singleshot_timer,
 * stop_singleshot_timer.  Returns 0 or a negative Xen errno.
 */
long vcpu_timer_op(int cmd, struct vcpu *v, guest_ptr_t arg);

#endif
