/* SPDX-License-Identifier: MIT */
/* Local APIC, its timer, the legacy PIC (masked), and time keeping from the TSC. */
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <console.h>
#include <lib.h>
#include <memlayout.h>
#include <softirq.h>

#define APIC_ID        0x020
#define APIC_EOI       0x0b0
#define APIC_SVR       0x0f0
#define APIC_LVT_TIMER 0x320
#define APIC_TMICT     0x380
#define APIC_TMCCT     0x390
#define APIC_TDCR      0x3e0
#define LVT_PERIODIC   (1u << 17)
#define LVT_MASKED     (1u << 16)

#define TICK_HZ 100
#define PIT_HZ  1193182

static volatile uint32_t *apic;
static uint64_t tsc_hz, tsc_at_boot;
static uint64_t ns_mul; /* ns = (tsc delta * ns_mul) >> 32 */
static uint64_t ticks;

static uint32_t apic_read(unsigned int reg)
{
    return apic[reg / 4];
}

static void apic_write(unsigned int reg, uint32_t v)
{
    apic[reg / 4] = v;
}

static void pic_mask_all(void)
{
    /* Remap the 8259s away from the exception vectors, then mask every line. */
    outb(0x20, 0x11);
    outb(0xa0, 0x11);
    outb(0x21, 0x20);
    outb(0xa1, 0x28);
    outb(0x21, 0x04);
    outb(0xa1, 0x02);
    outb(0x21, 0x01);
    outb(0xa1, 0x01);
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

/* Busy-waits ~10 ms on PIT channel 2 (gate via port 0x61); returns the PIT ticks waited. */
static uint32_t pit_wait_10ms(void)
{
    uint32_t count = PIT_HZ / 100;

    outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
    outb(0x43, 0xb0);                       /* channel 2, lo/hi, mode 0 */
    outb(0x42, count & 0xff);
    outb(0x42, count >> 8);
    while (!(inb(0x61) & 0x20))
        ;
    return count;
}

void apic_time_init(void)
{
    uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
    uint64_t t0, t1;
    uint32_t lapic_per_tick;

    pic_mask_all();
    apic = maddr_to_virt(base & ~0xfffULL);
    wrmsr(MSR_IA32_APIC_BASE, base | (1u << 11)); /* global enable */
    apic_write(APIC_SVR, 0x100 | VECTOR_SPURIOUS);

    /* Calibrate the TSC and the APIC timer against the PIT over the same 10 ms. */
    apic_write(APIC_TDCR, 0x3); /* divide by 16 */
    apic_write(APIC_LVT_TIMER, LVT_MASKED);
    apic_write(APIC_TMICT, 0xffffffff);
    t0 = rdtsc();
    pit_wait_10ms();
    t1 = rdtsc();
    lapic_per_tick = (0xffffffff - apic_read(APIC_TMCCT)) * 100 / TICK_HZ;
    tsc_hz = (t1 - t0) * 100;
    if (!tsc_hz)
        panic("TSC calibration failed");
    ns_mul = (1000000000ULL << 32) / tsc_hz;
    tsc_at_boot = t0;
    printk("TSC %lu.%03lu MHz, APIC timer %u per %d ms tick\n", tsc_hz / 1000000,
           tsc_hz / 1000 % 1000, lapic_per_tick, 1000 / TICK_HZ);

    apic_write(APIC_LVT_TIMER, LVT_PERIODIC | VECTOR_TIMER);
    apic_write(APIC_TMICT, lapic_per_tick ? lapic_per_tick : 100000);
}

uint64_t now_ns(void)
{
    uint64_t d = rdtsc() - tsc_at_boot;

    return (uint64_t)(((unsigned __int128)d * ns_mul) >> 32);
}

uint64_t tsc_khz(void)
{
    return tsc_hz / 1000;
}

void apic_interrupt(unsigned int vec)
{
    if (vec == VECTOR_SPURIOUS)
        return;
    if (vec == VECTOR_TIMER) {
        ticks++;
        raise_softirq(SOFTIRQ_TIMER);
    }
    apic_write(APIC_EOI, 0);
}
