/* SPDX-License-Identifier: MIT */
/* Machine frames: ownership and type of every frame, the M2P table, domain memory. */
#ifndef XEN_LITE_MM_H
#define XEN_LITE_MM_H

#include <stdbool.h>
#include <stdint.h>

struct domain;

#define INVALID_MFN       (~0ULL)
#define INVALID_M2P_ENTRY (~0ULL)

/*
 * A frame holds one type at a time, with a count of its holders; page-type.h has the
 * rules.  Guest-writable mappings are only allowed of frames of type none/writable;
 * page-table and descriptor frames are mapped read-only.
 */
enum page_type {
    PGT_none,
    PGT_l1,
    PGT_l2,
    PGT_l3,
    PGT_l4,
    PGT_seg_desc,
    PGT_writable,
};

#define PGF_pinned     (1u << 0)
#define PGF_xen_heap   (1u << 1) /* shared_info etc.: owned by the domain, not in its p2m */
#define PGF_validating (1u << 2) /* page-table validation of this frame is in progress */

struct page_info {
    struct domain *owner;
    uint64_t next_mfn;   /* next frame of the same owner (INVALID_MFN ends the list) */
    uint64_t prev_mfn;   /* previous one (INVALID_MFN: this is the head) */
    uint32_t count;      /* general references (page-type.h) */
    uint32_t type_count; /* how many users hold the current type */
    uint8_t type;        /* enum page_type */
    uint8_t flags;       /* PGF_* */
    int16_t linear;      /* > 0: linear entries this table has; < 0: linear uses of it */
};

extern struct page_info *frame_table;
extern uint64_t frame_table_size; /* number of entries (max RAM mfn + 1) */
extern uint64_t *m2p_table;       /* hypervisor's writable view of the M2P */

/* The page_info of mfn, or NULL if mfn is not a RAM frame we manage. */
struct page_info *mfn_to_page(uint64_t mfn);

/* True if d owns mfn. */
bool frame_owned_by(uint64_t mfn, const struct domain *d);

/* Sets up the frame table and the M2P (mapped read-only for guests).  Boot only. */
void mm_init(void);

/*
 * Allocates a zeroed frame for d and counts it against d's memory limit.  Returns the mfn
 * or INVALID_MFN (out of memory, or d at its limit unless xen_heap).
 */
uint64_t domain_alloc_frame(struct domain *d, bool xen_heap);

/*
 * Allocates 2^order contiguous, aligned, zeroed frames for d, all below mfn_limit, counted
 * against d's memory limit all-or-none.  Returns the first mfn or INVALID_MFN.
 */
uint64_t domain_alloc_frames(struct domain *d, unsigned int order, uint64_t mfn_limit);

/*
 * Gives one frame of d back to the allocator (scrubbed), e.g. for decrease_reservation.
 * The caller has checked that nothing references it (count and type_count zero).
 */
void domain_free_frame(struct domain *d, uint64_t mfn);

/*
 * Frames of a destroyed domain that another domain still references (dom0's foreign
 * mappings) belong to orphan_domain until their last reference goes; put_page() then
 * calls free_orphan_frame() to scrub and free them.
 */
extern struct domain orphan_domain;
void free_orphan_frame(uint64_t mfn);

/* Records the pseudo-physical frame number of a machine frame in the M2P. */
void set_m2p(uint64_t mfn, uint64_t pfn);

/* Installs the hypervisor's L4 slots (256-271) into a guest root table. */
void install_hypervisor_slots(uint64_t *l4);

/* The idle (hypervisor-only) root table's machine address. */
uint64_t idle_root_maddr(void);

#endif
