/* SPDX-License-Identifier: MIT */
/* Unit tests for sched_op and sched_op_compat (hypercalls/sched.c). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/xen.h>
#include "harness/harness.h"

TestSuite(sched_op, .init = harness_boot);

static long sched_op(int cmd, const void *arg, size_t len)
{
    return hc(__HYPERVISOR_sched_op, (uint64_t)cmd, arg ? guest_put(arg, len) : 0);
}

/* yield asks the scheduler for a switch and returns. */
Test(sched_op, yield_requests_a_reschedule)
{
    cr_assert_eq(sched_op(SCHEDOP_yield, NULL, 0), 0);
    cr_assert_eq(harness.sched_requests, 1);
    cr_assert_eq(harness.blocks + harness.block_enable_events, 0);
}

/* block goes to the scheduler's "enable events and block" step. */
Test(sched_op, block_blocks_with_events_enabled)
{
    cr_assert_eq(sched_op(SCHEDOP_block, NULL, 0), 0);
    cr_assert_eq(harness.block_enable_events, 1);
}

/* Commands xen-lite does not implement (watchdog, pin_override) or that do not exist. */
Test(sched_op, unknown_cmd_is_enosys)
{
    static const int cmds[] = {SCHEDOP_watchdog, SCHEDOP_pin_override, 8, 100, -1};

    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
        cr_assert_eq(hc(__HYPERVISOR_sched_op, (uint64_t)cmds[i], 0), -XEN_ENOSYS, "cmd %d",
                     cmds[i]);
}

/* Every command that takes a struct refuses one it cannot read. */
Test(sched_op, unreadable_argument_is_efault)
{
    static const int cmds[] = {SCHEDOP_shutdown, SCHEDOP_poll, SCHEDOP_shutdown_code};
    static const uint64_t bad[] = {0, 0x1000, HV_VIRT_START, GUEST_BASE - 2};

    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
        for (unsigned int j = 0; j < ARRAY_SIZE(bad); j++)
            cr_assert_eq(hc(__HYPERVISOR_sched_op, cmds[i], bad[j]), -XEN_EFAULT, "cmd %d arg %#lx",
                         cmds[i], bad[j]);
    cr_assert_eq(domu->state, DOM_RUNNING);
}

/* ---- shutdown ---- */

static uint32_t reasons[] = {SHUTDOWN_poweroff, SHUTDOWN_reboot,   SHUTDOWN_suspend,
                             SHUTDOWN_crash,    SHUTDOWN_watchdog, SHUTDOWN_soft_reset};

ParameterizedTestParameters(sched_op, shutdown_accepts_reason)
{
    return cr_make_param_array(uint32_t, reasons, ARRAY_SIZE(reasons));
}

/* Every SHUTDOWN_* reason shuts the caller down with that reason; its vCPU goes offline. */
ParameterizedTest(uint32_t *reason, sched_op, shutdown_accepts_reason)
{
    struct sched_shutdown s = {.reason = *reason};

    cr_assert_eq(sched_op(SCHEDOP_shutdown, &s, sizeof(s)), 0);
    cr_assert_eq(domu->state, DOM_SHUTDOWN);
    cr_assert_eq(domu->shutdown_reason, *reason);
    cr_assert_eq(domu->vcpus[0]->state, VCPU_OFFLINE);
    cr_assert_eq(dom0->state, DOM_RUNNING);
}

/* Reasons past SHUTDOWN_MAX are refused and nothing happens. */
Test(sched_op, shutdown_bad_reason_is_einval)
{
    static const uint32_t bad[] = {SHUTDOWN_MAX + 1, 255, 256, 0x80000000, 0xffffffff};

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        struct sched_shutdown s = {.reason = bad[i]};

        cr_assert_eq(sched_op(SCHEDOP_shutdown, &s, sizeof(s)), -XEN_EINVAL, "%u", bad[i]);
        cr_assert_eq(sched_op(SCHEDOP_shutdown_code, &s, sizeof(s)), -XEN_EINVAL, "%u", bad[i]);
    }
    cr_assert_eq(domu->state, DOM_RUNNING);
    cr_assert_eq(harness.offlines, 0);
}

/* dom0 shutting down ends the machine with the reason as exit value. */
Test(sched_op, dom0_shutdown_halts_the_machine)
{
    struct sched_shutdown s = {.reason = SHUTDOWN_reboot};

    harness_set_current(dom0);
    cr_assert_eq(sched_op(SCHEDOP_shutdown, &s, sizeof(s)), HC_NO_RETURN);
    cr_assert(strstr(harness.escape, "machine halt"), "%s", harness.escape);
    cr_assert_eq(harness.halt_value, SHUTDOWN_reboot);
}

/* shutdown_code only checks the reason: the domain keeps running. */
Test(sched_op, shutdown_code_does_not_shut_down)
{
    struct sched_shutdown s = {.reason = SHUTDOWN_suspend};

    cr_assert_eq(sched_op(SCHEDOP_shutdown_code, &s, sizeof(s)), 0);
    cr_assert_eq(domu->state, DOM_RUNNING);
}

/* ---- poll ---- */

static long poll(uint64_t ports, uint32_t nr_ports, uint64_t timeout)
{
    struct sched_poll p = {.ports = ports, .nr_ports = nr_ports, .timeout = timeout};

    return sched_op(SCHEDOP_poll, &p, sizeof(p));
}

static uint64_t port_list(const uint32_t *ports, unsigned int n)
{
    return guest_put(ports, n * sizeof(*ports));
}

/* More than 128 ports: -EINVAL before the list is read (it is not even readable here). */
Test(sched_op, poll_too_many_ports_is_einval)
{
    cr_assert_eq(poll(0x1000, 129, 0), -XEN_EINVAL);
    cr_assert_eq(poll(0x1000, 0xffffffff, 0), -XEN_EINVAL);
    cr_assert_eq(harness.blocks, 0);
}

/* 128 ports is the limit, and allowed. */
Test(sched_op, poll_128_ports_is_fine)
{
    uint32_t ports[128] = {0};

    cr_assert_eq(poll(port_list(ports, 128), 128, 0), 0);
    cr_assert_eq(harness.blocks, 1);
}

/* A port number past the 2-level ABI's 4096 channels: -EINVAL, wherever in the list. */
Test(sched_op, poll_bad_port_is_einval)
{
    static const uint32_t bad[] = {EVTCHN_2L_NR_CHANNELS, 4097, 0x10000, 0xffffffff};

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        const uint32_t ports[] = {1, 4095, bad[i]};

        cr_assert_eq(poll(port_list(ports, 3), 3, 0), -XEN_EINVAL, "port %u", bad[i]);
    }
    cr_assert_eq(harness.blocks, 0);
}

/* A port list the guest cannot read, wholly or from half-way: -EFAULT. */
Test(sched_op, poll_unreadable_ports_is_efault)
{
    uint64_t page1 = GUEST_BASE + 4096;

    guest_unmap_page(page1);
    cr_assert_eq(poll(HV_VIRT_START, 1, 0), -XEN_EFAULT);
    cr_assert_eq(poll(0x1000, 1, 0), -XEN_EFAULT);
    cr_assert_eq(poll(page1 - 8, 3, 0), -XEN_EFAULT); /* two ports readable, the third not */
    cr_assert_eq(harness.blocks, 0);
}

/* A port already pending in shared_info: returns at once. */
Test(sched_op, poll_pending_port_does_not_block)
{
    const uint32_t ports[] = {3, 200, 4095};

    domu->shared_info->evtchn_pending[4095 / 64] = 1ULL << (4095 % 64);
    cr_assert_eq(poll(port_list(ports, 3), 3, 0), 0);
    cr_assert_eq(harness.blocks, 0);
}

/* Pending bits of ports not in the list do not count. */
Test(sched_op, poll_other_pending_port_blocks)
{
    const uint32_t ports[] = {3};

    domu->shared_info->evtchn_pending[0] = 1ULL << 4;
    cr_assert_eq(poll(port_list(ports, 1), 1, 0), 0);
    cr_assert_eq(harness.blocks, 1);
}

/* A deadline already reached: returns at once. */
Test(sched_op, poll_past_timeout_does_not_block)
{
    const uint32_t ports[] = {3};

    cr_assert_eq(poll(port_list(ports, 1), 1, harness.now_ns - 1), 0);
    cr_assert_eq(poll(port_list(ports, 1), 1, harness.now_ns), 0);
    cr_assert_eq(poll(port_list(ports, 1), 1, 1), 0);
    cr_assert_eq(harness.blocks, 0);
}

/* A future deadline: the vCPU blocks with it as its wake-up time. */
Test(sched_op, poll_future_timeout_blocks_until_it)
{
    const uint32_t ports[] = {3};

    cr_assert_eq(poll(port_list(ports, 1), 1, harness.now_ns + 5000), 0);
    cr_assert_eq(harness.blocks, 1);
    cr_assert_eq(current->poll_deadline_ns, harness.now_ns + 5000);
}

/* ---- remote_shutdown ---- */

static long remote_shutdown(uint16_t domid, uint32_t reason)
{
    struct sched_remote_shutdown rs = {.domain_id = domid, .reason = reason};

    return sched_op(SCHEDOP_remote_shutdown, &rs, sizeof(rs));
}

/* From a domU: -EPERM, even for itself, and before the argument is read. */
Test(sched_op, remote_shutdown_from_domu_is_eperm)
{
    cr_assert_eq(remote_shutdown(0, SHUTDOWN_poweroff), -XEN_EPERM);
    cr_assert_eq(remote_shutdown(1, SHUTDOWN_poweroff), -XEN_EPERM);
    cr_assert_eq(hc(__HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, 0x1000), -XEN_EPERM);
    cr_assert_eq(domu->state, DOM_RUNNING);
    cr_assert_eq(dom0->state, DOM_RUNNING);
}

/* From dom0: a domain id nobody has is -ESRCH. */
Test(sched_op, remote_shutdown_unknown_domid_is_esrch)
{
    static const uint16_t bad[] = {2,        MAX_DOMAINS - 1, MAX_DOMAINS,
                                   DOMID_IO, DOMID_INVALID,   0xffff};

    harness_set_current(dom0);
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
        cr_assert_eq(remote_shutdown(bad[i], SHUTDOWN_poweroff), -XEN_ESRCH, "domid %#x", bad[i]);
}

/* From dom0: a bad reason or argument is refused; a good one shuts the target down. */
Test(sched_op, remote_shutdown_from_dom0)
{
    harness_set_current(dom0);
    cr_assert_eq(remote_shutdown(1, SHUTDOWN_MAX + 1), -XEN_EINVAL);
    cr_assert_eq(hc(__HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, HV_VIRT_START), -XEN_EFAULT);
    cr_assert_eq(domu->state, DOM_RUNNING);
    cr_assert_eq(remote_shutdown(1, SHUTDOWN_crash), 0);
    cr_assert_eq(domu->state, DOM_SHUTDOWN);
    cr_assert_eq(domu->shutdown_reason, SHUTDOWN_crash);
    cr_assert_eq(dom0->state, DOM_RUNNING);
}

/* ---- sched_op_compat: the reason is the argument itself ---- */

TestSuite(sched_op_compat, .init = harness_boot);

/* yield and block behave as in sched_op. */
Test(sched_op_compat, yield_and_block)
{
    cr_assert_eq(hc(__HYPERVISOR_sched_op_compat, SCHEDOP_yield), 0);
    cr_assert_eq(hc(__HYPERVISOR_sched_op_compat, SCHEDOP_block), 0);
    cr_assert_eq(harness.sched_requests, 1);
    cr_assert_eq(harness.block_enable_events, 1);
}

/* shutdown with a direct reason; past SHUTDOWN_MAX is -EINVAL. */
Test(sched_op_compat, shutdown)
{
    cr_assert_eq(hc(__HYPERVISOR_sched_op_compat, SCHEDOP_shutdown, 6), -XEN_EINVAL);
    cr_assert_eq(hc(__HYPERVISOR_sched_op_compat, SCHEDOP_shutdown, 0xffffffff), -XEN_EINVAL);
    cr_assert_eq(domu->state, DOM_RUNNING);
    cr_assert_eq(hc(__HYPERVISOR_sched_op_compat, SCHEDOP_shutdown, SHUTDOWN_suspend), 0);
    cr_assert_eq(domu->shutdown_reason, SHUTDOWN_suspend);
}

/* Only yield, block and shutdown exist in the old form. */
Test(sched_op_compat, other_cmds_are_enosys)
{
    static const int cmds[] = {SCHEDOP_poll, SCHEDOP_remote_shutdown, SCHEDOP_shutdown_code, -1};

    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
        cr_assert_eq(hc(__HYPERVISOR_sched_op_compat, (uint64_t)cmds[i], 0), -XEN_ENOSYS);
}
