/* SPDX-License-Identifier: MIT */
/*
 * smp-iso: SMP bring-up on a 2-CPU machine booted by GRUB through Multiboot2.
 *
 * GRUB hands over a copy of the ACPI RSDP (Multiboot2 tags 14/15), which the hypervisor
 * must use instead of scanning the BIOS area; the AP comes up and the smp_selftest checks
 * IPIs, TLB shootdown and IO-APIC routing on the second CPU.  Judged from the boot log
 * (test.conf); this dom0 only proves the machine still runs a guest afterwards.
 */
#include <pvguest/test.h>

void test_main(void)
{
    long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

    xtf_check(ver > 0, "xen_version(XENVER_version) returned %ld", ver);
    xtf_success();
}
