/* SPDX-License-Identifier: MIT */
/* Domains and vCPUs: the objects the hypervisor schedules and protects. */
#ifndef XEN_LITE_DOMAIN_H
#define XEN_LITE_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include <asm/regs.h>
#include <event.h>
#include <irq.h>
#include <timer.h>

#define MAX_DOMAINS       64
#define MAX_VCPUS_PER_DOM 32 /* = the vcpu_info slots in shared_info (XEN_LEGACY_MAX_VCPUS) */

/* A guest callback: an entry point and whether events are masked on entry. */
struct guest_callback {
    uint64_t address;
    bool mask_events;
};

/* One trap-table entry of a vCPU (set_trap_table). */
struct guest_trap {
    uint64_t address; /* 0 = no handler */
    uint8_t dpl;
    bool mask_events;
};

/*
 * Scheduling state.  OFFLINE: down (never initialised, VCPUOP_down, or its domain shut
 * down); only vcpu_up() brings it back.  BLOCKED: waiting for an event or a timeout;
 * vcpu_wake() makes it RUNNABLE.  RUNNABLE covers both waiting for a CPU and running.
 */
enum vcpu_state { VCPU_OFFLINE, VCPU_RUNNABLE, VCPU_BLOCKED };

/* Credit scheduler priority classes, best first (sched.c). */
enum sched_prio { PRIO_BOOST, PRIO_UNDER, PRIO_OVER };

struct vcpu {
    struct domain *domain;
    unsigned int vcpu_id;
    enum vcpu_state state;
    bool is_idle;

    /* Hypervisor stack (STACK_SIZE); the guest's register frame sits at its top. */
    uint8_t *stack;
    uint64_t saved_sp; /* while switched out */
    struct cpu_user_regs *regs;

    /* PV mode: both guest kernel and user run at CPL 3; this says which one it is. */
    bool kernel_mode;
    uint64_t guest_table;          /* MFN of the kernel root (L4) */
    uint64_t guest_table_user;     /* MFN of the user root (L4), 0 = none */
    uint64_t kernel_ss, kernel_sp; /* stack_switch: where bounces from user mode land */
    uint64_t fs_base, gs_base_kernel, gs_base_user;
    uint16_t sel_ds, sel_es, sel_fs, sel_gs; /* data selectors, saved while switched out */

    struct guest_trap traps[256];
    struct guest_callback cb_event, cb_failsafe, cb_syscall, cb_syscall32, cb_sysenter, cb_nmi;

    /* Per-vCPU GDT (GDT_BYTES): guest entries below the hypervisor's reserved ones. */
    uint64_t *gdt;
    uint64_t gdt_frames[16];
    unsigned int gdt_nr_frames, gdt_entries;
    /* LDT (MMUEXT_SET_LDT): a checked copy of the guest's, like the GDT. */
    uint64_t ldt_base; /* guest linear address, 0 = none */
    unsigned int ldt_entries;
    uint64_t *ldt;           /* the copy the CPU uses (heap, LDT_BYTES) */
    uint64_t ldt_frames[16]; /* the guest frames it came from (type seg_desc) */
    unsigned int ldt_nr_frames;

    /* FPU/SSE state and the virtual CR0.TS (fpu_taskswitch). */
    uint8_t fpu_area[512] __attribute__((aligned(16)));
    bool fpu_initialised, fpu_ts;

    /*
     * Port I/O (pv/emulate.c, docs/irq.md): the virtual IOPL (PHYSDEVOP_set_iopl, 0..3) and
     * the guest's own I/O bitmap (PHYSDEVOP_set_iobitmap: a guest address, bit set = port
     * refused, covering iobmp_limit ports).  Either lets the vCPU try a port; the domain's
     * I/O port permission decides whether the access reaches the hardware.
     */
    unsigned int virtual_iopl;
    uint64_t iobmp;
    unsigned int iobmp_limit;

    struct vcpu_info *vcpu_info; /* in the domain's shared_info */

    /* SCHEDOP_poll / block bookkeeping. */
    uint64_t poll_deadline_ns; /* 0 = none */
    /*
     * While polling, the ports whose becoming pending wakes this vCPU (even masked ones):
     * a bitmap over the port numbers, or every port if poll_any (no ports given).
     */
    bool polling, poll_any;
    uint64_t poll_ports[EVTCHN_2L_NR_CHANNELS / 64];

    /* Event channels: the port of each VIRQ bound here (global VIRQs: on vCPU 0); 0 = none. */
    uint16_t virq_to_port[NR_VIRQS];

    /*
     * The guest's data selectors could not be reloaded (context switch, faulting return):
     * exit_to_guest() owes it the failsafe callback, whose frame shows these values.
     */
    bool failsafe_pending;
    uint16_t failsafe_sel[4]; /* ds, es, fs, gs */

    /* VCPUOP_initialise has given it a context (vCPU 0: the domain builder). */
    bool initialised;
    /* VCPUOP_register_vcpu_info: the guest frame now holding vcpu_info (0 = shared_info). */
    uint64_t vcpu_info_mfn;

    /* time.c: the timers behind VIRQ_TIMER and the SCHEDOP_poll timeout. */
    struct timer singleshot_timer, periodic_timer, poll_timer;
    uint64_t periodic_period_ns; /* 0 = no periodic timer */
    uint64_t periodic_last_ns;   /* system time of the last periodic tick */
    /* VCPUOP_register_vcpu_time_memory_area: the guest's own copy (0 = none). */
    uint64_t time_area_guest;
    uint32_t time_area_version; /* even: the version of the last copy written */

    /* Runstate (VCPUOP_get_runstate_info) and where the guest wants a copy (0 = nowhere). */
    struct vcpu_runstate_info runstate;
    uint64_t runstate_guest;

    /* Scheduler (sched.c). */
    int64_t credit;             /* ns of CPU time left this accounting period; may be < 0 */
    enum sched_prio prio;       /* from credit, or BOOST after a wake-up */
    unsigned int processor;     /* the physical CPU it runs or last ran on */
    bool is_running;            /* current on some CPU */
    bool on_runq;               /* queued, waiting for a CPU */
    bool yielding;              /* SCHEDOP_yield: make way for anyone waiting */
    uint64_t cpu_time_ns;       /* total time it ran */
    uint64_t last_start_ns;     /* when it was last put on a CPU */
    uint64_t last_burn_ns;      /* when credit was last charged */
    struct vcpu *next_runnable; /* run-queue link */
};

enum domain_state { DOM_RUNNING, DOM_SHUTDOWN, DOM_DEAD };

struct domain {
    uint16_t domid;
    char name[32];
    bool is_privileged;
    enum domain_state state;
    unsigned int shutdown_reason;
    bool crashed;

    uint64_t max_pages, tot_pages;
    uint64_t first_mfn_list; /* head of the list of frames this domain owns (page_info) */

    struct shared_info *shared_info; /* hypervisor's view (direct map) */
    uint64_t shared_info_mfn;
    uint64_t vm_assist;

    struct vcpu *vcpus[MAX_VCPUS_PER_DOM];
    unsigned int nr_vcpus;

    /* Credit scheduler parameters (sched.c): share by weight, optional cap in % of a CPU. */
    unsigned int sched_weight; /* 1..65535, default 256 as in Xen */
    unsigned int sched_cap;    /* 0 = no cap; 100 = one full CPU */
    uint64_t period_used_ns;   /* CPU time used in this accounting period (for the cap) */

    /* Event channels (common/event.c): the port table in on-demand buckets, and the port
     * each physical IRQ is bound to (0 = none). */
    struct evtchn *evtchn[EVTCHN_NR_BUCKETS];
    uint16_t pirq_to_port[NR_PIRQS];

    /* Physical IRQs and I/O ports (common/irq.c): permissions, pirq mappings, EOI map. */
    struct domain_irq irq;

    /* Guest console output, held until a newline so lines from domains don't mix. */
    char con_buf[256];
    unsigned int con_len;
};

extern struct domain *domains[MAX_DOMAINS];
extern struct domain *dom0;

/*
 * Creates an empty domain with nr_vcpus (1..MAX_VCPUS_PER_DOM) offline vCPUs.  Returns
 * NULL on failure.
 */
struct domain *domain_create(uint16_t domid, const char *name, bool privileged,
                             unsigned int nr_vcpus);

/* Total CPU time the domain's vCPUs have used, in ns. */
uint64_t domain_cpu_time(const struct domain *d);

/* Looks a domain up by id (DOMID_SELF resolves to the caller).  NULL if none. */
struct domain *domain_lookup(uint16_t domid);

/*
 * Shuts the domain down with a Xen SHUTDOWN_* reason: its vCPUs stop, its memory is given
 * back, the event is logged.  dom0 shutting down ends the machine.  Called from the
 * domain's own context or from a fault handler; does not return if it was the caller's
 * own domain and the caller asked for that (see domain_shutdown_self()).
 */
void domain_shutdown(struct domain *d, unsigned int reason);

/* Crashes the current domain with a report naming vector, rip and why; never returns. */
void domain_crash_current(const char *why, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Crashes any domain (not necessarily the current one) with a logged reason. */
void domain_crash(struct domain *d, const char *why);

/* Frees domains that have shut down and whose vCPUs are no longer running. */
void domain_reap(void);

/* Gives every frame the domain owns back to the allocator. */
void domain_free_memory(struct domain *d);

#endif
