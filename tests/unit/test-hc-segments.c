/* SPDX-License-Identifier: MIT */
/* Unit tests for set_segment_base, set_gdt and update_descriptor (hypercalls/segments.c). */
#include <criterion/criterion.h>
#include <asm/desc.h>
#include <public/xen.h>
#include "harness/harness.h"

/* Descriptors the guest may use, and ones it may not (xen-lite/arch/x86_64/desc.c's rule). */
#define DATA_DPL3       0x00cff2000000ffffULL                 /* flat data, DPL 3 */
#define CODE64_DPL3     0x00affa000000ffffULL                 /* 64-bit code, DPL 3 */
#define DATA_BASE_DPL3  0x12cff2345678ffffULL                 /* data, DPL 3, base 0x12345678 */
#define NOT_PRESENT     0x00cf92000000ffffULL & ~(1ULL << 47) /* DPL 0, but not present */
#define CODE64_DPL0     0x00af9a000000ffffULL                 /* ring-0 code: refused */
#define DATA_DPL1       0x00cfb2000000ffffULL                 /* DPL 1: refused */
#define TSS_DESC        0x0000890000000067ULL                 /* system descriptor: refused */
#define TSS_DPL3        0x0000e90000000067ULL                 /* system descriptor, even at DPL 3 */
#define LDT_DPL3        0x0000e20000000fffULL                 /* system descriptor, even at DPL 3 */
#define CALL_GATE_DPL3  0x0000ec0000000000ULL                 /* system descriptor: refused */
#define CONFORMING_DPL3 0x00cffe000000ffffULL                 /* conforming code: refused */

static const uint64_t bad_descs[] = {CODE64_DPL0, DATA_DPL1,      TSS_DESC,       TSS_DPL3,
                                     LDT_DPL3,    CALL_GATE_DPL3, CONFORMING_DPL3};

#define NONCANONICAL 0x0000800000000000ULL

/* ---- set_segment_base ---- */

TestSuite(set_segment_base, .init = harness_boot);

static const uint64_t canonical[] = {0, 0x7fffffffffff, 0xffff800000000000, 0xffffffffffffffff};
static const uint64_t noncanonical[] = {NONCANONICAL, 0xffff7fffffffffff, 0x8000000000000000,
                                        0x0001000000000000};

static long set_base(unsigned int which, uint64_t value)
{
    return hc(__HYPERVISOR_set_segment_base, which, value);
}

/* FS: the FS_BASE MSR itself. */
Test(set_segment_base, fs)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(canonical); i++) {
        cr_assert_eq(set_base(SEGBASE_FS, canonical[i]), 0);
        cr_assert_eq(rdmsr(MSR_FS_BASE), canonical[i]);
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(noncanonical); i++) {
        cr_assert_eq(set_base(SEGBASE_FS, noncanonical[i]), -XEN_EINVAL, "%#lx", noncanonical[i]);
        cr_assert_eq(rdmsr(MSR_FS_BASE), canonical[ARRAY_SIZE(canonical) - 1]);
    }
}

/* GS_USER: remembered for the next switch to user mode. */
Test(set_segment_base, gs_user)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(canonical); i++) {
        cr_assert_eq(set_base(SEGBASE_GS_USER, canonical[i]), 0);
        cr_assert_eq(current->gs_base_user, canonical[i]);
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(noncanonical); i++)
        cr_assert_eq(set_base(SEGBASE_GS_USER, noncanonical[i]), -XEN_EINVAL);
    cr_assert_eq(current->gs_base_user, canonical[ARRAY_SIZE(canonical) - 1]);
}

/* GS_KERNEL: the guest's live GS, which sits in SHADOW_GS_BASE while the hypervisor runs;
 * the hypervisor's own GS_BASE is never touched. */
Test(set_segment_base, gs_kernel)
{
    wrmsr(MSR_GS_BASE, (uint64_t)&fake_percpu);
    for (unsigned int i = 0; i < ARRAY_SIZE(canonical); i++) {
        cr_assert_eq(set_base(SEGBASE_GS_KERNEL, canonical[i]), 0);
        cr_assert_eq(rdmsr(MSR_SHADOW_GS_BASE), canonical[i]);
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(noncanonical); i++)
        cr_assert_eq(set_base(SEGBASE_GS_KERNEL, noncanonical[i]), -XEN_EINVAL);
    cr_assert_eq(rdmsr(MSR_SHADOW_GS_BASE), canonical[ARRAY_SIZE(canonical) - 1]);
    cr_assert_eq(rdmsr(MSR_GS_BASE), (uint64_t)&fake_percpu);
}

static long set_gdt(const uint64_t *frames, unsigned int nr_frames, unsigned int entries);

/* GS_USER_SEL: the base the selector's descriptor brings becomes the user GS base, and
 * the hypervisor's GS_BASE is restored afterwards. */
Test(set_segment_base, gs_user_sel)
{
    uint64_t mfn = domain_frame(domu, PGT_none);

    ((uint64_t *)mfn_to_virt(mfn))[2] = DATA_BASE_DPL3;
    cr_assert_eq(set_gdt(&mfn, 1, 3), 0);
    wrmsr(MSR_GS_BASE, (uint64_t)&fake_percpu);
    cr_assert_eq(set_base(SEGBASE_GS_USER_SEL, 2 << 3 | 3), 0);
    cr_assert_eq(current->gs_base_user, 0x12345678);
    cr_assert_eq(set_base(SEGBASE_GS_USER_SEL, 0), 0); /* null selector: base 0 */
    cr_assert_eq(current->gs_base_user, 0);
    cr_assert_eq(set_base(SEGBASE_GS_USER_SEL, 0xffff0000 | 2 << 3 | 3), 0); /* bits 0-15 */
    cr_assert_eq(current->gs_base_user, 0x12345678);
    cr_assert_eq(rdmsr(MSR_GS_BASE), (uint64_t)&fake_percpu);
}

/*
 * Xen-incompatible (see the test report): Xen loads the null selector instead and returns
 * 0 ("Linux will BUG() if this call fails"); xen-lite returns -EINVAL.
 */
Test(set_segment_base, xen_compat_bad_selector_returns_0)
{
    cr_assert_eq(set_base(SEGBASE_GS_USER_SEL, 5 << 3 | 3), 0);
    cr_assert_eq(current->gs_base_user, 0);
}

/* Any other `which` is -EINVAL and changes nothing. */
Test(set_segment_base, unknown_which_is_einval)
{
    static const uint64_t which[] = {4, 5, 0x100, 0xffffffff};

    for (unsigned int i = 0; i < ARRAY_SIZE(which); i++)
        cr_assert_eq(set_base(which[i], 0x1000), -XEN_EINVAL, "which %lu", which[i]);
    cr_assert_eq(rdmsr(MSR_FS_BASE), 0);
    cr_assert_eq(current->gs_base_user, 0);
}

/* ---- set_gdt ---- */

TestSuite(set_gdt, .init = harness_boot);

static long set_gdt(const uint64_t *frames, unsigned int nr_frames, unsigned int entries)
{
    return hc(__HYPERVISOR_set_gdt, nr_frames ? guest_put(frames, nr_frames * 8) : GUEST_BASE,
              entries);
}

/* A descriptor frame of domu filled with copies of desc. */
static uint64_t desc_frame(uint64_t desc)
{
    uint64_t mfn = domain_frame(domu, PGT_none);

    for (int i = 0; i < 512; i++)
        ((uint64_t *)mfn_to_virt(mfn))[i] = desc;
    return mfn;
}

/* Valid descriptors: copied into the vCPU's GDT, frames typed as descriptor frames. */
Test(set_gdt, installs_a_copy)
{
    uint64_t f[2] = {desc_frame(DATA_DPL3), desc_frame(CODE64_DPL3)};

    ((uint64_t *)mfn_to_virt(f[1]))[1] = NOT_PRESENT;
    cr_assert_eq(set_gdt(f, 2, 515), 0);
    cr_assert_eq(current->gdt_entries, 515);
    cr_assert_eq(current->gdt_nr_frames, 2);
    cr_assert_eq(current->gdt[0], DATA_DPL3);
    cr_assert_eq(current->gdt[511], DATA_DPL3);
    cr_assert_eq(current->gdt[512], CODE64_DPL3);
    cr_assert_eq(current->gdt[513], NOT_PRESENT);
    cr_assert_eq(current->gdt[515], 0, "entry past `entries` copied");
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(mfn_to_page(f[i])->type, PGT_seg_desc);
        cr_assert_eq(mfn_to_page(f[i])->type_count, 1);
    }
    /* It is a copy: the guest changing its frame changes nothing. */
    ((uint64_t *)mfn_to_virt(f[0]))[0] = TSS_DESC;
    cr_assert_eq(current->gdt[0], DATA_DPL3);
}

/* The hypervisor's own descriptors above the guest's entries stay as they were. */
Test(set_gdt, full_size_keeps_reserved_entries)
{
    uint64_t f[14], reserved[GDT_ENTRIES - GUEST_GDT_ENTRIES];

    memcpy(reserved, current->gdt + GUEST_GDT_ENTRIES, sizeof(reserved));
    cr_assert_neq(current->gdt[HYPERVISOR_CS >> 3], 0);
    for (int i = 0; i < 14; i++)
        f[i] = desc_frame(DATA_DPL3);
    cr_assert_eq(set_gdt(f, 14, GUEST_GDT_ENTRIES), 0);
    cr_assert_eq(current->gdt[GUEST_GDT_ENTRIES - 1], DATA_DPL3);
    cr_assert_eq(memcmp(reserved, current->gdt + GUEST_GDT_ENTRIES, sizeof(reserved)), 0);
}

/* More entries than the guest's part of the GDT: -EINVAL before anything is read. */
Test(set_gdt, too_many_entries_is_einval)
{
    static const uint64_t entries[] = {GUEST_GDT_ENTRIES + 1, GDT_ENTRIES, 0xffffffff};

    for (unsigned int i = 0; i < ARRAY_SIZE(entries); i++)
        cr_assert_eq(hc(__HYPERVISOR_set_gdt, 0x1000, entries[i]), -XEN_EINVAL);
}

/* A frame list the guest cannot read: -EFAULT. */
Test(set_gdt, unreadable_list_is_efault)
{
    uint64_t page1 = GUEST_BASE + 4096;

    guest_unmap_page(page1);
    cr_assert_eq(hc(__HYPERVISOR_set_gdt, HV_VIRT_START, 1), -XEN_EFAULT);
    cr_assert_eq(hc(__HYPERVISOR_set_gdt, 0x1000, 1), -XEN_EFAULT);
    cr_assert_eq(hc(__HYPERVISOR_set_gdt, page1 - 8, 513), -XEN_EFAULT); /* 2nd mfn unmapped */
}

/* Frames the caller does not own: dom0's, nobody's, not RAM at all. */
Test(set_gdt, frame_not_owned_is_einval)
{
    const uint64_t bad[] = {domain_frame(dom0, PGT_none), 5,          FAKE_RAM_BYTES >> 12,
                            (FAKE_RAM_BYTES >> 12) + 100, 1ULL << 40, INVALID_MFN};

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
        cr_assert_eq(set_gdt(&bad[i], 1, 1), -XEN_EINVAL, "mfn %#lx", bad[i]);
    cr_assert_eq(mfn_to_page(bad[0])->type, PGT_none);
}

/* Page-table frames of the caller are not descriptor frames. */
Test(set_gdt, page_table_frame_is_einval)
{
    static const enum page_type pt[] = {PGT_l1, PGT_l2, PGT_l3, PGT_l4};

    for (unsigned int i = 0; i < ARRAY_SIZE(pt); i++) {
        uint64_t mfn = desc_frame(DATA_DPL3);

        mfn_to_page(mfn)->type = pt[i];
        mfn_to_page(mfn)->type_count = 1;
        cr_assert_eq(set_gdt(&mfn, 1, 1), -XEN_EINVAL, "type %d", pt[i]);
        cr_assert_eq(mfn_to_page(mfn)->type, pt[i]);
    }
}

/* One bad descriptor among the entries: -EINVAL. */
Test(set_gdt, bad_descriptor_is_einval)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_descs); i++) {
        uint64_t f[2] = {desc_frame(DATA_DPL3), desc_frame(DATA_DPL3)};

        ((uint64_t *)mfn_to_virt(f[1]))[7] = bad_descs[i];
        cr_assert_eq(set_gdt(f, 2, 520), -XEN_EINVAL, "descriptor %#lx", bad_descs[i]);
        cr_assert_eq(mfn_to_page(f[0])->type, PGT_none);
    }
}

/* Descriptors past `entries` are not the GDT's: whatever they hold is fine. */
Test(set_gdt, descriptors_past_entries_are_ignored)
{
    uint64_t mfn = desc_frame(TSS_DESC);

    ((uint64_t *)mfn_to_virt(mfn))[0] = DATA_DPL3;
    cr_assert_eq(set_gdt(&mfn, 1, 1), 0);
}

/* A refused set_gdt leaves the current GDT and its frames as they were (check, then commit). */
Test(set_gdt, failure_changes_nothing)
{
    uint64_t old = desc_frame(CODE64_DPL3), f[2] = {desc_frame(DATA_DPL3), desc_frame(TSS_DESC)};

    cr_assert_eq(set_gdt(&old, 1, 4), 0);
    cr_assert_eq(set_gdt(f, 2, 600), -XEN_EINVAL);
    cr_assert_eq(current->gdt_entries, 4);
    cr_assert_eq(current->gdt_frames[0], old);
    cr_assert_eq(current->gdt[0], CODE64_DPL3);
    cr_assert_eq(mfn_to_page(old)->type, PGT_seg_desc);
    cr_assert_eq(mfn_to_page(f[0])->type, PGT_none);
}

/* A new GDT releases the old frames and clears the old entries it does not cover. */
Test(set_gdt, replacing_releases_old_frames)
{
    uint64_t old = desc_frame(CODE64_DPL3), new = desc_frame(DATA_DPL3);

    cr_assert_eq(set_gdt(&old, 1, 10), 0);
    cr_assert_eq(set_gdt(&new, 1, 2), 0);
    cr_assert_eq(mfn_to_page(old)->type, PGT_none);
    cr_assert_eq(mfn_to_page(old)->type_count, 0);
    cr_assert_eq(current->gdt[1], DATA_DPL3);
    cr_assert_eq(current->gdt[2], 0);
    cr_assert_eq(current->gdt[9], 0);
    cr_assert_eq(set_gdt(NULL, 0, 0), 0);
    cr_assert_eq(current->gdt_entries, 0);
    cr_assert_eq(mfn_to_page(new)->type, PGT_none);
}

/* ---- update_descriptor ---- */

TestSuite(update_descriptor, .init = harness_boot);

static long update_descriptor(uint64_t maddr, uint64_t desc)
{
    return hc(__HYPERVISOR_update_descriptor, maddr, desc);
}

/* Not 8-byte aligned: -EINVAL. */
Test(update_descriptor, misaligned_is_einval)
{
    uint64_t mfn = desc_frame(0);

    for (unsigned int off = 1; off < 8; off++)
        cr_assert_eq(update_descriptor(mfn << 12 | off, DATA_DPL3), -XEN_EINVAL, "+%u", off);
    cr_assert_eq(((uint64_t *)mfn_to_virt(mfn))[0], 0);
}

/* Frames not the caller's, or its page tables: -EINVAL and nothing written. */
Test(update_descriptor, bad_frame_is_einval)
{
    const uint64_t bad[] = {domain_frame(dom0, PGT_none) << 12,
                            5 << 12,
                            FAKE_RAM_BYTES,
                            1ULL << 63,
                            domain_frame(domu, PGT_l1) << 12,
                            domain_frame(domu, PGT_l4) << 12};

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
        cr_assert_eq(update_descriptor(bad[i], DATA_DPL3), -XEN_EINVAL, "maddr %#lx", bad[i]);
    cr_assert_eq(*(uint64_t *)maddr_to_virt(bad[0]), 0);
    cr_assert_eq(*(uint64_t *)maddr_to_virt(bad[4]), 0);
}

/* A descriptor the guest may not have: -EINVAL and nothing written. */
Test(update_descriptor, bad_descriptor_is_einval)
{
    uint64_t mfn = desc_frame(0);

    for (unsigned int i = 0; i < ARRAY_SIZE(bad_descs); i++)
        cr_assert_eq(update_descriptor(mfn << 12 | 16, bad_descs[i]), -XEN_EINVAL);
    cr_assert_eq(((uint64_t *)mfn_to_virt(mfn))[2], 0);
}

/* A good one is written to the frame and, if the frame is in the GDT, to the vCPU's copy
 * (entries past gdt_entries excepted). */
Test(update_descriptor, updates_frame_and_copy)
{
    uint64_t f[2] = {desc_frame(0), desc_frame(0)}, other = desc_frame(0);

    cr_assert_eq(set_gdt(f, 2, 600), 0);
    cr_assert_eq(update_descriptor(f[1] << 12 | 8 * 3, DATA_DPL3), 0);
    cr_assert_eq(((uint64_t *)mfn_to_virt(f[1]))[3], DATA_DPL3);
    cr_assert_eq(current->gdt[512 + 3], DATA_DPL3);
    cr_assert_eq(update_descriptor(f[1] << 12 | 8 * 100, CODE64_DPL3), 0); /* entry 612 */
    cr_assert_eq(((uint64_t *)mfn_to_virt(f[1]))[100], CODE64_DPL3);
    cr_assert_eq(current->gdt[612], 0);
    cr_assert_eq(update_descriptor(other << 12, CODE64_DPL3), 0); /* not in the GDT */
    cr_assert_eq(current->gdt[0], 0);
    cr_assert_eq(mfn_to_page(other)->type, PGT_none);
}
