/* SPDX-License-Identifier: MIT */
/* vcpu_op: bring vCPUs up and down, timers, runstate and vcpu_info placement. */
#ifndef XEN_LITE_PUBLIC_VCPU_H
#define XEN_LITE_PUBLIC_VCPU_H

/*
 * Overview
 * --------
 * vcpu_op(cmd, vcpuid, arg): operate on vCPU `vcpuid` of the calling domain.
 * Returns 0 (or a value noted below) or -XEN_Exxx; -XEN_ENOENT if the vCPU
 * does not exist, -XEN_EINVAL for a vcpuid out of range.
 */

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#ifndef XL_U64
#ifdef __ASSEMBLER__
#define XL_U64(x) x
#else
#define XL_U64(x) x##ULL
#endif
#endif

/* VCPUOP_initialise: IN struct vcpu_guest_context; set a down vCPU's state. */
#define VCPUOP_initialise 0
/* VCPUOP_up: start an initialised vCPU. arg unused. */
#define VCPUOP_up 1
/* VCPUOP_down: stop a vCPU (it can be restarted with VCPUOP_up). */
#define VCPUOP_down 2
/* VCPUOP_is_up: returns 1 if the vCPU is running, 0 if down. */
#define VCPUOP_is_up 3
/* VCPUOP_get_runstate_info: OUT struct vcpu_runstate_info. */
#define VCPUOP_get_runstate_info 4
/*
 * VCPUOP_register_runstate_memory_area: IN struct
 * vcpu_register_runstate_memory_area. The hypervisor keeps a copy of the
 * vCPU's runstate at that guest address, updated on every context switch.
 */
#define VCPUOP_register_runstate_memory_area 5
/* VCPUOP_set_periodic_timer: IN struct vcpu_set_periodic_timer. */
#define VCPUOP_set_periodic_timer 6
/* VCPUOP_stop_periodic_timer: arg unused. */
#define VCPUOP_stop_periodic_timer 7
/*
 * VCPUOP_set_singleshot_timer: IN struct vcpu_set_singleshot_timer. Raise
 * VIRQ_TIMER at the deadline; a deadline already passed fires at once
 * (unless VCPU_SSHOTTMR_future is set, then -XEN_ETIME).
 */
#define VCPUOP_set_singleshot_timer 8
/* VCPUOP_stop_singleshot_timer: arg unused. */
#define VCPUOP_stop_singleshot_timer 9
/*
 * VCPUOP_register_vcpu_info: IN struct vcpu_register_vcpu_info. Move this
 * vCPU's vcpu_info out of shared_info to (mfn, offset); needed for vCPUs
 * beyond XEN_LEGACY_MAX_VCPUS. Can be done once per vCPU.
 */
#define VCPUOP_register_vcpu_info 10
/* VCPUOP_send_nmi: inject an NMI into the vCPU. arg unused. */
#define VCPUOP_send_nmi 11
/* VCPUOP_get_physid: OUT struct vcpu_get_physid (dom0 only). */
#define VCPUOP_get_physid 12
/*
 * VCPUOP_register_vcpu_time_memory_area: IN struct
 * vcpu_register_time_memory_area. Keep a copy of the vCPU's
 * vcpu_time_info at that guest address (readable from guest user mode).
 */
#define VCPUOP_register_vcpu_time_memory_area 13

/* vcpu_runstate_info.state */
#define RUNSTATE_running  0 /* on a physical CPU */
#define RUNSTATE_runnable 1 /* ready, waiting for a CPU */
#define RUNSTATE_blocked  2 /* waiting for an event */
#define RUNSTATE_offline  3 /* down or paused */

/* Set in state_entry_time while the hypervisor rewrites the runstate area
 * (only with VMASST_TYPE_runstate_update_flag). */
#define XEN_RUNSTATE_UPDATE (XL_U64(1) << 63)

/* vcpu_set_singleshot_timer.flags: fail with -XEN_ETIME if already past. */
#define _VCPU_SSHOTTMR_future 0
#define VCPU_SSHOTTMR_future  (1U << _VCPU_SSHOTTMR_future)

#ifndef __ASSEMBLER__

struct vcpu_runstate_info {
    int32_t state; /* RUNSTATE_* */
    uint32_t _pad;
    uint64_t state_entry_time; /* system time (ns) when `state` was entered */
    uint64_t time[4];          /* ns spent in each RUNSTATE_* so far */
};
_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "vcpu_runstate_info");

struct vcpu_register_runstate_memory_area {
    union {
        uint64_t p; /* IN: guest virtual address of a vcpu_runstate_info */
    } addr;
};
_Static_assert(sizeof(struct vcpu_register_runstate_memory_area) == 8,
               "vcpu_register_runstate_memory_area");

struct vcpu_set_periodic_timer {
    uint64_t period_ns; /* IN */
};
_Static_assert(sizeof(struct vcpu_set_periodic_timer) == 8, "vcpu_set_periodic_timer");

struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns; /* IN: absolute system time in ns */
    uint32_t flags;          /* IN: VCPU_SSHOTTMR_* */
    uint32_t _pad;
};
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "vcpu_set_singleshot_timer");

struct vcpu_register_vcpu_info {
    uint64_t mfn;    /* IN: frame that will hold the vcpu_info */
    uint32_t offset; /* IN: byte offset in that frame (must fit 64 bytes) */
    uint32_t rsvd;   /* IN: must be zero */
};
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "vcpu_register_vcpu_info");

struct vcpu_get_physid {
    uint64_t phys_id; /* OUT: APIC id in bits 0-31, ACPI id in bits 32-63 */
};
_Static_assert(sizeof(struct vcpu_get_physid) == 8, "vcpu_get_physid");

struct vcpu_register_time_memory_area {
    union {
        uint64_t p; /* IN: guest virtual address of a vcpu_time_info */
    } addr;
};
_Static_assert(sizeof(struct vcpu_register_time_memory_area) == 8,
               "vcpu_register_time_memory_area");

#endif /* !__ASSEMBLER__ */

#endif /* XEN_LITE_PUBLIC_VCPU_H */
