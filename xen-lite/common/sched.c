/* SPDX-License-Identifier: MIT */
/*
 * The credit scheduler: proportional-share scheduling of vCPUs on the physical CPUs, after
 * Xen's credit1 (docs/scheduling.md has the model and the numbers).
 *
 * - Every accounting period (SCHED_ACCT_NS) the CPU time of the period (one period per
 *   physical CPU) is shared out as credit among the domains that want to run, in proportion
 *   to their weights; a domain's share goes to its active vCPUs in equal parts.  A cap
 *   limits a domain to a percentage of one CPU: once it has used that much in a period its
 *   vCPUs are parked until the next one, even if a CPU would otherwise stay idle.
 * - Running costs credit, ns for ns.  A vCPU with credit left is UNDER, one without is OVER;
 *   a vCPU woken from blocking with credit left gets BOOST until its next tick, so
 *   interactive vCPUs answer quickly.  The run queue is ordered by class, then by credit.
 * - Every tick (SCHED_TICK_NS) each CPU charges its running vCPU and switches if a better
 *   class waits, or if its time slice (SCHED_SLICE_NS) is used up and an equal one waits;
 *   a vCPU is never preempted before it has run SCHED_RATELIMIT_NS, unless it stops itself.
 *
 * Each vCPU has its own hypervisor stack; switching vCPUs switches stacks, so a vCPU can
 * block in the middle of a hypercall and continue there when it is woken.
 *
 * Locking: one run queue serves every CPU, guarded like all scheduler state by the
 * hypervisor lock (spinlock.h), which every CPU holds while it runs this code.  Another CPU
 * is asked to reschedule (or to notice an event) with raise_softirq_on(), an IPI.  The lock
 * is held across a context switch, so a vCPU put back on the run queue cannot be picked by
 * another CPU before this one has left its stack.
 */
#include <string.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/pv.h>
#include <console.h>
#include <domain.h>
#include <frame-alloc.h>
#include <guest-access.h>
#include <heap.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>
#include <sched.h>
#include <softirq.h>
#include <spinlock.h>
#include <timer.h>
#include <time.h>

static struct vcpu *runq_head;
static uint64_t last_acct_ns;

static struct vcpu idle_vcpus[MAX_CPUS];
static struct timer cap_timers[MAX_CPUS]; /* a capped vCPU's budget running out */
static struct domain idle_domain = {.domid = DOMID_IDLE, .name = "idle"};
static uint64_t boot_idle_gdt[GDT_ENTRIES] __attribute__((aligned(4096)));

extern void context_switch_stacks(uint64_t *save_sp, uint64_t new_sp);
extern int load_ds_selector(unsigned int sel), load_es_selector(unsigned int sel);
extern int load_fs_selector(unsigned int sel), load_gs_selector(unsigned int sel);

/*
 * Loads the incoming vCPU's data selectors (after its GDT).  Loading %fs/%gs resets their
 * bases, so this comes before the base MSRs are written; GS_BASE is the hypervisor's own
 * and is put back at once.  A selector whose descriptor the guest changed or removed
 * meanwhile loads as null, and the guest is owed its failsafe callback.
 */
static void load_selectors(struct vcpu *v)
{
    uint64_t hv_gs = rdmsr(MSR_GS_BASE);
    const uint16_t sel[4] = {v->sel_ds, v->sel_es, v->sel_fs, v->sel_gs};
    int bad = load_ds_selector(sel[0]) | load_es_selector(sel[1]) | load_fs_selector(sel[2]) |
              load_gs_selector(sel[3]);

    wrmsr(MSR_GS_BASE, hv_gs);
    if (bad)
        pv_failsafe_owed(v, sel);
}

/* ---- Runstate: where each vCPU's time went (VCPUOP_get_runstate_info). ---- */

static void runstate_set(struct vcpu *v, int state, uint64_t now)
{
    struct vcpu_runstate_info *rs = &v->runstate;

    if (rs->state == state)
        return;
    rs->time[rs->state] += now - rs->state_entry_time;
    rs->state = state;
    rs->state_entry_time = now;
}

/*
 * Copies v's runstate to the area the guest registered, through the page tables loaded
 * now (v's own, or another vCPU's of its domain).  A guest that registered a bad address
 * simply gets no copy, as in Xen.
 */
void runstate_publish(struct vcpu *v)
{
    if (v->runstate_guest)
        copy_to_guest(guest_ptr(v->runstate_guest), &v->runstate, sizeof(v->runstate));
}

/* ---- Credit and the run queue. ---- */

/* The CPU time a capped domain may use in `period` ns (0 for a domain without a cap). */
static uint64_t cap_budget(const struct domain *d, uint64_t period)
{
    return d->sched_cap * period / 100;
}

static bool is_parked(const struct vcpu *v)
{
    const struct domain *d = v->domain;

    return d->sched_cap && d->period_used_ns >= cap_budget(d, SCHED_ACCT_NS);
}

/* How many of the domain's vCPUs want a CPU (runnable or running). */
static unsigned int runnable_vcpus(const struct domain *d)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        n += d->vcpus[i]->state == VCPU_RUNNABLE;
    return n;
}

static enum sched_prio credit_prio(const struct vcpu *v)
{
    return v->credit > 0 ? PRIO_UNDER : PRIO_OVER;
}

/* Charges v for the time since it was last charged. */
static void burn_credit(struct vcpu *v, uint64_t now)
{
    uint64_t ran = now - v->last_burn_ns;

    v->last_burn_ns = now;
    v->credit -= (int64_t)ran;
    v->cpu_time_ns += ran;
    v->domain->period_used_ns += ran;
    if (v->credit < -(int64_t)SCHED_ACCT_NS)
        v->credit = -(int64_t)SCHED_ACCT_NS; /* a long burst is not held against it forever */
}

/* True if a should run before b. */
static bool runs_before(const struct vcpu *a, const struct vcpu *b)
{
    if (a->prio != b->prio)
        return a->prio < b->prio;
    return a->prio != PRIO_BOOST && a->credit > b->credit; /* equals: first come first */
}

static void runq_insert(struct vcpu *v)
{
    struct vcpu **pp = &runq_head;

    while (*pp && !runs_before(v, *pp))
        pp = &(*pp)->next_runnable;
    v->next_runnable = *pp;
    *pp = v;
    v->on_runq = true;
}

static void runq_remove(struct vcpu *v)
{
    for (struct vcpu **pp = &runq_head; *pp; pp = &(*pp)->next_runnable) {
        if (*pp == v) {
            *pp = v->next_runnable;
            v->next_runnable = NULL;
            v->on_runq = false;
            return;
        }
    }
}

/* The first queued vCPU allowed to run now (not parked by its cap), or NULL. */
static struct vcpu *runq_best(void)
{
    for (struct vcpu *v = runq_head; v; v = v->next_runnable)
        if (!is_parked(v))
            return v;
    return NULL;
}

/*
 * Hands out the CPU time since the last accounting as credit to the domains that want to
 * run, by weight.  Handing out exactly the time that passed (not a nominal period) keeps
 * the credit in the system equal to the time spent, so nobody drifts into the clamps.
 */
static void sched_account(uint64_t elapsed, uint64_t now)
{
    uint64_t total = elapsed * nr_cpus, weight_sum = 0;

    /* Charge the running vCPUs up to now, so their time lands in the period it was used. */
    for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
        struct percpu *pc = percpu_of(cpu);

        if (pc && pc->curr && !pc->curr->is_idle)
            burn_credit(pc->curr, now);
    }

    for (int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = domains[i];

        if (!d || d->state != DOM_RUNNING)
            continue;
        /* A new cap window; what a capped domain overran the last one by (its CPU was
         * taken back a little late) is paid back in this one. */
        if (d->sched_cap && d->period_used_ns > cap_budget(d, elapsed))
            d->period_used_ns -= cap_budget(d, elapsed);
        else
            d->period_used_ns = 0;
        if (runnable_vcpus(d))
            weight_sum += d->sched_weight;
    }
    if (!weight_sum)
        return;
    for (int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = domains[i];
        unsigned int active;
        uint64_t share;

        if (!d || d->state != DOM_RUNNING || !(active = runnable_vcpus(d)))
            continue;
        share = total * d->sched_weight / weight_sum;
        if (d->sched_cap && share > cap_budget(d, elapsed))
            share = cap_budget(d, elapsed);
        for (unsigned int j = 0; j < d->nr_vcpus; j++) {
            struct vcpu *v = d->vcpus[j];

            if (v->state != VCPU_RUNNABLE)
                continue;
            v->credit += (int64_t)(share / active);
            if (v->credit > (int64_t)SCHED_ACCT_NS)
                v->credit = SCHED_ACCT_NS; /* an idle vCPU does not hoard */
            if (v->prio != PRIO_BOOST)
                v->prio = credit_prio(v);
            if (v->on_runq) { /* its place in the queue depends on its credit */
                runq_remove(v);
                runq_insert(v);
            }
        }
    }
}

/* ---- Waking, blocking, up and down. ---- */

/*
 * The CPU that should take a newly runnable v: an idle one if there is one (this CPU
 * first), else the one running the vCPU v would most clearly run before, if that one has
 * had its rate limit; -1 if v has to wait its turn.
 */
static int cpu_for(const struct vcpu *v, uint64_t now)
{
    unsigned int self = this_cpu()->cpu_id;
    int victim = -1;
    const struct vcpu *worst = NULL;

    if (this_cpu()->curr->is_idle)
        return (int)self;
    for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
        struct percpu *pc = percpu_of(cpu);
        const struct vcpu *cur = pc ? pc->curr : NULL;

        /* A CPU already asked to reschedule will take the head of the queue: the next. */
        if (!cur ||
            (__atomic_load_n(&pc->softirq_pending, __ATOMIC_ACQUIRE) & (1u << SOFTIRQ_SCHEDULE)))
            continue;
        if (cur->is_idle)
            return (int)cpu;
        if (runs_before(v, cur) && now - cur->last_start_ns >= SCHED_RATELIMIT_NS &&
            (!worst || runs_before(worst, cur))) {
            worst = cur;
            victim = (int)cpu;
        }
    }
    return victim;
}

/* A vCPU became runnable: queue it and get a CPU to look at it if it should run now. */
static void make_runnable(struct vcpu *v, bool boost)
{
    uint64_t now = now_ns();
    int cpu;

    v->state = VCPU_RUNNABLE;
    v->prio = boost && v->credit >= 0 ? PRIO_BOOST : credit_prio(v);
    runstate_set(v, RUNSTATE_runnable, now);
    if (v->is_running)
        return; /* it blocked and was woken before it left its CPU */
    runq_insert(v);
    cpu = cpu_for(v, now);
    if (cpu >= 0)
        raise_softirq_on((unsigned int)cpu, SOFTIRQ_SCHEDULE);
}

void vcpu_wake(struct vcpu *v)
{
    if (v->state != VCPU_BLOCKED || v->domain->state != DOM_RUNNING)
        return;
    v->poll_deadline_ns = 0;
    make_runnable(v, true);
}

void vcpu_up(struct vcpu *v)
{
    if (v->state != VCPU_OFFLINE || v->domain->state != DOM_RUNNING)
        return;
    make_runnable(v, false);
}

void vcpu_kick(struct vcpu *v)
{
    if (v->state == VCPU_BLOCKED)
        vcpu_wake(v);
    else if (v->is_running && v->processor != this_cpu()->cpu_id)
        send_ipi(v->processor, VECTOR_EVENT_CHECK); /* through exit_to_guest: the upcall */
    /* Running here: the upcall goes out on this CPU's way back to the guest. */
}

void vcpu_offline(struct vcpu *v)
{
    v->state = VCPU_OFFLINE;
    runstate_set(v, RUNSTATE_offline, now_ns());
    vcpu_time_stop(v);
    if (v->on_runq)
        runq_remove(v);
    if (v->is_running)
        raise_softirq_on(v->processor, SOFTIRQ_SCHEDULE);
}

uint64_t sched_domain_cpus(const struct domain *d)
{
    uint64_t mask = 0;

    for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
        struct percpu *pc = percpu_of(cpu);

        if (pc && pc->curr && !pc->curr->is_idle && (!d || pc->curr->domain == d))
            mask |= 1ULL << cpu;
    }
    return mask;
}

void vcpu_block_current(void)
{
    struct vcpu *v = current;

    v->state = VCPU_BLOCKED;
    runstate_set(v, RUNSTATE_blocked, now_ns());
    raise_softirq(SOFTIRQ_SCHEDULE);
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

void sched_yield(void)
{
    current->yielding = true;
    raise_softirq(SOFTIRQ_SCHEDULE);
}

bool sched_preempt_pending(void)
{
    local_irq_enable();
    asm volatile("nop");
    local_irq_disable();
    return softirq_pending();
}

/* ---- Switching. ---- */

/* Saves the outgoing vCPU's live guest state and loads the incoming one's. */
static void context_switch(struct vcpu *prev, struct vcpu *next, uint64_t now)
{
    struct percpu *pc = this_cpu();

    if (!prev->is_idle) {
        uint16_t sel[4];

        read_data_selectors(sel);
        prev->sel_ds = sel[0];
        prev->sel_es = sel[1];
        prev->sel_fs = sel[2];
        prev->sel_gs = sel[3];
        prev->fs_base = rdmsr(MSR_FS_BASE);
        if (prev->kernel_mode)
            prev->gs_base_kernel = rdmsr(MSR_SHADOW_GS_BASE);
        else
            prev->gs_base_user = rdmsr(MSR_SHADOW_GS_BASE);
        asm volatile("clts; fxsave64 %0" : "=m"(prev->fpu_area));
        prev->fpu_initialised = true;
        runstate_publish(prev); /* still in prev's address space */
    }
    prev->is_running = false;
    next->is_running = true;
    next->processor = pc->cpu_id;
    next->last_start_ns = next->last_burn_ns = now;
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
        runstate_publish(next);
        vcpu_time_area_publish(next);
    }
    context_switch_stacks(&prev->saved_sp, next->saved_sp);
}

/*
 * Whether the vCPU running here should make way for best (the head of the run queue, or
 * NULL): it stopped being runnable, or its cap parked it, or after the rate limit a better
 * class or more credit waits, or after a time slice an equal waits.  A yield makes way for
 * anyone waiting.
 */
static bool should_switch(const struct vcpu *cur, const struct vcpu *best, uint64_t now)
{
    uint64_t ran = now - cur->last_start_ns;

    if (cur->is_idle)
        return best != NULL;
    if (cur->state != VCPU_RUNNABLE || is_parked(cur))
        return true;
    if (!best)
        return false;
    if (cur->yielding)
        return true;
    if (ran < SCHED_RATELIMIT_NS)
        return false;
    if (runs_before(best, cur))
        return true;
    return best->prio == cur->prio && best->credit == cur->credit && ran >= SCHED_SLICE_NS;
}

/*
 * The accounting timer, on the boot CPU: exactly every SCHED_ACCT_NS (each deadline is the
 * last one plus the period, so periods do not stretch), which makes a cap's budget of
 * cap% of SCHED_ACCT_NS exact.
 */
static struct timer acct_timer;

static void acct_timer_fn(void *data)
{
    uint64_t now = now_ns();

    (void)data;
    sched_account(now - last_acct_ns, now);
    last_acct_ns = now;
    set_timer(&acct_timer, acct_timer.expires + SCHED_ACCT_NS);
    raise_softirq(SOFTIRQ_SCHEDULE); /* parked vCPUs may run again */
}

static void cap_timer_fn(void *data)
{
    (void)data;
    raise_softirq(SOFTIRQ_SCHEDULE); /* should_switch() now finds it parked */
}

/*
 * A capped vCPU is taken off its CPU the moment its domain's budget for this accounting
 * period runs out, not at the next tick (which could overshoot a small cap by most of a
 * tick).
 */
static void arm_cap_timer(const struct vcpu *v, uint64_t now)
{
    struct timer *t = &cap_timers[this_cpu()->cpu_id];
    const struct domain *d = v->domain;
    uint64_t budget;

    if (v->is_idle || !d->sched_cap) {
        stop_timer(t);
        return;
    }
    budget = cap_budget(d, SCHED_ACCT_NS);
    set_timer(t, now + (d->period_used_ns < budget ? budget - d->period_used_ns : 0));
}

/* SOFTIRQ_SCHEDULE: picks what this CPU runs next. */
static void schedule(void)
{
    struct vcpu *prev = current, *next;
    uint64_t now = now_ns();

    if (!prev->is_idle) {
        burn_credit(prev, now);
        /* A boost lasts until the vCPU stops running (or its next tick). */
        if (prev->prio != PRIO_BOOST || prev->state != VCPU_RUNNABLE)
            prev->prio = credit_prio(prev);
    }
    next = runq_best();
    if (!should_switch(prev, next, now)) {
        prev->yielding = false;
        arm_cap_timer(prev, now);
        return;
    }
    prev->yielding = false;
    if (next)
        runq_remove(next);
    else
        next = this_cpu()->idle;
    if (!prev->is_idle && prev->state == VCPU_RUNNABLE) {
        runq_insert(prev);
        runstate_set(prev, RUNSTATE_runnable, now);
    }
    arm_cap_timer(next, now);
    if (next == prev)
        return;
    if (!next->is_idle)
        runstate_set(next, RUNSTATE_running, now);
    context_switch(prev, next, now);
}

void schedule_if_needed(void)
{
    domain_reap();
    do_softirqs();
}

void sched_tick(void)
{
    struct vcpu *cur = current;
    uint64_t now = now_ns();

    if (!cur->is_idle) {
        burn_credit(cur, now);
        cur->prio = credit_prio(cur); /* also ends a boost */
    }
    if (should_switch(cur, runq_best(), now))
        raise_softirq(SOFTIRQ_SCHEDULE);
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

/* Makes the running context this CPU's idle vCPU (its stack: the STACK_SIZE below top). */
static void sched_init_cpu(unsigned int cpu, uint64_t *gdt, uint64_t stack_top)
{
    struct percpu *pc = this_cpu();
    struct vcpu *idle = &idle_vcpus[cpu];

    idle->domain = &idle_domain;
    idle->vcpu_id = cpu;
    idle->is_idle = true;
    idle->is_running = true;
    idle->processor = cpu;
    idle->state = VCPU_RUNNABLE;
    idle->stack = (uint8_t *)(stack_top - STACK_SIZE);
    idle->gdt = gdt;
    gdt_init_reserved(gdt, pc);
    gdt_load(gdt);
    pc->curr = idle;
    pc->idle = idle;
    init_timer(&cap_timers[cpu], cap_timer_fn, NULL, cpu);
    pc->stack_top = stack_top;
    pc->tss.rsp[0] = stack_top;
}

void sched_init(void)
{
    extern uint8_t boot_stack[];

    sched_init_cpu(0, boot_idle_gdt, (uint64_t)boot_stack + STACK_SIZE);
    open_softirq(SOFTIRQ_SCHEDULE, schedule);
    init_timer(&acct_timer, acct_timer_fn, NULL, 0);
}

/* Every CPU's idle vCPU: schedules, and halts when there is nothing to do. */
static void __attribute__((noreturn)) idle_loop(void)
{
    raise_softirq(SOFTIRQ_SCHEDULE);
    local_irq_disable();
    hv_lock();
    for (;;) {
        schedule_if_needed();
        if (softirq_pending())
            continue;
        /* A wake-up IPI after the unlock is held by the CPU until sti;hlt. */
        hv_unlock();
        safe_halt();
        local_irq_disable();
        hv_lock();
    }
}

void sched_start(void)
{
    last_acct_ns = now_ns();
    set_timer(&acct_timer, last_acct_ns + SCHED_ACCT_NS);
    /* The boot context becomes the boot CPU's idle vCPU. */
    idle_loop();
}

/* smpboot.c: a started CPU arrives here on its own stack, interrupts disabled. */
void ap_main(unsigned int cpu)
{
    uint64_t *gdt = heap_alloc(GDT_BYTES);

    if (!gdt)
        panic("CPU%u: no memory for its idle GDT", cpu);
    memset(gdt, 0, GDT_BYTES);
    sched_init_cpu(cpu, gdt, this_cpu()->stack_top);
    timer_cpu_init(cpu);
    idle_loop();
}
