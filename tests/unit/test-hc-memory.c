/* SPDX-License-Identifier: MIT */
/* Unit tests for memory_op (hypercalls/memory.c). */
#include <criterion/criterion.h>
#include <public/memory.h>
#include <public/xen.h>
#include <frame-alloc.h>
#include "harness/harness.h"

TestSuite(memory_op, .init = harness_boot);

#define EXTENT(cmd, start) ((uint64_t)(cmd) | ((uint64_t)(start) << XENMEMOP_EXTENT_SHIFT))
#define BAD_VA             (GUEST_BASE - 4096) /* canonical guest space, but unmapped */
#define NO_DOMAIN          7                   /* a domid nobody has */

static long memop(uint64_t cmd, uint64_t arg)
{
    return hc(__HYPERVISOR_memory_op, cmd, arg);
}

/* ---- The host RAM map: boot_ram_ranges() lives in setup.c, not compiled here ---- */

static const struct mem_range host_ram[] = {
    {0, 0x9f000}, {0x100000, 0x800000}, {0x800000 + 0x1000, FAKE_RAM_BYTES}};
static int host_nr_ram = ARRAY_SIZE(host_ram); /* < 0: the accessor's error */

int boot_ram_ranges(const struct mem_range **r)
{
    *r = host_ram;
    return host_nr_ram;
}

/* ---- Sub-ops that do not take a resume point ---- */

/* The high bits of cmd: -EINVAL for common-code ops, an unknown cmd (-ENOSYS) for arch ops. */
Test(memory_op, start_extent_on_plain_ops)
{
    static const struct {
        unsigned int op;
        long rc;
    } cases[] = {
        {XENMEM_maximum_ram_page, -XEN_EINVAL},    {XENMEM_current_reservation, -XEN_EINVAL},
        {XENMEM_maximum_reservation, -XEN_EINVAL}, {XENMEM_machphys_mfn_list, -XEN_ENOSYS},
        {XENMEM_machphys_mapping, -XEN_ENOSYS},    {XENMEM_memory_map, -XEN_ENOSYS},
        {XENMEM_machine_memory_map, -XEN_ENOSYS},
    };
    uint64_t arg = guest_alloc(64);

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++)
        cr_assert_eq(memop(EXTENT(cases[i].op, 1), arg), cases[i].rc, "op %u", cases[i].op);
}

/* Ops xen-lite does not implement (add_to_physmap, exchange, set_memory_map, maximum_gpfn,
 * remove_from_physmap, acquire_resource) and numbers that are no op at all. */
Test(memory_op, unknown_cmd_is_enosys)
{
    static const uint64_t cmds[] = {
        XENMEM_add_to_physmap, 8, XENMEM_exchange, 13, 14, 15, 28, 29, 63};

    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
        cr_assert_eq(memop(cmds[i], guest_alloc(64)), -XEN_ENOSYS, "cmd %lu", cmds[i]);
}

/* maximum_ram_page is Xen's max_page: one past the highest RAM frame. */
Test(memory_op, maximum_ram_page)
{
    cr_assert_eq(memop(XENMEM_maximum_ram_page, 0), (long)max_ram_mfn() + 1);
    cr_assert_eq(memop(XENMEM_maximum_ram_page, 0), (long)frame_table_size);
}

/* current/maximum_reservation: who may ask about whom. */
Test(memory_op, reservation_queries)
{
    static const struct {
        bool as_dom0;
        uint16_t domid;
        int want; /* 1: domu's numbers, 0: dom0's, else the error */
    } cases[] = {
        {false, DOMID_SELF, 1},         /* a domain about itself, by DOMID_SELF */
        {false, 1, 1},                  /* ... and by its own id */
        {false, 0, -XEN_EPERM},         /* a domU about dom0 */
        {false, NO_DOMAIN, -XEN_ESRCH}, /* nobody has that id */
        {false, DOMID_IO, -XEN_ESRCH},  /* special ids are no domain here */
        {true, 1, 1},                   /* dom0 about a domU */
        {true, DOMID_SELF, 0},          /* dom0 about itself */
        {true, NO_DOMAIN, -XEN_ESRCH},
    };

    domu->tot_pages = 17;
    domu->max_pages = 300;
    dom0->tot_pages = 5;
    dom0->max_pages = 900;
    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        struct domain *d = cases[i].want == 1 ? domu : dom0;
        uint64_t arg = guest_put(&cases[i].domid, sizeof(cases[i].domid));
        bool err = cases[i].want < 0;

        harness_set_current(cases[i].as_dom0 ? dom0 : domu);
        cr_assert_eq(memop(XENMEM_current_reservation, arg),
                     err ? cases[i].want : (long)d->tot_pages, "case %u", i);
        cr_assert_eq(memop(XENMEM_maximum_reservation, arg),
                     err ? cases[i].want : (long)d->max_pages, "case %u", i);
    }
    domu->tot_pages = dom0->tot_pages = 0; /* the frame lists hold nothing of these */
}

/* Every op that reads or writes a struct at arg refuses one it cannot reach. */
Test(memory_op, unreachable_arg_is_efault)
{
    static const unsigned int ops[] = {XENMEM_current_reservation, XENMEM_maximum_reservation,
                                       XENMEM_machphys_mfn_list,   XENMEM_machphys_mapping,
                                       XENMEM_memory_map,          XENMEM_machine_memory_map};
    static const uint64_t bad[] = {0, BAD_VA, HV_VIRT_START, GUEST_BASE + GUEST_SIZE - 1};

    harness_set_current(dom0); /* machine_memory_map checks privilege first */
    for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++)
        for (unsigned int j = 0; j < ARRAY_SIZE(bad); j++)
            cr_assert_eq(memop(ops[i], bad[j]), -XEN_EFAULT, "op %u arg %#lx", ops[i], bad[j]);
}

/* ---- The M2P ---- */

/* machphys_mapping: the read-only M2P at RO_MPT_VIRT_START, as far as it is mapped. */
Test(memory_op, machphys_mapping)
{
    uint64_t va = guest_alloc(sizeof(struct xen_machphys_mapping));
    const struct xen_machphys_mapping *m = guest_mem(va, sizeof(*m));

    cr_assert_eq(memop(XENMEM_machphys_mapping, va), 0);
    cr_assert_eq(m->v_start, RO_MPT_VIRT_START);
    cr_assert_eq(m->v_end, RO_MPT_VIRT_START + (2ULL << 20)); /* 4096 frames: one 2 MiB chunk */
    cr_assert_eq(m->max_mfn, frame_table_size - 1);
    cr_assert_geq(m->v_end - m->v_start, (m->max_mfn + 1) * 8);
}

/* machphys_mfn_list: the M2P's 2 MiB chunks, as many as asked for and exist. */
Test(memory_op, machphys_mfn_list)
{
    static const struct {
        uint32_t max_extents;
        uint64_t list; /* 1: a good buffer */
        long rc;
        uint32_t nr;
    } cases[] = {
        {0, 1, 0, 0},                /* no room: nothing written */
        {1, 1, 0, 1},                /* room for exactly the one chunk */
        {8, 1, 0, 1},                /* more room than chunks */
        {0, BAD_VA, 0, 0},           /* no room, so the bad buffer is never touched */
        {1, BAD_VA, -XEN_EFAULT, 0}, /* unmapped buffer */
        {1, HV_VIRT_START, -XEN_EFAULT, 0},
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        uint64_t buf = guest_alloc(8 * 8);
        struct xen_machphys_mfn_list l = {.max_extents = cases[i].max_extents,
                                          .extent_start = cases[i].list == 1 ? buf : cases[i].list,
                                          .nr_extents = 0xdead};
        uint64_t arg = guest_put(&l, sizeof(l));
        struct xen_machphys_mfn_list *out = guest_mem(arg, sizeof(l));

        cr_assert_eq(memop(XENMEM_machphys_mfn_list, arg), cases[i].rc, "case %u", i);
        if (cases[i].rc)
            continue;
        cr_assert_eq(out->nr_extents, cases[i].nr, "case %u", i);
        cr_assert_eq(out->max_extents, cases[i].max_extents);
        for (uint32_t k = 0; k < cases[i].nr; k++)
            cr_assert_eq(((uint64_t *)guest_mem(buf, 64))[k], virt_to_mfn(m2p_table) + k * 512);
        cr_assert_eq(((uint64_t *)guest_mem(buf, 64))[cases[i].nr], 0, "wrote past the chunks");
    }
}

/* ---- Memory maps ---- */

/* memory_map: one RAM entry covering the caller's max_pages; nr_entries in = room. */
Test(memory_op, memory_map)
{
    static const uint32_t rooms[] = {0, 1, 4};

    domu->max_pages = 300;
    for (unsigned int i = 0; i < ARRAY_SIZE(rooms); i++) {
        uint64_t buf = guest_alloc(4 * sizeof(struct e820entry));
        struct xen_memory_map map = {.nr_entries = rooms[i], .buffer = buf};
        uint64_t arg = guest_put(&map, sizeof(map));
        const struct xen_memory_map *out = guest_mem(arg, sizeof(map));
        const struct e820entry *e = guest_mem(buf, 4 * sizeof(*e));

        memset(guest_mem(buf, 4 * sizeof(*e)), 0xee, 4 * sizeof(*e));
        cr_assert_eq(memop(XENMEM_memory_map, arg), 0, "room %u", rooms[i]);
        cr_assert_eq(out->nr_entries, rooms[i] ? 1 : 0, "room %u", rooms[i]);
        if (rooms[i]) {
            cr_assert_eq(e[0].addr, 0);
            cr_assert_eq(e[0].size, 300 * 4096ULL);
            cr_assert_eq(e[0].type, E820_RAM);
        }
        cr_assert_eq(e[rooms[i] ? 1 : 0].type, 0xeeeeeeee, "wrote more than one entry");
    }
}

/* memory_map with room but a buffer the guest cannot reach. */
Test(memory_op, memory_map_bad_buffer_is_efault)
{
    static const uint64_t bad[] = {0, BAD_VA, HV_VIRT_START};

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        struct xen_memory_map map = {.nr_entries = 1, .buffer = bad[i]};

        cr_assert_eq(memop(XENMEM_memory_map, guest_put(&map, sizeof(map))), -XEN_EFAULT);
    }
}

/* machine_memory_map: the host's RAM ranges, for dom0 only, with Xen's room rules. */
Test(memory_op, machine_memory_map)
{
    static const struct {
        bool as_dom0;
        uint32_t room;
        uint64_t buffer; /* 1: a good one */
        long rc;
        uint32_t nr_out;
    } cases[] = {
        {false, 8, 1, -XEN_EPERM, 8}, /* a domU may not see the host */
        {true, 8, 1, 0, 3},           /* three ranges, plenty of room */
        {true, 4, 1, 0, 3},           /* Xen wants one entry of room more than the map */
        {true, 3, 1, -XEN_EINVAL, 3}, /* ... so exactly the map's size is too small */
        {true, 0, 0, 0, 3},           /* a NULL buffer only counts */
        {true, 8, BAD_VA, -XEN_EFAULT, 8},
        {true, 8, HV_VIRT_START, -XEN_EFAULT, 8}, /* checked before anything is written */
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        uint64_t buf = guest_alloc(8 * sizeof(struct e820entry));
        struct xen_memory_map map = {.nr_entries = cases[i].room,
                                     .buffer = cases[i].buffer == 1 ? buf : cases[i].buffer};
        uint64_t arg = guest_put(&map, sizeof(map));
        const struct e820entry *e = guest_mem(buf, 8 * sizeof(*e));

        harness_set_current(cases[i].as_dom0 ? dom0 : domu);
        cr_assert_eq(memop(XENMEM_machine_memory_map, arg), cases[i].rc, "case %u", i);
        cr_assert_eq(((struct xen_memory_map *)guest_mem(arg, sizeof(map)))->nr_entries,
                     cases[i].nr_out, "case %u", i);
        if (cases[i].rc || cases[i].buffer != 1)
            continue;
        for (unsigned int k = 0; k < 3; k++) {
            cr_assert_eq(e[k].addr, host_ram[k].start, "case %u entry %u", i, k);
            cr_assert_eq(e[k].size, host_ram[k].end - host_ram[k].start);
            cr_assert_eq(e[k].type, E820_RAM);
        }
    }
}

/* Without the boot RAM accessor (memory.c's weak stand-in) the op is not available. */
Test(memory_op, machine_memory_map_without_ranges_is_enosys)
{
    struct xen_memory_map map = {.nr_entries = 8, .buffer = guest_alloc(160)};

    host_nr_ram = -XEN_ENOSYS;
    harness_set_current(dom0);
    cr_assert_eq(memop(XENMEM_machine_memory_map, guest_put(&map, sizeof(map))), -XEN_ENOSYS);
}

/* ---- Reservations ---- */

static uint64_t reservation(uint64_t list, uint64_t nr, uint32_t order, uint32_t flags,
                            uint16_t domid)
{
    struct xen_memory_reservation r = {.extent_start = list,
                                       .nr_extents = nr,
                                       .extent_order = order,
                                       .mem_flags = flags,
                                       .domid = domid};

    return guest_put(&r, sizeof(r));
}

static uint64_t *list_of(uint64_t va, unsigned int n)
{
    return guest_mem(va, n * 8);
}

/* increase_reservation: new zeroed frames owned and counted, their MFNs written out. */
Test(memory_op, increase_allocates_and_reports_mfns)
{
    uint64_t list = guest_alloc(4 * 8);

    cr_assert_eq(memop(XENMEM_increase_reservation, reservation(list, 4, 0, 0, DOMID_SELF)), 4);
    cr_assert_eq(domu->tot_pages, 4);
    for (unsigned int i = 0; i < 4; i++) {
        uint64_t mfn = list_of(list, 4)[i];

        cr_assert(frame_owned_by(mfn, domu), "extent %u: mfn %#lx", i, mfn);
        cr_assert_eq(((uint64_t *)mfn_to_virt(mfn))[100], 0, "frame not zeroed");
        cr_assert_eq(m2p_table[mfn], INVALID_M2P_ENTRY, "increase has no GPFN for it");
        for (unsigned int j = 0; j < i; j++)
            cr_assert_neq(mfn, list_of(list, 4)[j]);
    }
}

/* The reservation ops never fail with an errno: a request that cannot start returns
 * start_extent (here 0) and changes nothing.  (*) Xen checks only where such a list starts,
 * so its increase allocates one frame and then faults writing it out: also 0 done. */
Test(memory_op, reservation_refusals_return_start_extent)
{
    static const unsigned int ops[] = {XENMEM_increase_reservation, XENMEM_decrease_reservation,
                                       XENMEM_populate_physmap};
    static const struct {
        uint64_t list; /* 1: a good one */
        uint64_t nr;
        uint32_t order, flags;
        uint16_t domid;
    } cases[] = {
        {1, 2, 0, 0, 0},                                 /* a domU acting on dom0 */
        {1, 2, 0, 0, NO_DOMAIN},                         /* nobody has that id */
        {1, 2, 10, 0, DOMID_SELF},                       /* order above a domU's 9 */
        {1, 2, 0, XENMEMF_address_bits(12), DOMID_SELF}, /* address limit of one page */
        {1, 2, 0, XENMEMF_address_bits(5), DOMID_SELF},  /* ... or less */
        {HV_VIRT_START, 2, 0, 0, DOMID_SELF},            /* list in the hypervisor's range */
        {0x00007ffffffffff8, 2, 0, 0, DOMID_SELF},       /* list crossing the canonical hole (*) */
        {1, (UINT32_MAX >> 6) + 1, 0, 0, DOMID_SELF},    /* too many to encode a continuation */
        {1, 0, 0, 0, DOMID_SELF},                        /* nothing to do */
    };
    uint64_t mine = domain_frame(domu, PGT_none);

    for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++)
        for (unsigned int c = 0; c < ARRAY_SIZE(cases); c++) {
            uint64_t list = cases[c].list == 1 ? guest_put(&mine, 8) : cases[c].list;
            uint64_t arg =
                reservation(list, cases[c].nr, cases[c].order, cases[c].flags, cases[c].domid);

            cr_assert_eq(memop(ops[i], arg), 0, "op %u case %u", ops[i], c);
            cr_assert_eq(domu->tot_pages, 1, "op %u case %u", ops[i], c);
            cr_assert_eq(dom0->tot_pages, 0, "op %u case %u", ops[i], c);
            cr_assert(frame_owned_by(mine, domu));
        }
    for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++) {
        cr_assert_eq(memop(ops[i], BAD_VA), 0, "unreadable reservation, op %u", ops[i]);
        cr_assert_eq(memop(ops[i], HV_VIRT_START), 0, "op %u", ops[i]);
    }
}

/* The domain's limit: tot_pages never passes max_pages; the count says how far it got. */
Test(memory_op, increase_stops_at_max_pages)
{
    uint64_t list = guest_alloc(5 * 8);

    domu->max_pages = 2;
    cr_assert_eq(memop(XENMEM_increase_reservation, reservation(list, 5, 0, 0, DOMID_SELF)), 2);
    cr_assert_eq(domu->tot_pages, 2);
    cr_assert_eq(list_of(list, 5)[2], 0, "no MFN for an extent not allocated");
    cr_assert_eq(memop(XENMEM_increase_reservation, reservation(list, 1, 0, 0, DOMID_SELF)), 0);
}

/* A NULL extent list: increase allocates without reporting (Xen allows it). */
Test(memory_op, increase_without_list)
{
    cr_assert_eq(memop(XENMEM_increase_reservation, reservation(0, 3, 0, 0, DOMID_SELF)), 3);
    cr_assert_eq(domu->tot_pages, 3);
}

/* address_bits: a limit at or above what RAM needs is none; below it, frames at or above
 * the limit are not handed out.  Fake RAM is 16 MiB, so 24 bits cover it all. */
Test(memory_op, increase_address_bits)
{
    static const struct {
        unsigned int bits;
        long done;
    } cases[] = {
        {0, 1},   /* no limit */
        {24, 1},  /* exactly all of RAM */
        {64, 1},  /* more than any machine has */
        {255, 1}, /* the largest the 8-bit field holds */
        {13, 0},  /* frames 0 and 1 only: reserved */
        {20, 0},  /* the first MiB: reserved */
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        uint64_t tot = domu->tot_pages, list = guest_alloc(8);
        uint64_t arg = reservation(list, 1, 0, XENMEMF_address_bits(cases[i].bits), DOMID_SELF);

        cr_assert_eq(memop(XENMEM_increase_reservation, arg), cases[i].done, "bits %u",
                     cases[i].bits);
        cr_assert_eq(domu->tot_pages, tot + cases[i].done, "bits %u: frame kept", cases[i].bits);
    }
}

/* A list the guest cannot write: the extent is allocated (and stays with the domain, as
 * in Xen) but not counted as done. */
Test(memory_op, increase_unwritable_list)
{
    uint64_t list = GUEST_BASE + GUEST_SIZE - 4096;

    guest_unmap_page(list);
    cr_assert_eq(memop(XENMEM_increase_reservation, reservation(list, 2, 0, 0, DOMID_SELF)), 0);
    cr_assert_eq(domu->tot_pages, 1);
}

/* start_extent in cmd: the batch resumes there, and the count includes what was skipped. */
Test(memory_op, start_extent_resumes_a_batch)
{
    uint64_t list = guest_alloc(5 * 8), arg = reservation(list, 5, 0, 0, DOMID_SELF);

    cr_assert_eq(memop(EXTENT(XENMEM_increase_reservation, 2), arg), 5);
    cr_assert_eq(domu->tot_pages, 3);
    cr_assert_eq(list_of(list, 5)[0], 0);
    cr_assert_eq(list_of(list, 5)[1], 0);
    for (unsigned int i = 2; i < 5; i++)
        cr_assert(frame_owned_by(list_of(list, 5)[i], domu));
    /* At or past the end: nothing to do, start_extent back. */
    cr_assert_eq(memop(EXTENT(XENMEM_increase_reservation, 5), arg), 5);
    cr_assert_eq(memop(EXTENT(XENMEM_decrease_reservation, 9), arg), 9);
    cr_assert_eq(domu->tot_pages, 3);
}

/* The privileged domain may change another domain's reservation; frames go to the target. */
Test(memory_op, dom0_acts_for_a_domu)
{
    uint64_t list = guest_alloc(2 * 8);

    harness_set_current(dom0);
    cr_assert_eq(memop(XENMEM_increase_reservation, reservation(list, 2, 0, 0, 1)), 2);
    cr_assert_eq(domu->tot_pages, 2);
    cr_assert_eq(dom0->tot_pages, 0);
    cr_assert(frame_owned_by(list_of(list, 2)[0], domu));
    cr_assert_eq(memop(XENMEM_decrease_reservation, reservation(list, 2, 0, 0, 1)), 2);
    cr_assert_eq(domu->tot_pages, 0);
}

/* Orders: the caller's privilege sets the limit (dom0: 18, domU: 9).  Probed with a
 * decrease whose extent starts with a free frame of the caller and continues into frames
 * it does not own: an allowed order frees that first frame (then stops: 0 done), a refused
 * one touches nothing. */
Test(memory_op, extent_order_limits)
{
    static const struct {
        bool as_dom0;
        uint32_t order;
        bool allowed;
    } cases[] = {{false, 1, true}, {false, 9, true}, {false, 10, false},
                 {true, 12, true}, {true, 18, true}, {true, 19, false}};

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        struct domain *d = cases[i].as_dom0 ? dom0 : domu;
        uint64_t mfn = domain_frame(d, PGT_none), tot = d->tot_pages;

        harness_set_current(d);
        cr_assert_eq(memop(XENMEM_decrease_reservation,
                           reservation(guest_put(&mfn, 8), 1, cases[i].order, 0, DOMID_SELF)),
                     0, "case %u", i);
        cr_assert_eq(d->tot_pages, tot - cases[i].allowed, "case %u", i);
    }
}

/* A 2 MiB extent (order 9, the most a domU may ask for): contiguous and aligned. */
Test(memory_op, increase_superpage)
{
    uint64_t list = guest_alloc(8);

    domu->max_pages = 1024;
    cr_assert_eq(memop(XENMEM_increase_reservation, reservation(list, 1, 9, 0, DOMID_SELF)), 1);
    cr_assert_eq(domu->tot_pages, 512);
    cr_assert_eq(list_of(list, 1)[0] % 512, 0);
    for (unsigned int i = 0; i < 512; i++)
        cr_assert(frame_owned_by(list_of(list, 1)[0] + i, domu));
}

/* populate_physmap: each GPFN gets a new frame; the M2P says so; the MFN replaces it. */
Test(memory_op, populate_backs_gpfns)
{
    const uint64_t gpfns[] = {10, 11, 4000};
    uint64_t list = guest_put(gpfns, sizeof(gpfns));

    cr_assert_eq(memop(XENMEM_populate_physmap, reservation(list, 3, 0, 0, DOMID_SELF)), 3);
    cr_assert_eq(domu->tot_pages, 3);
    for (unsigned int i = 0; i < 3; i++) {
        uint64_t mfn = list_of(list, 3)[i];

        cr_assert(frame_owned_by(mfn, domu), "extent %u", i);
        cr_assert_eq(m2p_table[mfn], gpfns[i], "extent %u", i);
    }
}

/* populate stops at the domain's limit, at an unreadable GPFN, and refuses PoD for PV. */
Test(memory_op, populate_partial_and_refused)
{
    uint64_t gpfns[4] = {1, 2, 3, 4}, list = guest_put(gpfns, sizeof(gpfns));
    uint64_t edge = GUEST_BASE + GUEST_SIZE - 8; /* last word before an unmapped page */
    const uint32_t pod = XENMEMF_populate_on_demand;

    domu->max_pages = 2;
    cr_assert_eq(memop(XENMEM_populate_physmap, reservation(list, 4, 0, 0, DOMID_SELF)), 2);
    cr_assert_eq(list_of(list, 4)[2], 3, "GPFN past the limit left as it was");
    domu->max_pages = 10;
    cr_assert_eq(memop(XENMEM_populate_physmap, reservation(list, 4, 0, pod, DOMID_SELF)), 0);
    *list_of(edge, 1) = 7; /* its successor lies past the end of the guest's memory */
    cr_assert_eq(memop(XENMEM_populate_physmap, reservation(edge, 2, 0, 0, DOMID_SELF)), 1);
    cr_assert_eq(domu->tot_pages, 3);
}

/* decrease_reservation: frames the domain owns and nobody uses go back, scrubbed. */
Test(memory_op, decrease_frees_unused_frames)
{
    const uint64_t gpfns[] = {5, 6, 7};
    uint64_t list = guest_put(gpfns, sizeof(gpfns)), mfn;

    /* populate leaves the new MFNs in the list: exactly what decrease takes. */
    cr_assert_eq(memop(XENMEM_populate_physmap, reservation(list, 3, 0, 0, DOMID_SELF)), 3);
    mfn = list_of(list, 3)[1];
    memset(mfn_to_virt(mfn), 0x5a, 4096);
    cr_assert_eq(memop(XENMEM_decrease_reservation, reservation(list, 3, 0, 0, DOMID_SELF)), 3);
    cr_assert_eq(domu->tot_pages, 0);
    cr_assert_eq(domu->first_mfn_list, domu->shared_info_mfn, "only shared_info is left");
    cr_assert_null(mfn_to_page(mfn)->owner);
    cr_assert_eq(m2p_table[mfn], INVALID_M2P_ENTRY);
    cr_assert_eq(((uint8_t *)mfn_to_virt(mfn))[123], 0, "not scrubbed");
}

/* Frames that cannot go stop the batch: the count says how many went before. */
Test(memory_op, decrease_stops_at_a_frame_it_cannot_free)
{
    enum { UNOWNED, NOT_RAM, OTHERS, COUNTED, TYPED, PINNED_L4, SHARED_INFO, TWICE };
    static const char *const what[] = {"reserved low frame", "beyond RAM",          "dom0's frame",
                                       "referenced",         "typed (writable)",    "pinned L4",
                                       "shared_info",        "the same frame twice"};

    for (unsigned int c = UNOWNED; c <= TWICE; c++) {
        uint64_t good = domain_frame(domu, PGT_none), bad, tot;
        struct page_info *pg;

        switch (c) {
        case UNOWNED:
            bad = 1;
            break;
        case NOT_RAM:
            bad = 1ULL << 30;
            break;
        case OTHERS:
            bad = domain_frame(dom0, PGT_none);
            break;
        case SHARED_INFO:
            bad = domu->shared_info_mfn;
            break;
        case TWICE:
            bad = good;
            break;
        default:
            bad = domain_frame(domu, c == PINNED_L4 ? PGT_l4 : PGT_writable);
            pg = mfn_to_page(bad);
            pg->count = c == COUNTED || c == PINNED_L4;
            pg->type_count = c == TYPED || c == PINNED_L4;
            pg->flags |= c == PINNED_L4 ? PGF_pinned : 0;
            break;
        }
        tot = domu->tot_pages;
        cr_assert_eq(
            memop(XENMEM_decrease_reservation,
                  reservation(guest_put(&(uint64_t[]){good, bad, good}, 24), 3, 0, 0, DOMID_SELF)),
            1, "%s", what[c]);
        cr_assert_eq(domu->tot_pages, tot - 1, "%s", what[c]);
        if (c != TWICE && c != UNOWNED && c != NOT_RAM && c != OTHERS)
            cr_assert(frame_owned_by(bad, domu), "%s", what[c]);
        if (c == OTHERS)
            cr_assert(frame_owned_by(bad, dom0));
    }
}

/* decrease of an order > 0 extent: every frame of it must go; dom0 may use order 1. */
Test(memory_op, decrease_order_one)
{
    uint64_t a = domain_frame(dom0, PGT_none), b = domain_frame(dom0, PGT_none);

    harness_set_current(dom0);
    if (b != a + 1)
        cr_skip_test("the allocator did not hand out neighbours");
    cr_assert_eq(
        memop(XENMEM_decrease_reservation, reservation(guest_put(&a, 8), 1, 1, 0, DOMID_SELF)), 1);
    cr_assert_eq(dom0->tot_pages, 0);
}
