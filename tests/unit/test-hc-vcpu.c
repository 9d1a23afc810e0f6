/* SPDX-License-Identifier: MIT */
/* Unit tests for vcpu_op (hypercalls/vcpu.c). */
#include <string.h>
#include <criterion/criterion.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include "harness/harness.h"

TestSuite(vcpu_op, .init = harness_boot);

/* is_up: 1 for a vCPU that runs, 0 for one that is down. */
Test(vcpu_op, is_up)
{
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 0), 1);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 1), 0);
    domu->vcpus[0]->state = VCPU_OFFLINE;
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 0), 0);
}

/* A vCPU the domain does not have: -ENOENT whatever the command (as in Xen).  The id is
 * 32 bits (unsigned int in Xen), so 1 << 32 names vCPU 0. */
Test(vcpu_op, missing_vcpu_is_enoent)
{
    static const uint64_t ids[] = {HARNESS_DOMU_VCPUS, MAX_VCPUS_PER_DOM, 31, 32,
                                   0x7fffffff,         0xffffffff};
    static const int64_t cmds[] = {VCPUOP_initialise,           VCPUOP_up, VCPUOP_is_up,
                                   VCPUOP_set_singleshot_timer, 100,       -1};

    for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++)
        for (unsigned int j = 0; j < ARRAY_SIZE(cmds); j++)
            cr_assert_eq(hc(__HYPERVISOR_vcpu_op, cmds[j], ids[i], guest_alloc(64)), -XEN_ENOENT,
                         "cmd %ld vcpu %lu", cmds[j], ids[i]);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 1ULL << 32), 1);
}

/* Commands xen-lite does not have, for a vCPU that exists: -ENOSYS. */
Test(vcpu_op, unknown_cmds_are_enosys)
{
    static const int64_t cmds[] = {VCPUOP_send_nmi, 100, -1};

    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
        cr_assert_eq(hc(__HYPERVISOR_vcpu_op, cmds[i], 0, guest_alloc(64)), -XEN_ENOSYS, "cmd %ld",
                     cmds[i]);
}

/* A context that VCPUOP_initialise accepts: an empty L4 of the domain's own. */
static struct vcpu_guest_context *good_context(void)
{
    static struct vcpu_guest_context c;

    memset(&c, 0, sizeof(c));
    c.flags = VGCF_in_kernel;
    c.user_regs.rip = GUEST_BASE + 0x1000;
    c.user_regs.rsp = GUEST_BASE + 0x8000;
    c.user_regs.rbx = 0x1234;
    c.user_regs.rflags = 0x3202; /* IOPL 3 asked for: must not be granted */
    c.user_regs.ds = FLAT_KERNEL_DS64;
    c.ctrlreg[3] = domain_frame(domu, PGT_none) << 12;
    c.kernel_sp = GUEST_BASE + 0x9000;
    c.event_callback_eip = GUEST_BASE + 0x2000;
    c.failsafe_callback_eip = GUEST_BASE + 0x3000;
    c.trap_ctxt[0] = (struct trap_info){.vector = 14, .flags = 4, .address = GUEST_BASE + 0x4000};
    c.flags |= VGCF_failsafe_disables_events;
    return &c;
}

static long initialise(unsigned int id, const struct vcpu_guest_context *c)
{
    return hc(__HYPERVISOR_vcpu_op, VCPUOP_initialise, id, guest_put(c, sizeof(*c)));
}

/* A good context lands in the vCPU: registers, roots (with a reference), traps, callbacks. */
Test(vcpu_op, initialise_sets_the_whole_state)
{
    struct vcpu_guest_context *c = good_context();
    struct vcpu *v = domu->vcpus[2];
    uint64_t l4 = c->ctrlreg[3] >> 12;

    cr_assert_eq(initialise(2, c), 0);
    cr_assert(v->initialised);
    cr_assert_eq(v->regs->rip, c->user_regs.rip);
    cr_assert_eq(v->regs->rsp, c->user_regs.rsp);
    cr_assert_eq(v->regs->rbx, 0x1234);
    cr_assert_eq(v->regs->rflags & X86_EFLAGS_IOPL, 0);
    cr_assert(v->regs->rflags & X86_EFLAGS_IF);
    cr_assert_eq(v->regs->cs, FLAT_KERNEL_CS64);
    cr_assert_eq(v->guest_table, l4);
    cr_assert_eq(mfn_to_page(l4)->type, PGT_l4);
    cr_assert_eq(mfn_to_page(l4)->type_count, 1);
    cr_assert_eq(v->traps[14].address, GUEST_BASE + 0x4000);
    cr_assert(v->traps[14].mask_events);
    cr_assert_eq(v->cb_event.address, GUEST_BASE + 0x2000);
    cr_assert(v->cb_failsafe.mask_events);
    cr_assert_eq(v->kernel_sp, GUEST_BASE + 0x9000);
    cr_assert_eq(v->state, VCPU_OFFLINE, "initialise does not start it");
    /* Once only. */
    cr_assert_eq(initialise(2, good_context()), -XEN_EEXIST);
}

/* Refused contexts change nothing and leave no reference behind. */
Test(vcpu_op, initialise_refusals)
{
    struct vcpu *v = domu->vcpus[1];
    struct vcpu_guest_context *c;
    uint64_t l4;

    c = good_context();
    c->user_regs.rip = 0x0000800000000000ULL; /* not canonical */
    cr_assert_eq(initialise(1, c), -XEN_EINVAL);
    c = good_context();
    c->ctrlreg[3] = 0;
    cr_assert_eq(initialise(1, c), -XEN_EINVAL);
    c = good_context();
    c->user_regs.ds = 0xe010; /* a hypervisor selector (RPL 0) */
    cr_assert_eq(initialise(1, c), -XEN_EINVAL);
    c = good_context();
    c->ldt_base = GUEST_BASE + 8; /* not page-aligned */
    c->ldt_ents = 1;
    cr_assert_eq(initialise(1, c), -XEN_EINVAL);
    c = good_context();
    c->flags = 0; /* user mode without user page tables */
    cr_assert_eq(initialise(1, c), -XEN_EINVAL);
    c = good_context();
    c->ctrlreg[3] = domain_frame(dom0, PGT_none) << 12; /* someone else's frame */
    cr_assert_eq(initialise(1, c), -XEN_EINVAL);
    /* A bad GDT after a good root: the root's reference is given back. */
    c = good_context();
    l4 = c->ctrlreg[3] >> 12;
    c->gdt_ents = 1;
    c->gdt_frames[0] = dom0->shared_info_mfn;
    cr_assert_lt(initialise(1, c), 0);
    cr_assert_eq(mfn_to_page(l4)->count, 0);
    cr_assert_eq(mfn_to_page(l4)->type_count, 0);
    cr_assert_eq(v->guest_table, 0);
    /* An unreadable context. */
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, 0x1000), -XEN_EFAULT);
    cr_assert(!v->initialised);
}

/* up needs a context; up and down move the vCPU between offline and runnable. */
Test(vcpu_op, up_and_down)
{
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_up, 3), -XEN_EINVAL);
    cr_assert_eq(initialise(3, good_context()), 0);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_up, 3), 0);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 3), 1);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_down, 3), 0);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 3), 0);
    cr_assert_eq(domu->state, DOM_RUNNING);
}

/* Taking the last running vCPU down powers the domain off (Xen 4.17). */
Test(vcpu_op, last_vcpu_down_powers_off)
{
    hc(__HYPERVISOR_vcpu_op, VCPUOP_down, 0);
    cr_assert_eq(domu->state, DOM_SHUTDOWN);
    cr_assert_eq(domu->shutdown_reason, SHUTDOWN_poweroff);
}

/* get_runstate_info: the running vCPU's time so far counts as running. */
Test(vcpu_op, runstate_info)
{
    struct vcpu_runstate_info *rs;
    uint64_t out = guest_alloc(sizeof(*rs));

    domu->vcpus[0]->runstate = (struct vcpu_runstate_info){
        .state = RUNSTATE_running, .state_entry_time = harness.now_ns - 500, .time = {100, 0, 7}};
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, out), 0);
    rs = guest_mem(out, sizeof(*rs));
    cr_assert_eq(rs->state, RUNSTATE_running);
    cr_assert_eq(rs->time[RUNSTATE_running], 600);
    cr_assert_eq(rs->time[RUNSTATE_blocked], 7);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, 0x1000), -XEN_EFAULT);
    /* Registering an area: a kernel-range address is refused, null turns it off. */
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0,
                    guest_put(&(uint64_t){0xffff830000000000ULL}, 8)),
                 -XEN_EINVAL);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0,
                    guest_put(&(uint64_t){GUEST_BASE}, 8)),
                 0);
    cr_assert_eq(domu->vcpus[0]->runstate_guest, GUEST_BASE);
}

/* register_vcpu_info: moves vcpu_info into a frame of ours, once, marking all pending. */
Test(vcpu_op, register_vcpu_info)
{
    uint64_t mfn = domain_frame(domu, PGT_none);
    struct vcpu_register_vcpu_info r = {.mfn = mfn, .offset = 4096 - 64};
    struct vcpu *v = domu->vcpus[0];

    v->vcpu_info->evtchn_upcall_mask = 1;
    r.offset = 4096 - 56;
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, guest_put(&r, sizeof(r))),
                 -XEN_ENXIO);
    r.offset = 4;
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, guest_put(&r, sizeof(r))),
                 -XEN_ENXIO);
    r.offset = 4096 - 64;
    r.mfn = domain_frame(dom0, PGT_none);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, guest_put(&r, sizeof(r))),
                 -XEN_EINVAL);
    /* A running vCPU other than the caller cannot be moved. */
    domu->vcpus[1]->state = VCPU_RUNNABLE;
    r.mfn = mfn;
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 1, guest_put(&r, sizeof(r))),
                 -XEN_EINVAL);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, guest_put(&r, sizeof(r))),
                 0);
    cr_assert_eq((uint8_t *)v->vcpu_info, (uint8_t *)mfn_to_virt(mfn) + 4096 - 64);
    cr_assert_eq(v->vcpu_info->evtchn_upcall_mask, 1, "contents are carried over");
    cr_assert_eq(v->vcpu_info->evtchn_upcall_pending, 1);
    cr_assert_eq(mfn_to_page(mfn)->type, PGT_writable);
    cr_assert_eq(mfn_to_page(mfn)->count, 1);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, guest_put(&r, sizeof(r))),
                 -XEN_EINVAL, "only once");
}

/* register_vcpu_time_memory_area: a copy of the time record at once, odd/even; -EFAULT. */
Test(vcpu_op, time_memory_area)
{
    struct vcpu *v = domu->vcpus[0];
    uint64_t out = guest_alloc(sizeof(struct vcpu_time_info));
    struct vcpu_time_info *t = guest_mem(out, sizeof(*t));

    v->vcpu_info->time.tsc_to_system_mul = 0x87654321;
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_time_memory_area, 0,
                    guest_put(&(uint64_t){0xffff830000000000ULL}, 8)),
                 -XEN_EFAULT);
    cr_assert_eq(
        hc(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_time_memory_area, 0, guest_put(&out, 8)), 0);
    cr_assert_eq(t->tsc_to_system_mul, 0x87654321, "copied at once");
    cr_assert(t->version != 0 && !(t->version & 1), "version %u: want even", t->version);
    cr_assert_eq(hc(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_time_memory_area, 0, 0x1000),
                 -XEN_EFAULT);
    cr_assert_eq(v->time_area_guest, out);
}
