/* SPDX-License-Identifier: MIT */
/* Guest image head: Xen ELF notes, the entry point, the hypercall page and the boot stack. */
#include <public/elfnote.h>
#include <pvguest/memlayout.h>

/*
 * XEN_NOTE(type, directive, value): one ELF note owned by "Xen" in .note.Xen (put in a
 * PT_NOTE segment by lib/pvguest.lds). Layout: namesz, descsz, type (4 bytes each), the
 * name "Xen\0", then the descriptor, each padded to 4 bytes.
 */
#define XEN_NOTE(type, directive, value)                                                       \
    .pushsection .note.Xen, "a", @note;                                                        \
    .balign 4;                                                                                 \
    .long 2f - 1f;                                                                             \
    .long 4f - 3f;                                                                             \
    .long type;                                                                                \
1:  .asciz XEN_ELFNOTE_OWNER;                                                                  \
2:  .balign 4;                                                                                 \
3:  directive value;                                                                           \
4:  .balign 4;                                                                                 \
    .popsection

/*
 * What the domain builder reads: who we are, that we use the generic loader and the
 * xen-3.0 ABI, where the image sits (VIRT_BASE, p_paddr = vaddr - VIRT_BASE), where to
 * enter, and which page to fill with hypercall stubs. FEATURES requires nothing.
 */
XEN_NOTE(XEN_ELFNOTE_GUEST_OS, .asciz, "xen-lite-pvguest")
XEN_NOTE(XEN_ELFNOTE_GUEST_VERSION, .asciz, "0.1")
XEN_NOTE(XEN_ELFNOTE_XEN_VERSION, .asciz, "xen-3.0")
XEN_NOTE(XEN_ELFNOTE_LOADER, .asciz, "generic")
XEN_NOTE(XEN_ELFNOTE_VIRT_BASE, .quad, PV_VIRT_BASE)
XEN_NOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad, 0)
XEN_NOTE(XEN_ELFNOTE_ENTRY, .quad, _start)
XEN_NOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad, hypercall_page)
XEN_NOTE(XEN_ELFNOTE_FEATURES, .asciz, "")

/*
 * Entry, in 64-bit mode at CPL 3 (guest kernel mode), events masked:
 *   rsi = virtual address of start_info, rsp = top of the builder's boot stack page.
 * Move to our own stack in .bss (zeroed by the builder: p_memsz > p_filesz) and call
 * pv_start(start_info) in lib/start.c.
 */
    .section .text.head, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    cld
    lea pv_stack_top(%rip), %rsp
    xor %ebp, %ebp
    mov %rsi, %rdi
    call pv_start
    /* pv_start() does not return; if it ever does, stop here. */
1:  ud2
    jmp 1b
    .size _start, . - _start

/*
 * The hypercall page: the hypervisor overwrites it with 128 stubs of 32 bytes (see
 * pvguest/hypercall.h). Until then it is all int3.
 */
    .section .text.hypercall_page, "ax", @progbits
    .balign PV_PAGE_SIZE
    .globl hypercall_page
    .type hypercall_page, @object
hypercall_page:
    .fill PV_PAGE_SIZE, 1, 0xcc
    .size hypercall_page, PV_PAGE_SIZE

/* The guest kernel stack: boot, traps from kernel mode, and bounces from user mode. */
    .section .bss.stack, "aw", @nobits
    .balign PV_PAGE_SIZE
    .globl pv_stack_bottom, pv_stack_top
pv_stack_bottom:
    .skip PV_STACK_SIZE
pv_stack_top:

    .section .note.GNU-stack, "", @progbits
