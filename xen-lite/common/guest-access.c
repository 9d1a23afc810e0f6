/* SPDX-License-Identifier: MIT */
/* Guest memory access: checked, fault-safe copies through guest virtual addresses. */
#include <guest-access.h>
#include <lib.h>
#include <memlayout.h>

/* entry.S: copies n bytes, surviving faults; returns the number of bytes not copied. */
size_t copy_guest_raw(void *dst, const void *src, size_t n);

#define LOWER_HALF_END 0x0000800000000000ULL

bool guest_range_ok(uint64_t va, uint64_t len)
{
    uint64_t end;

    if (!len)
        return true;
    end = va + len;
    if (end < va)                             /* wraps */
        return end == 0 && va >= HV_VIRT_END; /* a range ending exactly at 2^64 is fine */
    if (end <= LOWER_HALF_END)
        return true;
    return va >= HV_VIRT_END;
}

int copy_from_guest(void *dst, guest_ptr_t src, size_t len)
{
    if (!guest_range_ok(src.va, len))
        return -XEN_EFAULT;
    return copy_guest_raw(dst, (const void *)src.va, len) ? -XEN_EFAULT : 0;
}

int copy_to_guest(guest_ptr_t dst, const void *src, size_t len)
{
    if (!guest_range_ok(dst.va, len))
        return -XEN_EFAULT;
    return copy_guest_raw((void *)dst.va, src, len) ? -XEN_EFAULT : 0;
}
