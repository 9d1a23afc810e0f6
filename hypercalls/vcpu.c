/* SPDX-License-Identifier: MIT */
/*
 * vcpu_op: bringing a domain's other vCPUs up and down, their runstate, and moving
 * vcpu_info out of shared_info.  Every command names a vCPU of the caller's own domain.
 */
#include <string.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <domain.h>
#include <heap.h>
#include <hypercall.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>
#include <page-type.h>
#include <pv-mm.h>
#include <sched.h>
#include <time.h>

/* Selectors a vCPU may start with: null, or RPL 3 (the guest's view of its own ring). */
static bool selector_ok(uint16_t sel)
{
    return sel == 0 || (sel & 3) == 3;
}

/* Check step of VCPUOP_initialise: everything that does not need a reference taken. */
static long context_check(const struct vcpu_guest_context *c)
{
    const struct xen_cpu_user_regs *r = &c->user_regs;

    if (!is_canonical(r->rip) || !is_canonical(r->rsp) || !is_canonical(c->kernel_sp) ||
        !is_canonical(c->event_callback_eip) || !is_canonical(c->failsafe_callback_eip) ||
        !is_canonical(c->syscall_callback_eip) || !is_canonical(c->fs_base) ||
        !is_canonical(c->gs_base_kernel) || !is_canonical(c->gs_base_user))
        return -XEN_EINVAL;
    if (!selector_ok(r->ds) || !selector_ok(r->es) || !selector_ok(r->fs) || !selector_ok(r->gs))
        return -XEN_EINVAL;
    if (c->gdt_ents > GUEST_GDT_ENTRIES || c->ldt_ents > LDT_ENTRIES || (c->ldt_base & 0xfff))
        return -XEN_EINVAL;
    if (!(c->ctrlreg[3] >> 12))
        return -XEN_EINVAL; /* no kernel page tables */
    if (!(c->flags & VGCF_in_kernel) && !(c->ctrlreg[1] >> 12))
        return -XEN_EINVAL; /* starting in user mode needs user page tables */
    return 0;
}

/*
 * VCPUOP_initialise: gives a vCPU that has never run its whole state, as Xen's
 * arch_set_info_guest does for PV: page tables, GDT, LDT, traps, callbacks, registers.
 */
static long vcpu_initialise(struct vcpu *v, guest_ptr_t arg)
{
    struct vcpu_guest_context *c;
    const struct xen_cpu_user_regs *ur;
    struct cpu_user_regs *r = v->regs;
    long rc;

    if (v->initialised)
        return -XEN_EEXIST;
    c = heap_alloc(sizeof(*c)); /* 5 KiB: too big for the hypervisor stack */
    if (!c)
        return -XEN_ENOMEM;
    rc = copy_from_guest(c, arg, sizeof(*c)) ? -XEN_EFAULT : context_check(c);
    /* References: roots first, then the GDT; each failure undoes what came before. */
    if (!rc)
        rc = pv_new_guest_cr3(v, c->ctrlreg[3] >> 12);
    if (!rc && (c->ctrlreg[1] >> 12)) {
        rc = pv_new_user_base(v, c->ctrlreg[1] >> 12);
        if (rc)
            pv_drop_roots(v);
    }
    if (!rc) {
        rc = pv_set_gdt(v, c->gdt_frames, (unsigned int)c->gdt_ents);
        if (rc)
            pv_drop_roots(v);
    }
    if (!rc && c->ldt_ents) {
        rc = pv_set_ldt(v, c->ldt_base, (unsigned int)c->ldt_ents);
        if (rc) {
            pv_set_gdt(v, NULL, 0);
            pv_drop_roots(v);
        }
    }
    if (rc) {
        heap_free(c, sizeof(*c));
        return rc;
    }

    /* Commit: nothing below can fail. */
    for (unsigned int i = 0; i < ARRAY_SIZE(c->trap_ctxt); i++) {
        const struct trap_info *ti = &c->trap_ctxt[i];

        if (ti->address && is_canonical(ti->address))
            v->traps[ti->vector] = (struct guest_trap){
                .address = ti->address, .dpl = TI_GET_DPL(ti), .mask_events = TI_GET_IF(ti) != 0};
    }
    v->cb_event = (struct guest_callback){.address = c->event_callback_eip};
    v->cb_failsafe =
        (struct guest_callback){.address = c->failsafe_callback_eip,
                                .mask_events = (c->flags & VGCF_failsafe_disables_events) != 0};
    v->cb_syscall =
        (struct guest_callback){.address = c->syscall_callback_eip,
                                .mask_events = (c->flags & VGCF_syscall_disables_events) != 0};
    v->kernel_ss = c->kernel_ss;
    v->kernel_sp = c->kernel_sp;
    v->fs_base = c->fs_base;
    v->gs_base_kernel = c->gs_base_kernel;
    v->gs_base_user = c->gs_base_user;
    v->sel_ds = c->user_regs.ds;
    v->sel_es = c->user_regs.es;
    v->sel_fs = c->user_regs.fs;
    v->sel_gs = c->user_regs.gs;
    v->kernel_mode = (c->flags & VGCF_in_kernel) != 0;
    if (c->flags & VGCF_i387_valid) {
        memcpy(v->fpu_area, c->fpu_ctxt.x, sizeof(v->fpu_area));
        v->fpu_initialised = true;
    }
    ur = &c->user_regs;
    *r = (struct cpu_user_regs){
        .r15 = ur->r15,
        .r14 = ur->r14,
        .r13 = ur->r13,
        .r12 = ur->r12,
        .rbp = ur->rbp,
        .rbx = ur->rbx,
        .r11 = ur->r11,
        .r10 = ur->r10,
        .r9 = ur->r9,
        .r8 = ur->r8,
        .rax = ur->rax,
        .rcx = ur->rcx,
        .rdx = ur->rdx,
        .rsi = ur->rsi,
        .rdi = ur->rdi,
        .rip = ur->rip,
        .rsp = ur->rsp,
        /* Ring 3 always; the guest's kernel/user distinction is kernel_mode. */
        .cs = v->kernel_mode ? FLAT_KERNEL_CS64 : (ur->cs | 3),
        .ss = v->kernel_mode ? FLAT_KERNEL_SS64 : (ur->ss | 3),
        /* The real IF stays on and IOPL 0: virtual IF is the upcall mask. */
        .rflags = (ur->rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_NT | X86_EFLAGS_VM)) | X86_EFLAGS_IF,
    };
    v->initialised = true;
    heap_free(c, sizeof(*c));
    return 0;
}

/*
 * VCPUOP_down: the vCPU stops until VCPUOP_up.  Taking the last one down powers the domain
 * off, as in Xen 4.17.
 */
static long vcpu_down(struct vcpu *v)
{
    struct domain *d = v->domain;

    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i] != v && d->vcpus[i]->state != VCPU_OFFLINE) {
            vcpu_offline(v);
            return 0;
        }
    domain_shutdown(d, SHUTDOWN_poweroff);
    return 0;
}

/*
 * VCPUOP_register_vcpu_info: moves v's vcpu_info into a frame of the domain's (needed for
 * vCPUs beyond the 32 slots of shared_info, and used by Linux for every vCPU).  Once only;
 * for the calling vCPU or one that is down.  Everything is marked pending afterwards so
 * that no event is lost in the move, as Xen does.
 */
static long register_vcpu_info(struct vcpu *v, guest_ptr_t arg)
{
    struct vcpu_register_vcpu_info r;
    struct vcpu_info *new;

    if (copy_from_guest(&r, arg, sizeof(r)))
        return -XEN_EFAULT;
    /* Off the page is -ENXIO, as in Xen; so is a misaligned one (atomic updates need it). */
    if (r.offset > 4096 - sizeof(struct vcpu_info) || r.offset % 8)
        return -XEN_ENXIO;
    if (r.rsvd)
        return -XEN_EINVAL;
    if (v->vcpu_info_mfn || (v != current && v->state != VCPU_OFFLINE))
        return -XEN_EINVAL;
    if (get_page_and_type(r.mfn, v->domain, PGT_writable))
        return -XEN_EINVAL;
    new = (struct vcpu_info *)((uint8_t *)mfn_to_virt(r.mfn) + r.offset);
    memcpy(new, v->vcpu_info, sizeof(*new));
    new->evtchn_upcall_pending = 1;
    new->evtchn_pending_sel = ~0UL;
    v->vcpu_info = new;
    v->vcpu_info_mfn = r.mfn;
    return 0;
}

long do_vcpu_op(struct hc_args *args)
{
    int cmd = hc_int(args, 0);
    unsigned int id = hc_uint(args, 1);
    guest_ptr_t arg = hc_ptr(args, 2);
    struct domain *d = current->domain;
    struct vcpu *v;

    /* As in Xen, a vCPU that does not exist is -ENOENT whatever the command. */
    if (id >= d->nr_vcpus || !d->vcpus[id])
        return -XEN_ENOENT;
    v = d->vcpus[id];
    switch (cmd) {
    case VCPUOP_initialise:
        return vcpu_initialise(v, arg);
    case VCPUOP_up:
        if (!v->initialised)
            return -XEN_EINVAL;
        vcpu_up(v);
        return 0;
    case VCPUOP_down:
        return vcpu_down(v);
    case VCPUOP_is_up:
        return v->state != VCPU_OFFLINE;
    case VCPUOP_set_periodic_timer:
    case VCPUOP_stop_periodic_timer:
    case VCPUOP_set_singleshot_timer:
    case VCPUOP_stop_singleshot_timer:
        return vcpu_timer_op(cmd, v, hc_ptr(args, 2));
    case VCPUOP_get_runstate_info: {
        struct vcpu_runstate_info rs = v->runstate;
        uint64_t now = now_ns();

        /* The current state's time so far counts too. */
        rs.time[rs.state] += now - rs.state_entry_time;
        rs.state_entry_time = now;
        return copy_to_guest(arg, &rs, sizeof(rs)) ? -XEN_EFAULT : 0;
    }
    case VCPUOP_register_runstate_memory_area: {
        struct vcpu_register_runstate_memory_area a;

        if (copy_from_guest(&a, arg, sizeof(a)))
            return -XEN_EFAULT;
        if (a.addr.p && !guest_range_ok(a.addr.p, sizeof(struct vcpu_runstate_info)))
            return -XEN_EINVAL;
        v->runstate_guest = a.addr.p;
        /* Filled in at once, through our page tables (the domain's), as Xen does. */
        runstate_publish(v);
        return 0;
    }
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(v, arg);
    case VCPUOP_register_vcpu_time_memory_area: {
        struct vcpu_register_time_memory_area a;

        /* As Xen: an address the guest may not use is -EFAULT; 0 stops the copies. */
        if (copy_from_guest(&a, arg, sizeof(a)))
            return -XEN_EFAULT;
        if (a.addr.p && !guest_range_ok(a.addr.p, sizeof(struct vcpu_time_info)))
            return -XEN_EFAULT;
        v->time_area_guest = a.addr.p;
        if (v == current)
            vcpu_time_area_publish(v);
        return 0;
    }
    }
    return -XEN_ENOSYS;
}
