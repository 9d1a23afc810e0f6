/* SPDX-License-Identifier: MIT */
/* The register frame saved on every entry into the hypervisor. */
#ifndef XEN_LITE_ASM_REGS_H
#define XEN_LITE_ASM_REGS_H

/*
 * Layout (lowest address first) built by entry.S: general registers, then the vector and
 * error code the stub pushed, then the hardware interrupt frame.  Offsets are used by
 * entry.S; the _Static_asserts below keep them honest.
 */
#define REGS_r15        0
#define REGS_rax        80
#define REGS_rcx        88
#define REGS_vector     120
#define REGS_error_code 128
#define REGS_rip        136
#define REGS_cs         144
#define REGS_rflags     152
#define REGS_rsp        160
#define REGS_ss         168
#define REGS_SIZE       176

/* Pseudo-vector marking a frame built by the syscall entry (a hypercall or guest syscall). */
#define VECTOR_SYSCALL 0x100

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct cpu_user_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(offsetof(struct cpu_user_regs, rax) == REGS_rax, "regs layout");
_Static_assert(offsetof(struct cpu_user_regs, rcx) == REGS_rcx, "regs layout");
_Static_assert(offsetof(struct cpu_user_regs, vector) == REGS_vector, "regs layout");
_Static_assert(offsetof(struct cpu_user_regs, rip) == REGS_rip, "regs layout");
_Static_assert(offsetof(struct cpu_user_regs, ss) == REGS_ss, "regs layout");
_Static_assert(sizeof(struct cpu_user_regs) == REGS_SIZE, "regs layout");

/* True if the frame was saved while a guest (CPL 3) was running. */
static inline int regs_from_guest(const struct cpu_user_regs *r)
{
    return (r->cs & 3) != 0;
}
#endif

#endif
