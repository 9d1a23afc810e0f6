/* SPDX-License-Identifier: MIT */
/* PV guest entry/exit: bouncing exceptions, events and syscalls into the guest kernel. */
#ifndef XEN_LITE_ASM_PV_H
#define XEN_LITE_ASM_PV_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/regs.h>

struct vcpu;

extern char guest_iret_insn[];  /* entry.S: the iretq back to a guest */
extern char vcpu_first_entry[]; /* entry.S: a new vCPU's first switch-in lands here */

/* A guest (CPL 3) exception: emulate, bounce to the guest's handler, or crash the guest. */
void pv_guest_exception(struct cpu_user_regs *regs);

/*
 * The iretq to a guest faulted: the current domain gave us an unusable frame (CS or SS).
 * Bounces to its failsafe callback, or crashes it if it has none.
 */
void pv_bad_iret(struct cpu_user_regs *regs) __attribute__((noreturn));

/*
 * v's data selectors (ds, es, fs, gs as in sel) could not all be loaded: the failsafe
 * callback is delivered on its next exit to the guest (crash if it has none).
 */
void pv_failsafe_owed(struct vcpu *v, const uint16_t sel[4]);

/* syscall from CPL 3: a hypercall from guest kernel mode, else bounce to the guest kernel. */
void do_syscall(struct cpu_user_regs *regs);

/* Runs on every exit to a guest: scheduling, then pending event upcalls. */
void exit_to_guest(struct cpu_user_regs *regs);

/*
 * Builds a Xen bounce frame on the guest kernel stack and points the guest at handler.
 * Switches the vCPU to guest kernel mode first if it was in user mode.  Error code is
 * pushed when has_ec.  Crashes the domain if the frame cannot be written.
 */
void pv_bounce(struct vcpu *v, uint64_t handler, bool has_ec, uint64_t ec, bool mask_events);

/* Delivers exception vec to the current guest via its trap table (crash if none). */
void pv_inject_exception(struct cpu_user_regs *regs, unsigned int vec, bool has_ec, uint64_t ec);

/* Switches a vCPU between guest kernel and user mode (root table and GS bases). */
void pv_toggle_guest_mode(struct vcpu *v);

/*
 * Writable page tables: emulates a guest kernel's write to one of its read-only L1 page
 * tables (#PF at cr2 with error code ec).  True if it was one and has been applied.
 */
bool pv_ptwr_fault(struct cpu_user_regs *regs, uint64_t cr2, uint64_t ec);

/* Emulates a privileged instruction the guest kernel executed; true if handled. */
bool pv_emulate_privileged(struct cpu_user_regs *regs);

/* Emulates the forced-emulation prefix + cpuid; true if it was one. */
bool pv_emulate_forced_cpuid(struct cpu_user_regs *regs);

/* The cpuid view a PV guest gets (including the Xen leaves 0x40000000-0x40000005). */
void pv_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]);

const char *vector_name(unsigned int vec);

#endif
