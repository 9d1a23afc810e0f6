/* SPDX-License-Identifier: MIT */
/* grant_table_op: let another domain map or copy pages this domain grants. */
#ifndef XEN_LITE_PUBLIC_GRANT_TABLE_H
#define XEN_LITE_PUBLIC_GRANT_TABLE_H

/*
 * Overview
 * --------
 * Each domain owns a grant table: an array of entries in frames shared with
 * the hypervisor (GNTTABOP_setup_table returns them). Entry `ref` says "domain
 * `domid` may access my frame `frame`". The granting domain writes domid and
 * frame first, then flags (with a write barrier in between); the hypervisor
 * sets GTF_reading / GTF_writing while a mapping exists.
 *
 * grant_table_op(cmd, args, count): `args` is an array of `count` structs of
 * the command's type, processed in order; each reports its own `status`
 * (GNTST_*). The hypercall returns 0 unless the array itself is unusable.
 */

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/* GNTTABOP_map_grant_ref: IN host_addr, flags, ref, dom; OUT status,
 * handle, dev_bus_addr. Map a foreign granted frame. */
#define GNTTABOP_map_grant_ref 0
/* GNTTABOP_unmap_grant_ref: IN host_addr, dev_bus_addr, handle; OUT status. */
#define GNTTABOP_unmap_grant_ref 1
/* GNTTABOP_setup_table: IN dom, nr_frames, frame_list; OUT status and the
 * MFNs of the caller's grant table frames in frame_list[]. */
#define GNTTABOP_setup_table 2
/* GNTTABOP_dump_table: IN dom; OUT status. Print the table (debug). */
#define GNTTABOP_dump_table 3
/* GNTTABOP_transfer: IN mfn, domid, ref; OUT status. Give a page away. */
#define GNTTABOP_transfer 4
/* GNTTABOP_copy: IN source, dest, len, flags; OUT status. Copy bytes
 * between granted and/or own frames without mapping them. */
#define GNTTABOP_copy 5
/* GNTTABOP_query_size: IN dom; OUT nr_frames, max_nr_frames, status. */
#define GNTTABOP_query_size 6
/* GNTTABOP_unmap_and_replace: IN host_addr, new_addr, handle; OUT status. */
#define GNTTABOP_unmap_and_replace 7
/* GNTTABOP_set_version: IN/OUT version (1 or 2). */
#define GNTTABOP_set_version 8
/* GNTTABOP_get_status_frames: v2 status frames. */
#define GNTTABOP_get_status_frames 9
/* GNTTABOP_get_version: IN dom; OUT version. */
#define GNTTABOP_get_version 10
/* GNTTABOP_swap_grant_ref: IN ref_a, ref_b; OUT status. */
#define GNTTABOP_swap_grant_ref 11
/* GNTTABOP_cache_flush: IN a, offset, length, op (ARM). */
#define GNTTABOP_cache_flush 12

/* Entries the toolstack fills before the guest starts. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0 /* console ring, granted to the backend */
#define GNTTAB_RESERVED_XENSTORE   1 /* xenstore ring, granted to xenstored */

/* grant_entry_v1.flags: type in bits 0-1 ... */
#define GTF_invalid         0U /* no grant */
#define GTF_permit_access   1U /* domid may map/copy frame */
#define GTF_accept_transfer 2U /* domid may transfer a page into frame */
#define GTF_transitive      3U /* v2 only */
#define GTF_type_mask       3U
/* ... flags for GTF_permit_access ... */
#define _GTF_readonly 2
#define GTF_readonly  (1U << _GTF_readonly) /* read-only access only */
#define _GTF_reading  3
#define GTF_reading   (1U << _GTF_reading) /* set by hypervisor: mapped */
#define _GTF_writing  4
#define GTF_writing   (1U << _GTF_writing) /* set by hypervisor: mapped RW */
#define _GTF_PWT      5
#define GTF_PWT       (1U << _GTF_PWT)
#define _GTF_PCD      6
#define GTF_PCD       (1U << _GTF_PCD)
#define _GTF_PAT      7
#define GTF_PAT       (1U << _GTF_PAT)
#define _GTF_sub_page 8
#define GTF_sub_page  (1U << _GTF_sub_page) /* v2 only */
/* ... and for GTF_accept_transfer. */
#define _GTF_transfer_committed 2
#define GTF_transfer_committed  (1U << _GTF_transfer_committed)
#define _GTF_transfer_completed 3
#define GTF_transfer_completed  (1U << _GTF_transfer_completed)

/* gnttab_map_grant_ref.flags */
#define _GNTMAP_device_map      0
#define GNTMAP_device_map       (1 << _GNTMAP_device_map) /* for device DMA */
#define _GNTMAP_host_map        1
#define GNTMAP_host_map         (1 << _GNTMAP_host_map) /* into host_addr */
#define _GNTMAP_readonly        2
#define GNTMAP_readonly         (1 << _GNTMAP_readonly)
#define _GNTMAP_application_map 3
#define GNTMAP_application_map  (1 << _GNTMAP_application_map) /* user-accessible */
#define _GNTMAP_contains_pte    4
#define GNTMAP_contains_pte     (1 << _GNTMAP_contains_pte) /* host_addr is a PTE's MA */
#define _GNTMAP_guest_avail0    16
#define GNTMAP_guest_avail_mask (0xffffffffU << _GNTMAP_guest_avail0)

/* gnttab_copy.flags: source/dest given as a grant ref, not a frame. */
#define _GNTCOPY_source_gref 0
#define GNTCOPY_source_gref  (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref   1
#define GNTCOPY_dest_gref    (1 << _GNTCOPY_dest_gref)

/* Per-operation status values. */
#define GNTST_okay              0
#define GNTST_general_error     (-1)
#define GNTST_bad_domain        (-2)
#define GNTST_bad_gntref        (-3)
#define GNTST_bad_handle        (-4)
#define GNTST_bad_virt_addr     (-5)
#define GNTST_bad_dev_addr      (-6)
#define GNTST_no_device_space   (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page          (-9)
#define GNTST_bad_copy_arg      (-10)
#define GNTST_address_too_big   (-11)
#define GNTST_eagain            (-12)
#define GNTST_no_space          (-13)

#ifndef __ASSEMBLER__

/* A version-1 grant table entry. */
struct grant_entry_v1 {
    uint16_t flags; /* GTF_*; written last by the granter */
    uint16_t domid; /* domain being granted access */
    uint32_t frame; /* the granted frame (PV: MFN) */
};
_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1");

struct gnttab_map_grant_ref {
    uint64_t host_addr;    /* IN: vaddr (or PTE MA) where to map */
    uint32_t flags;        /* IN: GNTMAP_* */
    uint32_t ref;          /* IN: grant reference */
    uint16_t dom;          /* IN: granting domain */
    int16_t status;        /* OUT: GNTST_* */
    uint32_t handle;       /* OUT: pass to unmap */
    uint64_t dev_bus_addr; /* OUT: for GNTMAP_device_map */
};
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "gnttab_map_grant_ref");

struct gnttab_unmap_grant_ref {
    uint64_t host_addr;    /* IN */
    uint64_t dev_bus_addr; /* IN */
    uint32_t handle;       /* IN */
    int16_t status;        /* OUT: GNTST_* */
    uint16_t _pad;
};
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "gnttab_unmap_grant_ref");

struct gnttab_setup_table {
    uint16_t dom; /* IN: DOMID_SELF */
    uint16_t _pad0;
    uint32_t nr_frames; /* IN: frames wanted */
    int16_t status;     /* OUT: GNTST_* */
    uint16_t _pad1[3];
    uint64_t frame_list; /* OUT: guest pointer to uint64_t mfns[nr_frames] */
};
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "gnttab_setup_table");

struct gnttab_dump_table {
    uint16_t dom;   /* IN */
    int16_t status; /* OUT */
};
_Static_assert(sizeof(struct gnttab_dump_table) == 4, "gnttab_dump_table");

struct gnttab_transfer {
    uint64_t mfn;   /* IN: page to give away */
    uint16_t domid; /* IN: recipient */
    uint16_t _pad0;
    uint32_t ref;   /* IN: recipient's GTF_accept_transfer entry */
    int16_t status; /* OUT */
    uint16_t _pad1[3];
};
_Static_assert(sizeof(struct gnttab_transfer) == 24, "gnttab_transfer");

/* One side of a gnttab_copy. */
struct gnttab_copy_ptr {
    union {
        uint32_t ref;  /* grant ref, with GNTCOPY_*_gref */
        uint64_t gmfn; /* own frame otherwise */
    } u;
    uint16_t domid;  /* owner of the frame */
    uint16_t offset; /* byte offset in the frame */
    uint32_t _pad;
};
_Static_assert(sizeof(struct gnttab_copy_ptr) == 16, "gnttab_copy_ptr");

struct gnttab_copy {
    struct gnttab_copy_ptr source; /* IN */
    struct gnttab_copy_ptr dest;   /* IN */
    uint16_t len;                  /* IN: bytes; must not cross a page */
    uint16_t flags;                /* IN: GNTCOPY_* */
    int16_t status;                /* OUT */
    uint16_t _pad;
};
_Static_assert(sizeof(struct gnttab_copy) == 40, "gnttab_copy");

struct gnttab_query_size {
    uint16_t dom; /* IN */
    uint16_t _pad0;
    uint32_t nr_frames;     /* OUT: current table size in frames */
    uint32_t max_nr_frames; /* OUT: limit */
    int16_t status;         /* OUT */
    uint16_t _pad1;
};
_Static_assert(sizeof(struct gnttab_query_size) == 16, "gnttab_query_size");

struct gnttab_unmap_and_replace {
    uint64_t host_addr; /* IN: mapping to remove */
    uint64_t new_addr;  /* IN: mapping to move into its place */
    uint32_t handle;    /* IN */
    int16_t status;     /* OUT */
    uint16_t _pad;
};
_Static_assert(sizeof(struct gnttab_unmap_and_replace) == 24, "gnttab_unmap_and_replace");

struct gnttab_set_version {
    uint32_t version; /* IN: 1 or 2; OUT: version in force */
};
_Static_assert(sizeof(struct gnttab_set_version) == 4, "gnttab_set_version");

struct gnttab_get_version {
    uint16_t dom; /* IN */
    uint16_t pad;
    uint32_t version; /* OUT */
};
_Static_assert(sizeof(struct gnttab_get_version) == 8, "gnttab_get_version");

#endif /* !__ASSEMBLER__ */

#endif /* XEN_LITE_PUBLIC_GRANT_TABLE_H */
