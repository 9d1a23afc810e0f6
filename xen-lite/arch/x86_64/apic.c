/* SPDX-License-Identifier: MIT */
/* Local APIC, its one-shot timer, the legacy PIC (masked), the TSC and the CMOS RTC. */
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <console.h>
#include <lib.h>
#include <memlayout.h>
#include <softirq.h>
#include <time.h>

#define APIC_ID        0x020
#define APIC_EOI       0x0b0
#define APIC_SVR       0x0f0
#define APIC_LVT_TIMER 0x320
#define APIC_TMICT     0x380
#define APIC_TMCCT     0x390
#define APIC_TDCR      0x3e0
#define LVT_MASKED     (1u << 16)
#define TDCR_DIV_16    0x3

#define PIT_HZ 1193182

/* The APIC timer never sleeps longer than this at once (keeps the count in 32 bits). */
#define APIC_TIMER_MAX_NS (4 * NS_PER_SEC)

static volatile uint32_t *apic;
static uint64_t tsc_hz;
static uint64_t apic_timer_hz;  /* APIC timer counts per second, divider 16 */
static uint64_t apic_ns_to_cnt; /* counts = (ns * apic_ns_to_cnt) >> 32 */

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
    uint32_t counted;
    bool has_deadline = cpuid(1).ecx & (1u << 24);

    pic_mask_all();
    apic = maddr_to_virt(base & ~0xfffULL);
    wrmsr(MSR_IA32_APIC_BASE, base | (1u << 11)); /* global enable */
    apic_write(APIC_SVR, 0x100 | VECTOR_SPURIOUS);

    /*
     * Calibrate the TSC and the APIC timer over the same PIT window.  Only their ratio
     * matters for when timers fire (deadlines are TSC time), and both counters are read
     * back to back at each edge, so it does not depend on how exactly the window is 10 ms.
     */
    apic_write(APIC_TDCR, TDCR_DIV_16);
    apic_write(APIC_LVT_TIMER, LVT_MASKED);
    apic_write(APIC_TMICT, 0xffffffff);
    t0 = rdtsc();
    pit_wait_10ms();
    t1 = rdtsc();
    counted = 0xffffffff - apic_read(APIC_TMCCT);
    apic_write(APIC_TMICT, 0);
    if (t1 <= t0 || !counted || counted >= (1ULL << 32) / 100)
        panic("TSC/APIC timer calibration failed (TSC %lu, APIC %u ticks in 10 ms)", t1 - t0,
              counted);
    tsc_hz = (t1 - t0) * 100;
    apic_timer_hz = (uint64_t)counted * 100;
    apic_ns_to_cnt = (apic_timer_hz << 32) / NS_PER_SEC; /* apic_timer_hz < 2^32: fits */
    printk("TSC %lu.%03lu MHz%s; APIC timer %lu.%03lu MHz, one-shot%s\n", tsc_hz / 1000000,
           tsc_hz / 1000 % 1000, cpu_has_invariant_tsc() ? " (invariant)" : "",
           apic_timer_hz / 1000000, apic_timer_hz / 1000 % 1000,
           has_deadline ? " (TSC-deadline mode offered, not used)" : "");
}

uint64_t now_ns(void)
{
    return time_tsc_to_ns(rdtsc());
}

uint64_t tsc_khz(void)
{
    return tsc_hz / 1000;
}

uint64_t tsc_freq_hz(void)
{
    return tsc_hz;
}

bool cpu_has_invariant_tsc(void)
{
    return cpuid(0x80000000).eax >= 0x80000007 && (cpuid(0x80000007).edx & (1u << 8));
}

void apic_timer_cpu_init(void)
{
    apic_write(APIC_TDCR, TDCR_DIV_16);
    apic_write(APIC_TMICT, 0);
    apic_write(APIC_LVT_TIMER, VECTOR_TIMER); /* one-shot (mode bits 0), unmasked */
}

void apic_timer_program(uint64_t deadline_ns)
{
    uint64_t now, delta, count;

    if (!deadline_ns) {
        apic_write(APIC_TMICT, 0);
        return;
    }
    now = now_ns();
    delta = deadline_ns > now ? MIN(deadline_ns - now, APIC_TIMER_MAX_NS) : 0;
    /* Round up, and count at least 1 (0 would stop the timer): never early, never lost. */
    count = (uint64_t)(((unsigned __int128)delta * apic_ns_to_cnt) >> 32) + 1;
    apic_write(APIC_TMICT, (uint32_t)MIN(count, 0xffffffffULL));
}

void apic_interrupt(unsigned int vec)
{
    if (vec == VECTOR_SPURIOUS)
        return;
    if (vec == VECTOR_TIMER)
        raise_softirq(SOFTIRQ_TIMER);
    apic_write(APIC_EOI, 0);
}

/* ---- CMOS real-time clock ---- */

#define CMOS_INDEX    0x70
#define CMOS_DATA     0x71
#define RTC_STATUS_A  0x0a
#define RTC_STATUS_B  0x0b
#define RTC_A_UIP     0x80 /* update in progress: the time registers are being rewritten */
#define RTC_MAX_POLLS 1000000

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static void rtc_read_once(struct rtc_regs *r)
{
    r->sec = cmos_read(0x00);
    r->min = cmos_read(0x02);
    r->hour = cmos_read(0x04);
    r->mday = cmos_read(0x07);
    r->mon = cmos_read(0x08);
    r->year = cmos_read(0x09);
    r->status_b = cmos_read(RTC_STATUS_B);
}

static bool rtc_same(const struct rtc_regs *a, const struct rtc_regs *b)
{
    return a->sec == b->sec && a->min == b->min && a->hour == b->hour && a->mday == b->mday &&
           a->mon == b->mon && a->year == b->year && a->status_b == b->status_b;
}

int cmos_rtc_read(struct rtc_regs *r)
{
    struct rtc_regs again;

    /*
     * The registers are only stable while no update is in progress.  An update can still
     * start between the UIP check and the last register read, so read until two readings
     * agree (an update takes ~2 ms and comes once a second: two tries almost always do).
     */
    for (int tries = 0; tries < 5; tries++) {
        int polls = 0;

        while ((cmos_read(RTC_STATUS_A) & RTC_A_UIP) && ++polls < RTC_MAX_POLLS)
            cpu_relax();
        if (polls == RTC_MAX_POLLS)
            return -1;
        rtc_read_once(r);
        while ((cmos_read(RTC_STATUS_A) & RTC_A_UIP) && ++polls < RTC_MAX_POLLS)
            cpu_relax();
        rtc_read_once(&again);
        if (rtc_same(r, &again))
            return 0;
    }
    return -1;
}
