/* SPDX-License-Identifier: MIT */
/* Physical frame allocator: one bit per machine frame, built from the boot memory map. */
#include <frame-alloc.h>

#include <public/errno.h>
#include <stddef.h>
#include <string.h>

#define FRAME_SHIFT 12
#define FRAME_SIZE  (1ULL << FRAME_SHIFT)
#define WORD_BITS   64

/* A frame range [start, end) in mfns. */
struct span {
    uint64_t start, end;
};

/*
 * The one allocator. Bit set = frame not available: allocated, reserved,
 * bookkeeping, a hole in RAM, or past the last RAM frame (padding bits).
 */
static struct {
    uint64_t *bitmap;
    uint64_t nr_frames; /* max RAM mfn + 1: frames covered by the bitmap */
    uint64_t nr_words;
    struct span ram[FRAME_ALLOC_MAX_RANGES]; /* sorted, merged */
    int nr_ram;
    struct span rsvd[FRAME_ALLOC_MAX_RANGES]; /* sorted, merged */
    int nr_rsvd;
    struct span self; /* the bitmap's own frames */
    unsigned long free, total, errors;
    uint64_t cursor; /* word where the next single-frame search starts */
} fa;

/* Portable popcount: a builtin could become a libgcc call in freestanding code. */
static unsigned int popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (unsigned int)((x * 0x0101010101010101ULL) >> 56);
}

/* Bits [lo, hi) of one word, 0 <= lo < hi <= 64. */
static uint64_t word_mask(unsigned int lo, unsigned int hi)
{
    uint64_t m = hi == WORD_BITS ? ~0ULL : (1ULL << hi) - 1;

    return m & ~((1ULL << lo) - 1);
}

/* Sets or clears bits [s, e) (e <= nr_frames); returns how many bits changed. */
static uint64_t bits_update(uint64_t s, uint64_t e, bool set)
{
    uint64_t changed = 0;

    while (s < e) {
        uint64_t w = s / WORD_BITS, old = fa.bitmap[w];
        unsigned int lo = s % WORD_BITS;
        unsigned int hi =
            e - w * WORD_BITS >= WORD_BITS ? WORD_BITS : (unsigned int)(e % WORD_BITS);
        uint64_t m = word_mask(lo, hi);

        fa.bitmap[w] = set ? old | m : old & ~m;
        changed += popcount64(old ^ fa.bitmap[w]);
        s = (w + 1) * WORD_BITS;
    }
    return changed;
}

/* First bit in [s, e) whose value is `set`, or e if there is none. */
static uint64_t bits_find(uint64_t s, uint64_t e, bool set)
{
    while (s < e) {
        uint64_t w = s / WORD_BITS;
        uint64_t v = (set ? fa.bitmap[w] : ~fa.bitmap[w]) & word_mask(s % WORD_BITS, WORD_BITS);

        if (v) {
            uint64_t bit = w * WORD_BITS + (uint64_t)__builtin_ctzll(v);
            return bit < e ? bit : e;
        }
        s = (w + 1) * WORD_BITS;
    }
    return e;
}

/* Adds [s, e) to a sorted list, merging with overlapping or touching spans. */
static int span_add(struct span *v, int *n, uint64_t s, uint64_t e)
{
    int i, w = 0;

    for (i = 0; i < *n; i++) {
        if (v[i].end < s || v[i].start > e) {
            v[w++] = v[i];
            continue;
        }
        s = v[i].start < s ? v[i].start : s;
        e = v[i].end > e ? v[i].end : e;
    }
    *n = w;
    if (*n == FRAME_ALLOC_MAX_RANGES)
        return -XEN_E2BIG;
    for (i = *n; i > 0 && v[i - 1].start > s; i--)
        v[i] = v[i - 1];
    v[i].start = s;
    v[i].end = e;
    (*n)++;
    return 0;
}

static const struct span *span_find(const struct span *v, int n, uint64_t mfn)
{
    int lo = 0, hi = n;

    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;

        if (mfn < v[mid].start)
            hi = mid;
        else if (mfn >= v[mid].end)
            lo = mid + 1;
        else
            return &v[mid];
    }
    return NULL;
}

static bool span_overlaps(const struct span *v, int n, uint64_t s, uint64_t e)
{
    for (int i = 0; i < n && v[i].start < e; i++)
        if (v[i].end > s)
            return true;
    return false;
}

/* Lowest run of n RAM frames clear of every reserved span; false if none. */
static bool find_bitmap_home(uint64_t n, uint64_t *where)
{
    for (int i = 0; i < fa.nr_ram; i++) {
        uint64_t c = fa.ram[i].start;

        while (fa.ram[i].end - c >= n) {
            bool moved = false;

            for (int r = 0; r < fa.nr_rsvd; r++) {
                if (fa.rsvd[r].start < c + n && fa.rsvd[r].end > c) {
                    c = fa.rsvd[r].end; /* sorted: later spans start after this one */
                    moved = true;
                }
            }
            if (!moved) {
                *where = c;
                return true;
            }
            if (c >= fa.ram[i].end)
                break;
        }
    }
    return false;
}

static int collect_ranges(const struct mem_range *ram, int nr_ram, const struct mem_range *reserved,
                          int nr_reserved)
{
    int rc;

    for (int i = 0; i < nr_ram; i++) {
        /* RAM shrinks to whole frames: a partial frame is not ours to hand out. */
        uint64_t s, e = ram[i].end >> FRAME_SHIFT;

        if (ram[i].start > UINT64_MAX - (FRAME_SIZE - 1))
            continue;
        s = (ram[i].start + FRAME_SIZE - 1) >> FRAME_SHIFT;
        if (e > FRAME_ALLOC_MAX_MFN + 1)
            e = FRAME_ALLOC_MAX_MFN + 1;
        if (s >= e)
            continue;
        rc = span_add(fa.ram, &fa.nr_ram, s, e);
        if (rc)
            return rc;
    }
    for (int i = 0; i < nr_reserved; i++) {
        /* Reserved grows to whole frames: a partly reserved frame is reserved. */
        uint64_t s = reserved[i].start >> FRAME_SHIFT;
        uint64_t e = (reserved[i].end >> FRAME_SHIFT) + ((reserved[i].end & (FRAME_SIZE - 1)) != 0);

        if (reserved[i].start >= reserved[i].end)
            continue;
        rc = span_add(fa.rsvd, &fa.nr_rsvd, s, e);
        if (rc)
            return rc;
    }
    return 0;
}

int frame_alloc_init(const struct mem_range *ram, int nr_ram, const struct mem_range *reserved,
                     int nr_reserved, void *(*maddr_to_virt)(uint64_t maddr))
{
    uint64_t bm_frames, home;
    int rc;

    memset(&fa, 0, sizeof(fa));
    if (nr_ram < 0 || nr_reserved < 0 || (nr_ram && !ram) || (nr_reserved && !reserved) ||
        !maddr_to_virt)
        return -XEN_EINVAL;
    rc = collect_ranges(ram, nr_ram, reserved, nr_reserved);
    if (rc)
        goto fail;
    if (fa.nr_ram == 0) {
        rc = -XEN_ENOMEM;
        goto fail;
    }

    fa.nr_frames = fa.ram[fa.nr_ram - 1].end;
    fa.nr_words = (fa.nr_frames + WORD_BITS - 1) / WORD_BITS;
    bm_frames = (fa.nr_words * sizeof(uint64_t) + FRAME_SIZE - 1) >> FRAME_SHIFT;
    if (!find_bitmap_home(bm_frames, &home)) {
        rc = -XEN_ENOMEM;
        goto fail;
    }
    fa.bitmap = maddr_to_virt(home << FRAME_SHIFT);
    if (!fa.bitmap) {
        rc = -XEN_ENOMEM;
        goto fail;
    }
    fa.self.start = home;
    fa.self.end = home + bm_frames;

    /* Start with nothing available, open up RAM, then close reserved and our own frames. */
    memset(fa.bitmap, 0xff, fa.nr_words * sizeof(uint64_t));
    for (int i = 0; i < fa.nr_ram; i++) {
        fa.free += bits_update(fa.ram[i].start, fa.ram[i].end, false);
        fa.total += fa.ram[i].end - fa.ram[i].start;
    }
    for (int i = 0; i < fa.nr_rsvd && fa.rsvd[i].start < fa.nr_frames; i++) {
        uint64_t e = fa.rsvd[i].end < fa.nr_frames ? fa.rsvd[i].end : fa.nr_frames;

        fa.free -= bits_update(fa.rsvd[i].start, e, true);
    }
    fa.free -= bits_update(fa.self.start, fa.self.end, true);
    return 0;

fail:
    memset(&fa, 0, sizeof(fa));
    return rc;
}

uint64_t alloc_frame(void)
{
    uint64_t w;

    if (fa.free == 0)
        return INVALID_MFN;
    /* Next-fit: from the cursor to the end, then wrap around to the start. */
    for (uint64_t i = 0; i < fa.nr_words; i++) {
        w = fa.cursor + i;
        if (w >= fa.nr_words)
            w -= fa.nr_words;
        if (fa.bitmap[w] != ~0ULL) {
            uint64_t mfn = w * WORD_BITS + (uint64_t)__builtin_ctzll(~fa.bitmap[w]);

            fa.bitmap[w] |= 1ULL << (mfn % WORD_BITS);
            fa.free--;
            fa.cursor = w;
            return mfn;
        }
    }
    return INVALID_MFN; /* unreachable while fa.free is right */
}

uint64_t alloc_frames(unsigned long n, unsigned long align)
{
    uint64_t c = 0;

    if (n == 0 || align == 0 || (align & (align - 1)) || n > fa.free)
        return INVALID_MFN;
    /* Lowest fit: jump past each used frame to the next aligned candidate. */
    while (c <= fa.nr_frames && fa.nr_frames - c >= n) {
        uint64_t used = bits_find(c, c + n, true);

        if (used == c + n) {
            bits_update(c, c + n, true);
            fa.free -= n;
            return c;
        }
        if (used > UINT64_MAX - align)
            break;
        c = (used + align) & ~((uint64_t)align - 1);
    }
    return INVALID_MFN;
}

void free_frames(uint64_t mfn, unsigned long n)
{
    const struct span *r;
    uint64_t end;

    if (n == 0)
        return;
    /* Check everything first: a bad request frees nothing. */
    r = fa.bitmap ? span_find(fa.ram, fa.nr_ram, mfn) : NULL;
    if (!r || __builtin_add_overflow(mfn, (uint64_t)n, &end) || end > r->end ||
        span_overlaps(fa.rsvd, fa.nr_rsvd, mfn, end) ||
        (mfn < fa.self.end && end > fa.self.start) || bits_find(mfn, end, false) != end) {
        fa.errors++;
        return;
    }
    bits_update(mfn, end, false);
    fa.free += n;
}

unsigned long frames_free(void)
{
    return fa.free;
}

unsigned long frames_total(void)
{
    return fa.total;
}

uint64_t max_ram_mfn(void)
{
    return fa.nr_frames ? fa.nr_frames - 1 : INVALID_MFN;
}

bool frame_is_ram(uint64_t mfn)
{
    return span_find(fa.ram, fa.nr_ram, mfn) != NULL;
}

unsigned long frame_alloc_errors(void)
{
    return fa.errors;
}
