/* SPDX-License-Identifier: MIT */
/* Catching expected exceptions: record the bounce frame and resume after a PV_TRY block. */
#include <pvguest/pvguest.h>

volatile struct pv_caught pv_caught;
volatile uint64_t pv_try_rip, pv_try_rsp, pv_fixup_rip;

static void catch_handler(struct pv_trap_frame *f)
{
    uint64_t fixup = pv_fixup_rip;

    pv_caught.frame = *f;
    pv_caught.cr2 = pv_read_cr2();
    pv_caught.frame_top = (uint64_t)&f->ss + sizeof(f->ss);
    pv_caught.count++;

    if (!fixup) {
        pv_printf("pvguest: caught vector %lu outside a PV_TRY block\n", (unsigned long)f->vector);
        pv_unhandled_trap(f);
    }
    pv_fixup_rip = 0;
    f->rip = fixup;
}

void pv_catch(unsigned int vector)
{
    pv_set_trap_handler(vector, catch_handler);
}
