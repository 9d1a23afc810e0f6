/* SPDX-License-Identifier: MIT */
/* Guest time: vcpu_time_info under the version protocol, the wallclock, and timer calls. */
#ifndef PVGUEST_TIME_H
#define PVGUEST_TIME_H

#include <stdint.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include <pvguest/hypercall.h>

#define PV_NS_PER_SEC 1000000000ULL
#define PV_NS_PER_MS  1000000ULL

/* A consistent copy of one vCPU's time record (the fields of struct vcpu_time_info). */
struct pv_time_record {
    uint32_t version;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t mul;
    int8_t shift;
    uint8_t flags;
};

/*
 * pv_time_read - copy vCPU `vcpu`'s vcpu_time_info from shared_info, Xen's way: read the
 * version, the fields, the version again; retry while it was odd (an update in progress)
 * or changed.  A zeroed record if shared_info is not mapped.
 */
void pv_time_read(unsigned int vcpu, struct pv_time_record *r);

/*
 * pv_time_at - the system time (ns) at TSC value tsc according to record r:
 *   system_time + (((tsc - tsc_timestamp) << shift, >> -shift if negative) * mul) >> 32
 * A tsc before the record's stamp extrapolates backwards.
 */
uint64_t pv_time_at(const struct pv_time_record *r, uint64_t tsc);

/* pv_time_now_ns() (pvguest.h) is pv_time_at(vCPU 0's record, rdtsc now). */

/*
 * pv_wallclock_base - the wallclock at system time 0 from shared_info (wc_sec_hi:wc_sec
 * seconds since 1970-01-01 UTC and wc_nsec), read under wc_version.
 */
void pv_wallclock_base(uint64_t *sec, uint32_t *nsec);

/* pv_wallclock_now - UTC now: the wallclock base plus system time.  Seconds; nsec optional. */
uint64_t pv_wallclock_now(uint32_t *nsec);

/* Busy-waits until system time `until` (ns). */
void pv_time_spin_until(uint64_t until);

/* Timer hypercalls (VIRQ_TIMER on expiry; see <public/vcpu.h>). */
static inline long pv_set_singleshot_timer(unsigned int vcpu, uint64_t deadline, uint32_t flags)
{
    struct vcpu_set_singleshot_timer s = {.timeout_abs_ns = deadline, .flags = flags};

    return HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, vcpu, &s);
}

static inline long pv_stop_singleshot_timer(unsigned int vcpu)
{
    return HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, vcpu, NULL);
}

static inline long pv_set_periodic_timer(unsigned int vcpu, uint64_t period_ns)
{
    struct vcpu_set_periodic_timer p = {.period_ns = period_ns};

    return HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, vcpu, &p);
}

static inline long pv_stop_periodic_timer(unsigned int vcpu)
{
    return HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, vcpu, NULL);
}

#endif /* PVGUEST_TIME_H */
