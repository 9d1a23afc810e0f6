/* SPDX-License-Identifier: MIT */
/*
 * Physical IRQs and I/O ports for domains: what each domain may use, the pirqs it has mapped
 * to interrupt lines (GSIs) and bound to event channels, and how a device interrupt becomes
 * an event.  The guest-facing operations are PHYSDEVOP_* (hypercalls/physdev.c),
 * EVTCHNOP_bind_pirq (common/event.c calls the hooks declared in event.h) and port I/O
 * (arch/x86_64/pv/emulate.c).  docs/irq.md describes the model.
 *
 * Everything here runs under the hypervisor lock except do_device_irq() (interrupt context),
 * which only records that a line fired and raises SOFTIRQ_PIRQ.
 */
#ifndef XEN_LITE_IRQ_H
#define XEN_LITE_IRQ_H

#include <stdbool.h>
#include <stdint.h>
#include <event.h>

struct domain;
struct module_args;

/* GSIs a domain can be given: the IO-APIC layer's MAX_GSIS (irq.c checks they agree). */
#define IRQ_NR_GSIS 256
/* I/O port ranges a domain can hold (merged: adjacent and overlapping ranges become one). */
#define IOPORT_MAX_RANGES 16

struct ioport_range {
    uint16_t first, last; /* inclusive */
};

/* A domain's physical-IRQ and I/O state (struct domain's `irq`). */
struct domain_irq {
    uint64_t gsi_allowed[IRQ_NR_GSIS / 64];         /* GSIs it may map (and so bind): bit per GSI */
    struct ioport_range ioports[IOPORT_MAX_RANGES]; /* ports it may use: sorted, disjoint */
    unsigned int nr_ioport_ranges;
    uint16_t pirq_gsi[NR_PIRQS]; /* the GSI each pirq is mapped to; 0 = none (never GSI 0) */
    /* PHYSDEVOP_pirq_eoi_gmfn: the guest frame of "needs EOI" bits (0 = none registered). */
    uint64_t eoi_map_mfn;
    uint64_t *eoi_map;
    bool eoi_auto_unmask; /* registered with the v1 call: PHYSDEVOP_eoi also unmasks the port */
};

/*
 * Boot, after ioapic_init(): decides which GSIs and ports the hypervisor keeps for itself
 * (PIT, PICs, its serial console, isa-debug-exit, ...), reads the default trigger mode of
 * every GSI, opens SOFTIRQ_PIRQ, and routes the console UART's receive interrupt so that
 * input raises VIRQ_CONSOLE in dom0.
 */
void irq_init(void);

/* dom0's permissions: every GSI and port except the hypervisor's own.  0 or -XEN_Exxx. */
int irq_setup_dom0(struct domain *d);

/*
 * A boot-time domU's permissions from its module line (irqs=, ioports=).  Logs and skips
 * what the hypervisor keeps or what does not fit; returns how many grants were refused.
 */
int irq_boot_permissions(struct domain *d, const struct module_args *ma);

/*
 * Permissions.  The toolstack's XEN_DOMCTL_irq_permission / ioport_permission will call
 * these once domain management exists.  Granting anything the hypervisor keeps for itself
 * is -XEN_EPERM; a GSI past IRQ_NR_GSIS or an empty/backward port range -XEN_EINVAL; more
 * port ranges than IOPORT_MAX_RANGES -XEN_ENOSPC.  Denying only changes the permission:
 * a line already mapped stays mapped until unmapped.
 */
int irq_permit_gsi(struct domain *d, unsigned int gsi);
int irq_deny_gsi(struct domain *d, unsigned int gsi);
bool irq_gsi_permitted(const struct domain *d, unsigned int gsi);
int ioports_permit(struct domain *d, unsigned int first, unsigned int last);
int ioports_deny(struct domain *d, unsigned int first, unsigned int last);
/* True if d may use every port in [first, last]. */
bool ioports_permitted(const struct domain *d, unsigned int first, unsigned int last);

/*
 * PHYSDEVOP_map_pirq (MAP_PIRQ_TYPE_GSI): maps gsi to a pirq of d on behalf of caller
 * (caller == d, or a privileged caller; the hypercall layer has checked that).  pirq < 0
 * asks for the lowest free pirq from 16 up (Xen's choice); otherwise that pirq.  caller
 * needs permission for the GSI; if d lacks it, d is granted it (as Xen does when the
 * toolstack maps a line for a guest) until the pirq is unmapped.  Returns the pirq, or
 * -XEN_EINVAL (no such GSI, GSI 0, pirq out of range), -XEN_EPERM, -XEN_EEXIST (the GSI is
 * mapped to another pirq of d, or the pirq to another GSI), -XEN_EBUSY (another domain has
 * the GSI mapped), -XEN_ENOSPC.  Mapping what is already mapped the same way returns it.
 */
int pirq_map_gsi(struct domain *caller, struct domain *d, int gsi, int pirq);

/*
 * PHYSDEVOP_unmap_pirq: unmaps pirq of d.  A bound pirq is unbound from the line (masked
 * and unrouted) but its event channel stays until closed, as Xen's forced unbind.
 * -XEN_EINVAL if pirq is out of range or not mapped.
 */
int pirq_unmap(struct domain *d, int pirq);

/*
 * PHYSDEVOP_eoi: the guest has handled pirq.  A level-triggered line that was delivered is
 * unmasked again; with the v1 EOI map the port is unmasked too.  -XEN_EINVAL if pirq is out
 * of range or not mapped.
 */
int pirq_eoi(struct domain *d, uint32_t pirq);

/* PHYSDEVOP_IRQ_UNMASK_NOTIFY (legacy): EOIs every delivered pirq whose port is unmasked. */
int pirq_unmask_notify(struct domain *d);

/*
 * PHYSDEVOP_setup_gsi: sets the trigger mode and polarity used when gsi is next bound.
 * -XEN_EINVAL (no such GSI), then -XEN_EPERM (caller not privileged), -XEN_EEXIST (the line
 * is bound, or the hypervisor's).
 */
int gsi_setup(struct domain *caller, int gsi, bool level, bool active_low);

/*
 * PHYSDEVOP_pirq_eoi_gmfn_v1/v2: d's frame mfn becomes its "needs EOI" bitmap (a bit per
 * pirq, set while bound to a level-triggered line).  -XEN_EINVAL if the frame is not d's or
 * cannot be writable, -XEN_EBUSY if d already registered one.
 */
int pirq_eoi_map_register(struct domain *d, uint64_t mfn, bool auto_unmask);

/* Releases everything d holds: bindings, mappings, the EOI map frame (domain teardown). */
void irq_domain_destroy(struct domain *d);

/* SOFTIRQ_PIRQ: delivers the lines do_device_irq() recorded (exposed for unit tests). */
void pirq_softirq(void);

#endif
