/* SPDX-License-Identifier: MIT */
/* Harness: asm/processor.h with every privileged instruction replaced by a fake CPU. */
#ifndef HARNESS_ASM_PROCESSOR_H
#define HARNESS_ASM_PROCESSOR_H

/*
 * The real header is included for its constants (CR0/EFLAGS bits, MSR numbers) with its
 * inline-asm functions renamed out of the way: they are never called, and the functions
 * below take their names with the same signatures.
 */
#define rdmsr             real_rdmsr
#define wrmsr             real_wrmsr
#define rdtsc             real_rdtsc
#define read_cr0          real_read_cr0
#define read_cr2          real_read_cr2
#define read_cr3          real_read_cr3
#define read_cr4          real_read_cr4
#define write_cr0         real_write_cr0
#define write_cr2         real_write_cr2
#define write_cr3         real_write_cr3
#define write_cr4         real_write_cr4
#define cpuid_count       real_cpuid_count
#define cpuid             real_cpuid
#define local_irq_disable real_local_irq_disable
#define local_irq_enable  real_local_irq_enable
#define safe_halt         real_safe_halt
#define cpu_relax         real_cpu_relax
#define invlpg            real_invlpg
#define flush_tlb_local   real_flush_tlb_local
#include "../../../../xen-lite/arch/x86_64/include/asm/processor.h"
#undef rdmsr
#undef wrmsr
#undef rdtsc
#undef read_cr0
#undef read_cr2
#undef read_cr3
#undef read_cr4
#undef write_cr0
#undef write_cr2
#undef write_cr3
#undef write_cr4
#undef cpuid_count
#undef cpuid
#undef local_irq_disable
#undef local_irq_enable
#undef safe_halt
#undef cpu_relax
#undef invlpg
#undef flush_tlb_local

#include <stdbool.h>

/* The fake CPU (harness.c): tests read and set it directly. */
struct fake_cpu {
    uint64_t cr[5];          /* cr0..cr4 */
    unsigned int cr3_writes; /* every write_cr3, so also every flush_tlb_local */
    unsigned int invlpgs;    /* invlpg count, and the last address */
    uint64_t last_invlpg;
    uint64_t tsc; /* advances by 1000 per rdtsc */
    bool irq_enabled;
};
extern struct fake_cpu fake_cpu;

/* The value slot of an MSR (any number; a fresh one reads 0). */
uint64_t *fake_msr(uint32_t msr);

static inline uint64_t rdmsr(uint32_t msr)
{
    return *fake_msr(msr);
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    *fake_msr(msr) = v;
}

static inline uint64_t rdtsc(void)
{
    return fake_cpu.tsc += 1000;
}

#define FAKE_CR(n)                                                                                 \
    static inline uint64_t read_cr##n(void)                                                        \
    {                                                                                              \
        return fake_cpu.cr[n];                                                                     \
    }                                                                                              \
    static inline void write_cr##n(uint64_t v)                                                     \
    {                                                                                              \
        fake_cpu.cr[n] = v;                                                                        \
        fake_cpu.cr3_writes += n == 3;                                                             \
    }
FAKE_CR(0)
FAKE_CR(2)
FAKE_CR(3)
FAKE_CR(4)
#undef FAKE_CR

/* No source under test asks for CPUID; a fake CPU that knows no leaves is enough. */
static inline struct cpuid_regs cpuid_count(uint32_t leaf, uint32_t sub)
{
    (void)leaf, (void)sub;
    return (struct cpuid_regs){0};
}

static inline struct cpuid_regs cpuid(uint32_t leaf)
{
    return cpuid_count(leaf, 0);
}

static inline void local_irq_disable(void)
{
    fake_cpu.irq_enabled = false;
}

static inline void local_irq_enable(void)
{
    fake_cpu.irq_enabled = true;
}

static inline void safe_halt(void)
{
    fake_cpu.irq_enabled = true;
}

static inline void cpu_relax(void)
{
}

static inline void invlpg(uint64_t va)
{
    fake_cpu.invlpgs++;
    fake_cpu.last_invlpg = va;
}

static inline void flush_tlb_local(void)
{
    write_cr3(read_cr3());
}

#endif
