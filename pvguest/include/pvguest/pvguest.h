/* SPDX-License-Identifier: MIT */
/* The pvguest library: start-of-day state, domain control, and the other library headers. */
#ifndef PVGUEST_PVGUEST_H
#define PVGUEST_PVGUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <format.h>
#include <public/errno.h>
#include <public/xen.h>
#include <public/sched.h>
#include <public/version.h>
#include <public/callback.h>
#include <public/arch-x86-pt.h>
#include <pvguest/memlayout.h>
#include <pvguest/hypercall.h>
#include <pvguest/console.h>
#include <pvguest/cpu.h>
#include <pvguest/traps.h>
#include <pvguest/user.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Start of day: lib/head.S enters pv_start() with the start_info page the domain builder
 * made; pv_start() maps shared_info, installs the trap table and callbacks, then calls
 * pv_main() and powers off if it returns. A program defines pv_main(); a test defines
 * test_main() instead and gets pv_main() from lib/test.c.
 */
void pv_main(void);

/* The start_info page (virtual address given in rsi at entry). */
extern struct start_info *pv_start_info;

/* The shared_info page, mapped by pv_start(); NULL if the mapping was refused. */
extern volatile struct shared_info *pv_shared_info;

/* Virtual-to-machine frame number for an address in the builder's initial mapping, via
 * the p2m list (start_info.mfn_list). */
uint64_t pv_virt_to_mfn(const void *va);

/* System time in ns from vcpu_info[0].time (0 if the hypervisor provides none). */
uint64_t pv_time_now_ns(void);

/*
 * pv_set_event_handler - call fn(port) for each pending, unmasked event channel when the
 * event callback runs (events are delivered only while the virtual IF is set, e.g. in
 * SCHEDOP_block or user mode). The default acknowledges and ignores them.
 */
void pv_set_event_handler(void (*fn)(unsigned int port));
void pv_handle_events(void);

/* SCHEDOP_shutdown with `reason` (SHUTDOWN_*); flushes the console first. Never returns. */
void pv_shutdown(unsigned int reason) __attribute__((noreturn));
void pv_poweroff(void) __attribute__((noreturn));

/*
 * pv_vcpu_id - the vCPU this code runs on.  The library points each vCPU's kernel GS base
 * at its own small record (vCPU 0 in pv_start(), the others as they start), so this is
 * one load from %gs.
 */
unsigned int pv_vcpu_id(void);

/* Called by the library on each vCPU as it starts: records its id (GS base). */
void pv_vcpu_set_id(unsigned int id);

/* True when running on xen-lite (its extraversion says so), false on Xen. */
bool pv_on_xen_lite(void);
void pv_crash(void) __attribute__((noreturn));

#endif /* PVGUEST_PVGUEST_H */
