/* SPDX-License-Identifier: MIT */
/* sched_op: yield, block, poll and shut down the calling domain. */
#ifndef XEN_LITE_PUBLIC_SCHED_H
#define XEN_LITE_PUBLIC_SCHED_H

/*
 * Overview
 * --------
 * sched_op(cmd, arg): arg points to the command's struct (or is unused).
 * Returns 0 or -XEN_Exxx. The older sched_op_compat (hypercall 6) took the
 * shutdown reason directly in `arg`.
 */

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/* SCHEDOP_yield: give up the CPU; arg unused. */
#define SCHEDOP_yield 0
/*
 * SCHEDOP_block: sleep until an event is pending. Atomically clears the
 * caller's evtchn_upcall_mask first, and returns at once if an event is
 * already pending. arg unused.
 */
#define SCHEDOP_block 1
/* SCHEDOP_shutdown: IN struct sched_shutdown. Does not return on success. */
#define SCHEDOP_shutdown 2
/*
 * SCHEDOP_poll: IN struct sched_poll. Block until one of the listed ports
 * is pending or the timeout passes. Returns 0 either way.
 */
#define SCHEDOP_poll 3
/* SCHEDOP_remote_shutdown: IN struct sched_remote_shutdown (privileged). */
#define SCHEDOP_remote_shutdown 4
/* SCHEDOP_shutdown_code: IN struct sched_shutdown; record the reason only. */
#define SCHEDOP_shutdown_code 5
/*
 * SCHEDOP_watchdog: IN/OUT struct sched_watchdog. id 0 creates a watchdog
 * (returns its id), otherwise rearms it; timeout 0 destroys it.
 */
#define SCHEDOP_watchdog 6
/* SCHEDOP_pin_override: IN struct sched_pin_override (dom0, debugging). */
#define SCHEDOP_pin_override 7

/* Shutdown reasons (sched_shutdown.reason). */
#define SHUTDOWN_poweroff   0 /* normal exit: destroy the domain */
#define SHUTDOWN_reboot     1 /* destroy, then restart */
#define SHUTDOWN_suspend    2 /* save state for a later resume */
#define SHUTDOWN_crash      3 /* the guest crashed */
#define SHUTDOWN_watchdog   4 /* a SCHEDOP_watchdog timer expired */
#define SHUTDOWN_soft_reset 5 /* reset to initial state, keep memory */
#define SHUTDOWN_MAX        5

#ifndef __ASSEMBLER__

struct sched_shutdown {
    uint32_t reason; /* IN: SHUTDOWN_* */
};
_Static_assert(sizeof(struct sched_shutdown) == 4, "sched_shutdown");

struct sched_poll {
    uint64_t ports;    /* IN: guest pointer to uint32_t ports[nr_ports] */
    uint32_t nr_ports; /* IN */
    uint32_t _pad;
    uint64_t timeout; /* IN: absolute system time in ns, 0 = none */
};
_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll");

struct sched_remote_shutdown {
    uint16_t domain_id; /* IN: target domain */
    uint16_t _pad;
    uint32_t reason; /* IN: SHUTDOWN_* */
};
_Static_assert(sizeof(struct sched_remote_shutdown) == 8, "sched_remote_shutdown");

struct sched_watchdog {
    uint32_t id;      /* IN: 0 = new; OUT (return value): new id */
    uint32_t timeout; /* IN: seconds, 0 = destroy */
};
_Static_assert(sizeof(struct sched_watchdog) == 8, "sched_watchdog");

struct sched_pin_override {
    int32_t pcpu; /* IN: physical CPU, or -1 to drop the override */
};
_Static_assert(sizeof(struct sched_pin_override) == 4, "sched_pin_override");

#endif /* !__ASSEMBLER__ */

#endif /* XEN_LITE_PUBLIC_SCHED_H */
