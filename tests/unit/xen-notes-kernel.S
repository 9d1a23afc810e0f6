/* SPDX-License-Identifier: MIT */
/* A do-nothing PV "kernel" linked by the real toolchain, to test the ELF loader on its notes. */
#include <public/elfnote.h>

/* Old-style placement (p_paddr == p_vaddr, PADDR_OFFSET == VIRT_BASE), as the linker emits it. */
#define VIRT_BASE 0xffffffff80000000

/* One "Xen"-owned note: header, padded name, descriptor padded to 4 bytes. */
#define ELFNOTE(type, desc...) \
    .pushsection .note.Xen, "a", @note; \
    .balign 4; \
    .long 2f - 1f; \
    .long 4f - 3f; \
    .long type; \
1:  .asciz "Xen"; \
2:  .balign 4; \
3:  desc; \
4:  .balign 4; \
    .popsection

ELFNOTE(XEN_ELFNOTE_GUEST_OS, .asciz "xen-lite-unit")
ELFNOTE(XEN_ELFNOTE_GUEST_VERSION, .asciz "0.1")
ELFNOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
ELFNOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
ELFNOTE(XEN_ELFNOTE_VIRT_BASE, .quad VIRT_BASE)
ELFNOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad VIRT_BASE)
ELFNOTE(XEN_ELFNOTE_ENTRY, .quad _start)
ELFNOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page)
ELFNOTE(XEN_ELFNOTE_FEATURES, .asciz "!writable_page_tables|pae_pgdir_above_4gb")
ELFNOTE(XEN_ELFNOTE_SUPPORTED_FEATURES, .long (1 << 11))
ELFNOTE(XEN_ELFNOTE_PAE_MODE, .asciz "yes")
ELFNOTE(XEN_ELFNOTE_L1_MFN_VALID, .quad 1; .quad 1)
ELFNOTE(XEN_ELFNOTE_SUSPEND_CANCEL, .long 1)
ELFNOTE(XEN_ELFNOTE_MOD_START_PFN, .long 1)

    .text
    .globl _start
_start:
    hlt
    jmp _start

    .balign 4096
    .globl hypercall_page
hypercall_page:
    .skip 4096

    .bss
    .skip 8192
