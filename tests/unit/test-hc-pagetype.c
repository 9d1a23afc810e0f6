/* SPDX-License-Identifier: MIT */
/*
 * Table tests of the page-type system (xen-lite/common/page-type.c) against the rules of
 * docs/page-types.md: validation of whole guest page-table hierarchies, mod_pt_entry, type
 * changes through pin/unpin/NEW_BASEPTR, and the TLB flush after a type drop.
 *
 * Each row builds its frames from untyped frames of domu (entries written straight into
 * them; .priv rows: dom0), runs one operation, and checks the result and then EVERY frame of the
 * machine: the ones the row names must hold exactly the counts and type it gives, every other one
 * must be exactly as before (so a refused operation must leave everything as it was).  A successful
 * row is then released and must give back everything it took.
 */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <public/xen.h>
#include <page-type.h>
#include <paging.h>
#include "harness/harness.h"

/* Table rows leave trailing fields out (a zero is what they mean). */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* ---- Frames a row names ---- */

enum {
    A = 1, /* fresh frames of the table owner (domu; dom0 in .priv rows): A is under test */
    B,
    C,
    D,
    E,
    F,
    G,
    H,
    NFRAMES,
    FOR = NFRAMES, /* an untyped frame of the other domain */
    UNOWNED,       /* mfn 5: RAM that no domain owns (the reserved first MiB) */
    NONRAM,        /* the first mfn past the frame table: not RAM, within the address width */
    PA_TOP,        /* the last mfn within the CPU's physical address width (not RAM) */
    PA_OVER,       /* the first mfn beyond it */
    HUGE,          /* the largest mfn an entry can hold */
    SHINFO,        /* the owner's shared_info frame (xen_heap, writable for good) */
    RAW,           /* no frame: the entry is the flags value as given */
    NTARGETS
};

static const char *const target_names[NTARGETS] = {
    "-", "A",   "B",       "C",      "D",      "E",       "F",    "G",
    "H", "FOR", "UNOWNED", "NONRAM", "PA_TOP", "PA_OVER", "HUGE", "SHINFO",
};

/* Entry flags. */
#define RO     X86_PTE_P                /* present, read-only */
#define RW     (X86_PTE_P | X86_PTE_RW) /* present, writable */
#define WBIT   X86_PTE_RW               /* RW without P */
#define US     X86_PTE_US
#define ACC    X86_PTE_A
#define DIRTY  X86_PTE_D
#define PSE    X86_PTE_PSE
#define PAT    X86_PTE_PAT
#define PCD    X86_PTE_PCD
#define PWT    X86_PTE_PWT
#define GLB    X86_PTE_G
#define AVAIL  X86_PTE_AVAIL
#define NX     X86_PTE_NX
#define BIT(n) (1ULL << (n))
#define HIGH   0x7ff0000000000000ULL /* bits 52-62: the guest's */

/* Types and answers. */
#define L1_  PGT_l1
#define L2_  PGT_l2
#define L3_  PGT_l3
#define L4_  PGT_l4
#define NO_  PGT_none
#define WR_  PGT_writable
#define SD_  PGT_seg_desc
#define EINV (-XEN_EINVAL)
#define EBSY (-XEN_EBUSY)
#define EPRM (-XEN_EPERM)

/* Entry value n (0 = 1) times from slot i on: frame `to` with flags fl. */
struct ent {
    uint8_t t;   /* the frame the entry is written into (0 ends a list) */
    uint16_t i;  /* slot */
    uint8_t to;  /* target */
    uint64_t fl; /* flags (RAW: the whole value) */
    uint16_t n;  /* how many consecutive slots (0: one) */
};

/* A frame's state after the operation. */
struct st {
    uint8_t f; /* 0 ends a list */
    uint32_t count;
    uint8_t type;
    uint32_t tc;
    int16_t lin; /* page_info.linear: > 0 linear entries it has, < 0 linear uses of it */
};

/* A frame validated for real (get_page_and_type) before the row's operation, in order. */
struct pre {
    uint8_t f;
    uint8_t level;
};

#define MAXE 10
#define MAXW 8
#define MAXP 2

static uint64_t mfn_of[NTARGETS];
static struct domain *owner; /* of A..H */

/* Allocates A..H (with the types ty gives them, held once as if in use) and the others. */
static void make_frames(const uint8_t ty[NFRAMES], bool priv)
{
    struct domain *other = priv ? domu : dom0;

    owner = priv ? dom0 : domu;
    for (unsigned int f = A; f < NFRAMES; f++)
        mfn_of[f] = domain_frame(owner, (enum page_type)ty[f]);
    mfn_of[FOR] = domain_frame(other, PGT_none);
    mfn_of[UNOWNED] = 5;
    mfn_of[NONRAM] = frame_table_size;
    mfn_of[PA_TOP] = (1ULL << (paddr_bits - 12)) - 1;
    mfn_of[PA_OVER] = 1ULL << (paddr_bits - 12);
    mfn_of[HUGE] = X86_PTE_ADDR_MASK >> 12;
    mfn_of[SHINFO] = owner->shared_info_mfn;
    cr_assert_gt(mfn_of[PA_TOP], frame_table_size);
}

static uint64_t *slot(uint8_t f, unsigned int i)
{
    return (uint64_t *)mfn_to_virt(mfn_of[f]) + i;
}

static uint64_t val_of(uint8_t to, uint64_t fl)
{
    return to == RAW ? fl : X86_PTE_MAKE(mfn_of[to], fl);
}

static void write_entries(const struct ent *e)
{
    for (; e->t; e++)
        for (unsigned int k = 0; k < (e->n ? e->n : 1u); k++)
            *slot(e->t, e->i + k) = val_of(e->to, e->fl);
}

static void take_pre(const char *what, const struct pre *p)
{
    for (unsigned int k = 0; k < MAXP && p[k].f; k++)
        cr_assert_eq(get_page_and_type(mfn_of[p[k].f], owner, (enum page_type)p[k].level), 0,
                     "%s: setup: %s as L%u", what, target_names[p[k].f], p[k].level);
}

/* Gives back A's reference and then (last first) the setup's validations. */
static void release_all(const struct pre *p)
{
    put_page_and_type(mfn_of[A]);
    for (unsigned int k = MAXP; k--;)
        if (p[k].f)
            put_page_and_type(mfn_of[p[k].f]);
}

/* A copy of the whole frame table (a test takes at most three). */
static struct page_info *snapshot(void)
{
    static struct page_info snaps[3][FAKE_RAM_BYTES / 4096];
    static unsigned int taken;

    cr_assert(taken < ARRAY_SIZE(snaps) && frame_table_size <= ARRAY_SIZE(snaps[0]));
    memcpy(snaps[taken], frame_table, frame_table_size * sizeof(*frame_table));
    return snaps[taken++];
}

static const char *frame_name(uint64_t mfn)
{
    static char buf[32];

    for (unsigned int f = A; f < RAW; f++)
        if (mfn_of[f] == mfn)
            return target_names[f];
    snprintf(buf, sizeof(buf), "mfn %lu", (unsigned long)mfn);
    return buf;
}

static const struct st *find_want(const struct st *want, unsigned int n, uint64_t mfn)
{
    for (unsigned int k = 0; want && k < n && want[k].f; k++)
        if (mfn_of[want[k].f] == mfn)
            return &want[k];
    return NULL;
}

/*
 * Every frame of the machine: those in want (up to n) hold exactly what it says, every
 * other one (owner, counts, type, linear, flags) is exactly as in before.  No flag may
 * change (PGF_validating left behind, pins).
 */
static void assert_frames(const char *what, const struct page_info *before, const struct st *want,
                          unsigned int n)
{
    for (uint64_t m = 0; m < frame_table_size; m++) {
        const struct page_info *pg = &frame_table[m], *b = &before[m];
        const struct st *w = find_want(want, n, m);

        cr_assert(pg->owner == b->owner && pg->flags == b->flags,
                  "%s: frame %s: owner/flags %p/%#x, were %p/%#x", what, frame_name(m),
                  (void *)pg->owner, pg->flags, (void *)b->owner, b->flags);
        if (w)
            cr_assert(pg->count == w->count && pg->type == w->type && pg->type_count == w->tc &&
                          pg->linear == w->lin,
                      "%s: frame %s: count %u type %u type_count %u linear %d, want %u %u %u %d",
                      what, frame_name(m), pg->count, pg->type, pg->type_count, pg->linear,
                      w->count, w->type, w->tc, w->lin);
        else
            cr_assert(pg->count == b->count && pg->type == b->type &&
                          pg->type_count == b->type_count && pg->linear == b->linear,
                      "%s: frame %s changed: count %u type %u type_count %u linear %d, were "
                      "%u %u %u %d",
                      what, frame_name(m), pg->count, pg->type, pg->type_count, pg->linear,
                      b->count, b->type, b->type_count, b->linear);
    }
}

/* The level of the validated table f, or 0. */
static unsigned int table_level(uint8_t f)
{
    const struct page_info *pg = mfn_to_page(mfn_of[f]);

    return page_type_is_table(pg->type) && pg->type_count ? pg->type : 0;
}

/* What a validated table of `level` must hold for an entry written as v (rule 5). */
static uint64_t adjusted(uint64_t v, unsigned int level)
{
    if (!(v & X86_PTE_P))
        return v;
    v |= US;
    return level == 1 ? v & ~GLB : v;
}

/* Entries of tables that ended validated were adjusted; hypervisor slots are checked apart. */
static void assert_entries_adjusted(const char *what, const struct ent *e)
{
    for (; e->t; e++) {
        unsigned int level = table_level(e->t);

        for (unsigned int k = 0; level && k < (e->n ? e->n : 1u); k++) {
            unsigned int i = e->i + k;

            if (level == 4 && i >= HV_L4_FIRST && i <= HV_L4_LAST)
                continue;
            cr_assert_eq(*slot(e->t, i), adjusted(val_of(e->to, e->fl), level), "%s: %s[%u] = %#lx",
                         what, target_names[e->t], i, *slot(e->t, i));
        }
    }
}

/* A validated L4 holds the hypervisor's slots, as install_hypervisor_slots() gives them. */
static void assert_hv_slots(const char *what, uint8_t f)
{
    uint64_t ref[X86_PT_ENTRIES] = {0};

    install_hypervisor_slots(ref);
    cr_assert_neq(ref[l4_index(RO_MPT_VIRT_START)], 0, "no M2P slot to compare");
    for (unsigned int i = HV_L4_FIRST; i <= HV_L4_LAST; i++)
        cr_assert_eq(*slot(f, i), ref[i], "%s: %s[%u] = %#lx, hypervisor's %#lx", what,
                     target_names[f], i, *slot(f, i), ref[i]);
}

/* ======================================================================================== */
/* Validation: A is validated as an L<level> table (get_page_and_type, as a pin does).        */
/* ======================================================================================== */

struct vrow {
    const char *what;
    uint8_t level;        /* A is validated as L<level> */
    struct ent e[MAXE];   /* entries written beforehand */
    uint8_t ty[NFRAMES];  /* types given beforehand (held once, as if in use) */
    struct pre pre[MAXP]; /* validated for real beforehand */
    int rc;
    struct st want[MAXW]; /* after success (A: {1, L<level>, 1} unless listed) */
    bool priv;            /* the tables are dom0's (FOR is then domu's) */
};

/* clang-format off */
static const struct vrow vrows[] = {
    /* ---- L1 (rules 1, 2, 4, 5) ---- */
    /* An empty L1: only the type reference on itself. */
    {"L1 empty", 1, {{0}}, {0}, {{0}}, 0, {{0}}},
    /* Non-present entries: any junk in the other bits, foreign or bogus frames included. */
    {"L1 non-present junk", 1, {{A, 0, RAW, ~X86_PTE_P}, {A, 1, FOR, WBIT | GLB | PSE | PCD},
      {A, 2, NONRAM, WBIT | PAT}, {A, 3, A, WBIT}, {A, 511, HUGE, WBIT | NX}}, {0}, {{0}}, 0, {{0}}},
    /* RO mapping of an own untyped frame: a general reference, no type. */
    {"L1 RO own frame", 1, {{A, 0, B, RO}}, {0}, {{0}}, 0, {{B, 1, NO_, 0}}},
    /* RW mapping: a general reference and the writable type. */
    {"L1 RW own frame", 1, {{A, 0, B, RW}}, {0}, {{0}}, 0, {{B, 1, WR_, 1}}},
    /* The same frame mapped RW twice: two of each. */
    {"L1 RW twice", 1, {{A, 0, B, RW}, {A, 9, B, RW}}, {0}, {{0}}, 0, {{B, 2, WR_, 2}}},
    /* RO and RW of one frame: two references, one writable holder. */
    {"L1 RO+RW", 1, {{A, 0, B, RO}, {A, 1, B, RW}}, {0}, {{0}}, 0, {{B, 2, WR_, 1}}},
    /* The first and the last slot (validated, and given back on release). */
    {"L1 slots 0 and 511", 1, {{A, 0, B, RW}, {A, 511, C, RW}}, {0}, {{0}}, 0,
     {{B, 1, WR_, 1}, {C, 1, WR_, 1}}},
    /* 300 RW mappings of one frame. */
    {"L1 RW x300", 1, {{A, 100, B, RW, 300}}, {0}, {{0}}, 0, {{B, 300, WR_, 300}}},
    /* Another domain's frame, RO or RW; RAM nobody owns (rule 1: busy). */
    {"L1 RO foreign", 1, {{A, 0, FOR, RO}}, {0}, {{0}}, EBSY, {{0}}},
    {"L1 RW foreign", 1, {{A, 0, FOR, RW}}, {0}, {{0}}, EBSY, {{0}}},
    {"L1 unowned RAM", 1, {{A, 0, UNOWNED, RO}}, {0}, {{0}}, EBSY, {{0}}},
    /* Not RAM but addressable (I/O memory): -EPERM; beyond the address width: -EINVAL. */
    {"L1 past RAM", 1, {{A, 0, NONRAM, RO}}, {0}, {{0}}, EPRM, {{0}}},
    {"L1 last addressable mfn", 1, {{A, 0, PA_TOP, RW}}, {0}, {{0}}, EPRM, {{0}}},
    {"L1 first mfn past the address width", 1, {{A, 0, PA_OVER, RO}}, {0}, {{0}}, EINV, {{0}}},
    {"L1 largest mfn", 1, {{A, 0, HUGE, RO}}, {0}, {{0}}, EINV, {{0}}},
    /* The owner's shared_info: mappable RW, on top of the writable type it holds for good. */
    {"L1 RW shared_info", 1, {{A, 0, SHINFO, RW}}, {0}, {{0}}, 0, {{SHINFO, 1, WR_, 2}}},
    {"L1 RO shared_info", 1, {{A, 0, SHINFO, RO}}, {0}, {{0}}, 0, {{SHINFO, 1, WR_, 1}}},
    /* Page-table and descriptor frames: never RW (rule 2: busy)... */
    {"L1 RW of an L1", 1, {{A, 0, B, RW}}, {[B] = L1_}, {{0}}, EBSY, {{0}}},
    {"L1 RW of an L2", 1, {{A, 0, B, RW}}, {[B] = L2_}, {{0}}, EBSY, {{0}}},
    {"L1 RW of an L3", 1, {{A, 0, B, RW}}, {[B] = L3_}, {{0}}, EBSY, {{0}}},
    {"L1 RW of an L4", 1, {{A, 0, B, RW}}, {[B] = L4_}, {{0}}, EBSY, {{0}}},
    {"L1 RW of a seg_desc", 1, {{A, 0, B, RW}}, {[B] = SD_}, {{0}}, EBSY, {{0}}},
    /* ...always RO, without touching their type. */
    {"L1 RO of an L1", 1, {{A, 0, B, RO}}, {[B] = L1_}, {{0}}, 0, {{B, 1, L1_, 1}}},
    {"L1 RO of an L2", 1, {{A, 0, B, RO}}, {[B] = L2_}, {{0}}, 0, {{B, 1, L2_, 1}}},
    {"L1 RO of an L3", 1, {{A, 0, B, RO}}, {[B] = L3_}, {{0}}, 0, {{B, 1, L3_, 1}}},
    {"L1 RO of an L4", 1, {{A, 0, B, RO}}, {[B] = L4_}, {{0}}, 0, {{B, 1, L4_, 1}}},
    {"L1 RO of a seg_desc", 1, {{A, 0, B, RO}}, {[B] = SD_}, {{0}}, 0, {{B, 1, SD_, 1}}},
    /* A frame validated for real as an L1: RO fine, RW refused. */
    {"L1 RO of a validated L1", 1, {{A, 0, B, RO}}, {0}, {{B, 1}}, 0, {{B, 2, L1_, 1}}},
    {"L1 RW of a validated L1", 1, {{A, 0, B, RW}}, {0}, {{B, 1}}, EBSY, {{0}}},
    /* The L1 mapping itself: RO only (it is being validated). */
    {"L1 RO of itself", 1, {{A, 0, A, RO}}, {0}, {{0}}, 0, {{A, 2, L1_, 1}}},
    {"L1 RW of itself", 1, {{A, 0, A, RW}}, {0}, {{0}}, EBSY, {{0}}},
    /* Bits 52-62 are the guest's (rule 4), NX too. */
    {"L1 bits 52-62, NX", 1, {{A, 0, B, RW | HIGH}, {A, 1, C, RO | BIT(52)}, {A, 2, D, RW | NX}},
     {0}, {{0}}, 0, {{B, 1, WR_, 1}, {C, 1, NO_, 0}, {D, 1, WR_, 1}}},
    /* Cache attributes: not in an unprivileged domain's L1 (rule 4)... */
    {"L1 PAT", 1, {{A, 0, B, RW | PAT}}, {0}, {{0}}, EINV, {{0}}},
    {"L1 PCD", 1, {{A, 0, B, RO | PCD}}, {0}, {{0}}, EINV, {{0}}},
    {"L1 PWT", 1, {{A, 0, B, RW | PWT}}, {0}, {{0}}, EINV, {{0}}},
    /* ...but in dom0's. */
    {"dom0 L1 PAT PCD PWT", 1, {{A, 0, B, RW | PAT | PCD | PWT}, {A, 1, C, RO | PCD}}, {0}, {{0}},
     0, {{B, 1, WR_, 1}, {C, 1, NO_, 0}}, .priv = true},
    /* The software bits and A/D: fine. */
    {"L1 AVAIL A D", 1, {{A, 0, B, RO | AVAIL | ACC | DIRTY}}, {0}, {{0}}, 0, {{B, 1, NO_, 0}}},
    /* G and U given: stored with U, without G (rule 5, checked for every row). */
    {"L1 G and U", 1, {{A, 0, B, RW | GLB}, {A, 1, C, RO | US | GLB}}, {0}, {{0}}, 0,
     {{B, 1, WR_, 1}, {C, 1, NO_, 0}}},
    /* A bad entry last: everything the good ones took is given back (rule 3). */
    {"L1 bad last", 1, {{A, 0, B, RW}, {A, 1, C, RO}, {A, 2, B, RW}, {A, 3, D, RW, 200},
      {A, 511, FOR, RO}}, {0}, {{0}}, EBSY, {{0}}},
    /* A bad entry first. */
    {"L1 bad first", 1, {{A, 0, B, RO | PCD}, {A, 1, C, RW}}, {0}, {{0}}, EINV, {{0}}},

    /* ---- L2 ---- */
    /* An own untyped frame below: validated as an L1, with everything it maps. */
    {"L2 -> L1", 2, {{A, 0, B, RW}, {B, 0, C, RO}, {B, 1, D, RW}}, {0}, {{0}}, 0,
     {{B, 1, L1_, 1}, {C, 1, NO_, 0}, {D, 1, WR_, 1}}},
    /* A read-only L2 entry: still an L1 below (RO only links validated same-level tables). */
    {"L2 -RO-> L1", 2, {{A, 0, B, RO}}, {0}, {{0}}, 0, {{B, 1, L1_, 1}}},
    /* An L1 below with a bad entry: both undone, the L1's answer passed up. */
    {"L2 -> bad L1", 2, {{A, 0, B, RW}, {B, 0, C, RW}, {B, 7, FOR, RO}}, {0}, {{0}}, EBSY, {{0}}},
    /* A good L1 then a bad one: the good one devalidated again. */
    {"L2 -> L1, bad L1", 2, {{A, 0, B, RW}, {B, 0, C, RW}, {A, 1, D, RW}, {D, 3, E, RO | PWT}},
     {0}, {{0}}, EINV, {{0}}},
    /* Superpages, global, cache attributes: not above L1 (rule 4). */
    {"L2 PSE", 2, {{A, 0, B, RW | PSE}}, {0}, {{0}}, EINV, {{0}}},
    {"L2 PSE RO", 2, {{A, 0, B, RO | PSE}}, {0}, {{0}}, EINV, {{0}}},
    {"L2 G", 2, {{A, 0, B, RW | GLB}}, {0}, {{0}}, EINV, {{0}}},
    {"L2 PWT", 2, {{A, 0, B, RW | PWT}}, {0}, {{0}}, EINV, {{0}}},
    {"L2 PCD", 2, {{A, 0, B, RW | PCD}}, {0}, {{0}}, EINV, {{0}}},
    /* ... not even for dom0. */
    {"dom0 L2 PCD", 2, {{A, 0, B, RW | PCD}}, {0}, {{0}}, EINV, {{0}}, .priv = true},
    /* Those bits in a non-present entry mean nothing. */
    {"L2 non-present PSE G", 2, {{A, 0, B, WBIT | PSE | GLB}}, {0}, {{0}}, 0, {{0}}},
    /* Bits 52-62, NX, A, U: fine. */
    {"L2 bits 52-62, NX, A, U", 2, {{A, 0, B, RW | HIGH | NX | ACC | US}}, {0}, {{0}}, 0,
     {{B, 1, L1_, 1}}},
    /* A frame mapped writable somewhere cannot be an L1 (rule 2). */
    {"L2 -> writable", 2, {{A, 0, B, RW}}, {[B] = WR_}, {{0}}, EINV, {{0}}},
    /* ... even when that mapping comes from an earlier L1 of the same L2. */
    {"L2 -> L1 mapping C RW, -> C", 2, {{A, 0, B, RW}, {B, 0, C, RW}, {A, 1, C, RW}}, {0}, {{0}},
     EINV, {{0}}},
    /* ... and the other way round: C an L1 first, then an L1 mapping it RW. */
    {"L2 -> C, -> L1 mapping C RW", 2, {{A, 0, C, RW}, {A, 1, B, RW}, {B, 0, C, RW}}, {0}, {{0}},
     EBSY, {{0}}},
    /* shared_info holds the writable type for good: never a page table. */
    {"L2 -> shared_info", 2, {{A, 0, SHINFO, RW}}, {0}, {{0}}, EINV, {{0}}},
    /* Tables of other levels, descriptor frames. */
    {"L2 -> an L3", 2, {{A, 0, B, RO}}, {[B] = L3_}, {{0}}, EINV, {{0}}},
    {"L2 -> an L4", 2, {{A, 0, B, RW}}, {[B] = L4_}, {{0}}, EINV, {{0}}},
    {"L2 -> a seg_desc", 2, {{A, 0, B, RW}}, {[B] = SD_}, {{0}}, EINV, {{0}}},
    /* Frames not the table owner's (rule 1). */
    {"L2 -> foreign", 2, {{A, 0, FOR, RW}}, {0}, {{0}}, EINV, {{0}}},
    {"L2 -RO-> foreign", 2, {{A, 0, FOR, RO}}, {0}, {{0}}, EINV, {{0}}},
    {"dom0 L2 -> domU", 2, {{A, 0, FOR, RW}}, {0}, {{0}}, EINV, {{0}}, .priv = true},
    {"L2 -> unowned RAM", 2, {{A, 0, UNOWNED, RW}}, {0}, {{0}}, EINV, {{0}}},
    {"L2 -> past RAM", 2, {{A, 0, NONRAM, RW}}, {0}, {{0}}, EINV, {{0}}},
    {"L2 -> past the address width", 2, {{A, 0, PA_OVER, RW}}, {0}, {{0}}, EINV, {{0}}},
    /* Linear: the L2 itself, RO only (rule 6): a general reference, no type. */
    {"L2 -RO-> itself", 2, {{A, 5, A, RO}}, {0}, {{0}}, 0, {{A, 2, L2_, 1}}},
    {"L2 -RW-> itself", 2, {{A, 5, A, RW}}, {0}, {{0}}, EINV, {{0}}},
    /* Linear: another L2 already validated, RO only; both sides keep count of the link. */
    {"L2 -RO-> validated L2", 2, {{A, 0, B, RO}, {B, 0, C, RW}}, {0}, {{B, 2}}, 0,
     {{A, 1, L2_, 1, 1}, {B, 2, L2_, 2, -1}, {C, 1, L1_, 1}}},
    {"L2 -RW-> validated L2", 2, {{A, 0, B, RW}}, {0}, {{B, 2}}, EINV, {{0}}},
    /* Linear links never chain (XSA-240): not to an L2 that has linear entries itself... */
    {"L2 -RO-> L2 with a linear entry", 2, {{A, 0, B, RO}, {B, 0, C, RO}}, {0}, {{C, 2}, {B, 2}},
     EINV, {{0}}},
    /* ... but to one that is already a linear target, or maps only itself. */
    {"L2 -RO-> L2 already linked", 2, {{A, 0, B, RO}, {C, 0, B, RO}}, {0}, {{B, 2}, {C, 2}}, 0,
     {{A, 1, L2_, 1, 1}, {B, 3, L2_, 3, -2}}},
    {"L2 -RO-> L2 mapping itself", 2, {{A, 0, B, RO}, {B, 1, B, RO}}, {0}, {{B, 2}}, 0,
     {{A, 1, L2_, 1, 1}, {B, 3, L2_, 2, -1}}},
    /* Several linear links from one table, its own self-map besides. */
    {"L2 -RO-> two L2s and itself", 2, {{A, 0, B, RO}, {A, 1, C, RO}, {A, 2, A, RO}}, {0},
     {{B, 2}, {C, 2}}, 0, {{A, 2, L2_, 1, 2}, {B, 2, L2_, 2, -1}, {C, 2, L2_, 2, -1}}},
    /* An L1 already validated: one more type holder. */
    {"L2 -> validated L1", 2, {{A, 0, B, RW}, {B, 0, C, RW}}, {0}, {{B, 1}}, 0,
     {{B, 2, L1_, 2}, {C, 1, WR_, 1}}},
    /* The same L1 from two slots: validated once, two holders. */
    {"L2 -> L1 twice", 2, {{A, 0, B, RW}, {A, 1, B, RO}, {B, 0, C, RW}}, {0}, {{0}}, 0,
     {{B, 2, L1_, 2}, {C, 1, WR_, 1}}},
    /* An L1 mapping the L2 above it RO: a general reference only. */
    {"L2 -> L1 -RO-> the L2", 2, {{A, 0, B, RW}, {B, 0, A, RO}}, {0}, {{0}}, 0,
     {{A, 2, L2_, 1}, {B, 1, L1_, 1}}},
    /* ... RW: refused (the L2 is a table in the making). */
    {"L2 -> L1 -RW-> the L2", 2, {{A, 0, B, RW}, {B, 0, A, RW}}, {0}, {{0}}, EBSY, {{0}}},
    /* An L1 mapping itself RO inside the hierarchy. */
    {"L2 -> L1 -RO-> itself", 2, {{A, 0, B, RW}, {B, 4, B, RO}}, {0}, {{0}}, 0,
     {{B, 2, L1_, 1}}},

    /* ---- L3 ---- */
    /* A whole hierarchy below: L2, L1, data. */
    {"L3 -> L2 -> L1", 3, {{A, 0, B, RW}, {B, 0, C, RW}, {C, 0, D, RW}, {C, 1, E, RO}}, {0},
     {{0}}, 0, {{B, 1, L2_, 1}, {C, 1, L1_, 1}, {D, 1, WR_, 1}, {E, 1, NO_, 0}}},
    {"L3 PSE", 3, {{A, 0, B, RW | PSE}}, {0}, {{0}}, EINV, {{0}}},
    {"L3 G", 3, {{A, 0, B, RW | GLB}}, {0}, {{0}}, EINV, {{0}}},
    {"L3 -> writable", 3, {{A, 0, B, RW}}, {[B] = WR_}, {{0}}, EINV, {{0}}},
    {"L3 -> foreign", 3, {{A, 0, FOR, RW}}, {0}, {{0}}, EINV, {{0}}},
    {"L3 -> an L1", 3, {{A, 0, B, RW}}, {[B] = L1_}, {{0}}, EINV, {{0}}},
    /* A loop: L3 A -> L2 B -> A as an L1 (rule 6), RW or RO. */
    {"loop L3 -> L2 -> the L3", 3, {{A, 0, B, RW}, {B, 0, A, RW}}, {0}, {{0}}, EINV, {{0}}},
    {"loop L3 -> L2 -RO-> the L3", 3, {{A, 0, B, RW}, {B, 0, A, RO}}, {0}, {{0}}, EINV, {{0}}},
    /* An L2 mapping itself RO inside the hierarchy. */
    {"L3 -> L2 -RO-> itself", 3, {{A, 0, B, RW}, {B, 3, B, RO}}, {0}, {{0}}, 0,
     {{B, 2, L2_, 1}}},
    {"L3 -> L2 -RW-> itself", 3, {{A, 0, B, RW}, {B, 3, B, RW}}, {0}, {{0}}, EINV, {{0}}},
    /* The L3 itself. */
    {"L3 -RO-> itself", 3, {{A, 7, A, RO}}, {0}, {{0}}, 0, {{A, 2, L3_, 1}}},
    {"L3 -RW-> itself", 3, {{A, 7, A, RW}}, {0}, {{0}}, EINV, {{0}}},
    /* Another L3 already validated. */
    {"L3 -RO-> validated L3", 3, {{A, 0, B, RO}}, {0}, {{B, 3}}, 0,
     {{A, 1, L3_, 1, 1}, {B, 2, L3_, 2, -1}}},
    {"L3 -RW-> validated L3", 3, {{A, 0, B, RW}}, {0}, {{B, 3}}, EINV, {{0}}},
    /* One L2 from two slots: validated once, its L1 once. */
    {"L3 -> L2 twice", 3, {{A, 0, B, RW}, {A, 1, B, RW}, {B, 0, C, RW}}, {0}, {{0}}, 0,
     {{B, 2, L2_, 2}, {C, 1, L1_, 1}}},
    /* Deep failure: the 300th entry (slot 299) of the 2nd L1 under the L2; all undone. */
    {"L3 deep failure", 3, {{A, 0, B, RW}, {B, 0, C, RW}, {B, 1, D, RW}, {C, 0, E, RW},
      {C, 1, F, RO}, {D, 0, G, RW, 299}, {D, 299, FOR, RW}}, {0}, {{0}}, EBSY, {{0}}},

    /* ---- L4 ---- */
    /* A whole hierarchy: L3, L2, L1, data. */
    {"L4 -> L3 -> L2 -> L1", 4, {{A, 0, B, RW}, {B, 0, C, RW}, {C, 0, D, RW}, {D, 0, E, RW},
      {D, 1, F, RO}}, {0}, {{0}}, 0,
     {{B, 1, L3_, 1}, {C, 1, L2_, 1}, {D, 1, L1_, 1}, {E, 1, WR_, 1}, {F, 1, NO_, 0}}},
    /* Slots 256-271: whatever is there is ignored and replaced by the hypervisor's. */
    {"L4 junk in hypervisor slots", 4, {{A, 0, B, RW}, {A, 256, FOR, RW}, {A, 260, A, RW},
      {A, 264, C, RW | PSE | PCD}, {A, 271, UNOWNED, RW}}, {0}, {{0}}, 0, {{B, 1, L3_, 1}}},
    /* The last slot is the guest's. */
    {"L4 slot 511", 4, {{A, 511, B, RW}, {B, 511, C, RW}}, {0}, {{0}}, 0,
     {{B, 1, L3_, 1}, {C, 1, L2_, 1}}},
    /* ... so are 255 and 272, checked as any. */
    {"L4 bad slot 255", 4, {{A, 255, FOR, RW}}, {0}, {{0}}, EINV, {{0}}},
    {"L4 bad slot 272", 4, {{A, 272, FOR, RW}}, {0}, {{0}}, EINV, {{0}}},
    {"L4 good slots 255, 272", 4, {{A, 255, B, RW}, {A, 272, C, RW}}, {0}, {{0}}, 0,
     {{B, 1, L3_, 1}, {C, 1, L3_, 1}}},
    {"L4 PSE", 4, {{A, 0, B, RW | PSE}}, {0}, {{0}}, EINV, {{0}}},
    {"L4 PCD", 4, {{A, 0, B, RW | PCD}}, {0}, {{0}}, EINV, {{0}}},
    {"L4 bits 52-62", 4, {{A, 0, B, RW | HIGH}}, {0}, {{0}}, 0, {{B, 1, L3_, 1}}},
    {"L4 -> foreign", 4, {{A, 0, FOR, RW}}, {0}, {{0}}, EINV, {{0}}},
    {"L4 -> an L2", 4, {{A, 0, B, RW}}, {[B] = L2_}, {{0}}, EINV, {{0}}},
    {"L4 -> validated L3", 4, {{A, 0, B, RW}}, {0}, {{B, 3}}, 0, {{B, 2, L3_, 2}}},
    /* Linear at L4: the recursive mapping guests use, RO only. */
    {"L4 -RO-> itself", 4, {{A, 258, A, RW}, {A, 200, A, RO}}, {0}, {{0}}, 0, {{A, 2, L4_, 1}}},
    {"L4 -RW-> itself", 4, {{A, 200, A, RW}}, {0}, {{0}}, EINV, {{0}}},
    {"L4 -RO-> validated L4", 4, {{A, 0, B, RO}}, {0}, {{B, 4}}, 0,
     {{A, 1, L4_, 1, 1}, {B, 2, L4_, 2, -1}}},
    {"L4 -RW-> validated L4", 4, {{A, 0, B, RW}}, {0}, {{B, 4}}, EINV, {{0}}},
    {"L4 -RO-> L4 with a linear entry", 4, {{A, 0, B, RO}, {B, 0, C, RO}}, {0}, {{C, 4}, {B, 4}},
     EINV, {{0}}},
    /* A loop three levels down: L4 -> L3 -> L2 -> the L4 as an L1. */
    {"loop L4 -> L3 -> L2 -> the L4", 4, {{A, 0, B, RW}, {B, 0, C, RW}, {C, 0, A, RW}}, {0},
     {{0}}, EINV, {{0}}},
    /* An L1 at the bottom mapping the L3 above RW. */
    {"L4 .. L1 -RW-> the L3", 4, {{A, 0, B, RW}, {B, 0, C, RW}, {C, 0, D, RW}, {D, 0, B, RW}},
     {0}, {{0}}, EBSY, {{0}}},
    /* Deep failure in the second subtree: the first is undone too. */
    {"L4 deep failure", 4, {{A, 0, B, RW}, {B, 0, C, RW}, {C, 0, D, RW}, {D, 0, E, RW, 100},
      {A, 1, F, RW}, {F, 0, G, RW}, {G, 0, H, RW}, {H, 299, FOR, RO}}, {0}, {{0}}, EBSY, {{0}}},
};
/* clang-format on */

static unsigned int vrow_idx[ARRAY_SIZE(vrows)];

ParameterizedTestParameters(validate, rows)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(vrows); i++)
        vrow_idx[i] = i;
    return cr_make_param_array(unsigned int, vrow_idx, ARRAY_SIZE(vrows));
}

TestSuite(validate, .init = harness_boot);

/* One row on a machine of its own: validate A, check everything, release, check again. */
ParameterizedTest(unsigned int *idx, validate, rows)
{
    const struct vrow *r = &vrows[*idx];
    struct st want[MAXW + 1];
    struct page_info *initial, *before;
    unsigned int n = 0;
    int rc;

    make_frames(r->ty, r->priv);
    write_entries(r->e);
    initial = snapshot();
    take_pre(r->what, r->pre);
    before = snapshot();

    rc = get_page_and_type(mfn_of[A], owner, (enum page_type)r->level);
    cr_assert_eq(rc, r->rc, "%s: rc %d, want %d", r->what, rc, r->rc);
    if (rc) {
        assert_frames(r->what, before, NULL, 0);
        return;
    }
    for (; n < MAXW && r->want[n].f; n++)
        want[n] = r->want[n];
    if (!find_want(want, n, mfn_of[A]))
        want[n++] = (struct st){A, 1, r->level, 1, 0};
    assert_frames(r->what, before, want, n);
    assert_entries_adjusted(r->what, r->e);
    if (r->level == 4)
        assert_hv_slots(r->what, A);

    /* The last type references gone: everything validation took is given back (rule 3). */
    release_all(r->pre);
    assert_frames(r->what, initial, NULL, 0);
}

/* ======================================================================================== */
/* mod_pt_entry: A is validated as L<level>, then one entry is replaced.                     */
/* ======================================================================================== */

struct op {
    uint8_t t; /* table frame (0: none) */
    uint16_t i;
    uint8_t to;
    uint64_t fl;
    bool foreign; /* pg_owner = the other domain (FOR's owner) instead of the tables' */
    bool ad;      /* preserve_ad */
};

struct mrow {
    const char *what;
    uint8_t level;
    struct ent e[MAXE];
    uint8_t ty[NFRAMES];
    struct pre pre[MAXP];
    struct op setup; /* an earlier update, after A's validation, that must succeed (if .t) */
    struct op op;
    int rc;
    uint64_t stored;      /* after success: the entry, as flags with op.to's frame */
    struct st want[MAXW]; /* after success; every other frame as before the op */
};

/* clang-format off */
static const struct mrow mrows[] = {
    /* ---- L1 ---- */
    /* A new RW mapping: a reference and the writable type. */
    {"L1 new RW", 1, {{0}}, {0}, {{0}}, {0}, {A, 0, B, RW}, 0, RW | US, {{B, 1, WR_, 1}}},
    /* A new RO mapping: a reference only. */
    {"L1 new RO", 1, {{0}}, {0}, {{0}}, {0}, {A, 0, B, RO}, 0, RO | US, {{B, 1, NO_, 0}}},
    /* RW X replaced by RO X: new references before old: count kept, writable dropped. */
    {"L1 RW X -> RO X", 1, {{A, 0, B, RW}}, {0}, {{0}}, {0}, {A, 0, B, RO}, 0, RO | US,
     {{B, 1, NO_, 0}}},
    {"L1 RO X -> RW X", 1, {{A, 0, B, RO}}, {0}, {{0}}, {0}, {A, 0, B, RW}, 0, RW | US,
     {{B, 1, WR_, 1}}},
    {"L1 RW X -> RW Y", 1, {{A, 0, B, RW}}, {0}, {{0}}, {0}, {A, 0, C, RW}, 0, RW | US,
     {{B, 0, NO_, 0}, {C, 1, WR_, 1}}},
    /* One of two RW mappings cleared: the frame stays writable. */
    {"L1 one RW of two cleared", 1, {{A, 0, B, RW}, {A, 1, B, RW}}, {0}, {{0}}, {0},
     {A, 1, RAW, 0}, 0, 0, {{B, 1, WR_, 1}}},
    {"L1 clear RW", 1, {{A, 0, B, RW}}, {0}, {{0}}, {0}, {A, 0, RAW, 0}, 0, 0, {{B, 0, NO_, 0}}},
    /* Non-present: stored as given, nothing taken, the old entry's references dropped. */
    {"L1 non-present junk", 1, {{A, 0, B, RW}}, {0}, {{0}}, {0},
     {A, 0, FOR, WBIT | GLB | PSE | PCD | HIGH}, 0, WBIT | GLB | PSE | PCD | HIGH,
     {{B, 0, NO_, 0}}},
    /* Rule 5: U set, G cleared. */
    {"L1 G and U", 1, {{0}}, {0}, {{0}}, {0}, {A, 0, B, RW | GLB | ACC}, 0, RW | US | ACC,
     {{B, 1, WR_, 1}}},
    /* NX and bits 52-62 are the guest's: stored as given. */
    {"L1 NX, bits 52-62", 1, {{0}}, {0}, {{0}}, {0}, {A, 0, B, RW | NX | HIGH}, 0,
     RW | US | NX | HIGH, {{B, 1, WR_, 1}}},
    /* Cache attributes refused; the old entry stays. */
    {"L1 PAT", 1, {{A, 0, B, RW}}, {0}, {{0}}, {0}, {A, 0, C, RW | PAT}, EINV, 0, {{0}}},
    {"L1 PCD", 1, {{A, 0, B, RW}}, {0}, {{0}}, {0}, {A, 0, B, RO | PCD}, EINV, 0, {{0}}},
    {"L1 PWT", 1, {{A, 0, B, RW}}, {0}, {{0}}, {0}, {A, 0, C, RO | PWT}, EINV, 0, {{0}}},
    /* Another domain's frame, the caller's pg_owner: refused, the old entry stays. */
    {"L1 foreign", 1, {{A, 0, B, RW}}, {0}, {{0}}, {0}, {A, 0, FOR, RO}, EBSY, 0, {{0}}},
    /* ... with that domain as pg_owner (dom0's foreign mapping): taken on its frame. */
    {"L1 foreign, its pg_owner", 1, {{A, 0, B, RW}}, {0}, {{0}}, {0},
     {A, 0, FOR, RW, .foreign = true}, 0, RW | US, {{B, 0, NO_, 0}, {FOR, 1, WR_, 1}}},
    /* ... and then the table owner's own frames are not pg_owner's. */
    {"L1 own frame, foreign pg_owner", 1, {{0}}, {0}, {{0}}, {0}, {A, 0, B, RO, .foreign = true},
     EBSY, 0, {{0}}},
    {"L1 unowned RAM", 1, {{0}}, {0}, {{0}}, {0}, {A, 0, UNOWNED, RO}, EBSY, 0, {{0}}},
    {"L1 past RAM", 1, {{0}}, {0}, {{0}}, {0}, {A, 0, NONRAM, RW}, EPRM, 0, {{0}}},
    {"L1 past the address width", 1, {{0}}, {0}, {{0}}, {0}, {A, 0, PA_OVER, RW}, EINV, 0, {{0}}},
    {"L1 largest mfn", 1, {{0}}, {0}, {{0}}, {0}, {A, 0, HUGE, RO}, EINV, 0, {{0}}},
    /* A validated L1, a descriptor frame, the L1 itself: RO only. */
    {"L1 RW of an L1", 1, {{0}}, {0}, {{B, 1}}, {0}, {A, 0, B, RW}, EBSY, 0, {{0}}},
    {"L1 RO of an L1", 1, {{0}}, {0}, {{B, 1}}, {0}, {A, 0, B, RO}, 0, RO | US, {{B, 2, L1_, 1}}},
    {"L1 RW of a seg_desc", 1, {{0}}, {[B] = SD_}, {{0}}, {0}, {A, 0, B, RW}, EBSY, 0, {{0}}},
    {"L1 RW of itself", 1, {{0}}, {0}, {{0}}, {0}, {A, 0, A, RW}, EBSY, 0, {{0}}},
    {"L1 RO of itself", 1, {{0}}, {0}, {{0}}, {0}, {A, 0, A, RO}, 0, RO | US, {{A, 2, L1_, 1}}},
    /* shared_info RW: one more writable holder. */
    {"L1 RW shared_info", 1, {{0}}, {0}, {{0}}, {0}, {A, 0, SHINFO, RW}, 0, RW | US,
     {{SHINFO, 1, WR_, 2}}},
    /* PRESERVE_AD: the old entry's A/D survive. */
    {"L1 PRESERVE_AD", 1, {{A, 0, B, RW | ACC | DIRTY}}, {0}, {{0}}, {0},
     {A, 0, B, RO, .ad = true}, 0, RO | US | ACC | DIRTY, {{B, 1, NO_, 0}}},
    /* ... without it, A/D as given. */
    {"L1 no PRESERVE_AD", 1, {{A, 0, B, RW | ACC | DIRTY}}, {0}, {{0}}, {0}, {A, 0, B, RO}, 0,
     RO | US, {{B, 1, NO_, 0}}},
    /* An A/D-only change takes no references: not even re-checked (a foreign mapping made
     * with its owner as pg_owner survives an update with the caller's own pg_owner). */
    {"L1 A/D-only change", 1, {{0}}, {0}, {{0}}, {A, 0, FOR, RW, .foreign = true},
     {A, 0, FOR, RW | ACC | DIRTY}, 0, RW | US | ACC | DIRTY, {{0}}},
    /* The same entry again: nothing taken, nothing dropped. */
    {"L1 same entry", 1, {{A, 0, B, RW}}, {0}, {{0}}, {0}, {A, 0, B, RW}, 0, RW | US, {{0}}},
    /* An L1 reached through an L2 is updated like any. */
    {"L1 below an L2", 2, {{A, 0, B, RW}}, {0}, {{0}}, {0}, {B, 5, C, RW}, 0, RW | US,
     {{C, 1, WR_, 1}}},

    /* ---- L2 ---- */
    {"L2 new -> L1", 2, {{B, 0, C, RW}}, {0}, {{0}}, {0}, {A, 0, B, RW}, 0, RW | US,
     {{B, 1, L1_, 1}, {C, 1, WR_, 1}}},
    {"L2 G", 2, {{0}}, {0}, {{0}}, {0}, {A, 0, B, RW | GLB}, EINV, 0, {{0}}},
    {"L2 PSE", 2, {{0}}, {0}, {{0}}, {0}, {A, 0, B, RW | PSE}, EINV, 0, {{0}}},
    {"L2 PCD", 2, {{0}}, {0}, {{0}}, {0}, {A, 0, B, RW | PCD}, EINV, 0, {{0}}},
    {"L2 -> writable", 2, {{0}}, {[B] = WR_}, {{0}}, {0}, {A, 0, B, RW}, EINV, 0, {{0}}},
    {"L2 bits 52-62", 2, {{0}}, {0}, {{0}}, {0}, {A, 0, B, RW | HIGH}, 0, RW | US | HIGH,
     {{B, 1, L1_, 1}}},
    /* Above L1 frames must be the table owner's, whatever pg_owner says. */
    {"L2 -> foreign, its pg_owner", 2, {{0}}, {0}, {{0}}, {0}, {A, 0, FOR, RW, .foreign = true},
     EINV, 0, {{0}}},
    {"L2 -> own, foreign pg_owner", 2, {{B, 0, C, RW}}, {0}, {{0}}, {0},
     {A, 0, B, RW, .foreign = true}, 0, RW | US, {{B, 1, L1_, 1}, {C, 1, WR_, 1}}},
    /* Linear: itself, RO only. */
    {"L2 -RO-> itself", 2, {{0}}, {0}, {{0}}, {0}, {A, 3, A, RO}, 0, RO | US, {{A, 2, L2_, 1}}},
    {"L2 -RW-> itself", 2, {{0}}, {0}, {{0}}, {0}, {A, 3, A, RW}, EINV, 0, {{0}}},
    /* Linear: another validated L2, RO only, both sides counting the link. */
    {"L2 -RO-> validated L2", 2, {{0}}, {0}, {{B, 2}}, {0}, {A, 0, B, RO}, 0, RO | US,
     {{A, 1, L2_, 1, 1}, {B, 2, L2_, 2, -1}}},
    {"L2 -RW-> validated L2", 2, {{0}}, {0}, {{B, 2}}, {0}, {A, 0, B, RW}, EINV, 0, {{0}}},
    /* XSA-240: a table used linearly gets no linear entries... */
    {"L2 used linearly -RO-> L2", 2, {{0}}, {0}, {{B, 2}, {C, 2}}, {B, 0, A, RO}, {A, 1, C, RO},
     EINV, 0, {{0}}},
    /* ... and a table with linear entries is no linear target. */
    {"L2 -RO-> L2 with a linear entry", 2, {{0}}, {0}, {{B, 2}, {C, 2}}, {B, 0, C, RO},
     {A, 1, B, RO}, EINV, 0, {{0}}},
    /* A second linear entry in the same table is fine. */
    {"L2 second linear entry", 2, {{0}}, {0}, {{B, 2}, {C, 2}}, {A, 0, B, RO}, {A, 1, C, RO}, 0,
     RO | US, {{A, 1, L2_, 1, 2}, {C, 2, L2_, 2, -1}}},
    /* A linear link replaced by an ordinary one: its bookkeeping given back. */
    {"L2 linear -> plain", 2, {{0}}, {0}, {{B, 2}}, {A, 0, B, RO}, {A, 0, C, RW}, 0, RW | US,
     {{A, 1, L2_, 1, 0}, {B, 1, L2_, 1, 0}, {C, 1, L1_, 1}}},
    /* A linear link rewritten with other flags: taken again, then the old one dropped. */
    {"L2 linear rewritten", 2, {{0}}, {0}, {{B, 2}}, {A, 0, B, RO}, {A, 0, B, RO | NX}, 0,
     RO | US | NX, {{0}}},
    /* The only link to an L1 cleared: devalidated, with all it held. */
    {"L2 clear -> L1", 2, {{A, 0, B, RW}, {B, 0, C, RW}, {B, 1, D, RO}}, {0}, {{0}}, {0},
     {A, 0, RAW, 0}, 0, 0, {{B, 0, NO_, 0}, {C, 0, NO_, 0}, {D, 0, NO_, 0}}},
    /* The same L1 rewritten RO: taken again before dropped, so never devalidated. */
    {"L2 L1 RW -> RO", 2, {{A, 0, B, RW}, {B, 0, C, RW}}, {0}, {{0}}, {0}, {A, 0, B, RO}, 0,
     RO | US, {{0}}},
    /* An L1 mapping the old L1 RW: refused, the old one is still linked while checked. */
    {"L2 L1 B -> L1 mapping B RW", 2, {{A, 0, B, RW}, {C, 0, B, RW}}, {0}, {{0}}, {0},
     {A, 0, C, RW}, EBSY, 0, {{0}}},
    /* An L1 mapping this L2: RW refused, RO fine. */
    {"L2 -> L1 -RW-> the L2", 2, {{B, 0, A, RW}}, {0}, {{0}}, {0}, {A, 0, B, RW}, EBSY, 0, {{0}}},
    {"L2 -> L1 -RO-> the L2", 2, {{B, 0, A, RO}}, {0}, {{0}}, {0}, {A, 0, B, RW}, 0, RW | US,
     {{A, 2, L2_, 1}, {B, 1, L1_, 1}}},

    /* ---- L3, L4 ---- */
    {"L3 new -> L2 -> L1", 3, {{B, 0, C, RW}, {C, 0, D, RW}}, {0}, {{0}}, {0}, {A, 0, B, RW}, 0,
     RW | US, {{B, 1, L2_, 1}, {C, 1, L1_, 1}, {D, 1, WR_, 1}}},
    {"L3 PSE", 3, {{0}}, {0}, {{0}}, {0}, {A, 0, B, RW | PSE}, EINV, 0, {{0}}},
    /* An L2 pointing back at this L3: it is an L3, not an L1. */
    {"L3 -> L2 -> the L3", 3, {{B, 0, A, RW}}, {0}, {{0}}, {0}, {A, 0, B, RW}, EINV, 0, {{0}}},
    {"L4 new -> L3", 4, {{0}}, {0}, {{0}}, {0}, {A, 0, B, RW}, 0, RW | US, {{B, 1, L3_, 1}}},
    /* Hypervisor slots: never the guest's to write, not even to clear. */
    {"L4 slot 256", 4, {{0}}, {0}, {{0}}, {0}, {A, 256, B, RW}, EINV, 0, {{0}}},
    {"L4 slot 263", 4, {{0}}, {0}, {{0}}, {0}, {A, 263, A, RO}, EINV, 0, {{0}}},
    {"L4 slot 271 clear", 4, {{0}}, {0}, {{0}}, {0}, {A, 271, RAW, 0}, EINV, 0, {{0}}},
    {"L4 slot 255", 4, {{0}}, {0}, {{0}}, {0}, {A, 255, B, RW}, 0, RW | US, {{B, 1, L3_, 1}}},
    {"L4 slot 272", 4, {{0}}, {0}, {{0}}, {0}, {A, 272, B, RW}, 0, RW | US, {{B, 1, L3_, 1}}},
    {"L4 -RW-> itself", 4, {{0}}, {0}, {{0}}, {0}, {A, 1, A, RW}, EINV, 0, {{0}}},
    {"L4 -RO-> itself", 4, {{0}}, {0}, {{0}}, {0}, {A, 1, A, RO}, 0, RO | US, {{A, 2, L4_, 1}}},
    {"L4 -RO-> validated L4", 4, {{0}}, {0}, {{B, 4}}, {0}, {A, 1, B, RO}, 0, RO | US,
     {{A, 1, L4_, 1, 1}, {B, 2, L4_, 2, -1}}},

    /* ---- Not a validated table ---- */
    {"untyped frame", 1, {{0}}, {0}, {{0}}, {0}, {B, 0, C, RO}, EINV, 0, {{0}}},
    {"writable frame", 1, {{0}}, {[B] = WR_}, {{0}}, {0}, {B, 0, C, RO}, EINV, 0, {{0}}},
    {"seg_desc frame", 1, {{0}}, {[B] = SD_}, {{0}}, {0}, {B, 0, C, RO}, EINV, 0, {{0}}},
};
/* clang-format on */

static int do_op(const struct op *o)
{
    const struct domain *pg_owner = o->foreign ? (owner == domu ? dom0 : domu) : owner;

    return mod_pt_entry(mfn_of[o->t], o->i, val_of(o->to, o->fl), pg_owner, o->ad);
}

static unsigned int mrow_idx[ARRAY_SIZE(mrows)];

ParameterizedTestParameters(mod_pt_entry, rows)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(mrows); i++)
        mrow_idx[i] = i;
    return cr_make_param_array(unsigned int, mrow_idx, ARRAY_SIZE(mrows));
}

TestSuite(mod_pt_entry, .init = harness_boot);

/*
 * One row: validate A, run the setup update, then the row's update, and check the entry and
 * every frame.  Then release A and the setup's tables: everything must go back to how it
 * was (nothing leaked by the update).  No row flushes the TLB: none takes a new type after
 * a drop (in particular no table is devalidated and validated again).
 */
ParameterizedTest(unsigned int *idx, mod_pt_entry, rows)
{
    const struct mrow *r = &mrows[*idx];
    struct page_info *initial, *before;
    uint64_t old;
    unsigned int flushes;
    int rc;

    make_frames(r->ty, false);
    write_entries(r->e);
    initial = snapshot();
    take_pre(r->what, r->pre);
    cr_assert_eq(get_page_and_type(mfn_of[A], owner, (enum page_type)r->level), 0,
                 "%s: setup: validating A", r->what);
    if (r->setup.t)
        cr_assert_eq(do_op(&r->setup), 0, "%s: setup update", r->what);
    before = snapshot();
    old = *slot(r->op.t, r->op.i);
    flushes = fake_cpu.cr3_writes;

    rc = do_op(&r->op);
    cr_assert_eq(rc, r->rc, "%s: rc %d, want %d", r->what, rc, r->rc);
    cr_assert_eq(fake_cpu.cr3_writes, flushes, "%s: TLB flushed", r->what);
    if (rc) {
        cr_assert_eq(*slot(r->op.t, r->op.i), old, "%s: entry changed", r->what);
        assert_frames(r->what, before, NULL, 0);
    } else {
        cr_assert_eq(*slot(r->op.t, r->op.i), val_of(r->op.to, r->stored),
                     "%s: entry %#lx, want %#lx", r->what, *slot(r->op.t, r->op.i),
                     val_of(r->op.to, r->stored));
        assert_frames(r->what, before, r->want, MAXW);
    }
    if (table_level(A) == 4)
        assert_hv_slots(r->what, A);

    release_all(r->pre);
    assert_frames(r->what, initial, NULL, 0);
}

/* ======================================================================================== */
/* Type changes through the hypercalls (rules 2 and 3, the reference table).                 */
/* ======================================================================================== */

TestSuite(type_change, .init = harness_boot);

static uint64_t frame(void)
{
    return domain_frame(domu, PGT_none);
}

static struct page_info *pg(uint64_t mfn)
{
    return mfn_to_page(mfn);
}

static uint64_t *tab(uint64_t mfn)
{
    return mfn_to_virt(mfn);
}

static long ext(unsigned int cmd, uint64_t mfn)
{
    struct mmuext_op op = {.cmd = cmd, .arg1.mfn = mfn};

    return hc(__HYPERVISOR_mmuext_op, guest_put(&op, sizeof(op)), 1, 0, DOMID_SELF);
}

static long mmu(uint64_t table, unsigned int idx, uint64_t val)
{
    struct mmu_update req = {.ptr = (table << 12) + idx * 8 + MMU_NORMAL_PT_UPDATE, .val = val};

    return hc(__HYPERVISOR_mmu_update, guest_put(&req, sizeof(req)), 1, 0, DOMID_SELF);
}

#define assert_state(mfn, c, t, tc)                                                                \
    cr_assert(pg(mfn)->count == (c) && pg(mfn)->type == (t) && pg(mfn)->type_count == (tc),        \
              "%s: count %u type %u type_count %u, want %u %u %u", #mfn, pg(mfn)->count,           \
              pg(mfn)->type, pg(mfn)->type_count, (unsigned)(c), (unsigned)(t), (unsigned)(tc))

/* A frame mapped writable cannot become an L1; once the mapping is gone it can. */
Test(type_change, writable_frame_pinned_only_after_unmap)
{
    uint64_t l1 = frame(), x = frame();

    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, l1), 0);
    cr_assert_eq(mmu(l1, 0, X86_PTE_MAKE(x, RW)), 0);
    assert_state(x, 1, PGT_writable, 1);
    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, x), -XEN_EINVAL);
    assert_state(x, 1, PGT_writable, 1);
    cr_assert_not(pg(x)->flags & PGF_pinned);
    cr_assert_eq(mmu(l1, 0, 0), 0);
    assert_state(x, 0, PGT_none, 0);
    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, x), 0);
    assert_state(x, 1, PGT_l1, 1);
    cr_assert(pg(x)->flags & PGF_pinned);
}

/* A pinned L1 cannot be mapped writable (read-only is fine); unpinned, it can. */
Test(type_change, pinned_l1_mapped_writable_only_after_unpin)
{
    uint64_t l1 = frame(), x = frame();

    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, l1), 0);
    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, x), 0);
    cr_assert_eq(mmu(l1, 0, X86_PTE_MAKE(x, RW)), -XEN_EBUSY);
    cr_assert_eq(tab(l1)[0], 0);
    assert_state(x, 1, PGT_l1, 1);
    cr_assert_eq(mmu(l1, 0, X86_PTE_MAKE(x, RO)), 0);
    assert_state(x, 2, PGT_l1, 1);
    cr_assert_eq(ext(MMUEXT_UNPIN_TABLE, x), 0);
    assert_state(x, 1, PGT_none, 0);
    cr_assert_eq(mmu(l1, 1, X86_PTE_MAKE(x, RW)), 0);
    assert_state(x, 2, PGT_writable, 1);
}

/* Pinning a pinned frame (at any level) fails; so does unpinning one that is not pinned. */
Test(type_change, pin_twice_unpin_unpinned)
{
    uint64_t x = frame();

    cr_assert_eq(ext(MMUEXT_UNPIN_TABLE, x), -XEN_EINVAL);
    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, x), 0);
    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, x), -XEN_EINVAL);
    cr_assert_eq(ext(MMUEXT_PIN_L2_TABLE, x), -XEN_EINVAL);
    assert_state(x, 1, PGT_l1, 1);
    cr_assert_eq(ext(MMUEXT_UNPIN_TABLE, x), 0);
    assert_state(x, 0, PGT_none, 0);
    cr_assert_not(pg(x)->flags & PGF_pinned);
    cr_assert_eq(ext(MMUEXT_UNPIN_TABLE, x), -XEN_EINVAL);
    assert_state(x, 0, PGT_none, 0);
}

/* A table validated through a link (not pinned) can be pinned at its level only. */
Test(type_change, linked_table_pinned_at_its_level)
{
    uint64_t l2 = frame(), x = frame();

    tab(l2)[0] = X86_PTE_MAKE(x, RW);
    cr_assert_eq(ext(MMUEXT_PIN_L2_TABLE, l2), 0);
    assert_state(x, 1, PGT_l1, 1);
    cr_assert_eq(ext(MMUEXT_PIN_L2_TABLE, x), -XEN_EINVAL);
    cr_assert_eq(ext(MMUEXT_PIN_L3_TABLE, x), -XEN_EINVAL);
    assert_state(x, 1, PGT_l1, 1);
    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, x), 0);
    assert_state(x, 2, PGT_l1, 2);
    /* Unpinning the L2 leaves x validated: its own pin still holds it. */
    cr_assert_eq(ext(MMUEXT_UNPIN_TABLE, l2), 0);
    assert_state(l2, 0, PGT_none, 0);
    assert_state(x, 1, PGT_l1, 1);
}

/* Unpinning devalidates recursively: what nothing else holds goes back to untyped. */
Test(type_change, unpin_devalidates_recursively)
{
    uint64_t l4 = frame(), l3 = frame(), l2 = frame(), l1a = frame(), l1b = frame();
    uint64_t w = frame(), r = frame();

    tab(l4)[0] = X86_PTE_MAKE(l3, RW);
    tab(l3)[0] = X86_PTE_MAKE(l2, RW);
    tab(l2)[0] = X86_PTE_MAKE(l1a, RW);
    tab(l2)[1] = X86_PTE_MAKE(l1b, RW);
    tab(l1a)[0] = X86_PTE_MAKE(w, RW);
    tab(l1a)[1] = X86_PTE_MAKE(r, RO);
    tab(l1b)[0] = X86_PTE_MAKE(w, RW);
    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, l1b), 0); /* a second holder of l1b */
    cr_assert_eq(ext(MMUEXT_PIN_L4_TABLE, l4), 0);
    assert_state(l4, 1, PGT_l4, 1);
    assert_state(l3, 1, PGT_l3, 1);
    assert_state(l2, 1, PGT_l2, 1);
    assert_state(l1a, 1, PGT_l1, 1);
    assert_state(l1b, 2, PGT_l1, 2);
    assert_state(w, 2, PGT_writable, 2);
    assert_state(r, 1, PGT_none, 0);

    cr_assert_eq(ext(MMUEXT_UNPIN_TABLE, l4), 0);
    assert_state(l4, 0, PGT_none, 0);
    assert_state(l3, 0, PGT_none, 0);
    assert_state(l2, 0, PGT_none, 0);
    assert_state(l1a, 0, PGT_none, 0);
    assert_state(l1b, 1, PGT_l1, 1); /* its pin */
    assert_state(w, 1, PGT_writable, 1);
    assert_state(r, 0, PGT_none, 0);

    cr_assert_eq(ext(MMUEXT_UNPIN_TABLE, l1b), 0);
    assert_state(l1b, 0, PGT_none, 0);
    assert_state(w, 0, PGT_none, 0);
}

/* NEW_BASEPTR validates an untyped frame as an L4 and holds it; switching away drops it. */
Test(type_change, new_baseptr_holds_and_drops)
{
    uint64_t a = frame(), l3 = frame(), b = frame();

    tab(a)[0] = X86_PTE_MAKE(l3, RW);
    cr_assert_eq(ext(MMUEXT_NEW_BASEPTR, a), 0);
    cr_assert_eq(current->guest_table, a);
    cr_assert_eq(fake_cpu.cr[3], a << 12);
    assert_state(a, 1, PGT_l4, 1);
    assert_state(l3, 1, PGT_l3, 1);
    cr_assert_eq(ext(MMUEXT_NEW_BASEPTR, a), 0); /* the same root again: still one */
    assert_state(a, 1, PGT_l4, 1);
    cr_assert_eq(ext(MMUEXT_NEW_BASEPTR, b), 0);
    cr_assert_eq(current->guest_table, b);
    assert_state(b, 1, PGT_l4, 1);
    assert_state(a, 0, PGT_none, 0);
    assert_state(l3, 0, PGT_none, 0);
}

/* NEW_BASEPTR to a root that fails validation: nothing changes. */
Test(type_change, new_baseptr_refused_changes_nothing)
{
    uint64_t a = frame(), b = frame(), l3 = frame(), other = domain_frame(dom0, PGT_none);
    struct page_info *before;

    cr_assert_eq(ext(MMUEXT_NEW_BASEPTR, a), 0);
    tab(b)[0] = X86_PTE_MAKE(l3, RW);
    tab(l3)[1] = X86_PTE_MAKE(other, RW);
    before = snapshot();
    cr_assert_eq(ext(MMUEXT_NEW_BASEPTR, b), -XEN_EINVAL);
    cr_assert_eq(current->guest_table, a);
    cr_assert_eq(fake_cpu.cr[3], a << 12);
    assert_frames("NEW_BASEPTR refused", before, NULL, 0);
}

/* A pinned L4 used as the base too: two holders; unpinning keeps it validated. */
Test(type_change, pinned_root_as_base)
{
    uint64_t a = frame(), b = frame();

    cr_assert_eq(ext(MMUEXT_PIN_L4_TABLE, a), 0);
    cr_assert_eq(ext(MMUEXT_NEW_BASEPTR, a), 0);
    assert_state(a, 2, PGT_l4, 2);
    cr_assert_eq(ext(MMUEXT_UNPIN_TABLE, a), 0);
    assert_state(a, 1, PGT_l4, 1);
    cr_assert_eq(ext(MMUEXT_NEW_BASEPTR, b), 0);
    assert_state(a, 0, PGT_none, 0);
}

/* ======================================================================================== */
/* TLB (rule 7): a type count dropped to zero makes the next new type flush, once.            */
/* ======================================================================================== */

TestSuite(tlb, .init = harness_boot);

/* Validation and mapping with no type ever dropped: no flush at all. */
Test(tlb, no_drop_no_flush)
{
    uint64_t l2 = frame(), l1 = frame(), x = frame();

    tab(l2)[0] = X86_PTE_MAKE(l1, RW);
    cr_assert_eq(ext(MMUEXT_PIN_L2_TABLE, l2), 0);
    cr_assert_eq(mmu(l1, 0, X86_PTE_MAKE(x, RW)), 0);
    cr_assert_eq(fake_cpu.cr3_writes, 0);
}

/* The drop itself does not flush; the next new type does, exactly once. */
Test(tlb, drop_then_new_type_flushes_once)
{
    uint64_t l1 = frame(), x = frame(), y = frame();

    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, l1), 0);
    cr_assert_eq(mmu(l1, 0, X86_PTE_MAKE(x, RW)), 0);
    cr_assert_eq(mmu(l1, 0, 0), 0);
    cr_assert_eq(fake_cpu.cr3_writes, 0);
    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, x), 0); /* x was writable: now an L1 */
    cr_assert_eq(fake_cpu.cr3_writes, 1);
    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, y), 0);
    cr_assert_eq(mmu(l1, 1, X86_PTE_MAKE(frame(), RW)), 0);
    cr_assert_eq(fake_cpu.cr3_writes, 1);
}

/* A type count that goes down but not to zero marks nothing; the last holder going does. */
Test(tlb, only_a_drop_to_zero_counts)
{
    uint64_t l1 = frame(), x = frame();

    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, l1), 0);
    cr_assert_eq(mmu(l1, 0, X86_PTE_MAKE(x, RW)), 0);
    cr_assert_eq(mmu(l1, 1, X86_PTE_MAKE(x, RW)), 0);
    cr_assert_eq(mmu(l1, 0, 0), 0);
    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, frame()), 0);
    cr_assert_eq(fake_cpu.cr3_writes, 0);
    cr_assert_eq(mmu(l1, 1, 0), 0);
    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, frame()), 0);
    cr_assert_eq(fake_cpu.cr3_writes, 1);
}

/* One more holder of a type already held, or a mapping with no type: no flush. */
Test(tlb, same_type_again_does_not_flush)
{
    uint64_t l1 = frame(), x = frame(), y = frame();

    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, l1), 0);
    cr_assert_eq(mmu(l1, 0, X86_PTE_MAKE(x, RW)), 0);
    cr_assert_eq(mmu(l1, 1, X86_PTE_MAKE(y, RW)), 0);
    cr_assert_eq(mmu(l1, 1, 0), 0);                    /* y dropped: pending */
    cr_assert_eq(mmu(l1, 2, X86_PTE_MAKE(x, RW)), 0);  /* x: type_count 2, no new type */
    cr_assert_eq(mmu(l1, 3, X86_PTE_MAKE(l1, RO)), 0); /* no type at all */
    cr_assert_eq(fake_cpu.cr3_writes, 0);
    cr_assert_eq(mmu(l1, 1, X86_PTE_MAKE(y, RW)), 0); /* y writable again: a new type */
    cr_assert_eq(fake_cpu.cr3_writes, 1);
}

/* A devalidated hierarchy, then a new one: one flush for the whole validation. */
Test(tlb, one_flush_per_validation)
{
    uint64_t l2 = frame(), l2b = frame();

    for (unsigned int i = 0; i < 3; i++) {
        uint64_t l1 = frame(), l1b = frame();

        tab(l2)[i] = X86_PTE_MAKE(l1, RW);
        tab(l1)[0] = X86_PTE_MAKE(frame(), RW);
        tab(l2b)[i] = X86_PTE_MAKE(l1b, RW);
        tab(l1b)[0] = X86_PTE_MAKE(frame(), RW);
    }
    cr_assert_eq(ext(MMUEXT_PIN_L2_TABLE, l2), 0);
    cr_assert_eq(ext(MMUEXT_UNPIN_TABLE, l2), 0);
    cr_assert_eq(fake_cpu.cr3_writes, 0);
    cr_assert_eq(ext(MMUEXT_PIN_L2_TABLE, l2b), 0);
    cr_assert_eq(fake_cpu.cr3_writes, 1);
    cr_assert_eq(ext(MMUEXT_PIN_L2_TABLE, l2), 0); /* nothing dropped since */
    cr_assert_eq(fake_cpu.cr3_writes, 1);
}

/* A failed validation that took types gives them back: that counts as a drop. */
Test(tlb, rolled_back_validation_marks_a_drop)
{
    uint64_t l1 = frame();

    tab(l1)[0] = X86_PTE_MAKE(frame(), RW);
    tab(l1)[1] = X86_PTE_MAKE(domain_frame(dom0, PGT_none), RW);
    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, l1), -XEN_EBUSY);
    cr_assert_eq(fake_cpu.cr3_writes, 0);
    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, frame()), 0);
    cr_assert_eq(fake_cpu.cr3_writes, 1);
}

/* A frame freed after its type dropped is flushed out first (mm.c domain_free_frame). */
Test(tlb, free_after_type_drop_flushes)
{
    uint64_t l1 = frame(), x = frame();

    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, l1), 0);
    cr_assert_eq(mmu(l1, 0, X86_PTE_MAKE(x, RW)), 0);
    cr_assert_eq(mmu(l1, 0, 0), 0);
    domain_free_frame(domu, x);
    cr_assert_eq(fake_cpu.cr3_writes, 1);
}

/* ======================================================================================== */
/* Where xen-lite differs from Xen today (disabled: see the harness README).                 */
/* ======================================================================================== */

/*
 * A frame whose last reference was a read-only mapping: no type dropped, but the last
 * reference did, so the TLB is flushed before domain_free_frame() (decrease_reservation)
 * hands the frame on: a guest that removed the mapping without a flush cannot keep
 * reading it (as Xen).
 */
Test(tlb, free_after_read_only_mapping_flushes)
{
    uint64_t l1 = frame(), x = frame();

    cr_assert_eq(ext(MMUEXT_PIN_L1_TABLE, l1), 0);
    cr_assert_eq(mmu(l1, 0, X86_PTE_MAKE(x, RO)), 0);
    cr_assert_eq(mmu(l1, 0, 0), 0);
    cr_assert_eq(fake_cpu.cr3_writes, 0);
    domain_free_frame(domu, x);
    cr_assert_eq(fake_cpu.cr3_writes, 1);
}

TestSuite(foreign, .init = harness_boot);

/*
 * dom0 maps a frame of domU (pg_owner = domU); domU is then destroyed.  The frame must
 * outlive its domain while dom0 maps it (as in Xen): it is orphaned, keeps its counts, and
 * is scrubbed and freed when dom0 removes the mapping.
 */
Test(foreign, mapped_frame_outlives_its_domain)
{
    uint64_t l1 = domain_frame(dom0, PGT_none), x = frame();
    struct mmu_update req = {.ptr = (l1 << 12) + MMU_NORMAL_PT_UPDATE, .val = 0};

    cr_assert_eq(get_page_and_type(l1, dom0, PGT_l1), 0);
    cr_assert_eq(mod_pt_entry(l1, 0, X86_PTE_MAKE(x, RW), domu, false), 0);
    assert_state(x, 1, PGT_writable, 1);
    domain_free_memory(domu); /* what domain_reap() does */
    cr_expect_eq(pg(x)->owner, &orphan_domain, "a frame still mapped by dom0 was freed");
    cr_expect(pg(x)->count == 1 && pg(x)->type == PGT_writable && pg(x)->type_count == 1);
    harness_set_current(dom0);
    cr_assert_eq(hc(__HYPERVISOR_mmu_update, guest_put(&req, sizeof(req)), 1, 0, DOMID_SELF), 0,
                 "%s", harness.escape);
    cr_expect_null(pg(x)->owner, "the orphan was not freed with its last reference");
    cr_expect(pg(x)->count == 0 && pg(x)->type_count == 0);
}
