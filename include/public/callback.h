/* SPDX-License-Identifier: MIT */
/* callback_op: register the guest entry points the hypervisor bounces to. */
#ifndef XEN_LITE_PUBLIC_CALLBACK_H
#define XEN_LITE_PUBLIC_CALLBACK_H

/*
 * Overview
 * --------
 * callback_op(cmd, arg) registers or removes the addresses the hypervisor
 * jumps to in the guest kernel: the event upcall, the failsafe handler (used
 * when restoring guest segment state fails), the `syscall` entry for guest
 * user mode, and NMI. The legacy set_callbacks(event, failsafe, syscall)
 * hypercall sets the first three at once. Returns 0 or -XEN_Exxx.
 */

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#define CALLBACKTYPE_event               0 /* event channel upcall */
#define CALLBACKTYPE_failsafe            1 /* bad segment state on return */
#define CALLBACKTYPE_syscall             2 /* 64-bit `syscall` from user mode */
#define CALLBACKTYPE_sysenter_deprecated 3 /* old number of sysenter */
#define CALLBACKTYPE_nmi                 4 /* virtual NMI */
#define CALLBACKTYPE_sysenter            5 /* `sysenter` from 32-bit user mode */
#define CALLBACKTYPE_syscall32           7 /* `syscall` from 32-bit user mode */

/* Set the upcall mask (disable events) when entering this callback. */
#define _CALLBACKF_mask_events 0
#define CALLBACKF_mask_events  (1U << _CALLBACKF_mask_events)

/* CALLBACKOP_register: IN struct callback_register. */
#define CALLBACKOP_register 0
/* CALLBACKOP_unregister: IN struct callback_unregister. */
#define CALLBACKOP_unregister 1

#ifndef __ASSEMBLER__

struct callback_register {
    uint16_t type;  /* IN: CALLBACKTYPE_* */
    uint16_t flags; /* IN: CALLBACKF_* */
    uint32_t _pad;
    uint64_t address; /* IN: guest virtual entry point */
};
_Static_assert(sizeof(struct callback_register) == 16, "callback_register");

struct callback_unregister {
    uint16_t type; /* IN: CALLBACKTYPE_* (event cannot be removed) */
    uint16_t _unused;
};
_Static_assert(sizeof(struct callback_unregister) == 4, "callback_unregister");

#endif /* !__ASSEMBLER__ */

#endif /* XEN_LITE_PUBLIC_CALLBACK_H */
