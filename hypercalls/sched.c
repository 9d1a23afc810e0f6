/* SPDX-License-Identifier: MIT */
/* sched_op: yield, block, shutdown and poll. */
#include <string.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/xen.h>
#include <asm/apic.h>
#include <asm/percpu.h>
#include <domain.h>
#include <event.h>
#include <hypercall.h>
#include <lib.h>
#include <sched.h>
#include <time.h>

#define SCHED_POLL_MAX_PORTS 128

static long sched_shutdown(guest_ptr_t arg)
{
    struct sched_shutdown s;

    if (copy_from_guest(&s, arg, sizeof(s)))
        return -XEN_EFAULT;
    if (s.reason > SHUTDOWN_MAX)
        return -XEN_EINVAL;
    domain_shutdown(current->domain, s.reason);
    return 0; /* the vCPU is offline: it is switched away on the way out */
}

/*
 * Sleeps until one of the ports is pending (masked or not: that is what poll is for), an
 * upcall wakes the vCPU, or the deadline passes.  No ports means any port of the domain
 * (as Xen, which may also wake a poller early: callers re-check).  The ports are taken in
 * order as Xen does: a pending one ends the call before a bad one later in the list.
 */
static long sched_poll(guest_ptr_t arg)
{
    struct sched_poll p;
    struct vcpu *v = current;
    long rc = 0;

    if (copy_from_guest(&p, arg, sizeof(p)))
        return -XEN_EFAULT;
    if (p.nr_ports > SCHED_POLL_MAX_PORTS)
        return -XEN_EINVAL;

    /* Announce the ports before looking at them, so a port set pending meanwhile wakes us. */
    memset(v->poll_ports, 0, sizeof(v->poll_ports));
    v->poll_any = p.nr_ports == 0;
    v->polling = true;
    for (unsigned int i = 0; i < p.nr_ports; i++) {
        uint32_t port;

        if (copy_from_guest_elem(&port, guest_ptr(p.ports), i, sizeof(port))) {
            rc = -XEN_EFAULT;
            goto out;
        }
        if (port >= EVTCHN_2L_NR_CHANNELS) {
            rc = -XEN_EINVAL;
            goto out;
        }
        if (evtchn_port_is_pending(v->domain, port))
            goto out;
        v->poll_ports[port / 64] |= 1ULL << (port % 64);
    }
    if (p.timeout && p.timeout <= now_ns())
        goto out;
    v->poll_deadline_ns = p.timeout;
    vcpu_poll_timer_set(v, p.timeout); /* 0: no timeout, wait for a port */
    vcpu_block_current();
    vcpu_poll_timer_set(v, 0);
out:
    v->polling = false;
    return rc;
}

static long sched_remote_shutdown(guest_ptr_t arg)
{
    struct sched_remote_shutdown rs;
    struct domain *target;

    if (!current->domain->is_privileged)
        return -XEN_EPERM;
    if (copy_from_guest(&rs, arg, sizeof(rs)))
        return -XEN_EFAULT;
    if (rs.reason > SHUTDOWN_MAX)
        return -XEN_EINVAL;
    target = rs.domain_id < MAX_DOMAINS ? domain_lookup(rs.domain_id) : NULL;
    if (!target)
        return -XEN_ESRCH;
    domain_shutdown(target, rs.reason);
    return 0;
}

long do_sched_op(struct hc_args *args)
{
    int cmd = hc_int(args, 0);
    guest_ptr_t arg = hc_ptr(args, 1);

    switch (cmd) {
    case SCHEDOP_yield:
        sched_yield();
        return 0;
    case SCHEDOP_block:
        sched_block_current_enable_events();
        return 0;
    case SCHEDOP_shutdown:
        return sched_shutdown(arg);
    case SCHEDOP_poll:
        return sched_poll(arg);
    case SCHEDOP_remote_shutdown:
        return sched_remote_shutdown(arg);
    case SCHEDOP_shutdown_code: {
        struct sched_shutdown s;

        if (copy_from_guest(&s, arg, sizeof(s)))
            return -XEN_EFAULT;
        return s.reason > SHUTDOWN_MAX ? -XEN_EINVAL : 0;
    }
    }
    return -XEN_ENOSYS;
}

/* The pre-3.0.2 form: the shutdown reason is passed directly, not through a struct. */
long do_sched_op_compat(struct hc_args *args)
{
    int cmd = hc_int(args, 0);
    unsigned int reason = hc_uint(args, 1);

    switch (cmd) {
    case SCHEDOP_yield:
    case SCHEDOP_block:
        return do_sched_op(args);
    case SCHEDOP_shutdown:
        if (reason > SHUTDOWN_MAX)
            return -XEN_EINVAL;
        domain_shutdown(current->domain, reason);
        return 0;
    }
    return -XEN_ENOSYS;
}
