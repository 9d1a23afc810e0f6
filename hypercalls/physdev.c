/* SPDX-License-Identifier: MIT */
/* physdev_op: physical IRQs (pirqs), their EOI, and a vCPU's I/O privilege. */
#include <string.h>
#include <public/physdev.h>
#include <public/xen.h>
#include <asm/percpu.h>
#include <domain.h>
#include <hypercall.h>
#include <irq.h>
#include <lib.h>

/*
 * Each op copies its struct in (-EFAULT), checks, acts, and copies results out.  Errors and
 * their order follow Xen's arch/x86/physdev.c with its default (dummy XSM) policy, except
 * where docs/irq.md says otherwise: a domU may map and unmap its own GSIs when its boot
 * configuration (irqs=) gives it the line, where Xen wants the toolstack to do it.
 */

/* Bytes a guest I/O bitmap may cover (65536 ports), as Xen's IOBMP_BYTES. */
#define IOBMP_BYTES 8192

/* The domain a pirq op names: -ESRCH if none, -EPERM unless it is ours or we are privileged. */
static int target_domain(uint16_t domid, struct domain **out)
{
    struct domain *d = domain_lookup(domid);

    if (!d)
        return -XEN_ESRCH;
    if (d != current->domain && !current->domain->is_privileged)
        return -XEN_EPERM;
    *out = d;
    return 0;
}

static long op_map_pirq(guest_ptr_t arg)
{
    struct physdev_map_pirq m;
    struct domain *d;
    int rc;

    if (copy_from_guest(&m, arg, sizeof(m)))
        return -XEN_EFAULT;
    rc = target_domain(m.domid, &d);
    if (rc)
        return rc;
    switch (m.type) {
    case MAP_PIRQ_TYPE_GSI:
        rc = pirq_map_gsi(current->domain, d, m.index, m.pirq);
        if (rc >= 0) {
            m.pirq = rc;
            rc = 0;
        }
        break;
    case MAP_PIRQ_TYPE_MSI:
    case MAP_PIRQ_TYPE_MSI_SEG:
    case MAP_PIRQ_TYPE_MULTI_MSI:
        rc = -XEN_ENODEV; /* no PCI devices are known to the hypervisor: no MSI */
        break;
    default:
        rc = -XEN_EINVAL;
        break;
    }
    /* Xen writes the struct back whatever the outcome. */
    if (copy_to_guest(arg, &m, sizeof(m)))
        rc = -XEN_EFAULT;
    return rc;
}

static long op_unmap_pirq(guest_ptr_t arg)
{
    struct physdev_unmap_pirq u;
    struct domain *d;
    int rc;

    if (copy_from_guest(&u, arg, sizeof(u)))
        return -XEN_EFAULT;
    rc = target_domain(u.domid, &d);
    return rc ? rc : pirq_unmap(d, u.pirq);
}

static long op_eoi(guest_ptr_t arg)
{
    struct physdev_eoi e;

    if (copy_from_guest(&e, arg, sizeof(e)))
        return -XEN_EFAULT;
    return pirq_eoi(current->domain, e.irq);
}

/*
 * As Xen 4.17: every pirq needs PHYSDEVOP_eoi as far as this says (a guest that wants to
 * know per line registers the EOI map); no line is shared between domains.
 */
static long op_irq_status_query(guest_ptr_t arg)
{
    struct physdev_irq_status_query q;

    if (copy_from_guest(&q, arg, sizeof(q)))
        return -XEN_EFAULT;
    if (q.irq >= NR_PIRQS)
        return -XEN_EINVAL;
    q.flags = XENIRQSTAT_needs_eoi;
    return copy_to_guest(arg, &q, sizeof(q)) ? -XEN_EFAULT : 0;
}

static long op_pirq_eoi_gmfn(guest_ptr_t arg, bool v1)
{
    struct physdev_pirq_eoi_gmfn g;

    if (copy_from_guest(&g, arg, sizeof(g)))
        return -XEN_EFAULT;
    /* A PV guest's frame numbers are machine frame numbers. */
    return pirq_eoi_map_register(current->domain, g.gmfn, v1);
}

static long op_setup_gsi(guest_ptr_t arg)
{
    struct physdev_setup_gsi s;

    if (copy_from_guest(&s, arg, sizeof(s)))
        return -XEN_EFAULT;
    return gsi_setup(current->domain, s.gsi, s.triggering != 0, s.polarity != 0);
}

static long op_set_iopl(guest_ptr_t arg)
{
    struct physdev_set_iopl s;

    if (copy_from_guest(&s, arg, sizeof(s)))
        return -XEN_EFAULT;
    if (s.iopl > 3)
        return -XEN_EINVAL;
    current->virtual_iopl = s.iopl;
    return 0;
}

/*
 * The bitmap stays in guest memory and is read at each port access (an unreadable byte
 * refuses its ports); here only its address range is checked, as Xen does.
 */
static long op_set_iobitmap(guest_ptr_t arg)
{
    struct physdev_set_iobitmap s;

    if (copy_from_guest(&s, arg, sizeof(s)))
        return -XEN_EFAULT;
    if (!guest_range_ok(s.bitmap, IOBMP_BYTES) || s.nr_ports > 65536)
        return -XEN_EINVAL;
    current->iobmp = s.bitmap;
    current->iobmp_limit = s.nr_ports;
    return 0;
}

static long physdev_op(int cmd, guest_ptr_t arg)
{
    switch (cmd) {
    case PHYSDEVOP_eoi:
        return op_eoi(arg);
    case PHYSDEVOP_pirq_eoi_gmfn_v1:
        return op_pirq_eoi_gmfn(arg, true);
    case PHYSDEVOP_pirq_eoi_gmfn_v2:
        return op_pirq_eoi_gmfn(arg, false);
    case PHYSDEVOP_IRQ_UNMASK_NOTIFY:
        return pirq_unmask_notify(current->domain);
    case PHYSDEVOP_irq_status_query:
        return op_irq_status_query(arg);
    case PHYSDEVOP_map_pirq:
        return op_map_pirq(arg);
    case PHYSDEVOP_unmap_pirq:
        return op_unmap_pirq(arg);
    case PHYSDEVOP_setup_gsi:
        return op_setup_gsi(arg);
    case PHYSDEVOP_set_iopl:
        return op_set_iopl(arg);
    case PHYSDEVOP_set_iobitmap:
        return op_set_iobitmap(arg);
    default: /* apic_read/write, vectors, PCI, MSI: the hypervisor keeps those to itself */
        return -XEN_ENOSYS;
    }
}

long do_physdev_op(struct hc_args *args)
{
    return physdev_op(hc_int(args, 0), hc_ptr(args, 1));
}

/*
 * physdev_op_compat (#19), the pre-3.2 form: one struct {u32 cmd; pad; union of the op's
 * argument at offset 8} (24 bytes), read whole first.  Xen 4.17 passes every command on.
 */
#define COMPAT_OP_SIZE    24
#define COMPAT_ARG_OFFSET 8

long do_physdev_op_compat(struct hc_args *args)
{
    guest_ptr_t op = hc_ptr(args, 0);
    uint8_t buf[COMPAT_OP_SIZE];
    uint32_t cmd;

    if (copy_from_guest(buf, op, sizeof(buf)))
        return -XEN_EFAULT;
    memcpy(&cmd, buf, sizeof(cmd));
    return physdev_op((int)cmd, guest_ptr_add(op, COMPAT_ARG_OFFSET));
}
