/* SPDX-License-Identifier: MIT */
/* set_timer_op and vcpu_op's timer commands: how a guest asks for VIRQ_TIMER. */
#include <public/vcpu.h>
#include <public/xen.h>
#include <asm/apic.h>
#include <asm/percpu.h>
#include <domain.h>
#include <hypercall.h>
#include <lib.h>
#include <time.h>

#define MS_NS 1000000ULL

/* Periodic timer limits, as Xen: at least 1 ms; at most 2^62 ns, so deadlines never wrap. */
#define PERIOD_MIN_NS MS_NS
#define PERIOD_MAX_NS ((1ULL << 62) - 1)

/* set_timer_op: a deadline this far away (~13 days) is taken for a wrapped one. */
#define SET_TIMER_FAR_NS      (1ULL << 50)
#define SET_TIMER_FALLBACK_NS (100 * MS_NS)

/*
 * set_timer_op(deadline): arm the caller's singleshot timer for system time `deadline` (ns);
 * VIRQ_TIMER when it passes.  0 cancels it.  A deadline already passed fires at once.
 */
long do_set_timer_op(struct hc_args *args)
{
    struct vcpu *v = current;
    uint64_t deadline = hc_u64(args, 0), now = now_ns();

    update_vcpu_system_time(v);
    /*
     * Xen's rule, kept for the guests it was made for: a deadline that is negative as a
     * signed value, or more than 2^50 ns away, comes from an old Linux's wrapped jiffies
     * arithmetic, which also means "no timer needed" at times.  Neither firing at once nor
     * never is right for both: fire in 100 ms.
     */
    if (deadline &&
        ((int64_t)deadline < 0 || (deadline > now && deadline - now >= SET_TIMER_FAR_NS)))
        deadline = now + SET_TIMER_FALLBACK_NS;
    vcpu_singleshot_timer_set(v, deadline);
    return 0;
}

long vcpu_timer_op(int cmd, struct vcpu *v, guest_ptr_t arg)
{
    switch (cmd) {
    case VCPUOP_set_periodic_timer: {
        struct vcpu_set_periodic_timer p;

        if (copy_from_guest(&p, arg, sizeof(p)))
            return -XEN_EFAULT;
        if (p.period_ns < PERIOD_MIN_NS || p.period_ns > PERIOD_MAX_NS)
            return -XEN_EINVAL;
        vcpu_periodic_timer_set(v, p.period_ns);
        return 0;
    }
    case VCPUOP_stop_periodic_timer:
        vcpu_periodic_timer_set(v, 0);
        return 0;
    case VCPUOP_set_singleshot_timer: {
        struct vcpu_set_singleshot_timer s;

        /* A singleshot timer is the running vCPU's own (as Xen: checked before the copy). */
        if (v != current)
            return -XEN_EINVAL;
        if (copy_from_guest(&s, arg, sizeof(s)))
            return -XEN_EFAULT;
        if ((s.flags & VCPU_SSHOTTMR_future) && s.timeout_abs_ns < now_ns())
            return -XEN_ETIME;
        update_vcpu_system_time(v);
        /* Deadline 0 is a deadline long passed here (fires at once), not "cancel". */
        vcpu_singleshot_timer_set(v, s.timeout_abs_ns ? s.timeout_abs_ns : 1);
        return 0;
    }
    case VCPUOP_stop_singleshot_timer:
        if (v != current)
            return -XEN_EINVAL;
        vcpu_singleshot_timer_set(v, 0);
        return 0;
    }
    return -XEN_ENOSYS;
}
