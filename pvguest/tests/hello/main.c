/* SPDX-License-Identifier: MIT */
/*
 * hello: the start-of-day contract, checked from inside a dom0.
 *
 * A PV kernel can only boot if the domain builder hands over exactly what the ABI
 * promises: a start_info page with the right magic and flags, a p2m list of nr_pages
 * distinct frames, page tables inside the initial mapping, a hypercall page with the
 * standard stubs (including the special iret stub), events masked at entry, and a
 * working hypercall. Each is checked here; any mismatch is a FAILURE.
 */
#include <pvguest/test.h>

/* Machine frames above 2^40 would need more than 52 physical address bits. */
#define MFN_LIMIT (1ULL << 40)

static bool in_image_range(uint64_t va, uint64_t nr_pages)
{
    return va >= PV_VIRT_BASE && va - PV_VIRT_BASE < nr_pages * PV_PAGE_SIZE;
}

static void check_start_info(const struct start_info *si)
{
    pv_printf("start_info @ %p: magic \"%.32s\" nr_pages %lu flags %#x\n", (const void *)si,
              si->magic, (unsigned long)si->nr_pages, si->flags);
    pv_printf("  shared_info %#lx pt_base %#lx nr_pt_frames %lu mfn_list %#lx\n",
              (unsigned long)si->shared_info, (unsigned long)si->pt_base,
              (unsigned long)si->nr_pt_frames, (unsigned long)si->mfn_list);
    pv_printf("  cmd_line \"%.1024s\"\n", si->cmd_line);

    xtf_check(memcmp(si->magic, XEN_START_INFO_MAGIC, sizeof(XEN_START_INFO_MAGIC)) == 0,
              "start_info magic is \"%.32s\", want \"%s\"", si->magic, XEN_START_INFO_MAGIC);
    xtf_check(si->nr_pages > 0, "nr_pages is 0");
    xtf_check((si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN)) == (SIF_PRIVILEGED | SIF_INITDOMAIN),
              "booted as dom0 but flags %#x lack SIF_PRIVILEGED|SIF_INITDOMAIN", si->flags);
    xtf_check(in_image_range((uint64_t)si, si->nr_pages),
              "start_info %p is outside the initial mapping", (const void *)si);
    xtf_check(strnlen(si->cmd_line, sizeof(si->cmd_line)) < sizeof(si->cmd_line),
              "cmd_line is not NUL-terminated");
    xtf_check((si->shared_info & 0xfff) == 0, "shared_info maddr %#lx not page aligned",
              (unsigned long)si->shared_info);

    /* Page tables: page aligned, above our image, inside the mapping, L4 maps VIRT_BASE. */
    xtf_check((si->pt_base & 0xfff) == 0 && si->pt_base >= (uint64_t)_end &&
                  in_image_range(si->pt_base, si->nr_pages),
              "pt_base %#lx is not a page inside the initial mapping above the image (_end %p)",
              (unsigned long)si->pt_base, (void *)_end);
    xtf_check(si->nr_pt_frames >= 4, "nr_pt_frames %lu: need at least L4, L3, L2, L1",
              (unsigned long)si->nr_pt_frames);
    if (in_image_range(si->pt_base, si->nr_pages)) {
        const uint64_t *l4 = (const uint64_t *)si->pt_base;
        uint64_t e = l4[l4_index(PV_VIRT_BASE)];

        xtf_check(e & X86_PTE_P, "L4 entry %u for VIRT_BASE is not present (%#lx)",
                  l4_index(PV_VIRT_BASE), (unsigned long)e);
    }
}

static void check_p2m(const struct start_info *si)
{
    const uint64_t *p2m = (const uint64_t *)si->mfn_list;
    uint64_t n = si->nr_pages;
    uint64_t pfns[64];
    unsigned int ns = 0;

    if (!xtf_check(in_image_range(si->mfn_list, n) && in_image_range(si->mfn_list + n * 8 - 1, n),
                   "p2m list %#lx (%lu entries) is outside the initial mapping",
                   (unsigned long)si->mfn_list, (unsigned long)n))
        return;
    pv_printf("p2m: %lu entries, pfn 0 -> mfn %#lx, pfn %lu -> mfn %#lx\n", (unsigned long)n,
              (unsigned long)p2m[0], (unsigned long)(n - 1), (unsigned long)p2m[n - 1]);

    for (uint64_t pfn = 0; pfn < n; pfn++)
        if (!xtf_check(p2m[pfn] < MFN_LIMIT, "p2m[%lu] = %#lx is not a plausible MFN",
                       (unsigned long)pfn, (unsigned long)p2m[pfn]))
            return;

    /* Distinct frames, on a sample: the first 32 pfns and 32 spread over the rest. */
    for (uint64_t pfn = 0; pfn < 32 && pfn < n; pfn++)
        pfns[ns++] = pfn;
    for (uint64_t i = 1; i <= 32 && n > 32; i++) {
        uint64_t pfn = 32 + (n - 33) * i / 32;

        if (pfn != pfns[ns - 1])
            pfns[ns++] = pfn;
    }
    for (unsigned int i = 0; i < ns; i++)
        for (unsigned int j = i + 1; j < ns; j++)
            xtf_check(p2m[pfns[i]] != p2m[pfns[j]], "pfns %lu and %lu both map MFN %#lx",
                      (unsigned long)pfns[i], (unsigned long)pfns[j], (unsigned long)p2m[pfns[i]]);
}

static void check_hypercall_page(void)
{
    static const uint8_t stub0[] = {0x51, 0x41, 0x53, 0xb8, 0x00, 0x00, 0x00,
                                    0x00, 0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3};
    static const uint8_t stub17[] = {0x51, 0x41, 0x53, 0xb8, 0x11, 0x00, 0x00,
                                     0x00, 0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3};
    static const uint8_t stub23[] = {0x51, 0x41, 0x53, 0x50, 0xb8, 0x17,
                                     0x00, 0x00, 0x00, 0x0f, 0x05};

    xtf_check(memcmp(hypercall_page, stub0, sizeof(stub0)) == 0,
              "hypercall stub 0 is wrong: %02x %02x %02x %02x %02x ...", hypercall_page[0] & 0xff,
              hypercall_page[1] & 0xff, hypercall_page[2] & 0xff, hypercall_page[3] & 0xff,
              hypercall_page[4] & 0xff);
    xtf_check(memcmp(hypercall_page + 17 * 32, stub17, sizeof(stub17)) == 0,
              "hypercall stub 17 (xen_version) is wrong");
    xtf_check(memcmp(hypercall_page + 23 * 32, stub23, sizeof(stub23)) == 0,
              "hypercall stub 23 (iret) is wrong: %02x %02x %02x %02x %02x",
              hypercall_page[23 * 32] & 0xff, hypercall_page[23 * 32 + 1] & 0xff,
              hypercall_page[23 * 32 + 2] & 0xff, hypercall_page[23 * 32 + 3] & 0xff,
              hypercall_page[23 * 32 + 4] & 0xff);
}

void test_main(void)
{
    const struct start_info *si = pv_start_info;
    long ver;

    pv_printf("Hello from a xen-lite pvguest\n");
    check_start_info(si);
    check_p2m(si);
    check_hypercall_page();

    if (xtf_check(pv_shared_info != NULL, "shared_info could not be mapped"))
        xtf_check(pv_shared_info->vcpu_info[0].evtchn_upcall_mask == 1,
                  "events not masked at entry (evtchn_upcall_mask %u)",
                  pv_shared_info->vcpu_info[0].evtchn_upcall_mask);

    ver = HYPERVISOR_xen_version(XENVER_version, NULL);
    pv_printf("xen_version: %ld.%ld\n", ver >> 16, ver & 0xffff);
    xtf_check(ver > 0, "xen_version(XENVER_version) returned %ld", ver);

    xtf_success();
}
