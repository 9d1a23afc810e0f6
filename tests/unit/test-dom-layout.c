/* SPDX-License-Identifier: MIT */
/* Unit tests for the start-of-day layout arithmetic (xen-lite/common/dom-layout.c). */
#include <criterion/criterion.h>
#include <dom-layout.h>
#include <public/errno.h>
#include <string.h>

#define KB       (1ULL << 10)
#define MB       (1ULL << 20)
#define GB       (1ULL << 30)
#define PG       4096ULL
#define LINUX_VB 0xffffffff80000000ULL

/*
 * Oracle: an independent, deliberately naive version of the rules. Tables
 * are counted by walking every page and noticing index changes; the table
 * count is found the way Xen's dom0 builder does it, by trying 1, 2, 3...
 */
static uint64_t naive_tables(uint64_t s, uint64_t e)
{
    uint64_t n = 1, va;
    uint64_t last3 = ~0ULL, last2 = ~0ULL, last1 = ~0ULL;

    for (va = s; va < e; va += PG) {
        n += (va >> 39) != last3;
        n += (va >> 30) != last2;
        n += (va >> 21) != last1;
        last3 = va >> 39;
        last2 = va >> 30;
        last1 = va >> 21;
    }
    return n;
}

struct naive {
    uint64_t pt_va, nr_pt, stack_va, v_end;
};

static struct naive naive_layout(uint64_t vb, uint64_t kend, uint64_t initrd, uint64_t nr_pages)
{
    struct naive r;
    uint64_t pos = (kend + PG - 1) / PG * PG;

    pos += (initrd + PG - 1) / PG * PG;
    pos += (nr_pages * 8 + PG - 1) / PG * PG;
    pos += 3 * PG; /* start_info, xenstore, console */
    r.pt_va = pos;
    /* v_end changes only every few hundred tries: remember the last count. */
    uint64_t counted_end = 0, tables = 0;
    for (r.nr_pt = 1;; r.nr_pt++) {
        uint64_t top = pos + r.nr_pt * PG + PG;

        r.v_end = (top + 4 * MB - 1) / (4 * MB) * (4 * MB);
        if (r.v_end - top < 512 * KB)
            r.v_end += 4 * MB;
        if (r.v_end != counted_end) {
            tables = naive_tables(vb, r.v_end);
            counted_end = r.v_end;
        }
        if (tables <= r.nr_pt)
            break;
    }
    r.stack_va = pos + r.nr_pt * PG;
    return r;
}

static struct dom_layout layout_ok(uint64_t vb, uint64_t ks, uint64_t ke, uint64_t initrd,
                                   uint64_t nr_pages)
{
    struct dom_layout l;
    const char *why = NULL;
    int rc = dom_layout_compute(vb, ks, ke, initrd, nr_pages, &l, &why);

    cr_assert_eq(rc, 0, "refused: %s", why ? why : "(null)");
    return l;
}

static void expect_region(const struct dom_region *r, uint64_t vb, uint64_t pfn, uint64_t n,
                          const char *what)
{
    cr_expect_eq(r->pfn, pfn, "%s pfn 0x%lx want 0x%lx", what, (unsigned long)r->pfn,
                 (unsigned long)pfn);
    cr_expect_eq(r->va, vb + pfn * PG, "%s va", what);
    cr_expect_eq(r->nr_pages, n, "%s pages %lu want %lu", what, (unsigned long)r->nr_pages,
                 (unsigned long)n);
}

Test(dom_layout, pt_frames_table)
{
    static const struct {
        uint64_t start, end, frames; /* one line per scenario */
    } cases[] = {
        /* empty range: just the L4 */
        {0, 0, 1},
        {4 * MB, 4 * MB, 1},
        /* one page, one 2 MiB slot, a full 2 MiB slot: L4 L3 L2 L1 */
        {0, PG, 4},
        {0, 2 * MB, 4},
        /* one byte into the next slot adds an L1 */
        {0, 2 * MB + 1, 5},
        /* unaligned start sharing a slot */
        {2 * MB - PG, 2 * MB + PG, 5},
        /* a whole GiB: 512 L1s */
        {0, GB, 515},
        /* straddling a GiB boundary: 2 L2s, 2 L1s */
        {GB - PG, GB + PG, 6},
        /* straddling a 512 GiB boundary: 2 L3s too */
        {512 * GB - PG, 512 * GB + PG, 7},
        /* Linux's top 2 GiB; end just below 2^64 must not overflow */
        {LINUX_VB, LINUX_VB + 56 * MB, 31},
        {0xffffffffc0000000ULL, 0xfffffffffffff000ULL, 515},
        {0xfffffffffffff000ULL, ~0ULL, 4},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        cr_expect_eq(dom_pt_frames(cases[i].start, cases[i].end), cases[i].frames,
                     "case %zu: got %lu", i,
                     (unsigned long)dom_pt_frames(cases[i].start, cases[i].end));
}

Test(dom_layout, pt_frames_matches_naive_count)
{
    for (uint64_t s = 0; s < 8 * MB; s += 768 * KB)
        for (uint64_t e = s + PG; e < s + 12 * MB; e += 1020 * KB)
            cr_expect_eq(dom_pt_frames(s, e), naive_tables(s, e), "[%lx, %lx)", (unsigned long)s,
                         (unsigned long)e);
}

/* A Linux-sized kernel at 0xffffffff81000000, 256 MiB domain, no initrd: worked by hand. */
Test(dom_layout, linux_like)
{
    uint64_t kend = LINUX_VB + 16 * MB + 0x2345678;
    struct dom_layout l = layout_ok(LINUX_VB, LINUX_VB + 16 * MB, kend, 0, 65536);

    expect_region(&l.image, LINUX_VB, 0, 0x3346, "image");
    expect_region(&l.initrd, LINUX_VB, 0x3346, 0, "initrd");
    expect_region(&l.p2m, LINUX_VB, 0x3346, 128, "p2m"); /* 65536 * 8 bytes */
    expect_region(&l.start_info, LINUX_VB, 0x33c6, 1, "start_info");
    expect_region(&l.xenstore, LINUX_VB, 0x33c7, 1, "xenstore");
    expect_region(&l.console, LINUX_VB, 0x33c8, 1, "console");
    /* 56 MiB mapped: L4 + L3 + L2 + 28 L1 */
    expect_region(&l.pt, LINUX_VB, 0x33c9, 31, "page tables");
    expect_region(&l.stack, LINUX_VB, 0x33e8, 1, "stack");
    cr_expect_eq(l.nr_pt_frames, 31);
    cr_expect_eq(l.stack_top, LINUX_VB + 0x33e9000);
    /* Stack top at +0x33e9000: the 4 MiB boundary at +0x3400000 leaves only 92 KiB. */
    cr_expect_eq(l.v_end, LINUX_VB + 0x3800000);
    cr_expect_eq(l.nr_mapped, 0x3800);
    cr_expect_eq(l.virt_base, LINUX_VB);
}

/* A 12 KiB guest at address 0 in a 4 MiB domain, without and with an initrd. */
Test(dom_layout, tiny_guest_with_and_without_initrd)
{
    struct dom_layout l = layout_ok(0, 0, 0x3000, 0, 1024);

    expect_region(&l.image, 0, 0, 3, "image");
    expect_region(&l.initrd, 0, 3, 0, "initrd");
    expect_region(&l.p2m, 0, 3, 2, "p2m");
    expect_region(&l.start_info, 0, 5, 1, "start_info");
    expect_region(&l.xenstore, 0, 6, 1, "xenstore");
    expect_region(&l.console, 0, 7, 1, "console");
    expect_region(&l.pt, 0, 8, 5, "page tables"); /* L4 L3 L2 + 2 L1 for 4 MiB */
    expect_region(&l.stack, 0, 13, 1, "stack");
    cr_expect_eq(l.v_end, 4 * MB);
    cr_expect_eq(l.nr_mapped, 1024);

    /* A 5000-byte initrd takes 2 pages right after the image; the rest shifts. */
    l = layout_ok(0, 0, 0x3000, 5000, 1024);
    expect_region(&l.image, 0, 0, 3, "image");
    expect_region(&l.initrd, 0, 3, 2, "initrd");
    expect_region(&l.p2m, 0, 5, 2, "p2m");
    expect_region(&l.start_info, 0, 7, 1, "start_info");
    expect_region(&l.xenstore, 0, 8, 1, "xenstore");
    expect_region(&l.console, 0, 9, 1, "console");
    expect_region(&l.pt, 0, 10, 5, "page tables");
    expect_region(&l.stack, 0, 15, 1, "stack");
    cr_expect_eq(l.v_end, 4 * MB);
}

/* The image region starts at virt_base even when the image starts higher. */
Test(dom_layout, image_region_starts_at_virt_base)
{
    struct dom_layout l = layout_ok(0x400000, 0x500000, 0x500001, 0, 4096);

    expect_region(&l.image, 0x400000, 0, 0x101, "image");
    cr_expect_eq(l.p2m.pfn, 0x101);
}

/*
 * 512 KiB slack boundary: with 2048 pages (p2m = 4 pages) and 5 tables, the
 * stack top is image + 13 pages. 883 image pages put it exactly 512 KiB
 * below 4 MiB; one page more and v_end must move to 8 MiB (7 tables then).
 */
Test(dom_layout, slack_boundary)
{
    struct dom_layout l = layout_ok(0, 0, 883 * PG, 0, 2048);

    cr_expect_eq(l.stack_top, 4 * MB - 512 * KB);
    cr_expect_eq(l.v_end, 4 * MB);
    cr_expect_eq(l.nr_pt_frames, 5);

    l = layout_ok(0, 0, 884 * PG, 0, 2048);
    cr_expect_eq(l.nr_pt_frames, 7);
    cr_expect_eq(l.stack_top, 4 * MB - 512 * KB + 3 * PG);
    cr_expect_eq(l.v_end, 8 * MB);

    /* A partial last page of image counts as a whole page. */
    l = layout_ok(0, 0, 883 * PG - 1, 0, 2048);
    cr_expect_eq(l.v_end, 4 * MB);
    l = layout_ok(0, 0, 883 * PG + 1, 0, 2048);
    cr_expect_eq(l.v_end, 8 * MB);
}

/* Many shapes, each checked against the naive oracle and the ABI's invariants. */
Test(dom_layout, matches_naive_layout)
{
    static const uint64_t bases[] = {0, 0x400000, LINUX_VB, 0xffff880000000000ULL};
    static const uint64_t initrds[] = {0, 1, PG, 3 * MB + 17};
    static const uint64_t pages[] = {4096, 65536, 262144};

    for (size_t b = 0; b < 4; b++)
        for (uint64_t k = PG; k < 40 * MB; k += 1237 * KB + 123)
            for (size_t i = 0; i < 4; i++)
                for (size_t p = 0; p < 3; p++) {
                    uint64_t vb = bases[b], ke = vb + k;
                    struct dom_layout l;
                    const char *why;

                    if (dom_layout_compute(vb, vb, ke, initrds[i], pages[p], &l, &why)) {
                        /* Only refusal expected here: not enough memory. */
                        cr_expect(strstr(why, "too large"), "%s", why);
                        continue;
                    }
                    struct naive n = naive_layout(vb, ke, initrds[i], pages[p]);
                    cr_expect_eq(l.nr_pt_frames, n.nr_pt);
                    cr_expect_eq(l.pt.va, n.pt_va);
                    cr_expect_eq(l.stack.va, n.stack_va);
                    cr_expect_eq(l.v_end, n.v_end);
                    /* Regions follow each other with no gaps, in ABI order. */
                    cr_expect_eq(l.initrd.va, l.image.va + l.image.nr_pages * PG);
                    cr_expect_eq(l.p2m.va, l.initrd.va + l.initrd.nr_pages * PG);
                    cr_expect_eq(l.start_info.va, l.p2m.va + l.p2m.nr_pages * PG);
                    cr_expect_eq(l.xenstore.va, l.start_info.va + PG);
                    cr_expect_eq(l.console.va, l.xenstore.va + PG);
                    cr_expect_eq(l.pt.va, l.console.va + PG);
                    cr_expect_eq(l.stack.va, l.pt.va + l.pt.nr_pages * PG);
                    cr_expect_eq(l.stack.pfn, (l.stack.va - vb) / PG);
                    cr_expect(l.p2m.nr_pages * PG >= pages[p] * 8);
                    cr_expect_eq(l.v_end % (4 * MB), 0);
                    cr_expect_geq(l.v_end - l.stack_top, 512 * KB);
                    cr_expect_lt(l.v_end - l.stack_top, 4 * MB + 512 * KB);
                    cr_expect_eq(l.nr_pt_frames, dom_pt_frames(vb, l.v_end));
                    cr_expect_leq(l.nr_mapped, pages[p]);
                }
}

Test(dom_layout, refusals)
{
    static const struct {
        uint64_t vb, ks, ke, initrd, nr_pages;
        int rc;
        const char *why; /* one line per scenario */
    } cases[] = {
        /* 4 MiB domain cannot hold a 4 MiB mapping plus one p2m page more */
        {0, 0, 0x3000, 0, 1023, -XEN_ENOMEM,
         "kernel image too large for domain memory: needs 1024 pages, has 1023"},
        /* Linux-like kernel in a 16 MiB domain */
        {LINUX_VB, LINUX_VB + 16 * MB, LINUX_VB + 50 * MB, 0, 4096, -XEN_ENOMEM, "too large"},
        /* image reaching past the end of its 1 GiB region */
        {LINUX_VB, LINUX_VB + 16 * MB, LINUX_VB + GB - 1 * MB, 0, 1 << 20, -XEN_EINVAL,
         "one 1 GiB-aligned L2 region"},
        /* a huge initrd pushing the rest over */
        {0, 0, 16 * MB, GB, 1 << 20, -XEN_EINVAL, "one 1 GiB-aligned L2 region"},
        /* a huge domain whose p2m alone is 1 GiB */
        {0, 0, 16 * MB, 0, 1ULL << 27, -XEN_EINVAL, "one 1 GiB-aligned L2 region"},
        /* small image 2 MiB below a GiB boundary: the slack after it crosses the boundary */
        {GB - 2 * MB, GB - 2 * MB, GB - 256 * KB, 0, 4096, -XEN_EINVAL, "one 1 GiB-aligned"},
        /* at the very top of the address space */
        {0xfffffffffff00000ULL, 0xfffffffffff00000ULL, 0xfffffffffff80000ULL, 0, 4096, -XEN_EINVAL,
         "overflows"},
        {0, 0, 0x1000, ~0ULL - 100, 4096, -XEN_EINVAL, "overflows"},
        {0, 0, 0x1000, 0, ~0ULL / 4, -XEN_EINVAL, "overflows"},
        /* in the hypervisor's slots */
        {0xffff800000000000ULL, 0xffff800000000000ULL, 0xffff800000100000ULL, 0, 4096, -XEN_EINVAL,
         "hypervisor hole"},
        {0xffff87ffc0000000ULL, 0xffff87ffc0000000ULL, 0xffff87ffc0100000ULL, 0, 4096, -XEN_EINVAL,
         "hypervisor hole"},
        /* between the canonical halves */
        {0x0000800000000000ULL, 0x0000800000000000ULL, 0x0000800000100000ULL, 0, 4096, -XEN_EINVAL,
         "not canonical"},
        /* inconsistent inputs */
        {0x10, 0x10, 0x2000, 0, 4096, -XEN_EINVAL, "not page-aligned"},
        {0x1000, 0x2000, 0x2000, 0, 4096, -XEN_EINVAL, "empty"},
        {0x2000, 0x1000, 0x3000, 0, 4096, -XEN_EINVAL, "below VIRT_BASE"},
        {0, 0, 0x1000, 0, 0, -XEN_EINVAL, "no memory"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct dom_layout l;
        const char *why = NULL;
        int rc = dom_layout_compute(cases[i].vb, cases[i].ks, cases[i].ke, cases[i].initrd,
                                    cases[i].nr_pages, &l, &why);

        cr_expect_eq(rc, cases[i].rc, "case %zu: rc %d (%s)", i, rc, why ? why : "");
        cr_expect(why && strstr(why, cases[i].why), "case %zu: want '%s', got '%s'", i,
                  cases[i].why, why ? why : "(null)");
    }
}

/* A range may end exactly on a GiB boundary, e.g. at the top of the lower canonical half. */
Test(dom_layout, range_may_end_on_gib_boundary)
{
    uint64_t vb = 0x00007fffc0000000ULL;
    struct dom_layout l = layout_ok(vb, vb, vb + 1 * MB, 0, 4096);

    cr_expect_eq(l.v_end, vb + 4 * MB);
    cr_expect_eq(l.nr_pt_frames, 5);

    vb = GB - 2 * MB;
    l = layout_ok(vb, vb, vb + 1 * MB, 0, 4096);
    cr_expect_eq(l.v_end, GB);
}
