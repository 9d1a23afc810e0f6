/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for physical IRQs and I/O permissions: the PHYSDEVOP_* layer
 * (hypercalls/physdev.c), EVTCHNOP_bind_pirq's routing hooks and delivery (common/irq.c),
 * and the permission rules for dom0 and boot-time domUs.  The fake IO-APIC (harness) has
 * QEMU's 24 GSIs; the hypervisor keeps GSI 0, the PIT's GSI 2 and COM1's GSI 4.  dom0 is
 * privileged; domu (domain 1, current unless a test switches) is not and starts with no
 * permissions.  Expected errnos are Xen's (arch/x86/physdev.c, irq.c) except where
 * docs/irq.md says otherwise.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <public/event_channel.h>
#include <public/physdev.h>
#include <public/sched.h>
#include <public/xen.h>
#include <asm/ioapic.h>
#include <cmdline.h>
#include <event.h>
#include <irq.h>
#include <page-type.h>
#include <softirq.h>
#include "harness/harness.h"

TestSuite(physdev, .init = harness_boot);

#define UNMAPPED_VA 0x1000 /* outside the guest window: every access faults */

/* Issues PHYSDEVOP cmd with *arg in guest memory; the struct is copied back into arg. */
static long physdev(int cmd, void *arg, size_t len)
{
    uint64_t va = guest_put(arg, len);
    long rc = hc(__HYPERVISOR_physdev_op, (uint64_t)cmd, va);

    memcpy(arg, guest_mem(va, len), len);
    return rc;
}

static long map_pirq(uint16_t domid, int type, int index, int *pirq)
{
    struct physdev_map_pirq m = {.domid = domid, .type = type, .index = index, .pirq = *pirq};
    long rc = physdev(PHYSDEVOP_map_pirq, &m, sizeof(m));

    *pirq = m.pirq;
    return rc;
}

static long map_gsi(uint16_t domid, int gsi, int pirq)
{
    return map_pirq(domid, MAP_PIRQ_TYPE_GSI, gsi, &pirq) ?: pirq;
}

static long unmap_pirq(uint16_t domid, int pirq)
{
    struct physdev_unmap_pirq u = {.domid = domid, .pirq = pirq};

    return physdev(PHYSDEVOP_unmap_pirq, &u, sizeof(u));
}

static long eoi(uint32_t pirq)
{
    struct physdev_eoi e = {.irq = pirq};

    return physdev(PHYSDEVOP_eoi, &e, sizeof(e));
}

static long setup_gsi(int gsi, uint8_t level, uint8_t low)
{
    struct physdev_setup_gsi s = {.gsi = gsi, .triggering = level, .polarity = low};

    return physdev(PHYSDEVOP_setup_gsi, &s, sizeof(s));
}

static long eoi_gmfn(int cmd, uint64_t mfn)
{
    struct physdev_pirq_eoi_gmfn g = {.gmfn = mfn};

    return physdev(cmd, &g, sizeof(g));
}

/* EVTCHNOP_bind_pirq; the port comes back through *port. */
static long bind_pirq(uint32_t pirq, uint32_t *port)
{
    struct evtchn_bind_pirq b = {.pirq = pirq};
    uint64_t va = guest_put(&b, sizeof(b));
    long rc = hc(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_pirq, va);

    if (port)
        *port = ((struct evtchn_bind_pirq *)guest_mem(va, sizeof(b)))->port;
    return rc;
}

static long close_port(uint32_t port)
{
    return hc(__HYPERVISOR_event_channel_op, EVTCHNOP_close, guest_put(&port, sizeof(port)));
}

static bool pending(const struct domain *d, uint32_t port)
{
    return d->shared_info->evtchn_pending[port / 64] >> (port % 64) & 1;
}

static void clear_pending(struct domain *d, uint32_t port)
{
    d->shared_info->evtchn_pending[port / 64] &= ~(1ULL << (port % 64));
}

/* domu gets GSI gsi, maps it as pirq gsi and binds it; returns the port. */
static uint32_t bound_line(unsigned int gsi)
{
    uint32_t port;

    cr_assert_eq(irq_permit_gsi(domu, gsi), 0);
    cr_assert_eq(map_gsi(DOMID_SELF, (int)gsi, (int)gsi), gsi);
    cr_assert_eq(bind_pirq(gsi, &port), 0);
    return port;
}

/* What the interrupt path does for a line: the IO-APIC layer masks a level line first. */
static void interrupt(unsigned int gsi)
{
    if (harness.gsi[gsi].level)
        harness.gsi[gsi].masked = true;
    do_device_irq(gsi);
}

/* ---- the op table ---- */

/* Ops xen-lite does not offer (and numbers nobody defined) are -ENOSYS. */
Test(physdev, other_ops_are_enosys)
{
    static const int cmds[] = {0,
                               1,
                               2,
                               3,
                               PHYSDEVOP_apic_read,
                               PHYSDEVOP_apic_write,
                               10,
                               11,
                               15,
                               16,
                               19,
                               20,
                               22,
                               23,
                               24,
                               25,
                               26,
                               27,
                               29,
                               30,
                               31,
                               32,
                               1000,
                               -1};

    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
        cr_assert_eq(hc(__HYPERVISOR_physdev_op, (uint64_t)cmds[i], guest_alloc(64)), -XEN_ENOSYS,
                     "op %d", cmds[i]);
}

/* An argument that cannot be read is -EFAULT, before anything else is looked at. */
Test(physdev, unreadable_argument_is_efault)
{
    static const int cmds[] = {PHYSDEVOP_eoi,
                               PHYSDEVOP_pirq_eoi_gmfn_v1,
                               PHYSDEVOP_pirq_eoi_gmfn_v2,
                               PHYSDEVOP_irq_status_query,
                               PHYSDEVOP_map_pirq,
                               PHYSDEVOP_unmap_pirq,
                               PHYSDEVOP_setup_gsi,
                               PHYSDEVOP_set_iopl,
                               PHYSDEVOP_set_iobitmap};

    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
        cr_assert_eq(hc(__HYPERVISOR_physdev_op, (uint64_t)cmds[i], UNMAPPED_VA), -XEN_EFAULT,
                     "op %d", cmds[i]);
    /* The legacy unmask notification takes no argument. */
    cr_assert_eq(hc(__HYPERVISOR_physdev_op, PHYSDEVOP_IRQ_UNMASK_NOTIFY, UNMAPPED_VA), 0);
}

/* ---- I/O privilege ---- */

Test(physdev, set_iopl)
{
    struct physdev_set_iopl s;

    for (uint32_t l = 0; l <= 3; l++) {
        s.iopl = l;
        cr_assert_eq(physdev(PHYSDEVOP_set_iopl, &s, sizeof(s)), 0);
        cr_assert_eq(current->virtual_iopl, l);
    }
    s.iopl = 4;
    cr_assert_eq(physdev(PHYSDEVOP_set_iopl, &s, sizeof(s)), -XEN_EINVAL);
    s.iopl = 0xffffffff;
    cr_assert_eq(physdev(PHYSDEVOP_set_iopl, &s, sizeof(s)), -XEN_EINVAL);
    cr_assert_eq(current->virtual_iopl, 3);
    cr_assert_eq(domu->vcpus[1]->virtual_iopl, 0, "per vCPU");
}

/* The bitmap's address range must be the guest's; it is not read until a port access. */
Test(physdev, set_iobitmap)
{
    struct physdev_set_iobitmap s = {.bitmap = UNMAPPED_VA, .nr_ports = 0x400};
    unsigned int copies;

    copies = harness.raw_copies;
    cr_assert_eq(physdev(PHYSDEVOP_set_iobitmap, &s, sizeof(s)), 0);
    cr_assert_eq(harness.raw_copies, copies + 1, "only the argument was read");
    cr_assert_eq(current->iobmp, UNMAPPED_VA);
    cr_assert_eq(current->iobmp_limit, 0x400);
    s.nr_ports = 65536;
    cr_assert_eq(physdev(PHYSDEVOP_set_iobitmap, &s, sizeof(s)), 0);
    s = (struct physdev_set_iobitmap){.bitmap = 0, .nr_ports = 0};
    cr_assert_eq(physdev(PHYSDEVOP_set_iobitmap, &s, sizeof(s)), 0, "none");
    cr_assert_eq(current->iobmp_limit, 0);

    s = (struct physdev_set_iobitmap){.bitmap = GUEST_BASE, .nr_ports = 65537};
    cr_assert_eq(physdev(PHYSDEVOP_set_iobitmap, &s, sizeof(s)), -XEN_EINVAL);
    s.nr_ports = 8;
    s.bitmap = 0xffff800000000000ULL; /* the hypervisor's */
    cr_assert_eq(physdev(PHYSDEVOP_set_iobitmap, &s, sizeof(s)), -XEN_EINVAL);
    s.bitmap = 0x00007fffffffff00ULL; /* 8 KiB would run off the lower half */
    cr_assert_eq(physdev(PHYSDEVOP_set_iobitmap, &s, sizeof(s)), -XEN_EINVAL);
    s.bitmap = 0xffffffffffffff00ULL; /* would wrap */
    cr_assert_eq(physdev(PHYSDEVOP_set_iobitmap, &s, sizeof(s)), -XEN_EINVAL);
    cr_assert_eq(current->iobmp_limit, 0, "refusals change nothing");
}

/* ---- I/O port permissions ---- */

/* dom0 has every port but the hypervisor's: PICs, PIT, COM1 (its console), debug exit... */
Test(physdev, dom0_ports)
{
    static const uint16_t allowed[] = {0x0,   0x1f,  0x22,  0x60,  0x64,  0x70,  0x80,  0x2f8,
                                       0x3f7, 0x400, 0x510, 0x604, 0xcf8, 0xcfc, 0xffff};
    static const uint16_t kept[] = {0x20, 0x21, 0x40, 0x43,  0x61,  0x92, 0xa0,
                                    0xa1, 0xf4, 0xf7, 0x3f8, 0x3ff, 0xcf9};

    for (unsigned int i = 0; i < ARRAY_SIZE(allowed); i++)
        cr_assert(ioports_permitted(dom0, allowed[i], allowed[i]), "port %#x", allowed[i]);
    for (unsigned int i = 0; i < ARRAY_SIZE(kept); i++)
        cr_assert_not(ioports_permitted(dom0, kept[i], kept[i]), "port %#x", kept[i]);
    cr_assert(ioports_permitted(dom0, 0x2f8, 0x2ff));
    cr_assert_not(ioports_permitted(dom0, 0x3f0, 0x3ff), "a span touching COM1");
    cr_assert_not(ioports_permitted(domu, 0x2f8, 0x2f8), "a domU starts with nothing");
}

Test(physdev, port_ranges_merge_and_split)
{
    cr_assert_eq(ioports_permit(domu, 0x2f8, 0x2ff), 0);
    cr_assert_eq(ioports_permit(domu, 0x300, 0x30f), 0);
    cr_assert_eq(domu->irq.nr_ioport_ranges, 1, "adjacent ranges merge");
    cr_assert(ioports_permitted(domu, 0x2fc, 0x305));
    cr_assert_eq(ioports_permit(domu, 0x2f0, 0x2fa), 0);
    cr_assert_eq(domu->irq.nr_ioport_ranges, 1, "overlapping ranges merge");
    cr_assert_eq(domu->irq.ioports[0].first, 0x2f0);
    cr_assert_eq(ioports_deny(domu, 0x300, 0x300), 0);
    cr_assert_eq(domu->irq.nr_ioport_ranges, 2);
    cr_assert_not(ioports_permitted(domu, 0x2ff, 0x301));
    cr_assert(ioports_permitted(domu, 0x301, 0x30f));
    cr_assert(ioports_permitted(domu, 0x2f0, 0x2ff));
    cr_assert_eq(ioports_permit(domu, 0x10, 0x10), 0);
    cr_assert_eq(domu->irq.ioports[0].first, 0x10, "kept sorted");
    cr_assert_eq(ioports_deny(domu, 0, 0xffff), 0);
    cr_assert_eq(domu->irq.nr_ioport_ranges, 0);
}

Test(physdev, port_permission_refusals)
{
    cr_assert_eq(ioports_permit(domu, 0xf4, 0xf4), -XEN_EPERM, "isa-debug-exit");
    cr_assert_eq(ioports_permit(domu, 0x3f0, 0x3f8), -XEN_EPERM, "the console UART");
    cr_assert_eq(ioports_permit(domu, 0x40, 0x40), -XEN_EPERM, "PIT");
    cr_assert_eq(ioports_permit(domu, 0x301, 0x300), -XEN_EINVAL);
    cr_assert_eq(ioports_permit(domu, 0xffff, 0x10000), -XEN_EINVAL);
    for (unsigned int i = 0; i < IOPORT_MAX_RANGES; i++)
        cr_assert_eq(ioports_permit(domu, 0x1000 + 4 * i, 0x1000 + 4 * i + 2), 0);
    cr_assert_eq(ioports_permit(domu, 0x2000, 0x2000), -XEN_ENOSPC);
    cr_assert_eq(ioports_deny(domu, 0x1001, 0x1001), -XEN_ENOSPC, "a split that cannot fit");
    cr_assert(ioports_permitted(domu, 0x1000, 0x1002), "refusals change nothing");
    cr_assert_eq(ioports_deny(domu, 0x1000, 0x1000), 0, "trimming needs no room");
    cr_assert_eq(ioports_permit(domu, 0x1003, 0x1003), 0, "joining two ranges makes room");
    cr_assert_eq(domu->irq.nr_ioport_ranges, IOPORT_MAX_RANGES - 1);
}

/* ---- IRQ permissions ---- */

Test(physdev, dom0_gsis)
{
    for (unsigned int gsi = 0; gsi < IRQ_NR_GSIS; gsi++) {
        bool want = gsi < HARNESS_NR_GSIS && gsi != 0 && gsi != 2 && gsi != 4;

        cr_assert_eq(irq_gsi_permitted(dom0, gsi), want, "GSI %u", gsi);
        cr_assert_not(irq_gsi_permitted(domu, gsi), "GSI %u", gsi);
    }
    cr_assert_eq(irq_permit_gsi(domu, 2), -XEN_EPERM, "the PIT");
    cr_assert_eq(irq_permit_gsi(domu, 4), -XEN_EPERM, "the console UART");
    cr_assert_eq(irq_permit_gsi(domu, IRQ_NR_GSIS), -XEN_EINVAL);
}

/* A boot module line's irqs= and ioports= become permissions; what the hypervisor keeps
 * is refused and reported. */
Test(physdev, boot_permissions_from_the_module_line)
{
    struct module_args ma;
    const char *why = NULL;

    cr_assert_eq(
        module_args_parse("g.elf domU irqs=3,4 irqs=9 ioports=2f8-2ff,0x3f8 -- x", &ma, &why), 0,
        "%s", why);
    cr_assert_eq(irq_boot_permissions(domu, &ma), 2);
    cr_assert(irq_gsi_permitted(domu, 3));
    cr_assert(irq_gsi_permitted(domu, 9));
    cr_assert_not(irq_gsi_permitted(domu, 4));
    cr_assert(ioports_permitted(domu, 0x2f8, 0x2ff));
    cr_assert_not(ioports_permitted(domu, 0x3f8, 0x3f8));
    cr_assert(strstr(console_text(), "d1: irqs=: GSI 4 is the hypervisor's: not given"));
    cr_assert(strstr(console_text(), "d1: ioports=0x3f8-0x3f8"));
    cr_assert_eq(module_args_parse("g.elf domU irqs=30 -- x", &ma, &why), 0);
    cr_assert_eq(irq_boot_permissions(domu, &ma), 1, "no such GSI");
    cr_assert_not(irq_gsi_permitted(domu, 30));
}

/* ---- map_pirq / unmap_pirq ---- */

/* A domU may not map a line without permission, nor for anybody else. */
Test(physdev, map_refused_without_permission)
{
    struct physdev_map_pirq m = {
        .domid = DOMID_SELF, .type = MAP_PIRQ_TYPE_GSI, .index = 3, .pirq = -1};
    int pirq = -1;

    cr_assert_eq(physdev(PHYSDEVOP_map_pirq, &m, sizeof(m)), -XEN_EPERM);
    cr_assert_eq(m.pirq, -1, "the struct comes back unchanged");
    cr_assert_eq(map_pirq(0, MAP_PIRQ_TYPE_GSI, 3, &pirq), -XEN_EPERM, "for dom0");
    cr_assert_eq(map_pirq(50, MAP_PIRQ_TYPE_GSI, 3, &pirq), -XEN_ESRCH, "no such domain");
    cr_assert_eq(irq_permit_gsi(domu, 3), 0);
    cr_assert_eq(map_pirq(0, MAP_PIRQ_TYPE_GSI, 3, &pirq), -XEN_EPERM,
                 "permission for a line is not privilege over dom0");
    cr_assert_eq(map_gsi(DOMID_SELF, 5, 5), -XEN_EPERM, "another line");
    cr_assert_eq(domu->irq.pirq_gsi[5], 0);
}

Test(physdev, map_own_gsi)
{
    int pirq = -1;

    cr_assert_eq(irq_permit_gsi(domu, 3), 0);
    cr_assert_eq(irq_permit_gsi(domu, 5), 0);
    cr_assert_eq(map_gsi(DOMID_SELF, 3, 3), 3, "the pirq asked for");
    cr_assert_eq(domu->irq.pirq_gsi[3], 3);
    cr_assert_eq(map_gsi(DOMID_SELF, 3, 3), 3, "again: the same");
    cr_assert_eq(map_gsi(1, 3, -1), 3, "any pirq: the one it has");
    cr_assert_eq(map_gsi(DOMID_SELF, 3, 7), -XEN_EEXIST, "the line has another pirq");
    cr_assert_eq(map_gsi(DOMID_SELF, 5, 3), -XEN_EEXIST, "the pirq has another line");
    cr_assert_eq(map_gsi(DOMID_SELF, 5, -1), 16, "Xen's choice: the first above 15");
    cr_assert_eq(domu->irq.pirq_gsi[16], 5);
    cr_assert_eq(map_gsi(DOMID_SELF, 5, NR_PIRQS), -XEN_EINVAL);
    cr_assert_eq(map_gsi(DOMID_SELF, 0, 0), -XEN_EINVAL, "GSI 0");
    cr_assert_eq(map_gsi(DOMID_SELF, -1, 0), -XEN_EINVAL);
    cr_assert_eq(map_gsi(DOMID_SELF, HARNESS_NR_GSIS, 40), -XEN_EINVAL, "no such GSI");
    cr_assert_eq(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_MSI, 3, &pirq), -XEN_ENODEV);
    cr_assert_eq(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_MULTI_MSI, 3, &pirq), -XEN_ENODEV);
    cr_assert_eq(map_pirq(DOMID_SELF, MAP_PIRQ_TYPE_UNKNOWN, 3, &pirq), -XEN_EINVAL);
    cr_assert_eq(map_pirq(DOMID_SELF, 99, 3, &pirq), -XEN_EINVAL);
    cr_assert_eq(hc(__HYPERVISOR_physdev_op, PHYSDEVOP_map_pirq, GUEST_BASE + GUEST_SIZE - 20),
                 -XEN_EFAULT, "a struct running off the mapped memory");
}

/* The hypervisor's lines are nobody's, dom0's included. */
Test(physdev, hypervisor_lines_cannot_be_mapped)
{
    harness_set_current(dom0);
    cr_assert_eq(map_gsi(DOMID_SELF, 2, 2), -XEN_EPERM, "PIT");
    cr_assert_eq(map_gsi(DOMID_SELF, 4, 4), -XEN_EPERM, "COM1, the console");
    cr_assert_eq(map_gsi(DOMID_SELF, 3, 3), 3, "COM2 is dom0's");
}

/* As Xen's toolstack does for a passed-through line: dom0 maps it into the domU, which
 * gains permission with the mapping and loses it with the unmap. */
Test(physdev, dom0_maps_for_a_domu)
{
    uint32_t port;
    struct evtchn_status st = {.dom = DOMID_SELF};
    uint64_t va;

    harness_set_current(dom0);
    cr_assert_eq(map_gsi(1, 3, 3), 3);
    cr_assert(irq_gsi_permitted(domu, 3));
    cr_assert_eq(domu->irq.pirq_gsi[3], 3);
    cr_assert_eq(dom0->irq.pirq_gsi[3], 0, "mapped in the domU only");
    cr_assert_eq(map_gsi(DOMID_SELF, 3, 3), -XEN_EBUSY, "one domain per line");
    harness_set_current(domu);
    cr_assert_eq(bind_pirq(3, &port), 0);
    cr_assert(harness.gsi[3].routed);
    harness_set_current(dom0);
    cr_assert_eq(unmap_pirq(1, 3), 0);
    cr_assert_not(irq_gsi_permitted(domu, 3));
    cr_assert_not(harness.gsi[3].routed, "a bound pirq is unbound from its line");
    harness_set_current(domu);
    st.port = port;
    va = guest_put(&st, sizeof(st));
    cr_assert_eq(hc(__HYPERVISOR_event_channel_op, EVTCHNOP_status, va), 0);
    cr_assert_eq(((struct evtchn_status *)guest_mem(va, sizeof(st)))->status, EVTCHNSTAT_pirq);
    cr_assert_eq(close_port(port), 0, "the port stays until closed (Xen's forced unbind)");
    harness_set_current(dom0);
    cr_assert_eq(map_gsi(DOMID_SELF, 3, 3), 3, "the line is free again");
}

/* A domU's own permission (boot config) survives unmapping. */
Test(physdev, unmap)
{
    cr_assert_eq(irq_permit_gsi(domu, 3), 0);
    cr_assert_eq(unmap_pirq(DOMID_SELF, 3), -XEN_EINVAL, "not mapped");
    cr_assert_eq(map_gsi(DOMID_SELF, 3, 3), 3);
    cr_assert_eq(unmap_pirq(DOMID_SELF, -1), -XEN_EINVAL);
    cr_assert_eq(unmap_pirq(DOMID_SELF, NR_PIRQS), -XEN_EINVAL);
    cr_assert_eq(unmap_pirq(0, 3), -XEN_EPERM, "dom0's");
    cr_assert_eq(unmap_pirq(50, 3), -XEN_ESRCH);
    cr_assert_eq(unmap_pirq(DOMID_SELF, 3), 0);
    cr_assert_eq(domu->irq.pirq_gsi[3], 0);
    cr_assert(irq_gsi_permitted(domu, 3));
    cr_assert_eq(unmap_pirq(DOMID_SELF, 3), -XEN_EINVAL, "already unmapped");
}

/* ---- binding and delivery ---- */

/* Only a pirq mapped to a permitted line can be bound. */
Test(physdev, bind_needs_mapping_and_permission)
{
    cr_assert_eq(bind_pirq(3, NULL), -XEN_EPERM, "not mapped");
    cr_assert_eq(irq_permit_gsi(domu, 3), 0);
    cr_assert_eq(bind_pirq(3, NULL), -XEN_EPERM, "permitted but not mapped");
    cr_assert_eq(map_gsi(DOMID_SELF, 3, 3), 3);
    cr_assert_eq(irq_deny_gsi(domu, 3), 0);
    cr_assert_eq(bind_pirq(3, NULL), -XEN_EPERM, "mapped, permission taken away");
    cr_assert_not(harness.gsi[3].routed);
}

Test(physdev, bind_routes_and_close_releases)
{
    unsigned int vectors = harness.vectors_in_use;
    uint32_t port = bound_line(3);

    cr_assert(harness.gsi[3].routed);
    cr_assert_not(harness.gsi[3].masked);
    cr_assert_not(harness.gsi[3].level, "ISA lines are edge-triggered");
    cr_assert_geq(harness.gsi[3].vector, IRQ_VECTOR_FIRST);
    cr_assert_eq(harness.vectors_in_use, vectors + 1);
    cr_assert_eq(domu->pirq_to_port[3], port);
    cr_assert_eq(bind_pirq(3, NULL), -XEN_EEXIST);
    cr_assert_eq(close_port(port), 0);
    cr_assert_not(harness.gsi[3].routed);
    cr_assert_eq(harness.vectors_in_use, vectors, "vector given back");
    cr_assert_eq(domu->irq.pirq_gsi[3], 3, "still mapped");
    cr_assert_eq(bind_pirq(3, &port), 0, "and can be bound again");
}

Test(physdev, bind_without_a_vector)
{
    cr_assert_eq(irq_permit_gsi(domu, 3), 0);
    cr_assert_eq(map_gsi(DOMID_SELF, 3, 3), 3);
    harness.no_vectors = true;
    cr_assert_eq(bind_pirq(3, NULL), -XEN_ENOSPC);
    cr_assert_eq(domu->pirq_to_port[3], 0, "nothing half done");
    harness.no_vectors = false;
    cr_assert_eq(bind_pirq(3, NULL), 0);
}

/* An edge line: the interrupt is recorded, the softirq raises the port; no EOI needed. */
Test(physdev, edge_delivery)
{
    uint32_t port = bound_line(3);
    unsigned int unmasks = harness.gsi[3].unmasks;

    fake_percpu.softirq_pending = 0;
    interrupt(3);
    cr_assert_eq(fake_percpu.softirq_pending, 1u << SOFTIRQ_PIRQ);
    cr_assert_not(pending(domu, port), "nothing is sent in interrupt context");
    pirq_softirq();
    cr_assert(pending(domu, port));
    cr_assert_eq(harness.last_kicked, domu->vcpus[0]);
    cr_assert_not(harness.gsi[3].masked);
    cr_assert_eq(eoi(3), 0);
    cr_assert_eq(harness.gsi[3].unmasks, unmasks, "EOI of an edge line changes nothing");
    clear_pending(domu, port);
    pirq_softirq();
    cr_assert_not(pending(domu, port), "each interrupt is delivered once");
}

/* A level line stays masked from delivery until the guest's EOI, which unmasks it once. */
Test(physdev, level_delivery_and_eoi)
{
    uint32_t port = bound_line(9);
    unsigned int unmasks;

    cr_assert(harness.gsi[9].level, "the MADT says ISA IRQ 9 is level-triggered");
    interrupt(9);
    pirq_softirq();
    cr_assert(pending(domu, port));
    cr_assert(harness.gsi[9].masked);
    unmasks = harness.gsi[9].unmasks;
    cr_assert_eq(eoi(9), 0);
    cr_assert_not(harness.gsi[9].masked);
    cr_assert_eq(harness.gsi[9].unmasks, unmasks + 1);
    cr_assert_eq(eoi(9), 0, "a second EOI is harmless");
    cr_assert_eq(harness.gsi[9].unmasks, unmasks + 1);
    cr_assert_eq(eoi(3), -XEN_EINVAL, "not mapped");
    cr_assert_eq(eoi(NR_PIRQS), -XEN_EINVAL);
    cr_assert_eq(eoi(0xffffffff), -XEN_EINVAL);
}

/* An interrupt recorded for a line since unbound, or for a dying domain, is dropped. */
Test(physdev, stale_interrupts_are_dropped)
{
    uint32_t port = bound_line(9);

    interrupt(9);
    cr_assert_eq(close_port(port), 0);
    pirq_softirq();
    cr_assert_eq(harness.kicks, 0);
    cr_assert_eq(bind_pirq(9, &port), 0);
    domu->state = DOM_SHUTDOWN;
    interrupt(9);
    pirq_softirq();
    cr_assert_not(pending(domu, port));
    cr_assert(harness.gsi[9].masked, "a level line stays masked");
    domu->state = DOM_RUNNING;
}

/* The "needs EOI" map: set while a pirq is bound to a level line, clear for an edge one. */
Test(physdev, eoi_map)
{
    uint64_t mfn = domain_frame(domu, PGT_none), *map = mfn_to_virt(mfn);

    cr_assert_eq(eoi_gmfn(PHYSDEVOP_pirq_eoi_gmfn_v2, mfn), 0);
    cr_assert_eq(mfn_to_page(mfn)->type, PGT_writable);
    cr_assert_eq(mfn_to_page(mfn)->type_count, 1);
    map[0] = 1ULL << 3; /* stale guest data: binding an edge line clears it */
    bound_line(3);
    bound_line(9);
    cr_assert_eq(map[0], 1ULL << 9);
    cr_assert_eq(eoi_gmfn(PHYSDEVOP_pirq_eoi_gmfn_v2, mfn), -XEN_EBUSY);
    cr_assert_eq(mfn_to_page(mfn)->type_count, 1, "the refused call took no reference");
    irq_domain_destroy(domu);
    cr_assert_eq(mfn_to_page(mfn)->type_count, 0, "teardown drops it");
    cr_assert_not(harness.gsi[9].routed);
}

Test(physdev, eoi_map_refusals)
{
    cr_assert_eq(eoi_gmfn(PHYSDEVOP_pirq_eoi_gmfn_v2, domain_frame(dom0, PGT_none)), -XEN_EINVAL,
                 "dom0's frame");
    cr_assert_eq(eoi_gmfn(PHYSDEVOP_pirq_eoi_gmfn_v1, domain_frame(domu, PGT_l1)), -XEN_EINVAL,
                 "a page table");
    cr_assert_eq(eoi_gmfn(PHYSDEVOP_pirq_eoi_gmfn_v2, 5), -XEN_EINVAL, "nobody's frame");
    cr_assert_eq(eoi_gmfn(PHYSDEVOP_pirq_eoi_gmfn_v2, ~0ULL), -XEN_EINVAL);
    cr_assert_eq(domu->irq.eoi_map_mfn, 0);
}

/* v1 of the map also makes PHYSDEVOP_eoi unmask the pirq's port (and deliver it). */
Test(physdev, eoi_map_v1_unmasks_the_port)
{
    uint64_t mfn = domain_frame(domu, PGT_none);
    uint32_t port;

    cr_assert_eq(eoi_gmfn(PHYSDEVOP_pirq_eoi_gmfn_v1, mfn), 0);
    port = bound_line(9);
    domu->shared_info->evtchn_mask[port / 64] |= 1ULL << (port % 64);
    interrupt(9);
    pirq_softirq();
    cr_assert(pending(domu, port));
    cr_assert_eq(domu->vcpus[0]->vcpu_info->evtchn_upcall_pending, 0, "masked");
    cr_assert_eq(eoi(9), 0);
    cr_assert_not(domu->shared_info->evtchn_mask[port / 64] >> (port % 64) & 1);
    cr_assert_eq(domu->vcpus[0]->vcpu_info->evtchn_upcall_pending, 1);
    cr_assert_not(harness.gsi[9].masked);
}

/* The legacy unmask notification EOIs delivered pirqs whose ports the guest unmasked. */
Test(physdev, irq_unmask_notify)
{
    uint32_t port = bound_line(9);

    domu->shared_info->evtchn_mask[port / 64] |= 1ULL << (port % 64);
    interrupt(9);
    pirq_softirq();
    cr_assert_eq(hc(__HYPERVISOR_physdev_op, PHYSDEVOP_IRQ_UNMASK_NOTIFY, 0), 0);
    cr_assert(harness.gsi[9].masked, "port still masked: no EOI");
    domu->shared_info->evtchn_mask[port / 64] &= ~(1ULL << (port % 64));
    cr_assert_eq(hc(__HYPERVISOR_physdev_op, PHYSDEVOP_IRQ_UNMASK_NOTIFY, 0), 0);
    cr_assert_not(harness.gsi[9].masked);
}

/* As Xen 4.17 for PV guests: needs_eoi for every pirq, shared never. */
Test(physdev, irq_status_query)
{
    struct physdev_irq_status_query q;

    for (uint32_t irq = 0; irq < NR_PIRQS; irq += 51) {
        q = (struct physdev_irq_status_query){.irq = irq, .flags = 0xff};
        cr_assert_eq(physdev(PHYSDEVOP_irq_status_query, &q, sizeof(q)), 0);
        cr_assert_eq(q.flags, XENIRQSTAT_needs_eoi);
    }
    q = (struct physdev_irq_status_query){.irq = NR_PIRQS, .flags = 0xff};
    cr_assert_eq(physdev(PHYSDEVOP_irq_status_query, &q, sizeof(q)), -XEN_EINVAL);
    cr_assert_eq(q.flags, 0xff);
    q.irq = 0xffffffff;
    cr_assert_eq(physdev(PHYSDEVOP_irq_status_query, &q, sizeof(q)), -XEN_EINVAL);
}

/* ---- setup_gsi ---- */

Test(physdev, setup_gsi)
{
    cr_assert_eq(setup_gsi(3, 1, 1), -XEN_EPERM, "a domU");
    cr_assert_eq(setup_gsi(HARNESS_NR_GSIS, 0, 0), -XEN_EINVAL, "range before privilege");
    harness_set_current(dom0);
    cr_assert_eq(setup_gsi(-1, 0, 0), -XEN_EINVAL);
    cr_assert_eq(setup_gsi(HARNESS_NR_GSIS, 0, 0), -XEN_EINVAL);
    cr_assert_eq(setup_gsi(4, 1, 1), -XEN_EEXIST, "the console's");
    cr_assert_eq(setup_gsi(3, 1, 1), 0);
    harness_set_current(domu);
    bound_line(3);
    cr_assert(harness.gsi[3].level);
    cr_assert(harness.gsi[3].active_low);
    harness_set_current(dom0);
    cr_assert_eq(setup_gsi(3, 0, 0), -XEN_EEXIST, "bound");
}

/* ---- teardown ---- */

/* A dying domain's lines go back: unbound, unmapped, free for another domain. */
Test(physdev, teardown_releases_the_lines)
{
    unsigned int vectors = harness.vectors_in_use;

    bound_line(9);
    interrupt(9);
    pirq_softirq();
    harness_set_current(dom0);
    domain_shutdown(domu, SHUTDOWN_crash);
    domain_reap();
    cr_assert_null(domains[1]);
    cr_assert_not(harness.gsi[9].routed);
    cr_assert_eq(harness.vectors_in_use, vectors);
    cr_assert_eq(map_gsi(DOMID_SELF, 9, 9), 9, "free for dom0 now");
}

/* ---- physdev_op_compat (#19): {cmd, pad, the op's struct at offset 8} ---- */

Test(physdev, compat)
{
    uint32_t op[6] = {PHYSDEVOP_irq_status_query, 0, 7, 0};
    uint64_t va = guest_put(op, sizeof(op));

    cr_assert_eq(hc(__HYPERVISOR_physdev_op_compat, va), 0);
    cr_assert_eq(((uint32_t *)guest_mem(va, sizeof(op)))[3], XENIRQSTAT_needs_eoi);
    op[0] = PHYSDEVOP_set_iopl;
    op[2] = 1;
    cr_assert_eq(hc(__HYPERVISOR_physdev_op_compat, guest_put(op, sizeof(op))), 0);
    cr_assert_eq(current->virtual_iopl, 1);
    op[0] = PHYSDEVOP_IRQ_UNMASK_NOTIFY;
    cr_assert_eq(hc(__HYPERVISOR_physdev_op_compat, guest_put(op, sizeof(op))), 0);
    op[0] = PHYSDEVOP_apic_read;
    cr_assert_eq(hc(__HYPERVISOR_physdev_op_compat, guest_put(op, sizeof(op))), -XEN_ENOSYS);
    op[0] = PHYSDEVOP_eoi; /* every command is passed on, as Xen 4.17 does */
    op[2] = 7;
    cr_assert_eq(hc(__HYPERVISOR_physdev_op_compat, guest_put(op, sizeof(op))), -XEN_EINVAL);
    /* The whole 24-byte struct is read first. */
    cr_assert_eq(hc(__HYPERVISOR_physdev_op_compat, GUEST_BASE + GUEST_SIZE - 16), -XEN_EFAULT);
    cr_assert_eq(hc(__HYPERVISOR_physdev_op_compat, UNMAPPED_VA), -XEN_EFAULT);
}
