/* SPDX-License-Identifier: MIT */
/* The CPUID a PV guest sees, and the forced-emulation prefix that asks for it. */
#include <string.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <domain.h>
#include <guest-access.h>
#include <version.h>

/* ud2a; .ascii "xen" — then cpuid: "hypervisor, emulate this cpuid". */
static const uint8_t forced_prefix[] = {0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x0f, 0xa2};

void pv_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    struct cpuid_regs r;

    switch (leaf) {
    case 0x40000000: /* max leaf and signature "XenVMMXenVMM" */
        out[0] = 0x40000005;
        out[1] = 0x566e6558;
        out[2] = 0x65584d4d;
        out[3] = 0x4d4d566e;
        return;
    case 0x40000001: /* version: major << 16 | minor */
        out[0] = (XL_XEN_MAJOR << 16) | XL_XEN_MINOR;
        out[1] = out[2] = out[3] = 0;
        return;
    case 0x40000002: /* one hypercall page; MSR 0x40000000 would load it (HVM only) */
        out[0] = 1;
        out[1] = 0x40000000;
        out[2] = out[3] = 0;
        return;
    case 0x40000003: /* time: TSC in native mode; ecx = TSC kHz */
    case 0x40000004: /* HVM features: none for PV */
    case 0x40000005: /* PV features: none advertised */
        out[0] = out[1] = out[2] = out[3] = 0;
        return;
    }
    r = cpuid_count(leaf, subleaf);
    if (leaf == 1) {
        /* Hide what a ring-3 kernel cannot use; say there is a hypervisor. */
        r.ecx &= ~((1u << 3) | (1u << 5) | (1u << 21) | (1u << 24) | (1u << 26) | (1u << 27) |
                   (1u << 28));
        r.ecx |= 1u << 31;
    } else if (leaf == 7 && subleaf == 0) {
        r.ebx &= ~((1u << 0) | (1u << 5) | (1u << 7) | (1u << 10) | (1u << 16) | (1u << 17) |
                   (1u << 20) | (1u << 21) | (1u << 26) | (1u << 27) | (1u << 28) | (1u << 30) |
                   (1u << 31));
        r.ecx = 0;
    } else if (leaf == 0xd) {
        r.eax = r.ebx = r.ecx = r.edx = 0;
    }
    out[0] = r.eax;
    out[1] = r.ebx;
    out[2] = r.ecx;
    out[3] = r.edx;
}

bool pv_emulate_forced_cpuid(struct cpu_user_regs *regs)
{
    uint8_t insn[sizeof(forced_prefix)];
    uint32_t out[4];

    if (copy_from_guest(insn, guest_ptr(regs->rip), sizeof(insn)) ||
        memcmp(insn, forced_prefix, sizeof(insn)) != 0)
        return false;
    pv_cpuid((uint32_t)regs->rax, (uint32_t)regs->rcx, out);
    regs->rax = out[0];
    regs->rbx = out[1];
    regs->rcx = out[2];
    regs->rdx = out[3];
    regs->rip += sizeof(forced_prefix);
    return true;
}
