/* SPDX-License-Identifier: MIT */
/* Trap and callback registration, stack_switch, fpu_taskswitch and the iret hypercall. */
#include <public/callback.h>
#include <public/xen.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <console.h>
#include <domain.h>
#include <hypercall.h>
#include <lib.h>

/* Entries are copied one by one until the terminating entry (address 0). */
long do_set_trap_table(struct hc_args *args)
{
    guest_ptr_t list = hc_ptr(args, 0);
    struct vcpu *v = current;

    if (guest_ptr_is_null(list)) {
        for (unsigned int i = 0; i < ARRAY_SIZE(v->traps); i++)
            v->traps[i] = (struct guest_trap){0};
        return 0;
    }
    for (uint64_t i = 0;; i++) {
        struct trap_info ti;

        /* An endless list must not hold the CPU: continue later from here (as Xen). */
        if (i && i % 64 == 0 && hypercall_preempt_check(args)) {
            args->a[0] = list.va + i * sizeof(ti);
            return -XEN_ERESTART;
        }
        if (copy_from_guest_elem(&ti, list, i, sizeof(ti)))
            return -XEN_EFAULT;
        if (ti.address == 0)
            return 0;
        if (!is_canonical(ti.address))
            return -XEN_EINVAL;
        v->traps[ti.vector] = (struct guest_trap){
            .address = ti.address,
            .dpl = TI_GET_DPL(&ti),
            .mask_events = TI_GET_IF(&ti) != 0,
        };
    }
}

static struct guest_callback *callback_slot(struct vcpu *v, unsigned int type)
{
    switch (type) {
    case CALLBACKTYPE_event:
        return &v->cb_event;
    case CALLBACKTYPE_failsafe:
        return &v->cb_failsafe;
    case CALLBACKTYPE_syscall:
        return &v->cb_syscall;
    case CALLBACKTYPE_syscall32:
        return &v->cb_syscall32;
    case CALLBACKTYPE_sysenter:
        return &v->cb_sysenter;
    case CALLBACKTYPE_nmi:
        return &v->cb_nmi;
    }
    return NULL;
}

static long register_callback(const struct callback_register *cb)
{
    struct guest_callback *slot = callback_slot(current, cb->type);

    if (!is_canonical(cb->address)) /* checked first, as in Xen */
        return -XEN_EINVAL;
    if (!slot)
        return -XEN_ENOSYS;
    slot->address = cb->address;
    slot->mask_events = (cb->flags & CALLBACKF_mask_events) != 0;
    return 0;
}

long do_callback_op(struct hc_args *args)
{
    int cmd = hc_int(args, 0);
    guest_ptr_t arg = hc_ptr(args, 1);

    switch (cmd) {
    case CALLBACKOP_register: {
        struct callback_register cb;

        if (copy_from_guest(&cb, arg, sizeof(cb)))
            return -XEN_EFAULT;
        return register_callback(&cb);
    }
    case CALLBACKOP_unregister: {
        struct callback_unregister cb;
        struct guest_callback *slot;

        if (copy_from_guest(&cb, arg, sizeof(cb)))
            return -XEN_EFAULT;
        slot = callback_slot(current, cb.type);
        if (!slot)
            return -XEN_ENOSYS;
        /* As in Xen, only the NMI callback can be removed; the others can be replaced. */
        if (cb.type != CALLBACKTYPE_nmi)
            return -XEN_EINVAL;
        *slot = (struct guest_callback){0};
        return 0;
    }
    }
    return -XEN_ENOSYS;
}

/*
 * The legacy form: event, failsafe and syscall entry points in one call.  As in Xen each is
 * registered on its own (a non-canonical one is skipped), with no flags, and the call
 * always succeeds.
 */
long do_set_callbacks(struct hc_args *args)
{
    const struct callback_register cbs[] = {
        {.type = CALLBACKTYPE_event, .address = hc_u64(args, 0)},
        {.type = CALLBACKTYPE_failsafe, .address = hc_u64(args, 1)},
        {.type = CALLBACKTYPE_syscall, .address = hc_u64(args, 2)},
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(cbs); i++)
        register_callback(&cbs[i]);
    return 0;
}

/* Where bounces from guest user mode put the guest kernel's stack. */
long do_stack_switch(struct hc_args *args)
{
    struct vcpu *v = current;

    v->kernel_ss = hc_u64(args, 0) | 3;
    v->kernel_sp = hc_u64(args, 1);
    return 0;
}

long do_fpu_taskswitch(struct hc_args *args)
{
    struct vcpu *v = current;

    v->fpu_ts = hc_int(args, 0) != 0;
    if (v->fpu_ts)
        write_cr0(read_cr0() | X86_CR0_TS);
    else
        asm volatile("clts");
    return 0;
}

/*
 * iret: the guest's stub pushed rcx, r11 and rax over a frame of flags, rip, cs, rflags,
 * rsp, ss.  Restores that context; an RPL-3 CS means "return to guest user mode".  The
 * result is the saved rax, so the dispatcher's write of the return value restores it.
 */
long do_iret(struct hc_args *args)
{
    struct cpu_user_regs *regs = args->regs;
    struct vcpu *v = current;
    struct iret_context ic;

    if (args->in_multicall)
        return -XEN_EINVAL;
    if (copy_from_guest(&ic, guest_ptr(regs->rsp), sizeof(ic)))
        domain_crash_current("iret: frame at rsp %#lx is not readable", regs->rsp);
    if ((ic.cs & 3) == 3) {
        if (!v->guest_table_user)
            domain_crash_current("iret to user mode without a user page table "
                                 "(MMUEXT_NEW_USER_BASEPTR)");
        pv_toggle_guest_mode(v);
    }
    regs->rip = ic.rip;
    /* Only the selector counts: guests may pass the bounce frame's CS slot back as is. */
    regs->cs = (uint16_t)ic.cs | 3;
    regs->rflags =
        (ic.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) | X86_EFLAGS_IF | X86_EFLAGS_MBS;
    regs->rsp = ic.rsp;
    regs->ss = (uint16_t)ic.ss | 3;
    if (!(ic.flags & VGCF_in_syscall)) {
        regs->r11 = ic.r11;
        regs->rcx = ic.rcx;
    }
    v->vcpu_info->evtchn_upcall_mask = !(ic.rflags & X86_EFLAGS_IF);
    return (long)ic.rax;
}
