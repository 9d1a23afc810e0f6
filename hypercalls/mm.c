/* SPDX-License-Identifier: MIT */
/* Page-table hypercalls: update_va_mapping and mmuext_op (base pointers, TLB control). */
#include <public/arch-x86-pt.h>
#include <public/xen.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <domain.h>
#include <hypercall.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>
#include <paging.h>
#include <pv-mm.h>

/* Bits 52-62: ignored by the CPU but reserved by the PV ABI; refused. */
#define PTE_RESERVED_HIGH 0x7ff0000000000000ULL

int pv_check_l1e(const struct domain *d, uint64_t pte)
{
    struct page_info *pg;

    if (!(pte & X86_PTE_P))
        return 0;
    if (pte & PTE_RESERVED_HIGH)
        return -XEN_EINVAL;
    pg = mfn_to_page(X86_PTE_MFN(pte));
    if (!pg || pg->owner != d)
        return -XEN_EINVAL;
    /* Page tables and descriptor frames are only ever mapped read-only. */
    if ((pte & X86_PTE_RW) && pg->type != PGT_none && pg->type != PGT_writable)
        return -XEN_EINVAL;
    return 0;
}

uint64_t pv_adjust_l1e(uint64_t pte)
{
    return (pte & X86_PTE_P) ? (pte | X86_PTE_US) & ~X86_PTE_G : pte;
}

int pv_new_guest_cr3(struct vcpu *v, uint64_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    if (!pg || pg->owner != v->domain || pg->type != PGT_l4)
        return -XEN_EINVAL;
    v->guest_table = mfn;
    if (v->kernel_mode)
        write_cr3(mfn << 12);
    return 0;
}

/* The flush part of UVMF_* flags / mmuext TLB ops.  One CPU: every flush is local. */
static int do_flush(uint64_t flags, uint64_t va)
{
    uint64_t target = flags & ~(uint64_t)UVMF_FLUSHTYPE_MASK;

    if (target != UVMF_LOCAL && target != UVMF_ALL) {
        uint64_t mask; /* UVMF_MULTI: a pointer to a vCPU bitmap */

        if (copy_from_guest(&mask, guest_ptr(target), sizeof(mask)))
            return -XEN_EFAULT;
    }
    switch (flags & UVMF_FLUSHTYPE_MASK) {
    case UVMF_TLB_FLUSH:
        flush_tlb_local();
        break;
    case UVMF_INVLPG:
        invlpg(va);
        break;
    }
    return 0;
}

long do_update_va_mapping(struct hc_args *args)
{
    uint64_t va = hc_u64(args, 0), pte = hc_u64(args, 1), flags = hc_u64(args, 2);
    struct vcpu *v = current;
    uint64_t l1_mfn, *l1e;
    int rc;

    if (!guest_range_ok(va, 1))
        return -XEN_EINVAL;
    l1e = guest_walk_l1e(v->guest_table, va, &l1_mfn);
    if (!l1e || !frame_owned_by(l1_mfn, v->domain) || mfn_to_page(l1_mfn)->type != PGT_l1)
        return -XEN_EINVAL;
    rc = pv_check_l1e(v->domain, pte);
    if (rc)
        return rc;
    __atomic_store_n(l1e, pv_adjust_l1e(pte), __ATOMIC_RELEASE);
    return do_flush(flags, va);
}

static long mmuext_one(struct vcpu *v, const struct mmuext_op *op)
{
    struct page_info *pg;

    switch (op->cmd) {
    case MMUEXT_NEW_BASEPTR:
        return pv_new_guest_cr3(v, op->arg1.mfn);
    case MMUEXT_NEW_USER_BASEPTR:
        if (op->arg1.mfn == 0) {
            v->guest_table_user = 0;
            return 0;
        }
        pg = mfn_to_page(op->arg1.mfn);
        if (!pg || pg->owner != v->domain || pg->type != PGT_l4)
            return -XEN_EINVAL;
        v->guest_table_user = op->arg1.mfn;
        return 0;
    case MMUEXT_TLB_FLUSH_LOCAL:
    case MMUEXT_TLB_FLUSH_ALL:
        flush_tlb_local();
        return 0;
    case MMUEXT_TLB_FLUSH_MULTI:
        return do_flush(op->arg2.vcpumask | UVMF_TLB_FLUSH, 0);
    case MMUEXT_INVLPG_LOCAL:
    case MMUEXT_INVLPG_ALL:
        invlpg(op->arg1.linear_addr);
        return 0;
    case MMUEXT_INVLPG_MULTI:
        return do_flush(op->arg2.vcpumask | UVMF_INVLPG, op->arg1.linear_addr);
    case MMUEXT_FLUSH_CACHE:
        if (!v->domain->is_privileged)
            return -XEN_EPERM;
        asm volatile("wbinvd" ::: "memory");
        return 0;
    }
    /* Pinning and LDTs arrive with the page-type machinery. */
    return -XEN_ENOSYS;
}

long do_mmuext_op(struct hc_args *args)
{
    guest_ptr_t ops = hc_ptr(args, 0);
    unsigned int count = hc_uint(args, 1);
    guest_ptr_t done_ptr = hc_ptr(args, 2);
    unsigned int foreigndom = hc_uint(args, 3);
    struct vcpu *v = current;
    unsigned int i;
    long rc = 0;

    if (foreigndom != DOMID_SELF && foreigndom != v->domain->domid)
        return v->domain->is_privileged ? -XEN_ENOSYS : -XEN_EPERM;
    for (i = 0; i < count; i++) {
        struct mmuext_op op;

        if (copy_from_guest_elem(&op, ops, i, sizeof(op))) {
            rc = -XEN_EFAULT;
            break;
        }
        rc = mmuext_one(v, &op);
        if (rc)
            break;
    }
    if (!guest_ptr_is_null(done_ptr) && copy_to_guest(done_ptr, &i, sizeof(i)))
        return -XEN_EFAULT;
    return rc;
}

/*
 * vm_assist: the type is checked first, then the command (Xen's order).  Writable page
 * tables arrive with the page-type machinery: until then enabling them is -EOPNOTSUPP
 * rather than a success the guest would rely on.
 */
long do_vm_assist(struct hc_args *args)
{
    unsigned int cmd = hc_uint(args, 0), type = hc_uint(args, 1);
    struct domain *d = current->domain;
    const uint64_t valid = (1ULL << VMASST_TYPE_4gb_segments) |
                           (1ULL << VMASST_TYPE_4gb_segments_notify) |
                           (1ULL << VMASST_TYPE_writable_pagetables) |
                           (1ULL << VMASST_TYPE_pae_extended_cr3) |
                           (1ULL << VMASST_TYPE_architectural_iopl) |
                           (1ULL << VMASST_TYPE_runstate_update_flag) |
                           (1ULL << VMASST_TYPE_m2p_strict);

    if (type >= 64 || !(valid & (1ULL << type)))
        return -XEN_EINVAL;
    switch (cmd) {
    case VMASST_CMD_enable:
        if (type == VMASST_TYPE_writable_pagetables)
            return -XEN_EOPNOTSUPP;
        d->vm_assist |= 1ULL << type;
        return 0;
    case VMASST_CMD_disable:
        d->vm_assist &= ~(1ULL << type);
        return 0;
    }
    return -XEN_ENOSYS;
}
