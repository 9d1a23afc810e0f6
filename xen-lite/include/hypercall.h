/* SPDX-License-Identifier: MIT */
/* Hypercall dispatch: arguments, typed accessors and the generated handler prototypes. */
#ifndef XEN_LITE_HYPERCALL_H
#define XEN_LITE_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>
#include <public/hypercall-list.h>
#include <asm/regs.h>
#include <guest-access.h>

/*
 * The arguments of one hypercall: from the registers (rdi, rsi, rdx, r10, r8, r9) for a
 * direct call, or from a multicall entry.  Handlers read them only through the typed
 * accessors below.
 */
struct hc_args {
    uint64_t a[6];
    struct cpu_user_regs *regs; /* the caller's saved frame */
    int in_multicall;
};

static inline uint64_t hc_u64(const struct hc_args *h, int i)
{
    return h->a[i];
}

static inline unsigned int hc_uint(const struct hc_args *h, int i)
{
    return (unsigned int)h->a[i];
}

static inline int hc_int(const struct hc_args *h, int i)
{
    return (int)h->a[i];
}

static inline guest_ptr_t hc_ptr(const struct hc_args *h, int i)
{
    return guest_ptr(h->a[i]);
}

/* Every handler has this shape; the table is generated from XL_HYPERCALLS. */
#define XL_HC_PROTO(nr, name, nargs) long do_##name(struct hc_args *args);
XL_HYPERCALLS(XL_HC_PROTO)
#undef XL_HC_PROTO

/*
 * Continuations: a long batch that should let other work run stores its remaining
 * arguments in args->a[] and returns -XEN_ERESTART; the dispatcher writes them back into the
 * registers and rewinds the guest to its `syscall`, so the hypercall is re-issued later.
 * hypercall_preempt_check() lets pending interrupts in and says whether to stop; it is
 * always false inside a multicall (which cannot be resumed half-way).
 */
bool hypercall_preempt_check(const struct hc_args *args);

/* Runs hypercall number regs->rax with the register arguments; result into regs->rax. */
void hypercall_dispatch(struct cpu_user_regs *regs);

/* Runs one hypercall by number (used by multicall); returns its result. */
long hypercall_call(unsigned long nr, struct hc_args *args);

/* Name of a hypercall number, for logs. */
const char *hypercall_name(unsigned long nr);

#endif
