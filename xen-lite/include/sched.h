/* SPDX-License-Identifier: MIT */
/* The scheduler: picks which vCPU runs on this CPU; blocking and waking. */
#ifndef XEN_LITE_SCHED_H
#define XEN_LITE_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct domain;
struct vcpu;

/*
 * The credit scheduler's clocks (docs/scheduling.md).  A vCPU runs for at most one time
 * slice when others of its priority wait; credits are handed out every accounting period;
 * the running vCPU is charged and preemption is checked every tick; a vCPU keeps its CPU for
 * at least the rate limit even if a better one wakes up.
 */
#define SCHED_TICK_NS        10000000ULL /* 10 ms */
#define SCHED_SLICE_NS       30000000ULL /* 30 ms, Xen credit1's default tslice */
#define SCHED_ACCT_NS        30000000ULL /* 30 ms */
#define SCHED_RATELIMIT_NS   1000000ULL  /* 1 ms, Xen's default sched_ratelimit_us */
#define SCHED_DEFAULT_WEIGHT 256
#define SCHED_MAX_WEIGHT     65535

/* Creates the idle vCPU of this CPU and makes it current.  Boot code only. */
void sched_init(void);

/* Makes a blocked vCPU runnable (an event, a timeout); no effect on other states. */
void vcpu_wake(struct vcpu *v);

/* Brings an offline vCPU up (boot, VCPUOP_up); its domain must be running. */
void vcpu_up(struct vcpu *v);

/*
 * An event became pending for v: wakes it if it is blocked (or polling), and makes it
 * notice the upcall soon if it is running on another CPU.
 */
void vcpu_kick(struct vcpu *v);

/* The CPUs now running a vCPU of d (any guest if d is NULL), as a mask of CPU numbers. */
uint64_t sched_domain_cpus(const struct domain *d);

/* Takes a vCPU down (VCPUOP_down, shutdown); safe on the current vCPU. */
void vcpu_offline(struct vcpu *v);

/* Blocks the current vCPU until vcpu_wake(); the caller then continues when it runs again. */
void vcpu_block_current(void);

/* SCHEDOP_block semantics: unmask events; block unless one is already pending. */
void sched_block_current_enable_events(void);

/* SCHEDOP_yield: the current vCPU makes way for any other that is waiting. */
void sched_yield(void);

/*
 * For long hypercalls: lets pending interrupts run (the hypervisor otherwise runs with
 * them disabled) and returns true if something else should run now.
 */
bool sched_preempt_pending(void);

/* Runs the scheduler now if requested; may switch to another vCPU and return later. */
void schedule_if_needed(void);

/* Starts scheduling: switches from the boot context to the first vCPU.  Never returns. */
void sched_start(void) __attribute__((noreturn));

/* Charges the running vCPU and checks for preemption; every SCHED_TICK_NS on each CPU. */
void sched_tick(void);

/* Copies v's runstate to the guest's registered area (v's page tables must be loaded). */
void runstate_publish(struct vcpu *v);

/* Allocates a hypervisor stack for v and arranges its first switch-in to enter the guest. */
int vcpu_prepare_stack(struct vcpu *v);

#endif
