/* SPDX-License-Identifier: MIT */
/*
 * cpuid: the forced-emulation prefix reaches the hypervisor's CPUID, with Xen's leaves.
 *
 * On a PV guest a plain `cpuid` runs natively and shows the real CPU; a kernel that wants
 * the hypervisor's view prefixes it with `ud2a; .ascii "xen"` (0f 0b 78 65 6e). Linux
 * finds Xen through leaf 0x40000000 this way and does no PV setup without it. Checked:
 *  - leaf 0x40000000: eax is a max leaf in 0x40000002..0x400000ff, ebx/ecx/edx spell
 *    "XenVMMXenVMM";
 *  - leaf 0x40000001: eax = (major << 16) | minor, equal to xen_version(XENVER_version);
 *  - leaf 0x40000002: eax = 1 hypercall page, ebx = 0x40000000 (MSR base);
 *  - the prefix followed by anything but cpuid (here nop) raises #UD at the prefix.
 * A plain cpuid is printed for information only (nothing is promised about it).
 */
#include <pvguest/test.h>

static void print_leaf(const char *what, uint32_t leaf, struct cpuid_regs r)
{
    pv_printf("%s %#010x: eax %#010x ebx %#010x ecx %#010x edx %#010x\n", what, leaf, r.eax, r.ebx,
              r.ecx, r.edx);
}

void test_main(void)
{
    struct cpuid_regs r0 = pv_cpuid_forced(0x40000000, 0);
    struct cpuid_regs r1 = pv_cpuid_forced(0x40000001, 0);
    struct cpuid_regs r2 = pv_cpuid_forced(0x40000002, 0);
    struct cpuid_regs native = pv_cpuid(0x40000000, 0);
    char sig[13];
    long ver = HYPERVISOR_xen_version(XENVER_version, NULL);
    unsigned long before;

    print_leaf("forced", 0x40000000, r0);
    print_leaf("forced", 0x40000001, r1);
    print_leaf("forced", 0x40000002, r2);
    print_leaf("native", 0x40000000, native);

    memcpy(sig, &r0.ebx, 4);
    memcpy(sig + 4, &r0.ecx, 4);
    memcpy(sig + 8, &r0.edx, 4);
    sig[12] = '\0';
    xtf_check((r0.eax & 0xffffff00) == 0x40000000 && r0.eax >= 0x40000002,
              "leaf 0x40000000 eax %#x is not a max leaf >= 0x40000002", r0.eax);
    xtf_check(r0.ebx == 0x566e6558 && r0.ecx == 0x65584d4d && r0.edx == 0x4d4d566e,
              "leaf 0x40000000 signature \"%s\", want \"XenVMMXenVMM\"", sig);
    xtf_check(ver > 0 && r1.eax == (uint32_t)ver, "leaf 0x40000001 eax %#x, xen_version says %#lx",
              r1.eax, (unsigned long)ver);
    xtf_check(r2.eax == 1, "leaf 0x40000002 eax %u hypercall pages, want 1", r2.eax);
    xtf_check(r2.ebx == 0x40000000, "leaf 0x40000002 ebx (MSR base) %#x, want 0x40000000", r2.ebx);

    pv_catch(X86_EXC_UD);
    before = pv_caught.count;
    __asm__ volatile(PV_TRY_BEGIN XEN_EMULATE_PREFIX "nop" PV_TRY_END ::: "r11", "memory");
    if (xtf_check(pv_caught.count == before + 1, "prefix + nop did not raise #UD")) {
        xtf_check(pv_caught.frame.vector == X86_EXC_UD, "prefix + nop raised vector %lu",
                  (unsigned long)pv_caught.frame.vector);
        xtf_check(pv_caught.frame.rip == pv_try_rip, "prefix + nop: #UD at %#lx, want %#lx",
                  (unsigned long)pv_caught.frame.rip, (unsigned long)pv_try_rip);
    }

    xtf_success();
}
