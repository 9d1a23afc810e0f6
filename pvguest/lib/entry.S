/* SPDX-License-Identifier: MIT */
/* Ways into the guest kernel: exception stubs, event/syscall/failsafe callbacks, iret exit. */
#include <public/xen.h>
#include <pvguest/hypercall.h>
#include <pvguest/memlayout.h>

/*
 * The hypervisor enters the guest kernel with a "bounce frame" on the guest kernel stack
 * (the current stack if we were in kernel mode, the stack_switch one if in user mode,
 * top 16-byte aligned), lowest address first:
 *
 *     rcx, r11, [error code], rip, cs, rflags, rsp, ss
 *
 * rcx and r11 are the interrupted values (the hypervisor needed those registers). The
 * error code is present only for vectors 8, 10-14, 17, 21, 29, 30. Failsafe frames also
 * carry ds, es, fs, gs between r11 and rip.
 *
 * Every entry pops rcx/r11 back into their registers, pushes a 0 error code if there is
 * none, pushes its vector and jumps to pv_trap_common. The stack then holds, lowest first,
 *     vector, error_code, rip, cs, rflags, rsp, ss
 * with every register still as interrupted; pv_trap_common pushes them all to complete a
 * struct pv_trap_frame (pvguest/traps.h) and calls pv_handle_trap(frame).
 */

#define PV_TRAP_STUB_SIZE 16

/* Vectors for which the CPU (and so the bounce frame) supplies an error code. */
#define HAS_ERROR_CODE(v) (((v) == 8) || (((v) >= 10) && ((v) <= 14)) || ((v) == 17) || \
                           ((v) == 21) || ((v) == 29) || ((v) == 30))

    .text

/*
 * 256 stubs, PV_TRAP_STUB_SIZE bytes apart: stub for vector v = pv_trap_stubs + 16 * v
 * (gas cannot check the stride at assembly time; pv_traps_init() checks it at boot).
 */
    .balign PV_TRAP_STUB_SIZE
    .globl pv_trap_stubs
pv_trap_stubs:
    vec = 0
    .rept 256
    pop %rcx
    pop %r11
    .if HAS_ERROR_CODE(vec)
    .else
    pushq $0
    .endif
    pushq $vec
    {disp32} jmp pv_trap_common     /* at most 1+2+2+5+5 = 15 bytes per stub */
    .balign PV_TRAP_STUB_SIZE, 0xcc
    vec = vec + 1
    .endr

/* CALLBACKTYPE_event: frame rcx, r11, rip, cs, rflags, rsp, ss. */
    .globl pv_event_entry
pv_event_entry:
    pop %rcx
    pop %r11
    pushq $0
    pushq $PV_VEC_EVENT
    jmp pv_trap_common

/* CALLBACKTYPE_syscall (`syscall` in user mode): frame rcx, r11, rip, cs, rflags, rsp, ss;
 * rcx/r11 are what the instruction left there (user return rip and rflags). */
    .globl pv_syscall_entry
pv_syscall_entry:
    pop %rcx
    pop %r11
    pushq $0
    pushq $PV_VEC_SYSCALL
    jmp pv_trap_common

/* CALLBACKTYPE_failsafe: frame rcx, r11, ds, es, fs, gs, rip, cs, rflags, rsp, ss. The
 * segment values are dropped: the handler reports and crashes. */
    .globl pv_failsafe_entry
pv_failsafe_entry:
    pop %rcx
    pop %r11
    add $32, %rsp
    pushq $0
    pushq $PV_VEC_FAILSAFE
    jmp pv_trap_common

pv_trap_common:
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, %rdi          /* struct pv_trap_frame * */
    mov %rsp, %rbx          /* callee-saved: survives the call */
    and $~15, %rsp          /* the C ABI wants a 16-byte aligned stack at a call */
    cld
    call pv_handle_trap
    mov %rbx, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax

/*
 * Return with the iret hypercall. Stub 23 is *jumped to*: it pushes rcx, r11 and rax and
 * makes the hypercall, and the hypervisor expects on the stack, lowest address first:
 *     rax, r11, rcx, flags, rip, cs, rflags, rsp, ss
 * So turn "vector, error_code" into "flags": drop the vector, and write 0 over the error
 * code (restore rcx/r11 too), or VGCF_in_syscall when returning from a user `syscall` (the
 * instruction's contract: rcx/r11 are not preserved). The CS slot loses the saved upcall
 * mask in bits 32-39; its RPL (0 = back to the guest kernel, 3 = back to user mode) stays.
 * Only memory-to-immediate instructions are used: every register is already restored.
 */
    cmpq $PV_VEC_SYSCALL, (%rsp)
    movq $0, 8(%rsp)
    jne 1f
    movq $VGCF_in_syscall, 8(%rsp)
1:  andq $0xffff, 24(%rsp)
    add $8, %rsp
    jmp hypercall_page + __HYPERVISOR_iret * 32

/*
 * long pv_run_user_asm(pv_user_fn fn, unsigned long user_rsp)
 *
 * Saves the callee-saved registers and the stack pointer (like setjmp), registers this
 * stack as the kernel stack for bounces from user mode (stack_switch), then enters user
 * mode at fn with the iret hypercall: CS = FLAT_USER_CS (RPL 3), SS = FLAT_USER_SS,
 * rflags = IF | bit 1. Comes back through pv_user_return(). Returns the stack_switch
 * error if that fails.
 */
    .globl pv_run_user_asm
pv_run_user_asm:
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rdi, %r12
    mov %rsi, %r13
    mov %rsp, pv_user_saved_rsp(%rip)
    mov %rsp, pv_user_kernel_sp(%rip)
    mov $FLAT_KERNEL_SS, %edi
    mov %rsp, %rsi
    call hypercall_page + __HYPERVISOR_stack_switch * 32
    test %rax, %rax
    jnz 2f
    pushq $FLAT_USER_SS     /* ss */
    push %r13               /* rsp */
    pushq $0x202            /* rflags: IF, reserved bit 1 */
    pushq $FLAT_USER_CS     /* cs: RPL 3 = user mode */
    push %r12               /* rip */
    pushq $0                /* flags */
    xor %eax, %eax
    xor %ecx, %ecx
    xor %r11d, %r11d
    jmp hypercall_page + __HYPERVISOR_iret * 32
2:  movq $0, pv_user_saved_rsp(%rip)
    jmp 3f

/*
 * void pv_user_return(long value) - called in guest kernel mode (from the syscall
 * handler) to abandon the current frame and return `value` from pv_run_user_asm().
 */
    .globl pv_user_return
pv_user_return:
    mov %rdi, %rax
    mov pv_user_saved_rsp(%rip), %rsp
    movq $0, pv_user_saved_rsp(%rip)
3:  pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret

/* Where a user function returns to (user mode): exit with its return value. */
    .globl pv_user_exit_trampoline
pv_user_exit_trampoline:
    mov %rax, %rdi
    mov $PV_SYS_EXIT, %eax
    syscall
    ud2

    .data
    .balign 8
    .globl pv_user_saved_rsp, pv_user_kernel_sp
pv_user_saved_rsp:
    .quad 0
pv_user_kernel_sp:
    .quad 0

    .section .note.GNU-stack, "", @progbits
