/* SPDX-License-Identifier: MIT */
/* Segments: set_segment_base, set_gdt and update_descriptor. */
#include <string.h>
#include <public/xen.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <domain.h>
#include <hypercall.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>
#include <page-type.h>
#include <heap.h>
#include <paging.h>
#include <public/arch-x86-pt.h>

int load_gs_selector(unsigned int sel); /* entry.S: a bad selector loads null */

long do_set_segment_base(struct hc_args *args)
{
    unsigned int which = hc_uint(args, 0);
    uint64_t value = hc_u64(args, 1);
    struct vcpu *v = current;

    switch (which) {
    case SEGBASE_FS:
        if (!is_canonical(value))
            return -XEN_EINVAL;
        wrmsr(MSR_FS_BASE, value);
        return 0;
    case SEGBASE_GS_USER:
        if (!is_canonical(value))
            return -XEN_EINVAL;
        v->gs_base_user = value;
        return 0;
    case SEGBASE_GS_KERNEL: /* the live one while the guest kernel runs */
        if (!is_canonical(value))
            return -XEN_EINVAL;
        wrmsr(MSR_SHADOW_GS_BASE, value);
        return 0;
    case SEGBASE_GS_USER_SEL: {
        /* Load the selector; the base it brings becomes the user GS base. */
        uint64_t hv_gs = rdmsr(MSR_GS_BASE);

        /* As Xen: a bad selector loads the null one and still succeeds (Linux BUG()s). */
        load_gs_selector((uint16_t)value);
        v->gs_base_user = rdmsr(MSR_GS_BASE);
        wrmsr(MSR_GS_BASE, hv_gs);
        return 0;
    }
    }
    return -XEN_EINVAL;
}

/* True if frame `mfn` of d may hold descriptors: owned, and not a page table. */
static bool descriptor_frame_ok(const struct domain *d, uint64_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    return pg && pg->owner == d && !(page_type_is_table(pg->type) && pg->type_count);
}

/*
 * Check step of set_gdt/SET_LDT: frames[0..nr) take the descriptor type (so none is mapped
 * writable anywhere) and hold `entries` good descriptors.  All or nothing: 0, or -XEN_EINVAL
 * with no reference left behind.
 */
static long take_descriptor_frames(const struct domain *d, const uint64_t *frames, unsigned int nr,
                                   unsigned int entries)
{
    for (unsigned int f = 0; f < nr; f++) {
        long rc = descriptor_frame_ok(d, frames[f]) ? get_page_and_type(frames[f], d, PGT_seg_desc)
                                                    : -XEN_EINVAL;

        if (!rc) {
            const uint64_t *desc = mfn_to_virt(frames[f]);

            for (unsigned int i = 0; i < 512 && f * 512 + i < entries; i++)
                if (!guest_descriptor_ok(desc[i]))
                    rc = -XEN_EINVAL;
            if (rc)
                put_page_and_type(frames[f]);
        }
        if (rc) {
            while (f--)
                put_page_and_type(frames[f]);
            return rc;
        }
    }
    return 0;
}

/* Commit step: the CPU's copy of the descriptors, and which frames it came from. */
static void copy_descriptors(uint64_t *table, uint64_t *held, const uint64_t *frames,
                             unsigned int nr, unsigned int entries)
{
    for (unsigned int f = 0; f < nr; f++) {
        memcpy(table + f * 512, mfn_to_virt(frames[f]), MIN(512u, entries - f * 512) * 8);
        held[f] = frames[f];
    }
}

/* Releases the vCPU's current GDT frames. */
static void drop_gdt_frames(struct vcpu *v)
{
    for (unsigned int i = 0; i < v->gdt_nr_frames; i++)
        put_page_and_type(v->gdt_frames[i]);
    v->gdt_nr_frames = 0;
}

/*
 * The guest's GDT of v becomes `entries` descriptors in the listed frames.  Every
 * descriptor is checked; the hypervisor then uses a copy (the frames become descriptor
 * frames, so later changes go through update_descriptor).
 */
long pv_set_gdt(struct vcpu *v, const uint64_t *frames, unsigned int entries)
{
    unsigned int nr_frames = (entries + 511) / 512;
    long rc;

    if (entries > GUEST_GDT_ENTRIES)
        return -XEN_EINVAL;
    rc = take_descriptor_frames(v->domain, frames, nr_frames, entries);
    if (rc)
        return rc;
    /* Commit. */
    drop_gdt_frames(v);
    memset(v->gdt, 0, v->gdt_entries * 8);
    copy_descriptors(v->gdt, v->gdt_frames, frames, nr_frames, entries);
    v->gdt_nr_frames = nr_frames;
    v->gdt_entries = entries;
    return 0;
}

/* set_gdt(frames, entries) */
long do_set_gdt(struct hc_args *args)
{
    guest_ptr_t list = hc_ptr(args, 0);
    unsigned int entries = hc_uint(args, 1);
    uint64_t frames[16];

    if (entries > GUEST_GDT_ENTRIES)
        return -XEN_EINVAL;
    if (copy_from_guest(frames, list, (entries + 511) / 512 * sizeof(uint64_t)))
        return -XEN_EFAULT;
    return pv_set_gdt(current, frames, entries);
}

/* Releases the vCPU's LDT frames and copy. */
static void drop_ldt(struct vcpu *v)
{
    for (unsigned int i = 0; i < v->ldt_nr_frames; i++)
        put_page_and_type(v->ldt_frames[i]);
    v->ldt_nr_frames = 0;
    v->ldt_entries = 0;
    v->ldt_base = 0;
}

/*
 * MMUEXT_SET_LDT(linear, entries): the LDT is `entries` descriptors at guest address
 * linear (page-aligned, at most 8192).  Its pages must be mapped (read-only: they become
 * descriptor frames) in the current kernel tables; every descriptor is checked and the
 * CPU then uses a copy, kept in sync by update_descriptor.  0 entries removes the LDT.
 */
long pv_set_ldt(struct vcpu *v, uint64_t linear, unsigned int entries)
{
    struct domain *d = v->domain;
    unsigned int nr = (entries + 511) / 512;
    uint64_t frames[16];
    long rc;

    if ((linear & 0xfff) || entries > LDT_ENTRIES || !guest_range_ok(linear, (uint64_t)entries * 8))
        return -XEN_EINVAL;
    if (entries && !v->ldt && !(v->ldt = heap_alloc(LDT_BYTES)))
        return -XEN_ENOMEM;
    /* Check: each page maps a frame of ours that can hold descriptors, all of them good. */
    for (unsigned int f = 0; f < nr; f++) {
        uint64_t l1_mfn, *l1e = guest_walk_l1e(v->guest_table, linear + f * 4096ULL, &l1_mfn);

        frames[f] = l1e && (*l1e & X86_PTE_P) ? X86_PTE_MFN(*l1e) : INVALID_MFN;
    }
    rc = take_descriptor_frames(d, frames, nr, entries);
    if (rc)
        return rc;
    /* Commit. */
    drop_ldt(v);
    copy_descriptors(v->ldt, v->ldt_frames, frames, nr, entries);
    v->ldt_nr_frames = nr;
    v->ldt_entries = entries;
    v->ldt_base = entries ? linear : 0;
    if (v == current)
        ldt_load(v->gdt, v->ldt, v->ldt_entries);
    return 0;
}

/* update_descriptor(maddr, desc): writes one checked descriptor, keeping GDT copies in sync. */
long do_update_descriptor(struct hc_args *args)
{
    uint64_t maddr = hc_u64(args, 0);
    uint64_t desc = hc_u64(args, 1);
    uint64_t mfn = maddr >> 12;
    struct domain *d = current->domain;

    if ((maddr & 7) || !descriptor_frame_ok(d, mfn) || !guest_descriptor_ok(desc))
        return -XEN_EINVAL;
    ((uint64_t *)mfn_to_virt(mfn))[(maddr & 0xfff) / 8] = desc;
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];

        for (unsigned int f = 0; f < v->gdt_nr_frames; f++) {
            unsigned int idx = f * 512 + (unsigned int)(maddr & 0xfff) / 8;

            if (v->gdt_frames[f] == mfn && idx < v->gdt_entries)
                v->gdt[idx] = desc;
        }
        for (unsigned int f = 0; f < v->ldt_nr_frames; f++) {
            unsigned int idx = f * 512 + (unsigned int)(maddr & 0xfff) / 8;

            if (v->ldt_frames[f] == mfn && idx < v->ldt_entries)
                v->ldt[idx] = desc;
        }
    }
    return 0;
}
