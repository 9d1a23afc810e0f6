/* SPDX-License-Identifier: MIT */
/*
 * smp-maxcpus: maxcpus=1 on a 4-CPU machine starts no AP.
 *
 * The MADT still lists four CPUs, but only the boot CPU may run: no AP is sent an INIT or
 * reports in, and everything that needs no AP (IO-APIC routing to CPU0, the self-test's
 * PIT interrupt) still works.  Judged from the boot log (test.conf); this dom0 only proves
 * the machine still runs a guest.
 */
#include <pvguest/test.h>

void test_main(void)
{
    long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

    xtf_check(ver > 0, "xen_version(XENVER_version) returned %ld", ver);
    xtf_success();
}
