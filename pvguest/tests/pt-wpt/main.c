/* SPDX-License-Identifier: MIT */
/*
 * pt-wpt: writable page tables. Linux writes its PTEs with plain stores into L1 frames it
 * only has read-only mappings of; with VMASST_TYPE_writable_pagetables enabled the
 * hypervisor takes the #PF, decodes the instruction, validates the new entry as
 * mmu_update would and applies it, and the guest never sees a fault.
 *
 * The entry written is the boot L1 entry of a spare page, reached through the read-only
 * mapping of the boot page tables; two spare frames with known contents are the targets.
 * After each emulated write the page is flushed (MMUEXT_INVLPG_LOCAL) and read to prove
 * the new entry is live. Checks (Xen's behaviour, arch/x86/pv/ro-page-fault.c):
 *  - assist disabled: the store raises #PF (P|W, cr2 = the entry) and changes nothing.
 *    Checked in a domU only (test.conf): Xen emulates the hardware domain's writes to
 *    read-only pages whatever its assists (arch/x86/traps.c, fixup_page_fault), so booted
 *    as dom0 on real Xen the store just works;
 *  - vm_assist(enable, writable_pagetables) -> 0 (SKIP if -EOPNOTSUPP: not implemented);
 *  - then no #PF reaches the guest for: `mov` of a full PTE, a 4-byte `mov` of the low
 *    half (merged with the high half), `lock cmpxchg` with the right old value (ZF set,
 *    entry replaced), `xchg` (the register gets the old entry); a `lock cmpxchg` with a
 *    wrong old value writes nothing, clears ZF and loads the current entry into rax;
 *    `lock cmpxchg16b` on the aligned pair of entries holding ours (when the CPU has it):
 *    a wrong rdx:rax loads both entries; on xen-lite the right one replaces ours and keeps
 *    the other (Xen emulates at most 8 bytes and bounces that store as #PF);
 *  - entries that mmu_update would refuse are not applied and bounce #PF (P|W, cr2 = the
 *    entry) to the guest: a writable mapping of a page table (the boot L4), a mapping of a
 *    frame we don't own (the M2P's first frame);
 *  - only L1s are emulated: a store into the boot L2 (of the value already there) faults.
 */
#include <pvguest/pt.h>
#include <public/memory.h>

#define M0      0x3030303030303030ULL
#define M1      0x3131313131313131ULL
#define M2      0x3232323232323232ULL
#define PFEC_PW (X86_PFEC_PRESENT | X86_PFEC_WRITE)

static uint64_t page[512];
static unsigned long spare;
static volatile uint64_t *pte;

/* Flushes the spare page and reads it; faults count as a failure. */
static uint64_t read_spare(void)
{
    uint64_t v;

    pt_mmuext(MMUEXT_INVLPG_LOCAL, spare);
    if (pt_faulted_read((volatile uint64_t *)spare, &v))
        xtf_failure("reading the spare page faulted (cr2 %#lx)", (unsigned long)pv_caught.cr2);
    return v;
}

static void expect_entry(const char *what, uint64_t want_pte, uint64_t want_data)
{
    uint64_t v = read_spare();

    xtf_check((*pte & PT_KEEP) == (want_pte & PT_KEEP), "%s: entry %#lx, want %#lx", what,
              (unsigned long)*pte, (unsigned long)want_pte);
    if (xtf_check(v == want_data, "%s: the page reads %#lx, want %#lx", what, (unsigned long)v,
                  (unsigned long)want_data))
        pv_printf("ok   %s\n", what);
}

static void expect_no_fault(const char *what, unsigned long before)
{
    if (pv_caught.count != before)
        xtf_failure("%s: #PF reached the guest (ec %#lx, cr2 %#lx)", what,
                    (unsigned long)pv_caught.frame.error_code, (unsigned long)pv_caught.cr2);
}

/* A store that must bounce #PF (P|W) at the entry and leave it alone. */
static void expect_refused(const char *what, volatile uint64_t *at, uint64_t val)
{
    uint64_t old = *at;

    if (!xtf_check(pt_faulted_write(at, val), "%s: no #PF", what))
        return;
    pv_printf("ok   %s: #PF ec %#lx cr2 %#lx\n", what, (unsigned long)pv_caught.frame.error_code,
              (unsigned long)pv_caught.cr2);
    xtf_check(pv_caught.cr2 == (unsigned long)at, "%s: cr2 %#lx, want %#lx", what,
              (unsigned long)pv_caught.cr2, (unsigned long)at);
    xtf_check((pv_caught.frame.error_code & 0x1f) == PFEC_PW, "%s: error code %#lx, want %#x", what,
              (unsigned long)pv_caught.frame.error_code, PFEC_PW);
    xtf_check(*at == old, "%s: the entry changed to %#lx", what, (unsigned long)*at);
}

void test_main(void)
{
    uint64_t t1 = pt_spare_mfn(0), t2 = pt_spare_mfn(1), orig, old, val, m2p_mfn = 0;
    struct xen_machphys_mfn_list list = {.max_extents = 1, .extent_start = (uint64_t)&m2p_mfn};
    unsigned long before;
    uint8_t zf;
    long rc;

    pv_catch(X86_EXC_PF);
    pt_init();
    spare = pt_spare_va(0);
    pte = pt_entry(spare, 1);
    if (!pte) {
        xtf_error("cannot find the L1 entry of %#lx", spare);
        return;
    }
    for (unsigned int i = 0; i < 512; i++)
        page[i] = M1;
    rc = pt_write_frame(t1, page);
    for (unsigned int i = 0; i < 512; i++)
        page[i] = M2;
    rc = rc ?: pt_write_frame(t2, page);
    if (!xtf_check(rc == 0, "cannot fill the target frames: %ld", rc))
        return;
    *(volatile uint64_t *)spare = M0;
    orig = *pte;
    pv_printf("entry of %#lx at %p = %#lx; targets %#lx %#lx\n", spare, (void *)pte,
              (unsigned long)orig, (unsigned long)t1, (unsigned long)t2);

    pt_expect("vm_assist(disable, writable_pagetables)",
              HYPERVISOR_vm_assist(VMASST_CMD_disable, VMASST_TYPE_writable_pagetables), 0);
    if (pv_start_info->flags & SIF_INITDOMAIN)
        pv_printf("dom0: not checking that a store without the assist faults\n");
    else
        expect_refused("store without the assist", pte, (t1 << 12) | PT_RW);
    rc = HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables);
    if (rc == -XEN_EOPNOTSUPP) {
        xtf_skip("writable page tables not implemented (vm_assist: -EOPNOTSUPP)");
        return;
    }
    if (!pt_expect("vm_assist(enable, writable_pagetables)", rc, 0))
        return;

    before = pv_caught.count;
    *pte = (t1 << 12) | PT_RW;
    expect_no_fault("mov", before);
    expect_entry("mov of a PTE", (t1 << 12) | PT_RW, M1);

    before = pv_caught.count;
    *(volatile uint32_t *)pte = (uint32_t)((t2 << 12) | PT_RW);
    expect_no_fault("4-byte mov", before);
    expect_entry("4-byte mov of the low half", (t2 << 12) | PT_RW, M2);

    before = pv_caught.count;
    old = *pte;
    zf = 0;
    __asm__ volatile(PV_TRY_BEGIN "lock cmpxchg %3, (%2)\n\tsete %1" PV_TRY_END
                     : "+a"(old), "+q"(zf)
                     : "r"(pte), "r"((t1 << 12) | PT_RO)
                     : "r11", "memory", "cc");
    expect_no_fault("lock cmpxchg", before);
    xtf_check(zf, "lock cmpxchg with the right old value: ZF clear");
    expect_entry("lock cmpxchg of a PTE", (t1 << 12) | PT_RO, M1);

    old = (t2 << 12) | PT_RW; /* not what is there */
    zf = 1;
    __asm__ volatile(PV_TRY_BEGIN "lock cmpxchg %3, (%2)\n\tsete %1" PV_TRY_END
                     : "+a"(old), "+q"(zf)
                     : "r"(pte), "r"(orig)
                     : "r11", "memory", "cc");
    expect_no_fault("failing lock cmpxchg", before);
    xtf_check(!zf, "lock cmpxchg with a wrong old value: ZF set");
    xtf_check(old == *pte, "failing lock cmpxchg: rax %#lx, want the entry %#lx",
              (unsigned long)old, (unsigned long)*pte);
    expect_entry("failing lock cmpxchg leaves the PTE", (t1 << 12) | PT_RO, M1);

    val = orig;
    __asm__ volatile(PV_TRY_BEGIN "xchg %0, (%1)" PV_TRY_END
                     : "+r"(val)
                     : "r"(pte)
                     : "r11", "memory");
    expect_no_fault("xchg", before);
    xtf_check((val & PT_KEEP) == ((t1 << 12) | X86_PTE_P), "xchg returned %#lx, want the old entry",
              (unsigned long)val);
    expect_entry("xchg of a PTE", orig, M0);

    if (pv_cpuid(1, 0).ecx & (1u << 13)) { /* CX16 */
        volatile uint64_t *pair = (volatile uint64_t *)((unsigned long)pte & ~15UL);
        uint64_t lo = 0, hi = 0;

        before = pv_caught.count;
        zf = 1;
        __asm__ volatile(PV_TRY_BEGIN "lock cmpxchg16b (%4)\n\tsete %2" PV_TRY_END
                         : "+a"(lo), "+d"(hi), "+q"(zf)
                         : "b"(0UL), "r"(pair), "c"(0UL)
                         : "r11", "memory", "cc");
        expect_no_fault("failing lock cmpxchg16b", before);
        xtf_check(!zf && lo == pair[0] && hi == pair[1],
                  "failing lock cmpxchg16b: zf %d, rdx:rax %#lx:%#lx, want the entries", zf,
                  (unsigned long)hi, (unsigned long)lo);
    }
    if ((pv_cpuid(1, 0).ecx & (1u << 13)) && pv_on_xen_lite()) {
        volatile uint64_t *pair = (volatile uint64_t *)((unsigned long)pte & ~15UL);
        unsigned int mine = pte != pair; /* which half is ours */
        uint64_t lo = pair[0], hi = pair[1], b, c;

        before = pv_caught.count;
        b = mine ? lo : (t1 << 12) | PT_RO;
        c = mine ? (t1 << 12) | PT_RO : hi;
        zf = 0;
        __asm__ volatile(PV_TRY_BEGIN "lock cmpxchg16b (%4)\n\tsete %2" PV_TRY_END
                         : "+a"(lo), "+d"(hi), "+q"(zf)
                         : "b"(b), "r"(pair), "c"(c)
                         : "r11", "memory", "cc");
        expect_no_fault("lock cmpxchg16b", before);
        xtf_check(zf, "lock cmpxchg16b with the right old values: ZF clear");
        expect_entry("lock cmpxchg16b of a PTE pair", (t1 << 12) | PT_RO, M1);
        xtf_check(pair[!mine] == (mine ? lo : hi), "lock cmpxchg16b changed the other entry");
        *pte = orig;
        expect_entry("mov back", orig, M0);
    }

    /* What mmu_update refuses, a direct write must not sneak in. */
    expect_refused("PTE mapping the boot L4 writable", pte,
                   (pt_va_to_mfn(pv_start_info->pt_base) << 12) | PT_RW);
    rc = HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &list);
    if (xtf_check(rc == 0 && list.nr_extents == 1, "XENMEM_machphys_mfn_list: %ld", rc))
        expect_refused("PTE mapping an M2P frame", pte, (m2p_mfn << 12) | PT_RO);
    expect_refused("store into the boot L2", pt_entry(spare, 2), *pt_entry(spare, 2));
    expect_entry("after the refused writes", orig, M0);
    xtf_success();
}
