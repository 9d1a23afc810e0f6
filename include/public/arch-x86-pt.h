/* SPDX-License-Identifier: MIT */
/* x86_64 page tables: PTE bits, page size and per-level index helpers. */
#ifndef XEN_LITE_PUBLIC_ARCH_X86_PT_H
#define XEN_LITE_PUBLIC_ARCH_X86_PT_H

/*
 * Overview
 * --------
 * 4-level x86_64 paging as PV guests use it: 512 eight-byte entries per
 * table, L4 (PML4) -> L3 (PDPT) -> L2 (PD) -> L1 (PT). These are hardware
 * facts, not Xen ABI, but PV guests hand raw PTEs to mmu_update and
 * update_va_mapping, so both sides need them. Every present PTE the
 * hypervisor validates gets X86_PTE_US forced on, because guest kernels run
 * at CPL 3.
 * Usable from assembly (constants only).
 */

#ifndef XL_U64
#ifdef __ASSEMBLER__
#define XL_U64(x) x
#else
#define XL_U64(x) x##ULL
#endif
#endif

/* Guarded: hosted <sys/user.h> defines the same values. */
#ifndef PAGE_SHIFT
#define PAGE_SHIFT 12
#endif
#ifndef PAGE_SIZE
#define PAGE_SIZE (XL_U64(1) << PAGE_SHIFT)
#endif
#ifndef PAGE_MASK
#define PAGE_MASK (~(PAGE_SIZE - 1))
#endif

#define X86_PTE_P         XL_U64(0x001)              /* present */
#define X86_PTE_RW        XL_U64(0x002)              /* writable */
#define X86_PTE_US        XL_U64(0x004)              /* user accessible */
#define X86_PTE_PWT       XL_U64(0x008)              /* write-through */
#define X86_PTE_PCD       XL_U64(0x010)              /* cache disable */
#define X86_PTE_A         XL_U64(0x020)              /* accessed (set by CPU) */
#define X86_PTE_D         XL_U64(0x040)              /* dirty (set by CPU; leaf only) */
#define X86_PTE_PSE       XL_U64(0x080)              /* large page (L2/L3); PAT bit in L1 */
#define X86_PTE_PAT       X86_PTE_PSE                /* L1 only */
#define X86_PTE_G         XL_U64(0x100)              /* global */
#define X86_PTE_AVAIL     XL_U64(0xe00)              /* bits 9-11: free for software */
#define X86_PTE_NX        (XL_U64(1) << 63)          /* no execute */
#define X86_PTE_ADDR_MASK XL_U64(0x000ffffffffff000) /* frame address bits */

/* Frame number held in a PTE, and a PTE for a frame plus flag bits. */
#define X86_PTE_MFN(pte)         (((pte)&X86_PTE_ADDR_MASK) >> 12)
#define X86_PTE_MAKE(mfn, flags) (((XL_U64(0) + (mfn)) << 12) | (flags))

#define X86_PT_ENTRIES 512
#define X86_L1_SHIFT   12 /* one L1 entry maps 4 KiB */
#define X86_L2_SHIFT   21 /* one L2 entry maps 2 MiB */
#define X86_L3_SHIFT   30 /* one L3 entry maps 1 GiB */
#define X86_L4_SHIFT   39 /* one L4 entry maps 512 GiB */

/* Index of the entry mapping virtual address va at each level. */
#define l1_index(va) ((unsigned)(((va) >> X86_L1_SHIFT) & (X86_PT_ENTRIES - 1)))
#define l2_index(va) ((unsigned)(((va) >> X86_L2_SHIFT) & (X86_PT_ENTRIES - 1)))
#define l3_index(va) ((unsigned)(((va) >> X86_L3_SHIFT) & (X86_PT_ENTRIES - 1)))
#define l4_index(va) ((unsigned)(((va) >> X86_L4_SHIFT) & (X86_PT_ENTRIES - 1)))

#endif /* XEN_LITE_PUBLIC_ARCH_X86_PT_H */
