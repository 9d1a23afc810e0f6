/* SPDX-License-Identifier: MIT */
/* An extra FEATURES note requiring an auto-translated physmap (an HVM-style feature xen-lite does not offer). */
    .section .note.Xen, "a"
    .p2align 2
    .long 4, 2f - 1f, 10        /* XEN_ELFNOTE_FEATURES */
    .asciz "Xen"
    .p2align 2
1:  .asciz "!auto_translated_physmap"
2:  .p2align 2
    .section .note.GNU-stack, "", @progbits
