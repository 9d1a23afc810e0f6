/* SPDX-License-Identifier: MIT */
/* An extra FEATURES note requiring writable page tables (which xen-lite does not offer yet). */
    .section .note.Xen, "a"
    .p2align 2
    .long 4, 2f - 1f, 10        /* XEN_ELFNOTE_FEATURES */
    .asciz "Xen"
    .p2align 2
1:  .asciz "!writable_page_tables"
2:  .p2align 2
    .section .note.GNU-stack, "", @progbits
