/* SPDX-License-Identifier: MIT */
/* Physical devices from the guest side: PHYSDEVOP wrappers, port I/O, waiting for a port. */
#ifndef PVGUEST_PHYSDEV_H
#define PVGUEST_PHYSDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <public/physdev.h>
#include <public/vcpu.h>
#include <pvguest/events.h>
#include <pvguest/pvguest.h>

/*
 * The wrappers issue one PHYSDEVOP and return its result: 0 (or a pirq) or -XEN_Exxx.
 * docs/irq.md has the model: a domain maps a GSI it may use to a pirq, binds the pirq to an
 * event channel (pv_evtchn_bind_pirq), and EOIs it after handling each event.
 */
static inline long pv_set_iopl(uint32_t iopl)
{
    struct physdev_set_iopl s = {.iopl = iopl};

    return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &s);
}

/* bitmap: one bit per port, set = refused; covers nr_ports ports (NULL, 0: none). */
static inline long pv_set_iobitmap(const void *bitmap, uint32_t nr_ports)
{
    struct physdev_set_iobitmap s = {.bitmap = (uint64_t)(uintptr_t)bitmap, .nr_ports = nr_ports};

    return HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap, &s);
}

/* MAP_PIRQ_TYPE_GSI: *pirq is the pirq wanted (-1: any) and comes back as the one given. */
static inline long pv_map_gsi(uint16_t domid, int gsi, int *pirq)
{
    struct physdev_map_pirq m = {
        .domid = domid, .type = MAP_PIRQ_TYPE_GSI, .index = gsi, .pirq = *pirq};
    long rc = HYPERVISOR_physdev_op(PHYSDEVOP_map_pirq, &m);

    if (!rc)
        *pirq = m.pirq;
    return rc;
}

static inline long pv_unmap_pirq(uint16_t domid, int pirq)
{
    struct physdev_unmap_pirq u = {.domid = domid, .pirq = pirq};

    return HYPERVISOR_physdev_op(PHYSDEVOP_unmap_pirq, &u);
}

static inline long pv_pirq_eoi(uint32_t pirq)
{
    struct physdev_eoi e = {.irq = pirq};

    return HYPERVISOR_physdev_op(PHYSDEVOP_eoi, &e);
}

static inline long pv_irq_status_query(uint32_t pirq, uint32_t *flags)
{
    struct physdev_irq_status_query q = {.irq = pirq};
    long rc = HYPERVISOR_physdev_op(PHYSDEVOP_irq_status_query, &q);

    if (!rc && flags)
        *flags = q.flags;
    return rc;
}

/* PHYSDEVOP_pirq_eoi_gmfn_v1 or _v2: the frame becomes the "needs EOI" bitmap. */
static inline long pv_pirq_eoi_map(int cmd, uint64_t mfn)
{
    struct physdev_pirq_eoi_gmfn g = {.gmfn = mfn};

    return HYPERVISOR_physdev_op(cmd, &g);
}

static inline long pv_setup_gsi(int gsi, bool level, bool active_low)
{
    struct physdev_setup_gsi s = {.gsi = gsi, .triggering = level, .polarity = active_low};

    return HYPERVISOR_physdev_op(PHYSDEVOP_setup_gsi, &s);
}

/* ---- port I/O: a #GP unless the vCPU may try the port (set_iopl / set_iobitmap) ---- */

static inline uint8_t pv_inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint16_t pv_inw(uint16_t port)
{
    uint16_t v;

    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint32_t pv_inl(uint16_t port)
{
    uint32_t v;

    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void pv_outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void pv_outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void pv_outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

/* ---- waiting ---- */

/*
 * System time in ns: from vcpu_info if the hypervisor fills it, else from the runstate
 * clock (VCPUOP_get_runstate_info's state_entry_time, which xen-lite stamps with the
 * current time).  The same clock SCHEDOP_poll's timeout uses.
 */
static inline uint64_t pv_system_time_ns(void)
{
    struct vcpu_runstate_info rs;
    uint64_t t = pv_time_now_ns();

    if (t || HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &rs))
        return t;
    return rs.state_entry_time;
}

/*
 * Waits until event channel port is pending (it may be masked: SCHEDOP_poll sees it) or
 * about ms milliseconds have passed.  True if it is pending.
 */
static inline bool pv_wait_port(uint32_t port, unsigned int ms)
{
    uint64_t deadline = pv_system_time_ns() + ms * 1000000ULL;
    struct sched_poll p = {.nr_ports = 1, .timeout = deadline};

    p.ports = (uint64_t)(uintptr_t)&port;
    while (!pv_evtchn_is_pending(port) && pv_system_time_ns() < deadline)
        HYPERVISOR_sched_op(SCHEDOP_poll, &p);
    return pv_evtchn_is_pending(port);
}

#endif /* PVGUEST_PHYSDEV_H */
