/* SPDX-License-Identifier: MIT */
/* Start-of-day virtual layout of a PV domain: where the builder puts each boot page. */
#ifndef XEN_LITE_DOM_LAYOUT_H
#define XEN_LITE_DOM_LAYOUT_H

#include <stdint.h>

/*
 * A PV guest starts with one contiguous virtual range [virt_base, v_end)
 * mapped onto its first pseudo-physical frames, pfn = (va - virt_base) >> 12.
 * In order (ABI-NOTES "Start-of-day", the same order as Xen's domU builder):
 *
 *   kernel image      [virt_base, round_up(virt_kend))
 *   initrd            page-aligned, only if there is one
 *   p2m list          nr_pages * 8 bytes (one u64 MFN per PFN), page-rounded
 *   start_info        1 page
 *   xenstore ring     1 page
 *   console ring      1 page
 *   page tables       nr_pt_frames pages: L4, L3s, L2s, L1s mapping the whole range
 *   boot stack        1 page (rsp starts at its top)
 *   slack             up to v_end: a 4 MiB boundary at least 512 KiB past the stack
 *
 * These are pure functions: the domain builder allocates and maps afterwards.
 */

#define DOM_LAYOUT_SLACK   (512ULL << 10) /* minimum gap between stack top and v_end */
#define DOM_LAYOUT_V_ALIGN (4ULL << 20)   /* v_end alignment */

/* One region: first virtual address, first guest pfn, length in 4 KiB pages. */
struct dom_region {
    uint64_t va;
    uint64_t pfn;
    uint64_t nr_pages;
};

struct dom_layout {
    uint64_t virt_base;
    struct dom_region image;
    struct dom_region initrd; /* nr_pages == 0 when there is no initrd */
    struct dom_region p2m;
    struct dom_region start_info;
    struct dom_region xenstore;
    struct dom_region console;
    struct dom_region pt; /* pt.va is the L4 (the root the vCPU starts on) */
    struct dom_region stack;
    uint64_t nr_pt_frames; /* == pt.nr_pages */
    uint64_t stack_top;    /* initial rsp: stack.va + 4096 */
    uint64_t v_end;        /* end of the mapped range */
    uint64_t nr_mapped;    /* (v_end - virt_base) / 4096: pfns covered by the mapping */
};

/*
 * dom_pt_frames - page-table frames needed to map [start, end) with 4 KiB
 * pages: one L4 plus one L3 per 512 GiB, one L2 per 1 GiB and one L1 per
 * 2 MiB slot the range touches. Returns 1 (just the L4) when end <= start.
 */
uint64_t dom_pt_frames(uint64_t start, uint64_t end);

/*
 * dom_layout_compute - lay out a domain's start-of-day range.
 * virt_base: VIRT_BASE (page-aligned); [virt_kstart, virt_kend): the image
 * span from elf_parse_guest; initrd_len: bytes, 0 = none; nr_pages: domain
 * memory in 4 KiB pages. The page tables map themselves, so their count is
 * iterated to a fixed point (the smallest count that covers the range it
 * ends up in, as Xen's builders compute it).
 * Returns 0 with *l filled, or -XEN_EINVAL / -XEN_ENOMEM with *why set when
 * the inputs are inconsistent, an address overflows, the range leaves one
 * 1 GiB-aligned L2 region, is not canonical / touches the hypervisor hole,
 * or needs more pages than nr_pages. *l is unspecified on failure.
 * *why may point at a static buffer overwritten by the next failing call.
 */
int dom_layout_compute(uint64_t virt_base, uint64_t virt_kstart, uint64_t virt_kend,
                       uint64_t initrd_len, uint64_t nr_pages, struct dom_layout *l,
                       const char **why);

#endif /* XEN_LITE_DOM_LAYOUT_H */
