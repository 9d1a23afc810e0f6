/* SPDX-License-Identifier: MIT */
/* PV memory management shared by hypercalls and instruction emulation. */
#ifndef XEN_LITE_PV_MM_H
#define XEN_LITE_PV_MM_H

#include <stdint.h>

struct vcpu;
struct domain;

/* Switches v's kernel root table to mfn (a validated L4 of v's domain): 0 or -XEN_EINVAL. */
int pv_new_guest_cr3(struct vcpu *v, uint64_t mfn);

/*
 * Checks a new L1 entry a guest wants: 0 if allowed (non-present, or mapping a frame d owns
 * that may be mapped with the requested rights), else -XEN_EINVAL.
 */
int pv_check_l1e(const struct domain *d, uint64_t pte);

/* The entry as installed: _PAGE_USER forced on (guest kernels run at CPL 3), global off. */
uint64_t pv_adjust_l1e(uint64_t pte);

#endif
