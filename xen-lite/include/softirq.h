/* SPDX-License-Identifier: MIT */
/*
 * Softirqs: work an interrupt handler defers to a safe point.  Interrupt handlers only
 * acknowledge the hardware and raise a softirq bit on their own CPU; the work runs later
 * with the hypervisor's normal locks available: on every exit to a guest and in the idle
 * loop (do_softirqs()).
 */
#ifndef XEN_LITE_SOFTIRQ_H
#define XEN_LITE_SOFTIRQ_H

#include <stdbool.h>

enum softirq {
    SOFTIRQ_TIMER,    /* this CPU's timer deadline passed: run expired timers */
    SOFTIRQ_SCHEDULE, /* pick another vCPU on this CPU */
    SOFTIRQ_PIRQ,     /* physical IRQs arrived for domains */
    NR_SOFTIRQS
};

typedef void (*softirq_handler_t)(void);

/* Installs the handler of one softirq (boot code). */
void open_softirq(enum softirq nr, softirq_handler_t handler);

/* Marks a softirq pending on this CPU.  Safe in interrupt context. */
void raise_softirq(enum softirq nr);

/* Marks a softirq pending on another CPU and makes that CPU notice. */
void raise_softirq_on(unsigned int cpu, enum softirq nr);

/* Runs this CPU's pending softirqs until none is left. */
void do_softirqs(void);

/* True if any softirq is pending on this CPU. */
bool softirq_pending(void);

#endif
