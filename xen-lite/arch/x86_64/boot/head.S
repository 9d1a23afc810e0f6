/* SPDX-License-Identifier: MIT */
/* Boot entry: Multiboot1/2 headers, 32-bit protected mode to 64-bit long mode. */
#include <memlayout.h>

#define PHYS(x)         ((x) - DIRECTMAP_VIRT_START)

#define MB1_MAGIC       0x1BADB002
/* bit 0: page-align modules, bit 1: memory map, bit 16: load addresses in header */
#define MB1_FLAGS       0x00010003
#define MB2_MAGIC       0xE85250D6

#define BOOT_CS         0x08
#define BOOT_DS         0x10

    .section .text.boot, "ax"
    .code32

/* Multiboot1 (QEMU -kernel): the a.out kludge lets QEMU load this flat image. */
    .align 4
mb1_header:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long -(MB1_MAGIC + MB1_FLAGS)
    .long PHYS(mb1_header)
    .long mb_load_paddr
    .long mb_load_end_paddr
    .long mb_bss_end_paddr
    .long entry32_phys

/* Multiboot2 (GRUB): address and entry tags, the same flat image. */
    .align 8
mb2_header:
    .long MB2_MAGIC
    .long 0                                 /* architecture: i386 protected mode */
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + (mb2_header_end - mb2_header))
    .align 8
    .short 2, 0                             /* address tag */
    .long 24
    .long PHYS(mb2_header)
    .long mb_load_paddr
    .long mb_load_end_paddr
    .long mb_bss_end_paddr
    .align 8
    .short 3, 0                             /* entry address tag */
    .long 12
    .long entry32_phys
    .align 8
    .short 0, 0                             /* end tag */
    .long 8
mb2_header_end:

/*
 * Entered from either loader in flat 32-bit protected mode, paging off:
 * eax = loader magic, ebx = physical address of the loader's information.
 */
    .globl entry32
entry32:
    cli
    cld
    mov     %eax, %ebp
    mov     %ebx, %edx

    /* Clear .bss: it holds the boot page tables and the boot stack. */
    mov     $PHYS(__bss_start), %edi
    mov     $PHYS(__bss_end), %ecx
    sub     %edi, %ecx
    xor     %eax, %eax
    rep stosb
    mov     $PHYS(boot_stack_top), %esp
    push    %edx

    /* Long mode is required. */
    mov     $0x80000000, %eax
    cpuid
    cmp     $0x80000001, %eax
    jb      no_long_mode
    mov     $0x80000001, %eax
    cpuid
    bt      $29, %edx
    jnc     no_long_mode
    mov     %edx, %esi                      /* keep NX support (bit 20) */

    /*
     * Page tables: the first 4 GiB with 2 MiB pages, reachable both at 0 (for this code)
     * and in the direct map (for everything after the jump to the upper half).
     */
    mov     $PHYS(boot_l3), %eax
    or      $0x3, %eax
    mov     %eax, PHYS(boot_l4)
    mov     %eax, PHYS(boot_l4) + DIRECTMAP_L4_SLOT * 8
    mov     $PHYS(boot_l2), %eax
    or      $0x3, %eax
    mov     $PHYS(boot_l3), %edi
    mov     $4, %ecx
1:  mov     %eax, (%edi)
    add     $4096, %eax
    add     $8, %edi
    loop    1b
    mov     $PHYS(boot_l2), %edi
    mov     $0x83, %eax                     /* present, writable, 2 MiB */
    xor     %ebx, %ebx
    mov     $2048, %ecx
1:  mov     %eax, (%edi)
    mov     %ebx, 4(%edi)
    add     $0x200000, %eax
    adc     $0, %ebx
    add     $8, %edi
    loop    1b

    mov     %cr4, %eax
    or      $0x20, %eax                     /* PAE */
    mov     %eax, %cr4
    mov     $PHYS(boot_l4), %eax
    mov     %eax, %cr3
    mov     $0xC0000080, %ecx               /* EFER */
    rdmsr
    or      $0x101, %eax                    /* LME | SCE */
    bt      $20, %esi
    jnc     1f
    or      $0x800, %eax                    /* NXE */
1:  wrmsr
    mov     %cr0, %eax
    or      $0x80010001, %eax               /* PG | WP | PE */
    mov     %eax, %cr0

    lgdt    PHYS(boot_gdt_ptr)
    pop     %edx
    ljmp    $BOOT_CS, $PHYS(entry64_low)

no_long_mode:
    mov     $PHYS(msg_no_lm), %esi
    mov     $0x3f8, %dx
1:  lodsb
    test    %al, %al
    jz      2f
    out     %al, %dx
    jmp     1b
2:  hlt
    jmp     2b

    .code64
entry64_low:
    movabs  $entry64, %rax
    jmp     *%rax

    .section .rodata
msg_no_lm:
    .asciz  "xen-lite: this CPU has no long mode (x86_64); cannot boot.\r\n"

    .align 16
boot_gdt:
    .quad   0
    .quad   0x00af9a000000ffff              /* 0x08: 64-bit code */
    .quad   0x00cf92000000ffff              /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
    .short  boot_gdt_end - boot_gdt - 1
    .long   PHYS(boot_gdt)

    .text
/* Now in the direct map: set data segments and the boot stack, then C. */
entry64:
    mov     $BOOT_DS, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    xor     %eax, %eax
    mov     %eax, %fs
    mov     %eax, %gs
    movabs  $boot_stack_top, %rsp
    mov     %ebp, %edi                      /* loader magic */
    mov     %edx, %esi                      /* loader info (physical) */
    xor     %ebp, %ebp                      /* end of the frame-pointer chain */
    call    start_xen
1:  hlt
    jmp     1b

    .section .bss.page_aligned, "aw", @nobits
    .align 4096
    .globl boot_l4
boot_l4:    .skip 4096
    .globl boot_l3
boot_l3:    .skip 4096
    .globl boot_l2
boot_l2:    .skip 4 * 4096
    .globl boot_stack
boot_stack: .skip STACK_SIZE
boot_stack_top:
    .section .note.GNU-stack, "", @progbits
