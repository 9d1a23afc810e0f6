/* SPDX-License-Identifier: MIT */
/* ABI layout test: the reference values, measured against Xen's own headers. */

/*
 * Built with -D__XEN_TOOLS__ so Xen's headers select the latest interface
 * version (0x00040e00 in libxen-dev 4.17) and expose tools-only constants.
 * Never include anything from include/public here.
 */
#include <errno.h> /* Xen's xs_wire.h only emits xsd_errors[] if EINVAL exists */
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/callback.h>
#include <xen/elfnote.h>
#include <xen/event_channel.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/physdev.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/io/console.h>
#include <xen/io/xs_wire.h>

#include "abi-item.h"

#define MEMBER_SIZE(type, f) sizeof(((type *)0)->f)

#define SIZE(s)       {"sizeof(struct " #s ")", (long long)sizeof(struct s), NULL},
#define SIZE2(xs, ls) {"sizeof(struct " #ls ")", (long long)sizeof(struct xs), NULL},
#define OFFSET(s, f)  {"offsetof(struct " #s ", " #f ")", (long long)offsetof(struct s, f), NULL},
#define FIELD(s, f)                                                                                \
    OFFSET(s, f){"sizeof(struct " #s "." #f ")", (long long)MEMBER_SIZE(struct s, f), NULL},
#define FIELD2(xs, ls, f)                                                                          \
    {"offsetof(struct " #ls ", " #f ")", (long long)offsetof(struct xs, f), NULL},                 \
        {"sizeof(struct " #ls "." #f ")", (long long)MEMBER_SIZE(struct xs, f), NULL},
#define CONST(c) {#c, (long long)(c), NULL},
#define STR(c)   {#c, 0, c},

/* Every __HYPERVISOR_* number Xen defines (11 is unassigned). */
#define HC(name) CONST(__HYPERVISOR_##name)

const struct abi_item xen_items[] = {
#include "abi-items.h"

    HC(set_trap_table) HC(mmu_update) HC(set_gdt) HC(stack_switch) HC(set_callbacks)
        HC(fpu_taskswitch) HC(sched_op_compat) HC(platform_op) HC(set_debugreg) HC(get_debugreg)
            HC(update_descriptor) HC(memory_op) HC(multicall) HC(update_va_mapping) HC(set_timer_op)
                HC(event_channel_op_compat) HC(xen_version) HC(console_io) HC(physdev_op_compat)
                    HC(grant_table_op) HC(vm_assist) HC(update_va_mapping_otherdomain) HC(iret)
                        HC(vcpu_op) HC(set_segment_base) HC(mmuext_op) HC(xsm_op) HC(nmi_op)
                            HC(sched_op) HC(callback_op) HC(xenoprof_op) HC(event_channel_op)
                                HC(physdev_op) HC(hvm_op) HC(sysctl) HC(domctl) HC(kexec_op)
                                    HC(tmem_op) HC(argo_op) HC(xenpmu_op) HC(dm_op) HC(hypfs_op)
                                        HC(arch_0) HC(arch_1) HC(arch_2) HC(arch_3) HC(arch_4)
                                            HC(arch_5) HC(arch_6) HC(arch_7)

/*
 * Every errno value, through Xen's own X-macro. __XEN__ is defined just
 * for this expansion so the hypervisor-internal EINTR and ERESTART are
 * listed too; with XEN_ERRNO defined the header emits only the list.
 */
#define XEN_ERRNO(name, value) {#name, (value), NULL},
#define __XEN__
#include <xen/errno.h>
#undef __XEN__
};

const size_t xen_nitems = sizeof(xen_items) / sizeof(xen_items[0]);

const char *xen_xs_error_name(size_t i)
{
    if (i >= sizeof(xsd_errors) / sizeof(xsd_errors[0]))
        return NULL;
    return xsd_errors[i].errstring;
}
