/* SPDX-License-Identifier: MIT */
/* vcpu_op: per-vCPU operations (only is_up until SMP guests and timers arrive). */
#include <public/vcpu.h>
#include <asm/percpu.h>
#include <domain.h>
#include <hypercall.h>
#include <lib.h>
#include <time.h>

long do_vcpu_op(struct hc_args *args)
{
    int cmd = hc_int(args, 0);
    unsigned int id = hc_uint(args, 1);
    struct domain *d = current->domain;
    struct vcpu *v;

    /* As in Xen, a vCPU that does not exist is -ENOENT whatever the command. */
    if (id >= d->nr_vcpus || !d->vcpus[id])
        return -XEN_ENOENT;
    v = d->vcpus[id];
    switch (cmd) {
    case VCPUOP_is_up:
        return v->state != VCPU_OFFLINE;
    case VCPUOP_set_periodic_timer:
    case VCPUOP_stop_periodic_timer:
    case VCPUOP_set_singleshot_timer:
    case VCPUOP_stop_singleshot_timer:
        return vcpu_timer_op(cmd, v, hc_ptr(args, 2));
    }
    return -XEN_ENOSYS;
}
