/* SPDX-License-Identifier: MIT */
/*
 * pt-hostile: an unprivileged domain tries every way around the page-type rules it can
 * think of. Each attempt must fail with exactly the errno Xen gives (arch/x86/mm.c: an L1
 * entry that maps a frame we may not map is get_page_from_l1e's -EBUSY, or -EPERM for I/O
 * memory; a bad entry anywhere else, a type conflict or a bad pin is -EINVAL), must change
 * nothing, and the guest keeps running. test.conf boots it as domU 1 ("attacker") next to
 * pt-victim as domU 2 ("victim"), which checksums its own memory throughout and must see
 * no change.
 *
 *  hypervisor memory: mapping an M2P frame (XENMEM_machphys_mfn_list), xen-lite's image
 *      (MFN 0x200): -EBUSY; I/O memory (VGA 0xb8, local APIC 0xfee00): -EPERM; a frame past
 *      any RAM: -EINVAL; a mapping at a hypervisor address: -EINVAL; a store to the M2P:
 *      #PF (P|W); mmu_update writing into an M2P frame, MMU_MACHPHYS_UPDATE of it: -EINVAL;
 *  other domains' frames (every frame the M2P says is another domain's pfn < 64): mapping
 *      it read-only or writable: -EBUSY; mmu_update writing into it, MMU_MACHPHYS_UPDATE of
 *      it, pinning it, linking it as an L1: -EINVAL; pinning an L1 that maps it: -EBUSY;
 *  our own tables: mapping the L1 of a page, or the L4, writable: -EBUSY (read-only: 0);
 *      mmu_update of L4 slots 256 and 271 (the hypervisor's, even to 0): -EINVAL; unpinning
 *      a never-pinned table or a data frame: -EINVAL; pinning the (builder-pinned) L4 again,
 *      an L1 twice, an L1 as an L2, a frame past RAM: -EINVAL; NEW_BASEPTR to an L1, to MFN
 *      0, to a frame of garbage: -EINVAL; unpinning the live L4 is allowed (the vCPU still
 *      holds it), it stays an L4 (writable mapping -EBUSY) and can be pinned back;
 *      shared_info, even unmapped, can never become a page table (Xen keeps it typed
 *      writable for good): pinning it as an L1 -EINVAL;
 *  recursion: an L4 entry pointing at the L4 itself read-write: -EINVAL; read-only: 0, a
 *      linear page table: reading through it shows the L4, writing through it #PF,
 *      update_va_mapping through it (its "L1" is the L4) -EINVAL; L2 B linking L2 C
 *      read-only is fine but L2 A linking B (which has a linear entry itself) is -EINVAL
 *      (Xen forbids chains since XSA-240); L3 A -> L2 B -> A as an L1 (a loop): -EINVAL,
 *      leaving both frames untyped;
 *  entry bits: L1 bits 52-62 (free for software; only a debug build of Xen reserves 62):
 *      0; PCD or PAT in a domU's L1: -EINVAL; PSE or G in an L2: -EINVAL;
 *      mmu_update command 3 (MMU_PT_UPDATE_NO_TRANSLATE, a normal update for PV): 0,
 *      commands 4-7: -ENOSYS;
 *  batches: count 100000 over 16 entries that end where the mapping ends: -EFAULT with
 *      *done = 16; 8 entries of which 5 are readable: -EFAULT, done 5, exactly those 5
 *      applied; 8 entries whose 4th is refused: -EBUSY, done 3, exactly 3 applied; *done
 *      in a read-only page (our L1): Xen ignores the failed write, so 0, and the page is
 *      untouched;
 *  foreign domains: mmuext_op for the victim: -EPERM; for domain 5 (none) or ourselves as a
 *      foreign domain: -ESRCH; mmu_update for the victim: -EPERM with done 0;
 *      update_va_mapping_otherdomain for the victim: -EPERM.
 */
#include <pvguest/pt.h>
#include <public/memory.h>

#define SELF_DOMID   1 /* test.conf: idle dom0, then us, then the victim */
#define VICTIM_DOMID 2
#define NO_DOMID     5
#define MFN_PAST_RAM 0xFFFFFFFFFFULL /* the largest 40-bit frame number */
#define HV_IMAGE_MFN 0x200ULL        /* xen-lite is loaded at 2 MiB */
#define LINEAR_SLOT  400             /* a free guest L4 slot for the recursive entry */
#define PFEC_PW      (X86_PFEC_PRESENT | X86_PFEC_WRITE)

static uint64_t page[512];
static struct mmu_update reqs[8];
static unsigned long spare;        /* a spare page, mapped onto its own frame between uses */
static uint64_t spare_pte_maddr;   /* its boot L1 entry */
static uint64_t boot_l4, spare_l1; /* the boot L4 and the L1 mapping `spare` */
static uint64_t m2p_mfn;
static unsigned int quiet_failures;

/* Like pt_expect, for the many attempts on other domains' frames: reports, never prints. */
static long expect_quiet(const char *what, uint64_t mfn, long got, long want)
{
    if (got != want && ++quiet_failures <= 8)
        xtf_failure("%s of MFN %#lx returned %ld (%s), want %ld (%s)", what, (unsigned long)mfn,
                    got, xen_errno_name((int)got), want, xen_errno_name((int)want));
    return got;
}

static void expect_pf(const char *what, bool faulted, unsigned long addr)
{
    if (!xtf_check(faulted, "%s: no #PF", what))
        return;
    pv_printf("ok   %s: #PF ec %#lx cr2 %#lx\n", what, (unsigned long)pv_caught.frame.error_code,
              (unsigned long)pv_caught.cr2);
    xtf_check(pv_caught.cr2 == addr && (pv_caught.frame.error_code & 0x1f) == PFEC_PW,
              "%s: #PF cr2 %#lx ec %#lx, want cr2 %#lx ec %#x", what, (unsigned long)pv_caught.cr2,
              (unsigned long)pv_caught.frame.error_code, addr, PFEC_PW);
}

static long mmuext_foreign(unsigned int domid)
{
    struct mmuext_op op = {.cmd = MMUEXT_TLB_FLUSH_LOCAL};

    return HYPERVISOR_mmuext_op(&op, 1, NULL, domid);
}

static void hypervisor_memory(void)
{
    struct xen_machphys_mfn_list list = {.max_extents = 1, .extent_start = (uint64_t)&m2p_mfn};

    if (!xtf_check(HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &list) == 0 &&
                       list.nr_extents == 1,
                   "XENMEM_machphys_mfn_list failed"))
        return;
    pv_printf("-- hypervisor memory (M2P frame %#lx)\n", (unsigned long)m2p_mfn);
    pt_expect("map an M2P frame read-only", pt_map(spare, m2p_mfn, PT_RO), -XEN_EBUSY);
    pt_expect("map an M2P frame writable", pt_map(spare, m2p_mfn, PT_RW), -XEN_EBUSY);
    if (PT_M2P[HV_IMAGE_MFN] >= pv_start_info->nr_pages ||
        pt_pfn_to_mfn(PT_M2P[HV_IMAGE_MFN]) != HV_IMAGE_MFN)
        pt_expect("map MFN 0x200 (xen-lite's image) writable", pt_map(spare, HV_IMAGE_MFN, PT_RW),
                  -XEN_EBUSY);
    pt_expect("map MFN 0xb8 (VGA memory)", pt_map(spare, 0xb8, PT_RW), -XEN_EPERM);
    pt_expect("map MFN 0xfee00 (local APIC)", pt_map(spare, 0xfee00, PT_RW), -XEN_EPERM);
    pt_expect("map a frame past any RAM", pt_map(spare, MFN_PAST_RAM, PT_RO), -XEN_EINVAL);
    pt_restore(spare);
    pt_expect("update_va_mapping at the M2P's address",
              HYPERVISOR_update_va_mapping(0xFFFF800000000000UL,
                                           (pt_va_to_mfn(spare) << 12) | PT_RW, UVMF_INVLPG),
              -XEN_EINVAL);
    pt_expect("update_va_mapping at the direct map's address",
              HYPERVISOR_update_va_mapping(0xFFFF830000000000UL, 0, UVMF_INVLPG), -XEN_EINVAL);
    expect_pf("store into the M2P", pt_faulted_write((volatile uint64_t *)PT_M2P, 0),
              (unsigned long)PT_M2P);
    pt_expect("mmu_update writing into an M2P frame", pt_mmu_update(m2p_mfn << 12, 0), -XEN_EINVAL);
    pt_expect("MMU_MACHPHYS_UPDATE of an M2P frame",
              pt_mmu_update((m2p_mfn << 12) | MMU_MACHPHYS_UPDATE, 0), -XEN_EINVAL);
}

static void other_domains(void)
{
    struct xen_machphys_mapping map;
    uint64_t max_mfn, first = 0, last = 0, l1 = pt_spare_mfn(0);
    uint64_t link = pt_entry_maddr(pt_boot_end(), 2);
    unsigned int n = 0;
    long max_ram = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);

    if (!xtf_check(HYPERVISOR_memory_op(XENMEM_machphys_mapping, &map) == 0 && max_ram > 0,
                   "XENMEM_machphys_mapping / maximum_ram_page failed"))
        return;
    max_mfn = map.max_mfn < (uint64_t)max_ram ? map.max_mfn : (uint64_t)max_ram;
    pv_printf("-- other domains' frames (MFNs up to %#lx)\n", (unsigned long)max_mfn);
    for (uint64_t mfn = 0x100; mfn <= max_mfn; mfn++) {
        uint64_t pfn = PT_M2P[mfn];

        if (pfn >= 64 || (pfn < pv_start_info->nr_pages && pt_pfn_to_mfn(pfn) == mfn))
            continue;
        last = mfn;
        first = n++ ? first : mfn;
        expect_quiet("map read-only", mfn, pt_map(spare, mfn, PT_RO), -XEN_EBUSY);
        expect_quiet("map writable", mfn, pt_map(spare, mfn, PT_RW), -XEN_EBUSY);
        expect_quiet("mmu_update writing into", mfn, pt_mmu_update((mfn << 12) | 0x800, 0xbad),
                     -XEN_EINVAL);
        expect_quiet("MMU_MACHPHYS_UPDATE", mfn,
                     pt_mmu_update((mfn << 12) | MMU_MACHPHYS_UPDATE, 1), -XEN_EINVAL);
        if (expect_quiet("MMUEXT_PIN_L1_TABLE", mfn, pt_mmuext(MMUEXT_PIN_L1_TABLE, mfn),
                         -XEN_EINVAL) == 0)
            pt_mmuext(MMUEXT_UNPIN_TABLE, mfn);
        if (expect_quiet("linking as an L1", mfn, pt_mmu_update(link, (mfn << 12) | PT_PDE),
                         -XEN_EINVAL) == 0)
            pt_mmu_update(link, 0);
    }
    pt_restore(spare);
    if (!xtf_check(n > 0, "found no frame of another domain"))
        return;
    pv_printf("%s %u frames of other domains (MFN %#lx-%#lx): %u of %u results differ from Xen's\n",
              quiet_failures ? "FAIL" : "ok  ", n, (unsigned long)first, (unsigned long)last,
              quiet_failures, 6 * n);
    memset(page, 0, sizeof(page));
    page[0] = (last << 12) | PT_RO;
    if (xtf_check(pt_write_frame(l1, page) == 0, "cannot write an L1"))
        pt_expect("pin an L1 mapping another domain's frame", pt_mmuext(MMUEXT_PIN_L1_TABLE, l1),
                  -XEN_EBUSY);
    pt_expect("update_va_mapping_otherdomain for the victim",
              HYPERCALL4(update_va_mapping_otherdomain, spare, (last << 12) | PT_RO, UVMF_INVLPG,
                         VICTIM_DOMID),
              -XEN_EPERM);
}

static void own_tables(void)
{
    uint64_t garbage = pt_spare_mfn(1), shinfo = pv_start_info->shared_info >> 12;
    unsigned long shinfo_va = (unsigned long)pv_shared_info;
    uint64_t l4e = ((volatile uint64_t *)pv_start_info->pt_base)[l4_index(PV_VIRT_BASE)];
    long rc;

    pv_printf("-- our own page tables (L4 %#lx, L1 %#lx)\n", (unsigned long)boot_l4,
              (unsigned long)spare_l1);
    pt_expect("map our L1 writable", pt_map(spare, spare_l1, PT_RW), -XEN_EBUSY);
    pt_expect("map our L1 read-only", pt_map(spare, spare_l1, PT_RO), 0);
    pt_expect("map our L4 writable", pt_map(spare, boot_l4, PT_RW), -XEN_EBUSY);
    pt_restore(spare);
    pt_expect("mmu_update of L4 slot 256", pt_mmu_update((boot_l4 << 12) | 256 * 8, l4e),
              -XEN_EINVAL);
    pt_expect("mmu_update of L4 slot 271 to 0", pt_mmu_update((boot_l4 << 12) | 271 * 8, 0),
              -XEN_EINVAL);
    pt_expect("unpin a never-pinned L1", pt_mmuext(MMUEXT_UNPIN_TABLE, spare_l1), -XEN_EINVAL);
    pt_expect("unpin a data frame", pt_mmuext(MMUEXT_UNPIN_TABLE, pt_spare_mfn(2)), -XEN_EINVAL);
    pt_expect("pin the builder-pinned L4 again", pt_mmuext(MMUEXT_PIN_L4_TABLE, boot_l4),
              -XEN_EINVAL);
    pt_expect("pin an L1", pt_mmuext(MMUEXT_PIN_L1_TABLE, spare_l1), 0);
    pt_expect("pin it again", pt_mmuext(MMUEXT_PIN_L1_TABLE, spare_l1), -XEN_EINVAL);
    pt_expect("unpin it", pt_mmuext(MMUEXT_UNPIN_TABLE, spare_l1), 0);
    pt_expect("pin an L1 as an L2", pt_mmuext(MMUEXT_PIN_L2_TABLE, spare_l1), -XEN_EINVAL);
    pt_expect("pin a frame past any RAM", pt_mmuext(MMUEXT_PIN_L1_TABLE, MFN_PAST_RAM),
              -XEN_EINVAL);

    pt_expect("NEW_BASEPTR to an L1 in use", pt_mmuext(MMUEXT_NEW_BASEPTR, spare_l1), -XEN_EINVAL);
    pt_expect("NEW_BASEPTR to MFN 0", pt_mmuext(MMUEXT_NEW_BASEPTR, 0), -XEN_EINVAL);
    for (unsigned int i = 0; i < 512; i++)
        page[i] = ((0x9e3779b97f4a7c15ULL * (i + 1)) & X86_PTE_ADDR_MASK) | PT_PDE;
    if (xtf_check(pt_write_frame(garbage, page) == 0, "cannot write the garbage frame"))
        pt_expect("NEW_BASEPTR to a frame of garbage", pt_mmuext(MMUEXT_NEW_BASEPTR, garbage),
                  -XEN_EINVAL);

    pt_expect("unpin the live L4", pt_mmuext(MMUEXT_UNPIN_TABLE, boot_l4), 0);
    pv_printf("still running on it\n");
    pt_expect("map the unpinned live L4 writable", pt_map(spare, boot_l4, PT_RW), -XEN_EBUSY);
    pt_restore(spare);
    pt_expect("pin it back", pt_mmuext(MMUEXT_PIN_L4_TABLE, boot_l4), 0);

    /* No faults until shared_info is back: the #PF handler reads cr2 from it. */
    if (!pt_expect("unmap shared_info", pt_unmap(shinfo_va), 0))
        return;
    rc = pt_mmuext(MMUEXT_PIN_L1_TABLE, shinfo);
    if (rc == 0)
        pt_mmuext(MMUEXT_UNPIN_TABLE, shinfo);
    pt_expect("map shared_info back", pt_map(shinfo_va, shinfo, PT_RW), 0);
    pt_expect("pin the unmapped shared_info as an L1", rc, -XEN_EINVAL);
}

static void recursion(void)
{
    uint64_t self = (boot_l4 << 12) | LINEAR_SLOT * 8, a = pt_spare_mfn(3), b = pt_spare_mfn(4),
             c = pt_spare_mfn(5);
    /* Through slot LINEAR_SLOT three times, the L4 serves as L3, L2 and L1: lin + k pages is
     * mapped by L4 entry k, and lin + LINEAR_SLOT pages shows the L4 itself. */
    unsigned long lin = 0xFFFF000000000000UL | ((unsigned long)LINEAR_SLOT << 39) |
                        ((unsigned long)LINEAR_SLOT << 30) | ((unsigned long)LINEAR_SLOT << 21);
    volatile uint64_t *l4_seen = (volatile uint64_t *)(lin + LINEAR_SLOT * PV_PAGE_SIZE);
    uint64_t v;
    long rc;

    pv_printf("-- recursive and looping tables\n");
    pt_expect("L4 entry -> the L4 itself, writable", pt_mmu_update(self, (boot_l4 << 12) | PT_PDE),
              -XEN_EINVAL);
    if (pt_expect("L4 entry -> the L4 itself, read-only",
                  pt_mmu_update(self, (boot_l4 << 12) | PT_RO), 0)) {
        if (xtf_check(!pt_faulted_read(&l4_seen[l4_index(PV_VIRT_BASE)], &v),
                      "reading the L4 through the linear mapping faulted"))
            xtf_check((v & PT_KEEP) ==
                          (((volatile uint64_t *)pv_start_info->pt_base)[l4_index(PV_VIRT_BASE)] &
                           PT_KEEP),
                      "the linear mapping shows %#lx, not the L4", (unsigned long)v);
        expect_pf("store through the linear mapping",
                  pt_faulted_write(&l4_seen[LINEAR_SLOT + 1], 0),
                  (unsigned long)&l4_seen[LINEAR_SLOT + 1]);
        pt_expect(
            "update_va_mapping through the linear mapping",
            HYPERVISOR_update_va_mapping(lin + (LINEAR_SLOT + 1) * PV_PAGE_SIZE, 0, UVMF_INVLPG),
            -XEN_EINVAL);
        pt_expect("remove the recursive entry", pt_mmu_update(self, 0), 0);
    }

    memset(page, 0, sizeof(page));
    rc = pt_write_frame(c, page);
    page[0] = (c << 12) | PT_RO;
    rc = rc ?: pt_write_frame(b, page);
    page[0] = (b << 12) | PT_RO;
    rc = rc ?: pt_write_frame(a, page);
    if (xtf_check(rc == 0, "cannot write the L2s")) {
        pt_expect("pin L2 C", pt_mmuext(MMUEXT_PIN_L2_TABLE, c), 0);
        pt_expect("pin L2 B -> C read-only (linear)", pt_mmuext(MMUEXT_PIN_L2_TABLE, b), 0);
        rc = pt_mmuext(MMUEXT_PIN_L2_TABLE, a);
        pt_expect("pin L2 A -> B read-only (a linear chain)", rc, -XEN_EINVAL);
        if (rc == 0)
            pt_mmuext(MMUEXT_UNPIN_TABLE, a);
        pt_expect("unpin B", pt_mmuext(MMUEXT_UNPIN_TABLE, b), 0);
        pt_expect("unpin C", pt_mmuext(MMUEXT_UNPIN_TABLE, c), 0);
    }

    memset(page, 0, sizeof(page));
    page[0] = (a << 12) | PT_PDE;
    rc = pt_write_frame(b, page);
    page[0] = (b << 12) | PT_PDE;
    rc = rc ?: pt_write_frame(a, page);
    if (xtf_check(rc == 0, "cannot write the loop")) {
        rc = pt_mmuext(MMUEXT_PIN_L3_TABLE, a);
        pt_expect("pin L3 A -> L2 B -> A (a loop)", rc, -XEN_EINVAL);
        if (rc == 0)
            pt_mmuext(MMUEXT_UNPIN_TABLE, a);
        pt_expect("map A writable afterwards", pt_map(spare, a, PT_RW), 0);
        pt_expect("map B writable afterwards", pt_map(spare, b, PT_RW), 0);
        pt_restore(spare);
    }
}

static void entry_bits(void)
{
    uint64_t mine = pt_va_to_mfn(spare), l1 = pt_spare_mfn(6), v;
    uint64_t link = pt_entry_maddr(pt_boot_end(), 2);
    long rc;

    pv_printf("-- entry bits\n");
    if (pt_expect("L1 entry with bits 52-62", pt_map(spare, mine, PT_RW | (0x7ffULL << 52)), 0))
        xtf_check(!pt_faulted_read((volatile uint64_t *)spare, &v), "reading through it faulted");
    pt_expect("L1 entry with PCD", pt_map(spare, mine, PT_RW | X86_PTE_PCD), -XEN_EINVAL);
    pt_expect("L1 entry with PAT", pt_map(spare, mine, PT_RW | X86_PTE_PAT), -XEN_EINVAL);
    pt_restore(spare);

    memset(page, 0, sizeof(page));
    if (xtf_check(pt_write_frame(l1, page) == 0, "cannot write an L1")) {
        pt_expect("L2 entry with PSE", pt_mmu_update(link, (l1 << 12) | PT_PDE | X86_PTE_PSE),
                  -XEN_EINVAL);
        rc = pt_mmu_update(link, (l1 << 12) | PT_PDE | X86_PTE_G);
        pt_expect("L2 entry with G", rc, -XEN_EINVAL);
        if (rc == 0)
            pt_mmu_update(link, 0);
    }
    pt_expect("mmu_update command 3 (MMU_PT_UPDATE_NO_TRANSLATE)",
              pt_mmu_update(spare_pte_maddr | 3, (mine << 12) | PT_RW), 0);
    for (unsigned int cmd = 4; cmd < 8; cmd++) {
        /* Harmless whichever command the low two bits were taken for: the entry as it is,
         * or (odd commands, read as MMU_MACHPHYS_UPDATE) the L1's own pfn. */
        uint64_t val = cmd & 1 ? pt_mfn_to_pfn(spare_l1) : (mine << 12) | PT_RW;
        char what[64];

        snprintf(what, sizeof(what), "mmu_update command %u", cmd);
        pt_expect(what, pt_mmu_update(spare_pte_maddr | cmd, val), -XEN_ENOSYS);
    }
}

/* reqs[i] maps spare page 2+i onto `target` read-only. */
static void fill_reqs(struct mmu_update *r, unsigned int n, uint64_t target)
{
    for (unsigned int i = 0; i < n; i++) {
        r[i].ptr = pt_entry_maddr(pt_spare_va(2 + i), 1);
        r[i].val = (target << 12) | PT_RO;
    }
}

static unsigned int count_mapped(unsigned int n, uint64_t target)
{
    unsigned int k = 0;

    for (unsigned int i = 0; i < n; i++) {
        k += (*pt_entry(pt_spare_va(2 + i), 1) & PT_KEEP) == ((target << 12) | X86_PTE_P);
        pt_restore(pt_spare_va(2 + i));
    }
    return k;
}

static void batches(void)
{
    /* The last page of the boot mapping: what follows it is not mapped. */
    struct mmu_update *end = (struct mmu_update *)pt_boot_end();
    uint64_t target = pt_spare_mfn(7);
    unsigned int done, *ro_done = (unsigned int *)pt_entry(pt_spare_va(12), 1);
    uint64_t before;
    long rc;

    pv_printf("-- batches\n");
    for (unsigned int i = 0; i < 16; i++) { /* no-ops: pfns 1..16 keep their M2P entries */
        (end - 16)[i].ptr = (pt_pfn_to_mfn(i + 1) << 12) | MMU_MACHPHYS_UPDATE;
        (end - 16)[i].val = i + 1;
    }
    done = 12345;
    rc = HYPERVISOR_mmu_update(end - 16, 100000, &done, DOMID_SELF);
    pt_expect("100000 requests, 16 mapped", rc, -XEN_EFAULT);
    xtf_check(done == 16, "... *done = %u, want 16", done);

    fill_reqs(end - 5, 5, target); /* and three more past the end, unreadable */
    done = 12345;
    rc = HYPERVISOR_mmu_update(end - 5, 8, &done, DOMID_SELF);
    pt_expect("8 requests, 5 mapped", rc, -XEN_EFAULT);
    xtf_check(done == 5, "... *done = %u, want 5", done);
    xtf_check(count_mapped(8, target) == 5, "... not exactly 5 requests applied");

    fill_reqs(reqs, 8, target);
    reqs[3].val = (boot_l4 << 12) | PT_RW;
    done = 12345;
    rc = HYPERVISOR_mmu_update(reqs, 8, &done, DOMID_SELF);
    pt_expect("8 requests, the 4th maps our L4 writable", rc, -XEN_EBUSY);
    xtf_check(done == 3, "... *done = %u, want 3", done);
    xtf_check(count_mapped(8, target) == 3, "... not exactly 3 requests applied");

    fill_reqs(reqs, 1, target);
    before = *(volatile uint64_t *)ro_done;
    rc = HYPERVISOR_mmu_update(reqs, 1, ro_done, DOMID_SELF);
    pt_expect("*done in a read-only page (our L1)", rc, 0);
    xtf_check(*(volatile uint64_t *)ro_done == before, "the read-only page changed");
    xtf_check(count_mapped(1, target) == 1, "... the request was not applied");

    done = 12345;
    pt_expect("0 requests", HYPERVISOR_mmu_update(reqs, 0, &done, DOMID_SELF), 0);
    xtf_check(done == 0, "... *done = %u, want 0", done);
}

static void foreign_domains(void)
{
    unsigned int done = 12345;

    pv_printf("-- foreign domains\n");
    pt_expect("mmuext_op for the victim", mmuext_foreign(VICTIM_DOMID), -XEN_EPERM);
    pt_expect("mmuext_op for domain 5 (none)", mmuext_foreign(NO_DOMID), -XEN_ESRCH);
    pt_expect("mmuext_op naming ourselves as foreign", mmuext_foreign(SELF_DOMID), -XEN_ESRCH);
    fill_reqs(reqs, 1, pt_va_to_mfn(pt_spare_va(2)));
    pt_expect("mmu_update for the victim", HYPERVISOR_mmu_update(reqs, 1, &done, VICTIM_DOMID),
              -XEN_EPERM);
    xtf_check(done == 0, "... *done = %u, want 0", done);
}

void test_main(void)
{
    if (pv_start_info->flags & SIF_PRIVILEGED) {
        xtf_error("run as a domU (see test.conf): a privileged domain may do more");
        return;
    }
    pv_catch(X86_EXC_PF);
    pt_init();
    spare = pt_spare_va(0);
    spare_pte_maddr = pt_entry_maddr(spare, 1);
    spare_l1 = spare_pte_maddr >> 12;
    boot_l4 = pt_va_to_mfn(pv_start_info->pt_base);
    /* Let the victim take its first checksum before anything happens. */
    for (unsigned int i = 0; i < 50; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);

    hypervisor_memory();
    other_domains();
    own_tables();
    recursion();
    entry_bits();
    batches();
    foreign_domains();

    xtf_check(HYPERVISOR_xen_version(XENVER_version, NULL) > 0, "xen_version fails afterwards");
    pv_printf("attacker: done, still running\n");
    xtf_success();
}
