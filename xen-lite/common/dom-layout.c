/* SPDX-License-Identifier: MIT */
/* Start-of-day virtual layout of a PV domain: where the builder puts each boot page. */
#include <dom-layout.h>

#include <format.h>
#include <public/errno.h>
#include <public/xen.h>
#include <stdbool.h>

#define PG_SHIFT 12
#define PG_SIZE  (1ULL << PG_SHIFT)
#define L1_SHIFT 21 /* one L1 table maps 2 MiB */
#define L2_SHIFT 30 /* one L2 table maps 1 GiB */
#define L3_SHIFT 39 /* one L3 table maps 512 GiB */

#define CANONICAL_LOW_END 0x0000800000000000ULL

/*
 * The iteration converges in two or three rounds (one L2 region holds at most
 * 515 tables); the cap only guards against a bug turning it into a hang.
 */
#define MAX_PT_ROUNDS 64

static char why_buf[128];

/* Number of 2^shift-sized slots that [start, end) touches; end > start. */
static uint64_t slots(uint64_t start, uint64_t end, unsigned int shift)
{
    /* (end - 1) rather than a rounded-up end: rounding up could overflow at the top. */
    return ((end - 1) >> shift) - (start >> shift) + 1;
}

uint64_t dom_pt_frames(uint64_t start, uint64_t end)
{
    if (end <= start)
        return 1;
    return 1 + slots(start, end, L3_SHIFT) + slots(start, end, L2_SHIFT) +
           slots(start, end, L1_SHIFT);
}

/* *pos = page-rounded *pos + bytes (rounded up); false on overflow. */
static bool advance(uint64_t *pos, uint64_t bytes)
{
    uint64_t pages = (bytes >> PG_SHIFT) + ((bytes & (PG_SIZE - 1)) != 0);

    if (pages > (UINT64_MAX >> PG_SHIFT))
        return false;
    return !__builtin_add_overflow(*pos, pages << PG_SHIFT, pos);
}

static void set_region(struct dom_region *r, uint64_t virt_base, uint64_t va, uint64_t end)
{
    r->va = va;
    r->pfn = (va - virt_base) >> PG_SHIFT;
    r->nr_pages = (end - va) >> PG_SHIFT;
}

/* v_end for a stack page at `stack`: next 4 MiB boundary leaving >= 512 KiB of slack. */
static bool end_after_stack(uint64_t stack, uint64_t *v_end)
{
    uint64_t top, e;

    if (__builtin_add_overflow(stack, PG_SIZE, &top) ||
        __builtin_add_overflow(top, DOM_LAYOUT_V_ALIGN - 1, &e))
        return false;
    e &= ~(DOM_LAYOUT_V_ALIGN - 1);
    if (e - top < DOM_LAYOUT_SLACK && __builtin_add_overflow(e, DOM_LAYOUT_V_ALIGN, &e))
        return false;
    *v_end = e;
    return true;
}

static int check_inputs(uint64_t virt_base, uint64_t kstart, uint64_t kend, uint64_t nr_pages,
                        const char **why)
{
    if (virt_base & (PG_SIZE - 1)) {
        *why = "VIRT_BASE is not page-aligned";
        return -XEN_EINVAL;
    }
    if (kstart < virt_base || kend <= kstart) {
        *why = "image span is empty or starts below VIRT_BASE";
        return -XEN_EINVAL;
    }
    if (nr_pages == 0) {
        *why = "domain has no memory";
        return -XEN_EINVAL;
    }
    return 0;
}

int dom_layout_compute(uint64_t virt_base, uint64_t virt_kstart, uint64_t virt_kend,
                       uint64_t initrd_len, uint64_t nr_pages, struct dom_layout *l,
                       const char **why)
{
    uint64_t pos = virt_base, pt_start, nr_pt = 0, v_end = 0, next;
    int rc, round;

    rc = check_inputs(virt_base, virt_kstart, virt_kend, nr_pages, why);
    if (rc)
        return rc;

    l->virt_base = virt_base;
    /* Everything up to the next region is laid out as a running, page-aligned position. */
    if (!advance(&pos, virt_kend - virt_base))
        goto overflow;
    set_region(&l->image, virt_base, virt_base, pos);
    next = pos;
    if (!advance(&next, initrd_len))
        goto overflow;
    set_region(&l->initrd, virt_base, pos, next);
    pos = next;
    if (nr_pages > UINT64_MAX / sizeof(uint64_t) || !advance(&next, nr_pages * sizeof(uint64_t)))
        goto overflow;
    set_region(&l->p2m, virt_base, pos, next);
    pos = next;
    if (!advance(&next, 3 * PG_SIZE))
        goto overflow;
    set_region(&l->start_info, virt_base, pos, pos + PG_SIZE);
    set_region(&l->xenstore, virt_base, pos + PG_SIZE, pos + 2 * PG_SIZE);
    set_region(&l->console, virt_base, pos + 2 * PG_SIZE, next);
    pt_start = next;

    /*
     * The tables must also map themselves and the stack, and v_end moves with
     * their count: grow the count until it covers the range it produces.
     */
    for (round = 0; round < MAX_PT_ROUNDS; round++) {
        uint64_t stack, need;

        if (nr_pt > (UINT64_MAX >> PG_SHIFT) ||
            __builtin_add_overflow(pt_start, nr_pt << PG_SHIFT, &stack) ||
            !end_after_stack(stack, &v_end))
            goto overflow;
        if ((virt_base >> L2_SHIFT) != ((v_end - 1) >> L2_SHIFT)) {
            *why = "kernel mapping does not fit in one 1 GiB-aligned L2 region";
            return -XEN_EINVAL;
        }
        need = dom_pt_frames(virt_base, v_end);
        if (need <= nr_pt)
            break;
        nr_pt = need;
    }
    if (round == MAX_PT_ROUNDS) {
        *why = "page-table count does not converge";
        return -XEN_EINVAL;
    }
    set_region(&l->pt, virt_base, pt_start, pt_start + (nr_pt << PG_SHIFT));
    set_region(&l->stack, virt_base, l->pt.va + (nr_pt << PG_SHIFT),
               l->pt.va + (nr_pt << PG_SHIFT) + PG_SIZE);
    l->nr_pt_frames = nr_pt;
    l->stack_top = l->stack.va + PG_SIZE;
    l->v_end = v_end;
    l->nr_mapped = (v_end - virt_base) >> PG_SHIFT;

    /* The guest maps this range itself: keep it canonical and out of the hypervisor's slots. */
    if (virt_base < HYPERVISOR_VIRT_END && v_end > HYPERVISOR_VIRT_START) {
        *why = "kernel mapping overlaps the hypervisor hole";
        return -XEN_EINVAL;
    }
    if (virt_base < CANONICAL_LOW_END ? v_end > CANONICAL_LOW_END
                                      : virt_base < HYPERVISOR_VIRT_START) {
        *why = "kernel mapping is not canonical";
        return -XEN_EINVAL;
    }
    if (l->nr_mapped > nr_pages) {
        snprintf(why_buf, sizeof(why_buf),
                 "kernel image too large for domain memory: needs %llu pages, has %llu",
                 (unsigned long long)l->nr_mapped, (unsigned long long)nr_pages);
        *why = why_buf;
        return -XEN_ENOMEM;
    }
    return 0;

overflow:
    *why = "start-of-day layout overflows the address space";
    return -XEN_EINVAL;
}
