/* SPDX-License-Identifier: MIT */
/* Harness: the arch time layer (apic.c), the scheduler calls the timer code makes, and the
 * SMP calls of softirq.c. */
#include <asm/apic.h>
#include <asm/smp.h>
#include <domain.h>
#include <sched.h>
#include "time-stubs.h"

/* A 2 GHz TSC and an RTC at 2024-02-29 12:34:56 UTC (BCD, 24-hour), unless a test says. */
struct harness_time harness_time = {
    .tsc_hz = 2000000000ULL,
    .rtc = {.sec = 0x56,
            .min = 0x34,
            .hour = 0x12,
            .mday = 0x29,
            .mon = 0x02,
            .year = 0x24,
            .status_b = 0x02},
};

void apic_timer_program(uint64_t deadline_ns)
{
    harness_time.apic_deadline = deadline_ns;
    harness_time.apic_programs++;
}

void apic_timer_cpu_init(void)
{
    harness_time.apic_inits++;
}

uint64_t tsc_freq_hz(void)
{
    return harness_time.tsc_hz;
}

bool cpu_has_invariant_tsc(void)
{
    return harness_time.invariant_tsc;
}

int cmos_rtc_read(struct rtc_regs *r)
{
    *r = harness_time.rtc;
    return harness_time.rtc_rc;
}

void sched_tick(void)
{
    harness_time.sched_ticks++;
}

void vcpu_wake(struct vcpu *v)
{
    v->state = VCPU_RUNNABLE;
    v->poll_deadline_ns = 0;
    harness_time.wakes++;
    harness_time.last_woken = v;
}

/* ---- smpboot.c / lapic.c, for softirq.c: one CPU, so no other CPU is ever signalled ---- */

struct percpu *percpu_of(unsigned int cpu)
{
    (void)cpu;
    return NULL; /* raise_softirq_on() then raises on this CPU */
}

void send_ipi(unsigned int cpu, unsigned int vector)
{
    (void)cpu;
    (void)vector;
}
