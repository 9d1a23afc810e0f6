/* SPDX-License-Identifier: MIT */
/* Harness: memlayout.h with the direct map pointing into a malloc'd fake RAM. */
#ifndef HARNESS_MEMLAYOUT_H
#define HARNESS_MEMLAYOUT_H

/*
 * Every constant is the real one.  Only the four direct-map translations change: in the
 * hypervisor they add DIRECTMAP_VIRT_START, an address a host process cannot map, so here
 * machine address 0 is fake_ram[0] instead.  Integer arithmetic, not pointer arithmetic:
 * the hypervisor computes mfn_to_virt() of unchecked mfns before checking them (harmless
 * until dereferenced), which would otherwise be undefined behaviour on the host.
 */
#define maddr_to_virt real_maddr_to_virt
#define virt_to_maddr real_virt_to_maddr
#define mfn_to_virt   real_mfn_to_virt
#define virt_to_mfn   real_virt_to_mfn
#include "../../../xen-lite/include/memlayout.h"
#undef maddr_to_virt
#undef virt_to_maddr
#undef mfn_to_virt
#undef virt_to_mfn

#include <stdint.h>

/* Machine addresses [0, FAKE_RAM_BYTES) (harness.c). */
#define FAKE_RAM_BYTES (16UL << 20)
extern uint8_t *fake_ram;

static inline void *maddr_to_virt(uint64_t maddr)
{
    return (void *)((uintptr_t)fake_ram + maddr);
}

static inline uint64_t virt_to_maddr(const void *va)
{
    return (uint64_t)((uintptr_t)va - (uintptr_t)fake_ram);
}

static inline void *mfn_to_virt(uint64_t mfn)
{
    return maddr_to_virt(mfn << 12);
}

static inline uint64_t virt_to_mfn(const void *va)
{
    return virt_to_maddr(va) >> 12;
}

#endif
