/* SPDX-License-Identifier: MIT */
/* Unit tests for hypercall dispatch (hypercalls/table.c) and the iret hypercall. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <public/callback.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/xen.h>
#include <string.h>
#include "harness/harness.h"

TestSuite(dispatch, .init = harness_boot);

/* Numbers no hypercall has: never assigned (11), past the list (43), arch slots (55, 63),
 * past the table (64, 1000), and the largest eax and rax. */
Test(dispatch, unknown_numbers_are_enosys)
{
    static const uint64_t nrs[] = {11, 43, 55, 63, 64, 1000, 0xffffffff, ~0ULL};

    for (unsigned int i = 0; i < ARRAY_SIZE(nrs); i++) {
        cr_assert_eq(hc(nrs[i], 0), -XEN_ENOSYS, "hypercall %lu", nrs[i]);
        cr_assert_str_eq(hypercall_name(nrs[i]), "unknown");
    }
}

/* As in Xen the number is all of rax: this is not xen_version. */
Test(dispatch, upper_half_of_rax_counts)
{
    cr_assert_eq(hc((1ULL << 32) | __HYPERVISOR_xen_version, XENVER_version), -XEN_ENOSYS);
    cr_assert_eq(hc((1ULL << 63) | __HYPERVISOR_xen_version, XENVER_version), -XEN_ENOSYS);
}

/* The result lands in the guest's rax; the argument registers are left alone. */
Test(dispatch, result_goes_to_rax)
{
    struct cpu_user_regs *r = current->regs;

    hc(__HYPERVISOR_xen_version, XENVER_version, 2, 3, 4, 5, 6);
    cr_assert_eq(r->rax, 0x40011);
    cr_assert_eq(r->rsi, 2);
    cr_assert_eq(r->r9, 6);
}

/* ---- Every hypercall with a handler is reached under its own number. ---- */

static struct vcpu *v;

static void probe_set_trap_table(void)
{
    v->traps[3].address = 0x1234;
    cr_assert_eq(hc(__HYPERVISOR_set_trap_table, 0), 0);
    cr_assert_eq(v->traps[3].address, 0);
}

static void probe_set_gdt(void)
{
    v->gdt_entries = 5;
    cr_assert_eq(hc(__HYPERVISOR_set_gdt, guest_alloc(8), 0), 0);
    cr_assert_eq(v->gdt_entries, 0);
}

static void probe_stack_switch(void)
{
    cr_assert_eq(hc(__HYPERVISOR_stack_switch, 0xe02b, 0xffffffff80001000), 0);
    cr_assert_eq(v->kernel_sp, 0xffffffff80001000);
}

static void probe_set_callbacks(void)
{
    cr_assert_eq(hc(__HYPERVISOR_set_callbacks, 0x1000, 0x2000, 0x3000), 0);
    cr_assert_eq(v->cb_event.address, 0x1000);
}

static void probe_fpu_taskswitch(void)
{
    cr_assert_eq(hc(__HYPERVISOR_fpu_taskswitch, 1), 0);
    cr_assert(v->fpu_ts);
    cr_assert(fake_cpu.cr[0] & X86_CR0_TS);
}

static void probe_sched_op_compat(void)
{
    cr_assert_eq(hc(__HYPERVISOR_sched_op_compat, SCHEDOP_yield), 0);
    cr_assert_eq(harness.sched_requests, 1);
}

static void probe_update_descriptor(void)
{
    uint64_t mfn = domain_frame(domu, PGT_none);

    cr_assert_eq(hc(__HYPERVISOR_update_descriptor, mfn << 12 | 8, 0x00cff2000000ffff), 0);
    cr_assert_eq(((uint64_t *)mfn_to_virt(mfn))[1], 0x00cff2000000ffff);
}

static void probe_multicall(void)
{
    struct multicall_entry e = {.op = __HYPERVISOR_xen_version, .args = {XENVER_version}};
    uint64_t list = guest_put(&e, sizeof(e));

    cr_assert_eq(hc(__HYPERVISOR_multicall, list, 1), 0);
    cr_assert_eq(((struct multicall_entry *)guest_mem(list, sizeof(e)))->result, 0x40011);
}

static void probe_update_va_mapping(void)
{
    uint64_t *l1e = guest_l1e(v, 0x400000);
    uint64_t mfn = domain_frame(domu, PGT_none);

    cr_assert_eq(hc(__HYPERVISOR_update_va_mapping, 0x400000, mfn << 12 | X86_PTE_P, 0), 0);
    cr_assert_eq(X86_PTE_MFN(*l1e), mfn);
}

static void probe_mmu_update(void)
{
    uint64_t mfn = domain_frame(domu, PGT_none);
    const struct mmu_update req = {(mfn << 12) | MMU_MACHPHYS_UPDATE, 0x1234};

    cr_assert_eq(hc(__HYPERVISOR_mmu_update, guest_put(&req, sizeof(req)), 1, 0, DOMID_SELF), 0);
    cr_assert_eq(m2p_table[mfn], 0x1234);
}

static void probe_update_va_mapping_otherdomain(void)
{
    uint64_t mfn = domain_frame(domu, PGT_none), *l1e;

    harness_set_current(dom0);
    v = current;
    l1e = guest_l1e(v, 0x400000);
    cr_assert_eq(hc(__HYPERVISOR_update_va_mapping_otherdomain, 0x400000, mfn << 12 | X86_PTE_P, 0,
                    domu->domid),
                 0);
    cr_assert_eq(X86_PTE_MFN(*l1e), mfn);
}

static void probe_set_timer_op(void)
{
    cr_assert_eq(hc(__HYPERVISOR_set_timer_op, harness.now_ns + 5000), 0);
    cr_assert(v->singleshot_timer.active);
    cr_assert_eq(v->singleshot_timer.expires, harness.now_ns + 5000);
}

static void probe_xen_version(void)
{
    cr_assert_eq(hc(__HYPERVISOR_xen_version, XENVER_version), 0x40011);
}

static void probe_console_io(void)
{
    cr_assert_eq(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 6, guest_put("probe\n", 6)), 0);
    cr_assert(strstr(console_text(), "(d1) probe\n"));
}

static void probe_vm_assist(void)
{
    cr_assert_eq(hc(__HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag),
                 0);
    cr_assert_eq(domu->vm_assist, 1ULL << VMASST_TYPE_runstate_update_flag);
}

static void probe_iret(void)
{
    struct iret_context ic = {.rax = 77, .rip = 0xffffffff80000100, .cs = FLAT_KERNEL_CS & ~3};

    current->regs->rsp = guest_put(&ic, sizeof(ic));
    cr_assert_eq(hc(__HYPERVISOR_iret, 0), 77);
    cr_assert_eq(current->regs->rip, 0xffffffff80000100);
}

static void probe_set_segment_base(void)
{
    cr_assert_eq(hc(__HYPERVISOR_set_segment_base, SEGBASE_GS_USER, 0x7000), 0);
    cr_assert_eq(v->gs_base_user, 0x7000);
}

static void probe_mmuext_op(void)
{
    struct mmuext_op op = {.cmd = MMUEXT_TLB_FLUSH_LOCAL};
    unsigned int before = fake_cpu.cr3_writes;

    cr_assert_eq(hc(__HYPERVISOR_mmuext_op, guest_put(&op, sizeof(op)), 1, 0, DOMID_SELF), 0);
    cr_assert_eq(fake_cpu.cr3_writes, before + 1);
}

static void probe_sched_op(void)
{
    cr_assert_eq(hc(__HYPERVISOR_sched_op, SCHEDOP_block), 0);
    cr_assert_eq(harness.block_enable_events, 1);
}

static void probe_vcpu_op(void)
{
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 0), 1);
}

static void probe_callback_op(void)
{
    struct callback_register cb = {.type = CALLBACKTYPE_nmi, .address = 0x5000};

    cr_assert_eq(hc(__HYPERVISOR_callback_op, CALLBACKOP_register, guest_put(&cb, sizeof(cb))), 0);
    cr_assert_eq(v->cb_nmi.address, 0x5000);
}

static void probe_event_channel_op(void)
{
    struct evtchn_bind_ipi b = {.vcpu = 0};
    uint64_t arg = guest_put(&b, sizeof(b));

    cr_assert_eq(hc(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi, arg), 0);
    cr_assert_eq(((struct evtchn_bind_ipi *)guest_mem(arg, sizeof(b)))->port, 1);
}

static const struct {
    unsigned int nr;
    void (*probe)(void);
} probes[] = {
    {__HYPERVISOR_set_trap_table, probe_set_trap_table},
    {__HYPERVISOR_set_gdt, probe_set_gdt},
    {__HYPERVISOR_stack_switch, probe_stack_switch},
    {__HYPERVISOR_set_callbacks, probe_set_callbacks},
    {__HYPERVISOR_fpu_taskswitch, probe_fpu_taskswitch},
    {__HYPERVISOR_sched_op_compat, probe_sched_op_compat},
    {__HYPERVISOR_update_descriptor, probe_update_descriptor},
    {__HYPERVISOR_multicall, probe_multicall},
    {__HYPERVISOR_mmu_update, probe_mmu_update},
    {__HYPERVISOR_update_va_mapping, probe_update_va_mapping},
    {__HYPERVISOR_update_va_mapping_otherdomain, probe_update_va_mapping_otherdomain},
    {__HYPERVISOR_set_timer_op, probe_set_timer_op},
    {__HYPERVISOR_xen_version, probe_xen_version},
    {__HYPERVISOR_console_io, probe_console_io},
    {__HYPERVISOR_vm_assist, probe_vm_assist},
    {__HYPERVISOR_iret, probe_iret},
    {__HYPERVISOR_set_segment_base, probe_set_segment_base},
    {__HYPERVISOR_mmuext_op, probe_mmuext_op},
    {__HYPERVISOR_sched_op, probe_sched_op},
    {__HYPERVISOR_vcpu_op, probe_vcpu_op},
    {__HYPERVISOR_callback_op, probe_callback_op},
    {__HYPERVISOR_event_channel_op, probe_event_channel_op},
};

/* Parameters are indices: workers are fresh processes, where code addresses differ. */
static unsigned int probe_idx[ARRAY_SIZE(probes)];

ParameterizedTestParameters(dispatch, every_handler_is_reached)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(probes); i++)
        probe_idx[i] = i;
    return cr_make_param_array(unsigned int, probe_idx, ARRAY_SIZE(probes));
}

/* Each probe (on a machine of its own) sees its handler's own side effect. */
ParameterizedTest(unsigned int *i, dispatch, every_handler_is_reached)
{
    v = current;
    probes[*i].probe();
}

/* The table's view, taken the way table.c takes it: weak references to every do_<name>. */
#define WEAK_REF(nr, name, nargs) extern __attribute__((weak)) long do_##name(struct hc_args *);
XL_HYPERCALLS(WEAK_REF)
#define HANDLER(nr, name, nargs) {nr, #name, do_##name},
static const struct {
    unsigned int nr;
    const char *name;
    long (*fn)(struct hc_args *);
} handlers[] = {XL_HYPERCALLS(HANDLER)};

/* The probe list covers exactly the handlers linked in; every number without one is ENOSYS. */
Test(dispatch, probes_cover_every_linked_handler)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(handlers); i++) {
        bool probed = false;

        for (unsigned int j = 0; j < ARRAY_SIZE(probes); j++)
            probed |= probes[j].nr == handlers[i].nr;
        cr_assert_eq(probed, handlers[i].fn != NULL, "%s: handler %s, probe %s", handlers[i].name,
                     handlers[i].fn ? "linked" : "absent", probed ? "present" : "missing");
        cr_assert_str_eq(hypercall_name(handlers[i].nr), handlers[i].name);
        if (!handlers[i].fn)
            cr_assert_eq(hc(handlers[i].nr, 0), -XEN_ENOSYS, "%s", handlers[i].name);
    }
}

/* ---- iret ---- */

TestSuite(iret, .init = harness_boot);

static uint64_t push_frame(const struct iret_context *ic)
{
    return current->regs->rsp = guest_put(ic, sizeof(*ic));
}

/* Back to the guest kernel: everything restored, RPL forced to 3, rax is the saved rax. */
Test(iret, restores_the_kernel_context)
{
    struct cpu_user_regs *r = current->regs;
    struct iret_context ic = {
        .rax = 0xaaaa,
        .r11 = 0x1111,
        .rcx = 0xcccc,
        .rip = 0xffffffff80000200,
        .cs = FLAT_KERNEL_CS & ~3,
        .rflags = X86_EFLAGS_IF | X86_EFLAGS_CF,
        .rsp = 0xffffffff80008000,
        .ss = FLAT_KERNEL_SS & ~3,
    };

    push_frame(&ic);
    cr_assert_eq(hc(__HYPERVISOR_iret, 0), 0xaaaa);
    cr_assert_eq(r->rax, 0xaaaa);
    cr_assert_eq(r->rip, ic.rip);
    cr_assert_eq(r->cs, FLAT_KERNEL_CS);
    cr_assert_eq(r->ss, FLAT_KERNEL_SS);
    cr_assert_eq(r->rsp, ic.rsp);
    cr_assert_eq(r->rcx, 0xcccc);
    cr_assert_eq(r->r11, 0x1111);
    cr_assert_eq(r->rflags, X86_EFLAGS_IF | X86_EFLAGS_CF | X86_EFLAGS_MBS);
    cr_assert_eq(current->vcpu_info->evtchn_upcall_mask, 0);
    cr_assert(current->kernel_mode);
    cr_assert_eq(harness.mode_toggles, 0);
}

/* Only the selector bits of the CS and SS slots count: a guest may hand back a bounce
 * frame's CS slot, which carries the saved upcall mask in bits 32-39. */
Test(iret, ignores_bits_above_the_selector)
{
    struct iret_context ic = {.cs = 0xff00000000ULL | (FLAT_KERNEL_CS & ~3),
                              .ss = 0xffffffff00000000ULL | FLAT_KERNEL_SS};

    push_frame(&ic);
    cr_assert_eq(hc(__HYPERVISOR_iret, 0), 0);
    cr_assert_eq(current->regs->cs, FLAT_KERNEL_CS);
    cr_assert_eq(current->regs->ss, FLAT_KERNEL_SS);
    cr_assert(current->kernel_mode);
}

/* IOPL and VM never reach the guest; a clear IF masks events instead of clearing IF. */
Test(iret, sanitises_rflags)
{
    struct iret_context ic = {.rflags = X86_EFLAGS_IOPL | X86_EFLAGS_VM, .cs = FLAT_KERNEL_CS & ~3};

    push_frame(&ic);
    hc(__HYPERVISOR_iret, 0);
    cr_assert_eq(current->regs->rflags, X86_EFLAGS_IF | X86_EFLAGS_MBS);
    cr_assert_eq(current->vcpu_info->evtchn_upcall_mask, 1);
}

/* VGCF_in_syscall: rcx and r11 keep their values (sysret semantics). */
Test(iret, in_syscall_keeps_rcx_r11)
{
    struct iret_context ic = {.rcx = 1, .r11 = 2, .flags = VGCF_in_syscall, .cs = FLAT_USER_CS};

    current->guest_table_user = domain_frame(domu, PGT_l4);
    current->regs->rcx = 0x77;
    current->regs->r11 = 0x88;
    push_frame(&ic);
    hc(__HYPERVISOR_iret, 0);
    cr_assert_eq(current->regs->rcx, 0x77);
    cr_assert_eq(current->regs->r11, 0x88);
}

/* An RPL-3 CS switches to guest user mode. */
Test(iret, rpl3_switches_to_user_mode)
{
    struct iret_context ic = {.cs = FLAT_USER_CS, .ss = FLAT_USER_SS};

    current->guest_table_user = domain_frame(domu, PGT_l4);
    push_frame(&ic);
    cr_assert_eq(hc(__HYPERVISOR_iret, 0), 0);
    cr_assert_eq(harness.mode_toggles, 1);
    cr_assert_not(current->kernel_mode);
}

/* To user mode without a user page table: the domain is crashed, the call never returns. */
Test(iret, user_mode_without_user_table_crashes)
{
    struct iret_context ic = {.cs = FLAT_USER_CS};

    push_frame(&ic);
    cr_assert_eq(hc(__HYPERVISOR_iret, 0), HC_NO_RETURN);
    cr_assert(strstr(harness.escape, "offline vCPU d1v0"), "%s", harness.escape);
    cr_assert(domu->crashed);
    cr_assert_eq(domu->state, DOM_SHUTDOWN);
    cr_assert_eq(domu->shutdown_reason, SHUTDOWN_crash);
    cr_assert(strstr(console_text(), "without a user page table"));
}

/* Frames the guest cannot read: unmapped, in the hypervisor's range, running into a hole. */
static uint64_t bad_rsps[] = {0x1000, HV_VIRT_START + 0x1000, GUEST_BASE + 4096 - 8};

ParameterizedTestParameters(iret, unreadable_frame_crashes)
{
    return cr_make_param_array(uint64_t, bad_rsps, ARRAY_SIZE(bad_rsps));
}

/* ... crash the domain: the call never returns. */
ParameterizedTest(uint64_t *rsp, iret, unreadable_frame_crashes)
{
    guest_unmap_page(GUEST_BASE + 4096);
    current->regs->rsp = *rsp;
    cr_assert_eq(hc(__HYPERVISOR_iret, 0), HC_NO_RETURN, "rsp %#lx", *rsp);
    cr_assert(domu->crashed);
    cr_assert(strstr(console_text(), "is not readable"));
}
