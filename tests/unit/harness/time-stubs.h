/* SPDX-License-Identifier: MIT */
/* Harness: what time-stubs.c records of the arch time layer and the scheduler calls it gets. */
#ifndef HARNESS_TIME_STUBS_H
#define HARNESS_TIME_STUBS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct harness_time {
    uint64_t apic_deadline;        /* last apic_timer_program() value (0 = stopped) */
    unsigned int apic_programs;    /* apic_timer_program() calls */
    unsigned int apic_inits;       /* apic_timer_cpu_init() calls */
    uint64_t tsc_hz;               /* what tsc_freq_hz() answers */
    bool invariant_tsc;            /* what cpu_has_invariant_tsc() answers */
    struct rtc_regs rtc;           /* what cmos_rtc_read() reads */
    int rtc_rc;                    /* what cmos_rtc_read() returns */
    unsigned int sched_ticks;      /* sched_tick() calls */
    unsigned int wakes;            /* vcpu_wake() calls */
    const struct vcpu *last_woken; /* vcpu_wake()'s last argument */
};
extern struct harness_time harness_time;

#endif
