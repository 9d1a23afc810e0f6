/* SPDX-License-Identifier: MIT */
/* xen-abi-guest head: ELF notes, entry, hypercall page and #UD entry, from Xen's headers only. */
#include <xen/elfnote.h>
#include <xen/xen.h>

#define GUEST_VIRT_BASE 0xffffffff80000000

/* An ELF note owned by "Xen": namesz, descsz, type, "Xen\0", descriptor padded to 4. */
#define NOTE(type, directive, value)                                                           \
    .pushsection .note.Xen, "a", @note;                                                        \
    .balign 4;                                                                                 \
    .long 2f - 1f;                                                                             \
    .long 4f - 3f;                                                                             \
    .long type;                                                                                \
1:  .asciz "Xen";                                                                              \
2:  .balign 4;                                                                                 \
3:  directive value;                                                                           \
4:  .balign 4;                                                                                 \
    .popsection

NOTE(XEN_ELFNOTE_GUEST_OS, .asciz, "xen-abi-guest")
NOTE(XEN_ELFNOTE_GUEST_VERSION, .asciz, "1")
NOTE(XEN_ELFNOTE_XEN_VERSION, .asciz, "xen-3.0")
NOTE(XEN_ELFNOTE_LOADER, .asciz, "generic")
NOTE(XEN_ELFNOTE_VIRT_BASE, .quad, GUEST_VIRT_BASE)
NOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad, 0)
NOTE(XEN_ELFNOTE_ENTRY, .quad, _start)
NOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad, hypercall_page)

/* Entry: rsi = start_info; call guest_main(start_info) on our own stack. */
    .section .text.head, "ax", @progbits
    .globl _start
_start:
    cld
    lea stack_top(%rip), %rsp
    mov %rsi, %rdi
    call guest_main
1:  jmp 1b

/* Filled by the hypervisor: stub i at hypercall_page + 32 * i. */
    .section .text.hypercall_page, "ax", @progbits
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .fill 4096, 1, 0xcc

    .text
/*
 * #UD handler. Xen's bounce frame, lowest first: rcx, r11, rip, cs, rflags, rsp, ss.
 * Put rcx/r11 back, step rip over the 2-byte ud2, count, and return with the iret
 * hypercall, which wants (lowest first) rax, r11, rcx, flags, rip, cs, rflags, rsp, ss:
 * its stub pushes rcx, r11 and rax itself, so we only push flags (0: restore rcx/r11).
 */
    .globl ud_entry
ud_entry:
    pop %rcx
    pop %r11
    addq $2, (%rsp)
    lock incq ud_count(%rip)
    pushq $0
    jmp hypercall_page + __HYPERVISOR_iret * 32

    .data
    .balign 8
    .globl ud_count
ud_count:
    .quad 0

    .bss
    .balign 4096
    .skip 16384
stack_top:

    .section .note.GNU-stack, "", @progbits
