/* SPDX-License-Identifier: MIT */
/* Hypervisor heap: whole-frame allocations for hypervisor objects (domains, vCPUs, stacks). */
#ifndef XEN_LITE_HEAP_H
#define XEN_LITE_HEAP_H

#include <stddef.h>

/* Allocates zeroed, page-aligned memory of at least bytes; NULL if out of memory. */
void *heap_alloc(size_t bytes);

/* Frees memory from heap_alloc(); bytes must be the size it was allocated with. */
void heap_free(void *p, size_t bytes);

#endif
