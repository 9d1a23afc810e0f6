/* SPDX-License-Identifier: MIT */
/* The hypercall table, generated from the one list in include/public/hypercall-list.h. */
#include <lib.h>
#include <hypercall.h>

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

    /* As in Xen, all 64 bits of rax are the number: 0x100000011 is not xen_version. */
    regs->rax = (uint64_t)hypercall_call(regs->rax, &args);
}
