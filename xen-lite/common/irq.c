/* SPDX-License-Identifier: MIT */
/* Physical IRQs for domains: permissions, pirq mappings and bindings, delivery as events. */
#include <string.h>
#include <public/xen.h>
#include <asm/ioapic.h>
#include <cmdline.h>
#include <console.h>
#include <domain.h>
#include <event.h>
#include <irq.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>
#include <page-type.h>
#include <softirq.h>

_Static_assert(IRQ_NR_GSIS == MAX_GSIS, "a domain's GSI permissions cover every GSI");
_Static_assert(NR_PIRQS >= IRQ_NR_GSIS, "identity pirqs (pirq = GSI) must fit");
_Static_assert(MODULE_MAX_GSIS == IRQ_NR_GSIS, "irqs= covers every GSI");

/*
 * The model (docs/irq.md): a domain may *map* a GSI it has permission for to one of its
 * pirqs, then *bind* that pirq to an event channel.  Binding routes the line to a vector on
 * CPU 0 and unmasks it; each interrupt then raises the port.  A level-triggered line stays
 * masked from delivery until the guest's PHYSDEVOP_eoi.  One domain at a time has a GSI
 * mapped (no sharing of lines between domains).
 *
 * Locking: everything but do_device_irq() runs under the hypervisor lock.  The interrupt
 * handler only sets the line's bit in gsi_fired and raises SOFTIRQ_PIRQ, whose handler
 * (under the lock) delivers.  Binding routes the line masked and marks it bound before it
 * unmasks; unbinding unroutes before forgetting: an interrupt is only ever recorded for a
 * line that is routed, and a stale record finds the line unbound and is dropped.
 */

/* What the IRQ layer knows about one GSI. */
struct gsi_state {
    bool hv_owned; /* the hypervisor's (PIT, its console UART): never a guest's */
    bool level;    /* trigger mode and polarity used when the line is bound */
    bool active_low;
    struct domain *owner; /* the domain that has it mapped, or NULL */
    uint16_t pirq;        /* ... as this pirq */
    bool granted;         /* owner's permission came with the mapping (taken back by unmap) */
    bool bound;           /* an event channel is bound: routed to `vector` on CPU 0 */
    bool in_flight;       /* level line delivered: masked until the owner's EOI */
    uint8_t vector;
};

static struct gsi_state gsis[IRQ_NR_GSIS];
static uint64_t gsi_fired[IRQ_NR_GSIS / 64]; /* set in interrupt context */
static int console_gsi = -1;                 /* the console UART's line: raises VIRQ_CONSOLE */
static unsigned int console_uart;            /* its port base, 0 = none */

/*
 * Ports the hypervisor drives itself (plus its console UART): a guest writing them could
 * unmask the legacy PICs, reprogram the timer the hypervisor calibrated with, reset the CPU
 * under it, or end the machine with a forged exit status (isa-debug-exit).  The list
 * follows Xen's for dom0 where the reasons are the same.
 */
static const struct ioport_range hv_ports[] = {
    {0x20, 0x21},   /* master 8259 PIC (kept masked) */
    {0x40, 0x43},   /* PIT */
    {0x61, 0x61},   /* PIT channel 2 gate (TSC calibration) */
    {0x92, 0x92},   /* fast A20 / INIT */
    {0xa0, 0xa1},   /* slave 8259 PIC */
    {0xcf9, 0xcf9}, /* reset control */
    {0xf4, 0xf7},   /* QEMU isa-debug-exit */
};

/* ---- permissions ---- */

static bool test_bit(const uint64_t *map, unsigned int bit)
{
    return map[bit / 64] >> (bit % 64) & 1;
}

static void set_bit(uint64_t *map, unsigned int bit, bool on)
{
    if (on)
        map[bit / 64] |= 1ULL << (bit % 64);
    else
        map[bit / 64] &= ~(1ULL << (bit % 64));
}

static bool ranges_overlap(unsigned int a0, unsigned int a1, unsigned int b0, unsigned int b1)
{
    return a0 <= b1 && b0 <= a1;
}

static bool hv_port(unsigned int first, unsigned int last)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(hv_ports); i++)
        if (ranges_overlap(first, last, hv_ports[i].first, hv_ports[i].last))
            return true;
    return console_uart && ranges_overlap(first, last, console_uart, console_uart + 7);
}

bool irq_gsi_permitted(const struct domain *d, unsigned int gsi)
{
    return gsi < IRQ_NR_GSIS && test_bit(d->irq.gsi_allowed, gsi);
}

int irq_permit_gsi(struct domain *d, unsigned int gsi)
{
    if (gsi >= IRQ_NR_GSIS)
        return -XEN_EINVAL;
    if (gsis[gsi].hv_owned)
        return -XEN_EPERM;
    set_bit(d->irq.gsi_allowed, gsi, true);
    return 0;
}

int irq_deny_gsi(struct domain *d, unsigned int gsi)
{
    if (gsi >= IRQ_NR_GSIS)
        return -XEN_EINVAL;
    set_bit(d->irq.gsi_allowed, gsi, false);
    if (gsis[gsi].owner == d)
        gsis[gsi].granted = false; /* no longer the mapping's to take back */
    return 0;
}

bool ioports_permitted(const struct domain *d, unsigned int first, unsigned int last)
{
    if (first > last)
        return false;
    /* Ranges are merged, so an allowed span always lies inside a single range. */
    for (unsigned int i = 0; i < d->irq.nr_ioport_ranges; i++)
        if (d->irq.ioports[i].first <= first && last <= d->irq.ioports[i].last)
            return true;
    return false;
}

/*
 * Rebuilds d's port ranges with [first, last] added or taken away.  Check step on a copy:
 * nothing changes if the result does not fit (-ENOSPC).
 */
static int ioports_update(struct domain *d, unsigned int first, unsigned int last, bool add)
{
    struct ioport_range out[IOPORT_MAX_RANGES];
    unsigned int n = 0;
    bool placed = !add;

    if (first > last || last > 0xffff)
        return -XEN_EINVAL;
    for (unsigned int i = 0; i < d->irq.nr_ioport_ranges; i++) {
        struct ioport_range r = d->irq.ioports[i];
        struct ioport_range piece[2];
        unsigned int np = 0;

        if (add && ranges_overlap(r.first, r.last + 1u, first, last + 1u)) {
            /* Overlapping or adjacent: absorbed into the new range. */
            first = MIN(first, r.first);
            last = MAX(last, r.last);
            continue;
        }
        if (!add && ranges_overlap(r.first, r.last, first, last)) {
            if (r.first < first)
                piece[np++] = (struct ioport_range){r.first, (uint16_t)(first - 1)};
            if (r.last > last)
                piece[np++] = (struct ioport_range){(uint16_t)(last + 1), r.last};
        } else {
            if (!placed && last < r.first) {
                if (n == IOPORT_MAX_RANGES)
                    return -XEN_ENOSPC;
                out[n++] = (struct ioport_range){(uint16_t)first, (uint16_t)last};
                placed = true;
            }
            piece[np++] = r;
        }
        for (unsigned int p = 0; p < np; p++) {
            if (n == IOPORT_MAX_RANGES)
                return -XEN_ENOSPC;
            out[n++] = piece[p];
        }
    }
    if (!placed) {
        if (n == IOPORT_MAX_RANGES)
            return -XEN_ENOSPC;
        out[n++] = (struct ioport_range){(uint16_t)first, (uint16_t)last};
    }
    memcpy(d->irq.ioports, out, n * sizeof(out[0]));
    d->irq.nr_ioport_ranges = n;
    return 0;
}

int ioports_permit(struct domain *d, unsigned int first, unsigned int last)
{
    if (first > last || last > 0xffff)
        return -XEN_EINVAL;
    if (hv_port(first, last))
        return -XEN_EPERM;
    return ioports_update(d, first, last, true);
}

int ioports_deny(struct domain *d, unsigned int first, unsigned int last)
{
    return ioports_update(d, first, last, false);
}

int irq_setup_dom0(struct domain *d)
{
    unsigned int port = 0;
    int rc = 0;

    for (unsigned int gsi = 1; gsi < IRQ_NR_GSIS; gsi++)
        if (!gsis[gsi].hv_owned && ioapic_gsi_exists(gsi))
            irq_permit_gsi(d, gsi);
    /* Every port but the hypervisor's: the gaps between its ranges, in order. */
    while (port <= 0xffff && !rc) {
        unsigned int end = port;

        if (hv_port(port, port)) {
            port++;
            continue;
        }
        while (end < 0xffff && !hv_port(end + 1, end + 1))
            end++;
        rc = ioports_permit(d, port, end);
        port = end + 1;
    }
    return rc;
}

int irq_boot_permissions(struct domain *d, const struct module_args *ma)
{
    int refused = 0;

    for (unsigned int gsi = 0; gsi < MODULE_MAX_GSIS; gsi++) {
        if (!test_bit(ma->irqs, gsi))
            continue;
        if (irq_permit_gsi(d, gsi) || !ioapic_gsi_exists(gsi)) {
            printk("d%u: irqs=: GSI %u %s: not given\n", d->domid, gsi,
                   gsis[gsi].hv_owned ? "is the hypervisor's" : "does not exist");
            irq_deny_gsi(d, gsi);
            refused++;
        }
    }
    for (unsigned int i = 0; i < ma->nr_ioports; i++) {
        unsigned int first = ma->ioports[i].first, last = ma->ioports[i].last;
        int rc = ioports_permit(d, first, last);

        if (rc) {
            printk("d%u: ioports=%#x-%#x: %s: not given\n", d->domid, first, last,
                   rc == -XEN_EPERM ? "the hypervisor uses some of them" : "too many ranges");
            refused++;
        }
    }
    return refused;
}

/* ---- pirqs: mapping ---- */

/* The pirq of d mapped to gsi, or -1. */
static int mapped_pirq(const struct domain *d, unsigned int gsi)
{
    return gsis[gsi].owner == d ? gsis[gsi].pirq : -1;
}

static bool gsi_usable(int gsi)
{
    return gsi > 0 && gsi < IRQ_NR_GSIS && ioapic_gsi_exists((unsigned int)gsi);
}

int pirq_map_gsi(struct domain *caller, struct domain *d, int gsi, int pirq)
{
    struct gsi_state *g;
    int cur;

    /* Check. */
    if (!gsi_usable(gsi))
        return -XEN_EINVAL;
    g = &gsis[gsi];
    if (!irq_gsi_permitted(caller, (unsigned int)gsi))
        return -XEN_EPERM;
    cur = mapped_pirq(d, (unsigned int)gsi);
    if (pirq < 0 && cur >= 0) {
        pirq = cur;
    } else if (pirq < 0) {
        /* Xen's choice for a GSI: the lowest free pirq above the legacy ones. */
        for (pirq = 16; pirq < NR_PIRQS; pirq++)
            if (!d->irq.pirq_gsi[pirq] && !d->pirq_to_port[pirq])
                break;
        if (pirq == NR_PIRQS)
            return -XEN_ENOSPC;
    } else if (pirq >= NR_PIRQS) {
        return -XEN_EINVAL;
    } else if (cur >= 0 && cur != pirq) {
        return -XEN_EEXIST;
    }
    if (d->irq.pirq_gsi[pirq] && d->irq.pirq_gsi[pirq] != gsi)
        return -XEN_EEXIST;
    if (g->owner && g->owner != d)
        return -XEN_EBUSY;
    if (cur == pirq)
        return pirq;

    /* Commit. */
    g->owner = d;
    g->pirq = (uint16_t)pirq;
    g->granted = !irq_gsi_permitted(d, (unsigned int)gsi);
    set_bit(d->irq.gsi_allowed, (unsigned int)gsi, true);
    d->irq.pirq_gsi[pirq] = (uint16_t)gsi;
    log_debug("d%u: pirq %d mapped to GSI %d\n", d->domid, pirq, gsi);
    return pirq;
}

/* Takes the line away from its binding: masked, unrouted, vector freed. */
static void gsi_unbind(unsigned int gsi)
{
    struct gsi_state *g = &gsis[gsi];

    ioapic_unroute_gsi(gsi);
    irq_vector_free(g->vector);
    __atomic_store_n(&g->bound, false, __ATOMIC_RELEASE);
    g->in_flight = false;
    __atomic_fetch_and(&gsi_fired[gsi / 64], ~(1ULL << (gsi % 64)), __ATOMIC_SEQ_CST);
}

int pirq_unmap(struct domain *d, int pirq)
{
    unsigned int gsi;
    struct gsi_state *g;

    if (pirq < 0 || pirq >= NR_PIRQS || !d->irq.pirq_gsi[pirq])
        return -XEN_EINVAL;
    gsi = d->irq.pirq_gsi[pirq];
    g = &gsis[gsi];
    if (g->bound)
        gsi_unbind(gsi); /* the port stays, delivering nothing, until closed (as Xen) */
    if (g->granted)
        set_bit(d->irq.gsi_allowed, gsi, false);
    *g =
        (struct gsi_state){.hv_owned = g->hv_owned, .level = g->level, .active_low = g->active_low};
    d->irq.pirq_gsi[pirq] = 0;
    log_debug("d%u: pirq %d (GSI %u) unmapped\n", d->domid, pirq, gsi);
    return 0;
}

/* ---- pirqs: binding (the event-channel hooks of event.h) ---- */

bool irq_access_permitted(struct domain *d, unsigned int pirq)
{
    return pirq < NR_PIRQS && d->irq.pirq_gsi[pirq] && irq_gsi_permitted(d, d->irq.pirq_gsi[pirq]);
}

static void set_eoi_bit(struct domain *d, unsigned int pirq, bool on)
{
    uint64_t bit = 1ULL << (pirq % 64);

    /* The guest reads (and may write) this frame concurrently: atomic updates. */
    if (!d->irq.eoi_map)
        return;
    if (on)
        __atomic_fetch_or(&d->irq.eoi_map[pirq / 64], bit, __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(&d->irq.eoi_map[pirq / 64], ~bit, __ATOMIC_SEQ_CST);
}

int pirq_guest_bind(struct domain *d, unsigned int pirq, bool will_share)
{
    unsigned int gsi = pirq < NR_PIRQS ? d->irq.pirq_gsi[pirq] : 0;
    struct gsi_state *g = &gsis[gsi];
    int vec, rc;

    (void)will_share; /* a line has one domain at a time: there is nobody to share with */
    if (!gsi || g->owner != d)
        return -XEN_EINVAL;
    if (g->bound)
        return -XEN_EBUSY;
    vec = irq_vector_alloc();
    if (vec < 0)
        return vec;
    /* CPU 0 takes every guest line: its softirq delivers wherever the vCPU runs. */
    rc = ioapic_route_gsi(gsi, (unsigned int)vec, 0, g->level, g->active_low);
    if (rc) {
        irq_vector_free((unsigned int)vec);
        return rc;
    }
    g->vector = (uint8_t)vec;
    g->in_flight = false;
    __atomic_fetch_and(&gsi_fired[gsi / 64], ~(1ULL << (gsi % 64)), __ATOMIC_SEQ_CST);
    __atomic_store_n(&g->bound, true, __ATOMIC_RELEASE);
    /* As Xen: the "needs EOI" bit says whether this line waits for PHYSDEVOP_eoi. */
    set_eoi_bit(d, pirq, g->level);
    ioapic_unmask_gsi(gsi);
    log_debug("d%u: pirq %u bound: GSI %u, %s, vector %#x\n", d->domid, pirq, gsi,
              g->level ? "level" : "edge", vec);
    return 0;
}

void pirq_guest_unbind(struct domain *d, unsigned int pirq)
{
    unsigned int gsi = pirq < NR_PIRQS ? d->irq.pirq_gsi[pirq] : 0;

    /* After a forced unbind (unmap while bound) the line is no longer this pirq's. */
    if (gsi && gsis[gsi].owner == d && gsis[gsi].bound)
        gsi_unbind(gsi);
}

/* ---- EOI ---- */

/* Ends a delivered level interrupt: the line may fire again. */
static void end_in_flight(struct gsi_state *g, unsigned int gsi)
{
    if (g->bound && g->in_flight) {
        g->in_flight = false;
        ioapic_unmask_gsi(gsi);
    }
}

int pirq_eoi(struct domain *d, uint32_t pirq)
{
    unsigned int gsi;

    if (pirq >= NR_PIRQS || !d->irq.pirq_gsi[pirq])
        return -XEN_EINVAL;
    gsi = d->irq.pirq_gsi[pirq];
    if (d->irq.eoi_auto_unmask && d->pirq_to_port[pirq])
        evtchn_unmask(d, d->pirq_to_port[pirq]);
    end_in_flight(&gsis[gsi], gsi);
    return 0;
}

int pirq_unmask_notify(struct domain *d)
{
    const struct shared_info *s = d->shared_info;

    for (unsigned int pirq = 0; pirq < NR_PIRQS; pirq++) {
        unsigned int gsi = d->irq.pirq_gsi[pirq], port = d->pirq_to_port[pirq];

        if (gsi && port &&
            !(__atomic_load_n(&s->evtchn_mask[port / 64], __ATOMIC_SEQ_CST) >> (port % 64) & 1))
            end_in_flight(&gsis[gsi], gsi);
    }
    return 0;
}

int gsi_setup(struct domain *caller, int gsi, bool level, bool active_low)
{
    /* GSI 0 is a line like any other here (Xen's range check), but the hypervisor's. */
    if (gsi < 0 || gsi >= IRQ_NR_GSIS || !ioapic_gsi_exists((unsigned int)gsi))
        return -XEN_EINVAL;
    if (!caller->is_privileged)
        return -XEN_EPERM;
    if (gsis[gsi].hv_owned || gsis[gsi].bound)
        return -XEN_EEXIST;
    gsis[gsi].level = level;
    gsis[gsi].active_low = active_low;
    return 0;
}

int pirq_eoi_map_register(struct domain *d, uint64_t mfn, bool auto_unmask)
{
    if (get_page_and_type(mfn, d, PGT_writable))
        return -XEN_EINVAL;
    if (d->irq.eoi_map_mfn) {
        put_page_and_type(mfn);
        return -XEN_EBUSY;
    }
    d->irq.eoi_map_mfn = mfn;
    d->irq.eoi_map = mfn_to_virt(mfn);
    d->irq.eoi_auto_unmask = auto_unmask;
    return 0;
}

void irq_domain_destroy(struct domain *d)
{
    for (int pirq = 0; pirq < NR_PIRQS; pirq++)
        if (d->irq.pirq_gsi[pirq])
            pirq_unmap(d, pirq);
    if (d->irq.eoi_map_mfn)
        put_page_and_type(d->irq.eoi_map_mfn);
    d->irq.eoi_map_mfn = 0;
    d->irq.eoi_map = NULL;
}

/* ---- delivery ---- */

/*
 * Interrupt context, without the hypervisor lock: record and defer.  A level line arrives
 * here masked (and EOIed) by the IO-APIC layer and stays masked until the guest's EOI.
 */
void do_device_irq(unsigned int gsi)
{
    if (gsi >= IRQ_NR_GSIS)
        return;
    __atomic_fetch_or(&gsi_fired[gsi / 64], 1ULL << (gsi % 64), __ATOMIC_SEQ_CST);
    raise_softirq(SOFTIRQ_PIRQ);
}

static void deliver(unsigned int gsi)
{
    struct gsi_state *g = &gsis[gsi];

    if ((int)gsi == console_gsi) {
        send_guest_global_virq(dom0, VIRQ_CONSOLE);
        return;
    }
    if (!g->bound) {
        /* Routed by someone else (the boot self-test) or already gone: keep it quiet. */
        if (!ioapic_mask_gsi(gsi))
            log_warn("GSI %u: interrupt nobody has bound: line masked\n", gsi);
        return;
    }
    if (g->owner->state != DOM_RUNNING)
        return; /* dying: a level line stays masked until its IRQs are released */
    if (g->level)
        g->in_flight = true;
    send_guest_pirq(g->owner, g->pirq);
}

void pirq_softirq(void)
{
    for (unsigned int w = 0; w < ARRAY_SIZE(gsi_fired); w++) {
        uint64_t bits = __atomic_exchange_n(&gsi_fired[w], 0, __ATOMIC_SEQ_CST);

        for (; bits; bits &= bits - 1)
            deliver(w * 64 + (unsigned int)__builtin_ctzll(bits));
    }
}

/* ---- boot ---- */

/* ISA IRQ of a UART at the standard COM port bases (COM1/3: 4, COM2/4: 3). */
static int uart_isa_irq(unsigned int base)
{
    return base == 0x3f8 || base == 0x3e8 ? 4 : base == 0x2f8 || base == 0x2e8 ? 3 : -1;
}

/* The console's receive interrupt raises VIRQ_CONSOLE (dom0's shell blocks on it). */
static void route_console_irq(void)
{
    int vec;

    if (console_gsi < 0)
        return;
    vec = irq_vector_alloc();
    if (vec < 0 || ioapic_route_gsi((unsigned int)console_gsi, (unsigned int)vec, 0,
                                    gsis[console_gsi].level, gsis[console_gsi].active_low)) {
        if (vec >= 0)
            irq_vector_free((unsigned int)vec);
        log_debug("console input is polled (no IO-APIC line for GSI %d)\n", console_gsi);
        return;
    }
    ioapic_unmask_gsi((unsigned int)console_gsi);
    serial_enable_rx_irq();
    log_debug("console input on GSI %d raises VIRQ_CONSOLE\n", console_gsi);
}

void irq_init(void)
{
    bool level, low;
    int gsi, irq;

    /* Defaults: PCI lines (GSI 16 and up) level, active low; ISA lines per the MADT. */
    for (unsigned int i = 0; i < IRQ_NR_GSIS; i++)
        gsis[i] = (struct gsi_state){.level = i >= 16, .active_low = i >= 16};
    for (irq = 0; irq < 16; irq++) {
        gsi = isa_irq_to_gsi((unsigned int)irq, &level, &low);
        if (gsi >= 0 && gsi < IRQ_NR_GSIS) {
            gsis[gsi].level = level;
            gsis[gsi].active_low = low;
        }
    }
    /* The hypervisor's lines: the 8259's pin, the PIT (ISA IRQ 0), its console UART. */
    gsis[0].hv_owned = true;
    gsi = isa_irq_to_gsi(0, &level, &low);
    if (gsi >= 0 && gsi < IRQ_NR_GSIS)
        gsis[gsi].hv_owned = true;
    console_uart = serial_base();
    irq = uart_isa_irq(console_uart);
    gsi = irq >= 0 ? isa_irq_to_gsi((unsigned int)irq, &level, &low) : -1;
    if (gsi >= 0 && gsi < IRQ_NR_GSIS) {
        gsis[gsi].hv_owned = true;
        console_gsi = gsi;
    }
    open_softirq(SOFTIRQ_PIRQ, pirq_softirq);
    route_console_irq();
}
