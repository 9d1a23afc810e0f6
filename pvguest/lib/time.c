/* SPDX-License-Identifier: MIT */
/* System time and wallclock from the hypervisor's records (version protocol + TSC scaling). */
#include <pvguest/pvguest.h>
#include <pvguest/time.h>

void pv_time_read(unsigned int vcpu, struct pv_time_record *r)
{
    volatile struct vcpu_time_info *t;

    *r = (struct pv_time_record){0};
    if (!pv_shared_info || vcpu >= XEN_LEGACY_MAX_VCPUS)
        return;
    t = &pv_shared_info->vcpu_info[vcpu].time;
    do {
        r->version = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        r->tsc_timestamp = t->tsc_timestamp;
        r->system_time = t->system_time;
        r->mul = t->tsc_to_system_mul;
        r->shift = t->tsc_shift;
        r->flags = t->flags;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((r->version & 1) || r->version != t->version);
}

static uint64_t scale(uint64_t delta, const struct pv_time_record *r)
{
    if (r->shift < 0)
        delta >>= -r->shift;
    else
        delta <<= r->shift;
    return (uint64_t)(((unsigned __int128)delta * r->mul) >> 32);
}

uint64_t pv_time_at(const struct pv_time_record *r, uint64_t tsc)
{
    if (tsc >= r->tsc_timestamp)
        return r->system_time + scale(tsc - r->tsc_timestamp, r);
    return r->system_time - scale(r->tsc_timestamp - tsc, r);
}

uint64_t pv_time_now_ns(void)
{
    struct pv_time_record r;

    /* The TSC is read after the record: never before its stamp on this vCPU. */
    pv_time_read(0, &r);
    return pv_time_at(&r, pv_rdtsc());
}

void pv_wallclock_base(uint64_t *sec, uint32_t *nsec)
{
    volatile struct shared_info *s = pv_shared_info;
    uint32_t version, lo, hi, ns;

    *sec = 0;
    *nsec = 0;
    if (!s)
        return;
    do {
        version = s->wc_version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        lo = s->wc_sec;
        hi = s->wc_sec_hi;
        ns = s->wc_nsec;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((version & 1) || version != s->wc_version);
    *sec = (uint64_t)hi << 32 | lo;
    *nsec = ns;
}

uint64_t pv_wallclock_now(uint32_t *nsec)
{
    uint64_t sec, ns;
    uint32_t base_ns;

    pv_wallclock_base(&sec, &base_ns);
    ns = base_ns + pv_time_now_ns();
    if (nsec)
        *nsec = (uint32_t)(ns % PV_NS_PER_SEC);
    return sec + ns / PV_NS_PER_SEC;
}

void pv_time_spin_until(uint64_t until)
{
    while (pv_time_now_ns() < until)
        __asm__ volatile("pause");
}
