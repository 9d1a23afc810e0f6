/* SPDX-License-Identifier: MIT */
/* Secondary vCPUs: starting them with VCPUOP_initialise + VCPUOP_up. */
#ifndef PVGUEST_VCPU_H
#define PVGUEST_VCPU_H

#include <public/vcpu.h>

/*
 * pv_vcpu_start - start vCPU `id` running fn(arg) on the stack ending at stack_top, in
 * guest kernel mode with our page tables.  The new vCPU installs the library's traps and
 * callbacks first; when fn returns it takes itself down (VCPUOP_down).  Returns 0 or the
 * error of VCPUOP_initialise / VCPUOP_up.
 */
long pv_vcpu_start(unsigned int id, void (*fn)(unsigned long), unsigned long arg, void *stack_top);

/* Fills c with the context pv_vcpu_start() uses (for tests that then alter it). */
void pv_vcpu_context(struct vcpu_guest_context *c, void (*fn)(unsigned long), unsigned long arg,
                     void *stack_top);

#endif
