/* SPDX-License-Identifier: MIT */
/* ABI layout test: the item tables each side exports. */
#ifndef XEN_LITE_TESTS_ABI_ITEM_H
#define XEN_LITE_TESTS_ABI_ITEM_H

#include <stddef.h>

/*
 * One measured fact: a struct size, a field offset or size, or a constant.
 * `name` is the same string on both sides, e.g. "sizeof(struct start_info)",
 * "offsetof(struct start_info, nr_pages)", "SCHEDOP_poll", "EPERM".
 * String constants have `str` set and `value` 0.
 */
struct abi_item {
    const char *name;
    long long value;
    const char *str;
};

/* Built against Xen's headers (xen-side.c). */
extern const struct abi_item xen_items[];
extern const size_t xen_nitems;

/* Built against include/public (xl-side.c). */
extern const struct abi_item xl_items[];
extern const size_t xl_nitems;

/*
 * Name of the i-th xenstore error string in each side's table, or NULL past
 * the end. (Xen keeps them in an array of structs, which cannot feed a
 * static initialiser, hence functions.)
 */
const char *xen_xs_error_name(size_t i);
const char *xl_xs_error_name(size_t i);

#endif /* XEN_LITE_TESTS_ABI_ITEM_H */
