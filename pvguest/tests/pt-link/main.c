/* SPDX-License-Identifier: MIT */
/*
 * pt-link: a page table becomes one by being linked into the live hierarchy, and stops
 * being one when unlinked, as Mini-OS and Linux grow their mappings.
 *
 * A spare frame (mapped nowhere at start of day) is filled as an L1 through a temporary
 * writable mapping: entry 0 maps a data frame read-write, entry 1 the same frame read-only.
 * It is linked into a free slot of the live boot L2 (the 2 MiB just past the boot mapping)
 * with MMU_NORMAL_PT_UPDATE, which validates it then and there. Expected (Xen's results):
 *  - linking it while a writable mapping of it exists: -EINVAL (type conflict);
 *  - linking an L1 whose entry maps a page table writable: validation fails with Xen's
 *    get_page_from_l1e error, -EBUSY, and leaves that frame untyped (mappable writable);
 *  - linking the good one: 0. Through the new mapping we read what was written through
 *    another mapping of the data frame and the other way round; the read-only entry reads
 *    but a write through it raises #PF (P|W); the hypervisor set _PAGE_USER in the entries;
 *  - while it is an L1: mapping it writable -> -EBUSY, read-only -> 0; update_va_mapping
 *    can edit it like any live L1;
 *  - pinned and then unlinked it stays an L1 (mapping it writable still -EBUSY); unpinned
 *    it is plain memory again (-> 0); once unlinked, its addresses no longer translate
 *    (#PF, not present: Xen flushes the TLB after an L2 update).
 */
#include <pvguest/pt.h>

#define MAGIC1 0x1111111111111111ULL
#define MAGIC2 0x2222222222222222ULL

static uint64_t page[512];

static void check_pf(const char *what, bool faulted, unsigned long addr, uint64_t ec)
{
    if (!xtf_check(faulted, "%s did not fault", what))
        return;
    pv_printf("ok   %s: #PF ec %#lx cr2 %#lx\n", what, (unsigned long)pv_caught.frame.error_code,
              (unsigned long)pv_caught.cr2);
    xtf_check(pv_caught.frame.vector == X86_EXC_PF, "%s: vector %lu, want #PF", what,
              (unsigned long)pv_caught.frame.vector);
    xtf_check(pv_caught.cr2 == addr, "%s: cr2 %#lx, want %#lx", what, (unsigned long)pv_caught.cr2,
              addr);
    xtf_check((pv_caught.frame.error_code & 0x1f) == ec, "%s: error code %#lx, want %#lx", what,
              (unsigned long)pv_caught.frame.error_code, (unsigned long)ec);
}

void test_main(void)
{
    unsigned long link_va, scratch, data_va;
    volatile uint64_t *at, *l2e;
    uint64_t slot, l1, bad_l1, data, boot_l4, v;
    long rc;

    pv_catch(X86_EXC_PF);
    pt_init();
    link_va = pt_boot_end(); /* first address past the boot mapping: same L2, free slot */
    slot = pt_entry_maddr(link_va, 2);
    l2e = pt_entry(link_va, 2);
    if (!slot || !l2e || *l2e) {
        xtf_error("no free L2 slot for %#lx", link_va);
        return;
    }
    l1 = pt_spare_mfn(0);
    data = pt_spare_mfn(1);
    bad_l1 = pt_spare_mfn(2);
    boot_l4 = pt_va_to_mfn(pv_start_info->pt_base);
    scratch = pt_spare_va(0);
    data_va = pt_spare_va(1);
    at = (volatile uint64_t *)link_va;
    pv_printf("L1 %#lx, data %#lx, linked at L2 slot %#lx for %#lx\n", (unsigned long)l1,
              (unsigned long)data, (unsigned long)slot, link_va);

    if (!pt_expect("map the data frame writable", pt_map(data_va, data, PT_RW), 0))
        return;
    *(volatile uint64_t *)data_va = MAGIC1;

    memset(page, 0, sizeof(page));
    page[0] = (data << 12) | PT_RW;
    page[1] = (data << 12) | PT_RO;
    if (!xtf_check(pt_write_frame(l1, page) == 0, "cannot write the L1"))
        return;
    memset(page, 0, sizeof(page));
    page[0] = (boot_l4 << 12) | PT_RW;
    if (!xtf_check(pt_write_frame(bad_l1, page) == 0, "cannot write the bad L1"))
        return;

    /* Refused links. */
    pt_expect("map the new L1 writable (before linking)", pt_map(scratch, l1, PT_RW), 0);
    pt_expect("link it while it is mapped writable", pt_mmu_update(slot, (l1 << 12) | PT_PDE),
              -XEN_EINVAL);
    pt_restore(scratch);
    pt_expect("link an L1 mapping the boot L4 writable",
              pt_mmu_update(slot, (bad_l1 << 12) | PT_PDE), -XEN_EBUSY);
    xtf_check(*l2e == 0, "the L2 slot changed to %#lx", (unsigned long)*l2e);
    pt_expect("map that refused frame writable", pt_map(scratch, bad_l1, PT_RW), 0);
    pt_restore(scratch);

    /* The good link, and the mapping it makes. */
    if (!pt_expect("link the new L1 into the live L2", pt_mmu_update(slot, (l1 << 12) | PT_PDE), 0))
        return;
    if (xtf_check(!pt_faulted_read(&at[0], &v), "reading through the new L1 faulted")) {
        xtf_check(v == MAGIC1, "read %#lx through the new L1, want %#lx", (unsigned long)v,
                  (unsigned long)MAGIC1);
        if (xtf_check(!pt_faulted_write(&at[0], MAGIC2), "writing through the new L1 faulted"))
            xtf_check(*(volatile uint64_t *)data_va == MAGIC2,
                      "a write through the new L1 did not reach the data frame");
    }
    if (xtf_check(!pt_faulted_read(&at[512], &v), "reading the read-only entry faulted"))
        xtf_check(v == MAGIC2, "the read-only entry reads %#lx, want %#lx", (unsigned long)v,
                  (unsigned long)MAGIC2);
    check_pf("write through the read-only entry", pt_faulted_write(&at[512], 0), link_va + 4096,
             X86_PFEC_PRESENT | X86_PFEC_WRITE);

    /* It is an L1 now. */
    pt_expect("map the linked L1 writable", pt_map(scratch, l1, PT_RW), -XEN_EBUSY);
    if (pt_expect("map the linked L1 read-only", pt_map(scratch, l1, PT_RO), 0)) {
        v = *(volatile uint64_t *)scratch;
        xtf_check((v & PT_KEEP) == ((data << 12) | X86_PTE_P | X86_PTE_RW), "L1 entry 0 reads %#lx",
                  (unsigned long)v);
        xtf_check(v & X86_PTE_US, "the hypervisor did not set _PAGE_USER: entry %#lx",
                  (unsigned long)v);
    }
    pt_restore(scratch);
    if (pt_expect("update_va_mapping in the linked L1", pt_map(link_va + 2 * 4096, data, PT_RO), 0))
        xtf_check(at[2 * 512] == MAGIC2, "update_va_mapping's entry does not map the data frame");

    /* Pinned, it outlives the link; unpinned and unlinked it is memory again. */
    pt_expect("MMUEXT_PIN_L1_TABLE of the linked L1", pt_mmuext(MMUEXT_PIN_L1_TABLE, l1), 0);
    pt_expect("unlink it (L2 slot = 0)", pt_mmu_update(slot, 0), 0);
    check_pf("read through the unlinked L1", pt_faulted_read(&at[0], &v), link_va, 0);
    pt_expect("map the pinned, unlinked L1 writable", pt_map(scratch, l1, PT_RW), -XEN_EBUSY);
    pt_expect("MMUEXT_UNPIN_TABLE of it", pt_mmuext(MMUEXT_UNPIN_TABLE, l1), 0);
    rc = pt_map(scratch, l1, PT_RW);
    pt_expect("map the former L1 writable", rc, 0);
    if (rc == 0) {
        xtf_check(!pt_faulted_write((volatile uint64_t *)scratch, 0), "writing it faulted");
        pt_restore(scratch);
    }
    pt_unmap(data_va);
    pt_restore(data_va);
    xtf_success();
}
