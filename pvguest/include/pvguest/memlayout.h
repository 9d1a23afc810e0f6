/* SPDX-License-Identifier: MIT */
/* Guest address-space layout and the other constants the library shares with assembly. */
#ifndef PVGUEST_MEMLAYOUT_H
#define PVGUEST_MEMLAYOUT_H

/*
 * Every pvguest is linked at PV_VIRT_BASE with p_paddr = vaddr - PV_VIRT_BASE (the same
 * number appears in lib/pvguest.lds and in the VIRT_BASE ELF note of lib/head.S). The
 * domain builder maps one contiguous range from PV_VIRT_BASE onto the domain's first
 * pseudo-physical frames: image, p2m list, start_info, ..., page tables, boot stack.
 * So for any address in that range, pfn = (va - PV_VIRT_BASE) >> 12.
 */
#ifdef __ASSEMBLER__
#define PV_VIRT_BASE 0xFFFFFFFF80000000
#else
#define PV_VIRT_BASE 0xFFFFFFFF80000000UL
#endif

#define PV_PAGE_SIZE  4096
#define PV_STACK_SIZE 16384 /* the library's kernel stack, in .bss */

/*
 * Trap-frame "vectors" above 255 name the non-exception ways into the guest kernel, so one
 * entry path (lib/entry.S) and one dispatcher (lib/traps.c) serve all of them.
 */
#define PV_VEC_EVENT    0x100 /* event-channel upcall (CALLBACKTYPE_event) */
#define PV_VEC_SYSCALL  0x101 /* `syscall` from guest user mode (CALLBACKTYPE_syscall) */
#define PV_VEC_FAILSAFE 0x102 /* hypervisor could not restore segments (CALLBACKTYPE_failsafe) */

/* User-mode system call (rax = number) that leaves user mode; see pvguest/user.h. */
#define PV_SYS_EXIT 60

#ifndef __ASSEMBLER__
/* Symbols from the linker script and lib/head.S. */
extern char _start[], _etext[], _end[];
extern char hypercall_page[4096];
#endif

#endif /* PVGUEST_MEMLAYOUT_H */
