/* SPDX-License-Identifier: MIT */
/* Hypervisor heap: whole-frame allocations for hypervisor objects (domains, vCPUs, stacks). */
#include <string.h>
#include <frame-alloc.h>
#include <heap.h>
#include <memlayout.h>

void *heap_alloc(size_t bytes)
{
    unsigned long n = (bytes + 4095) >> 12;
    uint64_t mfn = alloc_frames(n, 1);

    if (mfn == INVALID_MFN)
        return NULL;
    memset(mfn_to_virt(mfn), 0, n << 12);
    return mfn_to_virt(mfn);
}

void heap_free(void *p, size_t bytes)
{
    if (p)
        free_frames(virt_to_mfn(p), (bytes + 4095) >> 12);
}
