/* SPDX-License-Identifier: MIT */
/* event_channel_op: create, bind, signal and close event channels. */
#ifndef XEN_LITE_PUBLIC_EVENT_CHANNEL_H
#define XEN_LITE_PUBLIC_EVENT_CHANNEL_H

/*
 * Overview
 * --------
 * An event channel is a numbered port in a domain; signalling it sets the
 * port's pending bit in shared_info (2-level ABI) and may raise an upcall.
 * A port is bound to exactly one source: another domain's port
 * (interdomain), a VIRQ, a physical IRQ (PIRQ) or an IPI from the same
 * domain.
 *
 * event_channel_op(cmd, arg): arg points to the command's struct. Ports
 * are uint32_t, domain ids uint16_t. Returns 0 or -XEN_Exxx.
 */

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/* EVTCHNOP_bind_interdomain: IN remote_dom, remote_port; OUT local_port.
 * The remote port must be unbound and offered to the caller. */
#define EVTCHNOP_bind_interdomain 0
/* EVTCHNOP_bind_virq: IN virq, vcpu; OUT port. */
#define EVTCHNOP_bind_virq 1
/* EVTCHNOP_bind_pirq: IN pirq, flags; OUT port (privileged guests). */
#define EVTCHNOP_bind_pirq 2
/* EVTCHNOP_close: IN port. The peer of an interdomain port becomes unbound. */
#define EVTCHNOP_close 3
/* EVTCHNOP_send: IN port. Signal the other end (or the port itself). */
#define EVTCHNOP_send 4
/* EVTCHNOP_status: IN dom, port; OUT status, vcpu, u. */
#define EVTCHNOP_status 5
/* EVTCHNOP_alloc_unbound: IN dom, remote_dom; OUT port, waiting for
 * remote_dom to bind to it. */
#define EVTCHNOP_alloc_unbound 6
/* EVTCHNOP_bind_ipi: IN vcpu; OUT port. */
#define EVTCHNOP_bind_ipi 7
/* EVTCHNOP_bind_vcpu: IN port, vcpu. Deliver the port's upcalls there. */
#define EVTCHNOP_bind_vcpu 8
/* EVTCHNOP_unmask: IN port. Clear the mask bit and re-raise if pending. */
#define EVTCHNOP_unmask 9
/* EVTCHNOP_reset: IN dom. Close all of the domain's ports. */
#define EVTCHNOP_reset 10
/* EVTCHNOP_init_control: IN/OUT struct evtchn_init_control; switch to the
 * FIFO ABI. -XEN_ENOSYS keeps guests on the 2-level ABI. */
#define EVTCHNOP_init_control 11
/* EVTCHNOP_expand_array: IN struct evtchn_expand_array (FIFO). */
#define EVTCHNOP_expand_array 12
/* EVTCHNOP_set_priority: IN struct evtchn_set_priority (FIFO). */
#define EVTCHNOP_set_priority 13

/* evtchn_status.status */
#define EVTCHNSTAT_closed      0 /* port not in use */
#define EVTCHNSTAT_unbound     1 /* waiting for u.unbound.dom to bind */
#define EVTCHNSTAT_interdomain 2 /* connected to u.interdomain */
#define EVTCHNSTAT_pirq        3 /* bound to physical IRQ u.pirq */
#define EVTCHNSTAT_virq        4 /* bound to VIRQ u.virq */
#define EVTCHNSTAT_ipi         5 /* bound to an IPI */

/* evtchn_bind_pirq.flags: the IRQ may be shared with other domains. */
#define BIND_PIRQ__WILL_SHARE 1

/* Number of ports of the 2-level ABI: 64 words of 64 bits. */
#define EVTCHN_2L_NR_CHANNELS 4096

/* FIFO ABI limits. */
#define EVTCHN_FIFO_PRIORITY_MAX     0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN     15
#define EVTCHN_FIFO_LINK_BITS        17
#define EVTCHN_FIFO_NR_CHANNELS      (1 << EVTCHN_FIFO_LINK_BITS)

#ifndef __ASSEMBLER__

struct evtchn_alloc_unbound {
    uint16_t dom;        /* IN: owner of the new port (DOMID_SELF) */
    uint16_t remote_dom; /* IN: the domain allowed to bind to it */
    uint32_t port;       /* OUT */
};
_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "evtchn_alloc_unbound");

struct evtchn_bind_interdomain {
    uint16_t remote_dom; /* IN */
    uint16_t _pad;
    uint32_t remote_port; /* IN */
    uint32_t local_port;  /* OUT */
};
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12, "evtchn_bind_interdomain");

struct evtchn_bind_virq {
    uint32_t virq; /* IN: VIRQ_* */
    uint32_t vcpu; /* IN: vCPU that receives it */
    uint32_t port; /* OUT */
};
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "evtchn_bind_virq");

struct evtchn_bind_pirq {
    uint32_t pirq;  /* IN */
    uint32_t flags; /* IN: BIND_PIRQ__* */
    uint32_t port;  /* OUT */
};
_Static_assert(sizeof(struct evtchn_bind_pirq) == 12, "evtchn_bind_pirq");

struct evtchn_bind_ipi {
    uint32_t vcpu; /* IN: vCPU that receives it */
    uint32_t port; /* OUT */
};
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "evtchn_bind_ipi");

struct evtchn_close {
    uint32_t port; /* IN */
};
_Static_assert(sizeof(struct evtchn_close) == 4, "evtchn_close");

struct evtchn_send {
    uint32_t port; /* IN */
};
_Static_assert(sizeof(struct evtchn_send) == 4, "evtchn_send");

struct evtchn_status {
    uint16_t dom; /* IN: DOMID_SELF, or any domain if privileged */
    uint16_t _pad;
    uint32_t port;   /* IN */
    uint32_t status; /* OUT: EVTCHNSTAT_* */
    uint32_t vcpu;   /* OUT: vCPU the port notifies */
    union {
        struct {
            uint16_t dom; /* OUT: who may bind */
        } unbound;
        struct {
            uint16_t dom; /* OUT: peer domain */
            uint16_t _pad;
            uint32_t port; /* OUT: peer port */
        } interdomain;
        uint32_t pirq; /* OUT */
        uint32_t virq; /* OUT */
    } u;
};
_Static_assert(sizeof(struct evtchn_status) == 24, "evtchn_status");

struct evtchn_bind_vcpu {
    uint32_t port; /* IN */
    uint32_t vcpu; /* IN */
};
_Static_assert(sizeof(struct evtchn_bind_vcpu) == 8, "evtchn_bind_vcpu");

struct evtchn_unmask {
    uint32_t port; /* IN */
};
_Static_assert(sizeof(struct evtchn_unmask) == 4, "evtchn_unmask");

struct evtchn_reset {
    uint16_t dom; /* IN */
};
_Static_assert(sizeof(struct evtchn_reset) == 2, "evtchn_reset");

struct evtchn_init_control {
    uint64_t control_gfn; /* IN: frame holding the control block */
    uint32_t offset;      /* IN: offset of the control block in it */
    uint32_t vcpu;        /* IN */
    uint8_t link_bits;    /* OUT: width of event word link field */
    uint8_t _pad[7];
};
_Static_assert(sizeof(struct evtchn_init_control) == 24, "evtchn_init_control");

struct evtchn_expand_array {
    uint64_t array_gfn; /* IN: one more frame of event words */
};
_Static_assert(sizeof(struct evtchn_expand_array) == 8, "evtchn_expand_array");

struct evtchn_set_priority {
    uint32_t port;     /* IN */
    uint32_t priority; /* IN: EVTCHN_FIFO_PRIORITY_MAX..MIN */
};
_Static_assert(sizeof(struct evtchn_set_priority) == 8, "evtchn_set_priority");

#endif /* !__ASSEMBLER__ */

#endif /* XEN_LITE_PUBLIC_EVENT_CHANNEL_H */
