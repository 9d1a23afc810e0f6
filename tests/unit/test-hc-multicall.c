/* SPDX-License-Identifier: MIT */
/* Unit tests for multicall (hypercalls/multicall.c). */
#include <criterion/criterion.h>
#include <public/sched.h>
#include <public/version.h>
#include <public/xen.h>
#include "harness/harness.h"

TestSuite(multicall, .init = harness_boot);

#define UNTOUCHED 0xeeeeeeeeeeeeeeeeULL /* result field before the call */

static struct multicall_entry entry(uint64_t op, uint64_t a0, uint64_t a1)
{
    return (struct multicall_entry){.op = op, .result = UNTOUCHED, .args = {a0, a1}};
}

static const struct multicall_entry *run(const struct multicall_entry *e, unsigned int n, long *rc)
{
    uint64_t list = guest_put(e, n * sizeof(*e));

    *rc = hc(__HYPERVISOR_multicall, list, n);
    return guest_mem(list, n * sizeof(*e));
}

/* Each entry's result is written back next to it; nothing else in the list changes. */
Test(multicall, results_written_per_entry)
{
    const struct multicall_entry in[] = {
        entry(__HYPERVISOR_xen_version, XENVER_version, 0),
        entry(__HYPERVISOR_xen_version, XENVER_pagesize, 0),
        entry(__HYPERVISOR_console_io, 99, 0),
        entry(__HYPERVISOR_sched_op, SCHEDOP_yield, 0),
    };
    static const long want[] = {0x40011, 4096, -XEN_ENOSYS, 0};
    const struct multicall_entry *out;
    long rc;

    out = run(in, ARRAY_SIZE(in), &rc);
    cr_assert_eq(rc, 0);
    for (unsigned int i = 0; i < ARRAY_SIZE(in); i++) {
        cr_assert_eq((long)out[i].result, want[i], "entry %u", i);
        cr_assert_eq(out[i].op, in[i].op);
        cr_assert_eq(memcmp(out[i].args, in[i].args, sizeof(in[i].args)), 0);
    }
    cr_assert_eq(harness.sched_requests, 1);
}

/* Numbers with no hypercall, including ones that only look valid in their low 32 bits. */
Test(multicall, unknown_op_result_is_enosys)
{
    const struct multicall_entry in[] = {
        entry(11, 0, 0),
        entry(64, 0, 0),
        entry((1ULL << 32) | __HYPERVISOR_xen_version, 0, 0),
        entry(~0ULL, 0, 0),
    };
    const struct multicall_entry *out;
    long rc;

    out = run(in, ARRAY_SIZE(in), &rc);
    cr_assert_eq(rc, 0);
    for (unsigned int i = 0; i < ARRAY_SIZE(in); i++)
        cr_assert_eq((long)out[i].result, -XEN_ENOSYS, "entry %u", i);
}

/* A multicall inside a multicall, or an iret, gets -EINVAL; the batch goes on. */
Test(multicall, nested_multicall_and_iret_are_einval)
{
    const struct multicall_entry inner = entry(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
    const struct multicall_entry in[] = {
        entry(__HYPERVISOR_multicall, guest_put(&inner, sizeof(inner)), 1),
        entry(__HYPERVISOR_iret, 0, 0),
        entry(__HYPERVISOR_xen_version, XENVER_version, 0),
    };
    const struct multicall_entry *out;
    long rc;

    out = run(in, ARRAY_SIZE(in), &rc);
    cr_assert_eq(rc, 0);
    cr_assert_eq((long)out[0].result, -XEN_EINVAL);
    cr_assert_eq((long)out[1].result, -XEN_EINVAL);
    cr_assert_eq((long)out[2].result, 0x40011);
    cr_assert_eq(harness.sched_requests, 0, "the nested batch ran");
}

/* A list the guest cannot read: -EFAULT. */
Test(multicall, unreadable_list_is_efault)
{
    static const uint64_t bad[] = {0, 0x1000, HV_VIRT_START, HV_VIRT_END - 64};

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
        cr_assert_eq(hc(__HYPERVISOR_multicall, bad[i], 1), -XEN_EFAULT, "list %#lx", bad[i]);
}

/* A list running into an unmapped page: -EFAULT after the entries before it ran. */
Test(multicall, fault_half_way_is_efault)
{
    const struct multicall_entry in[] = {entry(__HYPERVISOR_sched_op, SCHEDOP_yield, 0),
                                         entry(__HYPERVISOR_sched_op, SCHEDOP_yield, 0)};
    uint64_t page1 = GUEST_BASE + 4096, list = page1 - sizeof(in);

    memcpy(guest_mem(list, sizeof(in)), in, sizeof(in));
    guest_unmap_page(page1);
    cr_assert_eq(hc(__HYPERVISOR_multicall, list, 3), -XEN_EFAULT);
    cr_assert_eq(harness.sched_requests, 2);
    cr_assert_eq(((struct multicall_entry *)guest_mem(list, sizeof(in)))[1].result, 0);
}

/* An entry that shuts the domain down ends the batch: later entries do not run. */
Test(multicall, shutdown_stops_the_batch)
{
    const struct sched_shutdown s = {.reason = SHUTDOWN_poweroff};
    const struct multicall_entry in[] = {
        entry(__HYPERVISOR_sched_op, SCHEDOP_yield, 0),
        entry(__HYPERVISOR_sched_op, SCHEDOP_shutdown, guest_put(&s, sizeof(s))),
        entry(__HYPERVISOR_sched_op, SCHEDOP_yield, 0),
    };
    const struct multicall_entry *out;
    long rc;

    out = run(in, ARRAY_SIZE(in), &rc);
    cr_assert_eq(rc, 0);
    cr_assert_eq(out[1].result, 0);
    cr_assert_eq(out[2].result, UNTOUCHED);
    cr_assert_eq(harness.sched_requests, 1);
    cr_assert_eq(domu->state, DOM_SHUTDOWN);
}

/* An empty batch does nothing, whatever the list pointer. */
Test(multicall, empty_batch)
{
    cr_assert_eq(hc(__HYPERVISOR_multicall, HV_VIRT_START, 0), 0);
}
