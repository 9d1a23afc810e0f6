/* SPDX-License-Identifier: MIT */
/*
 * Event channels, the hypervisor side: each domain's port table, the 2-level pending rules,
 * and how the rest of the hypervisor raises events in a domain.  The guest-facing operations
 * (EVTCHNOP_*) are in hypercalls/event_channel.c; they resolve domains and privilege, then
 * call the port operations below.  docs/events.md describes the model.
 */
#ifndef XEN_LITE_EVENT_H
#define XEN_LITE_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <public/event_channel.h>

struct domain;
struct vcpu;
struct evtchn_status;

/*
 * The port table of a domain: EVTCHN_2L_NR_CHANNELS ports in buckets of one page each,
 * allocated from the hypervisor heap when a port in them is first used (a domain with a
 * handful of ports holds one page).  Port 0 is reserved and never allocated.
 */
#define EVTCHN_PORTS_PER_BUCKET 512
#define EVTCHN_NR_BUCKETS       (EVTCHN_2L_NR_CHANNELS / EVTCHN_PORTS_PER_BUCKET)

/* Physical IRQs a domain may bind (EVTCHNOP_bind_pirq): pirq numbers 0..NR_PIRQS-1. */
#define NR_PIRQS 256

enum evtchn_state {
    ECS_FREE,        /* not in use */
    ECS_RESERVED,    /* port 0: never handed out, reads as closed */
    ECS_UNBOUND,     /* waiting for u.unbound_remote to bind to it */
    ECS_INTERDOMAIN, /* connected to u.interdomain.port of domain u.interdomain.dom */
    ECS_PIRQ,        /* bound to physical IRQ u.pirq */
    ECS_VIRQ,        /* bound to virtual IRQ u.virq */
    ECS_IPI,         /* signalled by the domain itself (EVTCHNOP_send), for a vCPU */
};

/* One port.  Peers are named by domain id: a dying domain closes its ports first. */
struct evtchn {
    uint8_t state;        /* enum evtchn_state */
    uint16_t notify_vcpu; /* the vCPU whose upcall this port raises */
    union {
        uint16_t unbound_remote; /* the domain allowed to bind */
        struct {
            uint16_t dom, port;
        } interdomain;
        uint16_t pirq;
        uint16_t virq;
    } u;
};

_Static_assert(EVTCHN_PORTS_PER_BUCKET * sizeof(struct evtchn) == 4096, "a bucket is one page");

/* Sets up / tears down a domain's port table (domain_create / domain teardown).  Teardown
 * closes every port first, so interdomain peers go back to unbound. */
int evtchn_domain_init(struct domain *d);
void evtchn_domain_destroy(struct domain *d);

/* Raises a per-vCPU VIRQ (VIRQ_TIMER, VIRQ_DEBUG) on v if the guest bound it; else dropped. */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);

/* Raises a global VIRQ (VIRQ_DOM_EXC, VIRQ_CONSOLE) in d on the vCPU it is bound to. */
void send_guest_global_virq(struct domain *d, unsigned int virq);

/* Raises the event bound to physical IRQ pirq in d.  False if no port is bound to it. */
bool send_guest_pirq(struct domain *d, unsigned int pirq);

/* True if the port is pending in d's shared_info (SCHEDOP_poll). */
bool evtchn_port_is_pending(const struct domain *d, unsigned int port);

/*
 * IRQ-routing hooks (common/irq.c): whether d may bind pirq (it is mapped to a GSI d has
 * permission for), and the routing side of binding (route and unmask the line; 0 or
 * -XEN_Exxx) and unbinding (mask and unroute it).
 */
bool irq_access_permitted(struct domain *d, unsigned int pirq);
int pirq_guest_bind(struct domain *d, unsigned int pirq, bool will_share);
void pirq_guest_unbind(struct domain *d, unsigned int pirq);

/*
 * Port operations behind EVTCHNOP_* (hypercalls/event_channel.c).  The caller has looked
 * up the domains and checked that the caller may act on them.  Each checks its arguments
 * first and changes nothing on failure.  Allocating ones return the new port (>= 1);
 * all return -XEN_Exxx as Xen does (a port past the table or never usable: -EINVAL).
 */
int evtchn_alloc_unbound(struct domain *d, uint16_t remote_domid);
int evtchn_bind_interdomain(struct domain *ld, struct domain *rd, uint32_t rport);
int evtchn_bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu);
int evtchn_bind_ipi(struct domain *d, uint32_t vcpu);
int evtchn_bind_pirq(struct domain *d, uint32_t pirq, bool will_share);
int evtchn_close(struct domain *d, uint32_t port);
int evtchn_send(struct domain *d, uint32_t port);
int evtchn_bind_vcpu(struct domain *d, uint32_t port, uint32_t vcpu);
int evtchn_unmask(struct domain *d, uint32_t port);
/* Fills status, vcpu and u of st for port of d. */
int evtchn_status(const struct domain *d, uint32_t port, struct evtchn_status *st);
/* Closes every port of d. */
void evtchn_reset(struct domain *d);

#endif
