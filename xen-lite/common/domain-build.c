/* SPDX-License-Identifier: MIT */
/* The domain builder: turns a PV kernel image into a domain ready to run. */
#include <format.h>
#include <string.h>
#include <public/arch-x86-pt.h>
#include <public/features.h>
#include <public/hypercall-list.h>
#include <public/xen.h>
#include <console.h>
#include <dom-layout.h>
#include <domain-build.h>
#include <domain.h>
#include <elf-loader.h>
#include <frame-alloc.h>
#include <heap.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>
#include <page-type.h>

#define GUEST_PTE (X86_PTE_P | X86_PTE_RW | X86_PTE_US | X86_PTE_A | X86_PTE_D)
#define GUEST_PDE (X86_PTE_P | X86_PTE_RW | X86_PTE_US | X86_PTE_A)

uint32_t hypervisor_features(const struct domain *d)
{
    uint32_t f = (1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_pae_pgdir_above_4gb) |
                 (1u << XENFEAT_mmu_pt_update_preserve_ad) | (1u << XENFEAT_gnttab_map_avail_bits);

    if (d && d->is_privileged)
        f |= 1u << XENFEAT_dom0;
    return f;
}

struct builder {
    struct domain *d;
    const struct dom_layout *l;
    uint64_t *p2m;    /* pfn -> mfn, hypervisor copy */
    uint64_t next_pt; /* next unused page-table pfn */
};

/* Hypervisor pointer to guest virtual address va inside the mapped start-of-day range. */
static uint8_t *va_ptr(const struct builder *b, uint64_t va)
{
    uint64_t pfn = (va - b->l->virt_base) >> 12;

    if (va < b->l->virt_base || pfn >= b->l->nr_mapped)
        return NULL;
    return (uint8_t *)mfn_to_virt(b->p2m[pfn]) + (va & 0xfff);
}

static int copy_in(void *ctx, uint64_t va, const void *src, size_t n)
{
    const struct builder *b = ctx;

    while (n) {
        size_t chunk = MIN(n, 4096 - (va & 0xfff));
        uint8_t *dst = va_ptr(b, va);

        if (!dst)
            return -XEN_EINVAL;
        if (src) {
            memcpy(dst, src, chunk);
            src = (const uint8_t *)src + chunk;
        } else {
            memset(dst, 0, chunk);
        }
        va += chunk;
        n -= chunk;
    }
    return 0;
}

static int zero_in(void *ctx, uint64_t va, size_t n)
{
    return copy_in(ctx, va, NULL, n);
}

/* Takes the next page-table frame of the layout. */
static uint64_t *take_table(struct builder *b)
{
    BUG_ON(b->next_pt >= b->l->pt.pfn + b->l->pt.nr_pages);
    return mfn_to_virt(b->p2m[b->next_pt++]);
}

/* Entry `idx` of `table` points at a lower table, creating it if needed. */
static uint64_t *lower_table(struct builder *b, uint64_t *table, unsigned int idx)
{
    if (!(table[idx] & X86_PTE_P))
        table[idx] = virt_to_maddr(take_table(b)) | GUEST_PDE;
    return maddr_to_virt(table[idx] & X86_PTE_ADDR_MASK);
}

/*
 * Maps [virt_base, v_end) onto pfns 0.. with 4 KiB pages, page tables read-only, then
 * pins the root: validation (the same code that checks every guest-built table) types the
 * whole hierarchy and takes its references.  Returns the root's mfn, or INVALID_MFN.
 */
static uint64_t build_page_tables(struct builder *b)
{
    const struct dom_layout *l = b->l;
    uint64_t *l4, l4_mfn;

    b->next_pt = l->pt.pfn;
    l4 = take_table(b);
    for (uint64_t pfn = 0; pfn < l->nr_mapped; pfn++) {
        uint64_t va = l->virt_base + (pfn << 12);
        uint64_t *l3 = lower_table(b, l4, l4_index(va));
        uint64_t *l2 = lower_table(b, l3, l3_index(va));
        uint64_t *l1 = lower_table(b, l2, l2_index(va));
        uint64_t pte = (b->p2m[pfn] << 12) | GUEST_PTE;

        if (pfn >= l->pt.pfn && pfn < l->pt.pfn + l->pt.nr_pages)
            pte &= ~X86_PTE_RW;
        l1[l1_index(va)] = pte;
    }
    BUG_ON(b->next_pt != l->pt.pfn + l->pt.nr_pages);
    l4_mfn = virt_to_mfn(l4);
    if (get_page_and_type(l4_mfn, b->d, PGT_l4))
        return INVALID_MFN;
    mfn_to_page(l4_mfn)->flags |= PGF_pinned;
    return l4_mfn;
}

/* 128 stubs of 32 bytes: push rcx; push r11; mov $i,%eax; syscall; pop r11; pop rcx; ret. */
static void fill_hypercall_page(uint8_t *page)
{
    memset(page, 0xcc, 4096);
    for (unsigned int i = 0; i < XL_HYPERCALL_PAGE_STUBS; i++) {
        uint8_t *s = page + i * XL_HYPERCALL_STUB_SIZE;

        if (i == __HYPERVISOR_iret) {
            /* iret is jumped to: push rcx; push r11; push rax; mov $23,%eax; syscall. */
            const uint8_t stub[] = {0x51, 0x41, 0x53, 0x50, 0xb8, 23, 0, 0, 0, 0x0f, 0x05};
            memcpy(s, stub, sizeof(stub));
        } else {
            const uint8_t stub[] = {0x51, 0x41, 0x53, 0xb8, (uint8_t)i, 0,    0,
                                    0,    0x0f, 0x05, 0x41, 0x5b,       0x59, 0xc3};
            memcpy(s, stub, sizeof(stub));
        }
    }
}

static void fill_start_info(struct builder *b, const struct build_params *p)
{
    const struct dom_layout *l = b->l;
    struct start_info *si = (struct start_info *)va_ptr(b, l->start_info.va);

    strlcpy(si->magic, "xen-3.0-x86_64", sizeof(si->magic));
    si->nr_pages = p->nr_pages;
    si->shared_info = b->d->shared_info_mfn << 12;
    si->flags = p->sif_flags;
    si->store_mfn = b->p2m[l->xenstore.pfn];
    si->store_evtchn = 0;
    if (p->sif_flags & SIF_INITDOMAIN) {
        si->console.dom0.info_off = 0;
        si->console.dom0.info_size = 0;
    } else {
        si->console.domU.mfn = b->p2m[l->console.pfn];
        si->console.domU.evtchn = 0;
    }
    si->pt_base = l->pt.va;
    si->nr_pt_frames = l->nr_pt_frames;
    si->mfn_list = l->p2m.va;
    si->mod_start = l->initrd.nr_pages ? l->initrd.va : 0;
    si->mod_len = p->initrd_len;
    strlcpy(si->cmd_line, p->cmdline ? p->cmdline : "", sizeof(si->cmd_line));
    si->first_p2m_pfn = l->p2m.pfn;
    si->nr_p2m_frames = l->p2m.nr_pages;
}

int domain_build(struct domain *d, const struct build_params *p, const char **why)
{
    static char reason[160];
    struct guest_image g;
    struct dom_layout l;
    struct builder b = {.d = d, .l = &l};
    struct vcpu *v = d->vcpus[0];
    struct cpu_user_regs *r = v->regs;
    uint64_t l4_mfn;
    int rc;

    /* Check: everything about the image and the layout, before any memory is taken. */
    rc = elf_parse_guest(p->image, p->image_len, &g, why);
    if (rc)
        return rc;
    rc = guest_check_features(&g, hypervisor_features(d), why);
    if (rc)
        return rc;
    if (g.has_hypercall_page && (g.hypercall_page & 0xfff)) {
        *why = "the HYPERCALL_PAGE note names an address that is not page-aligned";
        return -XEN_EINVAL;
    }
    rc = dom_layout_compute(g.virt_base, g.virt_kstart, g.virt_kend, p->initrd_len, p->nr_pages, &l,
                            why);
    if (rc)
        return rc;
    if (p->nr_pages + 64 > frames_free()) {
        snprintf(reason, sizeof(reason), "needs %lu pages of memory, only %lu are free",
                 p->nr_pages, frames_free());
        *why = reason;
        return -XEN_ENOMEM;
    }

    /* Commit: allocate, load, lay out. */
    d->max_pages = p->nr_pages;
    b.p2m = heap_alloc(p->nr_pages * 8);
    if (!b.p2m) {
        *why = "out of hypervisor memory for the p2m";
        return -XEN_ENOMEM;
    }
    for (uint64_t pfn = 0; pfn < p->nr_pages; pfn++) {
        b.p2m[pfn] = domain_alloc_frame(d, false);
        if (b.p2m[pfn] == INVALID_MFN) {
            heap_free(b.p2m, p->nr_pages * 8);
            *why = "out of memory while allocating the domain's frames";
            return -XEN_ENOMEM;
        }
        set_m2p(b.p2m[pfn], pfn);
    }
    rc = elf_load_segments(&g, copy_in, zero_in, &b);
    if (!rc && p->initrd_len)
        rc = copy_in(&b, l.initrd.va, p->initrd, p->initrd_len);
    if (!rc)
        rc = copy_in(&b, l.p2m.va, b.p2m, p->nr_pages * 8);
    if (rc) {
        heap_free(b.p2m, p->nr_pages * 8);
        *why = "a segment falls outside the domain's mapped range";
        return rc;
    }
    fill_start_info(&b, p);
    if (g.has_hypercall_page)
        fill_hypercall_page(va_ptr(&b, g.hypercall_page & ~0xfffULL));
    l4_mfn = build_page_tables(&b);
    /* vCPU 0's root pointer holds its own reference, as after NEW_BASEPTR. */
    if (l4_mfn == INVALID_MFN || get_page_and_type(l4_mfn, d, PGT_l4)) {
        heap_free(b.p2m, p->nr_pages * 8);
        *why = "the boot page tables failed validation (a hypervisor bug)";
        return -XEN_EINVAL;
    }
    v->guest_table = l4_mfn;
    /*
     * A kernel that lists writable_page_tables writes its PTEs directly from the start;
     * dom0 gets the assist by default, as from Xen's dom0 builder.
     */
    if ((g.feat_supported & (1u << XENFEAT_writable_page_tables)) ||
        (p->sif_flags & SIF_INITDOMAIN))
        d->vm_assist |= 1ULL << VMASST_TYPE_writable_pagetables;
    v->kernel_mode = true;
    r->rip = g.entry;
    r->rsp = l.stack_top;
    r->rsi = l.start_info.va;
    r->cs = FLAT_KERNEL_CS64;
    r->ss = FLAT_KERNEL_SS64;
    r->rflags = 0x202; /* IF (the real one; virtual IF is the upcall mask, set) */
    heap_free(b.p2m, p->nr_pages * 8);

    log_info("d%u: %s %s, entry %#lx, %lu pages, virt %#lx-%#lx, %lu page-table frames\n", d->domid,
             g.guest_os[0] ? g.guest_os : "(unnamed guest)", g.guest_version, g.entry, p->nr_pages,
             l.virt_base, l.v_end, l.nr_pt_frames);
    return 0;
}
