/* SPDX-License-Identifier: MIT */
/* Hypercall wrappers: calls through the hypercall page, plus a raw `syscall` escape hatch. */
#ifndef PVGUEST_HYPERCALL_H
#define PVGUEST_HYPERCALL_H

#include <public/hypercall-list.h>

#ifdef __ASSEMBLER__

/* __HYPERVISOR_<name> as assembler symbols, generated from the one hypercall list. */
#define PV_HYPERCALL_EQU(nr, name, nargs) .equ __HYPERVISOR_##name, nr;
XL_HYPERCALLS(PV_HYPERCALL_EQU)
#undef PV_HYPERCALL_EQU

#else /* !__ASSEMBLER__ */

#include <stdint.h>
#include <public/xen.h>
#include <public/arch-x86-pt.h>
#include <pvguest/memlayout.h>

/*
 * Register convention (Xen x86_64 PV ABI)
 * ---------------------------------------
 * The hypervisor fills `hypercall_page` (ELF note HYPERCALL_PAGE) with 128 stubs of 32 bytes.
 * The stub for hypercall N is at hypercall_page + N * 32 and is *called*; it loads N into
 * eax itself:   push %rcx; push %r11; mov $N,%eax; syscall; pop %r11; pop %rcx; ret
 *
 *   arguments  rdi, rsi, rdx, r10, r8   (r10, not rcx: `syscall` overwrites rcx with the
 *                                         return rip and r11 with rflags)
 *   result     rax                       (>= 0, or -XEN_Exxx from <public/errno.h>)
 *
 * The stubs preserve rcx/r11 but we still list them (and memory) as clobbered, and treat
 * every argument register as clobbered: a debug Xen deliberately scribbles on the argument
 * registers a hypercall consumed. Unused argument registers are passed as 0.
 *
 * Stub 23 (iret) is different: it is *jumped to* with an iret frame on the stack; see
 * lib/entry.S. It is never called from C.
 */
#define PV_HYPERCALL(name, a1, a2, a3, a4, a5)                                                     \
    ({                                                                                             \
        unsigned long pv_a1__ = (unsigned long)(a1), pv_a2__ = (unsigned long)(a2);                \
        unsigned long pv_a3__ = (unsigned long)(a3), pv_a4__ = (unsigned long)(a4);                \
        unsigned long pv_a5__ = (unsigned long)(a5);                                               \
        register unsigned long pv_r10__ __asm__("r10") = pv_a4__;                                  \
        register unsigned long pv_r8__ __asm__("r8") = pv_a5__;                                    \
        long pv_res__;                                                                             \
        __asm__ volatile("call hypercall_page + %c[hc_off]"                                        \
                         : "=a"(pv_res__), "+D"(pv_a1__), "+S"(pv_a2__), "+d"(pv_a3__),            \
                           "+r"(pv_r10__), "+r"(pv_r8__)                                           \
                         : [hc_off] "i"(__HYPERVISOR_##name * 32)                                  \
                         : "rcx", "r11", "r9", "memory");                                          \
        pv_res__;                                                                                  \
    })

#define HYPERCALL0(name)                     PV_HYPERCALL(name, 0, 0, 0, 0, 0)
#define HYPERCALL1(name, a1)                 PV_HYPERCALL(name, a1, 0, 0, 0, 0)
#define HYPERCALL2(name, a1, a2)             PV_HYPERCALL(name, a1, a2, 0, 0, 0)
#define HYPERCALL3(name, a1, a2, a3)         PV_HYPERCALL(name, a1, a2, a3, 0, 0)
#define HYPERCALL4(name, a1, a2, a3, a4)     PV_HYPERCALL(name, a1, a2, a3, a4, 0)
#define HYPERCALL5(name, a1, a2, a3, a4, a5) PV_HYPERCALL(name, a1, a2, a3, a4, a5)

/*
 * hypercall_raw - issue hypercall `nr` with a bare `syscall`, bypassing the hypercall page
 * (as PV GRUB and recent Linux do). Lets tests use numbers the page has no stub for
 * (>= 128) or junk in the upper half of rax. Same registers as above: number in rax, args
 * in rdi, rsi, rdx, r10, r8, result in rax; rcx/r11 are destroyed by `syscall`.
 * Only meaningful in guest kernel mode (from user mode `syscall` is bounced back to us).
 */
static inline long hypercall_raw(unsigned long nr, unsigned long a1, unsigned long a2,
                                 unsigned long a3, unsigned long a4, unsigned long a5)
{
    register unsigned long r10 __asm__("r10") = a4;
    register unsigned long r8 __asm__("r8") = a5;
    long res;

    __asm__ volatile("syscall"
                     : "=a"(res), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                     : "0"(nr)
                     : "rcx", "r11", "r9", "memory");
    return res;
}

/* Typed wrappers: one per hypercall the library and its programs use. */

static inline long HYPERVISOR_set_trap_table(const struct trap_info *table)
{
    return HYPERCALL1(set_trap_table, table);
}

static inline long HYPERVISOR_mmu_update(struct mmu_update *reqs, unsigned int count,
                                         unsigned int *done, unsigned int domid)
{
    return HYPERCALL4(mmu_update, reqs, count, done, domid);
}

static inline long HYPERVISOR_stack_switch(unsigned long ss, unsigned long rsp)
{
    return HYPERCALL2(stack_switch, ss, rsp);
}

static inline long HYPERVISOR_set_callbacks(unsigned long event, unsigned long failsafe,
                                            unsigned long syscall)
{
    return HYPERCALL3(set_callbacks, event, failsafe, syscall);
}

static inline long HYPERVISOR_fpu_taskswitch(int set)
{
    return HYPERCALL1(fpu_taskswitch, set);
}

static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
    return HYPERCALL2(memory_op, cmd, arg);
}

static inline long HYPERVISOR_multicall(struct multicall_entry *calls, unsigned int nr)
{
    return HYPERCALL2(multicall, calls, nr);
}

static inline long HYPERVISOR_update_va_mapping(unsigned long va, uint64_t pte, unsigned long flags)
{
    return HYPERCALL3(update_va_mapping, va, pte, flags);
}

static inline long HYPERVISOR_set_timer_op(uint64_t timeout_ns)
{
    return HYPERCALL1(set_timer_op, timeout_ns);
}

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
    return HYPERCALL2(xen_version, cmd, arg);
}

static inline long HYPERVISOR_console_io(int cmd, unsigned int count, const char *buf)
{
    return HYPERCALL3(console_io, cmd, count, buf);
}

static inline long HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{
    return HYPERCALL2(vm_assist, cmd, type);
}

static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return HYPERCALL3(vcpu_op, cmd, vcpu, arg);
}

static inline long HYPERVISOR_set_segment_base(unsigned int which, unsigned long base)
{
    return HYPERCALL2(set_segment_base, which, base);
}

static inline long HYPERVISOR_mmuext_op(struct mmuext_op *ops, unsigned int count,
                                        unsigned int *done, unsigned int domid)
{
    return HYPERCALL4(mmuext_op, ops, count, done, domid);
}

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
    return HYPERCALL2(sched_op, cmd, arg);
}

static inline long HYPERVISOR_callback_op(int cmd, const void *arg)
{
    return HYPERCALL2(callback_op, cmd, arg);
}

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
    return HYPERCALL2(event_channel_op, cmd, arg);
}

static inline long HYPERVISOR_physdev_op(int cmd, void *arg)
{
    return HYPERCALL2(physdev_op, cmd, arg);
}

static inline long HYPERVISOR_physdev_op_compat(void *op)
{
    return HYPERCALL1(physdev_op_compat, op);
}

#endif /* !__ASSEMBLER__ */

#endif /* PVGUEST_HYPERCALL_H */
