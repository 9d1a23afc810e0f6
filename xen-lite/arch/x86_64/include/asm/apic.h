/* SPDX-License-Identifier: MIT */
/* Local APIC, its timer, the legacy PIC (masked), and time keeping from the TSC. */
#ifndef XEN_LITE_ASM_APIC_H
#define XEN_LITE_ASM_APIC_H

#include <stdint.h>

#define VECTOR_TIMER    0xf0
#define VECTOR_SPURIOUS 0xff

/* Masks the 8259 PICs, enables the local APIC, calibrates TSC and APIC timer, starts ticks. */
void apic_time_init(void);

/* Handles an interrupt vector (>= 32). */
void apic_interrupt(unsigned int vec);

/* Nanoseconds since boot, from the TSC. */
uint64_t now_ns(void);

/* Calibrated TSC frequency in kHz. */
uint64_t tsc_khz(void);

#endif
