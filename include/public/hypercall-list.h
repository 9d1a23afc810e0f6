/* SPDX-License-Identifier: MIT */
/* Hypercall list: the one table of Xen x86_64 hypercall numbers, names and arities. */
#ifndef XEN_LITE_PUBLIC_HYPERCALL_LIST_H
#define XEN_LITE_PUBLIC_HYPERCALL_LIST_H

/*
 * Overview
 * --------
 * A guest enters the hypervisor with `syscall` from guest-kernel mode:
 * hypercall number in eax, arguments in rdi, rsi, rdx, r10, r8, r9, result
 * (0, a positive value, or -XEN_Exxx) in rax. Numbers are fixed by Xen's ABI.
 *
 * XL_HYPERCALLS(X) expands X(number, name, nargs) once per hypercall that Xen
 * defines for x86_64 in 0..42, whether or not xen-lite implements it. nargs
 * is how many of the argument registers the hypercall consumes. Everything
 * else (the __HYPERVISOR_* numbers below, handler prototypes, the dispatch
 * table, the hypercall-page generator, trace names) is generated from this
 * list, so a hypercall is added in exactly one place.
 *
 * Number 11 has never been assigned. 48..55 are per-architecture slots
 * (__HYPERVISOR_arch_0..7) that Xen uses internally; they are listed
 * separately. Calls marked "compat" are superseded older forms that some
 * old guests still issue.
 */
#define XL_HYPERCALLS(X)                                                                           \
    X(0, set_trap_table, 1)                 /* (trap_info *table)                */                \
    X(1, mmu_update, 4)                     /* (reqs, count, done*, foreigndom)  */                \
    X(2, set_gdt, 2)                        /* (frame_list*, nr_entries)         */                \
    X(3, stack_switch, 2)                   /* (ss, rsp)                         */                \
    X(4, set_callbacks, 3)                  /* (event, failsafe, syscall)        */                \
    X(5, fpu_taskswitch, 1)                 /* (set CR0.TS?)                     */                \
    X(6, sched_op_compat, 2)                /* compat: (cmd, reason)             */                \
    X(7, platform_op, 1)                    /* dom0: (xen_platform_op *)         */                \
    X(8, set_debugreg, 2)                   /* (reg, value)                      */                \
    X(9, get_debugreg, 1)                   /* (reg) -> value                    */                \
    X(10, update_descriptor, 2)             /* (machine addr, descriptor)        */                \
    X(12, memory_op, 2)                     /* (XENMEM_*, arg*)                  */                \
    X(13, multicall, 2)                     /* (multicall_entry *, count)        */                \
    X(14, update_va_mapping, 3)             /* (va, new pte, UVMF_* flags)       */                \
    X(15, set_timer_op, 1)                  /* (absolute ns deadline, 0 = stop)  */                \
    X(16, event_channel_op_compat, 1)       /* compat: (evtchn_op *)            */                 \
    X(17, xen_version, 2)                   /* (XENVER_*, arg*)                  */                \
    X(18, console_io, 3)                    /* (CONSOLEIO_*, count, buffer*)     */                \
    X(19, physdev_op_compat, 1)             /* compat: (physdev_op *)            */                \
    X(20, grant_table_op, 3)                /* (GNTTABOP_*, args*, count)        */                \
    X(21, vm_assist, 2)                     /* (VMASST_CMD_*, VMASST_TYPE_*)     */                \
    X(22, update_va_mapping_otherdomain, 4) /* (va, pte, flags, domid)    */                       \
    X(23, iret, 0)                          /* frame is on the guest stack       */                \
    X(24, vcpu_op, 3)                       /* (VCPUOP_*, vcpu id, arg*)         */                \
    X(25, set_segment_base, 2)              /* (SEGBASE_*, value)                */                \
    X(26, mmuext_op, 4)                     /* (ops, count, done*, foreigndom)   */                \
    X(27, xsm_op, 1)                        /* (security module op *)            */                \
    X(28, nmi_op, 2)                        /* (cmd, arg*)                       */                \
    X(29, sched_op, 2)                      /* (SCHEDOP_*, arg*)                 */                \
    X(30, callback_op, 2)                   /* (CALLBACKOP_*, arg*)              */                \
    X(31, xenoprof_op, 2)                   /* (cmd, arg*)                       */                \
    X(32, event_channel_op, 2)              /* (EVTCHNOP_*, arg*)                */                \
    X(33, physdev_op, 2)                    /* (PHYSDEVOP_*, arg*)               */                \
    X(34, hvm_op, 2)                        /* (HVMOP_*, arg*)                   */                \
    X(35, sysctl, 1)                        /* tools: (xen_sysctl *)             */                \
    X(36, domctl, 1)                        /* tools: (xen_domctl *)             */                \
    X(37, kexec_op, 2)                      /* (cmd, arg*)                       */                \
    X(38, tmem_op, 1)                       /* removed from Xen; always ENOSYS   */                \
    X(39, argo_op, 5)                       /* (cmd, arg1..arg4)                 */                \
    X(40, xenpmu_op, 2)                     /* (cmd, arg*)                       */                \
    X(41, dm_op, 3)                         /* (domid, nr_bufs, bufs*)           */                \
    X(42, hypfs_op, 5)                      /* (cmd, path*, len, buf*, buflen)   */

/* Size of a dispatch table indexed by hypercall number (covers arch_0..7). */
#define NR_HYPERCALLS 64

/* Number of 32-byte stubs in a guest's hypercall page. */
#define XL_HYPERCALL_PAGE_STUBS 128
#define XL_HYPERCALL_STUB_SIZE  32

#ifndef __ASSEMBLER__
#define XL_HYPERCALL_ENUM_ENTRY(nr, name, nargs) __HYPERVISOR_##name = (nr),

/* __HYPERVISOR_<name> = number, generated from the list above. */
enum xen_hypercall_nr {
    XL_HYPERCALLS(XL_HYPERCALL_ENUM_ENTRY)

    /* Per-architecture slots, reserved by Xen for its own use. */
    __HYPERVISOR_arch_0 = 48,
    __HYPERVISOR_arch_1 = 49,
    __HYPERVISOR_arch_2 = 50,
    __HYPERVISOR_arch_3 = 51,
    __HYPERVISOR_arch_4 = 52,
    __HYPERVISOR_arch_5 = 53,
    __HYPERVISOR_arch_6 = 54,
    __HYPERVISOR_arch_7 = 55,
};

#undef XL_HYPERCALL_ENUM_ENTRY

_Static_assert(__HYPERVISOR_arch_7 < NR_HYPERCALLS, "dispatch table too small");
#endif /* !__ASSEMBLER__ */

#endif /* XEN_LITE_PUBLIC_HYPERCALL_LIST_H */
