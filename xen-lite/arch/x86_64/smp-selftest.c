/* SPDX-License-Identifier: MIT */
/* SMP self-test (smp_selftest option): IPIs, TLB shootdowns and IO-APIC lines, for real. */
#include <stdarg.h>
#include <public/arch-x86-pt.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/ioapic.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <console.h>
#include <heap.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>

/*
 * Nothing outside the hypervisor can see an IPI or an IO-APIC pin yet, so these checks run
 * inside it, at boot, before any domain exists, on whatever machine it boots on (the
 * smp-* guest tests boot QEMU with several CPUs and match the verdict in the log).  While
 * the test runs, every AP waits in smp_selftest_ap() with interrupts enabled and does what
 * its mailbox says.
 */
bool opt_smp_selftest;

enum st_cmd { ST_IDLE, ST_LOAD_ROOT, ST_READ, ST_FLUSH_ALL, ST_RELEASE };

static struct st_mailbox {
    int cmd;
    uint64_t result;
} __attribute__((aligned(64))) mbox[MAX_CPUS];

static uint64_t st_root; /* the test address space: the hypervisor's slots + PROBE_VA */
static unsigned int failures;

#define PROBE_VA 0x40000000UL /* lower half: mapped only in the test address space */
#define VALUE_A  0xaaaa0000aaaa0001ULL
#define VALUE_B  0xbbbb0000bbbb0002ULL

#define EDU_VENDOR_DEVICE 0x11e81234u
#define EDU_ID            0x00
#define EDU_IRQ_STATUS    0x24
#define EDU_IRQ_RAISE     0x60
#define EDU_IRQ_ACK       0x64

static void __attribute__((format(printf, 1, 2))) st_fail(const char *fmt, ...)
{
    va_list ap;

    printk("SMP self-test: FAILED: ");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
    failures++;
}

void smp_selftest_ap(unsigned int cpu)
{
    struct st_mailbox *m = &mbox[cpu];
    int cmd;

    local_irq_enable();
    while ((cmd = __atomic_load_n(&m->cmd, __ATOMIC_ACQUIRE)) != ST_RELEASE) {
        switch (cmd) {
        case ST_LOAD_ROOT:
            write_cr3(st_root);
            break;
        case ST_READ:
            m->result = *(volatile uint64_t *)PROBE_VA;
            break;
        case ST_FLUSH_ALL:
            /* As the hypervisor would: interrupts off, so only the waiting loop answers. */
            local_irq_disable();
            flush_tlb_cpus(cpu_online_mask);
            local_irq_enable();
            break;
        default:
            cpu_relax();
            continue;
        }
        __atomic_store_n(&m->cmd, ST_IDLE, __ATOMIC_RELEASE);
    }
    local_irq_disable();
    write_cr3(idle_root_maddr());
    __atomic_store_n(&m->cmd, ST_IDLE, __ATOMIC_RELEASE);
}

/*
 * Waits up to ms milliseconds for done(arg).  Like any CPU that waits for another, the boot
 * CPU takes interrupts meanwhile (an AP's flush IPI, a routed line; its timer tick only
 * raises a softirq for later).
 */
static bool wait_for(bool (*done)(uintptr_t), uintptr_t arg, unsigned int ms)
{
    uint64_t start = rdtsc();

    while (!done(arg)) {
        if (rdtsc() - start > tsc_khz() * ms)
            return false;
        cpu_relax();
        /* Not `sti; pause; cli`: under QEMU TCG that window never delivers an interrupt. */
        local_irq_enable();
        asm volatile("nop");
        local_irq_disable();
    }
    return true;
}

static bool mailbox_idle(uintptr_t cpu)
{
    return __atomic_load_n(&mbox[cpu].cmd, __ATOMIC_ACQUIRE) == ST_IDLE;
}

static void ap_post(unsigned int cpu, int cmd)
{
    __atomic_store_n(&mbox[cpu].cmd, cmd, __ATOMIC_RELEASE);
}

static bool ap_do(unsigned int cpu, int cmd)
{
    ap_post(cpu, cmd);
    if (wait_for(mailbox_idle, cpu, 1000))
        return true;
    st_fail("CPU%u did not carry out request %d within 1 s", cpu, cmd);
    return false;
}

static unsigned long expected_checks;

static bool event_check_seen(uintptr_t cpu)
{
    return lapic_event_checks((unsigned int)cpu) >= expected_checks;
}

static void test_event_check(void)
{
    for (unsigned int cpu = 1; cpu < nr_cpus; cpu++) {
        expected_checks = lapic_event_checks(cpu) + 1;
        send_ipi(cpu, VECTOR_EVENT_CHECK);
        if (!wait_for(event_check_seen, cpu, 100))
            st_fail("CPU%u took no event-check IPI within 100 ms", cpu);
    }
}

/*
 * An AP reads PROBE_VA (frame A), the boot CPU points PROBE_VA at frame B without flushing,
 * then flushes that AP by IPI: the AP must now read B.  Without the flush it may keep
 * reading A through its TLB (QEMU's TLB does keep it: logged, to show the test can fail).
 */
static uint64_t *st_pages[6]; /* L4, L3, L2, L1, frame A, frame B */

static void test_flush(void)
{
    uint64_t *l4, *l3, *l2, *l1, *a, *b;
    unsigned int stale = 0;

    for (unsigned int i = 0; i < ARRAY_SIZE(st_pages); i++) {
        st_pages[i] = heap_alloc(4096);
        if (!st_pages[i]) {
            st_fail("out of memory for the TLB test");
            return;
        }
    }
    l4 = st_pages[0], l3 = st_pages[1], l2 = st_pages[2], l1 = st_pages[3];
    a = st_pages[4], b = st_pages[5];
    *a = VALUE_A;
    *b = VALUE_B;
    install_hypervisor_slots(l4);
    l4[l4_index(PROBE_VA)] = virt_to_maddr(l3) | X86_PTE_P | X86_PTE_RW;
    l3[l3_index(PROBE_VA)] = virt_to_maddr(l2) | X86_PTE_P | X86_PTE_RW;
    l2[l2_index(PROBE_VA)] = virt_to_maddr(l1) | X86_PTE_P | X86_PTE_RW;
    st_root = virt_to_maddr(l4);

    for (unsigned int cpu = 1; cpu < nr_cpus; cpu++) {
        uint64_t *pte = &l1[l1_index(PROBE_VA)];

        *pte = virt_to_maddr(a) | X86_PTE_P;
        if (!ap_do(cpu, ST_LOAD_ROOT) || !ap_do(cpu, ST_READ))
            break;
        if (mbox[cpu].result != VALUE_A) {
            st_fail("CPU%u read %#lx through the test mapping, not %#llx", cpu, mbox[cpu].result,
                    VALUE_A);
            continue;
        }
        __atomic_store_n(pte, virt_to_maddr(b) | X86_PTE_P, __ATOMIC_SEQ_CST);
        if (!ap_do(cpu, ST_READ))
            break;
        stale += mbox[cpu].result == VALUE_A;
        flush_tlb_cpus(1ULL << cpu);
        if (!ap_do(cpu, ST_READ))
            break;
        if (mbox[cpu].result != VALUE_B)
            st_fail("CPU%u still reads %#lx after the flush IPI (want %#llx)", cpu,
                    mbox[cpu].result, VALUE_B);
    }
    if (nr_cpus > 1)
        log_info("SMP self-test: %u of %u APs read the stale mapping before their flush\n", stale,
                 nr_cpus - 1);

    /* Everyone flushes everyone at once, interrupts off: the waiting loops must answer. */
    for (unsigned int cpu = 1; cpu < nr_cpus; cpu++)
        ap_post(cpu, ST_FLUSH_ALL);
    flush_tlb_cpus(cpu_online_mask);
    for (unsigned int cpu = 1; cpu < nr_cpus; cpu++)
        if (!wait_for(mailbox_idle, cpu, 2000))
            st_fail("CPU%u did not finish flushing all CPUs within 2 s", cpu);
}

static unsigned int probe_gsi;
static unsigned long expected_irqs;

static bool irq_seen(uintptr_t unused)
{
    (void)unused;
    return ioapic_irq_count(probe_gsi, NULL) >= expected_irqs;
}

/* Routes gsi to a fresh vector on the last CPU, unmasked; returns the vector or -1. */
static int route_probe(unsigned int gsi, bool level, bool active_low)
{
    int vec = irq_vector_alloc();

    if (vec < 0) {
        st_fail("no free device vector");
        return -1;
    }
    if (ioapic_route_gsi(gsi, (unsigned int)vec, nr_cpus - 1, level, active_low) ||
        ioapic_unmask_gsi(gsi)) {
        st_fail("cannot route GSI %u to vector %#x on CPU%u", gsi, vec, nr_cpus - 1);
        irq_vector_free((unsigned int)vec);
        return -1;
    }
    probe_gsi = gsi;
    expected_irqs = ioapic_irq_count(gsi, NULL) + 1;
    return vec;
}

static void unroute_probe(unsigned int gsi, int vec)
{
    ioapic_unroute_gsi(gsi);
    irq_vector_free((unsigned int)vec);
}

/* Waits for interrupt number expected_irqs on probe_gsi; checks it reached the last CPU. */
static bool expect_irq(const char *what)
{
    unsigned int cpu = 0;

    if (!wait_for(irq_seen, 0, 200)) {
        st_fail("%s: no interrupt on GSI %u within 200 ms", what, probe_gsi);
        return false;
    }
    ioapic_irq_count(probe_gsi, &cpu);
    if (cpu != nr_cpus - 1) {
        st_fail("%s: interrupt taken by CPU%u, routed to CPU%u", what, cpu, nr_cpus - 1);
        return false;
    }
    return true;
}

/* The routing calls refuse what they must. */
static void test_routing_checks(void)
{
    bool level, low;
    int gsi = isa_irq_to_gsi(0, &level, &low), vec = irq_vector_alloc(), other;

    if (isa_irq_to_gsi(16, &level, &low) != -XEN_EINVAL)
        st_fail("ISA IRQ 16 was accepted");
    if (vec < 0 || gsi < 0) {
        st_fail("no vector or no GSI for ISA IRQ 0 (%d, %d)", vec, gsi);
        return;
    }
    if (ioapic_route_gsi((unsigned int)gsi, (unsigned int)vec, nr_cpus, false, false) !=
        -XEN_EINVAL)
        st_fail("routing to CPU%u (not running) was accepted", nr_cpus);
    if (ioapic_route_gsi((unsigned int)gsi, IRQ_VECTOR_LAST + 1, 0, false, false) != -XEN_EINVAL)
        st_fail("routing to vector %#x was accepted", IRQ_VECTOR_LAST + 1);
    if (ioapic_route_gsi(MAX_GSIS, (unsigned int)vec, 0, false, false) != -XEN_EINVAL)
        st_fail("routing GSI %u was accepted", MAX_GSIS);
    irq_vector_free((unsigned int)vec);
    if (ioapic_route_gsi((unsigned int)gsi, (unsigned int)vec, 0, false, false) != -XEN_EINVAL)
        st_fail("routing to an unallocated vector was accepted");
    vec = irq_vector_alloc();
    other = irq_vector_alloc();
    if (vec < 0 || other < 0 || ioapic_route_gsi((unsigned int)gsi, (unsigned int)vec, 0, 0, 0)) {
        st_fail("cannot route GSI %d", gsi);
    } else if (ioapic_route_gsi((unsigned int)gsi + 1, (unsigned int)vec, 0, false, false) !=
               -XEN_EBUSY) {
        st_fail("a second GSI on one vector was accepted");
    }
    ioapic_unroute_gsi((unsigned int)gsi);
    irq_vector_free((unsigned int)vec);
    irq_vector_free((unsigned int)other);
}

/* Edge: PIT channel 0 (ISA IRQ 0, through its override) at 1 kHz. */
static void test_pit(void)
{
    bool level, low;
    int gsi = isa_irq_to_gsi(0, &level, &low), vec;

    vec = route_probe((unsigned int)gsi, level, low);
    if (vec < 0)
        return;
    outb(0x43, 0x34); /* channel 0, lo/hi byte, mode 2 (rate generator) */
    outb(0x40, 1193 & 0xff);
    outb(0x40, 1193 >> 8);
    if (expect_irq("PIT (edge)"))
        log_info("SMP self-test: PIT on GSI %d, vector %#x, reached CPU%u\n", gsi, vec,
                 nr_cpus - 1);
    outb(0x43, 0x30); /* mode 0 with no count written: the counter stops */
    unroute_probe((unsigned int)gsi, vec);
}

static uint32_t pci_read(unsigned int dev, unsigned int reg)
{
    outl(0xcf8, 0x80000000u | dev << 11 | (reg & 0xfc));
    return inl(0xcfc);
}

static void pci_write(unsigned int dev, unsigned int reg, uint32_t v)
{
    outl(0xcf8, 0x80000000u | dev << 11 | (reg & 0xfc));
    outl(0xcfc, v);
}

/*
 * Level: QEMU's "edu" PCI device keeps INTx asserted from a write to its raise register
 * until its acknowledge register is written.  The line must arrive once, stay quiet while
 * still asserted (masked by the handler), stay quiet after the device is acknowledged and
 * the line unmasked, and arrive again on the next raise: that one proves the EOI cleared
 * the pin's Remote IRR.
 */
static void test_edu(void)
{
    unsigned int dev, line;
    uint32_t bar;
    volatile uint32_t *edu;
    bool level, low;
    int gsi, vec, spare;

    for (dev = 0; dev < 32 && pci_read(dev, 0) != EDU_VENDOR_DEVICE; dev++)
        ;
    if (dev == 32) {
        printk("SMP self-test: no edu PCI device (QEMU -device edu): level-triggered line not "
               "tested\n");
        return;
    }
    line = pci_read(dev, 0x3c) & 0xff;
    bar = pci_read(dev, 0x10) & ~0xfu;
    if (line > 15 || !bar) {
        st_fail("edu device in slot %u has IRQ line %u, BAR0 %#x", dev, line, bar);
        return;
    }
    pci_write(dev, 0x04, (pci_read(dev, 0x04) & 0xffff) | 0x2); /* memory space on */
    edu = maddr_to_virt(bar);
    gsi = isa_irq_to_gsi(line, &level, &low);
    if (!level) {
        st_fail("edu's IRQ %u is not level-triggered per the MADT", line);
        return;
    }
    /*
     * Keep the vector the PIT test just gave back out of use: on a loaded host one of the
     * PIT's interrupts can still be on its way, and on a reused vector it would count as
     * the edu device's.
     */
    spare = irq_vector_alloc();
    vec = route_probe((unsigned int)gsi, level, low);
    if (vec < 0) {
        if (spare >= 0)
            irq_vector_free((unsigned int)spare);
        return;
    }
    edu[EDU_IRQ_RAISE / 4] = 1;
    if (!expect_irq("edu (level), first"))
        goto out;
    udelay(20000);
    if (ioapic_irq_count((unsigned int)gsi, NULL) != expected_irqs)
        st_fail("edu line fired again while masked (%lu interrupts)",
                ioapic_irq_count((unsigned int)gsi, NULL));
    edu[EDU_IRQ_ACK / 4] = edu[EDU_IRQ_STATUS / 4];
    ioapic_unmask_gsi((unsigned int)gsi);
    udelay(20000);
    if (ioapic_irq_count((unsigned int)gsi, NULL) != expected_irqs)
        st_fail("edu line fired after the device was acknowledged");
    expected_irqs++;
    edu[EDU_IRQ_RAISE / 4] = 1;
    if (expect_irq("edu (level), after EOI"))
        log_info("SMP self-test: edu (slot %u, IRQ %u) on GSI %d, vector %#x: level EOI works\n",
                 dev, line, gsi, vec);
out:
    edu[EDU_IRQ_ACK / 4] = edu[EDU_IRQ_STATUS / 4];
    unroute_probe((unsigned int)gsi, vec);
    if (spare >= 0)
        irq_vector_free((unsigned int)spare);
}

void smp_selftest(void)
{
    printk("SMP self-test: %u CPU%s\n", nr_cpus, nr_cpus == 1 ? "" : "s");
    test_event_check();
    test_flush();
    test_routing_checks();
    test_pit();
    test_edu();

    /* The test pages are freed only once every AP has left the test address space. */
    for (unsigned int cpu = 1; cpu < nr_cpus; cpu++) {
        ap_post(cpu, ST_RELEASE);
        if (!wait_for(mailbox_idle, cpu, 1000))
            panic("SMP self-test: CPU%u did not leave the test", cpu);
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(st_pages); i++)
        heap_free(st_pages[i], 4096);
    if (failures)
        printk("SMP self-test: %u failure%s\n", failures, failures == 1 ? "" : "s");
    else
        printk("SMP self-test: passed\n");
}
