/* SPDX-License-Identifier: MIT */
/* Segment descriptors: the GDT layout shared by the hypervisor and its guests. */
#ifndef XEN_LITE_ASM_DESC_H
#define XEN_LITE_ASM_DESC_H

/*
 * Every vCPU has its own 16-page GDT.  Entries below FIRST_RESERVED_GDT_ENTRY (pages 0-13)
 * are the guest's own (set_gdt / update_descriptor, validated); the last two pages hold the
 * hypervisor's descriptors at the selectors Xen's ABI fixes.
 */
#define GDT_ENTRIES       8192
#define GDT_BYTES         (GDT_ENTRIES * 8)
#define GUEST_GDT_ENTRIES 7168 /* FIRST_RESERVED_GDT_ENTRY */

#define HYPERVISOR_CS 0xe008
#define HYPERVISOR_DS 0xe010
#define HV_RING3_CS32 0xe023
#define HV_RING3_DS   0xe02b
#define HV_RING3_CS64 0xe033
#define HV_TSS_SEL    0xe040
#define HV_LDT_SEL    0xe050 /* the vCPU's LDT copy, if it has one */
#define LDT_ENTRIES   8192
#define LDT_BYTES     (LDT_ENTRIES * 8)

#define IST_NMI 1
#define IST_DF  2
#define IST_MC  3

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct percpu;

/* Loads this CPU's IDT, TSS and syscall MSRs; called once per CPU. */
void cpu_desc_init(struct percpu *pc);

/* The same with the CPU's own NMI/#DF/#MC stacks: 3 * STACK_SIZE bytes at ist (other CPUs). */
void cpu_desc_init_stacks(struct percpu *pc, uint8_t *ist);

/* Fills the hypervisor-owned entries of a vCPU's GDT (the rest stays zero). */
void gdt_init_reserved(uint64_t *gdt, struct percpu *pc);

/* Loads gdt as this CPU's GDT (used on every context switch). */
void gdt_load(uint64_t *gdt);

/* Points the GDT's LDT descriptor at ldt (entries descriptors) and loads it; NULL = none. */
void ldt_load(uint64_t *gdt, const uint64_t *ldt, unsigned int entries);

/*
 * True if a guest may place descriptor d in its GDT/LDT: data/code segments must be DPL 3
 * (the guest runs at CPL 3); system descriptors are refused except a null one.
 */
bool guest_descriptor_ok(uint64_t d);
#endif

#endif
