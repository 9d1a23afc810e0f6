/* SPDX-License-Identifier: MIT */
/* Entry and exit: exception/interrupt stubs, the syscall (hypercall) entry, return to guest. */
#include <asm/regs.h>
#include <asm/percpu.h>
#include <asm/desc.h>

.macro SAVE_ALL
    push    %rdi
    push    %rsi
    push    %rdx
    push    %rcx
    push    %rax
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
.endm

.macro RESTORE_ALL
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rax
    pop     %rcx
    pop     %rdx
    pop     %rsi
    pop     %rdi
.endm

    .text

/* One stub per vector: push a zero error code where the CPU pushes none, then the vector. */
.macro TRAP_STUB vec
    .align 16
trap_stub_\vec:
    .if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
    .else
    push    $0
    .endif
    push    $\vec
    jmp     trap_common
.endm

    .altmacro
.macro STUBS from, to
    TRAP_STUB %from
    .if \to-\from
    STUBS %(from+1), \to
    .endif
.endm
    STUBS 0, 63
    STUBS 64, 127
    STUBS 128, 191
    STUBS 192, 255

    .section .rodata
    .align 8
    .globl trap_stub_table
trap_stub_table:
.macro STUB_ADDR vec
    .quad trap_stub_\vec
.endm
.macro ADDRS from, to
    STUB_ADDR %from
    .if \to-\from
    ADDRS %(from+1), \to
    .endif
.endm
    ADDRS 0, 63
    ADDRS 64, 127
    ADDRS 128, 191
    ADDRS 192, 255
    .noaltmacro

    .text
/*
 * Common exception/interrupt path.  From CPL 3 the CPU has switched to the vCPU's
 * hypervisor stack (TSS.rsp0) and we swapgs to reach the percpu data.  A fault on the
 * iretq back to a guest happens at CPL 0 but with the guest's GS loaded: recognise it by
 * its rip and swapgs as well.
 */
trap_common:
    testb   $3, 24(%rsp)                    /* saved CS */
    jnz     1f
    push    %rax
    lea     guest_iret_insn(%rip), %rax
    cmp     %rax, 24(%rsp)                  /* saved RIP */
    pop     %rax
    jne     2f
1:  swapgs
    cld
    SAVE_ALL
    mov     %rsp, %rdi
    call    do_trap_guest                   /* hvlock.c: also takes the hypervisor lock */
    jmp     3f
2:  cld
    SAVE_ALL
    mov     %rsp, %rdi
    call    do_trap
3:  testb   $3, REGS_cs(%rsp)
    jnz     return_to_guest
    RESTORE_ALL
    add     $16, %rsp
    iretq

/*
 * syscall from CPL 3: from guest kernel mode a hypercall, from guest user mode a syscall to
 * bounce to the guest kernel.  SYSCALL left rip in rcx and rflags in r11 and switched
 * neither stack nor GS; IF is masked by MSR_SYSCALL_MASK.
 */
    .globl syscall_entry
syscall_entry:
    swapgs
    mov     %rsp, %gs:PCPU_scratch_rsp
    mov     %gs:PCPU_stack_top, %rsp
    push    $HV_RING3_DS                    /* ss */
    push    %gs:PCPU_scratch_rsp            /* rsp */
    push    %r11                            /* rflags */
    push    $HV_RING3_CS64                  /* cs */
    push    %rcx                            /* rip */
    push    $0                              /* error code */
    push    $VECTOR_SYSCALL
    cld
    SAVE_ALL
    mov     %rsp, %rdi
    call    do_trap_guest                   /* takes the hypervisor lock, then do_syscall */
    /* fall through */

/*
 * Back to the guest whose frame is at rsp: first the C side delivers pending events and
 * runs the scheduler if asked (it may switch to another vCPU and come back later), and
 * gives the hypervisor lock back last.
 */
    .globl return_to_guest
return_to_guest:
    cli
    mov     %rsp, %rdi
    call    exit_to_guest
    RESTORE_ALL
    add     $16, %rsp
    swapgs
    .globl guest_iret_insn
guest_iret_insn:
    iretq

/*
 * First run of a new vCPU: context_switch() "returns" here on its fresh stack, whose top
 * holds the initial guest frame.
 */
    .globl vcpu_first_entry
vcpu_first_entry:
    mov     %gs:PCPU_stack_top, %rsp
    sub     $REGS_SIZE, %rsp
    jmp     return_to_guest

/*
 * context_switch_stacks(uint64_t *save_sp, uint64_t new_sp): saves the callee-saved
 * registers on this stack, stores rsp in *save_sp, switches to new_sp and restores the
 * registers saved there.  A new stack is prepared to "return" into its first function.
 */
    .globl context_switch_stacks
context_switch_stacks:
    push    %rbp
    push    %rbx
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, (%rdi)
    mov     %rsi, %rsp
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbx
    pop     %rbp
    ret

/*
 * size_t copy_guest_raw(void *dst, const void *src, size_t n): copies with faults caught;
 * returns the number of bytes NOT copied (0 on success).  Callers have range-checked the
 * guest address: this only survives faults.
 */
    .globl copy_guest_raw
copy_guest_raw:
    mov     %rdx, %rcx
copy_guest_insn:
    rep movsb
copy_guest_done:
    mov     %rcx, %rax
    ret

    .section __ex_table, "a"
    .align 8
    .quad copy_guest_insn, copy_guest_done
    .previous

/*
 * int load_gs_selector(unsigned int sel): loads %gs, surviving a bad selector (then %gs is
 * loaded with the null selector and -1 returned).  Changes GS_BASE: the caller restores it.
 */
    .text
    .globl load_gs_selector
load_gs_selector:
load_gs_insn:
    mov     %edi, %gs
    xor     %eax, %eax
    ret
load_gs_fixup:
    xor     %edi, %edi
    mov     %edi, %gs
    mov     $-1, %eax
    ret

    .section __ex_table, "a"
    .align 8
    .quad load_gs_insn, load_gs_fixup
    .previous

/*
 * int load_<seg>_selector(unsigned int sel) for ds, es, fs: like load_gs_selector, a bad
 * selector (e.g. one whose descriptor the guest removed) loads the null selector instead.
 */
.macro LOAD_SEG seg
    .globl load_\seg\()_selector
load_\seg\()_selector:
1:  mov     %edi, %\seg
    xor     %eax, %eax
    ret
2:  xor     %edi, %edi
    mov     %edi, %\seg
    mov     $-1, %eax
    ret
    .section __ex_table, "a"
    .align 8
    .quad 1b, 2b
    .previous
.endm
    LOAD_SEG ds
    LOAD_SEG es
    LOAD_SEG fs

    .section .note.GNU-stack, "", @progbits
