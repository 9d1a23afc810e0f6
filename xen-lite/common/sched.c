/* SPDX-License-Identifier: MIT */
/* Round-robin scheduler of vCPUs on one physical CPU, with blocking and timeouts. */
#include <string.h>
#include <public/sched.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <console.h>
#include <domain.h>
#include <frame-alloc.h>
#include <heap.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>
#include <sched.h>
#include <softirq.h>
#include <time.h>

/*
 * Locking: there is one physical CPU and the hypervisor runs with interrupts disabled
 * except in the idle loop, so scheduler state needs no locks.  (SMP arrives later.)
 *
 * The run queue holds every runnable vCPU except the one running.  Each vCPU has its own
 * hypervisor stack; switching vCPUs switches stacks, so a vCPU can block in the middle of a
 * hypercall and continue there when it is woken.
 */
static struct vcpu *runq_head, *runq_tail;
static bool resched_pending;
static uint64_t slice_start_ns;

static struct vcpu idle_vcpu;
static struct domain idle_domain = {.domid = DOMID_IDLE, .name = "idle"};
static uint64_t idle_gdt[GDT_ENTRIES] __attribute__((aligned(4096)));

extern void context_switch_stacks(uint64_t *save_sp, uint64_t new_sp);
extern int load_ds_selector(unsigned int sel), load_es_selector(unsigned int sel);
extern int load_fs_selector(unsigned int sel), load_gs_selector(unsigned int sel);

static uint16_t read_sel(int which)
{
    uint16_t s = 0;

    switch (which) {
    case 0:
        asm volatile("mov %%ds, %0" : "=r"(s));
        break;
    case 1:
        asm volatile("mov %%es, %0" : "=r"(s));
        break;
    case 2:
        asm volatile("mov %%fs, %0" : "=r"(s));
        break;
    case 3:
        asm volatile("mov %%gs, %0" : "=r"(s));
        break;
    }
    return s;
}

/*
 * Loads the incoming vCPU's data selectors (after its GDT).  Loading %fs/%gs resets their
 * bases, so this comes before the base MSRs are written; GS_BASE is the hypervisor's own
 * and is put back at once.
 */
static void load_selectors(const struct vcpu *v)
{
    uint64_t hv_gs = rdmsr(MSR_GS_BASE);

    load_ds_selector(v->sel_ds);
    load_es_selector(v->sel_es);
    load_fs_selector(v->sel_fs);
    load_gs_selector(v->sel_gs);
    wrmsr(MSR_GS_BASE, hv_gs);
}

static void runq_add(struct vcpu *v)
{
    v->next_runnable = NULL;
    if (runq_tail)
        runq_tail->next_runnable = v;
    else
        runq_head = v;
    runq_tail = v;
}

static void runq_remove(struct vcpu *v)
{
    struct vcpu **pp = &runq_head, *prev = NULL;

    for (; *pp; prev = *pp, pp = &(*pp)->next_runnable) {
        if (*pp == v) {
            *pp = v->next_runnable;
            if (runq_tail == v)
                runq_tail = prev;
            v->next_runnable = NULL;
            return;
        }
    }
}

bool sched_preempt_pending(void)
{
    local_irq_enable();
    asm volatile("nop");
    local_irq_disable();
    return resched_pending || softirq_pending();
}

void sched_request(void)
{
    resched_pending = true;
}

void vcpu_wake(struct vcpu *v)
{
    if (v->state == VCPU_RUNNABLE || v->domain->state != DOM_RUNNING)
        return;
    v->state = VCPU_RUNNABLE;
    v->poll_deadline_ns = 0;
    if (v != current)
        runq_add(v);
    if (current->is_idle)
        resched_pending = true;
}

void vcpu_kick(struct vcpu *v)
{
    /* One CPU: a running vCPU sees the upcall on its next exit to the guest. */
    if (v->state == VCPU_BLOCKED)
        vcpu_wake(v);
}

void vcpu_offline(struct vcpu *v)
{
    v->state = VCPU_OFFLINE;
    vcpu_time_stop(v);
    runq_remove(v);
    if (v == current)
        resched_pending = true;
}

void vcpu_block_current(void)
{
    struct vcpu *v = current;

    v->state = VCPU_BLOCKED;
    resched_pending = true;
    schedule_if_needed();
}

void sched_block_current_enable_events(void)
{
    struct vcpu *v = current;

    /* Re-enable events and check for one that is already pending, as one step. */
    v->vcpu_info->evtchn_upcall_mask = 0;
    if (v->vcpu_info->evtchn_upcall_pending)
        return;
    vcpu_block_current();
}

/* Saves the outgoing vCPU's live guest state and loads the incoming one's. */
static void context_switch(struct vcpu *prev, struct vcpu *next)
{
    struct percpu *pc = this_cpu();
    uint64_t now = now_ns();

    if (!prev->is_idle) {
        prev->cpu_time_ns += now - prev->last_start_ns;
        prev->sel_ds = read_sel(0);
        prev->sel_es = read_sel(1);
        prev->sel_fs = read_sel(2);
        prev->sel_gs = read_sel(3);
        prev->fs_base = rdmsr(MSR_FS_BASE);
        if (prev->kernel_mode)
            prev->gs_base_kernel = rdmsr(MSR_SHADOW_GS_BASE);
        else
            prev->gs_base_user = rdmsr(MSR_SHADOW_GS_BASE);
        asm volatile("clts; fxsave64 %0" : "=m"(prev->fpu_area));
        prev->fpu_initialised = true;
    }
    next->last_start_ns = now;
    slice_start_ns = now;
    time_vcpu_switch(prev, next);

    pc->curr = next;
    pc->stack_top = (uint64_t)next->stack + STACK_SIZE;
    pc->tss.rsp[0] = pc->stack_top;
    gdt_load(next->gdt);
    ldt_load(next->gdt, next->ldt, next->ldt_entries);
    if (next->is_idle) {
        write_cr3(idle_root_maddr());
    } else {
        write_cr3((next->kernel_mode ? next->guest_table : next->guest_table_user) << 12);
        load_selectors(next);
        wrmsr(MSR_FS_BASE, next->fs_base);
        wrmsr(MSR_SHADOW_GS_BASE, next->kernel_mode ? next->gs_base_kernel : next->gs_base_user);
        asm volatile("clts");
        if (next->fpu_initialised)
            asm volatile("fxrstor64 %0" : : "m"(next->fpu_area));
        else
            asm volatile("fninit");
        if (next->fpu_ts)
            write_cr0(read_cr0() | X86_CR0_TS);
    }
    context_switch_stacks(&prev->saved_sp, next->saved_sp);
}

static void schedule(void)
{
    struct vcpu *prev = current, *next;

    resched_pending = false;
    if (!prev->is_idle && prev->state == VCPU_RUNNABLE)
        runq_add(prev);
    next = runq_head;
    if (next)
        runq_remove(next);
    else
        next = &idle_vcpu;
    if (next != prev)
        context_switch(prev, next);
}

void schedule_if_needed(void)
{
    domain_reap();
    if (resched_pending)
        schedule();
}

void sched_tick(void)
{
    uint64_t now = now_ns();

    /* Blocked vCPUs whose poll/timeout deadline has passed wake up. */
    for (int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = domains[i];

        if (!d || d->state != DOM_RUNNING)
            continue;
        for (unsigned int j = 0; j < d->nr_vcpus; j++) {
            struct vcpu *v = d->vcpus[j];

            if (v->state == VCPU_BLOCKED && v->poll_deadline_ns && now >= v->poll_deadline_ns)
                vcpu_wake(v);
        }
    }
    if (runq_head && (current->is_idle || now - slice_start_ns >= SCHED_SLICE_NS))
        resched_pending = true;
}

int vcpu_prepare_stack(struct vcpu *v)
{
    uint64_t *sp;

    v->stack = heap_alloc(STACK_SIZE);
    if (!v->stack)
        return -XEN_ENOMEM;
    v->regs = (struct cpu_user_regs *)(v->stack + STACK_SIZE) - 1;
    /* What context_switch_stacks() pops: six callee-saved registers, then a return address. */
    sp = (uint64_t *)v->regs - 7;
    memset(sp, 0, 6 * 8);
    sp[6] = (uint64_t)vcpu_first_entry;
    v->saved_sp = (uint64_t)sp;
    return 0;
}

void sched_init(void)
{
    struct percpu *pc = this_cpu();
    extern uint8_t boot_stack[];

    idle_vcpu.domain = &idle_domain;
    idle_vcpu.is_idle = true;
    idle_vcpu.state = VCPU_RUNNABLE;
    idle_vcpu.stack = boot_stack;
    idle_vcpu.gdt = idle_gdt;
    gdt_init_reserved(idle_gdt, pc);
    gdt_load(idle_gdt);
    pc->curr = &idle_vcpu;
    pc->idle = &idle_vcpu;
    pc->stack_top = (uint64_t)boot_stack + STACK_SIZE;
    pc->tss.rsp[0] = pc->stack_top;
}

void sched_start(void)
{
    /* The boot context becomes this CPU's idle vCPU. */
    resched_pending = true;
    for (;;) {
        local_irq_disable();
        do_softirqs();
        schedule_if_needed();
        if (!runq_head && !resched_pending && !softirq_pending())
            safe_halt();
        local_irq_disable();
    }
}
