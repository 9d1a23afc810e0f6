/* SPDX-License-Identifier: MIT */
/* x86_64 processor control: control registers, MSRs, CPUID, interrupt flag. */
#ifndef XEN_LITE_ASM_PROCESSOR_H
#define XEN_LITE_ASM_PROCESSOR_H

#include <stdint.h>

#define X86_CR0_PE (1UL << 0)
#define X86_CR0_MP (1UL << 1)
#define X86_CR0_EM (1UL << 2)
#define X86_CR0_TS (1UL << 3)
#define X86_CR0_NE (1UL << 5)
#define X86_CR0_WP (1UL << 16)
#define X86_CR0_AM (1UL << 18)
#define X86_CR0_PG (1UL << 31)

#define X86_CR4_TSD        (1UL << 2)
#define X86_CR4_DE         (1UL << 3)
#define X86_CR4_PSE        (1UL << 4)
#define X86_CR4_PAE        (1UL << 5)
#define X86_CR4_PGE        (1UL << 7)
#define X86_CR4_OSFXSR     (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)
#define X86_CR4_FSGSBASE   (1UL << 16)
#define X86_CR4_SMEP       (1UL << 20)

#define X86_EFLAGS_CF   (1UL << 0)
#define X86_EFLAGS_MBS  (1UL << 1) /* must be set */
#define X86_EFLAGS_ZF   (1UL << 6)
#define X86_EFLAGS_TF   (1UL << 8)
#define X86_EFLAGS_IF   (1UL << 9)
#define X86_EFLAGS_DF   (1UL << 10)
#define X86_EFLAGS_IOPL (3UL << 12)
#define X86_EFLAGS_NT   (1UL << 14)
#define X86_EFLAGS_RF   (1UL << 16)
#define X86_EFLAGS_VM   (1UL << 17)
#define X86_EFLAGS_AC   (1UL << 18)
#define X86_EFLAGS_VIF  (1UL << 19)
#define X86_EFLAGS_VIP  (1UL << 20)
#define X86_EFLAGS_ID   (1UL << 21)

#define MSR_EFER              0xC0000080
#define MSR_STAR              0xC0000081
#define MSR_LSTAR             0xC0000082
#define MSR_CSTAR             0xC0000083
#define MSR_SYSCALL_MASK      0xC0000084
#define MSR_FS_BASE           0xC0000100
#define MSR_GS_BASE           0xC0000101
#define MSR_SHADOW_GS_BASE    0xC0000102
#define MSR_TSC_AUX           0xC0000103
#define MSR_IA32_APIC_BASE    0x0000001B
#define MSR_IA32_SYSENTER_CS  0x174
#define MSR_IA32_SYSENTER_ESP 0x175
#define MSR_IA32_SYSENTER_EIP 0x176
#define MSR_IA32_PAT          0x00000277
#define MSR_IA32_MISC_ENABLE  0x000001A0
#define MSR_IA32_TSC          0x00000010

#define EFER_SCE (1UL << 0)
#define EFER_LME (1UL << 8)
#define EFER_LMA (1UL << 10)
#define EFER_NXE (1UL << 11)

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

#define DEFINE_CR(n)                                                                               \
    static inline uint64_t read_cr##n(void)                                                        \
    {                                                                                              \
        uint64_t v;                                                                                \
        asm volatile("mov %%cr" #n ", %0" : "=r"(v));                                              \
        return v;                                                                                  \
    }                                                                                              \
    static inline void write_cr##n(uint64_t v)                                                     \
    {                                                                                              \
        asm volatile("mov %0, %%cr" #n : : "r"(v) : "memory");                                     \
    }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid_count(uint32_t leaf, uint32_t sub)
{
    struct cpuid_regs r;

    asm volatile("cpuid"
                 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                 : "a"(leaf), "c"(sub));
    return r;
}

static inline struct cpuid_regs cpuid(uint32_t leaf)
{
    return cpuid_count(leaf, 0);
}

static inline void local_irq_disable(void)
{
    asm volatile("cli" ::: "memory");
}

static inline void local_irq_enable(void)
{
    asm volatile("sti" ::: "memory");
}

/* Enables interrupts and halts atomically: an interrupt pending at sti still wakes us. */
/* The data selectors now loaded: ds, es, fs, gs in that order. */
static inline void read_data_selectors(uint16_t sel[4])
{
    asm volatile("mov %%ds, %0" : "=m"(sel[0]));
    asm volatile("mov %%es, %0" : "=m"(sel[1]));
    asm volatile("mov %%fs, %0" : "=m"(sel[2]));
    asm volatile("mov %%gs, %0" : "=m"(sel[3]));
}

static inline void safe_halt(void)
{
    asm volatile("sti; hlt" ::: "memory");
}

static inline void cpu_relax(void)
{
    asm volatile("pause" ::: "memory");
}

static inline void invlpg(uint64_t va)
{
    asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Flushes every non-global TLB entry of this CPU. */
static inline void flush_tlb_local(void)
{
    write_cr3(read_cr3());
}

#endif
