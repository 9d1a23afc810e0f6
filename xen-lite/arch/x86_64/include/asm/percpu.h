/* SPDX-License-Identifier: MIT */
/* Per-physical-CPU data, reached through %gs while the hypervisor runs. */
#ifndef XEN_LITE_ASM_PERCPU_H
#define XEN_LITE_ASM_PERCPU_H

/*
 * While a guest runs, GS_BASE holds the guest's value and SHADOW_GS_BASE points at this
 * CPU's struct percpu; every entry from CPL 3 does `swapgs` first and every exit does it
 * last, so hypervisor code always finds its percpu at %gs:0.
 */
#define PCPU_self        0
#define PCPU_stack_top   8  /* top of the running vCPU's hypervisor stack (= TSS.rsp0) */
#define PCPU_scratch_rsp 16 /* guest rsp, saved by the syscall entry */
#define PCPU_current     24

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vcpu;

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

struct percpu {
    struct percpu *self;
    uint64_t stack_top;
    uint64_t scratch_rsp;
    struct vcpu *curr;
    unsigned int cpu_id;
    struct vcpu *idle;
    unsigned int softirq_pending; /* bit per enum softirq (softirq.h) */
    bool holds_hv_lock;           /* this CPU holds the hypervisor lock (spinlock.h) */
    struct tss64 tss __attribute__((aligned(16)));
};

_Static_assert(offsetof(struct percpu, stack_top) == PCPU_stack_top, "percpu layout");
_Static_assert(offsetof(struct percpu, scratch_rsp) == PCPU_scratch_rsp, "percpu layout");
_Static_assert(offsetof(struct percpu, curr) == PCPU_current, "percpu layout");

static inline struct percpu *this_cpu(void)
{
    struct percpu *p;

    asm volatile("mov %%gs:0, %0" : "=r"(p));
    return p;
}

static inline struct vcpu *get_current(void)
{
    struct vcpu *v;

    asm volatile("mov %%gs:%c1, %0" : "=r"(v) : "i"(PCPU_current));
    return v;
}
#define current get_current()
#endif

#endif
