/* SPDX-License-Identifier: MIT */
/* Page-table helpers for the page-type tests: the boot tables, spare frames and addresses. */
#ifndef PVGUEST_PT_H
#define PVGUEST_PT_H

#include <stdbool.h>
#include <stdint.h>
#include <pvguest/pvguest.h>
#include <pvguest/test.h>

/*
 * What a PV guest knows about its memory at start of day (ABI-NOTES "Start-of-day"):
 *  - the boot mapping [PV_VIRT_BASE, pt_boot_end()) maps pfn 0.. in order; the page-table
 *    frames inside it (start_info.pt_base is the L4) are mapped read-only;
 *  - page-table entries hold machine frame numbers; the read-only M2P at PT_M2P turns an
 *    MFN back into a pfn, and so into the address where the boot mapping shows that frame;
 *  - the pfns above the boot mapping (up to nr_pages) are ours but mapped nowhere: the
 *    spare frames below come from the top of memory;
 *  - the last pages of the boot mapping are slack nobody uses: the spare addresses below.
 * Everything here walks the *boot* tables (start_info.pt_base), so it stops being
 * meaningful once a test switches to tables of its own.
 */

/* The read-only machine-to-phys table, indexed by MFN. */
#define PT_M2P ((const volatile uint64_t *)0xFFFF800000000000UL)

/* Entry flags: a read-only / read-write leaf, and a table pointer (the hypervisor adds U). */
#define PT_RO  (X86_PTE_P | X86_PTE_A)
#define PT_RW  (X86_PTE_P | X86_PTE_RW | X86_PTE_A | X86_PTE_D)
#define PT_PDE (X86_PTE_P | X86_PTE_RW | X86_PTE_A)

/* The bits an entry keeps whatever the hypervisor adjusts (U, G, A, D, Xen's bit 52). */
#define PT_KEEP (X86_PTE_ADDR_MASK | X86_PTE_P | X86_PTE_RW)

/* Finds the end of the boot mapping; call once at the start, before changing any mapping. */
void pt_init(void);

/* End of the boot mapping (v_end): 4 MiB aligned, past the boot stack and some slack. */
unsigned long pt_boot_end(void);

uint64_t pt_pfn_to_mfn(uint64_t pfn); /* through the p2m list (start_info.mfn_list) */
uint64_t pt_mfn_to_pfn(uint64_t mfn); /* through the M2P */

/* Where the boot mapping shows frame mfn (read-only for page tables), NULL if it doesn't. */
volatile uint64_t *pt_mfn_to_va(uint64_t mfn);

/* MFN behind an address of the boot mapping. */
uint64_t pt_va_to_mfn(unsigned long va);

/*
 * The level-`level` (1..4) entry for va in the boot tables: its machine address (0 if a
 * table on the way is not present), and a read-only pointer to it (NULL likewise, or if the
 * table is not in the boot mapping).
 */
uint64_t pt_entry_maddr(unsigned long va, unsigned int level);
volatile uint64_t *pt_entry(unsigned long va, unsigned int level);

/* Spare addresses: the i-th page from the end of the boot mapping, i < PT_NR_SPARE_VA. */
#define PT_NR_SPARE_VA 32
unsigned long pt_spare_va(unsigned int i);

/* Spare frames: the MFN of pfn nr_pages-1-i, i < PT_NR_SPARE_FRAMES; mapped nowhere. */
#define PT_NR_SPARE_FRAMES 64
uint64_t pt_spare_mfn(unsigned int i);

/* update_va_mapping(va, mfn | flags) / (va, 0), flushing va. Return the hypercall's result. */
long pt_map(unsigned long va, uint64_t mfn, uint64_t flags);
long pt_unmap(unsigned long va);
/* Maps an address of the boot mapping back onto its own frame, read-write. */
long pt_restore(unsigned long va);

/*
 * Writes 4096 bytes into frame mfn (a page of 512 entries, say) through a temporary
 * read-write mapping at spare address PT_NR_SPARE_VA - 1, which is restored afterwards:
 * the frame is left mapped nowhere (writable nowhere), ready to become a page table.
 * Reads it back likewise. Return 0 or the failing update_va_mapping's result.
 */
long pt_write_frame(uint64_t mfn, const void *page);
long pt_read_frame(uint64_t mfn, void *page);

/* One mmu_update request / one mmuext_op command for ourselves. */
long pt_mmu_update(uint64_t ptr, uint64_t val);
long pt_mmuext(unsigned int cmd, uint64_t arg1);

/*
 * Loads / stores 8 bytes at p, surviving a fault (#PF and #GP must be armed with
 * pv_catch()). Return true if the access faulted; pv_caught then holds the frame and cr2.
 */
bool pt_faulted_read(const volatile void *p, uint64_t *val);
bool pt_faulted_write(volatile void *p, uint64_t val);

/* Prints "ok <what>", or reports a failure unless a result is exactly what Xen gives. */
static inline bool pt_expect(const char *what, long got, long want)
{
    if (got == want) {
        pv_printf("ok   %-58s %ld %s\n", what, got, got < 0 ? xen_errno_name((int)got) : "");
        return true;
    }
    xtf_failure("%s returned %ld (%s), want %ld (%s)", what, got,
                got < 0 ? xen_errno_name((int)got) : "-", want,
                want < 0 ? xen_errno_name((int)want) : "-");
    return false;
}

#endif /* PVGUEST_PT_H */
