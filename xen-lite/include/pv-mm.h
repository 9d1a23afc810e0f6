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

/* Switches v's user root table to mfn (0 = none), like pv_new_guest_cr3. */
int pv_new_user_base(struct vcpu *v, uint64_t mfn);

/* Drops v's references on both root tables (undoing a failed VCPUOP_initialise). */
void pv_drop_roots(struct vcpu *v);

/* set_gdt for any vCPU of the caller's domain: frames[] holds (entries + 511) / 512 MFNs. */
long pv_set_gdt(struct vcpu *v, const uint64_t *frames, unsigned int entries);

/* MMUEXT_SET_LDT: the vCPU's LDT is entries descriptors at guest address linear. */
long pv_set_ldt(struct vcpu *v, uint64_t linear, unsigned int entries);

#endif
