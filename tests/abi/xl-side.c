/* SPDX-License-Identifier: MIT */
/* ABI layout test: the values measured against xen-lite's include/public. */

/* Never include anything from Xen's <xen/...> headers here. */
#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>
#include <public/callback.h>
#include <public/elfnote.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/features.h>
#include <public/grant_table.h>
#include <public/hypercall-list.h>
#include <public/memory.h>
#include <public/physdev.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/io/console.h>
#include <public/io/xs_wire.h>

#include "abi-item.h"

#define MEMBER_SIZE(type, f) sizeof(((type *)0)->f)

#define SIZE(s)       {"sizeof(struct " #s ")", (long long)sizeof(struct s), NULL},
#define SIZE2(xs, ls) SIZE(ls)
#define OFFSET(s, f)  {"offsetof(struct " #s ", " #f ")", (long long)offsetof(struct s, f), NULL},
#define FIELD(s, f)                                                                                \
    OFFSET(s, f){"sizeof(struct " #s "." #f ")", (long long)MEMBER_SIZE(struct s, f), NULL},
#define FIELD2(xs, ls, f) FIELD(ls, f)
#define CONST(c)          {#c, (long long)(c), NULL},
#define STR(c)            {#c, 0, c},

/* Hypercalls from the one list, plus the per-arch slots. */
#define HC_ITEM(nr, name, nargs) {"__HYPERVISOR_" #name, (long long)__HYPERVISOR_##name, NULL},
#define ERRNO_ITEM(name, value)  {#name, (long long)XEN_##name, NULL},

const struct abi_item xl_items[] = {
#include "abi-items.h"

    XL_HYPERCALLS(HC_ITEM) CONST(__HYPERVISOR_arch_0) CONST(__HYPERVISOR_arch_1)
        CONST(__HYPERVISOR_arch_2) CONST(__HYPERVISOR_arch_3) CONST(__HYPERVISOR_arch_4)
            CONST(__HYPERVISOR_arch_5) CONST(__HYPERVISOR_arch_6) CONST(__HYPERVISOR_arch_7)

                XL_ERRNO(ERRNO_ITEM)};

const size_t xl_nitems = sizeof(xl_items) / sizeof(xl_items[0]);

#define XS_ERR_NAME(name) #name,
static const char *const xs_error_names[] = {XL_XS_ERRORS(XS_ERR_NAME)};

const char *xl_xs_error_name(size_t i)
{
    if (i >= sizeof(xs_error_names) / sizeof(xs_error_names[0]))
        return NULL;
    return xs_error_names[i];
}
