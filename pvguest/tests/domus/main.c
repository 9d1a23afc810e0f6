/* SPDX-License-Identifier: MIT */
/*
 * domus: two unprivileged domains built at boot run side by side.
 *
 * Booted as two domUs next to an idle dom0 (see test.conf); each instance reports its
 * own result, so the runner expects two "Test result:" lines. Each checks that it is
 * NOT privileged (no SIF_PRIVILEGED / SIF_INITDOMAIN: a domU that thinks it is dom0 can
 * take the machine), that its command line (the words after "--" in its module line)
 * names it "a" or "b", and that it has memory, a p2m and a working console.
 */
#include <pvguest/test.h>

void test_main(void)
{
    const struct start_info *si = pv_start_info;
    const char *name = si->cmd_line;

    pv_printf("domU \"%.64s\": nr_pages %lu flags %#x\n", name, (unsigned long)si->nr_pages,
              si->flags);
    xtf_check(!(si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN)),
              "domU %.64s has flags %#x: SIF_PRIVILEGED/SIF_INITDOMAIN must be clear", name,
              si->flags);
    xtf_check(strcmp(name, "a") == 0 || strcmp(name, "b") == 0,
              "command line \"%.64s\", want \"a\" or \"b\"", name);
    xtf_check(si->nr_pages > 0 && si->mfn_list != 0, "no memory or p2m list");
    xtf_check(memcmp(si->magic, XEN_START_INFO_MAGIC, sizeof(XEN_START_INFO_MAGIC)) == 0,
              "bad start_info magic");
    xtf_success();
}
