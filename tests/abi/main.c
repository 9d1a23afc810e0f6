/* SPDX-License-Identifier: MIT */
/* ABI layout test: include/public must match Xen's public headers exactly. */

/*
 * xen-side.c measures sizes, offsets and constants with Xen's headers,
 * xl-side.c measures the same names with ours; the two never share a
 * translation unit. Here every item must exist on both sides with the same
 * value. A failure names the item, e.g.
 *   offsetof(struct start_info, nr_pages): xen-lite 40, Xen 32
 */
#include <criterion/criterion.h>
#include <string.h>

#include <public/errno.h>

#include "abi-item.h"

static const struct abi_item *find(const struct abi_item *items, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].name, name) == 0)
            return &items[i];
    return NULL;
}

/* Compare one item against its counterpart; returns false on mismatch. */
static bool same_item(const struct abi_item *ours, const struct abi_item *xen)
{
    if (ours->str || xen->str)
        return ours->str && xen->str && strcmp(ours->str, xen->str) == 0;
    return ours->value == xen->value;
}

static void expect_unique(const struct abi_item *items, size_t n, const char *side)
{
    for (size_t i = 0; i < n; i++)
        cr_expect(find(items, i, items[i].name) == NULL, "%s: item listed twice on the %s side",
                  items[i].name, side);
}

Test(abi, tables_are_sane)
{
    cr_assert(xl_nitems > 500, "only %zu xen-lite items", xl_nitems);
    cr_assert(xen_nitems > 500, "only %zu Xen items", xen_nitems);
    expect_unique(xl_items, xl_nitems, "xen-lite");
    expect_unique(xen_items, xen_nitems, "Xen");
}

/* Every item we define must exist in Xen with the same value. */
Test(abi, ours_match_xen)
{
    for (size_t i = 0; i < xl_nitems; i++) {
        const struct abi_item *ours = &xl_items[i];
        const struct abi_item *xen = find(xen_items, xen_nitems, ours->name);

        cr_expect(xen != NULL, "%s: defined by xen-lite but not by Xen", ours->name);
        if (!xen)
            continue;
        if (ours->str || xen->str)
            cr_expect(same_item(ours, xen), "%s: xen-lite \"%s\", Xen \"%s\"", ours->name,
                      ours->str ? ours->str : "(int)", xen->str ? xen->str : "(int)");
        else
            cr_expect(same_item(ours, xen), "%s: xen-lite %lld (%#llx), Xen %lld (%#llx)",
                      ours->name, ours->value, (unsigned long long)ours->value, xen->value,
                      (unsigned long long)xen->value);
    }
}

/* Every item Xen defines (hypercalls, errnos) must exist on our side too. */
Test(abi, xen_items_all_covered)
{
    for (size_t i = 0; i < xen_nitems; i++)
        cr_expect(find(xl_items, xl_nitems, xen_items[i].name) != NULL,
                  "%s: defined by Xen (= %lld) but missing in xen-lite", xen_items[i].name,
                  xen_items[i].value);
}

/* Same xenstore error strings, in the same order. */
Test(abi, xenstore_error_table)
{
    size_t i = 0;

    for (;; i++) {
        const char *ours = xl_xs_error_name(i);
        const char *xen = xen_xs_error_name(i);

        if (!ours && !xen)
            break;
        cr_expect(ours && xen && strcmp(ours, xen) == 0, "xsd_errors[%zu]: xen-lite %s, Xen %s", i,
                  ours ? ours : "(end)", xen ? xen : "(end)");
        if (!ours || !xen)
            break;
    }
    cr_expect(i >= 16, "only %zu xenstore errors", i);
}

/* xen_errno_name() accepts both signs, prefers the first alias. */
Test(abi, errno_names)
{
    cr_expect_str_eq(xen_errno_name(XEN_EPERM), "EPERM");
    cr_expect_str_eq(xen_errno_name(-XEN_ENOSYS), "ENOSYS");
    cr_expect_str_eq(xen_errno_name(11), "EAGAIN");
    cr_expect_str_eq(xen_errno_name(35), "EDEADLK");
    cr_expect_str_eq(xen_errno_name(0), "E?");
    cr_expect_str_eq(xen_errno_name(-9999), "E?");
}
