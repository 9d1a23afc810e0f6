/* SPDX-License-Identifier: MIT */
/* AP start-up trampoline: from real mode at TRAMPOLINE_PADDR to 64-bit code in the upper half. */
#include <memlayout.h>
#include <asm/smp.h>

/*
 * smpboot.c copies trampoline_start..trampoline_end to TRAMPOLINE_PADDR and writes the two
 * parameters below into the copy; a STARTUP IPI with vector TRAMPOLINE_PADDR >> 12 then
 * starts an AP in real mode at CS:IP = (TRAMPOLINE_PADDR >> 4):0.  The code runs at that
 * address, not where it was linked, so every address in it is computed with TADDR().
 * It needs no stack: nothing is pushed or called until ap_entry64.
 */
#define TADDR(sym)    (TRAMPOLINE_PADDR + ((sym) - trampoline_start))

#define TRAMP_CS32    0x08
#define TRAMP_DS      0x10
#define TRAMP_CS64    0x18

    .section .rodata
    .align 16
    .globl trampoline_start
trampoline_start:
    .code16
    cli
    cld
    mov     %cs, %ax
    mov     %ax, %ds
    lgdtl   tramp_gdt_ptr - trampoline_start    /* ds-relative */
    mov     %cr0, %eax
    or      $1, %eax                            /* PE */
    mov     %eax, %cr0
    ljmpl   $TRAMP_CS32, $TADDR(tramp32)

    .code32
tramp32:
    mov     $TRAMP_DS, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    mov     %cr4, %eax
    or      $0x20, %eax                         /* PAE */
    mov     %eax, %cr4
    /* Tables that map this page 1:1 and the hypervisor's slots (below 4 GiB: CR3 is 32-bit here). */
    mov     TADDR(tramp_cr3), %eax
    mov     %eax, %cr3
    mov     $0xC0000080, %ecx                   /* EFER: the boot CPU's LME, SCE, NXE */
    rdmsr
    or      TADDR(tramp_efer), %eax
    wrmsr
    mov     %cr0, %eax
    or      $0x80000001, %eax                   /* PG | PE: long mode is active after this */
    mov     %eax, %cr0
    ljmp    $TRAMP_CS64, $TADDR(tramp64)

    .code64
tramp64:
    /* Reload the GDT through its direct-map alias, which stays mapped after the CR3 switch. */
    lgdt    TADDR(tramp_gdt_ptr64)
    movabs  $ap_entry64, %rax
    jmp     *%rax

    .align 8
tramp_gdt:
    .quad   0
    .quad   0x00cf9a000000ffff                  /* 0x08: 32-bit code */
    .quad   0x00cf92000000ffff                  /* 0x10: data */
    .quad   0x00af9a000000ffff                  /* 0x18: 64-bit code */
tramp_gdt_end:
tramp_gdt_ptr:
    .short  tramp_gdt_end - tramp_gdt - 1
    .long   TADDR(tramp_gdt)
tramp_gdt_ptr64:
    .short  tramp_gdt_end - tramp_gdt - 1
    .quad   DIRECTMAP_VIRT_START + TADDR(tramp_gdt)

    .align 4
    .globl tramp_cr3, tramp_efer
tramp_cr3:
    .long   0
tramp_efer:
    .long   0
    .globl trampoline_end
trampoline_end:

/*
 * The AP in 64-bit mode, in the upper half: take the boot CPU's control registers (CR0 also
 * turns the caches on: INIT left CD and NW set) and the hypervisor's own page tables, then
 * C on the AP's stack.  ap_boot_* are written by smpboot.c before the STARTUP IPI.
 */
    .text
ap_entry64:
    mov     ap_boot_cr4(%rip), %rax
    mov     %rax, %cr4
    mov     ap_boot_cr3(%rip), %rax
    mov     %rax, %cr3
    mov     ap_boot_cr0(%rip), %rax
    mov     %rax, %cr0
    mov     $TRAMP_DS, %eax
    mov     %eax, %ss
    mov     ap_boot_stack(%rip), %rsp
    xor     %ebp, %ebp                          /* end of the frame-pointer chain */
    call    ap_start
1:  cli
    hlt
    jmp     1b

    .section .note.GNU-stack, "", @progbits
