/* SPDX-License-Identifier: MIT */
/* event_channel_op: the 2-level event channel ABI (EVTCHNOP_*) over common/event.c. */
#include <public/event_channel.h>
#include <public/xen.h>
#include <asm/percpu.h>
#include <domain.h>
#include <event.h>
#include <hypercall.h>
#include <lib.h>

/*
 * Every op copies its argument struct in (-EFAULT), resolves the domains it names, runs the
 * port operation and copies the struct back only if that succeeded (-EFAULT if it cannot,
 * without undoing the op: Xen does the same).  Errors and their order follow Xen's
 * common/event_channel.c with its default (dummy XSM) policy.
 */

/* Acting on another domain's ports needs privilege, as Xen's default policy for them. */
static bool may_act_on(const struct domain *d)
{
    return d == current->domain || current->domain->is_privileged;
}

/* The domain an op acts on: DOMID_SELF or an id; -ESRCH if none, -EPERM if not ours. */
static int target_domain(uint16_t domid, struct domain **out)
{
    struct domain *d = domain_lookup(domid);

    if (!d)
        return -XEN_ESRCH;
    if (!may_act_on(d))
        return -XEN_EPERM;
    *out = d;
    return 0;
}

/* Copies the struct back after a successful op that returned a port (rc >= 0). */
static long finish(guest_ptr_t arg, const void *s, size_t len, int rc)
{
    if (rc < 0)
        return rc;
    return copy_to_guest(arg, s, len) ? -XEN_EFAULT : 0;
}

static long op_alloc_unbound(guest_ptr_t arg)
{
    struct evtchn_alloc_unbound a;
    struct domain *d;
    int rc;

    if (copy_from_guest(&a, arg, sizeof(a)))
        return -XEN_EFAULT;
    rc = target_domain(a.dom, &d);
    if (rc)
        return rc;
    /* DOMID_SELF as the remote means the caller (which need not be the owner). */
    rc =
        evtchn_alloc_unbound(d, a.remote_dom == DOMID_SELF ? current->domain->domid : a.remote_dom);
    if (rc >= 0)
        a.port = (uint32_t)rc;
    return finish(arg, &a, sizeof(a), rc);
}

static long op_bind_interdomain(guest_ptr_t arg)
{
    struct evtchn_bind_interdomain b;
    struct domain *rd;
    int rc;

    if (copy_from_guest(&b, arg, sizeof(b)))
        return -XEN_EFAULT;
    /* No privilege needed: the remote port itself says who may bind it. */
    rd = domain_lookup(b.remote_dom);
    if (!rd)
        return -XEN_ESRCH;
    rc = evtchn_bind_interdomain(current->domain, rd, b.remote_port);
    if (rc >= 0)
        b.local_port = (uint32_t)rc;
    return finish(arg, &b, sizeof(b), rc);
}

static long op_bind_virq(guest_ptr_t arg)
{
    struct evtchn_bind_virq b;
    int rc;

    if (copy_from_guest(&b, arg, sizeof(b)))
        return -XEN_EFAULT;
    rc = evtchn_bind_virq(current->domain, b.virq, b.vcpu);
    if (rc >= 0)
        b.port = (uint32_t)rc;
    return finish(arg, &b, sizeof(b), rc);
}

static long op_bind_ipi(guest_ptr_t arg)
{
    struct evtchn_bind_ipi b;
    int rc;

    if (copy_from_guest(&b, arg, sizeof(b)))
        return -XEN_EFAULT;
    rc = evtchn_bind_ipi(current->domain, b.vcpu);
    if (rc >= 0)
        b.port = (uint32_t)rc;
    return finish(arg, &b, sizeof(b), rc);
}

static long op_bind_pirq(guest_ptr_t arg)
{
    struct evtchn_bind_pirq b;
    int rc;

    if (copy_from_guest(&b, arg, sizeof(b)))
        return -XEN_EFAULT;
    rc = evtchn_bind_pirq(current->domain, b.pirq, (b.flags & BIND_PIRQ__WILL_SHARE) != 0);
    if (rc >= 0)
        b.port = (uint32_t)rc;
    return finish(arg, &b, sizeof(b), rc);
}

static long op_status(guest_ptr_t arg)
{
    struct evtchn_status st;
    struct domain *d;
    int rc;

    if (copy_from_guest(&st, arg, sizeof(st)))
        return -XEN_EFAULT;
    /* Xen's order: an unknown domain, then a port past the table, then privilege. */
    d = domain_lookup(st.dom);
    if (!d)
        return -XEN_ESRCH;
    if (st.port >= EVTCHN_2L_NR_CHANNELS)
        return -XEN_EINVAL;
    if (!may_act_on(d))
        return -XEN_EPERM;
    rc = evtchn_status(d, st.port, &st);
    return finish(arg, &st, sizeof(st), rc);
}

static long op_reset(guest_ptr_t arg)
{
    struct evtchn_reset r;
    struct domain *d;
    int rc;

    if (copy_from_guest(&r, arg, sizeof(r)))
        return -XEN_EFAULT;
    rc = target_domain(r.dom, &d);
    if (rc)
        return rc;
    evtchn_reset(d);
    return 0;
}

long do_event_channel_op(struct hc_args *args)
{
    int cmd = hc_int(args, 0);
    guest_ptr_t arg = hc_ptr(args, 1);
    struct domain *d = current->domain;
    /* The ops whose argument is a single port (plus a vCPU for bind_vcpu). */
    union {
        struct evtchn_close close;
        struct evtchn_send send;
        struct evtchn_unmask unmask;
        struct evtchn_bind_vcpu bind_vcpu;
        struct evtchn_init_control init_control;
        struct evtchn_expand_array expand_array;
        struct evtchn_set_priority set_priority;
    } u;

    switch (cmd) {
    case EVTCHNOP_alloc_unbound:
        return op_alloc_unbound(arg);
    case EVTCHNOP_bind_interdomain:
        return op_bind_interdomain(arg);
    case EVTCHNOP_bind_virq:
        return op_bind_virq(arg);
    case EVTCHNOP_bind_ipi:
        return op_bind_ipi(arg);
    case EVTCHNOP_bind_pirq:
        return op_bind_pirq(arg);
    case EVTCHNOP_status:
        return op_status(arg);
    case EVTCHNOP_reset:
        return op_reset(arg);
    case EVTCHNOP_close:
        if (copy_from_guest(&u.close, arg, sizeof(u.close)))
            return -XEN_EFAULT;
        return evtchn_close(d, u.close.port);
    case EVTCHNOP_send:
        if (copy_from_guest(&u.send, arg, sizeof(u.send)))
            return -XEN_EFAULT;
        return evtchn_send(d, u.send.port);
    case EVTCHNOP_unmask:
        if (copy_from_guest(&u.unmask, arg, sizeof(u.unmask)))
            return -XEN_EFAULT;
        return evtchn_unmask(d, u.unmask.port);
    case EVTCHNOP_bind_vcpu:
        if (copy_from_guest(&u.bind_vcpu, arg, sizeof(u.bind_vcpu)))
            return -XEN_EFAULT;
        return evtchn_bind_vcpu(d, u.bind_vcpu.port, u.bind_vcpu.vcpu);
    /*
     * The FIFO ABI is not offered: -ENOSYS from init_control is what makes guests (Linux,
     * Mini-OS) stay on the 2-level ABI.  As in Xen the argument is read first.
     */
    case EVTCHNOP_init_control:
        if (copy_from_guest(&u.init_control, arg, sizeof(u.init_control)))
            return -XEN_EFAULT;
        return -XEN_ENOSYS;
    case EVTCHNOP_expand_array:
        if (copy_from_guest(&u.expand_array, arg, sizeof(u.expand_array)))
            return -XEN_EFAULT;
        return -XEN_ENOSYS;
    case EVTCHNOP_set_priority:
        /* 2-level ports have no priority: a valid port gets -ENOSYS, as in Xen. */
        if (copy_from_guest(&u.set_priority, arg, sizeof(u.set_priority)))
            return -XEN_EFAULT;
        return u.set_priority.port >= EVTCHN_2L_NR_CHANNELS ? -XEN_EINVAL : -XEN_ENOSYS;
    }
    return -XEN_ENOSYS;
}
