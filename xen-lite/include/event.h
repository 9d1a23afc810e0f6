/* SPDX-License-Identifier: MIT */
/*
 * Event channels, the hypervisor side: how the rest of the hypervisor raises events in a
 * domain.  The guest-facing operations (EVTCHNOP_*) are in hypercalls/event_channel.c.
 */
#ifndef XEN_LITE_EVENT_H
#define XEN_LITE_EVENT_H

#include <stdbool.h>

struct domain;
struct vcpu;

/* Sets up / tears down a domain's port table (domain_create / domain teardown). */
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

#endif
