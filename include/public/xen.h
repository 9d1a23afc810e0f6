/* SPDX-License-Identifier: MIT */
/* Core PV ABI: selectors, address-space layout, start_info, shared_info, MMU ops. */
#ifndef XEN_LITE_PUBLIC_XEN_H
#define XEN_LITE_PUBLIC_XEN_H

/*
 * Overview
 * --------
 * Everything a 64-bit PV guest and the hypervisor must agree on that is not
 * owned by one hypercall family: the flat segment selectors, the virtual
 * range the hypervisor reserves, the pages handed over at boot (start_info,
 * shared_info / vcpu_info), and the page-table hypercalls (mmu_update,
 * mmuext_op, update_va_mapping, multicall, set_trap_table, iret,
 * console_io, vm_assist, set_segment_base).
 *
 * Conventions used in all include/public headers:
 *  - Every field has an explicit width. Guest pointers ("handles") are
 *    uint64_t guest-virtual addresses; "mfn" is a machine frame number,
 *    "pfn"/"gpfn" a guest pseudo-physical frame number.
 *  - Padding that Xen leaves implicit is spelled out as _pad fields; it is
 *    ignored on input and written as zero on output.
 *  - Text buffers are char arrays (one byte each); they are not always
 *    NUL-terminated, see the per-field notes.
 *  - Sizes are checked with _Static_assert right after each struct.
 *
 * Macros (not the C structs) are usable from assembly: the C parts are
 * guarded by __ASSEMBLER__.
 */

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/* 64-bit constant that also works in assembly. */
#ifndef XL_U64
#ifdef __ASSEMBLER__
#define XL_U64(x) x
#else
#define XL_U64(x) x##ULL
#endif
#endif

/* ---------------------------------------------------------------------
 * Flat segments. Guest kernel and guest user code both run at CPL 3, so all
 * of these have RPL 3. The hypervisor provides the descriptors in reserved
 * GDT entries 260..262; 64-bit data segments use the NULL selector.
 * In bounce frames the hypervisor shows the guest kernel its own CS with
 * RPL 0 (0xe030) so the kernel can tell "interrupted myself" from "user".
 */
#define FLAT_RING3_CS32 0xe023 /* GDT entry 260 */
#define FLAT_RING3_CS64 0xe033 /* GDT entry 262 */
#define FLAT_RING3_DS32 0xe02b /* GDT entry 261 */
#define FLAT_RING3_DS64 0x0000 /* NULL selector: flat in long mode */
#define FLAT_RING3_SS32 0xe02b
#define FLAT_RING3_SS64 0xe02b

#define FLAT_KERNEL_CS64 FLAT_RING3_CS64
#define FLAT_KERNEL_CS32 FLAT_RING3_CS32
#define FLAT_KERNEL_CS   FLAT_KERNEL_CS64
#define FLAT_KERNEL_DS64 FLAT_RING3_DS64
#define FLAT_KERNEL_DS32 FLAT_RING3_DS32
#define FLAT_KERNEL_DS   FLAT_KERNEL_DS64
#define FLAT_KERNEL_SS64 FLAT_RING3_SS64
#define FLAT_KERNEL_SS32 FLAT_RING3_SS32
#define FLAT_KERNEL_SS   FLAT_KERNEL_SS64

#define FLAT_USER_CS64 FLAT_RING3_CS64
#define FLAT_USER_CS32 FLAT_RING3_CS32
#define FLAT_USER_CS   FLAT_USER_CS64
#define FLAT_USER_DS64 FLAT_RING3_DS64
#define FLAT_USER_DS32 FLAT_RING3_DS32
#define FLAT_USER_DS   FLAT_USER_DS64
#define FLAT_USER_SS64 FLAT_RING3_SS64
#define FLAT_USER_SS32 FLAT_RING3_SS32
#define FLAT_USER_SS   FLAT_USER_SS64

/* First GDT frame the hypervisor owns; guest GDTs must stay below it. */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

/* ---------------------------------------------------------------------
 * Hypervisor-owned virtual range: L4 slots 256..271. Guests may not create
 * mappings here; the hypervisor installs its own entries in every guest L4.
 * The read-only machine-to-phys table (one uint64_t PFN per MFN) sits at the
 * start of the range.
 */
#define __HYPERVISOR_VIRT_START XL_U64(0xFFFF800000000000)
#define __HYPERVISOR_VIRT_END   XL_U64(0xFFFF880000000000)
#define HYPERVISOR_VIRT_START   __HYPERVISOR_VIRT_START
#define HYPERVISOR_VIRT_END     __HYPERVISOR_VIRT_END
#define __MACH2PHYS_VIRT_START  XL_U64(0xFFFF800000000000)
#define __MACH2PHYS_VIRT_END    XL_U64(0xFFFF804000000000)
#define MACH2PHYS_VIRT_START    __MACH2PHYS_VIRT_START
#define MACH2PHYS_VIRT_END      __MACH2PHYS_VIRT_END
#define MACH2PHYS_NR_ENTRIES    ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)

/* ---------------------------------------------------------------------
 * Virtual IRQs, bound to event channels with EVTCHNOP_bind_virq.
 * "per-vCPU" VIRQs are bound on each vCPU separately; "global" ones once per
 * domain (and most are only raised for the control domain).
 */
#define VIRQ_TIMER      0  /* per-vCPU: single-shot/periodic timer fired */
#define VIRQ_DEBUG      1  /* per-vCPU: hypervisor asks for a state dump */
#define VIRQ_CONSOLE    2  /* global, dom0: input on the hypervisor console */
#define VIRQ_DOM_EXC    3  /* global, dom0: some domain shut down/crashed */
#define VIRQ_TBUF       4  /* global, dom0: trace records available */
#define VIRQ_DEBUGGER   6  /* global, dom0: a domain paused for debugging */
#define VIRQ_XENOPROF   7  /* per-vCPU: profiling sample available */
#define VIRQ_CON_RING   8  /* global, dom0: hypervisor console ring has data */
#define VIRQ_PCPU_STATE 9  /* global, dom0: physical CPU state changed */
#define VIRQ_MEM_EVENT  10 /* global, dom0: memory event raised */
#define VIRQ_ARGO       11 /* global: Argo message arrived */
#define VIRQ_ENOMEM     12 /* global, dom0: hypervisor heap is low */
#define VIRQ_XENPMU     13 /* per-vCPU: performance counter interrupt */
#define VIRQ_ARCH_0     16 /* 16..23: architecture-specific */
#define VIRQ_ARCH_1     17
#define VIRQ_ARCH_2     18
#define VIRQ_ARCH_3     19
#define VIRQ_ARCH_4     20
#define VIRQ_ARCH_5     21
#define VIRQ_ARCH_6     22
#define VIRQ_ARCH_7     23
#define NR_VIRQS        24

/* ---------------------------------------------------------------------
 * Domain identifiers. Real domains are 0..DOMID_FIRST_RESERVED-1; the rest
 * are pseudo-domains accepted in specific arguments.
 */
#define DOMID_FIRST_RESERVED 0x7FF0
#define DOMID_SELF           0x7FF0 /* "the calling domain" */
#define DOMID_IO             0x7FF1 /* owner of MMIO / I/O frames (foreigndom arg) */
#define DOMID_XEN            0x7FF2 /* owner of hypervisor frames shared read-only */
#define DOMID_COW            0x7FF3 /* owner of shared copy-on-write frames */
#define DOMID_INVALID        0x7FF4 /* "no domain" */
#define DOMID_IDLE           0x7FFF /* the idle domain (never a valid argument) */
#define DOMID_MASK           0x7FFF

/* ---------------------------------------------------------------------
 * mmu_update(reqs, count, done*, foreigndom)
 *
 * Applies `count` struct mmu_update requests in order. The low 2 bits of
 * `ptr` select the request type, the rest is a machine address:
 *   MMU_NORMAL_PT_UPDATE       ptr = MA of a PTE; validate `val` and store
 *                              it in that PTE.
 *   MMU_MACHPHYS_UPDATE        ptr = MA of a frame the caller owns; set its
 *                              M2P entry to `val` (a PFN).
 *   MMU_PT_UPDATE_PRESERVE_AD  as NORMAL, but keep the Accessed/Dirty bits
 *                              the CPU may have set in the old PTE.
 *   MMU_PT_UPDATE_NO_TRANSLATE as NORMAL; only meaningful for translated
 *                              guests.
 * OUT *done (if non-NULL): requests completed. On error the hypervisor stops
 * at the failing request and returns -errno; earlier ones stay applied.
 * A long batch may be preempted and resumed transparently.
 * foreigndom: DOMID_SELF, or the domain whose frames `val` may map.
 */
#define MMU_NORMAL_PT_UPDATE      0
#define MMU_MACHPHYS_UPDATE       1
#define MMU_PT_UPDATE_PRESERVE_AD 2
/* Set in the count of a preempted mmu_update/mmuext_op continuation. */
#define MMU_UPDATE_PREEMPTED       0x80000000U
#define MMU_PT_UPDATE_NO_TRANSLATE 3

/*
 * mmuext_op(ops, count, done*, foreigndom)
 *
 * Extended MMU commands, one struct mmuext_op each (arguments per command):
 *   PIN_Ln_TABLE      arg1.mfn: validate the frame as an Ln table and hold a
 *                     type reference until UNPIN_TABLE.
 *   UNPIN_TABLE       arg1.mfn.
 *   NEW_BASEPTR       arg1.mfn: new kernel-mode L4 (loads CR3 in kernel mode).
 *   NEW_USER_BASEPTR  arg1.mfn: L4 used while the guest runs in user mode
 *                     (0 = none; then iret to user mode fails).
 *   TLB_FLUSH_LOCAL   -           INVLPG_LOCAL  arg1.linear_addr
 *   TLB_FLUSH_MULTI   arg2.vcpumask (guest pointer to a vCPU bitmap)
 *   INVLPG_MULTI      arg1.linear_addr, arg2.vcpumask
 *   TLB_FLUSH_ALL     -           INVLPG_ALL    arg1.linear_addr
 *   FLUSH_CACHE       -           FLUSH_CACHE_GLOBAL -
 *   SET_LDT           arg1.linear_addr, arg2.nr_ents (0 = no LDT)
 *   CLEAR_PAGE        arg1.mfn    COPY_PAGE     arg1.mfn, arg2.src_mfn
 *   MARK_SUPER / UNMARK_SUPER  arg1.mfn (superpage tracking; obsolete)
 * OUT *done as for mmu_update.
 */
#define MMUEXT_PIN_L1_TABLE       0
#define MMUEXT_PIN_L2_TABLE       1
#define MMUEXT_PIN_L3_TABLE       2
#define MMUEXT_PIN_L4_TABLE       3
#define MMUEXT_UNPIN_TABLE        4
#define MMUEXT_NEW_BASEPTR        5
#define MMUEXT_TLB_FLUSH_LOCAL    6
#define MMUEXT_INVLPG_LOCAL       7
#define MMUEXT_TLB_FLUSH_MULTI    8
#define MMUEXT_INVLPG_MULTI       9
#define MMUEXT_TLB_FLUSH_ALL      10
#define MMUEXT_INVLPG_ALL         11
#define MMUEXT_FLUSH_CACHE        12
#define MMUEXT_SET_LDT            13
#define MMUEXT_NEW_USER_BASEPTR   15
#define MMUEXT_CLEAR_PAGE         16
#define MMUEXT_COPY_PAGE          17
#define MMUEXT_FLUSH_CACHE_GLOBAL 18
#define MMUEXT_MARK_SUPER         19
#define MMUEXT_UNMARK_SUPER       20

/*
 * update_va_mapping(va, pte, flags)
 * update_va_mapping_otherdomain(va, pte, flags, domid)
 *
 * Replace the L1 entry that maps `va` in the current page tables with `pte`
 * (validated as for MMU_NORMAL_PT_UPDATE), then flush as `flags` says:
 * a flush type (bits 0-1) combined with a scope (bit 2, or a pointer to a
 * vCPU bitmap when UVMF_MULTI is meant). UVMF_LOCAL is UVMF_MULTI with no
 * bitmap: flush only the calling vCPU.
 */
#define UVMF_NONE           0 /* no flush */
#define UVMF_TLB_FLUSH      1 /* flush the whole TLB */
#define UVMF_INVLPG         2 /* flush just `va` */
#define UVMF_FLUSHTYPE_MASK 3
#define UVMF_MULTI          0 /* OR in a pointer to a vCPU bitmap */
#define UVMF_LOCAL          0 /* calling vCPU only */
#define UVMF_ALL            4 /* every vCPU of the domain */

/*
 * console_io(cmd, count, buffer)
 *   CONSOLEIO_write  IN buffer[count] bytes to print on the hypervisor
 *                    console. Returns 0.
 *   CONSOLEIO_read   OUT up to count bytes of console input (dom0 only).
 *                    Returns the number of bytes read.
 */
#define CONSOLEIO_write 0
#define CONSOLEIO_read  1

/*
 * vm_assist(cmd, type): enable or disable an optional hypervisor behaviour.
 */
#define VMASST_CMD_enable                0
#define VMASST_CMD_disable               1
#define VMASST_TYPE_4gb_segments         0  /* 32-bit only */
#define VMASST_TYPE_4gb_segments_notify  1  /* 32-bit only */
#define VMASST_TYPE_writable_pagetables  2  /* trap-and-emulate PTE writes */
#define VMASST_TYPE_pae_extended_cr3     3  /* 32-bit PAE only */
#define VMASST_TYPE_architectural_iopl   4  /* IOPL acts like on hardware */
#define VMASST_TYPE_runstate_update_flag 5  /* XEN_RUNSTATE_UPDATE in use */
#define VMASST_TYPE_m2p_strict           32 /* hide M2P from user mode */

/*
 * set_segment_base(which, value): load a segment base the guest cannot load
 * itself at CPL 3.
 */
#define SEGBASE_FS          0 /* FS base */
#define SEGBASE_GS_USER     1 /* user GS base (swapped in on return to user) */
#define SEGBASE_GS_KERNEL   2 /* kernel GS base */
#define SEGBASE_GS_USER_SEL 3 /* load user %gs selector from value[15:0] */

/* ---------------------------------------------------------------------
 * iret hypercall. The guest pushes a struct iret_context (lowest address =
 * rax) and jumps to hypercall stub 23. The hypervisor pops it, forces CS/SS
 * RPL 3, switches to user mode (and the user L4) if CS RPL says so, restores
 * the virtual IF from rflags.IF into the upcall mask, and unless
 * VGCF_in_syscall is set in `flags` also restores rcx and r11.
 */
#define _VGCF_in_syscall 8
#define VGCF_in_syscall  (1 << _VGCF_in_syscall)
#define VGCF_IN_SYSCALL  VGCF_in_syscall

/* Flags of a vcpu_guest_context (VCPUOP_initialise). */
#define VGCF_i387_valid               (1 << 0)
#define VGCF_in_kernel                (1 << 2)
#define VGCF_failsafe_disables_events (1 << 3)
#define VGCF_syscall_disables_events  (1 << 4)
#define VGCF_online                   (1 << 5)

/* Number of vcpu_info slots embedded in shared_info. */
#define XEN_LEGACY_MAX_VCPUS 32
#define MAX_VIRT_CPUS        XEN_LEGACY_MAX_VCPUS

/* start_info.magic for a 64-bit PV guest (NUL-padded to 32 bytes). */
#define XEN_START_INFO_MAGIC "xen-3.0-x86_64"
#define MAX_GUEST_CMDLINE    1024

/* start_info.flags */
#define SIF_PRIVILEGED      (1 << 0)    /* domain may use privileged ops */
#define SIF_INITDOMAIN      (1 << 1)    /* domain is the initial control domain */
#define SIF_MULTIBOOT_MOD   (1 << 2)    /* mod_start is a multiboot module list */
#define SIF_MOD_START_PFN   (1 << 3)    /* mod_start is a PFN, not a vaddr */
#define SIF_VIRT_P2M_4TOOLS (1 << 4)    /* tools understand a virtual p2m list */
#define SIF_PM_MASK         (0xFF << 8) /* power-management options byte */

/* vcpu_time_info.flags */
#define XEN_PVCLOCK_TSC_STABLE_BIT (1 << 0) /* TSC is synchronised across vCPUs */
#define XEN_PVCLOCK_GUEST_STOPPED  (1 << 1) /* guest was paused */

/*
 * Forced-emulation prefix: `ud2a; .ascii "xen"` followed by cpuid asks the
 * hypervisor to emulate that cpuid (with hypervisor leaves 0x40000000+).
 */
#ifdef __ASSEMBLER__
#define XEN_EMULATE_PREFIX .byte 0x0f, 0x0b, 0x78, 0x65, 0x6e;
#define XEN_CPUID          XEN_EMULATE_PREFIX cpuid
#else
#define XEN_EMULATE_PREFIX ".byte 0x0f,0x0b,0x78,0x65,0x6e; "
#define XEN_CPUID          XEN_EMULATE_PREFIX "cpuid"
#endif

#ifndef __ASSEMBLER__

/* One mmu_update request (see above). */
struct mmu_update {
    uint64_t ptr; /* IN: machine address | MMU_* type in bits 0-1 */
    uint64_t val; /* IN: new PTE value, or PFN for MACHPHYS_UPDATE */
};
_Static_assert(sizeof(struct mmu_update) == 16, "mmu_update");

/* One mmuext_op command (see above for which argument each uses). */
struct mmuext_op {
    uint32_t cmd; /* IN: MMUEXT_* */
    uint32_t _pad;
    union {
        uint64_t mfn;         /* IN: table / page frame */
        uint64_t linear_addr; /* IN: guest virtual address */
    } arg1;
    union {
        uint32_t nr_ents;  /* IN: SET_LDT entry count */
        uint64_t vcpumask; /* IN: guest pointer to a vCPU bitmap */
        uint64_t src_mfn;  /* IN: COPY_PAGE source frame */
    } arg2;
};
_Static_assert(sizeof(struct mmuext_op) == 24, "mmuext_op");

/*
 * multicall(entries, count): run `count` hypercalls in a row. For each entry
 * the hypervisor calls hypercall `op` with args[0..5] and stores its return
 * value in `result`. It stops after an entry that crashes the domain and is
 * preemptible between entries. Returns 0 unless the list itself is bad.
 */
struct multicall_entry {
    uint64_t op;      /* IN: __HYPERVISOR_* number */
    uint64_t result;  /* OUT: the hypercall's return value */
    uint64_t args[6]; /* IN: register arguments, rdi first */
};
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry");

/*
 * set_trap_table(table): install the guest's virtual IDT. `table` is an
 * array terminated by an entry with address == 0; NULL clears all entries.
 * A fault or `int N` is bounced to `address` if the entry exists and, for
 * `int N`, the current privilege (0 in guest kernel, 3 in guest user) is
 * <= the entry's DPL; otherwise the guest gets #GP. `cs` is ignored: the
 * handler always runs on FLAT_KERNEL_CS.
 */
struct trap_info {
    uint8_t vector; /* IN: exception/interrupt vector 0..255 */
    uint8_t flags;  /* IN: bits 0-1 DPL, bit 2 mask events on entry */
    uint16_t cs;    /* IN: ignored on x86_64 */
    uint32_t _pad;
    uint64_t address; /* IN: handler entry point (0 ends the list) */
};
_Static_assert(sizeof(struct trap_info) == 16, "trap_info");

/*
 * A vCPU's user-visible registers as Xen lays them out (Xen's name: struct
 * cpu_user_regs; the hypervisor's own saved frame is a different struct).
 * Used in vcpu_guest_context.  Selectors are 16 bits in 8-byte slots.
 */
struct xen_cpu_user_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint32_t error_code;   /* private */
    uint32_t entry_vector; /* private */
    uint64_t rip;
    uint16_t cs, _pad0[1];
    uint8_t saved_upcall_mask;
    uint8_t _pad1[3];
    uint64_t rflags; /* rflags.IF == !saved_upcall_mask */
    uint64_t rsp;
    uint16_t ss, _pad2[3];
    uint16_t es, _pad3[3];
    uint16_t ds, _pad4[3];
    uint16_t fs, _pad5[3];
    uint16_t gs, _pad6[3];
};
_Static_assert(sizeof(struct xen_cpu_user_regs) == 200, "xen_cpu_user_regs");

/*
 * VCPUOP_initialise(vcpu, ctxt): the whole starting state of a vCPU that is
 * not yet initialised.  ctrlreg[3] = kernel root (mfn << 12), ctrlreg[1] =
 * user root (0 = none); gdt_frames are machine frames; callbacks are entry
 * points in the guest kernel (flags say whether they mask events).
 */
struct vcpu_guest_context {
    struct {
        char x[512];
    } fpu_ctxt;     /* FXSAVE image, valid if VGCF_i387_valid */
    uint64_t flags; /* VGCF_* */
    struct xen_cpu_user_regs user_regs;
    struct trap_info trap_ctxt[256];
    uint64_t ldt_base, ldt_ents;
    uint64_t gdt_frames[16], gdt_ents;
    uint64_t kernel_ss, kernel_sp;
    uint64_t ctrlreg[8];
    uint64_t debugreg[8];
    uint64_t event_callback_eip;
    uint64_t failsafe_callback_eip;
    uint64_t syscall_callback_eip;
    uint64_t vm_assist;
    uint64_t fs_base, gs_base_kernel, gs_base_user;
};
_Static_assert(sizeof(struct vcpu_guest_context) == 5168, "vcpu_guest_context");

#define TI_GET_DPL(ti)      ((ti)->flags & 3)
#define TI_GET_IF(ti)       ((ti)->flags & 4)
#define TI_SET_DPL(ti, dpl) ((ti)->flags |= (uint8_t)((dpl)&3))
#define TI_SET_IF(ti, mask) ((ti)->flags |= (uint8_t)((!!(mask)) << 2))

/* The frame consumed by the iret hypercall, lowest address first. */
struct iret_context {
    uint64_t rax;   /* restored rax (the stub pushed it) */
    uint64_t r11;   /* restored unless VGCF_in_syscall */
    uint64_t rcx;   /* restored unless VGCF_in_syscall */
    uint64_t flags; /* VGCF_in_syscall or 0 */
    uint64_t rip;
    uint64_t cs;     /* RPL forced to 3; RPL 3 in the guest's view = user */
    uint64_t rflags; /* IF becomes the virtual interrupt flag */
    uint64_t rsp;
    uint64_t ss;
};
_Static_assert(sizeof(struct iret_context) == 72, "iret_context");

/*
 * Per-vCPU time base, written by the hypervisor. Readers use the version
 * protocol: read version (retry while odd), read the fields, re-read version
 * and retry if it changed. Current system time in ns is
 *   system_time + (((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul) >> 32
 * (a negative tsc_shift means shift right).
 */
struct vcpu_time_info {
    uint32_t version; /* odd while an update is in progress */
    uint32_t pad0;
    uint64_t tsc_timestamp;     /* TSC at the last update */
    uint64_t system_time;       /* ns since boot at tsc_timestamp */
    uint32_t tsc_to_system_mul; /* 32.32 fixed-point TSC->ns multiplier */
    int8_t tsc_shift;           /* pre-shift of the TSC delta */
    uint8_t flags;              /* XEN_PVCLOCK_* */
    uint8_t pad1[2];
};
_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info");

/* x86-specific part of vcpu_info. */
struct arch_vcpu_info {
    uint64_t cr2; /* faulting address of the last #PF bounced to the guest */
    uint64_t pad;
};
_Static_assert(sizeof(struct arch_vcpu_info) == 16, "arch_vcpu_info");

/*
 * Per-vCPU event state. The hypervisor sets evtchn_upcall_pending (after
 * setting a bit in evtchn_pending_sel) and, if evtchn_upcall_mask is 0,
 * delivers the event callback. The guest clears pending before scanning.
 * evtchn_upcall_mask is the guest's virtual interrupt flag (1 = disabled);
 * only the guest writes it, except on callback entry and SCHEDOP_block.
 */
struct vcpu_info {
    uint8_t evtchn_upcall_pending; /* written by hypervisor, cleared by guest */
    uint8_t evtchn_upcall_mask;    /* written by guest: 1 = events masked */
    uint8_t _pad[6];
    uint64_t evtchn_pending_sel; /* bit i: evtchn_pending[i] has work */
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;
};
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info");

/* x86-specific part of shared_info. */
struct arch_shared_info {
    uint64_t max_pfn;                    /* guest: highest PFN + 1 in the p2m */
    uint64_t pfn_to_mfn_frame_list_list; /* guest: MFN of the p2m frame list list */
    uint64_t nmi_reason;                 /* hypervisor: why an NMI was sent */
    uint64_t p2m_cr3;                    /* guest: CR3 of a linear p2m (0 = none) */
    uint64_t p2m_vaddr;                  /* guest: virtual address of the p2m */
    uint64_t p2m_generation;             /* guest: bumped on every p2m change */
};
_Static_assert(sizeof(struct arch_shared_info) == 48, "arch_shared_info");

/*
 * The shared info page, one per domain, mapped by the guest at the machine
 * address start_info.shared_info. Event channel bit for port p:
 * word p / 64, bit p % 64 of evtchn_pending / evtchn_mask.
 * A pending bit set while its mask bit is set raises no upcall; the guest
 * must re-check pending bits when it unmasks.
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    uint64_t evtchn_pending[64]; /* set by hypervisor, cleared by guest */
    uint64_t evtchn_mask[64];    /* written by guest only */
    uint32_t wc_version;         /* wall clock, version protocol as above */
    uint32_t wc_sec;             /* seconds since the epoch at system time 0 */
    uint32_t wc_nsec;
    uint32_t wc_sec_hi; /* high 32 bits of wc_sec */
    struct arch_shared_info arch;
};
_Static_assert(sizeof(struct shared_info) == 3136, "shared_info");

/*
 * The start_info page, built by the domain builder; its virtual address is
 * in rsi when the guest starts. Fields above pt_base are refreshed on
 * resume, the rest only at first boot.
 */
struct start_info {
    char magic[32];       /* XEN_START_INFO_MAGIC, NUL padded */
    uint64_t nr_pages;    /* total pages of the domain */
    uint64_t shared_info; /* MACHINE address of the shared_info page */
    uint32_t flags;       /* SIF_* */
    uint32_t _pad0;
    uint64_t store_mfn;    /* MFN of the xenstore ring page */
    uint32_t store_evtchn; /* event channel of the xenstore ring */
    uint32_t _pad1;
    union {
        struct {
            uint64_t mfn;    /* MFN of the console ring page */
            uint32_t evtchn; /* event channel of the console ring */
            uint32_t _pad;
        } domU;
        struct {
            uint32_t info_off;  /* offset of a VGA console info blob */
            uint32_t info_size; /* its size */
        } dom0;
    } console;
    uint64_t pt_base;                 /* VIRTUAL address of the root page table */
    uint64_t nr_pt_frames;            /* number of boot page-table frames */
    uint64_t mfn_list;                /* VIRTUAL address of the p2m list */
    uint64_t mod_start;               /* VIRTUAL address (or PFN, see flags) of initrd */
    uint64_t mod_len;                 /* initrd size in bytes */
    char cmd_line[MAX_GUEST_CMDLINE]; /* NUL-terminated kernel command line */
    uint64_t first_p2m_pfn;           /* first PFN of the p2m + page-table frames */
    uint64_t nr_p2m_frames;           /* number of those frames */
};
_Static_assert(sizeof(struct start_info) == 1168, "start_info");

/* Entry of the module list when SIF_MULTIBOOT_MOD is set (dom0 only). */
struct xen_multiboot_mod_list {
    uint32_t mod_start; /* physical address of the first byte */
    uint32_t mod_end;   /* physical address of the last byte (inclusive) */
    uint32_t cmdline;   /* physical address of a NUL-terminated string */
    uint32_t pad;
};
_Static_assert(sizeof(struct xen_multiboot_mod_list) == 16, "xen_multiboot_mod_list");

#endif /* !__ASSEMBLER__ */

#endif /* XEN_LITE_PUBLIC_XEN_H */
