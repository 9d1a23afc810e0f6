/* SPDX-License-Identifier: MIT */
/* Local APIC for SMP: per-CPU enable, INIT/STARTUP, IPIs and the cross-CPU TLB flush. */
#include <asm/apic.h>
#include <asm/ioapic.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <console.h>
#include <lib.h>
#include <memlayout.h>

/*
 * apic.c owns the APIC timer and time keeping; this file has its own small register
 * accessors for what SMP needs.  Every CPU's local APIC answers at the same physical
 * address (each CPU sees its own), so one mapping serves all of them.
 */
#define APIC_ID     0x020
#define APIC_TPR    0x080
#define APIC_EOI    0x0b0
#define APIC_SVR    0x0f0
#define APIC_ESR    0x280
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310

#define SVR_ENABLE         (1u << 8)
#define ICR_DM_FIXED       (0u << 8)
#define ICR_DM_INIT        (5u << 8)
#define ICR_DM_STARTUP     (6u << 8)
#define ICR_BUSY           (1u << 12)
#define ICR_LEVEL_ASSERT   (1u << 14)
#define ICR_TRIGGER_LEVEL  (1u << 15)
#define APIC_BASE_X2APIC   (1u << 10)
#define APIC_BASE_ADDR_MSK 0x000ffffffffff000ULL

static volatile uint32_t *lapic;

static uint32_t lapic_read(unsigned int reg)
{
    return lapic[reg / 4];
}

static void lapic_write(unsigned int reg, uint32_t v)
{
    lapic[reg / 4] = v;
}

void lapic_map(void)
{
    uint64_t base = rdmsr(MSR_IA32_APIC_BASE);

    /* apic.c drives the xAPIC through MMIO; a firmware-enabled x2APIC would not answer. */
    if (base & APIC_BASE_X2APIC)
        panic("the local APIC is in x2APIC mode, which xen-lite does not drive");
    lapic = maddr_to_virt(base & APIC_BASE_ADDR_MSK);
}

unsigned int lapic_id(void)
{
    return lapic_read(APIC_ID) >> 24;
}

void lapic_cpu_init(void)
{
    lapic_write(APIC_TPR, 0);
    lapic_write(APIC_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
    lapic_write(APIC_ESR, 0); /* the ESR latches on write: twice clears it */
    lapic_write(APIC_ESR, 0);
}

void lapic_eoi(void)
{
    lapic_write(APIC_EOI, 0);
}

void udelay(unsigned int us)
{
    uint64_t start = rdtsc(), cycles = tsc_khz() * us / 1000;

    while (rdtsc() - start < cycles)
        cpu_relax();
}

/* Writes the ICR (destination first: the low half sends) and waits until it is accepted. */
static int icr_send(unsigned int apic_id, uint32_t lo)
{
    uint64_t flags, start = rdtsc(), limit = tsc_khz() * 10; /* 10 ms */
    int rc = 0;

    /* Interrupt handlers may send IPIs too: the two ICR writes must not be split by one. */
    asm volatile("pushf; pop %0; cli" : "=r"(flags) : : "memory");
    lapic_write(APIC_ICR_HI, apic_id << 24);
    lapic_write(APIC_ICR_LO, lo);
    while (lapic_read(APIC_ICR_LO) & ICR_BUSY) {
        if (rdtsc() - start > limit) {
            rc = -XEN_EIO;
            break;
        }
        cpu_relax();
    }
    if (flags & X86_EFLAGS_IF)
        local_irq_enable();
    return rc;
}

int lapic_send_init(unsigned int apic_id)
{
    int rc;

    lapic_write(APIC_ESR, 0);
    rc = icr_send(apic_id, ICR_DM_INIT | ICR_TRIGGER_LEVEL | ICR_LEVEL_ASSERT);
    if (rc)
        return rc;
    /* De-assert: required by the old discrete APICs, ignored by the integrated ones. */
    return icr_send(apic_id, ICR_DM_INIT | ICR_TRIGGER_LEVEL);
}

int lapic_send_startup(unsigned int apic_id, unsigned int page)
{
    lapic_write(APIC_ESR, 0);
    return icr_send(apic_id, ICR_DM_STARTUP | (page & 0xff));
}

void send_ipi(unsigned int cpu, unsigned int vector)
{
    if (cpu >= nr_cpus)
        return;
    if (icr_send(cpu_apic_id(cpu), ICR_DM_FIXED | (vector & 0xff)))
        log_warn("CPU%u: IPI %#x to CPU%u not accepted by the local APIC\n", this_cpu()->cpu_id,
                 vector, cpu);
}

/*
 * TLB flush requests: generation counters per CPU, each on its own cache line.  A sender
 * bumps the target's `req` and takes the new value as its ticket; the target reads `req`
 * before it flushes and publishes that value in `done` after, so `done >= ticket` proves a
 * flush that started after the request.  Only the target writes its `done`.
 */
/* Event-check IPIs each CPU took (statistics, and proof for the SMP self-test). */
static unsigned long event_checks[MAX_CPUS];

unsigned long lapic_event_checks(unsigned int cpu)
{
    return cpu < MAX_CPUS ? __atomic_load_n(&event_checks[cpu], __ATOMIC_ACQUIRE) : 0;
}

static struct flush_gen {
    uint64_t req, done;
} __attribute__((aligned(64))) flush_gen[MAX_CPUS];

/* Serves this CPU's outstanding flush requests, if any (interrupts disabled). */
static void flush_tlb_answer(void)
{
    struct flush_gen *g = &flush_gen[this_cpu()->cpu_id];
    uint64_t req = __atomic_load_n(&g->req, __ATOMIC_ACQUIRE);

    if (req == g->done)
        return;
    flush_tlb_local();
    __atomic_store_n(&g->done, req, __ATOMIC_RELEASE);
}

void flush_tlb_cpus(uint64_t cpu_mask)
{
    unsigned int self = this_cpu()->cpu_id;
    uint64_t ticket[MAX_CPUS];
    uint64_t others = cpu_mask & cpu_online_mask & ~(1ULL << self);

    for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
        if (!(others & (1ULL << cpu)))
            continue;
        ticket[cpu] = __atomic_add_fetch(&flush_gen[cpu].req, 1, __ATOMIC_SEQ_CST);
        send_ipi(cpu, VECTOR_FLUSH_TLB);
    }
    if (cpu_mask & (1ULL << self))
        flush_tlb_local();
    for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
        uint64_t start = rdtsc();

        if (!(others & (1ULL << cpu)))
            continue;
        while (__atomic_load_n(&flush_gen[cpu].done, __ATOMIC_ACQUIRE) < ticket[cpu]) {
            flush_tlb_answer();
            cpu_relax();
            if (rdtsc() - start > tsc_khz() * 1000)
                panic("CPU%u: CPU%u did not answer a TLB flush IPI within 1 s", self, cpu);
        }
    }
}

bool smp_interrupt(unsigned int vec)
{
    switch (vec) {
    case VECTOR_EVENT_CHECK:
        /* Interrupting the guest or the halt was the point: softirqs run on the way out. */
        __atomic_add_fetch(&event_checks[this_cpu()->cpu_id], 1, __ATOMIC_RELEASE);
        lapic_eoi();
        return true;
    case VECTOR_FLUSH_TLB:
        flush_tlb_answer();
        lapic_eoi();
        return true;
    }
    if (vec >= IRQ_VECTOR_FIRST && vec <= IRQ_VECTOR_LAST) {
        ioapic_vector_interrupt(vec);
        return true;
    }
    return false;
}
