/* SPDX-License-Identifier: MIT */
/* Hypervisor page-table services used by common code and hypercalls. */
#ifndef XEN_LITE_PAGING_H
#define XEN_LITE_PAGING_H

#include <stdint.h>

/* Physical address bits of this CPU (CPUID 0x80000008); frames beyond are never valid. */
extern unsigned int paddr_bits;

/* Flushes this CPU's TLB (non-global entries: every guest translation). */
void paging_flush_tlb(void);

/* Removes the boot-time identity map of low memory (guests own the lower half). */
void paging_drop_identity_map(void);

/*
 * Walks a guest hierarchy rooted at l4_mfn down to the L1 entry mapping va.  Returns a
 * hypervisor pointer to that entry and its table's mfn in *l1_mfn, or NULL if some level
 * is not present, is a superpage, or is not a RAM frame.
 */
uint64_t *guest_walk_l1e(uint64_t l4_mfn, uint64_t va, uint64_t *l1_mfn);

#endif
