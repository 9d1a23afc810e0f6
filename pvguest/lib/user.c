/* SPDX-License-Identifier: MIT */
/* Guest user mode: the user root page table and the C side of pv_run_user(). */
#include <pvguest/pvguest.h>

/* lib/entry.S */
long pv_run_user_asm(pv_user_fn fn, unsigned long user_rsp);
extern char pv_user_exit_trampoline[];

static bool user_base_set;

/*
 * The hypervisor refuses to enter user mode without a user L4. Ours is the kernel's own:
 * every guest mapping is user-accessible on a 64-bit PV guest, so user code sees the same
 * address space (start_info.pt_base is the boot L4's virtual address).
 */
static long set_user_base(void)
{
    struct mmuext_op op = {
        .cmd = MMUEXT_NEW_USER_BASEPTR,
        .arg1.mfn = pv_virt_to_mfn((const void *)pv_start_info->pt_base),
    };
    long rc;

    if (user_base_set)
        return 0;
    rc = HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
    if (rc == 0)
        user_base_set = true;
    return rc;
}

long pv_run_user(pv_user_fn fn, void *stack_top)
{
    uint64_t *sp = (uint64_t *)((unsigned long)stack_top & ~15UL);
    volatile uint8_t *mask = NULL;
    uint8_t saved_mask = 1;
    long rc = set_user_base();

    if (rc)
        return rc;

    /* fn is entered as if called: its return address leads to PV_SYS_EXIT. */
    *--sp = (uint64_t)pv_user_exit_trampoline;

    if (pv_shared_info) {
        mask = &pv_shared_info->vcpu_info[0].evtchn_upcall_mask;
        saved_mask = *mask;
    }
    rc = pv_run_user_asm(fn, (unsigned long)sp);
    if (mask)
        *mask = saved_mask;
    return rc;
}
