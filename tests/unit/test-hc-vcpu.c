/* SPDX-License-Identifier: MIT */
/* Unit tests for vcpu_op (hypercalls/vcpu.c). */
#include <criterion/criterion.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include "harness/harness.h"

TestSuite(vcpu_op, .init = harness_boot);

/* is_up: 1 for a vCPU that runs, 0 once it is offline. */
Test(vcpu_op, is_up)
{
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 0), 1);
    domu->vcpus[0]->state = VCPU_OFFLINE;
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 0), 0);
}

/* A vCPU the domain does not have: -ENOENT whatever the command (as in Xen).  The id is
 * 32 bits (unsigned int in Xen), so 1 << 32 names vCPU 0. */
Test(vcpu_op, missing_vcpu_is_enoent)
{
    static const uint64_t ids[] = {1, MAX_VCPUS_PER_DOM, 31, 32, 0x7fffffff, 0xffffffff};
    static const int64_t cmds[] = {VCPUOP_initialise,           VCPUOP_up, VCPUOP_is_up,
                                   VCPUOP_set_singleshot_timer, 100,       -1};

    for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++)
        for (unsigned int j = 0; j < ARRAY_SIZE(cmds); j++)
            cr_assert_eq(hc(__HYPERVISOR_vcpu_op, cmds[j], ids[i], guest_alloc(64)), -XEN_ENOENT,
                         "cmd %ld vcpu %lu", cmds[j], ids[i]);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 1ULL << 32), 1);
}

/* Commands not implemented yet, for a vCPU that exists: -ENOSYS. */
Test(vcpu_op, other_cmds_are_enosys)
{
    static const int64_t cmds[] = {VCPUOP_initialise,        VCPUOP_up, VCPUOP_down,
                                   VCPUOP_get_runstate_info, 100,       -1};

    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
        cr_assert_eq(hc(__HYPERVISOR_vcpu_op, cmds[i], 0, guest_alloc(64)), -XEN_ENOSYS, "cmd %ld",
                     cmds[i]);
}
