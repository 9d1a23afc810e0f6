/* SPDX-License-Identifier: MIT */
/* IO-APIC: device interrupt lines (GSIs), their routing to vectors and CPUs, their EOI. */
#include <asm/acpi.h>
#include <asm/ioapic.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <console.h>
#include <lib.h>
#include <memlayout.h>

/* Registers: select one through IOREGSEL, then read or write it through IOWIN. */
#define IOREGSEL       0x00
#define IOWIN          0x10
#define IOAPIC_EOI_REG 0x40 /* version 0x20 and later: write a vector to end it */
#define REG_VERSION    0x01
#define REG_RTE_LO(p)  (0x10 + 2 * (p))
#define REG_RTE_HI(p)  (0x11 + 2 * (p))

/* Redirection table entry, low half (high half: destination APIC id in bits 24-31). */
#define RTE_ACTIVE_LOW (1u << 13)
#define RTE_LEVEL      (1u << 15)
#define RTE_MASKED     (1u << 16)

struct ioapic {
    volatile uint32_t *mmio;
    uint8_t id, version;
    unsigned int gsi_base, nr_pins;
};

struct gsi_line {
    struct ioapic *apic; /* NULL: no IO-APIC pin has this GSI */
    unsigned int pin;
    bool routed, level;
    uint8_t vector;
    bool warned; /* the default do_device_irq() said so once */
    unsigned long count;
    unsigned int last_cpu;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned int nr_ioapics;
static struct gsi_line lines[MAX_GSIS];
static uint16_t vector_gsi[256]; /* GSI + 1 routed to the vector, 0 = none */
static uint64_t vector_used[256 / 64];

/*
 * One lock for the registers (IOREGSEL/IOWIN is a pair another CPU must not split) and the
 * tables above.  Interrupt handlers take it too, so it is taken with interrupts disabled.
 */
static int ioapic_lock;

static uint64_t lock(void)
{
    uint64_t flags;

    asm volatile("pushf; pop %0; cli" : "=r"(flags) : : "memory");
    while (__atomic_exchange_n(&ioapic_lock, 1, __ATOMIC_ACQUIRE))
        cpu_relax();
    return flags;
}

static void unlock(uint64_t flags)
{
    __atomic_store_n(&ioapic_lock, 0, __ATOMIC_RELEASE);
    if (flags & X86_EFLAGS_IF)
        local_irq_enable();
}

static uint32_t reg_read(struct ioapic *a, unsigned int reg)
{
    a->mmio[IOREGSEL / 4] = reg;
    return a->mmio[IOWIN / 4];
}

static void reg_write(struct ioapic *a, unsigned int reg, uint32_t v)
{
    a->mmio[IOREGSEL / 4] = reg;
    a->mmio[IOWIN / 4] = v;
}

static struct gsi_line *line_of(unsigned int gsi)
{
    return gsi < MAX_GSIS && lines[gsi].apic ? &lines[gsi] : NULL;
}

static void pin_set_mask(struct gsi_line *l, bool masked)
{
    uint32_t lo = reg_read(l->apic, REG_RTE_LO(l->pin));

    reg_write(l->apic, REG_RTE_LO(l->pin), masked ? lo | RTE_MASKED : lo & ~RTE_MASKED);
}

static void setup_one(const struct acpi_ioapic *e)
{
    struct ioapic *a = &ioapics[nr_ioapics];
    uint32_t v;

    /* MMIO below 4 GiB: always in the direct map (see paging.c). */
    a->mmio = maddr_to_virt(e->address);
    v = reg_read(a, REG_VERSION);
    if (v == 0xffffffff) {
        log_warn("IO-APIC id %u at %#x does not answer: ignored\n", e->id, e->address);
        return;
    }
    a->id = e->id;
    a->version = v & 0xff;
    a->gsi_base = e->gsi_base;
    a->nr_pins = ((v >> 16) & 0xff) + 1;
    if (a->gsi_base >= MAX_GSIS) {
        log_warn("IO-APIC id %u: GSI base %u beyond %d: ignored\n", a->id, a->gsi_base, MAX_GSIS);
        return;
    }
    if (a->gsi_base + a->nr_pins > MAX_GSIS)
        a->nr_pins = MAX_GSIS - a->gsi_base;
    for (unsigned int pin = 0; pin < a->nr_pins; pin++) {
        struct gsi_line *l = &lines[a->gsi_base + pin];

        reg_write(a, REG_RTE_LO(pin), RTE_MASKED);
        reg_write(a, REG_RTE_HI(pin), 0);
        if (l->apic) {
            log_warn("IO-APIC id %u: GSI %u already belongs to IO-APIC id %u\n", a->id,
                     a->gsi_base + pin, l->apic->id);
            continue;
        }
        *l = (struct gsi_line){.apic = a, .pin = pin};
    }
    printk("IO-APIC id %u at %#x: version %#x, %u pins, GSI %u-%u, all masked\n", a->id, e->address,
           a->version, a->nr_pins, a->gsi_base, a->gsi_base + a->nr_pins - 1);
    nr_ioapics++;
}

void ioapic_init(void)
{
    for (unsigned int i = 0; i < acpi_madt.nr_ioapics; i++)
        setup_one(&acpi_madt.ioapic[i]);
    if (!nr_ioapics)
        printk("no IO-APIC: device interrupts cannot be routed\n");
}

bool ioapic_gsi_exists(unsigned int gsi)
{
    return line_of(gsi) != NULL;
}

int isa_irq_to_gsi(unsigned int irq, bool *level, bool *active_low)
{
    unsigned int gsi = irq;
    uint16_t flags = 0;

    if (irq > 15)
        return -XEN_EINVAL;
    for (unsigned int i = 0; i < acpi_madt.nr_overrides; i++) {
        if (acpi_madt.override[i].irq == irq) {
            gsi = acpi_madt.override[i].gsi;
            flags = acpi_madt.override[i].flags;
        }
    }
    /* "Conforms to the bus" (0) and the reserved value (2) mean ISA's: edge, active high. */
    *level = (flags & ACPI_INTI_TRIGGER_MASK) == ACPI_INTI_TRIGGER_LEVEL;
    *active_low = (flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_POLARITY_LOW;
    return (int)gsi;
}

unsigned long ioapic_irq_count(unsigned int gsi, unsigned int *last_cpu)
{
    struct gsi_line *l = line_of(gsi);
    unsigned long n = l ? __atomic_load_n(&l->count, __ATOMIC_ACQUIRE) : 0;

    if (l && last_cpu)
        *last_cpu = __atomic_load_n(&l->last_cpu, __ATOMIC_RELAXED);
    return n;
}

static bool vector_is_used(unsigned int v)
{
    return vector_used[v / 64] & (1ULL << (v % 64));
}

int irq_vector_alloc(void)
{
    uint64_t flags = lock();
    int vec = -XEN_ENOSPC;

    for (unsigned int v = IRQ_VECTOR_FIRST; v <= IRQ_VECTOR_LAST; v++) {
        if (!vector_is_used(v)) {
            vector_used[v / 64] |= 1ULL << (v % 64);
            vec = (int)v;
            break;
        }
    }
    unlock(flags);
    return vec;
}

void irq_vector_free(unsigned int vector)
{
    uint64_t flags;

    if (vector < IRQ_VECTOR_FIRST || vector > IRQ_VECTOR_LAST)
        return;
    flags = lock();
    if (!vector_gsi[vector])
        vector_used[vector / 64] &= ~(1ULL << (vector % 64));
    unlock(flags);
}

int ioapic_route_gsi(unsigned int gsi, unsigned int vector, unsigned int dest_cpu, bool level,
                     bool active_low)
{
    struct gsi_line *l = line_of(gsi);
    uint32_t lo = RTE_MASKED | vector; /* fixed delivery, physical destination */
    uint64_t flags;

    if (!l || vector < IRQ_VECTOR_FIRST || vector > IRQ_VECTOR_LAST || dest_cpu >= nr_cpus)
        return -XEN_EINVAL;
    flags = lock();
    if (!vector_is_used(vector) || (vector_gsi[vector] && vector_gsi[vector] != gsi + 1)) {
        unlock(flags);
        return vector_is_used(vector) ? -XEN_EBUSY : -XEN_EINVAL;
    }
    if (level)
        lo |= RTE_LEVEL;
    if (active_low)
        lo |= RTE_ACTIVE_LOW;
    /* Mask first, so the pin never fires with half an entry. */
    pin_set_mask(l, true);
    reg_write(l->apic, REG_RTE_HI(l->pin), cpu_apic_id(dest_cpu) << 24);
    reg_write(l->apic, REG_RTE_LO(l->pin), lo);
    if (l->routed && l->vector != vector)
        vector_gsi[l->vector] = 0;
    vector_gsi[vector] = (uint16_t)(gsi + 1);
    l->routed = true;
    l->level = level;
    l->vector = (uint8_t)vector;
    unlock(flags);
    return 0;
}

int ioapic_unroute_gsi(unsigned int gsi)
{
    struct gsi_line *l = line_of(gsi);
    uint64_t flags;

    if (!l || !l->routed)
        return -XEN_EINVAL;
    flags = lock();
    pin_set_mask(l, true);
    vector_gsi[l->vector] = 0;
    l->routed = false;
    unlock(flags);
    return 0;
}

static int set_mask(unsigned int gsi, bool masked)
{
    struct gsi_line *l = line_of(gsi);
    uint64_t flags;

    if (!l || !l->routed)
        return -XEN_EINVAL;
    flags = lock();
    pin_set_mask(l, masked);
    unlock(flags);
    return 0;
}

int ioapic_mask_gsi(unsigned int gsi)
{
    return set_mask(gsi, true);
}

int ioapic_unmask_gsi(unsigned int gsi)
{
    return set_mask(gsi, false);
}

/* The IO-APIC half of a level EOI (lock held). */
static void eoi_pin(struct gsi_line *l)
{
    uint32_t lo;

    if (l->apic->version >= 0x20) {
        l->apic->mmio[IOAPIC_EOI_REG / 4] = l->vector;
        return;
    }
    /* Older IO-APICs: an edge-triggered pin has no Remote IRR, so switching clears it. */
    lo = reg_read(l->apic, REG_RTE_LO(l->pin));
    reg_write(l->apic, REG_RTE_LO(l->pin), (lo | RTE_MASKED) & ~RTE_LEVEL);
    reg_write(l->apic, REG_RTE_LO(l->pin), lo);
}

void ioapic_eoi_gsi(unsigned int gsi)
{
    struct gsi_line *l = line_of(gsi);
    uint64_t flags;

    lapic_eoi();
    if (!l || !l->routed || !l->level)
        return;
    flags = lock();
    eoi_pin(l);
    unlock(flags);
}

void ioapic_vector_interrupt(unsigned int vector)
{
    static bool warned;
    unsigned int gsi;
    struct gsi_line *l;
    uint64_t flags = lock();

    if (vector >= 256 || !vector_gsi[vector]) {
        unlock(flags);
        lapic_eoi();
        if (!warned)
            log_warn("interrupt on vector %#x, which no GSI is routed to (ignored)\n", vector);
        warned = true;
        return;
    }
    gsi = vector_gsi[vector] - 1u;
    l = &lines[gsi];
    /*
     * A level line stays asserted until its device is served: mask it before the EOI, or it
     * would fire again at once.  Whoever handles it unmasks it when the device is quiet.
     */
    if (l->level) {
        pin_set_mask(l, true);
        lapic_eoi();
        eoi_pin(l);
    } else {
        lapic_eoi();
    }
    unlock(flags);
    do_device_irq(gsi);
    /* Counted once handled, so whoever watches the count also sees the handler's effects. */
    __atomic_store_n(&l->last_cpu, this_cpu()->cpu_id, __ATOMIC_RELAXED);
    __atomic_add_fetch(&l->count, 1, __ATOMIC_RELEASE);
}

__attribute__((weak)) void do_device_irq(unsigned int gsi)
{
    ioapic_mask_gsi(gsi);
    if (gsi < MAX_GSIS && !lines[gsi].warned) {
        lines[gsi].warned = true;
        log_warn("GSI %u: interrupt with no handler: line masked\n", gsi);
    }
}
