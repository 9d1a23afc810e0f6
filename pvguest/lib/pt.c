/* SPDX-License-Identifier: MIT */
/* Page-table helpers for the page-type tests (see pvguest/pt.h). */
#include <pvguest/pt.h>

static unsigned long boot_end; /* v_end, found by pt_init() */

uint64_t pt_pfn_to_mfn(uint64_t pfn)
{
    return ((const uint64_t *)pv_start_info->mfn_list)[pfn];
}

uint64_t pt_mfn_to_pfn(uint64_t mfn)
{
    return PT_M2P[mfn];
}

uint64_t pt_va_to_mfn(unsigned long va)
{
    return pt_pfn_to_mfn((va - PV_VIRT_BASE) >> 12);
}

volatile uint64_t *pt_mfn_to_va(uint64_t mfn)
{
    uint64_t pfn = pt_mfn_to_pfn(mfn);
    uint64_t mapped = boot_end ? (boot_end - PV_VIRT_BASE) >> 12 : pv_start_info->nr_pages;

    if (pfn >= mapped || pt_pfn_to_mfn(pfn) != mfn)
        return NULL;
    return (volatile uint64_t *)(PV_VIRT_BASE + (pfn << 12));
}

uint64_t pt_entry_maddr(unsigned long va, unsigned int level)
{
    uint64_t mfn = pt_va_to_mfn(pv_start_info->pt_base);

    for (unsigned int l = 4;; l--) {
        unsigned int idx = (va >> (12 + 9 * (l - 1))) & 511;
        volatile uint64_t *table;

        if (l == level)
            return (mfn << 12) | (idx * 8);
        table = pt_mfn_to_va(mfn);
        if (!table || !(table[idx] & X86_PTE_P))
            return 0;
        mfn = X86_PTE_MFN(table[idx]);
    }
}

volatile uint64_t *pt_entry(unsigned long va, unsigned int level)
{
    uint64_t maddr = pt_entry_maddr(va, level);
    volatile uint64_t *table = maddr ? pt_mfn_to_va(maddr >> 12) : NULL;

    return table ? table + (maddr & 0xfff) / 8 : NULL;
}

void pt_init(void)
{
    unsigned long va = PV_VIRT_BASE;

    for (;;) {
        volatile uint64_t *e = pt_entry(va, 1);

        if (!e || !(*e & X86_PTE_P))
            break;
        va += PV_PAGE_SIZE;
    }
    boot_end = va;
}

unsigned long pt_boot_end(void)
{
    return boot_end;
}

unsigned long pt_spare_va(unsigned int i)
{
    return boot_end - (i + 1UL) * PV_PAGE_SIZE;
}

uint64_t pt_spare_mfn(unsigned int i)
{
    return pt_pfn_to_mfn(pv_start_info->nr_pages - 1 - i);
}

long pt_map(unsigned long va, uint64_t mfn, uint64_t flags)
{
    return HYPERVISOR_update_va_mapping(va, (mfn << 12) | flags, UVMF_INVLPG);
}

long pt_unmap(unsigned long va)
{
    return HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG);
}

long pt_restore(unsigned long va)
{
    return pt_map(va, pt_va_to_mfn(va), PT_RW);
}

static long copy_frame(uint64_t mfn, void *to, const void *from, bool write)
{
    unsigned long va = pt_spare_va(PT_NR_SPARE_VA - 1);
    long rc = pt_map(va, mfn, PT_RW);

    if (rc)
        return rc;
    if (write)
        memcpy((void *)va, from, PV_PAGE_SIZE);
    else
        memcpy(to, (const void *)va, PV_PAGE_SIZE);
    return pt_restore(va);
}

long pt_write_frame(uint64_t mfn, const void *page)
{
    return copy_frame(mfn, NULL, page, true);
}

long pt_read_frame(uint64_t mfn, void *page)
{
    return copy_frame(mfn, page, NULL, false);
}

long pt_mmu_update(uint64_t ptr, uint64_t val)
{
    struct mmu_update req = {.ptr = ptr, .val = val};

    return HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF);
}

long pt_mmuext(unsigned int cmd, uint64_t arg1)
{
    struct mmuext_op op = {.cmd = cmd, .arg1.mfn = arg1};

    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

bool pt_faulted_read(const volatile void *p, uint64_t *val)
{
    unsigned long before = pv_caught.count;
    uint64_t v = 0;

    __asm__ volatile(PV_TRY_BEGIN "mov (%1), %0" PV_TRY_END : "+r"(v) : "r"(p) : "r11", "memory");
    *val = v;
    return pv_caught.count != before;
}

bool pt_faulted_write(volatile void *p, uint64_t val)
{
    unsigned long before = pv_caught.count;

    __asm__ volatile(PV_TRY_BEGIN "mov %1, (%0)" PV_TRY_END : : "r"(p), "r"(val) : "r11", "memory");
    return pv_caught.count != before;
}
