/* SPDX-License-Identifier: MIT */
/* multicall: a batch of hypercalls in one entry, each result written back. */
#include <public/xen.h>
#include <asm/percpu.h>
#include <domain.h>
#include <hypercall.h>
#include <lib.h>

long do_multicall(struct hc_args *args)
{
    guest_ptr_t list = hc_ptr(args, 0);
    unsigned int nr = hc_uint(args, 1);
    struct domain *d = current->domain;

    if (args->in_multicall)
        return -XEN_EINVAL;
    for (unsigned int i = 0; i < nr; i++) {
        struct multicall_entry e;
        struct hc_args sub = {.regs = args->regs, .in_multicall = 1};

        if (copy_from_guest_elem(&e, list, i, sizeof(e)))
            return -XEN_EFAULT;
        for (int a = 0; a < 6; a++)
            sub.a[a] = e.args[a];
        e.result = (e.op == __HYPERVISOR_multicall || e.op == __HYPERVISOR_iret)
                       ? (uint64_t)-XEN_EINVAL
                       : (uint64_t)hypercall_call(e.op, &sub);
        if (copy_to_guest(
                guest_ptr_add(list, (uint64_t)i * sizeof(e) +
                                        __builtin_offsetof(struct multicall_entry, result)),
                &e.result, sizeof(e.result)))
            return -XEN_EFAULT;
        /* A call that shut the domain down ends the batch. */
        if (d->state != DOM_RUNNING)
            break;
    }
    return 0;
}
