/* SPDX-License-Identifier: MIT */
/* Unit tests for the physical frame allocator (xen-lite/common/frame-alloc.c). */
#include <criterion/criterion.h>
#include <frame-alloc.h>
#include <public/errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * "Machine memory" is a malloc'd buffer standing for addresses [0, FAKE_SIZE):
 * maddr_to_virt maps into it, and anything above is unmapped (NULL), so the
 * allocator can only keep its bitmap in low fake RAM.
 */
#define FAKE_SIZE (32u << 20)
#define FRAME     4096u
#define NFRAMES   (FAKE_SIZE / FRAME)

static uint8_t *fake;

static void *to_virt(uint64_t maddr)
{
    return maddr < FAKE_SIZE ? fake + maddr : NULL;
}

static void setup(void)
{
    fake = aligned_alloc(FRAME, FAKE_SIZE);
    cr_assert(fake);
    memset(fake, 0x5a, FAKE_SIZE);
}

static void teardown(void)
{
    free(fake);
}

TestSuite(frame_alloc, .init = setup, .fini = teardown);

/* A PC-like map: low RAM with the top of the first MiB missing, RAM to 32 MiB, the
 * hypervisor image reserved at 1 MiB. Given unaligned and out of order on purpose. */
static const struct mem_range pc_ram[] = {
    {0x100000, FAKE_SIZE}, {0x1234, 0x9f800}, /* rounds inward to frames [2, 0x9f) */
};
static const struct mem_range pc_rsvd[] = {
    {0x100800, 0x17f001}, /* rounds outward to frames [0x100, 0x180) */
};

#define PC_LOW_FRAMES  (0x9f - 2)
#define PC_HIGH_FRAMES (NFRAMES - 0x100)
#define PC_RSVD_FRAMES 0x80
/* 8192 frames = 1 KiB of bitmap: one frame of bookkeeping. */
#define PC_BOOKKEEPING 1

static void init_pc(void)
{
    cr_assert_eq(frame_alloc_init(pc_ram, 2, pc_rsvd, 1, to_virt), 0);
}

static bool is_reserved(uint64_t mfn)
{
    return mfn >= 0x100 && mfn < 0x180;
}

Test(frame_alloc, init_counts_and_rounding)
{
    init_pc();
    cr_expect_eq(frames_total(), PC_LOW_FRAMES + PC_HIGH_FRAMES);
    cr_expect_eq(frames_free(), PC_LOW_FRAMES + PC_HIGH_FRAMES - PC_RSVD_FRAMES - PC_BOOKKEEPING);
    cr_expect_eq(max_ram_mfn(), NFRAMES - 1);
    cr_expect_eq(frame_alloc_errors(), 0);

    static const struct {
        uint64_t mfn;
        bool ram; /* one line per scenario */
    } cases[] = {
        {0, false},    /* below the first range */
        {1, false},    /* partial frame 0x1000-0x1fff holds 0x1234: not whole, not RAM */
        {2, true},     /* first whole frame */
        {0x9e, true},  /* last whole frame of low RAM */
        {0x9f, false}, /* partial frame at the top of low RAM */
        {0xa0, false}, /* the legacy hole */
        {0x100, true}, /* reserved RAM is still RAM */
        {NFRAMES - 1, true}, {NFRAMES, false}, {INVALID_MFN, false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        cr_expect_eq(frame_is_ram(cases[i].mfn), cases[i].ram, "case %zu", i);
}

/*
 * Take every frame: each is RAM, not reserved, handed out once. Writing all
 * over each one must not disturb the allocator, so its bitmap is not among them.
 */
Test(frame_alloc, exhaust_then_invalid)
{
    static bool seen[NFRAMES];
    unsigned long n = 0, expect;
    uint64_t mfn;

    init_pc();
    expect = frames_free();
    while ((mfn = alloc_frame()) != INVALID_MFN) {
        cr_assert_lt(mfn, NFRAMES);
        cr_assert(frame_is_ram(mfn), "mfn 0x%lx not RAM", (unsigned long)mfn);
        cr_assert_not(is_reserved(mfn), "reserved mfn 0x%lx handed out", (unsigned long)mfn);
        cr_assert_not(seen[mfn], "mfn 0x%lx handed out twice", (unsigned long)mfn);
        seen[mfn] = true;
        memset(fake + mfn * FRAME, 0xff, FRAME); /* frames are not zeroed: scribble freely */
        n++;
    }
    cr_expect_eq(n, expect);
    cr_expect_eq(frames_free(), 0);
    cr_expect_eq(alloc_frame(), INVALID_MFN);
    cr_expect_eq(alloc_frames(1, 1), INVALID_MFN);

    /* Exactly one RAM frame outside reserved was never handed out: the bitmap. */
    unsigned long hidden = 0;
    for (uint64_t m = 0; m < NFRAMES; m++)
        hidden += frame_is_ram(m) && !is_reserved(m) && !seen[m];
    cr_expect_eq(hidden, PC_BOOKKEEPING);

    /* Give everything back: the counters return and everything can be taken again. */
    for (uint64_t m = 0; m < NFRAMES; m++)
        if (seen[m])
            free_frames(m, 1);
    cr_expect_eq(frames_free(), expect);
    cr_expect_eq(frame_alloc_errors(), 0);
    n = 0;
    while (alloc_frame() != INVALID_MFN)
        n++;
    cr_expect_eq(n, expect);
}

Test(frame_alloc, free_and_realloc)
{
    uint64_t a, b, c;

    init_pc();
    a = alloc_frame();
    b = alloc_frame();
    cr_expect_neq(a, b);
    cr_expect_neq(a, INVALID_MFN);
    free_frames(a, 1);
    cr_expect_eq(frame_alloc_errors(), 0);
    /* Drain; the freed frame must come back exactly once. */
    int found = 0;
    while ((c = alloc_frame()) != INVALID_MFN)
        found += c == a;
    cr_expect_eq(found, 1);
    free_frames(b, 1);
    cr_expect_eq(alloc_frame(), b);
}

Test(frame_alloc, contiguous_aligned)
{
    init_pc();
    unsigned long before = frames_free();

    static const unsigned long shapes[][2] = {
        {1, 1}, {16, 16}, {3, 8}, {512, 512}, {100, 1}, {1, 1024}, {2048, 2048},
    };
    uint64_t got[sizeof(shapes) / sizeof(shapes[0])];
    unsigned long taken = 0;

    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        unsigned long n = shapes[i][0], align = shapes[i][1];

        got[i] = alloc_frames(n, align);
        cr_assert_neq(got[i], INVALID_MFN, "shape %zu", i);
        cr_expect_eq(got[i] % align, 0, "shape %zu: mfn 0x%lx", i, (unsigned long)got[i]);
        for (uint64_t m = got[i]; m < got[i] + n; m++)
            cr_expect(frame_is_ram(m) && !is_reserved(m), "shape %zu: bad mfn 0x%lx", i,
                      (unsigned long)m);
        for (size_t j = 0; j < i; j++)
            cr_expect(got[i] + n <= got[j] || got[j] + shapes[j][0] <= got[i],
                      "shapes %zu and %zu overlap", i, j);
        taken += n;
    }
    cr_expect_eq(frames_free(), before - taken);
    /* 2048 frames aligned to 2048 can only be [0x800, 0x1000) or higher: low RAM has no room. */
    cr_expect_geq(got[6], 0x800);

    /* Bad requests change nothing. */
    cr_expect_eq(alloc_frames(0, 1), INVALID_MFN);
    cr_expect_eq(alloc_frames(4, 0), INVALID_MFN);
    cr_expect_eq(alloc_frames(4, 3), INVALID_MFN);
    cr_expect_eq(alloc_frames(NFRAMES, 1), INVALID_MFN); /* more than is free */
    cr_expect_eq(frames_free(), before - taken);

    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
        free_frames(got[i], shapes[i][0]);
    cr_expect_eq(frames_free(), before);
    cr_expect_eq(frame_alloc_errors(), 0);
}

Test(frame_alloc, contiguous_skips_holes_and_fragments)
{
    /* RAM [0, 64) and [64+1, 256) frames: the hole at frame 64 splits the first 128-run. */
    struct mem_range ram[] = {{0, 64 * FRAME}, {65 * FRAME, 256 * FRAME}};

    cr_assert_eq(frame_alloc_init(ram, 2, NULL, 0, to_virt), 0);
    /* Bitmap takes frame 0; a 64-aligned run of 64 cannot start at 0 (bitmap) nor 64 (hole). */
    cr_expect_eq(alloc_frames(64, 64), 128);
    cr_expect_eq(alloc_frames(63, 1), 1);
    cr_expect_eq(alloc_frames(2, 1), 65);
    /* Fragment: free every other frame of the first run; a 2-run can't fit there any more. */
    for (uint64_t m = 1; m < 64; m += 2)
        free_frames(m, 1);
    cr_expect_eq(alloc_frames(2, 1), 67);
    cr_expect_eq(alloc_frames(1, 1), 1); /* singles still find the gaps */
    cr_expect_eq(frame_alloc_errors(), 0);
}

Test(frame_alloc, sparse_high_memory)
{
    /* 1 MiB low and 16 MiB at 4 GiB: the bitmap must live low, high frames are allocatable. */
    struct mem_range ram[] = {{4ULL << 30, (4ULL << 30) + (16 << 20)}, {0, 1 << 20}};

    cr_assert_eq(frame_alloc_init(ram, 2, NULL, 0, to_virt), 0);
    cr_expect_eq(max_ram_mfn(), (4ULL << 18) + 4096 - 1);
    cr_expect_eq(frames_total(), 256 + 4096);
    /* (2^20 + 4096) bits = 132 KiB of bitmap = 33 frames at the start of low RAM. */
    cr_expect_eq(frames_free(), 256 + 4096 - 33);
    /* 2^20 alignment (4 GiB): frame 0 is the bitmap, so the only fit is at 4 GiB. */
    cr_expect_eq(alloc_frames(2, 1UL << 20), 1ULL << 20);
    cr_expect_eq(alloc_frame(), 33);
    cr_expect_not(frame_is_ram(1ULL << 19));
}

Test(frame_alloc, unsorted_overlapping_ranges_merge)
{
    struct mem_range ram[] = {
        {8 * FRAME, 16 * FRAME},      {0, 10 * FRAME},
        {16 * FRAME, 20 * FRAME},     {2 * FRAME, 3 * FRAME},
        {30 * FRAME + 1, 31 * FRAME}, /* less than a frame: nothing */
        {40 * FRAME, 40 * FRAME},     /* empty */
        {50 * FRAME, 45 * FRAME},     /* inverted */
    };
    struct mem_range rsvd[] = {{19 * FRAME, 30 * FRAME}, {5 * FRAME, 5 * FRAME + 1}};

    cr_assert_eq(frame_alloc_init(ram, 7, rsvd, 2, to_virt), 0);
    cr_expect_eq(frames_total(), 20);
    cr_expect_eq(max_ram_mfn(), 19);
    /* 20 RAM frames - 1 reserved at 19 - 1 reserved at 5 - 1 bitmap frame. */
    cr_expect_eq(frames_free(), 17);
    cr_expect_eq(alloc_frame(), 1); /* the bitmap took frame 0 */
}

Test(frame_alloc, bitmap_avoids_reserved_frames)
{
    /* The start of RAM is reserved: the bitmap must go after it, not on top. */
    struct mem_range ram[] = {{0, 64 * FRAME}};
    struct mem_range rsvd[] = {{0, 10 * FRAME}, {11 * FRAME, 12 * FRAME}};

    cr_assert_eq(frame_alloc_init(ram, 1, rsvd, 2, to_virt), 0);
    cr_expect_eq(frames_free(), 64 - 11 - 1);
    cr_expect_eq(alloc_frame(), 12); /* frame 10 is the bitmap */
    free_frames(10, 1);
    cr_expect_eq(frame_alloc_errors(), 1);
}

Test(frame_alloc, bad_frees_are_counted_and_ignored)
{
    uint64_t a, run;

    init_pc();
    a = alloc_frame();
    run = alloc_frames(8, 8);
    unsigned long before = frames_free();

    static const struct {
        uint64_t mfn;
        unsigned long n; /* one line per scenario (after the run at `run` and frame `a`) */
    } bad[] = {
        {0xa0, 1},        /* not RAM: the legacy hole */
        {0x100, 1},       /* reserved */
        {NFRAMES, 1},     /* beyond the last RAM frame */
        {INVALID_MFN, 1}, /* INVALID_MFN itself */
        {NFRAMES - 1, 2}, /* runs off the end of RAM */
        {0x9e, 3},        /* runs from RAM into the hole */
        {0x9f, 0x62},     /* crosses the hole */
        {~0ULL - 1, 4},   /* mfn + n overflows */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        free_frames(bad[i].mfn, bad[i].n);
    cr_expect_eq(frame_alloc_errors(), sizeof(bad) / sizeof(bad[0]));

    /* Never allocated, and a run reaching one frame past an allocation: nothing freed. */
    unsigned long errs = frame_alloc_errors();
    free_frames(run + 8, 1);
    free_frames(run, 9);
    cr_expect_eq(frame_alloc_errors(), errs + 2);
    cr_expect_eq(frames_free(), before);

    /* Double free: the second one is the bug. */
    free_frames(a, 1);
    free_frames(a, 1);
    cr_expect_eq(frame_alloc_errors(), errs + 3);
    cr_expect_eq(frames_free(), before + 1);

    /* n == 0 is a no-op, not an error. */
    free_frames(run, 0);
    cr_expect_eq(frame_alloc_errors(), errs + 3);
}

Test(frame_alloc, init_failures)
{
    struct mem_range tiny[] = {{0, 4095}};
    struct mem_range all_rsvd[] = {{0, 16 * FRAME}};
    struct mem_range many[FRAME_ALLOC_MAX_RANGES + 1];

    cr_expect_eq(frame_alloc_init(NULL, 0, NULL, 0, to_virt), -XEN_ENOMEM); /* no RAM */
    cr_expect_eq(frame_alloc_init(tiny, 1, NULL, 0, to_virt), -XEN_ENOMEM); /* no whole frame */
    cr_expect_eq(frame_alloc_init(pc_ram, -1, NULL, 0, to_virt), -XEN_EINVAL);
    cr_expect_eq(frame_alloc_init(pc_ram, 2, NULL, -1, to_virt), -XEN_EINVAL);
    cr_expect_eq(frame_alloc_init(pc_ram, 2, NULL, 1, to_virt), -XEN_EINVAL);
    cr_expect_eq(frame_alloc_init(pc_ram, 2, NULL, 0, NULL), -XEN_EINVAL);
    /* All RAM reserved: nowhere for the bitmap. */
    cr_expect_eq(frame_alloc_init(all_rsvd, 1, all_rsvd, 1, to_virt), -XEN_ENOMEM);
    /* RAM only above the mapped fake memory: maddr_to_virt says no. */
    struct mem_range high[] = {{1ULL << 32, (1ULL << 32) + (1 << 20)}};
    cr_expect_eq(frame_alloc_init(high, 1, NULL, 0, to_virt), -XEN_ENOMEM);
    /* Too many distinct ranges to remember. */
    for (int i = 0; i <= FRAME_ALLOC_MAX_RANGES; i++)
        many[i] = (struct mem_range){(uint64_t)i * 2 * FRAME, (uint64_t)i * 2 * FRAME + FRAME};
    cr_expect_eq(frame_alloc_init(many, FRAME_ALLOC_MAX_RANGES + 1, NULL, 0, to_virt), -XEN_E2BIG);
    /* ...but as many as fit is fine. */
    cr_expect_eq(frame_alloc_init(many, FRAME_ALLOC_MAX_RANGES, NULL, 0, to_virt), 0);
    cr_expect_eq(frames_total(), FRAME_ALLOC_MAX_RANGES);

    /* After a failed init, everything fails politely. */
    cr_expect_eq(frame_alloc_init(NULL, 0, NULL, 0, to_virt), -XEN_ENOMEM);
    cr_expect_eq(alloc_frame(), INVALID_MFN);
    cr_expect_eq(alloc_frames(1, 1), INVALID_MFN);
    cr_expect_eq(frames_free(), 0);
    cr_expect_eq(max_ram_mfn(), INVALID_MFN);
    cr_expect_not(frame_is_ram(0));
    free_frames(0, 1);
    cr_expect_eq(frame_alloc_errors(), 1);
}

/* Next-fit: successive single allocations walk forward instead of reusing the lowest frame. */
Test(frame_alloc, next_fit_cursor)
{
    uint64_t a, b;

    init_pc();
    a = alloc_frame();
    b = alloc_frame();
    cr_expect_eq(b, a + 1);
    free_frames(a, 1);
    /* The cursor sits at a's word; a is free again, so it may be found first, or b + 1. */
    uint64_t c = alloc_frame();
    cr_expect(c == a || c == b + 1, "c 0x%lx", (unsigned long)c);
}
