/* SPDX-License-Identifier: MIT */
/*
 * idle: a dom0 that only announces itself and then sleeps, for tests whose interesting
 * guests are boot-time domUs. SCHEDOP_block unmasks events and sleeps until one is
 * pending (the library's event callback acknowledges it); yield if block is refused.
 */
#include <pvguest/pvguest.h>

void pv_main(void)
{
    pv_puts("idle dom0 up");
    for (;;)
        if (HYPERVISOR_sched_op(SCHEDOP_block, NULL) != 0)
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}
