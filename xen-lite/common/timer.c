/* SPDX-License-Identifier: MIT */
/* Hypervisor timers: a sorted list per CPU, its earliest deadline in the APIC timer. */
#include <asm/apic.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <domain.h>
#include <lib.h>
#include <sched.h>
#include <softirq.h>
#include <spinlock.h>
#include <time.h>
#include <timer.h>

/*
 * Each CPU keeps its armed timers in a list sorted by deadline, earliest first, and has its
 * APIC timer programmed for the head.  A CPU holds a handful of timers (three per vCPU that
 * ran there, two of its own), so a sorted list is as fast as a heap and easier to read.
 *
 * Locking: one lock per list, held only while a list changes; timer functions run without
 * it, so they may arm timers, their own included.  A timer's `cpu` only changes with both
 * lists locked, so lock_timer() checks it again once it holds the lock it read.  These
 * locks are taken inside the hypervisor lock (today it serialises everything anyway) and
 * never by an interrupt handler: the timer interrupt only raises SOFTIRQ_TIMER.
 */
struct timer_queue {
    struct timer *head;
    const struct timer *running; /* whose function runs now (kill_timer() waits) */
    spinlock_t lock;
    bool ready; /* timer_cpu_init() done: the APIC timer may be programmed */
};

static struct timer_queue queues[MAX_CPUS]; /* MAX_CPUS: asm/smp.h */

/* Every CPU's own timers: the scheduler tick and the refresh of the running vCPU's clock. */
#define TIME_REFRESH_NS NS_PER_SEC
static struct timer sched_tick_timers[MAX_CPUS], time_refresh_timers[MAX_CPUS];

static void queue_lock(unsigned int cpu)
{
    spin_lock(&queues[cpu].lock);
}

static void queue_unlock(unsigned int cpu)
{
    spin_unlock(&queues[cpu].lock);
}

static unsigned int this_cpu_id(void)
{
    return this_cpu()->cpu_id;
}

/* Locks the list that holds t (whichever it is by the time the lock is ours). */
static unsigned int lock_timer(struct timer *t)
{
    for (;;) {
        unsigned int cpu = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);

        queue_lock(cpu);
        if (cpu == t->cpu)
            return cpu;
        queue_unlock(cpu);
    }
}

/* Adds t after every timer due no later (equal deadlines run in arming order).  Returns
 * true if t became the head. */
static bool queue_insert(struct timer_queue *q, struct timer *t)
{
    struct timer **pp = &q->head;

    while (*pp && (*pp)->expires <= t->expires)
        pp = &(*pp)->next;
    t->next = *pp;
    *pp = t;
    t->active = true;
    return pp == &q->head;
}

static void queue_remove(struct timer_queue *q, struct timer *t)
{
    for (struct timer **pp = &q->head; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    }
    t->next = NULL;
    t->active = false;
}

/* Programs this CPU's APIC timer for the head of its list (list locked).  A head already
 * due is left to the softirq, which runs it and programs what follows. */
static void program_this_cpu(struct timer_queue *q)
{
    uint64_t next = q->head ? q->head->expires : 0;

    if (!q->ready)
        return;
    if (next && next <= now_ns())
        raise_softirq(SOFTIRQ_TIMER);
    else
        apic_timer_program(next);
}

/*
 * The head of cpu's list became earlier (list locked): this CPU reprograms its APIC timer,
 * another CPU is sent SOFTIRQ_TIMER, whose handler does it there.  A head that became
 * later (stop_timer) is not worth it: the early interrupt finds nothing due and reprograms.
 */
static void head_moved_earlier(unsigned int cpu)
{
    if (cpu == this_cpu_id())
        program_this_cpu(&queues[cpu]);
    else
        raise_softirq_on(cpu, SOFTIRQ_TIMER);
}

void init_timer(struct timer *t, void (*fn)(void *data), void *data, unsigned int cpu)
{
    BUG_ON(cpu >= MAX_CPUS);
    t->expires = 0;
    t->fn = fn;
    t->data = data;
    t->cpu = cpu;
    t->active = false;
    t->next = NULL;
}

void set_timer(struct timer *t, uint64_t expires_ns)
{
    unsigned int cpu = lock_timer(t);
    struct timer_queue *q = &queues[cpu];

    if (t->active)
        queue_remove(q, t);
    t->expires = expires_ns;
    if (queue_insert(q, t))
        head_moved_earlier(cpu);
    queue_unlock(cpu);
}

void stop_timer(struct timer *t)
{
    unsigned int cpu = lock_timer(t);

    if (t->active)
        queue_remove(&queues[cpu], t);
    queue_unlock(cpu);
}

void migrate_timer(struct timer *t, unsigned int new_cpu)
{
    unsigned int old_cpu;

    BUG_ON(new_cpu >= MAX_CPUS);
    /* Both lists locked, lower cpu first so two migrations cannot deadlock. */
    for (;;) {
        old_cpu = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);
        if (old_cpu == new_cpu)
            return;
        queue_lock(MIN(old_cpu, new_cpu));
        queue_lock(MAX(old_cpu, new_cpu));
        if (t->cpu == old_cpu)
            break;
        queue_unlock(MAX(old_cpu, new_cpu));
        queue_unlock(MIN(old_cpu, new_cpu));
    }
    if (t->active) {
        queue_remove(&queues[old_cpu], t);
        __atomic_store_n(&t->cpu, new_cpu, __ATOMIC_RELEASE);
        if (queue_insert(&queues[new_cpu], t))
            head_moved_earlier(new_cpu);
    } else {
        __atomic_store_n(&t->cpu, new_cpu, __ATOMIC_RELEASE);
    }
    queue_unlock(MAX(old_cpu, new_cpu));
    queue_unlock(MIN(old_cpu, new_cpu));
}

void kill_timer(struct timer *t)
{
    stop_timer(t);
    for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++) {
        BUG_ON(cpu == this_cpu_id() && queues[cpu].running == t);
        while (__atomic_load_n(&queues[cpu].running, __ATOMIC_ACQUIRE) == t)
            cpu_relax();
    }
}

/* SOFTIRQ_TIMER: runs this CPU's timers that are due, then programs the next deadline. */
static void timer_softirq(void)
{
    unsigned int cpu = this_cpu_id();
    struct timer_queue *q = &queues[cpu];
    uint64_t now;

    queue_lock(cpu);
    do {
        struct timer *t;

        now = now_ns();
        while ((t = q->head) && t->expires <= now) {
            void (*fn)(void *) = t->fn;
            void *data = t->data;

            queue_remove(q, t);
            q->running = t;
            queue_unlock(cpu);
            fn(data);
            queue_lock(cpu);
            __atomic_store_n(&q->running, NULL, __ATOMIC_RELEASE);
        }
        /* Running them took time: if the next one fell due meanwhile, go round again. */
    } while (q->head && q->head->expires <= now_ns());
    if (q->ready)
        apic_timer_program(q->head ? q->head->expires : 0);
    queue_unlock(cpu);
}

/* Re-arms a per-CPU periodic timer one period after its last deadline, or after now if it
 * ran that late (no burst of catch-up runs). */
static void rearm_periodic(struct timer *t, uint64_t period)
{
    uint64_t next = t->expires + period, now = now_ns();

    set_timer(t, next > now ? next : now + period);
}

static void sched_tick_fn(void *data)
{
    sched_tick();
    rearm_periodic(data, SCHED_TICK_NS);
}

/*
 * Keeps the running vCPU's time record fresh even when it runs for long without a switch or
 * a timer event of its own.  Guests extrapolate with the hypervisor's own scale, so this is
 * not for accuracy (the error does not grow): it bounds how far a guest extrapolates.
 */
static void time_refresh_fn(void *data)
{
    if (!current->is_idle)
        update_vcpu_system_time(current);
    rearm_periodic(data, TIME_REFRESH_NS);
}

void timer_cpu_init(unsigned int cpu)
{
    uint64_t now = now_ns();

    BUG_ON(cpu >= MAX_CPUS || cpu != this_cpu_id());
    open_softirq(SOFTIRQ_TIMER, timer_softirq);
    apic_timer_cpu_init();
    queue_lock(cpu);
    queues[cpu].ready = true;
    queue_unlock(cpu);

    init_timer(&sched_tick_timers[cpu], sched_tick_fn, &sched_tick_timers[cpu], cpu);
    set_timer(&sched_tick_timers[cpu], now + SCHED_TICK_NS);
    init_timer(&time_refresh_timers[cpu], time_refresh_fn, &time_refresh_timers[cpu], cpu);
    set_timer(&time_refresh_timers[cpu], now + TIME_REFRESH_NS);
    /* Timers armed before this CPU was ready were not programmed: the softirq does it. */
    raise_softirq(SOFTIRQ_TIMER);
}
