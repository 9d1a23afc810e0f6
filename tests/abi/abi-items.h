/* SPDX-License-Identifier: MIT */
/* ABI layout test: the list of structs, fields and constants both sides measure. */

/*
 * Included by xen-side.c and xl-side.c with these macros defined; each
 * expands to one or two `struct abi_item` initialisers. No include guard:
 * it is meant to be expanded more than once.
 *
 *   SIZE(s)            sizeof(struct s)
 *   FIELD(s, f)        offsetof(struct s, f) and the size of that field
 *   OFFSET(s, f)       offsetof(struct s, f) only (flexible array members)
 *   SIZE2(xs, ls)      like SIZE, where Xen calls the struct xs and we ls;
 *   FIELD2(xs, ls, f)  the item is named after our name
 *   CONST(c)           an integer constant (macro or enumerator)
 *   STR(c)             a string constant
 *
 * Hypercall numbers, errno values and xenstore error names are not listed
 * here: each side enumerates its own complete list (xen-side.c by hand from
 * Xen's headers, xl-side.c from our X-macros), and main.c checks that the
 * two sets are equal.
 *
 * To cover a new struct: add SIZE plus one FIELD per member (union members
 * and nested members with dotted paths).
 */

/* ---- xen.h: boot and shared pages */
SIZE(start_info)
FIELD(start_info, magic)
FIELD(start_info, nr_pages) FIELD(start_info, shared_info) FIELD(start_info, flags) FIELD(
    start_info, store_mfn) FIELD(start_info, store_evtchn) FIELD(start_info,
                                                                 console) FIELD(start_info,
                                                                                console.domU.mfn)
    FIELD(start_info, console.domU.evtchn) FIELD(start_info, console.dom0.info_off) FIELD(
        start_info, console.dom0.info_size) FIELD(start_info, pt_base) FIELD(start_info,
                                                                             nr_pt_frames)
        FIELD(start_info, mfn_list) FIELD(start_info, mod_start) FIELD(start_info, mod_len) FIELD(
            start_info, cmd_line) FIELD(start_info, first_p2m_pfn) FIELD(start_info, nr_p2m_frames)

            SIZE(shared_info) FIELD(shared_info, vcpu_info) FIELD(shared_info, vcpu_info[1]) FIELD(
                shared_info, evtchn_pending) FIELD(shared_info,
                                                   evtchn_mask) FIELD(shared_info, wc_version)
                FIELD(shared_info, wc_sec) FIELD(shared_info, wc_nsec) FIELD(
                    shared_info, wc_sec_hi) FIELD(shared_info, arch)

                    SIZE(
                        vcpu_info) FIELD(vcpu_info,
                                         evtchn_upcall_pending) FIELD(vcpu_info, evtchn_upcall_mask)
                        FIELD(vcpu_info, evtchn_pending_sel) FIELD(vcpu_info, arch) FIELD(
                            vcpu_info, time)

                            SIZE(vcpu_time_info) FIELD(vcpu_time_info,
                                                       version) FIELD(vcpu_time_info, pad0)
                                FIELD(vcpu_time_info,
                                      tsc_timestamp) FIELD(vcpu_time_info, system_time)
                                    FIELD(vcpu_time_info, tsc_to_system_mul) FIELD(
                                        vcpu_time_info,
                                        tsc_shift) FIELD(vcpu_time_info,
                                                         flags) FIELD(vcpu_time_info, pad1)

                                        SIZE(arch_vcpu_info) FIELD(arch_vcpu_info,
                                                                   cr2) FIELD(arch_vcpu_info, pad)

                                            SIZE(arch_shared_info) FIELD(
                                                arch_shared_info,
                                                max_pfn) FIELD(arch_shared_info,
                                                               pfn_to_mfn_frame_list_list)
                                                FIELD(arch_shared_info,
                                                      nmi_reason) FIELD(arch_shared_info, p2m_cr3)
                                                    FIELD(arch_shared_info,
                                                          p2m_vaddr) FIELD(arch_shared_info,
                                                                           p2m_generation)

                                                        SIZE(xen_multiboot_mod_list) FIELD(
                                                            xen_multiboot_mod_list,
                                                            mod_start) FIELD(xen_multiboot_mod_list,
                                                                             mod_end)
                                                            FIELD(xen_multiboot_mod_list, cmdline)
                                                                FIELD(xen_multiboot_mod_list, pad)

    /* ---- xen.h: hypercall arguments */
    SIZE(trap_info) FIELD(trap_info, vector) FIELD(trap_info, flags) FIELD(trap_info, cs)
        FIELD(trap_info, address)

            SIZE(iret_context) FIELD(iret_context, rax) FIELD(iret_context, r11)
                FIELD(iret_context, rcx) FIELD(iret_context, flags) FIELD(iret_context, rip)
                    FIELD(iret_context, cs) FIELD(iret_context, rflags) FIELD(iret_context, rsp)
                        FIELD(iret_context, ss)

                            SIZE(mmu_update) FIELD(mmu_update, ptr) FIELD(mmu_update, val)

                                SIZE(mmuext_op) FIELD(mmuext_op, cmd) FIELD(mmuext_op, arg1)
                                    FIELD(mmuext_op, arg1.mfn) FIELD(mmuext_op, arg1.linear_addr)
                                        FIELD(mmuext_op, arg2) FIELD(mmuext_op, arg2.nr_ents)
                                            FIELD(mmuext_op, arg2.vcpumask)
                                                FIELD(mmuext_op, arg2.src_mfn)

                                                    SIZE(multicall_entry) FIELD(multicall_entry, op)
                                                        FIELD(multicall_entry, result)
                                                            FIELD(multicall_entry, args)

    /* ---- callback.h */
    SIZE(callback_register) FIELD(callback_register, type) FIELD(callback_register, flags)
        FIELD(callback_register, address) SIZE(callback_unregister) FIELD(callback_unregister, type)
            FIELD(callback_unregister, _unused)

    /* ---- sched.h */
    SIZE(sched_shutdown) FIELD(sched_shutdown, reason) SIZE(sched_poll) FIELD(sched_poll, ports)
        FIELD(sched_poll, nr_ports) FIELD(sched_poll, timeout) SIZE(sched_remote_shutdown)
            FIELD(sched_remote_shutdown, domain_id) FIELD(sched_remote_shutdown, reason)
                SIZE(sched_watchdog) FIELD(sched_watchdog, id) FIELD(sched_watchdog, timeout)
                    SIZE(sched_pin_override) FIELD(sched_pin_override, pcpu)

    /* ---- vcpu.h */
    SIZE(vcpu_runstate_info) FIELD(vcpu_runstate_info, state)
        FIELD(vcpu_runstate_info, state_entry_time) FIELD(vcpu_runstate_info, time)
            SIZE(vcpu_register_runstate_memory_area) FIELD(vcpu_register_runstate_memory_area, addr)
                FIELD(vcpu_register_runstate_memory_area, addr.p) SIZE(vcpu_set_periodic_timer)
                    FIELD(vcpu_set_periodic_timer, period_ns) SIZE(vcpu_set_singleshot_timer)
                        FIELD(vcpu_set_singleshot_timer, timeout_abs_ns)
                            FIELD(vcpu_set_singleshot_timer, flags) SIZE(vcpu_register_vcpu_info)
                                FIELD(vcpu_register_vcpu_info, mfn) FIELD(vcpu_register_vcpu_info,
                                                                          offset)
                                    FIELD(vcpu_register_vcpu_info, rsvd) SIZE(vcpu_get_physid)
                                        FIELD(vcpu_get_physid, phys_id)
                                            SIZE(vcpu_register_time_memory_area)
                                                FIELD(vcpu_register_time_memory_area, addr)
                                                    FIELD(vcpu_register_time_memory_area, addr.p)

    /* ---- version.h */
    SIZE(xen_compile_info) FIELD(xen_compile_info, compiler) FIELD(xen_compile_info, compile_by)
        FIELD(xen_compile_info, compile_domain) FIELD(xen_compile_info, compile_date)
            SIZE(xen_platform_parameters) FIELD(xen_platform_parameters, virt_start)
                SIZE(xen_feature_info) FIELD(xen_feature_info, submap_idx)
                    FIELD(xen_feature_info, submap) SIZE(xen_build_id) FIELD(xen_build_id, len)
                        OFFSET(xen_build_id, buf)

    /* ---- memory.h */
    SIZE(xen_memory_reservation) FIELD(xen_memory_reservation,
                                       extent_start) FIELD(xen_memory_reservation, nr_extents)
        FIELD(xen_memory_reservation, extent_order) FIELD(xen_memory_reservation, mem_flags) FIELD(
            xen_memory_reservation, domid) SIZE(xen_memory_exchange) FIELD(xen_memory_exchange, in)
            FIELD(xen_memory_exchange, out) FIELD(xen_memory_exchange,
                                                  nr_exchanged) SIZE(xen_machphys_mfn_list)
                FIELD(xen_machphys_mfn_list, max_extents) FIELD(xen_machphys_mfn_list, extent_start)
                    FIELD(xen_machphys_mfn_list, nr_extents) SIZE(xen_machphys_mapping)
                        FIELD(xen_machphys_mapping, v_start) FIELD(xen_machphys_mapping, v_end)
                            FIELD(xen_machphys_mapping, max_mfn) SIZE(xen_add_to_physmap)
                                FIELD(xen_add_to_physmap, domid) FIELD(xen_add_to_physmap, size)
                                    FIELD(xen_add_to_physmap, space) FIELD(xen_add_to_physmap, idx)
                                        FIELD(xen_add_to_physmap,
                                              gpfn) SIZE(xen_remove_from_physmap)
                                            FIELD(xen_remove_from_physmap,
                                                  domid) FIELD(xen_remove_from_physmap, gpfn)
                                                SIZE(xen_memory_map) FIELD(xen_memory_map,
                                                                           nr_entries)
                                                    FIELD(xen_memory_map, buffer)
                                                        SIZE(xen_foreign_memory_map)
                                                            FIELD(xen_foreign_memory_map, domid)
                                                                FIELD(xen_foreign_memory_map, map)

    /* ---- event_channel.h */
    SIZE(evtchn_alloc_unbound) FIELD(evtchn_alloc_unbound,
                                     dom) FIELD(evtchn_alloc_unbound,
                                                remote_dom) FIELD(evtchn_alloc_unbound, port)
        SIZE(evtchn_bind_interdomain) FIELD(evtchn_bind_interdomain, remote_dom) FIELD(
            evtchn_bind_interdomain, remote_port) FIELD(evtchn_bind_interdomain,
                                                        local_port) SIZE(evtchn_bind_virq)
            FIELD(evtchn_bind_virq, virq) FIELD(evtchn_bind_virq, vcpu) FIELD(
                evtchn_bind_virq,
                port) SIZE(evtchn_bind_pirq) FIELD(evtchn_bind_pirq,
                                                   pirq) FIELD(evtchn_bind_pirq,
                                                               flags) FIELD(evtchn_bind_pirq, port)
                SIZE(evtchn_bind_ipi) FIELD(evtchn_bind_ipi, vcpu) FIELD(evtchn_bind_ipi, port)
                    SIZE(evtchn_close) FIELD(evtchn_close, port) SIZE(evtchn_send) FIELD(
                        evtchn_send,
                        port) SIZE(evtchn_status) FIELD(evtchn_status, dom)
                        FIELD(evtchn_status, port) FIELD(evtchn_status, status)
                            FIELD(evtchn_status, vcpu) FIELD(evtchn_status,
                                                             u) FIELD(evtchn_status, u.unbound.dom)
                                FIELD(evtchn_status,
                                      u.interdomain.dom) FIELD(evtchn_status, u.interdomain.port)
                                    FIELD(evtchn_status, u.pirq) FIELD(evtchn_status, u.virq)
                                        SIZE(evtchn_bind_vcpu) FIELD(evtchn_bind_vcpu, port) FIELD(
                                            evtchn_bind_vcpu,
                                            vcpu) SIZE(evtchn_unmask) FIELD(evtchn_unmask, port)
                                            SIZE(evtchn_reset) FIELD(evtchn_reset,
                                                                     dom) SIZE(evtchn_init_control)
                                                FIELD(evtchn_init_control, control_gfn)
                                                    FIELD(evtchn_init_control,
                                                          offset) FIELD(evtchn_init_control, vcpu)
                                                        FIELD(evtchn_init_control, link_bits) FIELD(
                                                            evtchn_init_control,
                                                            _pad) SIZE(evtchn_expand_array)
                                                            FIELD(evtchn_expand_array, array_gfn)
                                                                SIZE(evtchn_set_priority)
                                                                    FIELD(evtchn_set_priority, port)
                                                                        FIELD(evtchn_set_priority,
                                                                              priority)

    /* ---- grant_table.h */
    SIZE(grant_entry_v1) FIELD(grant_entry_v1, flags) FIELD(grant_entry_v1, domid) FIELD(
        grant_entry_v1, frame) SIZE(gnttab_map_grant_ref) FIELD(gnttab_map_grant_ref, host_addr)
        FIELD(gnttab_map_grant_ref, flags) FIELD(gnttab_map_grant_ref, ref) FIELD(
            gnttab_map_grant_ref,
            dom) FIELD(gnttab_map_grant_ref,
                       status) FIELD(gnttab_map_grant_ref, handle)
            FIELD(gnttab_map_grant_ref, dev_bus_addr) SIZE(gnttab_unmap_grant_ref) FIELD(
                gnttab_unmap_grant_ref,
                host_addr) FIELD(gnttab_unmap_grant_ref,
                                 dev_bus_addr) FIELD(gnttab_unmap_grant_ref,
                                                     handle) FIELD(gnttab_unmap_grant_ref,
                                                                   status) SIZE(gnttab_setup_table)
                FIELD(gnttab_setup_table, dom) FIELD(
                    gnttab_setup_table,
                    nr_frames) FIELD(gnttab_setup_table,
                                     status) FIELD(gnttab_setup_table,
                                                   frame_list) SIZE(gnttab_dump_table)
                    FIELD(gnttab_dump_table,
                          dom) FIELD(gnttab_dump_table,
                                     status) SIZE(gnttab_transfer) FIELD(gnttab_transfer, mfn)
                        FIELD(gnttab_transfer, domid) FIELD(gnttab_transfer, ref) FIELD(
                            gnttab_transfer,
                            status) SIZE(gnttab_copy_ptr) FIELD(gnttab_copy_ptr, u)
                            FIELD(gnttab_copy_ptr, u.ref) FIELD(gnttab_copy_ptr, u.gmfn) FIELD(
                                gnttab_copy_ptr,
                                domid) FIELD(gnttab_copy_ptr,
                                             offset) SIZE(gnttab_copy) FIELD(gnttab_copy, source)
                                FIELD(gnttab_copy, dest) FIELD(gnttab_copy, dest.offset) FIELD(
                                    gnttab_copy, len) FIELD(gnttab_copy, flags)
                                    FIELD(gnttab_copy, status) SIZE(gnttab_query_size) FIELD(
                                        gnttab_query_size, dom) FIELD(gnttab_query_size, nr_frames)
                                        FIELD(gnttab_query_size,
                                              max_nr_frames) FIELD(gnttab_query_size, status)
                                            SIZE(gnttab_unmap_and_replace)
                                                FIELD(gnttab_unmap_and_replace,
                                                      host_addr) FIELD(gnttab_unmap_and_replace,
                                                                       new_addr)
                                                    FIELD(gnttab_unmap_and_replace, handle)
                                                        FIELD(gnttab_unmap_and_replace,
                                                              status) SIZE(gnttab_set_version)
                                                            FIELD(gnttab_set_version,
                                                                  version) SIZE(gnttab_get_version)
                                                                FIELD(gnttab_get_version, dom)
                                                                    FIELD(gnttab_get_version, pad)
                                                                        FIELD(gnttab_get_version,
                                                                              version)

    /* ---- physdev.h */
    SIZE(physdev_eoi) FIELD(physdev_eoi,
                            irq) SIZE(physdev_pirq_eoi_gmfn) FIELD(physdev_pirq_eoi_gmfn, gmfn)
        SIZE(physdev_irq_status_query) FIELD(physdev_irq_status_query,
                                             irq) FIELD(physdev_irq_status_query, flags)
            SIZE(physdev_set_iopl) FIELD(physdev_set_iopl, iopl) SIZE(physdev_set_iobitmap)
                FIELD(physdev_set_iobitmap, bitmap) FIELD(physdev_set_iobitmap, nr_ports)
                    SIZE(physdev_apic) FIELD(physdev_apic, apic_physbase) FIELD(physdev_apic, reg)
                        FIELD(physdev_apic, value) SIZE(physdev_irq) FIELD(physdev_irq, irq) FIELD(
                            physdev_irq, vector) SIZE(physdev_map_pirq) FIELD(physdev_map_pirq,
                                                                              domid)
                            FIELD(physdev_map_pirq, type) FIELD(physdev_map_pirq, index)
                                FIELD(physdev_map_pirq, pirq) FIELD(physdev_map_pirq, bus)
                                    FIELD(physdev_map_pirq, devfn) FIELD(physdev_map_pirq, entry_nr)
                                        FIELD(physdev_map_pirq, table_base) SIZE(physdev_unmap_pirq)
                                            FIELD(physdev_unmap_pirq,
                                                  domid) FIELD(physdev_unmap_pirq,
                                                               pirq) SIZE(physdev_setup_gsi)
                                                FIELD(physdev_setup_gsi,
                                                      gsi) FIELD(physdev_setup_gsi, triggering)
                                                    FIELD(physdev_setup_gsi,
                                                          polarity) SIZE(physdev_get_free_pirq)
                                                        FIELD(physdev_get_free_pirq, type)
                                                            FIELD(physdev_get_free_pirq,
                                                                  pirq) SIZE(physdev_pci_device)
                                                                FIELD(physdev_pci_device, seg)
                                                                    FIELD(physdev_pci_device, bus)
                                                                        FIELD(physdev_pci_device,
                                                                              devfn)

    /* ---- io/console.h */
    SIZE(xencons_interface) FIELD(xencons_interface, in) FIELD(xencons_interface, out)
        FIELD(xencons_interface, in_cons) FIELD(xencons_interface, in_prod)
            FIELD(xencons_interface, out_cons) FIELD(xencons_interface, out_prod)

    /* ---- io/xs_wire.h */
    SIZE(xsd_sockmsg) FIELD(xsd_sockmsg, type) FIELD(xsd_sockmsg, req_id) FIELD(xsd_sockmsg, tx_id)
        FIELD(xsd_sockmsg, len) SIZE(xenstore_domain_interface)
            FIELD(xenstore_domain_interface, req) FIELD(xenstore_domain_interface, rsp)
                FIELD(xenstore_domain_interface, req_cons)
                    FIELD(xenstore_domain_interface, req_prod)
                        FIELD(xenstore_domain_interface, rsp_cons)
                            FIELD(xenstore_domain_interface, rsp_prod)
                                FIELD(xenstore_domain_interface, server_features)
                                    FIELD(xenstore_domain_interface, connection)
                                        FIELD(xenstore_domain_interface, error)

    /* ---- string constants */
    STR(XS_WRITE_NONE) STR(XS_WRITE_CREATE) STR(XS_WRITE_CREATE_EXCL)

    /* ---- integer constants, grouped by our header */
    /* xen.h */
    CONST(FLAT_RING3_CS32) CONST(FLAT_RING3_CS64) CONST(FLAT_RING3_DS32) CONST(FLAT_RING3_DS64) CONST(
        FLAT_RING3_SS32) CONST(FLAT_RING3_SS64) CONST(FLAT_KERNEL_CS64) CONST(FLAT_KERNEL_CS32)
        CONST(FLAT_KERNEL_CS) CONST(FLAT_KERNEL_DS64) CONST(FLAT_KERNEL_DS32) CONST(
            FLAT_KERNEL_DS) CONST(FLAT_KERNEL_SS64) CONST(FLAT_KERNEL_SS32) CONST(FLAT_KERNEL_SS)
            CONST(FLAT_USER_CS64) CONST(FLAT_USER_CS32) CONST(FLAT_USER_CS) CONST(FLAT_USER_DS64) CONST(
                FLAT_USER_DS32) CONST(FLAT_USER_DS) CONST(FLAT_USER_SS64) CONST(FLAT_USER_SS32) CONST(FLAT_USER_SS) CONST(FIRST_RESERVED_GDT_PAGE)
                CONST(FIRST_RESERVED_GDT_BYTE) CONST(FIRST_RESERVED_GDT_ENTRY) CONST(__HYPERVISOR_VIRT_START) CONST(
                    __HYPERVISOR_VIRT_END) CONST(HYPERVISOR_VIRT_START) CONST(HYPERVISOR_VIRT_END)
                    CONST(__MACH2PHYS_VIRT_START) CONST(__MACH2PHYS_VIRT_END) CONST(MACH2PHYS_VIRT_START) CONST(
                        MACH2PHYS_VIRT_END) CONST(MACH2PHYS_NR_ENTRIES) CONST(VIRQ_TIMER)
                        CONST(VIRQ_DEBUG) CONST(VIRQ_CONSOLE) CONST(VIRQ_DOM_EXC) CONST(VIRQ_TBUF) CONST(
                            VIRQ_DEBUGGER) CONST(VIRQ_XENOPROF) CONST(VIRQ_CON_RING) CONST(VIRQ_PCPU_STATE)
                            CONST(VIRQ_MEM_EVENT) CONST(VIRQ_ARGO) CONST(VIRQ_ENOMEM) CONST(VIRQ_XENPMU) CONST(
                                VIRQ_ARCH_0) CONST(VIRQ_ARCH_1) CONST(VIRQ_ARCH_2) CONST(VIRQ_ARCH_3) CONST(VIRQ_ARCH_4)
                                CONST(VIRQ_ARCH_5) CONST(VIRQ_ARCH_6) CONST(VIRQ_ARCH_7) CONST(NR_VIRQS) CONST(DOMID_FIRST_RESERVED) CONST(
                                    DOMID_SELF) CONST(DOMID_IO) CONST(DOMID_XEN) CONST(DOMID_COW)
                                    CONST(DOMID_INVALID) CONST(DOMID_IDLE) CONST(DOMID_MASK) CONST(MMU_NORMAL_PT_UPDATE) CONST(
                                        MMU_MACHPHYS_UPDATE) CONST(MMU_PT_UPDATE_PRESERVE_AD) CONST(MMU_PT_UPDATE_NO_TRANSLATE)
                                        CONST(MMUEXT_PIN_L1_TABLE) CONST(MMUEXT_PIN_L2_TABLE) CONST(MMUEXT_PIN_L3_TABLE) CONST(
                                            MMUEXT_PIN_L4_TABLE) CONST(MMUEXT_UNPIN_TABLE) CONST(MMUEXT_NEW_BASEPTR)
                                            CONST(MMUEXT_TLB_FLUSH_LOCAL) CONST(MMUEXT_INVLPG_LOCAL) CONST(
                                                MMUEXT_TLB_FLUSH_MULTI) CONST(MMUEXT_INVLPG_MULTI) CONST(MMUEXT_TLB_FLUSH_ALL)
                                                CONST(MMUEXT_INVLPG_ALL) CONST(MMUEXT_FLUSH_CACHE) CONST(MMUEXT_SET_LDT) CONST(
                                                    MMUEXT_NEW_USER_BASEPTR) CONST(MMUEXT_CLEAR_PAGE) CONST(MMUEXT_COPY_PAGE)
                                                    CONST(MMUEXT_FLUSH_CACHE_GLOBAL) CONST(MMUEXT_MARK_SUPER) CONST(
                                                        MMUEXT_UNMARK_SUPER) CONST(UVMF_NONE) CONST(UVMF_TLB_FLUSH)
                                                        CONST(UVMF_INVLPG) CONST(UVMF_FLUSHTYPE_MASK) CONST(
                                                            UVMF_MULTI) CONST(UVMF_LOCAL) CONST(UVMF_ALL)
                                                            CONST(CONSOLEIO_write) CONST(CONSOLEIO_read) CONST(
                                                                VMASST_CMD_enable) CONST(VMASST_CMD_disable) CONST(VMASST_TYPE_4gb_segments)
                                                                CONST(VMASST_TYPE_4gb_segments_notify) CONST(
                                                                    VMASST_TYPE_writable_pagetables) CONST(VMASST_TYPE_pae_extended_cr3)
                                                                    CONST(VMASST_TYPE_architectural_iopl) CONST(
                                                                        VMASST_TYPE_runstate_update_flag)
                                                                        CONST(VMASST_TYPE_m2p_strict) CONST(
                                                                            SEGBASE_FS) CONST(SEGBASE_GS_USER)
                                                                            CONST(SEGBASE_GS_KERNEL) CONST(
                                                                                SEGBASE_GS_USER_SEL) CONST(_VGCF_in_syscall)
                                                                                CONST(VGCF_in_syscall) CONST(
                                                                                    VGCF_IN_SYSCALL) CONST(VGCF_i387_valid)
                                                                                    CONST(VGCF_in_kernel) CONST(
                                                                                        VGCF_failsafe_disables_events)
                                                                                        CONST(VGCF_syscall_disables_events) CONST(
                                                                                            VGCF_online) CONST(XEN_LEGACY_MAX_VCPUS)
                                                                                            CONST(MAX_GUEST_CMDLINE) CONST(
                                                                                                SIF_PRIVILEGED)
                                                                                                CONST(SIF_INITDOMAIN) CONST(
                                                                                                    SIF_MULTIBOOT_MOD)
                                                                                                    CONST(SIF_MOD_START_PFN) CONST(
                                                                                                        SIF_VIRT_P2M_4TOOLS)
                                                                                                        CONST(
                                                                                                            SIF_PM_MASK)
                                                                                                            CONST(
                                                                                                                XEN_PVCLOCK_TSC_STABLE_BIT)
                                                                                                                CONST(
                                                                                                                    XEN_PVCLOCK_GUEST_STOPPED)
    /* sched.h */
    CONST(SCHEDOP_yield) CONST(SCHEDOP_block) CONST(SCHEDOP_shutdown) CONST(SCHEDOP_poll)
        CONST(SCHEDOP_remote_shutdown) CONST(SCHEDOP_shutdown_code) CONST(SCHEDOP_watchdog)
            CONST(SCHEDOP_pin_override) CONST(SHUTDOWN_poweroff) CONST(SHUTDOWN_reboot)
                CONST(SHUTDOWN_suspend) CONST(SHUTDOWN_crash) CONST(SHUTDOWN_watchdog)
                    CONST(SHUTDOWN_soft_reset) CONST(SHUTDOWN_MAX)

    /* callback.h */
    CONST(CALLBACKTYPE_event) CONST(CALLBACKTYPE_failsafe) CONST(CALLBACKTYPE_syscall)
        CONST(CALLBACKTYPE_sysenter_deprecated) CONST(CALLBACKTYPE_nmi) CONST(CALLBACKTYPE_sysenter)
            CONST(CALLBACKTYPE_syscall32) CONST(_CALLBACKF_mask_events) CONST(CALLBACKF_mask_events)
                CONST(CALLBACKOP_register) CONST(CALLBACKOP_unregister)
    /* vcpu.h */
    CONST(VCPUOP_initialise) CONST(VCPUOP_up) CONST(VCPUOP_down) CONST(VCPUOP_is_up)
        CONST(VCPUOP_get_runstate_info) CONST(VCPUOP_register_runstate_memory_area)
            CONST(VCPUOP_set_periodic_timer) CONST(VCPUOP_stop_periodic_timer)
                CONST(VCPUOP_set_singleshot_timer) CONST(VCPUOP_stop_singleshot_timer)
                    CONST(VCPUOP_register_vcpu_info) CONST(VCPUOP_send_nmi) CONST(VCPUOP_get_physid)
                        CONST(VCPUOP_register_vcpu_time_memory_area) CONST(RUNSTATE_running)
                            CONST(RUNSTATE_runnable) CONST(RUNSTATE_blocked) CONST(RUNSTATE_offline)
                                CONST(XEN_RUNSTATE_UPDATE) CONST(_VCPU_SSHOTTMR_future)
                                    CONST(VCPU_SSHOTTMR_future)

    /* version.h */
    CONST(XENVER_version) CONST(XENVER_extraversion) CONST(XEN_EXTRAVERSION_LEN)
        CONST(XENVER_compile_info) CONST(XENVER_capabilities) CONST(XEN_CAPABILITIES_INFO_LEN)
            CONST(XENVER_changeset) CONST(XEN_CHANGESET_INFO_LEN) CONST(XENVER_platform_parameters)
                CONST(XENVER_get_features) CONST(XENVER_pagesize) CONST(XENVER_guest_handle)
                    CONST(XENVER_commandline) CONST(XENVER_build_id)
    /* features.h */
    CONST(XENFEAT_writable_page_tables) CONST(XENFEAT_writable_descriptor_tables)
        CONST(XENFEAT_auto_translated_physmap) CONST(XENFEAT_supervisor_mode_kernel)
            CONST(XENFEAT_pae_pgdir_above_4gb) CONST(XENFEAT_mmu_pt_update_preserve_ad)
                CONST(XENFEAT_highmem_assist) CONST(XENFEAT_gnttab_map_avail_bits)
                    CONST(XENFEAT_hvm_callback_vector) CONST(XENFEAT_hvm_safe_pvclock)
                        CONST(XENFEAT_hvm_pirqs) CONST(XENFEAT_dom0)
                            CONST(XENFEAT_memory_op_vnode_supported)
                                CONST(XENFEAT_ARM_SMCCC_supported)
                                    CONST(XENFEAT_linux_rsdp_unrestricted)
                                        CONST(XENFEAT_not_direct_mapped)
                                            CONST(XENFEAT_direct_mapped) CONST(XENFEAT_NR_SUBMAPS)
    /* memory.h */
    CONST(XENMEM_increase_reservation) CONST(XENMEM_decrease_reservation) CONST(
        XENMEM_populate_physmap) CONST(XENMEM_maximum_ram_page) CONST(XENMEM_current_reservation)
        CONST(XENMEM_maximum_reservation) CONST(XENMEM_machphys_mfn_list)
            CONST(XENMEM_add_to_physmap) CONST(XENMEM_memory_map) CONST(XENMEM_machine_memory_map)
                CONST(XENMEM_exchange) CONST(XENMEM_machphys_mapping) CONST(XENMEM_set_memory_map)
                    CONST(XENMEM_maximum_gpfn) CONST(XENMEM_remove_from_physmap)
                        CONST(XENMEM_set_pod_target) CONST(XENMEM_get_pod_target) CONST(
                            XENMEM_get_sharing_freed_pages)
                            CONST(XENMEM_get_sharing_shared_pages) CONST(XENMEM_paging_op) CONST(
                                XENMEM_access_op) CONST(XENMEM_sharing_op)
                                CONST(XENMEM_add_to_physmap_batch) CONST(XENMEM_claim_pages) CONST(
                                    XENMEM_machphys_compat_mfn_list) CONST(XENMEM_get_vnumainfo)
                                    CONST(XENMEM_reserved_device_memory_map) CONST(
                                        XENMEM_acquire_resource) CONST(XENMEMF_populate_on_demand)
                                        CONST(XENMEMF_exact_node_request) CONST(XENMEMF_vnode)
                                            CONST(XENMAPSPACE_shared_info)
                                                CONST(XENMAPSPACE_grant_table)
                                                    CONST(XENMAPSPACE_gmfn)
                                                        CONST(XENMAPSPACE_gmfn_range)
                                                            CONST(XENMAPSPACE_gmfn_foreign)
                                                                CONST(XENMAPSPACE_dev_mmio)
    /* event_channel.h */
    CONST(EVTCHNOP_bind_interdomain) CONST(EVTCHNOP_bind_virq) CONST(EVTCHNOP_bind_pirq)
        CONST(EVTCHNOP_close) CONST(EVTCHNOP_send) CONST(EVTCHNOP_status)
            CONST(EVTCHNOP_alloc_unbound) CONST(EVTCHNOP_bind_ipi) CONST(EVTCHNOP_bind_vcpu)
                CONST(EVTCHNOP_unmask) CONST(EVTCHNOP_reset) CONST(EVTCHNOP_init_control)
                    CONST(EVTCHNOP_expand_array) CONST(EVTCHNOP_set_priority)
                        CONST(EVTCHNSTAT_closed) CONST(EVTCHNSTAT_unbound)
                            CONST(EVTCHNSTAT_interdomain) CONST(EVTCHNSTAT_pirq)
                                CONST(EVTCHNSTAT_virq) CONST(EVTCHNSTAT_ipi)
                                    CONST(BIND_PIRQ__WILL_SHARE) CONST(EVTCHN_2L_NR_CHANNELS)
                                        CONST(EVTCHN_FIFO_PRIORITY_MAX)
                                            CONST(EVTCHN_FIFO_PRIORITY_DEFAULT)
                                                CONST(EVTCHN_FIFO_PRIORITY_MIN)
                                                    CONST(EVTCHN_FIFO_LINK_BITS)
                                                        CONST(EVTCHN_FIFO_NR_CHANNELS)

    /* grant_table.h */
    CONST(GNTTABOP_map_grant_ref) CONST(GNTTABOP_unmap_grant_ref) CONST(GNTTABOP_setup_table)
        CONST(GNTTABOP_dump_table) CONST(GNTTABOP_transfer) CONST(GNTTABOP_copy) CONST(
            GNTTABOP_query_size) CONST(GNTTABOP_unmap_and_replace) CONST(GNTTABOP_set_version)
            CONST(GNTTABOP_get_status_frames) CONST(GNTTABOP_get_version) CONST(
                GNTTABOP_swap_grant_ref) CONST(GNTTABOP_cache_flush)
                CONST(GNTTAB_NR_RESERVED_ENTRIES) CONST(GNTTAB_RESERVED_CONSOLE) CONST(
                    GNTTAB_RESERVED_XENSTORE) CONST(GTF_invalid)
                    CONST(GTF_permit_access) CONST(GTF_accept_transfer) CONST(GTF_transitive) CONST(
                        GTF_type_mask) CONST(_GTF_readonly) CONST(GTF_readonly) CONST(_GTF_reading)
                        CONST(GTF_reading) CONST(_GTF_writing) CONST(
                            GTF_writing) CONST(_GTF_PWT) CONST(GTF_PWT) CONST(_GTF_PCD)
                            CONST(GTF_PCD) CONST(_GTF_PAT) CONST(GTF_PAT) CONST(
                                _GTF_sub_page) CONST(GTF_sub_page) CONST(_GTF_transfer_committed)
                                CONST(GTF_transfer_committed) CONST(_GTF_transfer_completed) CONST(
                                    GTF_transfer_completed) CONST(_GNTMAP_device_map)
                                    CONST(GNTMAP_device_map) CONST(_GNTMAP_host_map) CONST(
                                        GNTMAP_host_map) CONST(_GNTMAP_readonly)
                                        CONST(GNTMAP_readonly) CONST(_GNTMAP_application_map) CONST(
                                            GNTMAP_application_map) CONST(_GNTMAP_contains_pte)
                                            CONST(GNTMAP_contains_pte) CONST(_GNTMAP_guest_avail0) CONST(
                                                GNTMAP_guest_avail_mask) CONST(_GNTCOPY_source_gref)
                                                CONST(GNTCOPY_source_gref) CONST(
                                                    _GNTCOPY_dest_gref) CONST(GNTCOPY_dest_gref)
                                                    CONST(GNTST_okay) CONST(
                                                        GNTST_general_error) CONST(GNTST_bad_domain)
                                                        CONST(
                                                            GNTST_bad_gntref) CONST(GNTST_bad_handle)
                                                            CONST(GNTST_bad_virt_addr) CONST(
                                                                GNTST_bad_dev_addr)
                                                                CONST(GNTST_no_device_space) CONST(
                                                                    GNTST_permission_denied)
                                                                    CONST(GNTST_bad_page) CONST(
                                                                        GNTST_bad_copy_arg)
                                                                        CONST(GNTST_address_too_big)
                                                                            CONST(GNTST_eagain)
                                                                                CONST(
                                                                                    GNTST_no_space)

    /* physdev.h */
    CONST(PHYSDEVOP_IRQ_UNMASK_NOTIFY) CONST(PHYSDEVOP_irq_status_query) CONST(PHYSDEVOP_set_iopl)
        CONST(PHYSDEVOP_set_iobitmap) CONST(PHYSDEVOP_apic_read) CONST(PHYSDEVOP_apic_write) CONST(
            PHYSDEVOP_alloc_irq_vector) CONST(PHYSDEVOP_free_irq_vector) CONST(PHYSDEVOP_eoi)
            CONST(PHYSDEVOP_map_pirq) CONST(PHYSDEVOP_unmap_pirq) CONST(PHYSDEVOP_manage_pci_add)
                CONST(PHYSDEVOP_manage_pci_remove) CONST(PHYSDEVOP_pirq_eoi_gmfn_v1)
                    CONST(PHYSDEVOP_restore_msi) CONST(PHYSDEVOP_manage_pci_add_ext)
                        CONST(PHYSDEVOP_setup_gsi) CONST(PHYSDEVOP_get_free_pirq) CONST(
                            PHYSDEVOP_pci_mmcfg_reserved) CONST(PHYSDEVOP_pci_device_add)
                            CONST(PHYSDEVOP_pci_device_remove) CONST(PHYSDEVOP_restore_msi_ext)
                                CONST(PHYSDEVOP_pirq_eoi_gmfn_v2) CONST(PHYSDEVOP_dbgp_op)
                                    CONST(PHYSDEVOP_prepare_msix) CONST(PHYSDEVOP_release_msix)
                                        CONST(PHYSDEVOP_pirq_eoi_gmfn) CONST(_XENIRQSTAT_needs_eoi)
                                            CONST(XENIRQSTAT_needs_eoi) CONST(_XENIRQSTAT_shared)
                                                CONST(XENIRQSTAT_shared) CONST(MAP_PIRQ_TYPE_MSI)
                                                    CONST(MAP_PIRQ_TYPE_GSI)
                                                        CONST(MAP_PIRQ_TYPE_UNKNOWN)
                                                            CONST(MAP_PIRQ_TYPE_MSI_SEG)
                                                                CONST(MAP_PIRQ_TYPE_MULTI_MSI)

    /* elfnote.h */
    CONST(XEN_ELFNOTE_INFO) CONST(XEN_ELFNOTE_ENTRY) CONST(XEN_ELFNOTE_HYPERCALL_PAGE)
        CONST(XEN_ELFNOTE_VIRT_BASE) CONST(XEN_ELFNOTE_PADDR_OFFSET) CONST(XEN_ELFNOTE_XEN_VERSION)
            CONST(XEN_ELFNOTE_GUEST_OS) CONST(XEN_ELFNOTE_GUEST_VERSION) CONST(XEN_ELFNOTE_LOADER)
                CONST(XEN_ELFNOTE_PAE_MODE) CONST(XEN_ELFNOTE_FEATURES)
                    CONST(XEN_ELFNOTE_BSD_SYMTAB) CONST(XEN_ELFNOTE_HV_START_LOW)
                        CONST(XEN_ELFNOTE_L1_MFN_VALID) CONST(XEN_ELFNOTE_SUSPEND_CANCEL)
                            CONST(XEN_ELFNOTE_INIT_P2M) CONST(XEN_ELFNOTE_MOD_START_PFN)
                                CONST(XEN_ELFNOTE_SUPPORTED_FEATURES)
                                    CONST(XEN_ELFNOTE_PHYS32_ENTRY) CONST(XEN_ELFNOTE_CRASH_INFO)
                                        CONST(XEN_ELFNOTE_CRASH_REGS)
                                            CONST(XEN_ELFNOTE_DUMPCORE_NONE)
                                                CONST(XEN_ELFNOTE_DUMPCORE_HEADER)
                                                    CONST(XEN_ELFNOTE_DUMPCORE_XEN_VERSION)
                                                        CONST(XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION)
    /* io/xs_wire.h */
    CONST(XENSTORE_PAYLOAD_MAX) CONST(XENSTORE_ABS_PATH_MAX) CONST(XENSTORE_REL_PATH_MAX)
        CONST(XENSTORE_RING_SIZE) CONST(XENSTORE_SERVER_FEATURE_RECONNECTION)
            CONST(XENSTORE_SERVER_FEATURE_ERROR) CONST(XENSTORE_CONNECTED) CONST(XENSTORE_RECONNECT)
                CONST(XENSTORE_ERROR_NONE) CONST(XENSTORE_ERROR_COMM) CONST(XENSTORE_ERROR_RINGIDX)
                    CONST(XENSTORE_ERROR_PROTO) CONST(XS_DEBUG) CONST(XS_CONTROL)
                        CONST(XS_DIRECTORY) CONST(XS_READ) CONST(XS_GET_PERMS) CONST(XS_WATCH)
                            CONST(XS_UNWATCH) CONST(XS_TRANSACTION_START) CONST(XS_TRANSACTION_END)
                                CONST(XS_INTRODUCE) CONST(XS_RELEASE) CONST(XS_GET_DOMAIN_PATH)
                                    CONST(XS_WRITE) CONST(XS_MKDIR) CONST(XS_RM) CONST(XS_SET_PERMS)
                                        CONST(XS_WATCH_EVENT) CONST(XS_ERROR)
                                            CONST(XS_IS_DOMAIN_INTRODUCED) CONST(XS_RESUME)
                                                CONST(XS_SET_TARGET) CONST(XS_RESET_WATCHES)
                                                    CONST(XS_DIRECTORY_PART) CONST(XS_TYPE_COUNT)
                                                        CONST(XS_INVALID) CONST(XS_WATCH_PATH)
                                                            CONST(XS_WATCH_TOKEN)
