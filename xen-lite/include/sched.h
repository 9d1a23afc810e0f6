/* SPDX-License-Identifier: MIT */
/* The scheduler: picks which vCPU runs on this CPU; blocking and waking. */
#ifndef XEN_LITE_SCHED_H
#define XEN_LITE_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

#define SCHED_SLICE_NS 10000000ULL /* 10 ms round-robin time slice */

/* Creates the idle vCPU of this CPU and makes it current.  Boot code only. */
void sched_init(void);

/* Makes a vCPU runnable (from offline or blocked). */
void vcpu_wake(struct vcpu *v);

/*
 * An event became pending for v: wakes it if it is blocked (or polling), and makes it
 * notice the upcall soon if it is running on another CPU.
 */
void vcpu_kick(struct vcpu *v);

/* Stops a vCPU from being scheduled again (shutdown); safe on the current vCPU. */
void vcpu_offline(struct vcpu *v);

/* Blocks the current vCPU until vcpu_wake(); the caller then continues when it runs again. */
void vcpu_block_current(void);

/* SCHEDOP_block semantics: unmask events; block unless one is already pending. */
void sched_block_current_enable_events(void);

/* Asks for a reschedule at the next exit to a guest (e.g. timer tick, yield). */
void sched_request(void);

/*
 * For long hypercalls: lets pending interrupts run (the hypervisor otherwise runs with
 * them disabled) and returns true if something else should run now.
 */
bool sched_preempt_pending(void);

/* Runs the scheduler now if requested; may switch to another vCPU and return later. */
void schedule_if_needed(void);

/* Starts scheduling: switches from the boot context to the first vCPU.  Never returns. */
void sched_start(void) __attribute__((noreturn));

/* Called by the timer interrupt every tick. */
void sched_tick(void);

/* Allocates a hypervisor stack for v and arranges its first switch-in to enter the guest. */
int vcpu_prepare_stack(struct vcpu *v);

#endif
