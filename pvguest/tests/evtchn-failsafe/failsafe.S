/* SPDX-License-Identifier: MIT */
/* evtchn-failsafe: a recording failsafe entry, and a return through a frame the CPU refuses. */
#include <public/xen.h>
#include <pvguest/hypercall.h>

    .text

/*
 * CALLBACKTYPE_failsafe entry: copies the hypervisor's frame (lowest address first: rcx,
 * r11, ds, es, fs, gs, rip, cs, rflags, rsp, ss) into failsafe_frame[], counts it, and
 * goes on to the library's failsafe entry (which hands it to the PV_VEC_FAILSAFE handler).
 * Every register is as the hypervisor left it when it reaches the library.
 */
    .globl failsafe_probe_entry
failsafe_probe_entry:
    push %rax
    push %rbx
    lea failsafe_frame(%rip), %rbx
    .irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    mov 16 + 8 * \i(%rsp), %rax
    mov %rax, 8 * \i(%rbx)
    .endr
    incq failsafe_count(%rip)
    pop %rbx
    pop %rax
    jmp pv_failsafe_entry

/*
 * void bad_iret(void): returns to its caller with the iret hypercall and a frame whose SS
 * is null (forced to RPL 3 by the hypervisor: the CPU refuses it for CPL 3). The failsafe
 * handler puts a good SS in, and execution goes on at bad_iret_resume with the stack as at
 * entry. Events stay masked (IF clear in the frame). Clobbers rax, rcx, r11.
 */
    .globl bad_iret
bad_iret:
    mov %rsp, %rax
    pushq $0                        /* ss */
    push %rax                       /* rsp: as at entry, pointing at our return address */
    pushq $2                        /* rflags: IF clear */
    pushq $(FLAT_KERNEL_CS & ~3)    /* cs: RPL 0 = back to the guest kernel */
    lea bad_iret_resume(%rip), %rcx
    push %rcx                       /* rip */
    pushq $0                        /* flags */
    jmp hypercall_page + __HYPERVISOR_iret * 32
    .globl bad_iret_resume
bad_iret_resume:
    ret

    .section .note.GNU-stack, "", @progbits
