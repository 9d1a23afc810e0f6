/* SPDX-License-Identifier: MIT */
/* PV memory management shared by hypercalls and instruction emulation. */
#ifndef XEN_LITE_PV_MM_H
#define XEN_LITE_PV_MM_H

#include <stdint.h>

struct vcpu;
struct domain;

/*
 * Switches v's kernel root table to mfn, an L4 of v's domain (validated now if it is not
 * yet), holding a reference on it.  0 or -XEN_EINVAL.
 */
int pv_new_guest_cr3(struct vcpu *v, uint64_t mfn);

/* MMUEXT_SET_LDT: the vCPU's LDT is entries descriptors at guest address linear. */
long pv_set_ldt(struct vcpu *v, uint64_t linear, unsigned int entries);

#endif
