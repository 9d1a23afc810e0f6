/* SPDX-License-Identifier: MIT */
/* Physical frame allocator: one bit per machine frame, built from the boot memory map. */
#ifndef XEN_LITE_FRAME_ALLOC_H
#define XEN_LITE_FRAME_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

#ifndef INVALID_MFN
#define INVALID_MFN (~0ULL)
#endif

/* Most distinct (merged) RAM ranges, and reserved ranges, the allocator keeps. */
#define FRAME_ALLOC_MAX_RANGES 128

/* Highest machine frame the allocator will manage: 52-bit physical addresses. */
#define FRAME_ALLOC_MAX_MFN ((1ULL << 40) - 1)

/* A byte range [start, end) of machine addresses. */
struct mem_range {
    uint64_t start, end;
};

/*
 * frame_alloc_init - (re)build the allocator from the boot memory map.
 * ram: usable RAM ranges, in any order, possibly overlapping and unaligned
 * (each is shrunk to whole frames). reserved: ranges that must never be
 * handed out (hypervisor image, boot modules, boot info; each is grown to
 * whole frames). RAM above FRAME_ALLOC_MAX_MFN is ignored.
 * The bitmap (one bit per frame up to the highest RAM frame) is placed by the
 * allocator in free RAM, accessed through maddr_to_virt, and its frames are
 * marked used. Caller guarantees maddr_to_virt maps the whole bitmap
 * contiguously (a direct map) and that nothing else is allocating.
 * Returns 0, -XEN_EINVAL (bad counts), -XEN_E2BIG (more than
 * FRAME_ALLOC_MAX_RANGES distinct ranges) or -XEN_ENOMEM (no RAM, or no run
 * of free RAM big enough for the bitmap); on failure every allocation fails
 * until a successful init.
 */
int frame_alloc_init(const struct mem_range *ram, int nr_ram, const struct mem_range *reserved,
                     int nr_reserved, void *(*maddr_to_virt)(uint64_t maddr));

/*
 * alloc_frame - take one free frame (next-fit from the last allocation).
 * Returns its mfn, or INVALID_MFN when none is left. The frame is NOT zeroed.
 */
uint64_t alloc_frame(void);

/*
 * alloc_frames - take n contiguous free frames whose first mfn is a multiple
 * of align (a power of two, in frames; 1 = any). Lowest fit wins.
 * Returns the first mfn, or INVALID_MFN (no such run, n == 0, bad align).
 * The frames are NOT zeroed.
 */
uint64_t alloc_frames(unsigned long n, unsigned long align);

/*
 * free_frames - give back n frames starting at mfn. Every frame must be
 * allocated RAM; otherwise (a caller bug) nothing is freed and
 * frame_alloc_errors() goes up by one. Never prints.
 */
void free_frames(uint64_t mfn, unsigned long n);

/* Frames currently free. */
unsigned long frames_free(void);

/* RAM frames in the memory map (free, allocated, reserved and bookkeeping alike). */
unsigned long frames_total(void);

/* Highest RAM mfn, or INVALID_MFN before a successful init. */
uint64_t max_ram_mfn(void);

/* True if mfn lies in a RAM range of the memory map (reserved RAM included). */
bool frame_is_ram(uint64_t mfn);

/* Number of bad free_frames calls since init: should stay 0. */
unsigned long frame_alloc_errors(void);

#endif /* XEN_LITE_FRAME_ALLOC_H */
