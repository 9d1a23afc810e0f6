/* SPDX-License-Identifier: MIT */
/* Frame references and types: what keeps a guest from reaching memory it does not own. */
#ifndef XEN_LITE_PAGE_TYPE_H
#define XEN_LITE_PAGE_TYPE_H

#include <stdbool.h>
#include <stdint.h>
#include <mm.h>

/*
 * The rules (docs/page-types.md has them written out):
 *
 *  - A frame has an owner and a general reference count (`count`): every present entry of
 *    a validated page table that points at it, every pin and every root-table pointer of a
 *    vCPU holds one.  Only the owner (or a privileged domain acting for it) takes them.
 *  - A frame has one type at a time with a type count: writable (a guest mapping with RW),
 *    L1..L4 (a validated page table), seg_desc (a GDT/LDT frame).  A type can only change
 *    when its count is zero: so a page table or descriptor frame can never be mapped
 *    writable, and a writably mapped frame can never become one.
 *  - Taking type Ln of a frame whose count is zero validates it: every present entry must
 *    be allowed (recursively taking references and lower types); dropping the last Ln
 *    reference undoes that.  Validation adjusts entries as Xen does: _PAGE_USER is set
 *    (guest kernels run at CPL 3), _PAGE_GLOBAL is cleared in L1s, and an L4 gets the
 *    hypervisor's slots 256-271.
 *  - Linear (self-referencing) page tables: an entry may point at a table of its own level
 *    only read-only -- at the table itself, or at another table already validated at that
 *    level.  That lets guests build recursive mappings without ever writing a page table.
 */

static inline bool page_type_is_table(unsigned int t)
{
    return t >= PGT_l1 && t <= PGT_l4;
}

/* Takes a general reference on a frame owned by d.  0 or -XEN_EINVAL. */
int get_page(struct page_info *pg, const struct domain *d);
void put_page(struct page_info *pg);

/*
 * Takes a reference of type t (validating a page table if the frame had no type).
 * 0, or -XEN_EINVAL if the frame holds another type or fails validation.
 */
int get_page_type(struct page_info *pg, enum page_type t);
void put_page_type(struct page_info *pg);

/* Both references together; undone together. */
int get_page_and_type(uint64_t mfn, const struct domain *d, enum page_type t);
void put_page_and_type(uint64_t mfn);

/*
 * Replaces entry idx of the validated page table table_mfn (type level) with val, taking
 * the references val needs before dropping those of the old entry.  pg_owner owns the
 * frames an L1 entry may map (the caller's domain, or a foreign one for dom0).
 * preserve_ad keeps the old entry's Accessed/Dirty bits.  0 or -XEN_EINVAL.
 */
int mod_pt_entry(uint64_t table_mfn, unsigned int idx, uint64_t val, const struct domain *pg_owner,
                 bool preserve_ad);

/*
 * Flushes the TLB if some frame lost its last type reference since the last flush: call
 * before a frame changes hands (freed, given to another domain).
 */
void flush_tlb_if_types_dropped(void);

/* The entry as stored in a guest table of `level` (1-4): USER on, GLOBAL off in L1s. */
uint64_t adjust_guest_entry(uint64_t e, unsigned int level);

#endif
