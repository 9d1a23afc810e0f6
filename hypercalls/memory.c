/* SPDX-License-Identifier: MIT */
/* memory_op: reservations, the pseudo-physical and machine memory maps, the M2P table. */
#include <public/memory.h>
#include <public/xen.h>
#include <asm/percpu.h>
#include <bootinfo.h>
#include <domain.h>
#include <frame-alloc.h>
#include <hypercall.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>

/*
 * Largest extent order a caller may ask for: Xen's x86 defaults, CONFIG_DOMU_MAX_ORDER (9,
 * one 2 MiB superpage) for an ordinary domain and CONFIG_PAGEALLOC_MAX_ORDER (18) for the
 * control domain.  The caller's privilege counts, not the target's (Xen's max_order()).
 */
#define MEMOP_DOMU_MAX_ORDER   9
#define MEMOP_CTLDOM_MAX_ORDER 18

/* The M2P is mapped in 2 MiB chunks (paging.c's m2p_init()): one uint64_t per frame. */
#define M2P_CHUNK_BYTES (2ULL << 20)
#define M2P_CHUNK_PAGES 512

/* One increase/decrease/populate request after its checks: Xen's struct memop_args. */
struct memop {
    struct domain *d; /* whose reservation changes */
    guest_ptr_t list; /* extent_start: uint64_t per extent */
    uint64_t nr_extents;
    unsigned int order;
    uint64_t mfn_limit; /* allocations must lie below this frame (address_bits) */
    uint64_t done;      /* extents processed, including the start_extent skipped */
};

static unsigned int max_order(const struct domain *caller)
{
    return caller->is_privileged ? MEMOP_CTLDOM_MAX_ORDER : MEMOP_DOMU_MAX_ORDER;
}

/* Xen's XSM_TARGET default: a domain acts on itself, the privileged domain on anyone. */
static bool may_act_on(const struct domain *caller, const struct domain *target)
{
    return caller == target || caller->is_privileged;
}

/* Smallest order with 2^order >= n pages (Xen's get_order_from_pages). */
static unsigned int order_from_pages(uint64_t n)
{
    unsigned int order = 0;

    while (order < 63 && (1ULL << order) < n)
        order++;
    return order;
}

/*
 * The address_bits in mem_flags, as an mfn every allocated frame must stay below.  0, or
 * enough bits for all of RAM, means no limit; a limit of one page or less is refused.
 */
static bool mfn_limit_from_flags(uint32_t mem_flags, uint64_t *limit)
{
    unsigned int bits = XENMEMF_get_address_bits(mem_flags);

    *limit = UINT64_MAX;
    if (bits == 0 || bits >= order_from_pages(frame_table_size) + 12)
        return true;
    if (bits <= 12)
        return false;
    *limit = 1ULL << (bits - 12);
    return true;
}

/* True if the guest array [list + first*8, list + nr*8) lies where a guest may point. */
static bool extents_ok(guest_ptr_t list, uint64_t first, uint64_t nr)
{
    return guest_range_ok(list.va + first * 8, (nr - first) * 8);
}

/*
 * Gives frame mfn of d back, if nothing references it.  Xen's guest_remove_page() would
 * also unpin it and drop the domain's allocation reference, freeing the frame once its
 * last user lets go; xen-lite frees at once, so a frame still mapped, pinned or in use as
 * a page table or descriptor frame stops the batch instead.  shared_info (xen_heap) is
 * hypervisor memory the domain cannot give away.
 */
static bool remove_frame(struct domain *d, uint64_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    if (!pg || pg->owner != d || (pg->flags & PGF_xen_heap) || pg->count || pg->type_count)
        return false;
    domain_free_frame(d, mfn);
    return true;
}

/* increase_reservation: new extents for m->d; their MFNs out to the list, if any. */
static void increase_reservation(struct memop *m)
{
    if (!guest_ptr_is_null(m->list) && !extents_ok(m->list, m->done, m->nr_extents))
        return;
    if (m->order > max_order(current->domain))
        return;
    for (; m->done < m->nr_extents; m->done++) {
        uint64_t mfn = domain_alloc_frames(m->d, m->order, m->mfn_limit);

        if (mfn == INVALID_MFN)
            return;
        /* A fault here leaves the extent with the domain, uncounted, as in Xen. */
        if (!guest_ptr_is_null(m->list) && copy_to_guest_elem(m->list, m->done, &mfn, 8))
            return;
    }
}

/* populate_physmap: back each GPFN in the list with a new extent; M2P set, MFN out. */
static void populate_physmap(struct memop *m)
{
    if (!extents_ok(m->list, m->done, m->nr_extents) || m->order > max_order(current->domain))
        return;
    for (; m->done < m->nr_extents; m->done++) {
        uint64_t gpfn, mfn;

        if (copy_from_guest_elem(&gpfn, m->list, m->done, 8))
            return;
        mfn = domain_alloc_frames(m->d, m->order, m->mfn_limit);
        if (mfn == INVALID_MFN)
            return;
        for (uint64_t j = 0; j < (1ULL << m->order); j++)
            set_m2p(mfn + j, gpfn + j);
        if (copy_to_guest_elem(m->list, m->done, &mfn, 8))
            return;
    }
}

/* decrease_reservation: free the extents whose first GMFN (an MFN for PV) is listed. */
static void decrease_reservation(struct memop *m)
{
    if (!extents_ok(m->list, m->done, m->nr_extents) || m->order > max_order(current->domain))
        return;
    for (; m->done < m->nr_extents; m->done++) {
        uint64_t gmfn;

        if (copy_from_guest_elem(&gmfn, m->list, m->done, 8))
            return;
        /* A frame that cannot go stops the batch; those before it in the extent are gone. */
        for (uint64_t j = 0; j < (1ULL << m->order); j++)
            if (!remove_frame(m->d, gmfn + j))
                return;
    }
}

/*
 * The three reservation ops.  As in Xen they never return an error: a request that cannot
 * start (unreadable struct, unknown or forbidden domain, bad flags or order, extent list
 * outside guest space) returns start_extent, i.e. nothing done; otherwise the number of
 * extents processed.  Xen preempts long batches with a continuation (start_extent in the
 * high bits of cmd); xen-lite runs the batch to the end, which is bounded because every
 * extent either changes the domain's memory (at most max_pages, or what it owns) or stops
 * the batch.  NUMA node hints in mem_flags are ignored: there is one node.
 */
static long reservation_op(unsigned int op, uint64_t start_extent, guest_ptr_t arg)
{
    struct domain *caller = current->domain;
    struct xen_memory_reservation r;
    struct memop m;

    if (copy_from_guest(&r, arg, sizeof(r)))
        return (long)start_extent;
    if (r.nr_extents > (UINT32_MAX >> XENMEMOP_EXTENT_SHIFT) || start_extent >= r.nr_extents)
        return (long)start_extent;
    m = (struct memop){.d = domain_lookup(r.domid),
                       .list = guest_ptr(r.extent_start),
                       .nr_extents = r.nr_extents,
                       .order = r.extent_order,
                       .done = start_extent};
    if (!m.d || !mfn_limit_from_flags(r.mem_flags, &m.mfn_limit) || !may_act_on(caller, m.d))
        return (long)start_extent;
    /* Populate-on-demand needs a translated (HVM) target: never possible for PV. */
    if (op == XENMEM_populate_physmap && (r.mem_flags & XENMEMF_populate_on_demand))
        return (long)start_extent;

    switch (op) {
    case XENMEM_increase_reservation:
        increase_reservation(&m);
        break;
    case XENMEM_decrease_reservation:
        decrease_reservation(&m);
        break;
    default:
        populate_physmap(&m);
        break;
    }
    return (long)m.done;
}

/* current/maximum_reservation: arg points at a domid_t. */
static long reservation_query(unsigned int op, guest_ptr_t arg)
{
    uint16_t domid;
    struct domain *d;

    if (copy_from_guest(&domid, arg, sizeof(domid)))
        return -XEN_EFAULT;
    d = domain_lookup(domid);
    if (!d)
        return -XEN_ESRCH;
    if (!may_act_on(current->domain, d))
        return -XEN_EPERM;
    return (long)(op == XENMEM_current_reservation ? d->tot_pages : d->max_pages);
}

/* Number of 2 MiB chunks the M2P mapping spans. */
static uint64_t m2p_chunks(void)
{
    return (frame_table_size * 8 + M2P_CHUNK_BYTES - 1) / M2P_CHUNK_BYTES;
}

/* machphys_mfn_list: the first MFN of each 2 MiB chunk of the M2P, up to max_extents. */
static long machphys_mfn_list(guest_ptr_t arg)
{
    struct xen_machphys_mfn_list l;
    uint64_t base = virt_to_mfn(m2p_table), n = m2p_chunks();
    uint32_t i;

    if (copy_from_guest(&l, arg, sizeof(l)))
        return -XEN_EFAULT;
    for (i = 0; i != l.max_extents && i < n; i++) {
        uint64_t mfn = base + (uint64_t)i * M2P_CHUNK_PAGES;

        if (copy_to_guest_elem(guest_ptr(l.extent_start), i, &mfn, 8))
            return -XEN_EFAULT;
    }
    l.nr_extents = i;
    return copy_to_guest(arg, &l, sizeof(l)) ? -XEN_EFAULT : 0;
}

/*
 * machphys_mapping: where the read-only M2P is and which MFNs it covers.  Xen reports its
 * whole reserved window (v_end = 0xFFFF804000000000) and, to a domU, max_mfn for all of
 * it; xen-lite reports the part that is mapped, so every entry up to max_mfn is readable.
 */
static long machphys_mapping(guest_ptr_t arg)
{
    struct xen_machphys_mapping map = {
        .v_start = RO_MPT_VIRT_START,
        .v_end = RO_MPT_VIRT_START + m2p_chunks() * M2P_CHUNK_BYTES,
        .max_mfn = frame_table_size - 1,
    };

    return copy_to_guest(arg, &map, sizeof(map)) ? -XEN_EFAULT : 0;
}

/*
 * memory_map: the caller's pseudo-physical map, one RAM entry [0, max_pages pages).  Xen
 * returns the map the toolstack set (libxl sets exactly this one entry, max_memkb plus
 * slack, for every PV domU) and -ENOSYS if none was set; xen-lite has no toolstack, so
 * every domain gets the toolstack's default.  nr_entries in: room; out: entries written.
 */
static long memory_map(guest_ptr_t arg)
{
    const struct domain *d = current->domain;
    struct e820entry e = {.addr = 0, .size = d->max_pages << 12, .type = E820_RAM};
    struct xen_memory_map map;

    if (copy_from_guest(&map, arg, sizeof(map)))
        return -XEN_EFAULT;
    map.nr_entries = MIN(map.nr_entries, 1u);
    if ((map.nr_entries && copy_to_guest(guest_ptr(map.buffer), &e, sizeof(e))) ||
        copy_to_guest(arg, &map, sizeof(map)))
        return -XEN_EFAULT;
    return 0;
}

/*
 * machine_memory_map: the host's RAM, for the privileged domain.  As Xen: a NULL buffer
 * only counts; otherwise the buffer must have room for one entry more than the map
 * (-EINVAL) and lie in guest space (-EFAULT).  Xen also lists the reserved e820 ranges
 * and marks holes dom0 has no I/O-memory access to; xen-lite knows only the RAM ranges.
 */
static long machine_memory_map(guest_ptr_t arg)
{
    const struct mem_range *ram;
    struct xen_memory_map map;
    bool store;
    int n;

    if (!current->domain->is_privileged)
        return -XEN_EPERM;
    if (copy_from_guest(&map, arg, sizeof(map)))
        return -XEN_EFAULT;
    n = boot_ram_ranges(&ram);
    if (n < 0)
        return n;
    store = map.buffer != 0;
    if (store && map.nr_entries < (uint64_t)n + 1)
        return -XEN_EINVAL;
    if (store && !guest_range_ok(map.buffer, (uint64_t)map.nr_entries * sizeof(struct e820entry)))
        return -XEN_EFAULT;
    for (int i = 0; store && i < n; i++) {
        struct e820entry e = {
            .addr = ram[i].start, .size = ram[i].end - ram[i].start, .type = E820_RAM};

        if (copy_to_guest_elem(guest_ptr(map.buffer), i, &e, sizeof(e)))
            return -XEN_EFAULT;
    }
    map.nr_entries = n;
    return copy_to_guest(arg, &map, sizeof(map)) ? -XEN_EFAULT : 0;
}

/*
 * memory_op(cmd, arg).  The low 6 bits of cmd are the op; the bits above are start_extent,
 * the resume point of a reservation op.  The ops that take no resume point refuse one
 * (-EINVAL) if Xen's common code handles them, and do not recognise the cmd at all
 * (-ENOSYS) if its arch code does, which matches on the whole cmd.
 */
long do_memory_op(struct hc_args *args)
{
    uint64_t cmd = hc_u64(args, 0);
    unsigned int op = cmd & XENMEMOP_CMD_MASK;
    uint64_t start_extent = cmd >> XENMEMOP_EXTENT_SHIFT;
    guest_ptr_t arg = hc_ptr(args, 1);

    switch (op) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return reservation_op(op, start_extent, arg);
    case XENMEM_maximum_ram_page:
        /* Xen returns max_page, one past the highest RAM frame. */
        return start_extent ? -XEN_EINVAL : (long)frame_table_size;
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
        return start_extent ? -XEN_EINVAL : reservation_query(op, arg);
    }
    if (start_extent)
        return -XEN_ENOSYS;
    switch (op) {
    case XENMEM_machphys_mfn_list:
        return machphys_mfn_list(arg);
    case XENMEM_machphys_mapping:
        return machphys_mapping(arg);
    case XENMEM_memory_map:
        return memory_map(arg);
    case XENMEM_machine_memory_map:
        return machine_memory_map(arg);
    }
    return -XEN_ENOSYS;
}
