/* SPDX-License-Identifier: MIT */
/* IO-APIC: routing device interrupt lines (GSIs) to a vector on a CPU. */
#ifndef XEN_LITE_ASM_IOAPIC_H
#define XEN_LITE_ASM_IOAPIC_H

#include <stdbool.h>

/* Vectors for device interrupts; below them the exceptions, above them the APIC's own. */
#define IRQ_VECTOR_FIRST 0x30
#define IRQ_VECTOR_LAST  0xdf

/* GSIs handled: every IO-APIC pin must have a GSI below this. */
#define MAX_GSIS 256

/*
 * Sets up every IO-APIC of the MADT (acpi_init() first) with all pins masked.  The legacy
 * 8259 PICs stay masked (apic_time_init()).  Without IO-APIC every routing call fails.
 */
void ioapic_init(void);

/* True if some IO-APIC pin carries gsi (after ioapic_init()). */
bool ioapic_gsi_exists(unsigned int gsi);

/*
 * Maps ISA IRQ irq (0-15) to its GSI, applying the MADT's interrupt source overrides, and
 * says how the line signals: ISA lines are edge-triggered, active-high unless an override
 * says otherwise.  Returns the GSI, or -XEN_EINVAL for irq > 15.
 */
int isa_irq_to_gsi(unsigned int irq, bool *level, bool *active_low);

/*
 * Takes a free device vector (IRQ_VECTOR_FIRST..IRQ_VECTOR_LAST); returns it, or
 * -XEN_ENOSPC.  irq_vector_free() gives one back; it does nothing while a GSI is still
 * routed to the vector (unroute first).
 */
int irq_vector_alloc(void);
void irq_vector_free(unsigned int vector);

/*
 * Routes gsi to vector (from irq_vector_alloc()) on logical CPU dest_cpu, with the line's
 * trigger mode and polarity.  A GSI already routed is moved: its old vector stops carrying
 * it but stays allocated (free it if unused).  The line is left MASKED: unmask it when a
 * handler is ready.  Returns 0, or -XEN_EINVAL (no such GSI, vector not allocated, CPU not
 * running) or -XEN_EBUSY (the vector already carries another GSI).
 */
int ioapic_route_gsi(unsigned int gsi, unsigned int vector, unsigned int dest_cpu, bool level,
                     bool active_low);

/* Masks the line and forgets its vector; 0 or -XEN_EINVAL. */
int ioapic_unroute_gsi(unsigned int gsi);

/* Mask / unmask a routed line; 0 or -XEN_EINVAL (not routed). */
int ioapic_mask_gsi(unsigned int gsi);
int ioapic_unmask_gsi(unsigned int gsi);

/*
 * Ends a level-triggered interrupt on gsi: the local APIC's EOI, then the IO-APIC's, so the
 * line can be delivered again once unmasked (directed EOI register on IO-APIC version 0x20
 * and later, else switching the masked pin to edge and back, which clears its Remote IRR).
 * Only for code that handles a device vector itself, on the CPU handling it:
 * ioapic_vector_interrupt() has already done this before it calls do_device_irq().
 */
void ioapic_eoi_gsi(unsigned int gsi);

/*
 * A device vector arrived (from smp_interrupt()): a level-triggered line is masked and
 * EOIed, an edge one just EOIed; then do_device_irq(gsi).  A vector with no GSI is acked
 * and logged once.
 */
void ioapic_vector_interrupt(unsigned int vector);

/*
 * Interrupts handled on gsi since boot (counted when do_device_irq() has returned), and the
 * logical CPU that took the last one.
 */
unsigned long ioapic_irq_count(unsigned int gsi, unsigned int *last_cpu);

/*
 * What happens to a device interrupt; the physical-IRQ layer provides it.  Level lines
 * arrive masked: unmask when the guest has handled it (ioapic_unmask_gsi()).  The default
 * (weak) one leaves the line masked and logs once.
 */
void do_device_irq(unsigned int gsi);

#endif
