/* SPDX-License-Identifier: MIT */
/*
 * pt-build: a guest builds a whole page-table hierarchy of its own and moves onto it, as
 * PV GRUB does before it boots a kernel.
 *
 * The new L4, L3, L2 and L1s live in spare frames from the top of memory (mapped nowhere
 * at start of day). Each is written through a temporary read-write mapping which is then
 * dropped: a frame can only become a page table while nothing maps it writable. The L1s
 * copy the boot L1 entries (read through the read-only mapping of the boot tables), so the
 * new tables map [VIRT_BASE, v_end) exactly like the boot ones, except one spare page which
 * shows a marker frame instead: reading it tells which tables the CPU really walks.
 *
 * Checks:
 *  - MMUEXT_PIN_L4_TABLE of the new L4 -> 0 (validates the whole hierarchy);
 *  - MMUEXT_NEW_BASEPTR -> 0, and afterwards the marker shows through, the console works,
 *    and the M2P (which the hypervisor installs in every L4 it validates) is readable;
 *  - the boot tables are still pinned (the builder pinned their L4): mapping the boot L4
 *    writable is refused; MMUEXT_UNPIN_TABLE of it -> 0 (NEW_BASEPTR dropped the vCPU's
 *    reference, so that was the last one); now the boot page-table frames are ordinary
 *    memory: mapping the boot L4 and a boot L1 writable -> 0, and a write through that
 *    mapping lands in the frame.
 */
#include <pvguest/pt.h>

#define MARKER 0x6d61726b65723a29ULL /* "):rekram" */

static uint64_t page[512];

void test_main(void)
{
    unsigned long v_end, marker_va, spare_va;
    uint64_t l4, l3, l2, l1[PT_NR_SPARE_FRAMES], marker, boot_l4, boot_l1;
    unsigned int nr_l1;
    uint64_t v;
    long rc;

    pv_catch(X86_EXC_PF);
    pt_init();
    v_end = pt_boot_end();
    nr_l1 = (v_end - PV_VIRT_BASE) >> X86_L2_SHIFT;
    pv_printf("boot mapping %#lx-%#lx: %u L1s; nr_pages %lu\n", PV_VIRT_BASE, v_end, nr_l1,
              (unsigned long)pv_start_info->nr_pages);
    if (nr_l1 + 4 > PT_NR_SPARE_FRAMES ||
        pv_start_info->nr_pages - PT_NR_SPARE_FRAMES < (v_end - PV_VIRT_BASE) >> 12) {
        xtf_error("layout does not fit the test (%u L1s)", nr_l1);
        return;
    }
    l4 = pt_spare_mfn(0);
    l3 = pt_spare_mfn(1);
    l2 = pt_spare_mfn(2);
    marker = pt_spare_mfn(3);
    for (unsigned int i = 0; i < nr_l1; i++)
        l1[i] = pt_spare_mfn(4 + i);
    marker_va = pt_spare_va(0);
    spare_va = pt_spare_va(1);
    boot_l4 = pt_va_to_mfn(pv_start_info->pt_base);
    boot_l1 = pt_entry_maddr(PV_VIRT_BASE, 1) >> 12;

    for (unsigned int i = 0; i < 512; i++)
        page[i] = MARKER;
    if (!xtf_check(pt_write_frame(marker, page) == 0, "cannot write the marker frame"))
        return;

    /* The L1s: copies of the boot L1 entries, except the marker page. */
    for (unsigned int i = 0; i < nr_l1; i++) {
        volatile uint64_t *boot = pt_entry(PV_VIRT_BASE + ((unsigned long)i << X86_L2_SHIFT), 1);

        for (unsigned int j = 0; j < 512; j++)
            page[j] = boot[j];
        if (l2_index(marker_va) == i)
            page[l1_index(marker_va)] = (marker << 12) | PT_RO;
        if (!xtf_check(pt_write_frame(l1[i], page) == 0, "cannot write L1 %u", i))
            return;
    }
    memset(page, 0, sizeof(page));
    for (unsigned int i = 0; i < nr_l1; i++)
        page[l2_index(PV_VIRT_BASE) + i] = (l1[i] << 12) | PT_PDE;
    rc = pt_write_frame(l2, page);
    memset(page, 0, sizeof(page));
    page[l3_index(PV_VIRT_BASE)] = (l2 << 12) | PT_PDE;
    rc = rc ?: pt_write_frame(l3, page);
    memset(page, 0, sizeof(page));
    page[l4_index(PV_VIRT_BASE)] = (l3 << 12) | PT_PDE;
    rc = rc ?: pt_write_frame(l4, page);
    if (!xtf_check(rc == 0, "cannot write the upper tables: %ld", rc))
        return;
    pv_printf("new tables: L4 %#lx L3 %#lx L2 %#lx L1 %#lx.., marker %#lx at %#lx\n",
              (unsigned long)l4, (unsigned long)l3, (unsigned long)l2, (unsigned long)l1[0],
              (unsigned long)marker, marker_va);

    xtf_check(*(volatile uint64_t *)marker_va != MARKER, "marker visible before the switch");
    if (!pt_expect("MMUEXT_PIN_L4_TABLE of the new L4", pt_mmuext(MMUEXT_PIN_L4_TABLE, l4), 0) ||
        !pt_expect("MMUEXT_NEW_BASEPTR to it", pt_mmuext(MMUEXT_NEW_BASEPTR, l4), 0))
        return;

    pv_printf("running on our own page tables\n");
    xtf_check(*(volatile uint64_t *)marker_va == MARKER,
              "after NEW_BASEPTR the marker page reads %#lx: the CPU is not on the new tables",
              (unsigned long)*(volatile uint64_t *)marker_va);
    if (!pt_faulted_read(&PT_M2P[l4], &v))
        xtf_check(v == pv_start_info->nr_pages - 1, "M2P[new L4] = %#lx, want pfn %#lx",
                  (unsigned long)v, (unsigned long)(pv_start_info->nr_pages - 1));
    else
        xtf_failure("the M2P is not mapped in the new tables (#PF at %#lx)",
                    (unsigned long)pv_caught.cr2);

    rc = pt_map(spare_va, boot_l4, PT_RW);
    xtf_check(rc < 0, "the boot L4 is still pinned, yet mapping it writable returned %ld", rc);
    if (rc == 0)
        pt_restore(spare_va);
    if (!pt_expect("MMUEXT_UNPIN_TABLE of the boot L4", pt_mmuext(MMUEXT_UNPIN_TABLE, boot_l4), 0))
        return;

    /* The boot page-table frames are plain memory now. */
    pt_expect("map the old boot L1 writable", pt_map(spare_va, boot_l1, PT_RW), 0);
    pt_restore(spare_va);
    if (pt_expect("map the old boot L4 writable", pt_map(spare_va, boot_l4, PT_RW), 0)) {
        volatile uint64_t *old = (volatile uint64_t *)spare_va;

        if (xtf_check(!pt_faulted_write(&old[1], MARKER), "write through it faulted"))
            xtf_check(((volatile uint64_t *)pv_start_info->pt_base)[1] == MARKER,
                      "the write did not reach the frame");
        pt_restore(spare_va);
    }
    xtf_success();
}
