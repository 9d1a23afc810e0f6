/* SPDX-License-Identifier: MIT */
/*
 * refuse-domu: a broken domU image is refused with its reason, and the others still run.
 *
 * test.conf boots an idle dom0, this test as domU "good", and a text file as domU "bad".
 * The hypervisor must refuse "bad" naming why (not an ELF image) and still build and run
 * "good", which checks it got the domain id after the refused one was attempted and
 * reports SUCCESS. A hypervisor that stops at the bad module, or crashes, never prints
 * the result line.
 */
#include <pvguest/test.h>

void test_main(void)
{
    const struct start_info *si = pv_start_info;

    xtf_check(strcmp(si->cmd_line, "good") == 0, "command line \"%.64s\", want \"good\"",
              si->cmd_line);
    xtf_check(!(si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN)), "domU has flags %#x", si->flags);
    xtf_success();
}
