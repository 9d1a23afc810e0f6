/* SPDX-License-Identifier: MIT */
/* PV guest exceptions and syscalls: bounce frames in Xen's layout, mode switches, upcalls. */
#include <stddef.h>
#include <string.h>
#include <public/callback.h>
#include <public/xen.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <console.h>
#include <domain.h>
#include <guest-access.h>
#include <hypercall.h>
#include <lib.h>
#include <sched.h>
#include <softirq.h>
#include <spinlock.h>

/* Vectors for which the CPU pushes an error code (and so does Xen's bounce frame). */
static bool vector_has_ec(unsigned int vec)
{
    return vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21;
}

void pv_toggle_guest_mode(struct vcpu *v)
{
    /* While the hypervisor runs, the guest's live GS base sits in SHADOW_GS_BASE. */
    uint64_t live = rdmsr(MSR_SHADOW_GS_BASE);

    if (v->kernel_mode) {
        v->gs_base_kernel = live;
        wrmsr(MSR_SHADOW_GS_BASE, v->gs_base_user);
        write_cr3(v->guest_table_user << 12);
    } else {
        v->gs_base_user = live;
        wrmsr(MSR_SHADOW_GS_BASE, v->gs_base_kernel);
        write_cr3(v->guest_table << 12);
    }
    v->kernel_mode = !v->kernel_mode;
}

/*
 * Builds a bounce frame with `nr_extra` words (an error code, or the failsafe callback's
 * four data selectors) between r11 and rip, and points the guest at handler.
 */
static void bounce_frame(struct vcpu *v, uint64_t handler, const uint64_t *extra,
                         unsigned int nr_extra, bool mask_events)
{
    struct cpu_user_regs *r = v->regs;
    struct vcpu_info *vi = v->vcpu_info;
    bool was_kernel = v->kernel_mode;
    uint64_t saved_mask = vi->evtchn_upcall_mask;
    uint64_t frame[11];
    unsigned int n = 0;
    uint64_t rsp;

    if (!was_kernel) {
        pv_toggle_guest_mode(v);
        rsp = v->kernel_sp;
    } else {
        rsp = r->rsp;
    }
    rsp &= ~0xfULL;

    /* Lowest address first: rcx, r11, [error code | ds, es, fs, gs], rip, cs, rflags, rsp, ss. */
    frame[n++] = r->rcx;
    frame[n++] = r->r11;
    for (unsigned int i = 0; i < nr_extra; i++)
        frame[n++] = extra[i];
    frame[n++] = r->rip;
    /* The guest kernel sees RPL 0 for itself; bits 32-39 carry the saved upcall mask. */
    frame[n++] = (was_kernel ? (r->cs & ~3ULL) : r->cs) | (saved_mask << 32);
    frame[n++] = (r->rflags & ~X86_EFLAGS_IF) | (saved_mask ? 0 : X86_EFLAGS_IF);
    frame[n++] = r->rsp;
    frame[n++] = r->ss;
    rsp -= n * 8;
    if (copy_to_guest(guest_ptr(rsp), frame, n * 8))
        domain_crash_current("cannot write a bounce frame to the guest kernel stack at %#lx", rsp);

    r->rsp = rsp;
    r->rip = handler;
    r->cs = FLAT_KERNEL_CS64;
    r->ss = FLAT_KERNEL_SS64;
    r->rflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF | X86_EFLAGS_AC | X86_EFLAGS_VM);
    r->rflags |= X86_EFLAGS_IF | X86_EFLAGS_MBS;
    if (mask_events)
        vi->evtchn_upcall_mask = 1;
}

void pv_bounce(struct vcpu *v, uint64_t handler, bool has_ec, uint64_t ec, bool mask_events)
{
    bounce_frame(v, handler, &ec, has_ec ? 1 : 0, mask_events);
}

void pv_failsafe_owed(struct vcpu *v, const uint16_t sel[4])
{
    for (unsigned int i = 0; i < 4; i++)
        v->failsafe_sel[i] = sel[i];
    v->failsafe_pending = true;
}

/*
 * The failsafe callback, as Xen delivers it when it cannot restore a guest's segment
 * state: a bounce frame with the selectors it could not load (ds, es, fs, gs) between r11
 * and rip, events masked if the callback was registered so.  The guest fixes its selectors
 * and returns with iret.  Without a callback there is nothing the guest can do: crash it.
 */
static void deliver_failsafe(struct vcpu *v)
{
    const uint16_t *s = v->failsafe_sel;
    const uint64_t sel[4] = {s[0], s[1], s[2], s[3]};

    v->failsafe_pending = false;
    if (!v->cb_failsafe.address)
        domain_crash_current("segment state cannot be restored (ds %#x es %#x fs %#x gs %#x) "
                             "and no failsafe callback is registered",
                             s[0], s[1], s[2], s[3]);
    bounce_frame(v, v->cb_failsafe.address, sel, 4, v->cb_failsafe.mask_events);
}

void pv_inject_exception(struct cpu_user_regs *regs, unsigned int vec, bool has_ec, uint64_t ec)
{
    struct vcpu *v = current;
    const struct guest_trap *t = &v->traps[vec & 0xff];

    if (!t->address)
        domain_crash_current("%s at rip %#lx (error code %#lx) and the guest has no handler",
                             vector_name(vec), regs->rip, ec);
    pv_bounce(v, t->address, has_ec, ec, t->mask_events);
}

/* `int N` arrives as #GP (DPL 0 gate).  Decode it: QEMU 7.2's error code is wrong. */
static bool handle_soft_int(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    uint8_t insn[2];
    const struct guest_trap *t;

    if (copy_from_guest(insn, guest_ptr(regs->rip), 2) || insn[0] != 0xcd)
        return false;
    t = &v->traps[insn[1]];
    /* Xen treats the guest kernel as ring 1 here: DPL >= 1 lets it in, user needs DPL 3. */
    if (!t->address || t->dpl < (v->kernel_mode ? 1 : 3)) {
        pv_inject_exception(regs, 13, true, ((uint64_t)insn[1] << 3) | 2);
        return true;
    }
    regs->rip += 2;
    pv_bounce(v, t->address, false, 0, t->mask_events);
    return true;
}

void pv_guest_exception(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    unsigned int vec = (unsigned int)regs->vector;
    uint64_t ec = regs->error_code;

    switch (vec) {
    case 2:
        log_warn("NMI while d%u was running (ignored)\n", v->domain->domid);
        return;
    case 6: /* #UD: maybe the forced-emulation prefix */
        if (pv_emulate_forced_cpuid(regs))
            return;
        break;
    case 7: /* #NM: the guest set the virtual CR0.TS; Xen clears it as it delivers #NM */
        asm volatile("clts");
        if (!v->fpu_ts)
            return;
        v->fpu_ts = false;
        break;
    case 8:
    case 18:
        panic("%s while d%u was running", vector_name(vec), v->domain->domid);
    case 13:
        if (handle_soft_int(regs))
            return;
        if (pv_emulate_privileged(regs)) /* port I/O in user mode too */
            return;
        break;
    case 14: {
        uint64_t cr2 = read_cr2();

        if (pv_ptwr_fault(regs, cr2, ec))
            return;
        v->vcpu_info->arch.cr2 = cr2;
        /* The guest kernel runs at CPL 3: show its own faults as supervisor faults. */
        ec &= ~4ULL;
        if (!v->kernel_mode)
            ec |= 4;
        break;
    }
    }
    pv_inject_exception(regs, vec, vector_has_ec(vec), ec);
}

void do_syscall(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;

    if (v->kernel_mode) {
        hypercall_dispatch(regs);
        return;
    }
    /* A user-mode syscall goes to the guest kernel's syscall callback, or is #UD. */
    if (!v->cb_syscall.address) {
        regs->rip -= 2;
        pv_inject_exception(regs, 6, false, 0);
        return;
    }
    pv_bounce(v, v->cb_syscall.address, false, 0, v->cb_syscall.mask_events);
}

void pv_bad_iret(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    struct cpu_user_regs *g = v->regs;
    uint16_t sel[4];

    /*
     * The CPU pushed its fault frame just below the guest frame, over some of the saved
     * guest registers; this trap's own frame holds their values (the registers were the
     * guest's when iretq faulted).  Put them back first (the two frames overlap).
     */
    memmove(g, regs, offsetof(struct cpu_user_regs, vector));
    if (!v->cb_failsafe.address)
        domain_crash_current("return to guest faulted (%s, error %#lx): rip %#lx cs %#lx ss %#lx",
                             vector_name((unsigned int)regs->vector), regs->error_code, g->rip,
                             g->cs, g->ss);
    /*
     * The guest gave us a frame (its CS or SS) the CPU refuses: its failsafe callback gets
     * it, with the data selectors as they are (they loaded fine), so a guest can tell this
     * from a bad data selector (Linux's failsafe handler treats it as #GP).  Leave through
     * the normal exit, abandoning this trap's stack frames.
     */
    read_data_selectors(sel);
    pv_failsafe_owed(v, sel);
    asm volatile("mov %0, %%rsp; jmp return_to_guest" : : "r"(g) : "memory");
    __builtin_unreachable();
}

void exit_to_guest(struct cpu_user_regs *regs)
{
    struct vcpu *v;
    struct vcpu_info *vi;

    (void)regs;
    schedule_if_needed(); /* softirqs: timers, the scheduler, physical IRQs */
    v = current;
    vi = v->vcpu_info;
    if (v->failsafe_pending)
        deliver_failsafe(v);
    /* An event became pending while events were enabled: upcall now. */
    if (vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask && v->cb_event.address)
        pv_bounce(v, v->cb_event.address, false, 0, true);
    hv_unlock();
}
