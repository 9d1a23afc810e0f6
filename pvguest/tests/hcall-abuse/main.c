/* SPDX-License-Identifier: MIT */
/*
 * hcall-abuse: bad hypercalls get Xen's error codes and hurt nobody.
 *
 * A guest can pass anything in the hypercall registers; the hypervisor must answer with
 * the errno Xen gives (guests and tools key off the exact values) and carry on. Every
 * expectation below is what Xen's own source does (pv/hypercall.c, pv/callback.c,
 * common/multicall.c, common/kernel.c, x86/mm.c, x86_64/mm.c):
 *  - unassigned numbers through the hypercall page (11, 38, 45, 55, 63, 64, 127) and with a
 *    raw `syscall` (128, 1000, 0xffffffff, ~0): -ENOSYS; Xen compares all 64 bits of rax,
 *    so 0x100000011 is not xen_version (17) but -ENOSYS too;
 *  - pointers into the hypervisor's range (the M2P at 0xFFFF800000000000 is readable by
 *    guests, but still not a valid hypercall argument; 0xFFFF830000001000) or unmapped
 *    (0x1000) as set_trap_table's list, console_io's buffer, xen_version's output,
 *    multicall's list, callback_op's argument, mmuext_op's list and sched_op
 *    shutdown's argument: -EFAULT (and the domain is not shut down); event channels are
 *    checked by their own tests once they exist;
 *  - unknown sub-commands: sched_op, callback_op, xen_version, console_io,
 *    event_channel_op: -ENOSYS; callback_op register of an unknown type: -ENOSYS;
 *    vm_assist with a bad command: -ENOSYS, with a bad type: -EINVAL;
 *  - bad values: a non-canonical callback or trap-table address, unregistering the event
 *    callback, set_segment_base with an unknown selector or a non-canonical FS base,
 *    update_va_mapping of a hypervisor or unmapped address: -EINVAL; vcpu_op on vCPU 1000:
 *    -ENOENT;
 *  - multicall: an unknown op gives -ENOSYS in its result slot, a nested multicall
 *    -EINVAL, a good op its normal result, and the multicall itself returns 0;
 * and afterwards the guest still runs: hypercalls work and the trap table (which the
 * failed set_trap_table calls must not have touched) still catches #UD.
 */
#include <pvguest/test.h>
#include <public/event_channel.h>
#include <public/vcpu.h>

static const uint64_t bad_ptrs[] = {0xFFFF800000000000UL, 0xFFFF830000001000UL, 0x1000UL};
#define NONCANONICAL 0x8000000000000000UL

/* Calls the hypercall page's stub for `nr` (any of the 128), no arguments. */
static long call_stub(unsigned int nr)
{
    unsigned long target = (unsigned long)hypercall_page + nr * 32UL;
    long res;

    __asm__ volatile("call *%[target]"
                     : "=a"(res), [target] "+r"(target)
                     :
                     : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
    return res;
}

static void unknown_numbers(void)
{
    static const unsigned int stubs[] = {11, 38, 45, 55, 63, 64, 127};
    static const unsigned long raw[] = {128, 1000, 0xffffffffUL, ~0UL, (1UL << 32) | 17};
    char what[64];

    for (unsigned int i = 0; i < ARRAY_SIZE(stubs); i++) {
        snprintf(what, sizeof(what), "hypercall page stub %u", stubs[i]);
        xtf_expect_rc(what, call_stub(stubs[i]), -XEN_ENOSYS);
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(raw); i++) {
        snprintf(what, sizeof(what), "raw syscall, rax = %#lx", raw[i]);
        xtf_expect_rc(what, hypercall_raw(raw[i], 0, 0, 0, 0, 0), -XEN_ENOSYS);
    }
    /* The raw path is a real hypercall path too. */
    xtf_expect_rc("raw syscall xen_version(version)",
                  hypercall_raw(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0),
                  HYPERVISOR_xen_version(XENVER_version, NULL));
}

static void bad_pointers(void)
{
    char what[96];

    for (unsigned int i = 0; i < ARRAY_SIZE(bad_ptrs); i++) {
        uint64_t p = bad_ptrs[i];

#define EXPECT_EFAULT(name, call)                                                                  \
    do {                                                                                           \
        snprintf(what, sizeof(what), "%s(%#lx)", name, (unsigned long)p);                          \
        xtf_expect_rc(what, call, -XEN_EFAULT);                                                    \
    } while (0)
        EXPECT_EFAULT("set_trap_table", HYPERCALL1(set_trap_table, p));
        EXPECT_EFAULT("console_io write", HYPERCALL3(console_io, CONSOLEIO_write, 16, p));
        EXPECT_EFAULT("xen_version extraversion", HYPERCALL2(xen_version, XENVER_extraversion, p));
        EXPECT_EFAULT("xen_version capabilities", HYPERCALL2(xen_version, XENVER_capabilities, p));
        EXPECT_EFAULT("multicall", HYPERCALL2(multicall, p, 1));
        EXPECT_EFAULT("callback_op register", HYPERCALL2(callback_op, CALLBACKOP_register, p));
        EXPECT_EFAULT("mmuext_op", HYPERCALL4(mmuext_op, p, 1, 0, DOMID_SELF));
        EXPECT_EFAULT("sched_op shutdown", HYPERCALL2(sched_op, SCHEDOP_shutdown, p));
#undef EXPECT_EFAULT
    }
}

static void bad_commands(void)
{
    struct callback_register cb = {.type = 99, .address = (uint64_t)_start};
    struct callback_unregister uncb = {.type = CALLBACKTYPE_event};

    xtf_expect_rc("sched_op(99)", HYPERVISOR_sched_op(99, NULL), -XEN_ENOSYS);
    xtf_expect_rc("callback_op(99)", HYPERVISOR_callback_op(99, &cb), -XEN_ENOSYS);
    xtf_expect_rc("callback_op register type 99", HYPERVISOR_callback_op(CALLBACKOP_register, &cb),
                  -XEN_ENOSYS);
    xtf_expect_rc("xen_version(0x1000)", HYPERVISOR_xen_version(0x1000, NULL), -XEN_ENOSYS);
    xtf_expect_rc("console_io(99)", HYPERVISOR_console_io(99, 0, NULL), -XEN_ENOSYS);
    xtf_expect_rc("event_channel_op(99)", HYPERVISOR_event_channel_op(99, NULL), -XEN_ENOSYS);
    xtf_expect_rc("vm_assist(99, writable_pagetables)",
                  HYPERVISOR_vm_assist(99, VMASST_TYPE_writable_pagetables), -XEN_ENOSYS);
    xtf_expect_rc("vm_assist(enable, type 31)", HYPERVISOR_vm_assist(VMASST_CMD_enable, 31),
                  -XEN_EINVAL);
    xtf_expect_rc("vm_assist(enable, type 64)", HYPERVISOR_vm_assist(VMASST_CMD_enable, 64),
                  -XEN_EINVAL);

    cb.type = CALLBACKTYPE_event;
    cb.address = NONCANONICAL;
    xtf_expect_rc("callback_op register non-canonical",
                  HYPERVISOR_callback_op(CALLBACKOP_register, &cb), -XEN_EINVAL);
    xtf_expect_rc("callback_op unregister event",
                  HYPERVISOR_callback_op(CALLBACKOP_unregister, &uncb), -XEN_EINVAL);

    xtf_expect_rc("set_segment_base(99)", HYPERVISOR_set_segment_base(99, 0), -XEN_EINVAL);
    xtf_expect_rc("set_segment_base(FS, non-canonical)",
                  HYPERVISOR_set_segment_base(SEGBASE_FS, NONCANONICAL), -XEN_EINVAL);
    xtf_expect_rc("update_va_mapping(0xFFFF800000000000)",
                  HYPERVISOR_update_va_mapping(0xFFFF800000000000UL, 0, UVMF_INVLPG), -XEN_EINVAL);
    xtf_expect_rc("update_va_mapping(0x1000)", HYPERVISOR_update_va_mapping(0x1000, 0, UVMF_INVLPG),
                  -XEN_EINVAL);
    xtf_expect_rc("vcpu_op(is_up, vcpu 1000)", HYPERVISOR_vcpu_op(VCPUOP_is_up, 1000, NULL),
                  -XEN_ENOENT);
    xtf_expect_rc("vcpu_op(is_up, vcpu 0)", HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL), 1);
}

static void bad_trap_table(void)
{
    struct trap_info table[2] = {
        {.vector = X86_EXC_UD, .flags = 4, .cs = FLAT_KERNEL_CS, .address = NONCANONICAL},
        {0},
    };

    xtf_expect_rc("set_trap_table(#UD -> non-canonical)", HYPERVISOR_set_trap_table(table),
                  -XEN_EINVAL);
}

static void multicalls(void)
{
    static struct multicall_entry inner[1];
    static struct multicall_entry calls[3];
    long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

    inner[0] = (struct multicall_entry){.op = __HYPERVISOR_xen_version, .result = 7777};
    calls[0] = (struct multicall_entry){.op = 55, .result = 7777};
    calls[1] = (struct multicall_entry){
        .op = __HYPERVISOR_multicall, .result = 7777, .args = {(uint64_t)inner, 1}};
    calls[2] = (struct multicall_entry){
        .op = __HYPERVISOR_xen_version, .result = 7777, .args = {XENVER_version, 0}};

    xtf_expect_rc("multicall(3 entries)", HYPERVISOR_multicall(calls, 3), 0);
    xtf_expect_rc("multicall entry op 55", (long)calls[0].result, -XEN_ENOSYS);
    xtf_expect_rc("multicall entry nested multicall", (long)calls[1].result, -XEN_EINVAL);
    xtf_expect_rc("multicall nested list untouched", (long)inner[0].result, 7777);
    xtf_expect_rc("multicall entry xen_version", (long)calls[2].result, ver);
    xtf_expect_rc("multicall(0 entries)", HYPERVISOR_multicall(calls, 0), 0);
}

void test_main(void)
{
    unsigned long before;

    unknown_numbers();
    bad_pointers();
    bad_commands();
    bad_trap_table();
    multicalls();

    /* Still alive, still a working guest. */
    pv_printf("still running after the abuse\n");
    xtf_check(HYPERVISOR_xen_version(XENVER_version, NULL) > 0, "xen_version no longer works");
    pv_catch(X86_EXC_UD);
    before = pv_caught.count;
    __asm__ volatile(PV_TRY_BEGIN "ud2" PV_TRY_END ::: "r11", "memory");
    xtf_check(pv_caught.count == before + 1 && pv_caught.frame.vector == X86_EXC_UD,
              "the trap table no longer delivers #UD");

    xtf_success();
}
