/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor timers: call a function at a deadline on a given physical CPU.  Deadlines are
 * in system time (now_ns(), nanoseconds since boot).  Each CPU keeps its armed timers sorted
 * and programs its LAPIC timer for the earliest; the expired ones run from SOFTIRQ_TIMER on
 * that CPU, with interrupts disabled and the hypervisor's locks available.
 */
#ifndef XEN_LITE_TIMER_H
#define XEN_LITE_TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct timer {
    uint64_t expires; /* deadline in now_ns() time */
    void (*fn)(void *data);
    void *data;
    unsigned int cpu; /* the CPU whose list holds it */
    bool active;      /* armed, not yet run */
    struct timer *next;
};

/* Prepares t (not armed) to call fn(data) on CPU cpu. */
void init_timer(struct timer *t, void (*fn)(void *data), void *data, unsigned int cpu);

/* Arms (or re-arms) t for expires_ns; a deadline already passed fires at the next softirq. */
void set_timer(struct timer *t, uint64_t expires_ns);

/* Disarms t; a no-op if it is not armed. */
void stop_timer(struct timer *t);

/* Moves t to another CPU's list, keeping its deadline if armed. */
void migrate_timer(struct timer *t, unsigned int cpu);

/*
 * Disarms t for good before its memory is freed: like stop_timer(), and also waits until no
 * other CPU is still running its function.  Must not be called from t's own function.
 */
void kill_timer(struct timer *t);

/* Sets up this CPU's timer list and LAPIC timer (boot CPU from setup, others from smpboot). */
void timer_cpu_init(unsigned int cpu);

#endif
