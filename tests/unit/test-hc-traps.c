/* SPDX-License-Identifier: MIT */
/* Unit tests for trap and callback registration (hypercalls/traps.c). */
#include <criterion/criterion.h>
#include <public/callback.h>
#include <public/xen.h>
#include "harness/harness.h"

#define NONCANONICAL 0x0000800000000000ULL /* first address past the lower half */

/* ---- set_trap_table ---- */

TestSuite(set_trap_table, .init = harness_boot);

static long set_trap_table(uint64_t list)
{
    return hc(__HYPERVISOR_set_trap_table, list);
}

/* NULL clears every entry. */
Test(set_trap_table, null_clears_all)
{
    for (unsigned int i = 0; i < 256; i++)
        current->traps[i] = (struct guest_trap){.address = 0x1000 + i, .dpl = 3};
    cr_assert_eq(set_trap_table(0), 0);
    for (unsigned int i = 0; i < 256; i++)
        cr_assert_eq(current->traps[i].address, 0, "vector %u", i);
}

/* Entries land under their vector with flags bits 0-1 as DPL and bit 2 as "mask events";
 * vectors the list does not name keep what they had. */
Test(set_trap_table, installs_entries)
{
    static const struct trap_info list[] = {
        {.vector = 3, .flags = 3, .address = 0xffffffff80001003},    /* int3 from user */
        {.vector = 14, .flags = 4, .address = 0xffffffff8000100e},   /* #PF, events masked */
        {.vector = 0x80, .flags = 7, .address = 0xffffffff80001080}, /* both */
        {.vector = 255, .flags = 1, .address = 0x0000000000401000},  /* lower half is fine */
        {.vector = 0xf8, .flags = 0xf8, .address = 0x7ffffffff000},  /* high flag bits ignored */
        {0},
    };

    current->traps[5].address = 0x5555;
    cr_assert_eq(set_trap_table(guest_put(list, sizeof(list))), 0);
    for (unsigned int i = 0; i < ARRAY_SIZE(list) - 1; i++) {
        const struct guest_trap *t = &current->traps[list[i].vector];

        cr_assert_eq(t->address, list[i].address, "vector %u", list[i].vector);
        cr_assert_eq(t->dpl, list[i].flags & 3, "vector %u", list[i].vector);
        cr_assert_eq(t->mask_events, (list[i].flags & 4) != 0, "vector %u", list[i].vector);
    }
    cr_assert_eq(current->traps[5].address, 0x5555);
}

/* The first entry with address 0 ends the list: later ones are not read. */
Test(set_trap_table, stops_at_terminator)
{
    static const struct trap_info list[] = {
        {.vector = 1, .address = 0x1000},
        {.vector = 2, .address = 0},
        {.vector = 4, .address = NONCANONICAL}, /* would be -EINVAL if it were read */
    };

    cr_assert_eq(set_trap_table(guest_put(list, sizeof(list))), 0);
    cr_assert_eq(current->traps[1].address, 0x1000);
    cr_assert_eq(current->traps[4].address, 0);
}

/* Non-canonical handlers are refused; as in Xen, entries before the bad one stay applied. */
Test(set_trap_table, noncanonical_is_einval)
{
    static const uint64_t bad[] = {NONCANONICAL, 0x8000000000000000, 0xffff7fffffffffff};

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        const struct trap_info list[] = {
            {.vector = 6, .address = 0x6000},
            {.vector = 7, .address = bad[i]},
            {0},
        };

        current->traps[7].address = 0;
        cr_assert_eq(set_trap_table(guest_put(list, sizeof(list))), -XEN_EINVAL, "%#lx", bad[i]);
        cr_assert_eq(current->traps[6].address, 0x6000);
        cr_assert_eq(current->traps[7].address, 0, "%#lx installed", bad[i]);
    }
}

/* A list the guest cannot read: in the hypervisor's range, unmapped, non-canonical. */
Test(set_trap_table, unreadable_list_is_efault)
{
    static const uint64_t bad[] = {
        HV_VIRT_START, HV_VIRT_START + 0x1000, DIRECTMAP_VIRT_START, HV_VIRT_END - 16, 0x1000,
        NONCANONICAL};

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
        cr_assert_eq(set_trap_table(bad[i]), -XEN_EFAULT, "%#lx", bad[i]);
}

/* A list running into an unmapped page: -EFAULT, and (as in Xen) the entries read before
 * the fault are applied; an entry straddling the fault is not. */
Test(set_trap_table, fault_half_way_keeps_earlier_entries)
{
    const struct trap_info two[] = {{.vector = 10, .address = 0xa000},
                                    {.vector = 11, .address = 0xb000}};
    uint64_t page1 = GUEST_BASE + 4096;

    guest_unmap_page(page1);
    memcpy(guest_mem(page1 - sizeof(two), sizeof(two)), two, sizeof(two));
    cr_assert_eq(set_trap_table(page1 - sizeof(two)), -XEN_EFAULT);
    cr_assert_eq(current->traps[10].address, 0xa000);
    cr_assert_eq(current->traps[11].address, 0xb000);

    memcpy(guest_mem(page1 - 8, 8), &two[0], 8); /* vector 10's first half only */
    current->traps[10].address = 0;
    cr_assert_eq(set_trap_table(page1 - 8), -XEN_EFAULT);
    cr_assert_eq(current->traps[10].address, 0);
}

/* ---- callback_op ---- */

TestSuite(callback_op, .init = harness_boot);

static long cb_register(uint32_t type, uint32_t flags, uint64_t address)
{
    struct callback_register cb = {.type = type, .flags = flags, .address = address};

    return hc(__HYPERVISOR_callback_op, CALLBACKOP_register, guest_put(&cb, sizeof(cb)));
}

static long cb_unregister(uint32_t type)
{
    struct callback_unregister cb = {.type = type};

    return hc(__HYPERVISOR_callback_op, CALLBACKOP_unregister, guest_put(&cb, sizeof(cb)));
}

static struct guest_callback *slot(unsigned int type)
{
    struct vcpu *v = current;

    switch (type) {
    case CALLBACKTYPE_event:
        return &v->cb_event;
    case CALLBACKTYPE_failsafe:
        return &v->cb_failsafe;
    case CALLBACKTYPE_syscall:
        return &v->cb_syscall;
    case CALLBACKTYPE_syscall32:
        return &v->cb_syscall32;
    case CALLBACKTYPE_sysenter:
        return &v->cb_sysenter;
    default:
        return &v->cb_nmi;
    }
}

static const uint32_t all_types[] = {CALLBACKTYPE_event,    CALLBACKTYPE_failsafe,
                                     CALLBACKTYPE_syscall,  CALLBACKTYPE_syscall32,
                                     CALLBACKTYPE_sysenter, CALLBACKTYPE_nmi};

/* Every type lands in its own slot, with CALLBACKF_mask_events as given. */
Test(callback_op, registers_every_type)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(all_types); i++) {
        uint64_t a = 0xffffffff80002000 + i * 16;

        cr_assert_eq(cb_register(all_types[i], CALLBACKF_mask_events, a), 0, "type %u",
                     all_types[i]);
        cr_assert_eq(slot(all_types[i])->address, a, "type %u", all_types[i]);
        cr_assert(slot(all_types[i])->mask_events, "type %u", all_types[i]);
        cr_assert_eq(cb_register(all_types[i], 0, a + 8), 0);
        cr_assert_eq(slot(all_types[i])->address, a + 8, "type %u", all_types[i]);
        cr_assert_not(slot(all_types[i])->mask_events, "type %u", all_types[i]);
    }
}

/* Types xen-lite does not know (3 is the old sysenter number, 6 Xen's sfmask): -ENOSYS. */
Test(callback_op, unknown_type_is_enosys)
{
    static const uint32_t bad[] = {CALLBACKTYPE_sysenter_deprecated, 6, 8, 0xffffffff};

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        cr_assert_eq(cb_register(bad[i], 0, 0x1000), -XEN_ENOSYS, "type %u", bad[i]);
        cr_assert_eq(cb_unregister(bad[i]), -XEN_ENOSYS, "type %u", bad[i]);
    }
}

/* Commands other than register/unregister: -ENOSYS (the argument is not even read). */
Test(callback_op, unknown_cmd_is_enosys)
{
    static const int64_t cmds[] = {2, 3, -1, 0x7fffffff};

    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
        cr_assert_eq(hc(__HYPERVISOR_callback_op, cmds[i], 0), -XEN_ENOSYS, "cmd %ld", cmds[i]);
}

/* A non-canonical entry point is refused and the slot keeps its old value. */
Test(callback_op, noncanonical_is_einval)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(all_types); i++) {
        slot(all_types[i])->address = 0x1234;
        cr_assert_eq(cb_register(all_types[i], 0, NONCANONICAL), -XEN_EINVAL);
        cr_assert_eq(cb_register(all_types[i], 0, 0xffff000000000000), -XEN_EINVAL);
        cr_assert_eq(slot(all_types[i])->address, 0x1234, "type %u", all_types[i]);
    }
}

/* The argument struct must be readable, for both commands. */
Test(callback_op, unreadable_argument_is_efault)
{
    static const uint64_t bad[] = {0, 0x1000, HV_VIRT_START, NONCANONICAL, GUEST_BASE - 4};

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        cr_assert_eq(hc(__HYPERVISOR_callback_op, CALLBACKOP_register, bad[i]), -XEN_EFAULT);
        cr_assert_eq(hc(__HYPERVISOR_callback_op, CALLBACKOP_unregister, bad[i]), -XEN_EFAULT);
    }
}

/* As in Xen only the NMI callback can be removed; the others can only be replaced. */
Test(callback_op, only_nmi_unregisters)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(all_types); i++)
        cr_assert_eq(cb_register(all_types[i], 0, 0x1000 + i), 0);
    for (unsigned int i = 0; i < ARRAY_SIZE(all_types); i++) {
        bool nmi = all_types[i] == CALLBACKTYPE_nmi;

        cr_assert_eq(cb_unregister(all_types[i]), nmi ? 0 : -XEN_EINVAL, "type %u", all_types[i]);
        cr_assert_eq(slot(all_types[i])->address, nmi ? 0 : 0x1000 + i, "type %u", all_types[i]);
    }
}

/* ---- set_callbacks (the legacy form) ---- */

TestSuite(set_callbacks, .init = harness_boot);

/* event, failsafe and syscall entry points in one call. */
Test(set_callbacks, installs_three)
{
    cr_assert_eq(hc(__HYPERVISOR_set_callbacks, 0x1000, 0x2000, 0x3000), 0);
    cr_assert_eq(current->cb_event.address, 0x1000);
    cr_assert_eq(current->cb_failsafe.address, 0x2000);
    cr_assert_eq(current->cb_syscall.address, 0x3000);
}

/*
 * Xen-incompatible (see the test report): Xen's set_callbacks registers each canonical
 * address, skips the others and returns 0, and registers the syscall callback with flags 0
 * (events NOT masked); xen-lite returns -EINVAL and installs nothing, and masks events.
 */
Test(set_callbacks, xen_compat_skips_bad_and_returns_0)
{
    cr_assert_eq(hc(__HYPERVISOR_set_callbacks, 0x1000, NONCANONICAL, 0x3000), 0);
    cr_assert_eq(current->cb_event.address, 0x1000);
    cr_assert_eq(current->cb_syscall.address, 0x3000);
    cr_assert_not(current->cb_syscall.mask_events);
}

/* ---- stack_switch ---- */

TestSuite(stack_switch, .init = harness_boot);

/* The stack selector's RPL is forced to 3 (the guest kernel runs in ring 3). */
Test(stack_switch, forces_rpl3)
{
    cr_assert_eq(hc(__HYPERVISOR_stack_switch, FLAT_KERNEL_SS & ~3, 0xffffffff80008000), 0);
    cr_assert_eq(current->kernel_ss, FLAT_KERNEL_SS);
    cr_assert_eq(current->kernel_sp, 0xffffffff80008000);
}
