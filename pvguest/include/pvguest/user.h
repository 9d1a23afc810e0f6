/* SPDX-License-Identifier: MIT */
/* Guest user mode: run a function at "user" privilege and take its system calls. */
#ifndef PVGUEST_USER_H
#define PVGUEST_USER_H

#include <pvguest/memlayout.h>

/*
 * A PV guest's kernel and user mode both run at CPL 3; the hypervisor tells them apart by
 * a per-vCPU flag and gives each its own root page table. pv_run_user() registers the
 * kernel's own L4 as the user L4 (MMUEXT_NEW_USER_BASEPTR; every guest mapping is
 * user-accessible anyway) and the current kernel stack for bounces from user mode
 * (stack_switch), then enters user mode with the iret hypercall (CS RPL 3). A `syscall`
 * in user mode is bounced to the library's CALLBACKTYPE_syscall entry. User code must not
 * make hypercalls or print: from user mode `syscall` is a system call to us.
 */

/* PV_SYS_EXIT (pvguest/memlayout.h), rdi = value: leave user mode; pv_run_user() returns
 * value. The library handles it before any installed syscall handler. */

typedef long (*pv_user_fn)(void);

/*
 * pv_run_user - run fn in guest user mode on the stack ending at stack_top until it
 * returns or makes the PV_SYS_EXIT system call; returns fn's result / the exit value.
 * Returns a negative Xen errno (and never enters user mode) if the hypervisor refused the
 * setup. The virtual interrupt flag is set in user mode and restored afterwards.
 * Not re-entrant.
 */
long pv_run_user(pv_user_fn fn, void *stack_top);

/* Kernel stack pointer registered with stack_switch by the running pv_run_user(). */
extern unsigned long pv_user_kernel_sp;

/*
 * From user code: system call `nr` with one argument (syscall convention: rax = number,
 * rdi = argument, result in rax; rcx and r11 are destroyed by the instruction).
 */
static inline long pv_user_syscall(unsigned long nr, unsigned long arg)
{
    long res;

    __asm__ volatile("syscall" : "=a"(res), "+D"(arg) : "0"(nr) : "rcx", "r11", "memory");
    return res;
}

#endif /* PVGUEST_USER_H */
