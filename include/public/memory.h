/* SPDX-License-Identifier: MIT */
/* memory_op: reservations, the physical memory map and the M2P table. */
#ifndef XEN_LITE_PUBLIC_MEMORY_H
#define XEN_LITE_PUBLIC_MEMORY_H

/*
 * Overview
 * --------
 * memory_op(cmd, arg). The low 6 bits of cmd are XENMEM_*; the bits above
 * (XENMEMOP_EXTENT_SHIFT) are a resume point the hypervisor stores when it
 * preempts a long reservation op, so guests pass cmd with those bits zero.
 * Returns 0, a count (noted below) or -XEN_Exxx.
 */

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#define XENMEMOP_CMD_MASK     0x3f
#define XENMEMOP_EXTENT_SHIFT 6

/*
 * XENMEM_increase_reservation / XENMEM_decrease_reservation /
 * XENMEM_populate_physmap: IN/OUT struct xen_memory_reservation.
 * increase: allocate nr_extents extents, OUT their MFNs in extent_start[].
 * decrease: free the frames whose GPFNs (PV: MFNs) are in extent_start[].
 * populate: back the GPFNs in extent_start[] with new memory (PV: OUT MFNs).
 * Returns the number of extents processed (short count = partial failure).
 */
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap     6

/* XENMEM_maximum_ram_page: returns the highest machine frame number. */
#define XENMEM_maximum_ram_page 2
/* XENMEM_current_reservation / maximum_reservation: IN domid_t (uint16_t);
 * returns pages currently held / the domain's page limit. */
#define XENMEM_current_reservation 3
#define XENMEM_maximum_reservation 4
/* XENMEM_machphys_mfn_list: IN/OUT struct xen_machphys_mfn_list. */
#define XENMEM_machphys_mfn_list 5
/* XENMEM_add_to_physmap: IN struct xen_add_to_physmap (translated guests). */
#define XENMEM_add_to_physmap 7
/* 8 was XENMEM_translate_gpfn_list, removed. */
/* XENMEM_memory_map: IN/OUT struct xen_memory_map; the caller's e820 map. */
#define XENMEM_memory_map 9
/* XENMEM_machine_memory_map: IN/OUT struct xen_memory_map; host e820 (dom0). */
#define XENMEM_machine_memory_map 10
/* XENMEM_exchange: IN/OUT struct xen_memory_exchange. */
#define XENMEM_exchange 11
/* XENMEM_machphys_mapping: OUT struct xen_machphys_mapping. */
#define XENMEM_machphys_mapping 12
/* XENMEM_set_memory_map: IN struct xen_foreign_memory_map (tools). */
#define XENMEM_set_memory_map 13
/* XENMEM_maximum_gpfn: IN domid_t; returns the highest GPFN in use. */
#define XENMEM_maximum_gpfn 14
/* XENMEM_remove_from_physmap: IN struct xen_remove_from_physmap. */
#define XENMEM_remove_from_physmap        15
#define XENMEM_set_pod_target             16 /* tools: populate-on-demand */
#define XENMEM_get_pod_target             17
#define XENMEM_get_sharing_freed_pages    18 /* tools: memory sharing */
#define XENMEM_get_sharing_shared_pages   19
#define XENMEM_paging_op                  20 /* tools: paging */
#define XENMEM_access_op                  21 /* tools: mem_access */
#define XENMEM_sharing_op                 22 /* tools: memory sharing */
#define XENMEM_add_to_physmap_batch       23
#define XENMEM_claim_pages                24 /* tools: reserve pages for a domain */
#define XENMEM_machphys_compat_mfn_list   25
#define XENMEM_get_vnumainfo              26
#define XENMEM_reserved_device_memory_map 27
#define XENMEM_acquire_resource           28

/* xen_memory_reservation.mem_flags */
#define XENMEMF_address_bits(x)     (x) /* max address width (0 = any) */
#define XENMEMF_get_address_bits(x) ((x)&0xffu)
#define XENMEMF_node(x)             (((x) + 1) << 8) /* preferred NUMA node */
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand  (1 << 16)
#define XENMEMF_exact_node_request  (1 << 17)
#define XENMEMF_exact_node(n)       (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode               (1 << 18)

/* xen_add_to_physmap.space */
#define XENMAPSPACE_shared_info  0
#define XENMAPSPACE_grant_table  1
#define XENMAPSPACE_gmfn         2
#define XENMAPSPACE_gmfn_range   3
#define XENMAPSPACE_gmfn_foreign 4
#define XENMAPSPACE_dev_mmio     5

/* struct e820entry.type */
#define E820_RAM      1
#define E820_RESERVED 2
#define E820_ACPI     3
#define E820_NVS      4
#define E820_UNUSABLE 5

#ifndef __ASSEMBLER__

struct xen_memory_reservation {
    uint64_t extent_start; /* IN/OUT: guest pointer to uint64_t frames[] */
    uint64_t nr_extents;   /* IN: number of extents */
    uint32_t extent_order; /* IN: each extent is 2^order pages */
    uint32_t mem_flags;    /* IN: XENMEMF_* */
    uint16_t domid;        /* IN: DOMID_SELF or a domain (privileged) */
    uint16_t _pad[3];
};
_Static_assert(sizeof(struct xen_memory_reservation) == 32, "xen_memory_reservation");

struct xen_memory_exchange {
    struct xen_memory_reservation in;  /* IN: frames to give up */
    struct xen_memory_reservation out; /* IN/OUT: frames to get back */
    uint64_t nr_exchanged;             /* OUT: input extents done */
};
_Static_assert(sizeof(struct xen_memory_exchange) == 72, "xen_memory_exchange");

struct xen_machphys_mfn_list {
    uint32_t max_extents; /* IN: room in extent_start[] */
    uint32_t _pad0;
    uint64_t extent_start; /* OUT: guest pointer to uint64_t mfns[]: the
                  frames (2 MiB each) holding the M2P table */
    uint32_t nr_extents;   /* OUT: entries written */
    uint32_t _pad1;
};
_Static_assert(sizeof(struct xen_machphys_mfn_list) == 24, "xen_machphys_mfn_list");

struct xen_machphys_mapping {
    uint64_t v_start; /* OUT: first vaddr of the read-only M2P table */
    uint64_t v_end;   /* OUT: end of it (exclusive) */
    uint64_t max_mfn; /* OUT: highest MFN the table covers */
};
_Static_assert(sizeof(struct xen_machphys_mapping) == 24, "xen_machphys_mapping");

struct xen_add_to_physmap {
    uint16_t domid; /* IN */
    uint16_t size;  /* IN: page count for XENMAPSPACE_gmfn_range */
    uint32_t space; /* IN: XENMAPSPACE_* */
    uint64_t idx;   /* IN: index into the space */
    uint64_t gpfn;  /* IN: where to map it */
};
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "xen_add_to_physmap");

struct xen_remove_from_physmap {
    uint16_t domid; /* IN */
    uint16_t _pad[3];
    uint64_t gpfn; /* IN */
};
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "xen_remove_from_physmap");

struct xen_memory_map {
    uint32_t nr_entries; /* IN: room in buffer; OUT: entries written */
    uint32_t _pad;
    uint64_t buffer; /* IN: guest pointer to struct e820entry[] */
};
_Static_assert(sizeof(struct xen_memory_map) == 16, "xen_memory_map");

struct xen_foreign_memory_map {
    uint16_t domid; /* IN */
    uint16_t _pad[3];
    struct xen_memory_map map;
};
_Static_assert(sizeof(struct xen_foreign_memory_map) == 24, "xen_foreign_memory_map");

/* One BIOS-style memory map entry, as XENMEM_memory_map returns them. */
struct e820entry {
    uint64_t addr; /* start of the range */
    uint64_t size; /* length in bytes */
    uint32_t type; /* E820_* */
} __attribute__((packed));
_Static_assert(sizeof(struct e820entry) == 20, "e820entry");

#endif /* !__ASSEMBLER__ */

#endif /* XEN_LITE_PUBLIC_MEMORY_H */
