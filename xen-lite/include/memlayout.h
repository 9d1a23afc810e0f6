/* SPDX-License-Identifier: MIT */
/* Memory layout: every address-space constant of the hypervisor in one place. */
#ifndef XEN_LITE_MEMLAYOUT_H
#define XEN_LITE_MEMLAYOUT_H

#ifdef __ASSEMBLER__
#define _UL(x) x
#else
#define _UL(x) x##UL
#endif

/*
 * The hypervisor owns L4 slots 256-271 (0xFFFF800000000000-0xFFFF87FFFFFFFFFF) of every
 * address space, guests included; everything else belongs to the guest.
 *
 *   slot 256  0xFFFF800000000000  read-only machine-to-phys table (M2P), guest-visible
 *   slot 262+ 0xFFFF830000000000  direct map of all RAM (supervisor only); the hypervisor
 *                                 image itself lives inside it, at DIRECTMAP + its load
 *                                 address, so one mapping serves both.
 */
#define HV_VIRT_START _UL(0xFFFF800000000000)
#define HV_VIRT_END   _UL(0xFFFF880000000000)
#define HV_L4_FIRST   256
#define HV_L4_LAST    271

#define RO_MPT_VIRT_START _UL(0xFFFF800000000000)
#define RO_MPT_VIRT_END   _UL(0xFFFF808000000000) /* 512 GiB: one slot */

#define DIRECTMAP_VIRT_START _UL(0xFFFF830000000000)
#define DIRECTMAP_L4_SLOT    262
#define DIRECTMAP_SIZE       _UL(0x0000050000000000) /* slots 262-271: 5 TiB */

/* Physical load address of the hypervisor image (Multiboot a.out kludge / address tag). */
#define HV_LOAD_PADDR _UL(0x200000)
#define HV_VIRT_BASE  (DIRECTMAP_VIRT_START + HV_LOAD_PADDR)

/* RAM mapped by the 32-bit boot code before the allocator exists. */
#define BOOT_DIRECTMAP_SIZE _UL(0x100000000)

#define PAGE_SHIFT_4K 12
#define STACK_SIZE    _UL(16384)

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Direct-map translation: any RAM machine address has a hypervisor virtual address. */
static inline void *maddr_to_virt(uint64_t maddr)
{
    return (void *)(uintptr_t)(DIRECTMAP_VIRT_START + maddr);
}

static inline uint64_t virt_to_maddr(const void *va)
{
    return (uint64_t)(uintptr_t)va - DIRECTMAP_VIRT_START;
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

#endif
