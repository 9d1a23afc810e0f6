/* SPDX-License-Identifier: MIT */
/* Frame references and types, and recursive page-table validation (see page-type.h). */
#include <public/arch-x86-pt.h>
#include <domain.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>
#include <page-type.h>
#include <paging.h>

/*
 * Flags a guest may not use (as Xen): cache attributes in an unprivileged domain's L1
 * (PWT, PCD, PAT), and PSE, G, PWT, PCD above L1 (no superpages, nothing global).  Bits
 * 52-62 are the guest's (CR4.PKE stays off, so they carry no protection keys).
 */
#define L1_CACHE_BITS  (X86_PTE_PWT | X86_PTE_PCD | X86_PTE_PAT)
#define UPPER_DISALLOW (X86_PTE_PSE | X86_PTE_G | X86_PTE_PWT | X86_PTE_PCD)

/*
 * A type count that drops to zero can leave translations (or cached paging structures)
 * for that frame in the TLB.  Before any frame takes a new type the TLB is flushed if
 * that happened since the last flush: a frame that stops being writable can then safely
 * become a page table, and a former page table can be mapped writable.
 */
static bool tlb_flush_pending;

void flush_tlb_if_types_dropped(void)
{
    if (tlb_flush_pending) {
        paging_flush_tlb();
        tlb_flush_pending = false;
    }
}

static bool is_hv_slot(unsigned int idx)
{
    return idx >= HV_L4_FIRST && idx <= HV_L4_LAST;
}

int get_page(struct page_info *pg, const struct domain *d)
{
    if (!pg || !d || pg->owner != d || pg->count == UINT32_MAX)
        return -XEN_EINVAL;
    pg->count++;
    return 0;
}

void put_page(struct page_info *pg)
{
    BUG_ON(!pg->count);
    if (--pg->count)
        return;
    /* A translation of the frame may still be cached: flush before it changes hands. */
    tlb_flush_pending = true;
    if (pg->owner == &orphan_domain)
        free_orphan_frame((uint64_t)(pg - frame_table));
}

uint64_t adjust_guest_entry(uint64_t e, unsigned int level)
{
    if (!(e & X86_PTE_P))
        return e;
    e |= X86_PTE_US;
    if (level == 1)
        e &= ~X86_PTE_G;
    return e;
}

static int validate_table(uint64_t mfn, unsigned int level);
static void devalidate_table(uint64_t mfn, unsigned int level);

int get_page_type(struct page_info *pg, enum page_type t)
{
    int rc;

    if (pg->type_count) {
        if (pg->type != t || pg->type_count == UINT32_MAX)
            return -XEN_EINVAL;
        pg->type_count++;
        return 0;
    }
    /* A table in the middle of its own validation cannot be referenced again. */
    if (pg->flags & PGF_validating)
        return -XEN_EINVAL;
    flush_tlb_if_types_dropped();
    if (page_type_is_table(t)) {
        pg->flags |= PGF_validating;
        rc = validate_table((uint64_t)(pg - frame_table), t);
        pg->flags &= ~PGF_validating;
        if (rc)
            return rc;
    }
    pg->type = (uint8_t)t;
    pg->type_count = 1;
    return 0;
}

void put_page_type(struct page_info *pg)
{
    BUG_ON(!pg->type_count);
    if (--pg->type_count)
        return;
    if (page_type_is_table(pg->type))
        devalidate_table((uint64_t)(pg - frame_table), pg->type);
    pg->type = PGT_none;
    tlb_flush_pending = true;
}

int get_page_and_type(uint64_t mfn, const struct domain *d, enum page_type t)
{
    struct page_info *pg = mfn_to_page(mfn);
    int rc = get_page(pg, d);

    if (rc)
        return rc;
    rc = get_page_type(pg, t);
    if (rc)
        put_page(pg);
    return rc;
}

void put_page_and_type(uint64_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    put_page_type(pg);
    put_page(pg);
}

/*
 * Takes what a present entry of a level-`level` table (frame table_mfn) needs: a reference
 * on the frame it points at, and the type that frame must have there.
 */
static int get_entry(uint64_t e, unsigned int level, uint64_t table_mfn,
                     const struct domain *pg_owner)
{
    uint64_t mfn = X86_PTE_MFN(e);
    struct page_info *pg = mfn_to_page(mfn);
    const struct domain *d = frame_table[table_mfn].owner;
    int rc;

    if (!(e & X86_PTE_P))
        return 0;
    /* An address beyond what the CPU can address has reserved bits set. */
    if (mfn >> (paddr_bits - 12))
        return -XEN_EINVAL;
    if (level == 1) {
        if ((e & L1_CACHE_BITS) && !d->is_privileged)
            return -XEN_EINVAL;
        /* Not RAM: I/O memory, which no domain may map yet. */
        if (!pg)
            return -XEN_EPERM;
        /* Xen's answers: someone else's frame, or one that cannot be writable, is busy. */
        if (get_page(pg, pg_owner))
            return -XEN_EBUSY;
        if ((e & X86_PTE_RW) && get_page_type(pg, PGT_writable)) {
            put_page(pg);
            return -XEN_EBUSY;
        }
        return 0;
    }
    if (e & UPPER_DISALLOW)
        return -XEN_EINVAL;
    /* Linear page table: the table itself, read-only. */
    if (mfn == table_mfn) {
        if (e & X86_PTE_RW)
            return -XEN_EINVAL;
        return get_page(pg, d);
    }
    rc = get_page(pg, d);
    if (rc)
        return rc;
    if (!(e & X86_PTE_RW) && pg->type == level && pg->type_count) {
        /*
         * Linear page table: another table validated at this level, read-only -- if it has
         * no linear entries of its own and this table is not itself used linearly (Xen's
         * rule since XSA-240), so chains of them cannot make devalidation recurse.
         */
        struct page_info *tp = &frame_table[table_mfn];

        if (pg->linear > 0 || tp->linear < 0 || pg->linear == INT16_MIN ||
            tp->linear == INT16_MAX || get_page_type(pg, (enum page_type)level)) {
            put_page(pg);
            return -XEN_EINVAL;
        }
        pg->linear--;
        tp->linear++;
        return 0;
    }
    rc = get_page_type(pg, (enum page_type)(level - 1));
    if (rc)
        put_page(pg);
    return rc;
}

static void put_entry(uint64_t e, unsigned int level, uint64_t table_mfn)
{
    uint64_t mfn = X86_PTE_MFN(e);
    struct page_info *pg;

    if (!(e & X86_PTE_P))
        return;
    pg = mfn_to_page(mfn);
    if (level == 1) {
        if (e & X86_PTE_RW)
            put_page_type(pg);
        put_page(pg);
        return;
    }
    if (mfn != table_mfn) {
        if (pg->type == level) { /* a linear link: undo its bookkeeping */
            pg->linear++;
            frame_table[table_mfn].linear--;
        }
        put_page_type(pg);
    }
    put_page(pg);
}

static int validate_table(uint64_t mfn, unsigned int level)
{
    uint64_t *t = mfn_to_virt(mfn);
    const struct domain *d = frame_table[mfn].owner;
    int rc;

    for (unsigned int i = 0; i < X86_PT_ENTRIES; i++) {
        if (level == 4 && is_hv_slot(i))
            continue;
        rc = get_entry(t[i], level, mfn, d);
        if (rc) {
            while (i--)
                if (!(level == 4 && is_hv_slot(i)))
                    put_entry(t[i], level, mfn);
            return rc;
        }
        t[i] = adjust_guest_entry(t[i], level);
    }
    if (level == 4)
        install_hypervisor_slots(t);
    return 0;
}

static void devalidate_table(uint64_t mfn, unsigned int level)
{
    uint64_t *t = mfn_to_virt(mfn);

    for (unsigned int i = 0; i < X86_PT_ENTRIES; i++)
        if (!(level == 4 && is_hv_slot(i)))
            put_entry(t[i], level, mfn);
}

int mod_pt_entry(uint64_t table_mfn, unsigned int idx, uint64_t val, const struct domain *pg_owner,
                 bool preserve_ad)
{
    struct page_info *tpg = mfn_to_page(table_mfn);
    unsigned int level;
    uint64_t *slot, old;
    int rc;

    if (!tpg || idx >= X86_PT_ENTRIES || !page_type_is_table(tpg->type) || !tpg->type_count)
        return -XEN_EINVAL;
    level = tpg->type;
    slot = (uint64_t *)mfn_to_virt(table_mfn) + idx;
    old = *slot;
    if (level == 4 && is_hv_slot(idx))
        return -XEN_EINVAL;
    val = adjust_guest_entry(val, level);
    if (preserve_ad)
        val |= old & (X86_PTE_A | X86_PTE_D);
    /* Only A/D differ: nothing to re-check. */
    if (((old ^ val) & ~(X86_PTE_A | X86_PTE_D)) == 0) {
        __atomic_store_n(slot, val, __ATOMIC_RELEASE);
        return 0;
    }
    rc = get_entry(val, level, table_mfn, pg_owner);
    if (rc)
        return rc;
    __atomic_store_n(slot, val, __ATOMIC_RELEASE);
    put_entry(old, level, table_mfn);
    return 0;
}
