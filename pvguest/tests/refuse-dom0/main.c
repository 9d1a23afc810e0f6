/* SPDX-License-Identifier: MIT */
/*
 * refuse-dom0: a dom0 image that requires a feature xen-lite lacks stops the hypervisor
 * with a message naming the feature (QEMU exit status 127: hypervisor panic).
 *
 * test.conf boots this test with FEATURES "!auto_translated_physmap" in its notes (see
 * features.S): the builder must refuse it before it runs. If it ever runs, it reports
 * FAILURE.
 */
#include <pvguest/test.h>

void test_main(void)
{
    xtf_failure("a dom0 that requires auto_translated_physmap was started");
}
