/* SPDX-License-Identifier: MIT */
/* Hypercall test harness: a booted fake machine with dom0 and one domU, guest memory, calls. */
#ifndef HARNESS_H
#define HARNESS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/arch-x86-pt.h>
#include <public/xen.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <domain.h>
#include <hypercall.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>

/*
 * The current guest's virtual memory: GUEST_PAGES pages at GUEST_BASE (where a Linux PV
 * kernel lives).  copy_guest_raw() reaches nothing else: any other address, or a page
 * taken away with guest_unmap_page(), faults like an unmapped page would.
 */
#define GUEST_BASE  0xffffffff80000000ULL
#define GUEST_PAGES 16
#define GUEST_SIZE  (GUEST_PAGES * 4096ULL)

/*
 * The fake IO-APIC (stubs.c): GSIs 0..HARNESS_NR_GSIS-1 as on QEMU's pc machine, and ISA
 * IRQs mapped as its MADT does (IRQ 0 -> GSI 2; IRQs 5, 9, 10, 11 level, active high).
 */
#define HARNESS_NR_GSIS 24
struct harness_gsi {
    bool routed, masked, level, active_low;
    unsigned int vector, cpu;
    unsigned int unmasks; /* ioapic_unmask_gsi() calls while routed */
};

/* What the stubs recorded, and what tests set up for them (see stubs.c). */
struct harness {
    unsigned int sched_requests;      /* sched_yield() */
    unsigned int preempt_checks;      /* sched_preempt_pending() */
    bool preempt;                     /* what sched_preempt_pending() answers */
    unsigned int blocks;              /* vcpu_block_current() */
    bool polling_at_block;            /* current->polling when it last blocked */
    unsigned int block_enable_events; /* sched_block_current_enable_events() */
    unsigned int offlines;            /* vcpu_offline() */
    unsigned int kicks;               /* vcpu_kick() */
    struct vcpu *last_kicked;         /* its last argument */
    unsigned int mode_toggles;        /* pv_toggle_guest_mode() */
    unsigned int raw_copies;          /* copy_guest_raw(): guest memory actually touched */
    uint64_t now_ns;                  /* what now_ns() returns */
    const char *cmdline;              /* what hypervisor_cmdline() returns */
    const char *input;                /* console input serial_getc() hands out */
    /*
     * Why the last hc() did not return (HC_NO_RETURN): the hypervisor switched away from
     * an offline vCPU, halted the machine, or panicked.  Empty if it returned.
     */
    char escape[256];
    unsigned int halt_value;                 /* machine_halt()'s exit value */
    struct harness_gsi gsi[HARNESS_NR_GSIS]; /* the fake IO-APIC's lines */
    bool no_vectors;                         /* irq_vector_alloc() answers -ENOSPC */
    unsigned int vectors_in_use;             /* device vectors allocated and not freed */
    unsigned int serial_rx_irqs;             /* serial_enable_rx_irq() calls */
};
extern struct harness harness;

extern struct domain *domu;  /* domain 1: unprivileged, current after harness_boot() */
#define HARNESS_DOMU_VCPUS 4 /* domu's vCPUs: 0 runs, the others are down */

/*
 * Boots the fake machine through the real code: frame allocator over fake RAM, mm_init(),
 * domain_create() of dom0 (privileged) and domu, each with room for 256 more frames.
 * Once per process: Criterion runs every test (and every parameter of a parameterized
 * test) in a fresh one, so this is each suite's .init.
 */
void harness_boot(void);

/* Makes d's vCPU 0 the running one (guest kernel mode). */
void harness_set_current(struct domain *d);

/* Leaves the current hypercall for good (never-returning stubs); see harness.escape. */
void harness_escape(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Host view of guest memory [va, va+len); aborts if that is not inside the window. */
void *guest_mem(uint64_t va, size_t len);
/* Takes len fresh bytes of guest memory (16-byte aligned, zeroed); returns their address. */
uint64_t guest_alloc(size_t len);
/* guest_alloc() filled with a copy of data. */
uint64_t guest_put(const void *data, size_t len);
/* From now on every access to the page holding va faults. */
void guest_unmap_page(uint64_t va);

/*
 * Issues hypercall nr with up to six arguments exactly as a guest's syscall would: through
 * hypercall_dispatch() on the current vCPU's register frame.  Returns the frame's rax, or
 * HC_NO_RETURN if the call never came back (harness.escape says why).
 */
#define HC_NO_RETURN LONG_MIN
long hc_call(uint64_t nr, const uint64_t args[6]);
#define hc(nr, ...) hc_call((nr), (const uint64_t[6]){__VA_ARGS__})

/* A new frame owned by d (counted against its memory) with the given type; returns its mfn. */
uint64_t domain_frame(struct domain *d, enum page_type type);

/*
 * The L1 entry mapping va in v's kernel page tables, creating what is missing on the way
 * (v's L4 included) from typed frames of v's domain, as the domain builder lays them out.
 */
uint64_t *guest_l1e(struct vcpu *v, uint64_t va);

/* Everything printed on the hypervisor console so far, NUL-terminated. */
const char *console_text(void);

#endif
