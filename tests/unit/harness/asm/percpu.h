/* SPDX-License-Identifier: MIT */
/* Harness: asm/percpu.h with the %gs-relative accessors replaced by one fake CPU's data. */
#ifndef HARNESS_ASM_PERCPU_H
#define HARNESS_ASM_PERCPU_H

/* The real struct percpu and offsets; its %gs accessors renamed out of the way, unused. */
#define this_cpu    real_this_cpu
#define get_current real_get_current
#include "../../../../xen-lite/arch/x86_64/include/asm/percpu.h"
#undef this_cpu
#undef get_current
#undef current

/* The one CPU (harness.c).  Tests pick the running vCPU with fake_percpu.curr. */
extern struct percpu fake_percpu;

static inline struct percpu *this_cpu(void)
{
    return &fake_percpu;
}

static inline struct vcpu *get_current(void)
{
    return fake_percpu.curr;
}
#define current get_current()

#endif
