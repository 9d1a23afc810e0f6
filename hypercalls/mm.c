/* SPDX-License-Identifier: MIT */
/* Page-table hypercalls: mmu_update, update_va_mapping(_otherdomain), mmuext_op, vm_assist. */
#include <public/arch-x86-pt.h>
#include <public/xen.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <domain.h>
#include <hypercall.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>
#include <page-type.h>
#include <sched.h>
#include <paging.h>
#include <pv-mm.h>

/* How many batch entries run between checks for other work (continuations). */
#define BATCH_PREEMPT_INTERVAL 64

/* The root pointers a vCPU holds take a reference and the L4 type, like a pin. */
static int set_base(struct vcpu *v, uint64_t *slot, uint64_t mfn)
{
    uint64_t old = *slot;
    int rc = 0;

    if (mfn) {
        rc = get_page_and_type(mfn, v->domain, PGT_l4);
        if (rc)
            return rc;
    }
    *slot = mfn;
    if (old)
        put_page_and_type(old);
    return 0;
}

int pv_new_guest_cr3(struct vcpu *v, uint64_t mfn)
{
    int rc;

    if (!mfn)
        return -XEN_EINVAL;
    rc = set_base(v, &v->guest_table, mfn);
    if (!rc && v->kernel_mode && v == current)
        write_cr3(mfn << 12);
    return rc;
}

void pv_drop_roots(struct vcpu *v)
{
    set_base(v, &v->guest_table_user, 0);
    set_base(v, &v->guest_table, 0);
}

int pv_new_user_base(struct vcpu *v, uint64_t mfn)
{
    return set_base(v, &v->guest_table_user, mfn);
}

/*
 * The domain whose frames new L1 entries may map: the caller's (DOMID_SELF), or for a
 * privileged caller another one foreigndom names.  As in Xen, naming yourself or a domain
 * that does not exist is -ESRCH, and only an existing other domain is -EPERM for a domU.
 */
static struct domain *pg_owner_of(unsigned int foreigndom, long *rc)
{
    struct domain *d = current->domain, *f;

    if (foreigndom == DOMID_SELF)
        return d;
    f = foreigndom < MAX_DOMAINS && foreigndom != d->domid ? domains[foreigndom] : NULL;
    if (!f || f->state != DOM_RUNNING) {
        *rc = -XEN_ESRCH;
        return NULL;
    }
    if (!d->is_privileged) {
        *rc = -XEN_EPERM;
        return NULL;
    }
    return f;
}

/* Reports progress in *done; as in Xen a done pointer that cannot be written is ignored. */
static void report_done(guest_ptr_t done_ptr, unsigned int done)
{
    if (!guest_ptr_is_null(done_ptr))
        (void)copy_to_guest(done_ptr, &done, sizeof(done));
}

/*
 * A flush for every vCPU of the caller's domain (the *_ALL and *_MULTI flavours): this CPU
 * flushes the page (va) or everything (va == 0), the other CPUs now running one of the
 * domain's vCPUs flush everything.  A vCPU that is not running has no translations cached:
 * loading its page tables flushes.  *_MULTI flushes a superset of the vCPUs asked for.
 */
static void flush_domain(uint64_t va)
{
    uint64_t self = 1ULL << this_cpu()->cpu_id;
    uint64_t others = sched_domain_cpus(current->domain) & ~self;

    if (va)
        invlpg(va);
    else
        flush_tlb_local();
    if (others)
        flush_tlb_cpus(others);
}

/* The flush part of UVMF_* flags. */
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
        if (target == UVMF_LOCAL)
            flush_tlb_local();
        else
            flush_domain(0);
        break;
    case UVMF_INVLPG:
        if (target == UVMF_LOCAL)
            invlpg(va);
        else
            flush_domain(va);
        break;
    }
    return 0;
}

/* One mmu_update request. */
static long mmu_update_one(struct domain *d, const struct domain *pg_owner,
                           const struct mmu_update *req)
{
    unsigned int cmd = req->ptr & 7;
    uint64_t mfn = req->ptr >> 12;
    struct page_info *pg = mfn_to_page(mfn);
    uint64_t *slot;
    long rc;

    switch (cmd) {
    case MMU_NORMAL_PT_UPDATE:
    case MMU_PT_UPDATE_NO_TRANSLATE: /* for a PV guest, the same as a normal update */
    case MMU_PT_UPDATE_PRESERVE_AD:
        if (!pg || pg->owner != d)
            return -XEN_EINVAL;
        if (page_type_is_table(pg->type) && pg->type_count)
            return mod_pt_entry(mfn, (unsigned int)(req->ptr & 0xfff) / 8, req->val, pg_owner,
                                cmd == MMU_PT_UPDATE_PRESERVE_AD);
        /* Not a page table: an ordinary write, allowed where a writable mapping would be. */
        rc = get_page_type(pg, PGT_writable);
        if (rc)
            return rc;
        slot = (uint64_t *)mfn_to_virt(mfn) + (req->ptr & 0xfff) / 8;
        __atomic_store_n(slot, req->val, __ATOMIC_RELEASE);
        put_page_type(pg);
        return 0;
    case MMU_MACHPHYS_UPDATE:
        if (!pg || pg->owner != pg_owner)
            return -XEN_EINVAL;
        set_m2p(mfn, req->val);
        return 0;
    }
    return -XEN_ENOSYS;
}

/*
 * The batch loop of mmu_update(reqs, count, done*, foreigndom) and mmuext_op(ops, count,
 * done*, foreigndom): each element is copied in and run by `one` until one fails.  Long
 * batches are preempted: the count then carries MMU_UPDATE_PREEMPTED and the progress so
 * far is kept in *done, as in Xen.
 */
typedef long (*batch_fn)(const void *elem, const struct domain *pg_owner);

static long run_batch(struct hc_args *args, size_t elem_size, batch_fn one)
{
    guest_ptr_t list = hc_ptr(args, 0);
    unsigned int count = hc_uint(args, 1);
    guest_ptr_t done_ptr = hc_ptr(args, 2);
    const struct domain *pg_owner;
    unsigned int i, done = 0;
    uint8_t elem[24];
    long rc = 0;

    BUG_ON(elem_size > sizeof(elem));
    if (count & MMU_UPDATE_PREEMPTED) {
        count &= ~MMU_UPDATE_PREEMPTED;
        if (!guest_ptr_is_null(done_ptr) && copy_from_guest(&done, done_ptr, sizeof(done)))
            return -XEN_EFAULT;
    }
    pg_owner = pg_owner_of(hc_uint(args, 3), &rc);
    if (!pg_owner) {
        report_done(done_ptr, done);
        return rc;
    }
    for (i = 0; i < count; i++) {
        if (i && i % BATCH_PREEMPT_INTERVAL == 0 && hypercall_preempt_check(args)) {
            args->a[0] = list.va + (uint64_t)i * elem_size;
            args->a[1] = (count - i) | MMU_UPDATE_PREEMPTED;
            report_done(done_ptr, done + i);
            return -XEN_ERESTART;
        }
        if (copy_from_guest_elem(elem, list, i, elem_size)) {
            rc = -XEN_EFAULT;
            break;
        }
        rc = one(elem, pg_owner);
        if (rc)
            break;
    }
    report_done(done_ptr, done + i);
    return rc;
}

static long mmu_update_elem(const void *req, const struct domain *pg_owner)
{
    return mmu_update_one(current->domain, pg_owner, req);
}

long do_mmu_update(struct hc_args *args)
{
    return run_batch(args, sizeof(struct mmu_update), mmu_update_elem);
}

/* Writes the L1 entry mapping va in the kernel page tables of v (found by walking them). */
static long update_va(struct vcpu *v, uint64_t va, uint64_t pte, const struct domain *pg_owner)
{
    uint64_t l1_mfn, *l1e;

    if (!guest_range_ok(va, 1))
        return -XEN_EINVAL;
    l1e = guest_walk_l1e(v->guest_table, va, &l1_mfn);
    /* The walk may end on an upper table through a linear entry: only L1s are edited. */
    if (!l1e || !frame_owned_by(l1_mfn, v->domain) || mfn_to_page(l1_mfn)->type != PGT_l1)
        return -XEN_EINVAL;
    return mod_pt_entry(l1_mfn, l1_index(va), pte, pg_owner, false);
}

long do_update_va_mapping(struct hc_args *args)
{
    uint64_t va = hc_u64(args, 0), pte = hc_u64(args, 1), flags = hc_u64(args, 2);
    long rc = update_va(current, va, pte, current->domain);

    return rc ? rc : do_flush(flags, va);
}

/* dom0 maps a frame of another domain (foreign mapping) at va in its own tables. */
long do_update_va_mapping_otherdomain(struct hc_args *args)
{
    uint64_t va = hc_u64(args, 0), pte = hc_u64(args, 1), flags = hc_u64(args, 2);
    long rc = 0;
    const struct domain *pg_owner = pg_owner_of(hc_uint(args, 3), &rc);

    if (!pg_owner)
        return rc;
    rc = update_va(current, va, pte, pg_owner);
    return rc ? rc : do_flush(flags, va);
}

/* The vCPU bitmap of the *_MULTI flushes (read for validity only: see flush_domain()). */
static bool vcpumask_readable(uint64_t ptr)
{
    uint64_t mask;

    return !copy_from_guest(&mask, guest_ptr(ptr), sizeof(mask));
}

static const enum page_type pin_types[] = {
    [MMUEXT_PIN_L1_TABLE] = PGT_l1,
    [MMUEXT_PIN_L2_TABLE] = PGT_l2,
    [MMUEXT_PIN_L3_TABLE] = PGT_l3,
    [MMUEXT_PIN_L4_TABLE] = PGT_l4,
};

static long mmuext_one(struct vcpu *v, const struct domain *pg_owner, const struct mmuext_op *op)
{
    struct page_info *pg;
    long rc;

    switch (op->cmd) {
    case MMUEXT_PIN_L1_TABLE:
    case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE:
    case MMUEXT_PIN_L4_TABLE:
        pg = mfn_to_page(op->arg1.mfn);
        if (!pg || pg->owner != pg_owner || (pg->flags & PGF_pinned))
            return -XEN_EINVAL;
        rc = get_page_and_type(op->arg1.mfn, pg_owner, pin_types[op->cmd]);
        if (rc)
            return rc;
        pg->flags |= PGF_pinned;
        return 0;
    case MMUEXT_UNPIN_TABLE:
        pg = mfn_to_page(op->arg1.mfn);
        if (!pg || pg->owner != pg_owner || !(pg->flags & PGF_pinned))
            return -XEN_EINVAL;
        pg->flags &= ~PGF_pinned;
        put_page_and_type(op->arg1.mfn);
        return 0;
    case MMUEXT_NEW_BASEPTR:
        return pv_new_guest_cr3(v, op->arg1.mfn);
    case MMUEXT_NEW_USER_BASEPTR:
        return pv_new_user_base(v, op->arg1.mfn);
    case MMUEXT_TLB_FLUSH_LOCAL:
        flush_tlb_local();
        return 0;
    case MMUEXT_TLB_FLUSH_MULTI:
        if (!vcpumask_readable(op->arg2.vcpumask))
            return -XEN_EINVAL;
        /* fall through */
    case MMUEXT_TLB_FLUSH_ALL:
        flush_domain(0);
        return 0;
    case MMUEXT_INVLPG_LOCAL:
        invlpg(op->arg1.linear_addr);
        return 0;
    case MMUEXT_INVLPG_MULTI:
        if (!vcpumask_readable(op->arg2.vcpumask))
            return -XEN_EINVAL;
        /* fall through */
    case MMUEXT_INVLPG_ALL:
        flush_domain(op->arg1.linear_addr);
        return 0;
    case MMUEXT_FLUSH_CACHE:
        if (!v->domain->is_privileged)
            return -XEN_EPERM;
        asm volatile("wbinvd" ::: "memory");
        return 0;
    case MMUEXT_SET_LDT:
        return pv_set_ldt(v, op->arg1.linear_addr, op->arg2.nr_ents);
    }
    /* CLEAR_PAGE, COPY_PAGE, superpages and the rest: not yet. */
    return -XEN_ENOSYS;
}

static long mmuext_elem(const void *op, const struct domain *pg_owner)
{
    return mmuext_one(current, pg_owner, op);
}

long do_mmuext_op(struct hc_args *args)
{
    return run_batch(args, sizeof(struct mmuext_op), mmuext_elem);
}

/*
 * vm_assist: the type is checked first, then the command (Xen's order).  The types are
 * recorded; writable_pagetables turns on the #PF emulation of direct L1 writes.
 */
long do_vm_assist(struct hc_args *args)
{
    unsigned int cmd = hc_uint(args, 0), type = hc_uint(args, 1);
    struct domain *d = current->domain;
    const uint64_t valid =
        (1ULL << VMASST_TYPE_4gb_segments) | (1ULL << VMASST_TYPE_4gb_segments_notify) |
        (1ULL << VMASST_TYPE_writable_pagetables) | (1ULL << VMASST_TYPE_pae_extended_cr3) |
        (1ULL << VMASST_TYPE_architectural_iopl) | (1ULL << VMASST_TYPE_runstate_update_flag) |
        (1ULL << VMASST_TYPE_m2p_strict);

    if (type >= 64 || !(valid & (1ULL << type)))
        return -XEN_EINVAL;
    switch (cmd) {
    case VMASST_CMD_enable:
        d->vm_assist |= 1ULL << type;
        return 0;
    case VMASST_CMD_disable:
        d->vm_assist &= ~(1ULL << type);
        return 0;
    }
    return -XEN_ENOSYS;
}
