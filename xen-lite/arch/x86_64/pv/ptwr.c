/* SPDX-License-Identifier: MIT */
/* Writable page tables: emulating a guest kernel's direct write to one of its own L1s. */
#include <public/arch-x86-pt.h>
#include <public/xen.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <domain.h>
#include <lib.h>
#include <guest-access.h>
#include <memlayout.h>
#include <mm.h>
#include <page-type.h>
#include <paging.h>
#include <ptwr-decode.h>

/*
 * A guest that enabled VMASST_TYPE_writable_pagetables (or whose kernel lists the
 * writable_page_tables feature) may write PTEs straight into its L1 page tables, which are
 * mapped read-only.  The write faults; if it is a write to a present, read-only page that
 * is a validated L1 of the guest, the instruction is decoded, its effect on the 8-byte PTE
 * computed, and the new PTE goes through the same check as mmu_update.  Only then are the
 * guest's registers changed and its rip advanced.  Anything else stays a #PF for the guest.
 */
/*
 * cmpxchg16b spans two PTEs (the operand is 16-byte aligned, or the CPU would have raised
 * #GP instead): compare rdx:rax with them; if equal, both new entries are checked and
 * stored (the first undone if the second is refused), else rdx:rax get the current ones.
 */
static bool ptwr_cmpxchg16b(struct cpu_user_regs *regs, uint64_t pt_mfn, unsigned int idx,
                            const struct domain *d)
{
    uint64_t *pte = mfn_to_virt(pt_mfn);
    uint64_t lo = pte[idx], hi = pte[idx + 1];

    if (regs->rax == lo && regs->rdx == hi) {
        if (mod_pt_entry(pt_mfn, idx, regs->rbx, d, false))
            return false;
        if (mod_pt_entry(pt_mfn, idx + 1, regs->rcx, d, false)) {
            BUG_ON(mod_pt_entry(pt_mfn, idx, lo, d, false));
            return false;
        }
        regs->rflags |= X86_EFLAGS_ZF;
    } else {
        regs->rax = lo;
        regs->rdx = hi;
        regs->rflags &= ~X86_EFLAGS_ZF;
    }
    return true;
}

bool pv_ptwr_fault(struct cpu_user_regs *regs, uint64_t cr2, uint64_t ec)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    uint64_t l1_mfn, *walk, pt_mfn, old, new_pte;
    uint8_t bytes[15];
    size_t n = 0;
    struct ptwr_insn insn;
    struct ptwr_regs r;
    struct page_info *pg;
    bool store;
    unsigned int idx;

    if (!(d->vm_assist & (1ULL << VMASST_TYPE_writable_pagetables)) || !v->kernel_mode ||
        (ec & 3) != 3) /* a write to a present page */
        return false;
    walk = guest_walk_l1e(v->guest_table, cr2, &l1_mfn);
    if (!walk || !(*walk & X86_PTE_P) || (*walk & X86_PTE_RW))
        return false;
    pt_mfn = X86_PTE_MFN(*walk);
    pg = mfn_to_page(pt_mfn);
    if (!pg || pg->owner != d || pg->type != PGT_l1 || !pg->type_count)
        return false;

    while (n < sizeof(bytes) && !copy_from_guest(&bytes[n], guest_ptr(regs->rip + n), 1))
        n++;
    if (ptwr_decode(bytes, n, &insn))
        return false;
    if (insn.op == PTWR_CMPXCHG16B) {
        if ((cr2 & 0xf) || !ptwr_cmpxchg16b(regs, pt_mfn, (unsigned int)(cr2 & 0xfff) / 8, d))
            return false;
        regs->rip += insn.len;
        return true;
    }
    r = (struct ptwr_regs){
        .gpr = {regs->rax, regs->rcx, regs->rdx, regs->rbx, regs->rsp, regs->rbp, regs->rsi,
                regs->rdi, regs->r8, regs->r9, regs->r10, regs->r11, regs->r12, regs->r13,
                regs->r14, regs->r15},
        .rflags = regs->rflags,
    };
    idx = (unsigned int)(cr2 & 0xfff) / 8;
    old = ((uint64_t *)mfn_to_virt(pt_mfn))[idx];
    if (ptwr_execute(&insn, &r, (unsigned int)(cr2 & 7), old, &new_pte, &store))
        return false;
    if (store && mod_pt_entry(pt_mfn, idx, new_pte, d, false))
        return false;

    /* Committed: the instruction's other effects, then skip it. */
    regs->rax = r.gpr[0], regs->rcx = r.gpr[1], regs->rdx = r.gpr[2], regs->rbx = r.gpr[3];
    regs->rbp = r.gpr[5], regs->rsi = r.gpr[6], regs->rdi = r.gpr[7];
    regs->r8 = r.gpr[8], regs->r9 = r.gpr[9], regs->r10 = r.gpr[10], regs->r11 = r.gpr[11];
    regs->r12 = r.gpr[12], regs->r13 = r.gpr[13], regs->r14 = r.gpr[14], regs->r15 = r.gpr[15];
    regs->rflags = (regs->rflags & ~0x8d5ULL) | (r.rflags & 0x8d5ULL); /* arithmetic flags */
    regs->rip += insn.len;
    return true;
}
