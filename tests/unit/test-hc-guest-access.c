/* SPDX-License-Identifier: MIT */
/* Unit tests for checked guest memory access (xen-lite/common/guest-access.c). */
#include <criterion/criterion.h>
#include <guest-access.h>
#include "harness/harness.h"

TestSuite(guest_access, .init = harness_boot);

static const struct {
    uint64_t va, len;
    bool ok;
} ranges[] = {
    {0, 0, true},                                    /* empty: always fine */
    {0x0000800000000000, 0, true},                   /* empty, even non-canonical */
    {HV_VIRT_START, 0, true},                        /* empty, even the hypervisor's */
    {0, 1, true},                                    /* first byte */
    {0x1000, 0x1000, true},                          /* an ordinary page */
    {0, 0x0000800000000000, true},                   /* the whole lower half */
    {0x00007ffffffff000, 0x1000, true},              /* ends exactly at the lower half's end */
    {0x00007fffffffffff, 1, true},                   /* last lower-half byte */
    {0x00007fffffffffff, 2, false},                  /* one byte past it */
    {0, 0x0000800000000001, false},                  /* the lower half and one more */
    {0x0000800000000000, 1, false},                  /* non-canonical */
    {0x0000800000000000, 0x1000, false},             /* non-canonical */
    {0x8000000000000000, 1, false},                  /* non-canonical */
    {0xffff7fffffffffff, 1, false},                  /* last non-canonical byte */
    {0xffff7fffffffffff, 2, false},                  /* into the hypervisor's range */
    {HV_VIRT_START, 1, false},                       /* the M2P */
    {HV_VIRT_START, 0x1000, false},                  /* the M2P */
    {DIRECTMAP_VIRT_START, 8, false},                /* the direct map */
    {HV_VIRT_END - 1, 1, false},                     /* last hypervisor byte */
    {HV_VIRT_END - 1, 2, false},                     /* straddling its end */
    {HV_VIRT_END, 1, true},                          /* first guest byte after it */
    {HV_VIRT_END, 0 - HV_VIRT_END, true},            /* up to exactly 2^64 */
    {0xfffffffffffff000, 0x1000, true},              /* last page, ends at 2^64 */
    {0xffffffffffffffff, 1, true},                   /* last byte */
    {0xffffffffffffffff, 2, false},                  /* wraps to 0 */
    {0xfffffffffffff000, 0x1001, false},             /* wraps */
    {HV_VIRT_END, 0 - HV_VIRT_END + 1, false},       /* wraps by one */
    {1, UINT64_MAX, false},                          /* wraps to exactly 0 from below */
    {0, UINT64_MAX, false},                          /* everything */
    {0x1000, HV_VIRT_END, false},                    /* lower half across the hole */
    {0x00007fffffffffff, 0xffff800000000001, false}, /* ends at 2^64 from the lower half */
    {HV_VIRT_START, 0x0000800000000000, false},      /* ends at 2^64 from the hole */
};

/* guest_range_ok over the table: wrap, boundaries, zero length, non-canonical, the hole. */
Test(guest_access, range_ok_table)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(ranges); i++)
        cr_assert_eq(guest_range_ok(ranges[i].va, ranges[i].len), ranges[i].ok,
                     "[%#lx, +%#lx) should be %s", ranges[i].va, ranges[i].len,
                     ranges[i].ok ? "fine" : "refused");
}

/* A refused range (of the short ones above) never reaches guest memory: the check comes
 * before the copy. */
Test(guest_access, refused_range_is_not_touched)
{
    char buf[16] = {0};

    for (unsigned int i = 0; i < ARRAY_SIZE(ranges); i++) {
        if (ranges[i].ok || ranges[i].len > sizeof(buf))
            continue;
        cr_assert_eq(copy_from_guest(buf, guest_ptr(ranges[i].va), ranges[i].len), -XEN_EFAULT);
        cr_assert_eq(copy_to_guest(guest_ptr(ranges[i].va), buf, ranges[i].len), -XEN_EFAULT);
    }
    cr_assert_eq(harness.raw_copies, 0);
}

/* Copies in and out of mapped memory, and zero-length copies anywhere. */
Test(guest_access, copies)
{
    uint64_t va = guest_put("abcdef", 6);
    char buf[6];

    cr_assert_eq(copy_from_guest(buf, guest_ptr(va), 6), 0);
    cr_assert_eq(memcmp(buf, "abcdef", 6), 0);
    cr_assert_eq(copy_to_guest(guest_ptr(va + 1), "XY", 2), 0);
    cr_assert_eq(memcmp(guest_mem(va, 6), "aXYdef", 6), 0);
    cr_assert_eq(copy_from_guest(buf, guest_ptr(HV_VIRT_START), 0), 0);
    cr_assert_eq(copy_to_guest(guest_ptr(0x0000800000000000), buf, 0), 0);
}

/* A copy that faults part-way is -EFAULT, not a short success. */
Test(guest_access, fault_part_way_is_efault)
{
    uint64_t page1 = GUEST_BASE + 4096;
    char buf[16];

    guest_unmap_page(page1);
    cr_assert_eq(copy_from_guest(buf, guest_ptr(page1 - 8), 16), -XEN_EFAULT);
    cr_assert_eq(copy_to_guest(guest_ptr(page1 - 8), buf, 16), -XEN_EFAULT);
    cr_assert_eq(copy_from_guest(buf, guest_ptr(page1 - 8), 8), 0);
}

/* Array helpers: an index whose byte offset does not fit 64 bits is refused up front. */
Test(guest_access, elem_index_overflow_is_efault)
{
    char buf[16];

    cr_assert_eq(copy_from_guest_elem(buf, guest_ptr(GUEST_BASE), UINT64_MAX / 16 + 1, 16),
                 -XEN_EFAULT);
    cr_assert_eq(copy_to_guest_elem(guest_ptr(GUEST_BASE), UINT64_MAX / 8 + 1, buf, 8),
                 -XEN_EFAULT);
    cr_assert_eq(harness.raw_copies, 0);
    cr_assert_eq(copy_from_guest_elem(buf, guest_ptr(GUEST_BASE), 3, 16), 0);
}
