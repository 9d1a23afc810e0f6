/* SPDX-License-Identifier: MIT */
/* Traps: the saved-register frame, per-vector handlers, and catching expected exceptions. */
#ifndef PVGUEST_TRAPS_H
#define PVGUEST_TRAPS_H

#include <stdbool.h>
#include <stdint.h>
#include <pvguest/memlayout.h>

/*
 * Everything lib/entry.S saved when the hypervisor bounced an exception, event or user-mode
 * `syscall` into the guest kernel, lowest address first. The last five fields are the
 * hypervisor's bounce frame itself, left in place on the stack. A handler may change any
 * field (e.g. advance rip past a faulting instruction, set rax as a syscall's result):
 * lib/entry.S restores all of it and returns with the iret hypercall.
 */
struct pv_trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;     /* 0..255, or PV_VEC_EVENT / PV_VEC_SYSCALL / PV_VEC_FAILSAFE */
    uint64_t error_code; /* as the hypervisor delivered it; 0 if the vector has none */
    uint64_t rip;
    uint64_t cs;     /* bits 0-15: selector, RPL 0 = interrupted guest kernel, RPL 3 = user;
                        bits 32-39: the upcall mask saved at delivery */
    uint64_t rflags; /* IF = the interrupted context's virtual interrupt flag */
    uint64_t rsp;
    uint64_t ss;
};
_Static_assert(sizeof(struct pv_trap_frame) == 22 * 8,
               "pv_trap_frame layout is shared with entry.S");

static inline bool pv_frame_from_user(const struct pv_trap_frame *f)
{
    return (f->cs & 3) == 3;
}

typedef void (*pv_trap_handler_t)(struct pv_trap_frame *f);

/*
 * pv_set_trap_handler - run fn for `vector` (0..255 or a PV_VEC_*) instead of the default
 * (print the frame and crash the domain; for PV_VEC_EVENT: acknowledge pending events; for
 * PV_VEC_SYSCALL: return -ENOSYS to user mode). fn = NULL restores the default. Returns the
 * previous handler. PV_SYS_EXIT syscalls never reach fn (see pvguest/user.h).
 */
pv_trap_handler_t pv_set_trap_handler(unsigned int vector, pv_trap_handler_t fn);

/*
 * pv_set_trap_entry - (re)register `vector` in the hypervisor's virtual IDT, pointing at the
 * library's stub for it. dpl decides who may reach it with `int N` (Xen: guest kernel counts
 * as privilege 1, user as 3). At boot vectors 0-19 are registered, DPL 0 except #BP and #OF
 * (DPL 3). Returns the set_trap_table result.
 */
long pv_set_trap_entry(unsigned int vector, unsigned int dpl, bool mask_events);

/* Address of the library's entry stub for `vector` (0..255). */
unsigned long pv_trap_stub(unsigned int vector);

/* Faulting address of the last #PF, from shared_info->vcpu_info[0].arch.cr2. */
uint64_t pv_read_cr2(void);

/* Prints every field of f (and cr2 for a #PF). */
void pv_dump_frame(const struct pv_trap_frame *f);

/* Prints f and crashes the domain (the default handler). */
void pv_unhandled_trap(struct pv_trap_frame *f) __attribute__((noreturn));

/* ---- catching expected exceptions ---------------------------------------------------- */

/* What the catching handler recorded about the last exception it caught. */
struct pv_caught {
    unsigned long count;        /* exceptions caught since boot */
    struct pv_trap_frame frame; /* the frame as delivered (rip before any fixup) */
    uint64_t cr2;               /* vcpu_info.arch.cr2 when the exception arrived */
    uint64_t frame_top;         /* address just above the bounce frame's ss slot */
};
extern volatile struct pv_caught pv_caught;

/* Set by PV_TRY_BEGIN: where the bracketed code starts, rsp there, and where to resume. */
extern volatile uint64_t pv_try_rip, pv_try_rsp, pv_fixup_rip;

/*
 * pv_catch - arm `vector` (0..255): its next exceptions are recorded in pv_caught and, if
 * raised inside PV_TRY_BEGIN/PV_TRY_END, execution resumes at PV_TRY_END. An armed vector
 * raised outside a PV_TRY block is treated as unhandled.
 */
void pv_catch(unsigned int vector);

/*
 * PV_TRY_BEGIN "instructions" PV_TRY_END inside an *extended* asm statement (so %% is
 * needed) whose clobber list includes "r11" and "memory". Works in guest kernel and user
 * mode. Numeric labels 9000/9001 are used.
 */
#define PV_TRY_BEGIN                                                                               \
    "lea 9001f(%%rip), %%r11\n\t"                                                                  \
    "mov %%r11, pv_fixup_rip(%%rip)\n\t"                                                           \
    "lea 9000f(%%rip), %%r11\n\t"                                                                  \
    "mov %%r11, pv_try_rip(%%rip)\n\t"                                                             \
    "mov %%rsp, pv_try_rsp(%%rip)\n"                                                               \
    "9000:\n\t"
#define PV_TRY_END                                                                                 \
    "\n9001:\n\t"                                                                                  \
    "movq $0, pv_fixup_rip(%%rip)\n\t"

/* Set up by the library at boot; used by pv_start(). */
void pv_traps_init(void);

/* Handler for every way into the guest kernel; called from lib/entry.S. */
void pv_handle_trap(struct pv_trap_frame *f);

#endif /* PVGUEST_TRAPS_H */
