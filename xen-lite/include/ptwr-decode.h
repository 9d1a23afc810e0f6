/* SPDX-License-Identifier: MIT */
/* Writable page tables: decoding and executing a guest's faulting write to a PTE. */
#ifndef XEN_LITE_PTWR_DECODE_H
#define XEN_LITE_PTWR_DECODE_H

/*
 * A PV guest kernel writes PTEs straight into its page-table pages, which are mapped
 * read-only; the write faults and the hypervisor emulates it. This is the pure part of that
 * emulation: no memory is touched here. The #PF handler fetches the instruction bytes, calls
 * ptwr_decode, reads the aligned 8-byte PTE around cr2, calls ptwr_execute on a copy of the
 * guest registers, validates the new PTE like an mmu_update, stores it, commits the register
 * copy and advances rip by insn.len. Anything refused here becomes a #PF for the guest.
 *
 * Only 64-bit code is decoded (PV64 guest kernels): 67 changes the address size to 32 bits,
 * which in 64-bit mode leaves the ModRM/SIB/displacement layout unchanged and shortens a
 * moffs from 8 to 4 bytes.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest x86 instruction; longer prefix runs are #GP on the CPU and refused here. */
#define PTWR_MAX_INSN_LEN 15

/* Guest registers in x86 encoding order: rax rcx rdx rbx rsp rbp rsi rdi r8..r15. */
struct ptwr_regs {
    uint64_t gpr[16];
    uint64_t rflags;
};

/* What the instruction does to its memory operand. */
enum ptwr_op {
    PTWR_MOV,        /* 88 89 C6/0 C7/0 A2 A3 */
    PTWR_XCHG,       /* 86 87: the register gets the old value */
    PTWR_CMPXCHG,    /* 0F B0 0F B1: compare with the accumulator */
    PTWR_CMPXCHG8B,  /* 0F C7/1: compare edx:eax, store ecx:ebx */
    PTWR_CMPXCHG16B, /* REX.W 0F C7/1: spans two PTEs, so ptwr_execute() refuses it (the
                        caller emulates it on both entries) */
    PTWR_AND,        /* 20 21 80/4 81/4 83/4 */
    PTWR_OR,         /* 08 09 80/1 81/1 83/1 */
    PTWR_BTS,        /* 0F AB, 0F BA/5 */
    PTWR_BTR,        /* 0F B3, 0F BA/6 */
    PTWR_BTC,        /* 0F BB, 0F BA/7 */
};

/* Where the value written (or the bit offset, for bt*) comes from. */
enum ptwr_src {
    PTWR_SRC_REG,      /* gpr[src_reg], or its bits 8..15 when src_high8 */
    PTWR_SRC_IMM,      /* imm */
    PTWR_SRC_IMPLICIT, /* cmpxchg8b/16b: rcx:rbx, compared with rdx:rax */
};

/* A decoded memory-writing instruction. */
struct ptwr_insn {
    enum ptwr_op op;
    unsigned int width; /* bytes of memory operand: 1, 2, 4, 8; 16 for cmpxchg16b */
    bool lock;          /* F0 prefix, or implied (xchg): the caller must store atomically */
    enum ptwr_src src;
    unsigned int src_reg; /* 0..15 when src == PTWR_SRC_REG */
    bool src_high8;       /* ah/ch/dh/bh: byte register 4..7 without a REX prefix */
    uint64_t imm;         /* sign-extended to 64 bits (bt*: only its low bits count) */
    unsigned int len;     /* bytes the caller advances rip by, 1..PTWR_MAX_INSN_LEN */
};

/*
 * ptwr_decode - decode the instruction at bytes[0..n) (n may exceed the instruction; bytes
 * past it are ignored, and nothing at or past bytes[n] is ever read).
 * Accepts the writes listed in enum ptwr_op with a memory destination, with prefixes
 * 66 (operand size), 67 (address size), F0 (lock; refused on mov, where the CPU raises #UD),
 * segment overrides 26 2E 36 3E 64 65 (ignored: the caller works from cr2, a linear address)
 * and REX. F2/F3 (rep, and the xacquire/xrelease hints) are refused.
 * Returns 0 and fills *insn, or -1 (not an instruction we emulate, a register destination,
 * truncated at n, or longer than PTWR_MAX_INSN_LEN) leaving *insn untouched.
 */
int ptwr_decode(const uint8_t *bytes, size_t n, struct ptwr_insn *insn);

/*
 * ptwr_execute - run a decoded instruction against the 8-byte-aligned PTE that contains the
 * written address. offset: written address & 7; old: the PTE's current value.
 * On success returns 0 and sets *new_pte (all 8 bytes after the write) and *store (false when
 * nothing is written: a failed cmpxchg compare), and updates regs as the CPU would: the
 * register of xchg, the accumulator of a failed cmpxchg (edx:eax for cmpxchg8b), and rflags
 * (cmpxchg: CF PF AF ZF SF OF of the compare; cmpxchg8b: ZF; and/or: SF ZF PF from the result,
 * CF = OF = 0, AF left as it was (undefined); bt*: CF = the old bit).
 * Returns -1 and changes nothing when the write would leave the 8 bytes (offset + width > 8),
 * for cmpxchg16b (16 bytes: two PTEs), and for a bt* register bit offset outside
 * [0, 8 * width): for those the CPU addresses another word, and which bytes it touched (so
 * what cr2 means) is only loosely specified.
 * regs is changed even when the caller then refuses the new PTE, so pass a copy and commit it
 * only once the PTE is stored (or when *store is false). If the caller stores with a compare
 * against old and loses a race, it re-reads the PTE and runs this again on a fresh copy.
 */
int ptwr_execute(const struct ptwr_insn *insn, struct ptwr_regs *regs, unsigned int offset,
                 uint64_t old, uint64_t *new_pte, bool *store);

#endif
