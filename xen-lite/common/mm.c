/* SPDX-License-Identifier: MIT */
/* Machine frames: ownership and type of every frame, the M2P table, domain memory. */
#include <string.h>
#include <console.h>
#include <domain.h>
#include <frame-alloc.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>
#include <page-type.h>

struct page_info *frame_table;
uint64_t frame_table_size;
uint64_t *m2p_table;

struct page_info *mfn_to_page(uint64_t mfn)
{
    if (mfn >= frame_table_size || !frame_is_ram(mfn))
        return NULL;
    return &frame_table[mfn];
}

bool frame_owned_by(uint64_t mfn, const struct domain *d)
{
    struct page_info *pg = mfn_to_page(mfn);

    return pg && d && pg->owner == d;
}

void set_m2p(uint64_t mfn, uint64_t pfn)
{
    if (mfn < frame_table_size)
        m2p_table[mfn] = pfn;
}

/* Makes a fresh frame d's: zeroed, owned, on d's list, counted (unless xen_heap). */
static void assign_frame(struct domain *d, uint64_t mfn, bool xen_heap)
{
    struct page_info *pg;

    memset(mfn_to_virt(mfn), 0, 4096);
    pg = &frame_table[mfn];
    *pg = (struct page_info){.owner = d, .next_mfn = d->first_mfn_list, .prev_mfn = INVALID_MFN};
    if (d->first_mfn_list != INVALID_MFN)
        frame_table[d->first_mfn_list].prev_mfn = mfn;
    if (xen_heap) {
        /*
         * The hypervisor writes into it (shared_info, vcpu_info): it holds the writable
         * type for good, so it can never become a page table or descriptor frame.
         */
        pg->flags |= PGF_xen_heap;
        pg->type = PGT_writable;
        pg->type_count = 1;
    } else
        d->tot_pages++;
    d->first_mfn_list = mfn;
    set_m2p(mfn, INVALID_M2P_ENTRY);
}

uint64_t domain_alloc_frame(struct domain *d, bool xen_heap)
{
    uint64_t mfn;

    if (!xen_heap && d->tot_pages >= d->max_pages)
        return INVALID_MFN;
    mfn = alloc_frame();
    if (mfn != INVALID_MFN)
        assign_frame(d, mfn, xen_heap);
    return mfn;
}

uint64_t domain_alloc_frames(struct domain *d, unsigned int order, uint64_t mfn_limit)
{
    uint64_t n = 1ULL << order, mfn;

    if (order > 18 || d->tot_pages + n > d->max_pages)
        return INVALID_MFN;
    mfn = alloc_frames(n, n);
    if (mfn == INVALID_MFN)
        return INVALID_MFN;
    /* The allocator is lowest-fit: if this run ends above the limit, none lies below. */
    if (mfn + n > mfn_limit) {
        free_frames(mfn, n);
        return INVALID_MFN;
    }
    for (uint64_t i = 0; i < n; i++)
        assign_frame(d, mfn + i, false);
    return mfn;
}

/* Scrubs a frame and returns it to the allocator: the next owner must not see our data. */
static void scrub_and_free(uint64_t mfn)
{
    memset(mfn_to_virt(mfn), 0, 4096);
    frame_table[mfn] = (struct page_info){.next_mfn = INVALID_MFN, .prev_mfn = INVALID_MFN};
    set_m2p(mfn, INVALID_M2P_ENTRY);
    free_frames(mfn, 1);
}

void domain_free_frame(struct domain *d, uint64_t mfn)
{
    struct page_info *pg = &frame_table[mfn];

    BUG_ON(pg->owner != d || pg->count || pg->type_count);
    flush_tlb_if_types_dropped(); /* no stale translation may outlive the frame */
    if (pg->prev_mfn != INVALID_MFN)
        frame_table[pg->prev_mfn].next_mfn = pg->next_mfn;
    else
        d->first_mfn_list = pg->next_mfn;
    if (pg->next_mfn != INVALID_MFN)
        frame_table[pg->next_mfn].prev_mfn = pg->prev_mfn;
    if (!(pg->flags & PGF_xen_heap))
        d->tot_pages--;
    scrub_and_free(mfn);
}

struct domain orphan_domain = {.domid = DOMID_INVALID, .name = "orphaned frames"};

void free_orphan_frame(uint64_t mfn)
{
    flush_tlb_if_types_dropped();
    scrub_and_free(mfn);
}

/* Drops every reference the domain holds on its own frames: roots, pins, GDT/LDT frames. */
static void drop_own_references(struct domain *d)
{
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];

        if (v->guest_table)
            put_page_and_type(v->guest_table);
        if (v->guest_table_user)
            put_page_and_type(v->guest_table_user);
        v->guest_table = v->guest_table_user = 0;
        for (unsigned int f = 0; f < v->gdt_nr_frames; f++)
            put_page_and_type(v->gdt_frames[f]);
        for (unsigned int f = 0; f < v->ldt_nr_frames; f++)
            put_page_and_type(v->ldt_frames[f]);
        v->gdt_nr_frames = v->ldt_nr_frames = 0;
        if (v->vcpu_info_mfn) {
            /* vcpu_info goes back to shared_info, which dies with the domain too. */
            v->vcpu_info = &d->shared_info->vcpu_info[v->vcpu_id];
            put_page_and_type(v->vcpu_info_mfn);
            v->vcpu_info_mfn = 0;
        }
    }
    for (uint64_t mfn = d->first_mfn_list; mfn != INVALID_MFN; mfn = frame_table[mfn].next_mfn) {
        if (frame_table[mfn].flags & PGF_pinned) {
            frame_table[mfn].flags &= ~PGF_pinned;
            put_page_and_type(mfn);
        }
    }
}

void domain_free_memory(struct domain *d)
{
    uint64_t mfn;

    /* Tearing down the domain's own tables leaves only other domains' references. */
    drop_own_references(d);
    flush_tlb_if_types_dropped();
    for (mfn = d->first_mfn_list; mfn != INVALID_MFN;) {
        struct page_info *pg = &frame_table[mfn];
        uint64_t next = pg->next_mfn;

        if (pg->count) {
            /* Still mapped by another domain: it lives until that mapping goes. */
            pg->owner = &orphan_domain;
            pg->next_mfn = pg->prev_mfn = INVALID_MFN;
        } else {
            scrub_and_free(mfn);
        }
        mfn = next;
    }
    d->first_mfn_list = INVALID_MFN;
    d->tot_pages = 0;
}
