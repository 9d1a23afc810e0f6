/* SPDX-License-Identifier: MIT */
/* Local APIC, its timer, the legacy PIC (masked), the TSC and the CMOS real-time clock. */
#ifndef XEN_LITE_ASM_APIC_H
#define XEN_LITE_ASM_APIC_H

#include <stdbool.h>
#include <stdint.h>

struct rtc_regs;

#define VECTOR_TIMER    0xf0
#define VECTOR_SPURIOUS 0xff

/*
 * Masks the 8259 PICs, enables the local APIC and calibrates the TSC and the APIC timer
 * against the PIT.  The APIC timer is left stopped: apic_timer_cpu_init() arms it.
 */
void apic_time_init(void);

/* Handles an interrupt vector (>= 32). */
void apic_interrupt(unsigned int vec);

/* Nanoseconds since boot, from the TSC (time.c's scale); 0 before time_init(). */
uint64_t now_ns(void);

/* Calibrated TSC frequency, in kHz and in Hz. */
uint64_t tsc_khz(void);
uint64_t tsc_freq_hz(void);

/* True if the CPU says its TSC runs at a constant rate in every state (CPUID invariant TSC). */
bool cpu_has_invariant_tsc(void);

/* Puts this CPU's APIC timer in one-shot mode on VECTOR_TIMER, stopped. */
void apic_timer_cpu_init(void);

/*
 * Programs this CPU's APIC timer to interrupt at system time deadline_ns (at once if it
 * has passed; never before it, as far as the calibration goes), or stops it (0).  A
 * deadline more than a few seconds away is cut short: the interrupt then finds nothing to
 * run and the timer code programs the rest.
 */
void apic_timer_program(uint64_t deadline_ns);

/* Reads the CMOS RTC once no update is in progress.  Returns 0, or -1 if it never settles. */
int cmos_rtc_read(struct rtc_regs *r);

#endif
