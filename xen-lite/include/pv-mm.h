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

#endif
