/* SPDX-License-Identifier: MIT */
/* Event channels: per-domain port tables, the 2-level pending rules, VIRQs and PIRQs. */
#include <string.h>
#include <public/event_channel.h>
#include <public/xen.h>
#include <domain.h>
#include <event.h>
#include <heap.h>
#include <lib.h>
#include <sched.h>

/*
 * Locking: every caller runs under the hypervisor lock (spinlock.h), which serialises all
 * hypervisor work across CPUs, so the port tables need no lock of their own.  The bits in
 * shared_info are another matter: guest vCPUs on other CPUs change them while we do, so
 * every read-modify-write of them is a single atomic instruction, as in Xen.
 */

/* ---- the port table ---- */

static struct evtchn *bucket_of(const struct domain *d, uint32_t port)
{
    return d->evtchn[port / EVTCHN_PORTS_PER_BUCKET];
}

/* The port's entry, or NULL if its bucket was never needed (then the port is free). */
static struct evtchn *port_lookup(const struct domain *d, uint32_t port)
{
    struct evtchn *b;

    if (port >= EVTCHN_2L_NR_CHANNELS)
        return NULL;
    b = bucket_of(d, port);
    return b ? &b[port % EVTCHN_PORTS_PER_BUCKET] : NULL;
}

/* A port number inside the table (it may still be free). */
static bool port_valid(uint32_t port)
{
    return port < EVTCHN_2L_NR_CHANNELS;
}

/* The entry of a port that is in use (neither free nor reserved), else NULL. */
static struct evtchn *port_in_use(const struct domain *d, uint32_t port)
{
    struct evtchn *chn = port_lookup(d, port);

    return chn && chn->state > ECS_RESERVED ? chn : NULL;
}

static struct vcpu *domain_vcpu(const struct domain *d, uint32_t id)
{
    return id < d->nr_vcpus && id < MAX_VCPUS_PER_DOM ? d->vcpus[id] : NULL;
}

/*
 * Finds the lowest free port and returns it without taking it (the caller's commit step
 * does): -ENOSPC if the table is full, -ENOMEM if no page is left for the port's bucket.
 * A bucket allocated on the way stays (empty buckets are harmless and freed at teardown).
 */
static int find_free_port(struct domain *d)
{
    for (uint32_t port = 1; port < EVTCHN_2L_NR_CHANNELS; port++) {
        struct evtchn *chn;

        if (!bucket_of(d, port)) {
            d->evtchn[port / EVTCHN_PORTS_PER_BUCKET] =
                heap_alloc(EVTCHN_PORTS_PER_BUCKET * sizeof(struct evtchn));
            if (!bucket_of(d, port))
                return -XEN_ENOMEM;
        }
        chn = port_lookup(d, port);
        if (chn->state == ECS_FREE)
            return (int)port;
    }
    return -XEN_ENOSPC;
}

/* ---- 2-level pending rules (shared_info) ---- */

static bool test_and_set_bit64(uint64_t *word, unsigned int bit)
{
    return __atomic_fetch_or(word, 1ULL << bit, __ATOMIC_SEQ_CST) >> bit & 1;
}

static bool test_and_clear_bit64(uint64_t *word, unsigned int bit)
{
    return __atomic_fetch_and(word, ~(1ULL << bit), __ATOMIC_SEQ_CST) >> bit & 1;
}

static bool test_bit64(const uint64_t *word, unsigned int bit)
{
    return __atomic_load_n(word, __ATOMIC_SEQ_CST) >> bit & 1;
}

/* Flags the upcall for v; a vCPU that had none pending is kicked (woken if blocked). */
static void mark_events_pending(struct vcpu *v)
{
    if (!__atomic_exchange_n(&v->vcpu_info->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST))
        vcpu_kick(v);
}

/* Wakes the vCPUs of d polling for port: a poll ends on its ports even while masked. */
static void wake_pollers(struct domain *d, uint32_t port)
{
    for (unsigned int i = 0; i < d->nr_vcpus && i < MAX_VCPUS_PER_DOM; i++) {
        struct vcpu *v = d->vcpus[i];

        if (v && v->polling && (v->poll_any || test_bit64(&v->poll_ports[port / 64], port % 64))) {
            v->polling = false;
            vcpu_kick(v);
        }
    }
}

/*
 * Marks port pending in d for its notify vCPU.  A port that was not pending already and is
 * not masked sets its word's bit in the vCPU's pending_sel and the upcall flag (the order
 * the guest's scan relies on); pollers of the port wake either way.
 */
static void set_pending(struct domain *d, const struct evtchn *chn, uint32_t port)
{
    struct shared_info *s = d->shared_info;
    struct vcpu *v = domain_vcpu(d, chn->notify_vcpu);
    unsigned int word = port / 64, bit = port % 64;

    if (!v)
        v = d->vcpus[0];
    if (test_and_set_bit64(&s->evtchn_pending[word], bit))
        return;
    if (!test_bit64(&s->evtchn_mask[word], bit) &&
        !test_and_set_bit64(&v->vcpu_info->evtchn_pending_sel, word))
        mark_events_pending(v);
    wake_pollers(d, port);
}

bool evtchn_port_is_pending(const struct domain *d, unsigned int port)
{
    return port < EVTCHN_2L_NR_CHANNELS &&
           test_bit64(&d->shared_info->evtchn_pending[port / 64], port % 64);
}

/* ---- taking and releasing ports ---- */

/* Gives a port back: its pending bit is cleared so a later binding starts clean (as Xen). */
static void free_port(struct domain *d, struct evtchn *chn, uint32_t port)
{
    test_and_clear_bit64(&d->shared_info->evtchn_pending[port / 64], port % 64);
    *chn = (struct evtchn){.state = ECS_FREE};
}

static bool virq_is_global(uint32_t virq)
{
    /* Per vCPU: TIMER, DEBUG, XENOPROF, XENPMU.  Everything else (arch ones too) is global. */
    return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF && virq != VIRQ_XENPMU;
}

/* The vCPU whose virq_to_port[] holds a VIRQ port's binding. */
static struct vcpu *virq_owner(struct domain *d, const struct evtchn *chn)
{
    return domain_vcpu(d, virq_is_global(chn->u.virq) ? 0 : chn->notify_vcpu);
}

/*
 * The other end of d's interdomain channel chn (and, if rd, its domain).  Both ends always
 * change together, so a missing or mismatched peer is a hypervisor bug.
 */
static struct evtchn *interdomain_peer(const struct domain *d, const struct evtchn *chn,
                                       struct domain **rd)
{
    struct domain *peer = domain_lookup(chn->u.interdomain.dom);
    struct evtchn *rchn = peer ? port_lookup(peer, chn->u.interdomain.port) : NULL;

    BUG_ON(!rchn || rchn->state != ECS_INTERDOMAIN || rchn->u.interdomain.dom != d->domid);
    if (rd)
        *rd = peer;
    return rchn;
}

int evtchn_close(struct domain *d, uint32_t port)
{
    struct evtchn *chn = port_in_use(d, port);

    if (!chn)
        return -XEN_EINVAL;
    switch (chn->state) {
    case ECS_INTERDOMAIN: {
        /* The peer goes back to unbound, offered to us again (we may bind it anew). */
        struct evtchn *rchn = interdomain_peer(d, chn, NULL);

        rchn->state = ECS_UNBOUND;
        rchn->u.unbound_remote = d->domid;
        break;
    }
    case ECS_VIRQ: {
        struct vcpu *v = virq_owner(d, chn);

        if (v)
            v->virq_to_port[chn->u.virq] = 0;
        break;
    }
    case ECS_PIRQ:
        d->pirq_to_port[chn->u.pirq] = 0;
        pirq_guest_unbind(d, chn->u.pirq);
        break;
    default: /* unbound, ipi: nothing else refers to them */
        break;
    }
    free_port(d, chn, port);
    return 0;
}

void evtchn_reset(struct domain *d)
{
    for (uint32_t port = 1; port < EVTCHN_2L_NR_CHANNELS; port++)
        if (port_in_use(d, port))
            evtchn_close(d, port);
}

int evtchn_domain_init(struct domain *d)
{
    d->evtchn[0] = heap_alloc(EVTCHN_PORTS_PER_BUCKET * sizeof(struct evtchn));
    if (!d->evtchn[0])
        return -XEN_ENOMEM;
    d->evtchn[0][0].state = ECS_RESERVED;
    return 0;
}

void evtchn_domain_destroy(struct domain *d)
{
    evtchn_reset(d);
    for (unsigned int i = 0; i < EVTCHN_NR_BUCKETS; i++) {
        heap_free(d->evtchn[i], EVTCHN_PORTS_PER_BUCKET * sizeof(struct evtchn));
        d->evtchn[i] = NULL;
    }
}

/* ---- binding ---- */

int evtchn_alloc_unbound(struct domain *d, uint16_t remote_domid)
{
    int port = find_free_port(d);

    if (port < 0)
        return port;
    *port_lookup(d, port) = (struct evtchn){.state = ECS_UNBOUND, .u.unbound_remote = remote_domid};
    return port;
}

int evtchn_bind_interdomain(struct domain *ld, struct domain *rd, uint32_t rport)
{
    struct evtchn *rchn = port_lookup(rd, rport), *lchn;
    int lport;

    /* Check: the remote port must be unbound and offered to us. */
    if (!rchn || rchn->state != ECS_UNBOUND || rchn->u.unbound_remote != ld->domid)
        return -XEN_EINVAL;
    lport = find_free_port(ld);
    if (lport < 0)
        return lport;

    /* Commit: both ends point at each other (a loopback binds two ports of one domain). */
    lchn = port_lookup(ld, (uint32_t)lport);
    *lchn = (struct evtchn){.state = ECS_INTERDOMAIN,
                            .u.interdomain = {.dom = rd->domid, .port = (uint16_t)rport}};
    rchn->state = ECS_INTERDOMAIN;
    rchn->u.interdomain.dom = ld->domid;
    rchn->u.interdomain.port = (uint16_t)lport;
    /*
     * The remote end may have been signalled while it was unbound (such sends are dropped):
     * as Xen does, the new local port starts pending so no notification is lost.
     */
    set_pending(ld, lchn, (uint32_t)lport);
    return lport;
}

int evtchn_bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu)
{
    struct vcpu *v;
    int port;

    if (virq >= NR_VIRQS || (virq_is_global(virq) && vcpu != 0))
        return -XEN_EINVAL;
    v = domain_vcpu(d, vcpu);
    if (!v)
        return -XEN_ENOENT;
    if (v->virq_to_port[virq])
        return -XEN_EEXIST;
    port = find_free_port(d);
    if (port < 0)
        return port;
    *port_lookup(d, port) =
        (struct evtchn){.state = ECS_VIRQ, .notify_vcpu = (uint16_t)vcpu, .u.virq = (uint16_t)virq};
    v->virq_to_port[virq] = (uint16_t)port;
    return port;
}

int evtchn_bind_ipi(struct domain *d, uint32_t vcpu)
{
    int port;

    if (!domain_vcpu(d, vcpu))
        return -XEN_ENOENT;
    port = find_free_port(d);
    if (port < 0)
        return port;
    *port_lookup(d, port) = (struct evtchn){.state = ECS_IPI, .notify_vcpu = (uint16_t)vcpu};
    return port;
}

int evtchn_bind_pirq(struct domain *d, uint32_t pirq, bool will_share)
{
    int port, rc;

    if (pirq >= NR_PIRQS)
        return -XEN_EINVAL;
    if (!irq_access_permitted(d, pirq))
        return -XEN_EPERM;
    if (d->pirq_to_port[pirq])
        return -XEN_EEXIST;
    port = find_free_port(d);
    if (port < 0)
        return port;
    rc = pirq_guest_bind(d, pirq, will_share);
    if (rc)
        return rc;
    *port_lookup(d, port) = (struct evtchn){.state = ECS_PIRQ, .u.pirq = (uint16_t)pirq};
    d->pirq_to_port[pirq] = (uint16_t)port;
    return port;
}

int evtchn_bind_vcpu(struct domain *d, uint32_t port, uint32_t vcpu)
{
    struct evtchn *chn;

    if (!domain_vcpu(d, vcpu))
        return -XEN_ENOENT;
    chn = port_in_use(d, port);
    if (!chn)
        return -XEN_EINVAL;
    switch (chn->state) {
    case ECS_VIRQ:
        /* A per-vCPU VIRQ belongs to its vCPU; only global ones may move. */
        if (!virq_is_global(chn->u.virq))
            return -XEN_EINVAL;
        break;
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
    case ECS_PIRQ:
        break;
    default: /* an IPI port names its vCPU when bound, as in Xen */
        return -XEN_EINVAL;
    }
    chn->notify_vcpu = (uint16_t)vcpu;
    return 0;
}

/* ---- signalling ---- */

int evtchn_send(struct domain *d, uint32_t port)
{
    struct evtchn *chn = port_lookup(d, port);

    if (!chn)
        return -XEN_EINVAL;
    switch (chn->state) {
    case ECS_INTERDOMAIN: {
        struct domain *rd;
        struct evtchn *rchn = interdomain_peer(d, chn, &rd);

        set_pending(rd, rchn, chn->u.interdomain.port);
        return 0;
    }
    case ECS_IPI:
        set_pending(d, chn, port);
        return 0;
    case ECS_UNBOUND:
        return 0; /* nobody to tell yet: dropped, as Xen does (the binder starts pending) */
    default:
        return -XEN_EINVAL;
    }
}

/*
 * Clears the mask bit; if the port is pending, raises the upcall the mask held back (the
 * same order as set_pending()).  Ports not in use are left alone but are no error (as Xen).
 */
int evtchn_unmask(struct domain *d, uint32_t port)
{
    struct shared_info *s = d->shared_info;
    struct evtchn *chn;
    struct vcpu *v;
    unsigned int word = port / 64, bit = port % 64;

    if (!port_valid(port))
        return -XEN_EINVAL;
    chn = port_in_use(d, port);
    if (!chn)
        return 0;
    v = domain_vcpu(d, chn->notify_vcpu);
    if (!v)
        v = d->vcpus[0];
    if (test_and_clear_bit64(&s->evtchn_mask[word], bit) &&
        test_bit64(&s->evtchn_pending[word], bit) &&
        !test_and_set_bit64(&v->vcpu_info->evtchn_pending_sel, word))
        mark_events_pending(v);
    return 0;
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    struct domain *d = v->domain;
    struct evtchn *chn;

    if (virq >= NR_VIRQS || virq_is_global(virq) || !v->virq_to_port[virq])
        return;
    chn = port_lookup(d, v->virq_to_port[virq]);
    set_pending(d, chn, v->virq_to_port[virq]);
}

void send_guest_global_virq(struct domain *d, unsigned int virq)
{
    struct vcpu *v0;
    struct evtchn *chn;

    if (!d || virq >= NR_VIRQS || !virq_is_global(virq))
        return;
    v0 = domain_vcpu(d, 0);
    if (!v0 || !v0->virq_to_port[virq])
        return;
    chn = port_lookup(d, v0->virq_to_port[virq]);
    set_pending(d, chn, v0->virq_to_port[virq]);
}

bool send_guest_pirq(struct domain *d, unsigned int pirq)
{
    uint16_t port;

    if (!d || pirq >= NR_PIRQS || !d->pirq_to_port[pirq])
        return false;
    port = d->pirq_to_port[pirq];
    set_pending(d, port_lookup(d, port), port);
    return true;
}

/* ---- status ---- */

int evtchn_status(const struct domain *d, uint32_t port, struct evtchn_status *st)
{
    const struct evtchn *chn = port_lookup(d, port);

    if (!port_valid(port))
        return -XEN_EINVAL;
    memset(&st->u, 0, sizeof(st->u));
    st->vcpu = chn ? chn->notify_vcpu : 0;
    switch (chn ? chn->state : ECS_FREE) {
    case ECS_UNBOUND:
        st->status = EVTCHNSTAT_unbound;
        st->u.unbound.dom = chn->u.unbound_remote;
        break;
    case ECS_INTERDOMAIN:
        st->status = EVTCHNSTAT_interdomain;
        st->u.interdomain.dom = chn->u.interdomain.dom;
        st->u.interdomain.port = chn->u.interdomain.port;
        break;
    case ECS_PIRQ:
        st->status = EVTCHNSTAT_pirq;
        st->u.pirq = chn->u.pirq;
        break;
    case ECS_VIRQ:
        st->status = EVTCHNSTAT_virq;
        st->u.virq = chn->u.virq;
        break;
    case ECS_IPI:
        st->status = EVTCHNSTAT_ipi;
        break;
    default: /* free, reserved */
        st->status = EVTCHNSTAT_closed;
        break;
    }
    return 0;
}
