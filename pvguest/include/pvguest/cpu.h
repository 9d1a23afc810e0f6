/* SPDX-License-Identifier: MIT */
/* Small CPU helpers: cpuid (native and forced-emulation), rdtsc, flags, control registers. */
#ifndef PVGUEST_CPU_H
#define PVGUEST_CPU_H

#include <stdint.h>
#include <public/xen.h>

#define X86_EFLAGS_CF    0x00000001UL
#define X86_EFLAGS_FIXED 0x00000002UL /* bit 1 always reads as 1 */
#define X86_EFLAGS_TF    0x00000100UL
#define X86_EFLAGS_IF    0x00000200UL
#define X86_EFLAGS_DF    0x00000400UL
#define X86_EFLAGS_IOPL  0x00003000UL
#define X86_EFLAGS_NT    0x00004000UL
#define X86_EFLAGS_RF    0x00010000UL
#define X86_EFLAGS_AC    0x00040000UL

#define X86_CR0_PE  0x00000001UL
#define X86_CR0_TS  0x00000008UL
#define X86_CR0_AM  0x00040000UL
#define X86_CR0_PG  0x80000000UL
#define X86_CR4_TSD 0x00000004UL
#define X86_CR4_PAE 0x00000020UL

/* Exception vectors. */
#define X86_EXC_DE  0
#define X86_EXC_DB  1
#define X86_EXC_NMI 2
#define X86_EXC_BP  3
#define X86_EXC_OF  4
#define X86_EXC_BR  5
#define X86_EXC_UD  6
#define X86_EXC_NM  7
#define X86_EXC_DF  8
#define X86_EXC_TS  10
#define X86_EXC_NP  11
#define X86_EXC_SS  12
#define X86_EXC_GP  13
#define X86_EXC_PF  14
#define X86_EXC_MF  16
#define X86_EXC_AC  17
#define X86_EXC_MC  18
#define X86_EXC_XM  19

/* Page-fault error code bits. */
#define X86_PFEC_PRESENT 0x01
#define X86_PFEC_WRITE   0x02
#define X86_PFEC_USER    0x04

struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

/* Native cpuid: on a PV guest this runs unintercepted and shows the real CPU. */
static inline struct cpuid_regs pv_cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_regs r;

    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "0"(leaf), "2"(subleaf));
    return r;
}

/*
 * Forced-emulation cpuid: the prefix `ud2a; .ascii "xen"` (0f 0b 78 65 6e) in front of
 * `cpuid` (0f a2) makes the hypervisor emulate the cpuid, showing its own policy and the
 * hypervisor leaves at 0x40000000.
 */
static inline struct cpuid_regs pv_cpuid_forced(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_regs r;

    __asm__ volatile(XEN_CPUID
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "0"(leaf), "2"(subleaf));
    return r;
}

/* Time-stamp counter (allowed at CPL 3: the hypervisor keeps CR4.TSD clear). */
static inline uint64_t pv_rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline unsigned long pv_read_flags(void)
{
    unsigned long f;

    __asm__ volatile("pushfq; popq %0" : "=r"(f));
    return f;
}

static inline unsigned int pv_read_cs(void)
{
    unsigned int cs;

    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    return cs & 0xffff;
}

static inline unsigned int pv_read_ss(void)
{
    unsigned int ss;

    __asm__ volatile("mov %%ss, %0" : "=r"(ss));
    return ss & 0xffff;
}

/* Control-register reads are privileged: they #GP at CPL 3 and Xen emulates them. */
static inline unsigned long pv_read_cr0(void)
{
    unsigned long v;

    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static inline unsigned long pv_read_cr4(void)
{
    unsigned long v;

    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

#endif /* PVGUEST_CPU_H */
