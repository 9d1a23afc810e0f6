/* SPDX-License-Identifier: MIT */
/*
 * memory: memory_op from inside a dom0 -- what a PV kernel asks about memory at boot, and
 * the balloon driver's round trip.
 *
 * Linux reads the M2P's location (machphys_mapping), its own limits (current/maximum
 * reservation) and its pseudo-physical map (memory_map) before it sets up memory; a
 * balloon driver then gives frames back (decrease_reservation) and takes new ones for the
 * same pfns (populate_physmap), trusting the M2P to name each new frame's pfn.  This test
 * does both with 16 pfns at the top of the domain, which the start-of-day mapping never
 * covers, and checks the refusals: frames the domain does not own, more than its limit,
 * extent lists it cannot point at, unknown commands.  As in Xen, a reservation op that
 * cannot start returns 0 extents done, never an errno.
 *
 * It also runs as dom0 of real Xen 4.17 (tests/compat/on-xen.sh memory).  Two answers
 * differ there by design and are checked per hypervisor: Xen has no memory map for a PV
 * dom0 (no toolstack set one: -ENOSYS) where xen-lite gives every domain the one RAM entry
 * a toolstack would; and Xen takes a frame that is still mapped out of the reservation
 * (freeing it when its last mapping goes) where xen-lite refuses, so that probe is only
 * made on xen-lite.
 */
#include <pvguest/test.h>
#include <public/memory.h>

#define NR        16
#define M2P       ((const volatile uint64_t *)0xFFFF800000000000UL)
#define NO_DOMAIN 7
#define INVALID   (~0ULL)

static long memop(unsigned int cmd, void *arg)
{
    return HYPERVISOR_memory_op(cmd, arg);
}

static long reservation(unsigned int cmd, uint64_t list, uint64_t nr)
{
    struct xen_memory_reservation r = {
        .extent_start = list, .nr_extents = nr, .extent_order = 0, .domid = DOMID_SELF};

    return memop(cmd, &r);
}

static long current_pages(void)
{
    uint16_t self = DOMID_SELF;

    return memop(XENMEM_current_reservation, &self);
}

/* What a kernel asks first: the limits, the M2P, the memory map. */
static void check_queries(const struct start_info *si, bool xl, long *max_page, long *max_pages)
{
    const uint64_t *p2m = (const uint64_t *)si->mfn_list;
    struct xen_machphys_mapping mm = {0};
    struct e820entry e820[4] = {{0}};
    struct xen_memory_map map = {.nr_entries = 4, .buffer = (uint64_t)e820};
    uint16_t self = DOMID_SELF, nobody = NO_DOMAIN;
    long cur, rc;

    *max_page = memop(XENMEM_maximum_ram_page, NULL);
    cur = current_pages();
    *max_pages = memop(XENMEM_maximum_reservation, &self);
    pv_printf("maximum_ram_page %ld, reservation %ld of %ld, nr_pages %lu\n", *max_page, cur,
              *max_pages, (unsigned long)si->nr_pages);
    xtf_check(*max_page > 0, "maximum_ram_page returned %ld", *max_page);
    xtf_check(p2m[0] < (uint64_t)*max_page && p2m[si->nr_pages - 1] < (uint64_t)*max_page,
              "our frames %#lx, %#lx lie above maximum_ram_page %ld", (unsigned long)p2m[0],
              (unsigned long)p2m[si->nr_pages - 1], *max_page);
    xtf_check(cur == (long)si->nr_pages, "current_reservation %ld, start_info says %lu pages", cur,
              (unsigned long)si->nr_pages);
    xtf_check(*max_pages >= cur, "maximum_reservation %ld below current %ld", *max_pages, cur);
    rc = memop(XENMEM_current_reservation, &nobody);
    xtf_check(rc == -XEN_ESRCH, "current_reservation of d%u: %ld, want -ESRCH", NO_DOMAIN, rc);

    rc = memop(XENMEM_machphys_mapping, &mm);
    pv_printf("machphys_mapping %ld: %#lx-%#lx, max_mfn %#lx\n", rc, (unsigned long)mm.v_start,
              (unsigned long)mm.v_end, (unsigned long)mm.max_mfn);
    xtf_check(rc == 0 && mm.v_start == 0xFFFF800000000000UL && mm.v_end > mm.v_start,
              "machphys_mapping: rc %ld, v_start %#lx, v_end %#lx", rc, (unsigned long)mm.v_start,
              (unsigned long)mm.v_end);
    xtf_check(mm.max_mfn + 1 >= (uint64_t)*max_page, "M2P covers up to %#lx, RAM up to %#lx",
              (unsigned long)mm.max_mfn, (unsigned long)*max_page - 1);
    xtf_check(M2P[p2m[0]] == 0 && M2P[p2m[si->nr_pages - 1]] == si->nr_pages - 1,
              "M2P of our first/last frame: %#lx/%#lx, want 0/%#lx", (unsigned long)M2P[p2m[0]],
              (unsigned long)M2P[p2m[si->nr_pages - 1]], (unsigned long)si->nr_pages - 1);
    (void)M2P[mm.max_mfn]; /* the last entry is mapped: reading it must not fault */
    if (xl)
        xtf_check(mm.v_end - mm.v_start >= (mm.max_mfn + 1) * 8,
                  "xen-lite reports the mapped M2P, but %#lx-%#lx is short of max_mfn %#lx",
                  (unsigned long)mm.v_start, (unsigned long)mm.v_end, (unsigned long)mm.max_mfn);

    rc = memop(XENMEM_memory_map, &map);
    pv_printf("memory_map %ld: %u entries, [%#lx, +%#lx) type %u\n", rc, map.nr_entries,
              (unsigned long)e820[0].addr, (unsigned long)e820[0].size, e820[0].type);
    if (!xl) {
        xtf_check(rc == -XEN_ENOSYS, "memory_map of a PV dom0 on Xen: %ld, want -ENOSYS", rc);
        return;
    }
    xtf_check(rc == 0 && map.nr_entries == 1 && e820[0].addr == 0 &&
                  e820[0].size == (uint64_t)*max_pages * 4096 && e820[0].type == E820_RAM,
              "memory_map: want one RAM entry of %ld pages", *max_pages);
    xtf_check(e820[0].size >= si->nr_pages * 4096, "memory_map smaller than nr_pages");
}

/* Every pfn up to this one may be mapped at start of day: v_end is at most 4 MiB past the
 * boot stack's end plus 512 KiB of slack, and the stack follows the page tables. */
static uint64_t last_mapped_pfn(const struct start_info *si)
{
    uint64_t pt_end = si->pt_base + si->nr_pt_frames * PV_PAGE_SIZE - PV_VIRT_BASE;

    return (pt_end + PV_PAGE_SIZE + (512 << 10) + (4 << 20)) / PV_PAGE_SIZE;
}

/* The balloon round trip: give NR frames back, check a grab beyond the limit, take new
 * frames for the same pfns. */
static void check_round_trip(const struct start_info *si, long max_pages)
{
    uint64_t *p2m = (uint64_t *)si->mfn_list;
    uint64_t first = si->nr_pages - NR, list[NR + 4];
    long start = current_pages(), rc, want;

    if (first <= last_mapped_pfn(si)) {
        xtf_error("only %lu pages: the top %u may be mapped", (unsigned long)si->nr_pages, NR);
        return;
    }

    for (unsigned int i = 0; i < NR; i++)
        list[i] = p2m[first + i];
    rc = reservation(XENMEM_decrease_reservation, (uint64_t)list, NR);
    xtf_check(rc == NR, "decrease_reservation of pfns %lu.. returned %ld, want %u",
              (unsigned long)first, rc, NR);
    if (rc != NR)
        return;
    for (unsigned int i = 0; i < NR; i++)
        p2m[first + i] = INVALID;
    xtf_check(current_pages() == start - NR, "after giving %u back: %ld pages, want %ld", NR,
              current_pages(), start - NR);

    /* The limit: asking for more than it leaves gets what it leaves. */
    want = max_pages - (start - NR) < NR + 4 ? max_pages - (start - NR) : NR + 4;
    rc = reservation(XENMEM_increase_reservation, (uint64_t)list, NR + 4);
    xtf_check(rc == want, "increase_reservation of %u at %ld of %ld pages: %ld, want %ld", NR + 4,
              start - NR, max_pages, rc, want);
    if (rc > 0 && reservation(XENMEM_decrease_reservation, (uint64_t)list, rc) != rc)
        xtf_failure("could not give back the %ld frames increase_reservation gave", rc);

    for (unsigned int i = 0; i < NR; i++)
        list[i] = first + i;
    rc = reservation(XENMEM_populate_physmap, (uint64_t)list, NR);
    xtf_check(rc == NR, "populate_physmap of %u pfns returned %ld", NR, rc);
    for (long i = 0; i < rc; i++) {
        xtf_check(M2P[list[i]] == first + i, "pfn %lu: new mfn %#lx, M2P says %#lx",
                  (unsigned long)(first + i), (unsigned long)list[i], (unsigned long)M2P[list[i]]);
        p2m[first + i] = list[i];
    }
    xtf_check(current_pages() == start, "after populating: %ld pages, want %ld", current_pages(),
              start);
}

/* Refusals: nothing happens and the reservation stays as it was. */
static void check_refusals(bool xl, long max_page)
{
    uint64_t not_mine[] = {1, (uint64_t)max_page + 1000};
    long start = current_pages(), rc;

    for (unsigned int i = 0; i < ARRAY_SIZE(not_mine); i++) {
        rc = reservation(XENMEM_decrease_reservation, (uint64_t)&not_mine[i], 1);
        xtf_check(rc == 0, "decrease_reservation of mfn %#lx (not ours): %ld, want 0",
                  (unsigned long)not_mine[i], rc);
    }
    /*
     * A frame we still map (the stack page holding `start`): xen-lite keeps it and stops.
     * Xen would take it out of the reservation and free it once its last mapping goes.
     */
    if (xl) {
        not_mine[0] = pv_virt_to_mfn(&start);
        rc = reservation(XENMEM_decrease_reservation, (uint64_t)&not_mine[0], 1);
        xtf_check(rc == 0, "decrease_reservation of our own mapped stack frame: %ld, want 0", rc);
    }
    /* Extent lists in the hypervisor's range or unmapped: 0 done, as in Xen. */
    rc = reservation(XENMEM_decrease_reservation, 0xFFFF800000000000UL, 1);
    xtf_check(rc == 0, "decrease_reservation with a list in Xen's range: %ld, want 0", rc);
    rc = reservation(XENMEM_populate_physmap, 0x1000, 1);
    xtf_check(rc == 0, "populate_physmap with an unmapped list: %ld, want 0", rc);
    rc = memop(XENMEM_increase_reservation, (void *)0x1000);
    xtf_check(rc == 0, "increase_reservation with an unmapped struct: %ld, want 0", rc);
    xtf_check(current_pages() == start, "refusals changed the reservation: %ld -> %ld", start,
              current_pages());

    rc = memop(XENMEM_current_reservation | (1 << XENMEMOP_EXTENT_SHIFT), &(uint16_t){0});
    xtf_check(rc == -XEN_EINVAL, "current_reservation with a resume point: %ld, want -EINVAL", rc);
    rc = memop(63, NULL);
    xtf_check(rc == -XEN_ENOSYS, "memory_op 63: %ld, want -ENOSYS", rc);
    rc = memop(8, NULL); /* XENMEM_translate_gpfn_list, long gone */
    xtf_check(rc == -XEN_ENOSYS, "memory_op 8: %ld, want -ENOSYS", rc);
}

void test_main(void)
{
    const struct start_info *si = pv_start_info;
    bool xl = pv_on_xen_lite();
    long max_page, max_pages;

    pv_printf("running on %s\n", xl ? "xen-lite" : "Xen");
    check_queries(si, xl, &max_page, &max_pages);
    check_round_trip(si, max_pages);
    check_refusals(xl, max_page);
    xtf_success();
}
