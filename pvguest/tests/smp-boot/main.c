/* SPDX-License-Identifier: MIT */
/*
 * smp-boot: the hypervisor starts every CPU of a 4-CPU machine and routes device interrupts.
 *
 * What is under test happens before this guest runs and is judged from the hypervisor's
 * boot log (test.conf, EXPECT_LOG): the MADT is parsed, the three APs come up through the
 * trampoline, and the smp_selftest option sends event-check and TLB-flush IPIs to each AP
 * (a changed mapping must be seen after the flush), has all CPUs flush each other at once,
 * and takes a PIT interrupt (edge) and an interrupt of QEMU's edu device (level, twice:
 * the second proves the EOI) through the IO-APIC on the last CPU.  This dom0 then checks
 * that the boot CPU still runs a guest normally with the APs parked: hypercalls and yields.
 */
#include <pvguest/test.h>

void test_main(void)
{
    long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

    xtf_check(ver > 0, "xen_version(XENVER_version) returned %ld", ver);
    for (int i = 0; i < 100; i++) {
        long rc = HYPERVISOR_sched_op(SCHEDOP_yield, NULL);

        if (!xtf_check(rc == 0, "SCHEDOP_yield returned %ld", rc))
            break;
    }
    xtf_success();
}
