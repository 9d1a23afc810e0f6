/* SPDX-License-Identifier: MIT */
/* The hypercall table, generated from the one list in include/public/hypercall-list.h. */
#include <lib.h>
#include <hypercall.h>
#include <sched.h>

/*
 * Handlers are weak references: a hypercall no family implements resolves to NULL and
 * answers -ENOSYS, so adding a hypercall is writing its do_<name>() and nothing else.
 */
#define XL_HC_WEAK(nr, name, nargs) __attribute__((weak)) long do_##name(struct hc_args *args);
XL_HYPERCALLS(XL_HC_WEAK)
#undef XL_HC_WEAK

typedef long (*hc_fn)(struct hc_args *);

static const struct {
    hc_fn fn;
    const char *name;
} table[NR_HYPERCALLS] = {
#define XL_HC_ENTRY(nr, name, nargs) [nr] = {do_##name, #name},
    XL_HYPERCALLS(XL_HC_ENTRY)
#undef XL_HC_ENTRY
};

const char *hypercall_name(unsigned long nr)
{
    return nr < NR_HYPERCALLS && table[nr].name ? table[nr].name : "unknown";
}

long hypercall_call(unsigned long nr, struct hc_args *args)
{
    if (nr >= NR_HYPERCALLS || !table[nr].fn)
        return -XEN_ENOSYS;
    return table[nr].fn(args);
}

void hypercall_dispatch(struct cpu_user_regs *regs)
{
    struct hc_args args = {
        .a = {regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8, regs->r9},
        .regs = regs,
    };

    uint64_t nr = regs->rax;
    long ret;

    /* As in Xen, all 64 bits of rax are the number: 0x100000011 is not xen_version. */
    ret = hypercall_call(nr, &args);
    if (ret == -XEN_ERESTART) {
        /* Re-issue the hypercall with the arguments the handler left. */
        regs->rdi = args.a[0];
        regs->rsi = args.a[1];
        regs->rdx = args.a[2];
        regs->r10 = args.a[3];
        regs->r8 = args.a[4];
        regs->r9 = args.a[5];
        regs->rax = nr;
        regs->rip -= 2; /* the `syscall` instruction */
        return;
    }
    regs->rax = (uint64_t)ret;
}

bool hypercall_preempt_check(const struct hc_args *args)
{
    return !args->in_multicall && sched_preempt_pending();
}
