/* SPDX-License-Identifier: MIT */
/* Unit tests for xen_version (hypercalls/version.c). */
#include <criterion/criterion.h>
#include <public/features.h>
#include <public/version.h>
#include <public/xen.h>
#include <string.h>
#include "harness/harness.h"

TestSuite(xen_version, .init = harness_boot);

static long xen_version(int cmd, uint64_t arg)
{
    return hc(__HYPERVISOR_xen_version, (uint64_t)cmd, arg);
}

/* A guest buffer of size bytes plus one guard byte, all 0xee. */
static uint64_t poisoned(size_t size)
{
    uint64_t va = guest_alloc(size + 1);

    memset(guest_mem(va, size + 1), 0xee, size + 1);
    return va;
}

/* Checks that the field is exactly s then NULs up to size, and the guard byte untouched. */
static void assert_padded(uint64_t va, size_t size, const char *s)
{
    const char *p = guest_mem(va, size + 1);

    cr_assert_str_eq(p, s);
    for (size_t i = strlen(s); i < size; i++)
        cr_assert_eq(p[i], 0, "byte %zu of \"%s\" not NUL", i, s);
    cr_assert_eq((uint8_t)p[size], 0xee, "wrote past %zu bytes", size);
}

/* Major 4, minor 17, in the result itself. */
Test(xen_version, version)
{
    cr_assert_eq(xen_version(XENVER_version, 0), 4 << 16 | 17);
}

/* The three string sub-ops: exact size, NUL padded. */
Test(xen_version, strings_are_nul_padded)
{
    uint64_t ev = poisoned(XEN_EXTRAVERSION_LEN), caps = poisoned(XEN_CAPABILITIES_INFO_LEN),
             cs = poisoned(XEN_CHANGESET_INFO_LEN);

    cr_assert_eq(xen_version(XENVER_extraversion, ev), 0);
    assert_padded(ev, XEN_EXTRAVERSION_LEN, ".0-xen-lite");
    cr_assert_eq(xen_version(XENVER_capabilities, caps), 0);
    assert_padded(caps, XEN_CAPABILITIES_INFO_LEN, "xen-3.0-x86_64");
    cr_assert_eq(xen_version(XENVER_changeset, cs), 0);
    assert_padded(cs, XEN_CHANGESET_INFO_LEN, "xen-lite");
}

/* compile_info: four NUL-terminated fields, nothing written past the struct. */
Test(xen_version, compile_info)
{
    uint64_t va = poisoned(sizeof(struct xen_compile_info));
    const struct xen_compile_info *ci = guest_mem(va, sizeof(*ci));

    cr_assert_eq(xen_version(XENVER_compile_info, va), 0);
    cr_assert_eq(strncmp(ci->compiler, "gcc ", 4), 0);
    cr_assert_str_eq(ci->compile_by, "xen-lite");
    cr_assert_str_eq(ci->compile_domain, "xen-lite.invalid");
    cr_assert_neq(ci->compile_date[0], 0);
    cr_assert_eq(ci->compiler[sizeof(ci->compiler) - 1], 0);
    cr_assert_eq(ci->compile_date[sizeof(ci->compile_date) - 1], 0);
    cr_assert_eq(*((uint8_t *)guest_mem(va, sizeof(*ci) + 1) + sizeof(*ci)), 0xee);
}

/* platform_parameters: where the hypervisor's reserved range starts. */
Test(xen_version, platform_parameters)
{
    uint64_t va = poisoned(8);

    cr_assert_eq(xen_version(XENVER_platform_parameters, va), 0);
    cr_assert_eq(*(uint64_t *)guest_mem(va, 8), 0xFFFF800000000000);
}

static uint32_t features(uint32_t submap_idx, long *rc)
{
    struct xen_feature_info fi = {.submap_idx = submap_idx, .submap = 0xdeadbeef};
    uint64_t va = guest_put(&fi, sizeof(fi));

    *rc = xen_version(XENVER_get_features, va);
    cr_assert_eq(((struct xen_feature_info *)guest_mem(va, 8))->submap_idx, submap_idx);
    return ((struct xen_feature_info *)guest_mem(va, 8))->submap;
}

/* Submap 0: PT_UPDATE_PRESERVE_AD (5) and gnttab_map_avail_bits (7); dom0 bit only for dom0. */
Test(xen_version, get_features_submap0)
{
    long rc;
    uint32_t f = features(0, &rc);

    cr_assert_eq(rc, 0);
    cr_assert(f & 1u << XENFEAT_mmu_pt_update_preserve_ad);
    cr_assert(f & 1u << XENFEAT_gnttab_map_avail_bits);
    cr_assert_not(f & 1u << XENFEAT_dom0);
    cr_assert_not(f & 1u << XENFEAT_auto_translated_physmap); /* PV: the guest translates */
    cr_assert_not(f & 1u << XENFEAT_supervisor_mode_kernel);
    harness_set_current(dom0);
    cr_assert(features(0, &rc) & 1u << XENFEAT_dom0);
}

/* Xen-incompatible (see the test report): Xen 4.17 answers -EINVAL for submap_idx != 0. */
Test(xen_version, xen_compat_other_submaps_are_einval)
{
    long rc;

    features(1, &rc);
    cr_assert_eq(rc, -XEN_EINVAL);
}

/* Page size in the result. */
Test(xen_version, pagesize)
{
    cr_assert_eq(xen_version(XENVER_pagesize, 0), 4096);
}

/* guest_handle: 16 bytes of zero handle. */
Test(xen_version, guest_handle)
{
    uint64_t va = poisoned(16);

    cr_assert_eq(xen_version(XENVER_guest_handle, va), 0);
    cr_assert_eq(memcmp(guest_mem(va, 16), (uint8_t[16]){0}, 16), 0);
    cr_assert_eq(*((uint8_t *)guest_mem(va, 17) + 16), 0xee);
}

/* dom0 reads the hypervisor's command line, NUL padded to 1024 bytes. */
Test(xen_version, commandline_for_dom0)
{
    uint64_t va = poisoned(XEN_COMMANDLINE_LEN);

    harness_set_current(dom0);
    cr_assert_eq(xen_version(XENVER_commandline, va), 0);
    assert_padded(va, XEN_COMMANDLINE_LEN, "console=com1 loglvl=debug");
}

/* A command line of 1024 characters or more is cut to 1023 and a NUL. */
Test(xen_version, commandline_is_truncated)
{
    static char line[1500];
    uint64_t va = poisoned(XEN_COMMANDLINE_LEN);

    memset(line, 'c', sizeof(line) - 1);
    harness.cmdline = line;
    harness_set_current(dom0);
    cr_assert_eq(xen_version(XENVER_commandline, va), 0);
    cr_assert_eq(strlen(guest_mem(va, 1)), XEN_COMMANDLINE_LEN - 1);
    cr_assert_eq(*((uint8_t *)guest_mem(va, 1025) + 1024), 0xee);
}

/* A domU is not refused but learns nothing: 0 and the string "<denied>" (as Xen 4.17). */
Test(xen_version, commandline_from_domu_is_denied)
{
    uint64_t va = poisoned(XEN_COMMANDLINE_LEN);

    cr_assert_eq(xen_version(XENVER_commandline, va), 0);
    cr_assert_str_eq(guest_mem(va, 9), "<denied>");
}

/* No build id is recorded. */
Test(xen_version, build_id_is_enodata)
{
    cr_assert_eq(xen_version(XENVER_build_id, guest_alloc(64)), -XEN_ENODATA);
}

/* Every sub-op with an argument refuses one the guest cannot write. */
Test(xen_version, unwritable_argument_is_efault)
{
    static const int cmds[] = {XENVER_extraversion, XENVER_compile_info,        XENVER_capabilities,
                               XENVER_changeset,    XENVER_platform_parameters, XENVER_get_features,
                               XENVER_guest_handle, XENVER_commandline};
    static const uint64_t bad[] = {0, 0x1000, HV_VIRT_START, HV_VIRT_END - 4, GUEST_BASE - 1};

    harness_set_current(dom0);
    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
        for (unsigned int j = 0; j < ARRAY_SIZE(bad); j++)
            cr_assert_eq(xen_version(cmds[i], bad[j]), -XEN_EFAULT, "cmd %d arg %#lx", cmds[i],
                         bad[j]);
}

/* Output running into an unmapped page half-way: -EFAULT. */
Test(xen_version, fault_half_way_is_efault)
{
    uint64_t page1 = GUEST_BASE + 4096;

    guest_unmap_page(page1);
    cr_assert_eq(xen_version(XENVER_capabilities, page1 - 512), -XEN_EFAULT);
    cr_assert_eq(xen_version(XENVER_extraversion, page1 - 8), -XEN_EFAULT);
    cr_assert_eq(xen_version(XENVER_compile_info, page1 - 100), -XEN_EFAULT);
}

/* Sub-ops that do not exist. */
Test(xen_version, unknown_cmd_is_enosys)
{
    static const int cmds[] = {11, 12, 0x100, -1};

    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
        cr_assert_eq(xen_version(cmds[i], guest_alloc(64)), -XEN_ENOSYS, "cmd %d", cmds[i]);
}
