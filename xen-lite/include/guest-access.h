/* SPDX-License-Identifier: MIT */
/* Guest memory access: checked, fault-safe copies through guest virtual addresses. */
#ifndef XEN_LITE_GUEST_ACCESS_H
#define XEN_LITE_GUEST_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A guest virtual address.  It is a struct so it cannot be dereferenced by accident: the
 * only ways in are copy_from_guest()/copy_to_guest(), which check the range and survive
 * faults.  All guest memory access happens while the guest's page tables are loaded.
 */
typedef struct {
    uint64_t va;
} guest_ptr_t;

static inline guest_ptr_t guest_ptr(uint64_t va)
{
    return (guest_ptr_t){va};
}

static inline guest_ptr_t guest_ptr_add(guest_ptr_t p, uint64_t off)
{
    return (guest_ptr_t){p.va + off};
}

static inline bool guest_ptr_is_null(guest_ptr_t p)
{
    return p.va == 0;
}

/* True if va is a canonical x86_64 address (bits 63..47 all equal). */
static inline bool is_canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

/*
 * True if [va, va+len) is canonical, does not wrap and stays clear of the hypervisor's
 * range (L4 slots 256-271).  A zero-length range is always fine.
 */
bool guest_range_ok(uint64_t va, uint64_t len);

/* Copy len bytes in from / out to the current guest.  Return 0 or -XEN_EFAULT. */
int copy_from_guest(void *dst, guest_ptr_t src, size_t len);
int copy_to_guest(guest_ptr_t dst, const void *src, size_t len);

/* Array element helpers: element i of an array of elem_size-byte entries. */
static inline int copy_from_guest_elem(void *dst, guest_ptr_t arr, uint64_t i, size_t elem_size)
{
    if (i > UINT64_MAX / elem_size)
        return -14; /* XEN_EFAULT */
    return copy_from_guest(dst, guest_ptr_add(arr, i * elem_size), elem_size);
}

static inline int copy_to_guest_elem(guest_ptr_t arr, uint64_t i, const void *src, size_t elem_size)
{
    if (i > UINT64_MAX / elem_size)
        return -14; /* XEN_EFAULT */
    return copy_to_guest(guest_ptr_add(arr, i * elem_size), src, elem_size);
}

#endif
