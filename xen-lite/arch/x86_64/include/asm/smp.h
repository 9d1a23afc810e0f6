/* SPDX-License-Identifier: MIT */
/* SMP: the physical CPUs, starting them, and interrupts between them (IPIs). */
#ifndef XEN_LITE_ASM_SMP_H
#define XEN_LITE_ASM_SMP_H

/* CPU masks are one uint64_t, bit n = logical CPU n. */
#define MAX_CPUS 64

/*
 * The real-mode trampoline's page: below 1 MiB (a SIPI vector is a page number there), in
 * the first MiB the frame allocator never hands out, clear of the BIOS data area, the EBDA
 * and the option ROMs.  See docs/smp.md.
 */
#define TRAMPOLINE_PADDR 0x8000

/* IPI vectors, above every device vector (0x30-0xdf) so they win on priority. */
#define VECTOR_EVENT_CHECK 0xf1 /* "look at your softirqs": the handler only acknowledges */
#define VECTOR_FLUSH_TLB   0xf2 /* flush this CPU's TLB, then acknowledge to the sender */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct percpu;

/* Number of CPUs running: logical ids 0 .. nr_cpus-1 (0 = the boot CPU), dense. */
extern unsigned int nr_cpus;

/* Bit n set = CPU n is running (same information as nr_cpus, as a mask). */
extern uint64_t cpu_online_mask;

/* maxcpus=N on the command line: start at most N CPUs (1 = the boot CPU only). */
extern uint64_t opt_maxcpus;

/* The per-CPU area of logical CPU cpu (cpu < nr_cpus), or NULL; from smp_boot_cpus() on. */
struct percpu *percpu_of(unsigned int cpu);

/* The local APIC id of logical CPU cpu (cpu < nr_cpus). */
unsigned int cpu_apic_id(unsigned int cpu);

/*
 * Reloads CS and SS with the hypervisor's selectors (HYPERVISOR_CS/DS) from the GDT just
 * loaded, DS/ES with null.  For a CPU that arrived with a boot GDT's selectors: an iretq
 * within the hypervisor would otherwise reload those from the new GDT and fault.
 */
void cpu_load_hv_segments(void);

/*
 * Starts up to opt_maxcpus of the CPUs acpi_init() found in the MADT (INIT-SIPI-SIPI), one
 * at a time, waiting for each to report in (one that does not is logged and left in INIT).
 * Boot CPU only, after acpi_init() and apic_time_init(), before any domain runs.
 */
void smp_boot_cpus(void);

/*
 * What a started CPU runs once it is set up: its own GDT, TSS, IST stacks, IDT, %gs per-CPU
 * area (cpu_id = cpu), syscall MSRs, the boot CPU's CR0/CR4/EFER, its local APIC enabled.
 * Called with interrupts disabled on the CPU's own 16 KiB stack (percpu->stack_top), whose
 * bottom is free to become the CPU's idle vCPU stack; must not return.  The default (weak)
 * one halts the CPU with interrupts disabled; the scheduler provides the real one.
 */
void ap_main(unsigned int cpu) __attribute__((noreturn));

/* smp-selftest.c ------------------------------------------------------------------------- */

/* smp_selftest on the command line: smp_selftest() runs, and APs wait for it in ap_start. */
extern bool opt_smp_selftest;

/*
 * Exercises what this layer offers on the real machine: event-check IPIs to every AP, a TLB
 * flush IPI seen through a changed mapping, CPUs flushing each other at once, and device
 * interrupts through the IO-APIC (the PIT, edge; QEMU's edu PCI device, level, if present).
 * Logs "SMP self-test: passed" or the failures.  Boot CPU, after ioapic_init().
 */
void smp_selftest(void);

/* The AP side: serves the self-test's requests until it is over (interrupts enabled). */
void smp_selftest_ap(unsigned int cpu);

/* lapic.c --------------------------------------------------------------------------------- */

/* Finds the local APIC (smp_boot_cpus() does it: IPIs work from then on). */
void lapic_map(void);

/* This CPU's local APIC id. */
unsigned int lapic_id(void);

/* Software-enables this CPU's local APIC (spurious vector, priority 0, errors cleared). */
void lapic_cpu_init(void);

/* Acknowledges the interrupt being handled on this CPU. */
void lapic_eoi(void);

/* Sends an INIT (assert, then de-assert) or a STARTUP IPI to a local APIC id; 0 or -XEN_EIO. */
int lapic_send_init(unsigned int apic_id);
int lapic_send_startup(unsigned int apic_id, unsigned int page);

/* Busy-waits about us microseconds (calibrated TSC). */
void udelay(unsigned int us);

/* How many VECTOR_EVENT_CHECK IPIs logical CPU cpu has taken. */
unsigned long lapic_event_checks(unsigned int cpu);

/* Sends a fixed interrupt with vector to logical CPU cpu (which may be this one). */
void send_ipi(unsigned int cpu, unsigned int vector);

/*
 * Flushes the TLB of every CPU in cpu_mask (offline CPUs ignored): this one directly, the
 * others by VECTOR_FLUSH_TLB IPI, and returns once each has flushed after the call began.
 *
 * The wait is only safe because no CPU can sit with interrupts disabled for long: guests
 * run with them enabled, the idle loop halts with them enabled, and a CPU that waits for the
 * hypervisor lock must spin with them enabled, so every target takes the IPI soon.  While
 * waiting, this CPU answers flush requests aimed at it, so two CPUs flushing each other do
 * not deadlock.  A CPU that never answers within a second is a bug: panic.
 */
void flush_tlb_cpus(uint64_t cpu_mask);

/*
 * Handles an interrupt vector that belongs to SMP or device interrupts (IPIs, 0x30-0xdf);
 * returns false for any other vector (the caller then hands it to apic_interrupt()).
 */
bool smp_interrupt(unsigned int vec);
#endif

#endif
