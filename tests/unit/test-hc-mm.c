/* SPDX-License-Identifier: MIT */
/* Unit tests for update_va_mapping, mmuext_op and vm_assist (hypercalls/mm.c). */
#include <criterion/criterion.h>
#include <public/xen.h>
#include "harness/harness.h"

#define VA 0x0000000000400000ULL /* a guest address with page tables built by guest_l1e() */

/* ---- update_va_mapping ---- */

TestSuite(update_va_mapping, .init = harness_boot);

static long uvm(uint64_t va, uint64_t pte, uint64_t flags)
{
    return hc(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

static uint64_t pte(uint64_t mfn, uint64_t flags)
{
    return X86_PTE_MAKE(mfn, flags);
}

/* A mapping of a frame the caller owns: written, with _PAGE_USER forced on (the guest
 * kernel runs in ring 3) and _PAGE_GLOBAL forced off; other bits as given. */
Test(update_va_mapping, installs_adjusted_entry)
{
    uint64_t *l1e = guest_l1e(current, VA), mfn = domain_frame(domu, PGT_none);
    uint64_t flags = X86_PTE_P | X86_PTE_RW | X86_PTE_A | X86_PTE_D | X86_PTE_NX;

    cr_assert_eq(uvm(VA, pte(mfn, flags | X86_PTE_G), UVMF_NONE), 0);
    cr_assert_eq(*l1e, pte(mfn, flags | X86_PTE_US));
    cr_assert_eq(uvm(VA, pte(mfn, X86_PTE_P | X86_PTE_US), UVMF_NONE), 0);
    cr_assert_eq(*l1e, pte(mfn, X86_PTE_P | X86_PTE_US));
}

/* A non-present entry maps nothing: any content is accepted and stored unchanged. */
Test(update_va_mapping, not_present_is_stored_as_is)
{
    uint64_t *l1e = guest_l1e(current, VA);
    uint64_t junk = pte(domain_frame(dom0, PGT_l4), X86_PTE_RW | X86_PTE_G) | 0x7ff0000000000000;

    cr_assert_eq(uvm(VA, junk, UVMF_NONE), 0);
    cr_assert_eq(*l1e, junk);
}

/* Addresses the guest does not own: the hypervisor's range, non-canonical ones.  Refused
 * even when the guest's own tables reach them (here: its L4 holds its own L3s in the
 * hypervisor's slots, as a corrupt or hostile root would). */
Test(update_va_mapping, va_outside_guest_is_einval)
{
    static const uint64_t bad[] = {
        HV_VIRT_START,   RO_MPT_VIRT_START + 0x1000, DIRECTMAP_VIRT_START, HV_VIRT_END - 4096,
        HV_VIRT_END - 1, 0x0000800000000000,         0xffff7ffffffff000};
    uint64_t mfn = domain_frame(domu, PGT_none);

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        uint64_t *l1e = guest_l1e(current, bad[i]);

        cr_assert_eq(uvm(bad[i], pte(mfn, X86_PTE_P), UVMF_NONE), -XEN_EINVAL, "va %#lx", bad[i]);
        cr_assert_eq(*l1e, 0, "va %#lx mapped", bad[i]);
    }
}

/* No L1 table maps the address (no page tables at all, or none at that spot). */
Test(update_va_mapping, va_without_l1_is_einval)
{
    uint64_t mfn = domain_frame(domu, PGT_none);

    current->guest_table = domain_frame(domu, PGT_l4);
    cr_assert_eq(uvm(VA, pte(mfn, X86_PTE_P), UVMF_NONE), -XEN_EINVAL);
    guest_l1e(current, VA);
    cr_assert_eq(uvm(VA + (1ULL << 21), pte(mfn, X86_PTE_P), UVMF_NONE), -XEN_EINVAL);
}

/* The L1 the walk reaches must be an L1 of the caller's. */
Test(update_va_mapping, l1_not_an_owned_l1_is_einval)
{
    uint64_t *l1e = guest_l1e(current, VA), mfn = domain_frame(domu, PGT_none);
    struct page_info *l1 = mfn_to_page(virt_to_mfn(l1e));

    l1->type = PGT_none;
    l1->type_count = 0;
    cr_assert_eq(uvm(VA, pte(mfn, X86_PTE_P), UVMF_NONE), -XEN_EINVAL);
    l1->type = PGT_l1;
    l1->type_count = 1;
    l1->owner = dom0;
    cr_assert_eq(uvm(VA, pte(mfn, X86_PTE_P), UVMF_NONE), -XEN_EINVAL);
    cr_assert_eq(*l1e, 0);
}

/*
 * Frames that are not the caller's, with Xen's answers: another domain's or nobody's RAM
 * is busy (-EBUSY), memory that is not RAM is I/O memory (-EPERM), an address beyond the
 * CPU's physical width has reserved bits set (-EINVAL).
 */
Test(update_va_mapping, foreign_frame_is_refused)
{
    uint64_t *l1e = guest_l1e(current, VA);
    const struct {
        uint64_t mfn;
        long rc;
    } bad[] = {{domain_frame(dom0, PGT_none), -XEN_EBUSY},
               {dom0->shared_info_mfn, -XEN_EBUSY},
               {5, -XEN_EBUSY},
               {FAKE_RAM_BYTES >> 12, -XEN_EPERM},
               {0xffffffffffULL, -XEN_EINVAL}};

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        cr_assert_eq(uvm(VA, pte(bad[i].mfn, X86_PTE_P), UVMF_NONE), bad[i].rc, "mfn %#lx",
                     bad[i].mfn);
        cr_assert_eq(*l1e, 0);
    }
}

/* Page tables and descriptor frames: read-only mappings only (writable: -EBUSY, as Xen). */
Test(update_va_mapping, writable_page_table_is_ebusy)
{
    static const enum page_type types[] = {PGT_l1, PGT_l2, PGT_l3, PGT_l4, PGT_seg_desc};
    uint64_t *l1e = guest_l1e(current, VA);

    for (unsigned int i = 0; i < ARRAY_SIZE(types); i++) {
        uint64_t mfn = domain_frame(domu, types[i]);

        cr_assert_eq(uvm(VA, pte(mfn, X86_PTE_P | X86_PTE_RW), UVMF_NONE), -XEN_EBUSY, "type %d",
                     types[i]);
        cr_assert_eq(*l1e & X86_PTE_RW, 0);
        cr_assert_eq(uvm(VA, pte(mfn, X86_PTE_P), UVMF_NONE), 0, "type %d", types[i]);
        cr_assert_eq(X86_PTE_MFN(*l1e), mfn);
    }
    /* The L1 mapping itself, read-only: fine too. */
    cr_assert_eq(uvm(VA, pte(virt_to_mfn(l1e), X86_PTE_P), UVMF_NONE), 0);
    cr_assert_eq(uvm(VA, pte(virt_to_mfn(l1e), X86_PTE_P | X86_PTE_RW), UVMF_NONE), -XEN_EBUSY);
}

/*
 * Bits 52-63 are the guest's (as in Xen: software bits, protection keys stay off, NX);
 * cache attributes (PWT, PCD, PAT) in a domU's L1 are refused.
 */
Test(update_va_mapping, entry_bits)
{
    uint64_t *l1e = guest_l1e(current, VA), mfn = domain_frame(domu, PGT_none);

    for (int bit = 52; bit <= 63; bit++) {
        cr_assert_eq(uvm(VA, pte(mfn, X86_PTE_P) | 1ULL << bit, UVMF_NONE), 0, "bit %d", bit);
        cr_assert_eq(*l1e & (1ULL << bit), 1ULL << bit);
    }
    for (int bit = 3; bit <= 7; bit += bit == 4 ? 3 : 1) {
        cr_assert_eq(uvm(VA, pte(mfn, X86_PTE_P) | 1ULL << bit, UVMF_NONE), -XEN_EINVAL, "bit %d",
                     bit);
    }
}

/* The flush part of the flags: none, the whole TLB, or just this address. */
Test(update_va_mapping, flushes_as_asked)
{
    uint64_t mfn = domain_frame(domu, PGT_none), mask = 1;
    unsigned int cr3 = fake_cpu.cr3_writes;

    guest_l1e(current, VA);
    cr_assert_eq(uvm(VA, pte(mfn, X86_PTE_P), UVMF_NONE), 0);
    cr_assert_eq(fake_cpu.cr3_writes + fake_cpu.invlpgs, cr3);
    cr_assert_eq(uvm(VA, pte(mfn, X86_PTE_P), UVMF_TLB_FLUSH | UVMF_ALL), 0);
    cr_assert_eq(fake_cpu.cr3_writes, cr3 + 1);
    cr_assert_eq(uvm(VA, pte(mfn, X86_PTE_P), UVMF_INVLPG | UVMF_LOCAL), 0);
    cr_assert_eq(fake_cpu.invlpgs, 1);
    cr_assert_eq(fake_cpu.last_invlpg, VA);
    cr_assert_eq(uvm(VA, pte(mfn, X86_PTE_P), UVMF_INVLPG | guest_put(&mask, 8)), 0);
    cr_assert_eq(fake_cpu.invlpgs, 2);
}

/* UVMF_MULTI with a vCPU mask the guest cannot read: -EFAULT (the entry is written, as in
 * Xen: the flush comes after the update). */
Test(update_va_mapping, unreadable_vcpu_mask_is_efault)
{
    uint64_t *l1e = guest_l1e(current, VA), mfn = domain_frame(domu, PGT_none);

    cr_assert_eq(uvm(VA, pte(mfn, X86_PTE_P), UVMF_TLB_FLUSH | 0x1000), -XEN_EFAULT);
    cr_assert_eq(uvm(VA, pte(mfn, X86_PTE_P), UVMF_INVLPG | HV_VIRT_START), -XEN_EFAULT);
    cr_assert_eq(X86_PTE_MFN(*l1e), mfn);
}

/* ---- mmuext_op ---- */

TestSuite(mmuext_op, .init = harness_boot);

/* Runs ops; returns the result and stores what was written to the done count in *done. */
static long mmuext(const struct mmuext_op *ops, unsigned int count, unsigned int *done)
{
    uint64_t done_va = guest_alloc(4);
    long rc;

    *(uint32_t *)guest_mem(done_va, 4) = 0xeeeeeeee;
    rc = hc(__HYPERVISOR_mmuext_op, count ? guest_put(ops, count * sizeof(*ops)) : 0, count,
            done_va, DOMID_SELF);
    *done = *(uint32_t *)guest_mem(done_va, 4);
    return rc;
}

static long mmuext1(unsigned int cmd, uint64_t arg1, uint64_t arg2)
{
    struct mmuext_op op = {.cmd = cmd, .arg1.mfn = arg1, .arg2.vcpumask = arg2};
    unsigned int done;

    return mmuext(&op, 1, &done);
}

/* NEW_BASEPTR: an L4 of the caller's becomes the kernel root and is loaded. */
Test(mmuext_op, new_baseptr)
{
    uint64_t l4 = domain_frame(domu, PGT_l4);

    cr_assert_eq(mmuext1(MMUEXT_NEW_BASEPTR, l4, 0), 0);
    cr_assert_eq(current->guest_table, l4);
    cr_assert_eq(fake_cpu.cr[3], l4 << 12);
}

/*
 * Anything that cannot be an L4 of the caller's is refused and nothing changes: a frame
 * typed otherwise, another domain's, not RAM.  (An untyped frame of the caller's is
 * validated as an L4 instead: see pin tests.)
 */
Test(mmuext_op, new_baseptr_non_l4_is_einval)
{
    const uint64_t bad[] = {domain_frame(domu, PGT_l3),
                            domain_frame(domu, PGT_l1),
                            domain_frame(domu, PGT_writable),
                            domain_frame(domu, PGT_seg_desc),
                            domain_frame(dom0, PGT_l4),
                            5,
                            FAKE_RAM_BYTES >> 12,
                            INVALID_MFN};

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        cr_assert_eq(mmuext1(MMUEXT_NEW_BASEPTR, bad[i], 0), -XEN_EINVAL, "mfn %#lx", bad[i]);
        cr_assert_eq(mmuext1(MMUEXT_NEW_USER_BASEPTR, bad[i], 0), -XEN_EINVAL, "mfn %#lx", bad[i]);
    }
    cr_assert_eq(current->guest_table, 0);
    cr_assert_eq(current->guest_table_user, 0);
    cr_assert_eq(fake_cpu.cr3_writes, 0);
}

/* NEW_USER_BASEPTR: an L4 of the caller's, or 0 for none; not loaded now (kernel mode). */
Test(mmuext_op, new_user_baseptr)
{
    uint64_t l4 = domain_frame(domu, PGT_l4);

    cr_assert_eq(mmuext1(MMUEXT_NEW_USER_BASEPTR, l4, 0), 0);
    cr_assert_eq(current->guest_table_user, l4);
    cr_assert_eq(fake_cpu.cr3_writes, 0);
    cr_assert_eq(mmuext1(MMUEXT_NEW_USER_BASEPTR, 0, 0), 0);
    cr_assert_eq(current->guest_table_user, 0);
}

/* TLB operations reach the (fake) CPU. */
Test(mmuext_op, tlb_ops)
{
    uint64_t mask = 1;

    cr_assert_eq(mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    cr_assert_eq(mmuext1(MMUEXT_TLB_FLUSH_ALL, 0, 0), 0);
    cr_assert_eq(mmuext1(MMUEXT_TLB_FLUSH_MULTI, 0, guest_put(&mask, 8)), 0);
    cr_assert_eq(fake_cpu.cr3_writes, 3);
    cr_assert_eq(mmuext1(MMUEXT_INVLPG_LOCAL, 0x5000, 0), 0);
    cr_assert_eq(fake_cpu.last_invlpg, 0x5000);
    cr_assert_eq(mmuext1(MMUEXT_INVLPG_ALL, 0x6000, 0), 0);
    cr_assert_eq(mmuext1(MMUEXT_INVLPG_MULTI, 0x7000, guest_put(&mask, 8)), 0);
    cr_assert_eq(fake_cpu.last_invlpg, 0x7000);
    cr_assert_eq(fake_cpu.invlpgs, 3);
}

/* A vCPU mask the guest cannot read: an error (Xen says -EINVAL, xen-lite -EFAULT). */
Test(mmuext_op, unreadable_vcpu_mask_fails)
{
    cr_assert_lt(mmuext1(MMUEXT_TLB_FLUSH_MULTI, 0, 0x1000), 0);
    cr_assert_lt(mmuext1(MMUEXT_INVLPG_MULTI, 0x7000, HV_VIRT_START), 0);
}

/*
 * Xen-incompatible (see the test report): the MULTI ops reuse update_va_mapping's flag
 * encoding, so a NULL mask means "local" and 4 "all" instead of an unreadable mask
 * (-EINVAL in Xen), and a mask pointer with bit 0 or 1 set flushes nothing.
 */
Test(mmuext_op, xen_compat_multi_mask_is_a_plain_pointer)
{
    uint64_t mask = 1, va = guest_alloc(16) + 2;

    memcpy(guest_mem(va, 8), &mask, 8);
    cr_assert_eq(mmuext1(MMUEXT_TLB_FLUSH_MULTI, 0, 0), -XEN_EINVAL);
    cr_assert_eq(mmuext1(MMUEXT_INVLPG_MULTI, 0x7000, 4), -XEN_EINVAL);
    cr_assert_eq(mmuext1(MMUEXT_TLB_FLUSH_MULTI, 0, 0x1000), -XEN_EINVAL);
    cr_assert_eq(mmuext1(MMUEXT_TLB_FLUSH_MULTI, 0, va), 0);
    cr_assert_eq(fake_cpu.cr3_writes, 1);
}

/* Ops run in order up to the first failure; done counts the ones that succeeded. */
Test(mmuext_op, done_counts_successful_ops)
{
    const struct mmuext_op ops[] = {
        {.cmd = MMUEXT_TLB_FLUSH_LOCAL},
        {.cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = 0x1000},
        {.cmd = MMUEXT_NEW_BASEPTR, .arg1.mfn = 5},
        {.cmd = MMUEXT_TLB_FLUSH_LOCAL},
    };
    unsigned int done;

    cr_assert_eq(mmuext(ops, 2, &done), 0);
    cr_assert_eq(done, 2);
    cr_assert_eq(mmuext(ops, 4, &done), -XEN_EINVAL);
    cr_assert_eq(done, 2);
    cr_assert_eq(fake_cpu.cr3_writes, 2); /* the op after the failure did not run */
    cr_assert_eq(mmuext(ops, 0, &done), 0);
    cr_assert_eq(done, 0);
}

/* An op list the guest cannot read, wholly or from half-way: -EFAULT, done says how far. */
Test(mmuext_op, unreadable_ops_are_efault)
{
    const struct mmuext_op flush = {.cmd = MMUEXT_TLB_FLUSH_LOCAL};
    uint64_t page1 = GUEST_BASE + 4096, done_va = guest_alloc(4);

    memcpy(guest_mem(page1 - sizeof(flush), sizeof(flush)), &flush, sizeof(flush));
    guest_unmap_page(page1);
    cr_assert_eq(hc(__HYPERVISOR_mmuext_op, HV_VIRT_START, 1, done_va, DOMID_SELF), -XEN_EFAULT);
    cr_assert_eq(*(uint32_t *)guest_mem(done_va, 4), 0);
    cr_assert_eq(hc(__HYPERVISOR_mmuext_op, 0x1000, 1, done_va, DOMID_SELF), -XEN_EFAULT);
    cr_assert_eq(hc(__HYPERVISOR_mmuext_op, page1 - sizeof(flush), 3, done_va, DOMID_SELF),
                 -XEN_EFAULT);
    cr_assert_eq(*(uint32_t *)guest_mem(done_va, 4), 1);
    cr_assert_eq(fake_cpu.cr3_writes, 1);
}

/* A done pointer the guest cannot write is ignored (as Xen): the batch's own result. */
Test(mmuext_op, done_pointer)
{
    const struct mmuext_op flush = {.cmd = MMUEXT_TLB_FLUSH_LOCAL};
    uint64_t ops = guest_put(&flush, sizeof(flush));

    cr_assert_eq(hc(__HYPERVISOR_mmuext_op, ops, 1, HV_VIRT_START, DOMID_SELF), 0);
    cr_assert_eq(hc(__HYPERVISOR_mmuext_op, ops, 1, 0x1000, DOMID_SELF), 0);
    cr_assert_eq(hc(__HYPERVISOR_mmuext_op, ops, 1, 0, DOMID_SELF), 0);
    cr_assert_eq(fake_cpu.cr3_writes, 3);
}

/*
 * foreigndom, as Xen: naming yourself or a domain that does not exist is -ESRCH; an
 * existing other domain is -EPERM for a domU, allowed for dom0; nothing runs on refusal.
 */
Test(mmuext_op, foreigndom)
{
    static const uint64_t missing[] = {1, 2, DOMID_IO, DOMID_XEN, DOMID_INVALID, 0xffff};
    const struct mmuext_op flush = {.cmd = MMUEXT_TLB_FLUSH_LOCAL};
    uint64_t ops = guest_put(&flush, sizeof(flush));

    cr_assert_eq(hc(__HYPERVISOR_mmuext_op, ops, 1, 0, DOMID_SELF), 0);
    for (unsigned int i = 0; i < ARRAY_SIZE(missing); i++)
        cr_assert_eq(hc(__HYPERVISOR_mmuext_op, ops, 1, 0, missing[i]), -XEN_ESRCH, "dom %#lx",
                     missing[i]);
    cr_assert_eq(hc(__HYPERVISOR_mmuext_op, ops, 1, 0, 0), -XEN_EPERM);
    cr_assert_eq(fake_cpu.cr3_writes, 1);
    harness_set_current(dom0);
    cr_assert_eq(hc(__HYPERVISOR_mmuext_op, ops, 1, 0, 1), 0);
    cr_assert_eq(hc(__HYPERVISOR_mmuext_op, ops, 1, 0, 0), -XEN_ESRCH);
}

/* Page clearing/copying, superpages and unknown commands: -ENOSYS. */
Test(mmuext_op, unimplemented_is_enosys)
{
    static const unsigned int cmds[] = {14,
                                        MMUEXT_CLEAR_PAGE,
                                        MMUEXT_COPY_PAGE,
                                        MMUEXT_FLUSH_CACHE_GLOBAL,
                                        MMUEXT_MARK_SUPER,
                                        MMUEXT_UNMARK_SUPER,
                                        21,
                                        0xffffffff};
    uint64_t l4 = domain_frame(domu, PGT_l4);

    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
        cr_assert_eq(mmuext1(cmds[i], l4, 0), -XEN_ENOSYS, "cmd %u", cmds[i]);
}

/* Flushing caches is dom0's (it is never run here: wbinvd is a raw asm statement). */
Test(mmuext_op, flush_cache_from_domu_is_eperm)
{
    cr_assert_eq(mmuext1(MMUEXT_FLUSH_CACHE, 0, 0), -XEN_EPERM);
}

/* ---- vm_assist ---- */

TestSuite(vm_assist, .init = harness_boot);

/* Every type Xen knows can be enabled and disabled (recorded in the domain). */
Test(vm_assist, known_types)
{
    static const unsigned int types[] = {
        VMASST_TYPE_4gb_segments,         VMASST_TYPE_4gb_segments_notify,
        VMASST_TYPE_pae_extended_cr3,     VMASST_TYPE_architectural_iopl,
        VMASST_TYPE_runstate_update_flag, VMASST_TYPE_m2p_strict};

    for (unsigned int i = 0; i < ARRAY_SIZE(types); i++) {
        cr_assert_eq(hc(__HYPERVISOR_vm_assist, VMASST_CMD_enable, types[i]), 0);
        cr_assert(domu->vm_assist & 1ULL << types[i]);
        cr_assert_eq(hc(__HYPERVISOR_vm_assist, VMASST_CMD_disable, types[i]), 0);
        cr_assert_not(domu->vm_assist & 1ULL << types[i]);
    }
}

/* Writable page tables: enabling records the type (the #PF path then emulates writes). */
Test(vm_assist, writable_pagetables_is_recorded)
{
    cr_assert_eq(hc(__HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
    cr_assert_eq(domu->vm_assist, 1ULL << VMASST_TYPE_writable_pagetables);
    cr_assert_eq(hc(__HYPERVISOR_vm_assist, VMASST_CMD_disable, VMASST_TYPE_writable_pagetables),
                 0);
}

/* Every other type, including ones past 63 that must not be used as a shift count; the
 * type is checked before the command. */
Test(vm_assist, other_types_are_einval)
{
    static const uint64_t types[] = {6, 31, 33, 63, 64, 65, 0xffffffff};

    for (unsigned int i = 0; i < ARRAY_SIZE(types); i++) {
        cr_assert_eq(hc(__HYPERVISOR_vm_assist, VMASST_CMD_enable, types[i]), -XEN_EINVAL,
                     "type %lu", types[i]);
        cr_assert_eq(hc(__HYPERVISOR_vm_assist, 7, types[i]), -XEN_EINVAL, "type %lu", types[i]);
    }
    cr_assert_eq(domu->vm_assist, 0);
}

/* Commands other than enable and disable, with a valid type. */
Test(vm_assist, unknown_cmd_is_enosys)
{
    cr_assert_eq(hc(__HYPERVISOR_vm_assist, 2, VMASST_TYPE_m2p_strict), -XEN_ENOSYS);
    cr_assert_eq(hc(__HYPERVISOR_vm_assist, 0xffffffff, VMASST_TYPE_m2p_strict), -XEN_ENOSYS);
    cr_assert_eq(domu->vm_assist, 0);
}

TestSuite(mmu_update, .init = harness_boot);

/*
 * A long mmu_update batch lets others run: after 64 requests it is rewound to the
 * syscall with the rest (count | MMU_UPDATE_PREEMPTED) and the progress in *done; issued
 * again it finishes, and *done counts the whole batch.
 */
Test(mmu_update, long_batch_is_continued)
{
    enum { N = 100 };
    struct mmu_update reqs[N];
    uint64_t mfn = domain_frame(domu, PGT_none), list, done_va = guest_alloc(4);
    struct cpu_user_regs *r = current->regs;

    for (unsigned int i = 0; i < N; i++)
        reqs[i] = (struct mmu_update){(mfn << 12) | MMU_MACHPHYS_UPDATE, i};
    list = guest_put(reqs, sizeof(reqs));
    r->rip = 0xffffffff80001002;
    harness.preempt = true;
    cr_assert_eq(hc(__HYPERVISOR_mmu_update, list, N, done_va, DOMID_SELF),
                 __HYPERVISOR_mmu_update);
    cr_assert_eq(r->rip, 0xffffffff80001000, "rewound to the syscall");
    cr_assert_eq(r->rdi, list + 64 * sizeof(reqs[0]));
    cr_assert_eq(r->rsi, (N - 64) | MMU_UPDATE_PREEMPTED);
    cr_assert_eq(*(uint32_t *)guest_mem(done_va, 4), 64);
    cr_assert_eq(m2p_table[mfn], 63);
    harness.preempt = false;
    cr_assert_eq(hc(__HYPERVISOR_mmu_update, r->rdi, r->rsi, r->rdx, r->r10), 0);
    cr_assert_eq(*(uint32_t *)guest_mem(done_va, 4), N);
    cr_assert_eq(m2p_table[mfn], N - 1);
}
