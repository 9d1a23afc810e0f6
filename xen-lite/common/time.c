/* SPDX-License-Identifier: MIT */
/* Time: system time from the TSC, the wallclock from the RTC, vCPU time records and timers. */
#include <public/xen.h>
#include <asm/apic.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <console.h>
#include <domain.h>
#include <event.h>
#include <guest-access.h>
#include <lib.h>
#include <sched.h>
#include <time.h>
#include <timer.h>

/* On Xen a PV vCPU starts with a 100 Hz periodic timer; guests that do not want it stop it. */
#define PERIODIC_DEFAULT_NS 10000000ULL

/*
 * System time is one straight line through the TSC: ns = scale(tsc - tsc_base).  Every
 * vcpu_time_info is a point on that line (tsc_timestamp, system_time) with its slope (the
 * scale), so whatever record a guest extrapolates from, on whatever CPU, it reads the same
 * clock as now_ns() (to within the 1-2 ns the integer rounding of two partial products
 * can lose).
 */
static uint64_t tsc_base;
static struct time_scale tsc_scale; /* mul 0 until time_init(): now_ns() reads 0 */
static uint8_t time_flags;          /* vcpu_time_info.flags for every record */

/* UTC at system time 0, from the RTC (what shared_info's wallclock holds). */
static int64_t wc_boot_sec;
static uint32_t wc_boot_nsec;

struct time_scale time_scale_from_hz(uint64_t hz)
{
    struct time_scale s = {0, 0};
    unsigned __int128 rate = hz;
    uint64_t q, r;
    int shift = 0;

    if (!hz || hz >> 63)
        return s;
    /*
     * Pick the shift that brings the rate into (1e9, 2e9] ticks per second (compared
     * exactly, not on a truncated rate): then one shifted tick is under 1 ns, and
     * mul = 1e9 * 2^(32 - shift) / hz lies in [2^31, 2^32): 31 significant bits or more.
     * mul is computed by long division one bit at a time (no 128-bit divide here).
     */
    while (rate > ((unsigned __int128)2 * NS_PER_SEC << -shift))
        shift--;
    if (!shift)
        while ((rate << shift) <= NS_PER_SEC)
            shift++;
    q = NS_PER_SEC / hz;
    r = NS_PER_SEC % hz;
    for (int i = 0; i < 32 - shift; i++) {
        q <<= 1;
        r <<= 1; /* r < hz < 2^63: no overflow */
        if (r >= hz) {
            r -= hz;
            q |= 1;
        }
    }
    s.mul = (uint32_t)q;
    s.shift = (int8_t)shift;
    return s;
}

uint64_t time_tsc_to_ns(uint64_t tsc)
{
    return tsc > tsc_base ? time_scale_apply(tsc - tsc_base, tsc_scale) : 0;
}

struct time_scale time_tsc_scale(void)
{
    return tsc_scale;
}

int64_t days_from_civil(int64_t year, unsigned int month, unsigned int day)
{
    /*
     * Count in years that start on March 1, so the leap day is the last day of a year:
     * day-of-year then follows from the month by one formula (153 days per 5 months), and
     * whole 400-year eras of 146097 days carry the leap-year rules.
     */
    int64_t y = year - (month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468; /* 719468: days from 0000-03-01 to 1970-01-01 */
}

static int bcd_decode(uint8_t v, bool bcd, unsigned int *out)
{
    if (!bcd) {
        *out = v;
        return 0;
    }
    if ((v & 0xf) > 9 || (v >> 4) > 9)
        return -XEN_EINVAL;
    *out = (v >> 4) * 10 + (v & 0xf);
    return 0;
}

int rtc_decode(const struct rtc_regs *r, int64_t *unix_secs)
{
    static const uint8_t mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool bcd = !(r->status_b & 0x04), h24 = r->status_b & 0x02;
    unsigned int sec, min, hour, mday, mon, year;
    bool pm = !h24 && (r->hour & 0x80);

    if (bcd_decode(r->sec, bcd, &sec) || bcd_decode(r->min, bcd, &min) ||
        bcd_decode(r->hour & (h24 ? 0xff : 0x7f), bcd, &hour) || bcd_decode(r->mday, bcd, &mday) ||
        bcd_decode(r->mon, bcd, &mon) || bcd_decode(r->year, bcd, &year))
        return -XEN_EINVAL;
    if (!h24) {
        /* 12-hour mode: 12 AM is midnight, 12 PM noon; bit 7 of the hour says PM. */
        if (hour < 1 || hour > 12)
            return -XEN_EINVAL;
        hour = (hour % 12) + (pm ? 12 : 0);
    }
    if (sec > 59 || min > 59 || hour > 23 || year > 99 || mon < 1 || mon > 12 || mday < 1 ||
        mday > mdays[mon - 1])
        return -XEN_EINVAL;
    year += year < 70 ? 2000 : 1900;
    *unix_secs = days_from_civil(year, mon, mday) * 86400 + hour * 3600 + min * 60 + sec;
    return 0;
}

/* Prints a time in seconds since the epoch as an ISO date (for the boot log). */
static void log_utc(const char *what, int64_t secs)
{
    int64_t days = secs / 86400, rem = secs % 86400;
    int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = yoe + era * 400 + (month <= 2);

    printk("%s%04ld-%02ld-%02ld %02ld:%02ld:%02ld UTC\n", what, year, month, day, rem / 3600,
           rem / 60 % 60, rem % 60);
}

void time_init(void)
{
    struct rtc_regs rtc;
    int64_t unix_secs;
    uint64_t at;

    tsc_scale = time_scale_from_hz(tsc_freq_hz());
    tsc_base = rdtsc();
    /*
     * TSC_STABLE tells guests they may skip cross-vCPU monotonicity fixes.  That holds
     * when the TSC ticks at one rate whatever the CPU does (invariant TSC) and, with
     * several CPUs, the TSCs agree: every record here lies on the same line.
     */
    time_flags = cpu_has_invariant_tsc() ? XEN_PVCLOCK_TSC_STABLE_BIT : 0;
    printk("time: TSC to system time mul %#x shift %d%s\n", tsc_scale.mul, tsc_scale.shift,
           time_flags ? ", TSC stable" : "");

    if (cmos_rtc_read(&rtc) || rtc_decode(&rtc, &unix_secs)) {
        log_warn("time: no usable CMOS RTC: the wallclock starts at 1970-01-01\n");
        return;
    }
    /* The RTC reading was taken at system time `at`: the wallclock at 0 is that much earlier. */
    at = now_ns();
    wc_boot_sec = unix_secs - (int64_t)(at / NS_PER_SEC);
    wc_boot_nsec = (uint32_t)(at % NS_PER_SEC);
    if (wc_boot_nsec) {
        wc_boot_sec--;
        wc_boot_nsec = (uint32_t)(NS_PER_SEC - wc_boot_nsec);
    }
    log_utc("time: RTC at boot ", unix_secs);
}

void update_vcpu_system_time(struct vcpu *v)
{
    volatile struct vcpu_time_info *t = &v->vcpu_info->time;
    uint32_t version = (t->version + 1) | 1; /* odd, whatever the guest left there */
    uint64_t tsc = rdtsc();

    /* x86 keeps stores in order; the fences stop the compiler from reordering them. */
    t->version = version;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    t->tsc_timestamp = tsc;
    t->system_time = time_tsc_to_ns(tsc);
    t->tsc_to_system_mul = tsc_scale.mul;
    t->tsc_shift = tsc_scale.shift;
    t->flags = time_flags;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    t->version = version + 1;
    if (v == current)
        vcpu_time_area_publish(v);
}

void vcpu_time_area_publish(struct vcpu *v)
{
    guest_ptr_t area = guest_ptr(v->time_area_guest);
    struct vcpu_time_info t;
    uint32_t odd = v->time_area_version + 1;

    if (!v->time_area_guest)
        return;
    t = *(const struct vcpu_time_info *)&v->vcpu_info->time;
    /* The guest reads its copy under the same odd/even protocol as the shared one. */
    t.version = odd;
    if (copy_to_guest(area, &odd, sizeof(odd)) || copy_to_guest(area, &t, sizeof(t)))
        return;
    v->time_area_version = odd + 1;
    copy_to_guest(area, &v->time_area_version, sizeof(v->time_area_version));
}

void update_domain_wallclock(struct domain *d)
{
    volatile struct shared_info *s = d->shared_info;
    uint32_t version = (s->wc_version + 1) | 1;

    s->wc_version = version;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    s->wc_sec = (uint32_t)wc_boot_sec;
    s->wc_sec_hi = (uint32_t)((uint64_t)wc_boot_sec >> 32);
    s->wc_nsec = wc_boot_nsec;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    s->wc_version = version + 1;
}

/* ---- vCPU timers: VIRQ_TIMER and the poll timeout ---- */

static unsigned int this_cpu_id(void)
{
    return this_cpu()->cpu_id;
}

/* VIRQ_TIMER for v, with a fresh time record if v is the one running here (its handler
 * will read the time first thing). */
static void send_timer_event(struct vcpu *v)
{
    if (v == current)
        update_vcpu_system_time(v);
    send_guest_vcpu_virq(v, VIRQ_TIMER);
}

static void singleshot_fn(void *data)
{
    send_timer_event(data);
}

/* Ticks if a period has passed since the last tick, then arms the next one on v's CPU. */
static void periodic_work(struct vcpu *v)
{
    uint64_t now = now_ns(), next;

    if (!v->periodic_period_ns)
        return;
    next = v->periodic_last_ns + v->periodic_period_ns;
    if (now >= next) {
        send_timer_event(v);
        v->periodic_last_ns = now;
        next = now + v->periodic_period_ns;
    }
    migrate_timer(&v->periodic_timer, v->processor);
    set_timer(&v->periodic_timer, next);
}

static void periodic_fn(void *data)
{
    periodic_work(data);
}

/* Only a vCPU still blocked in SCHEDOP_poll is woken: a poll that ended (vcpu_wake()
 * clears poll_deadline_ns) must not end a later SCHEDOP_block early. */
static void poll_fn(void *data)
{
    struct vcpu *v = data;

    if (v->state == VCPU_BLOCKED && v->poll_deadline_ns)
        vcpu_wake(v);
}

void vcpu_time_init(struct vcpu *v)
{
    unsigned int cpu = this_cpu_id();

    init_timer(&v->singleshot_timer, singleshot_fn, v, cpu);
    init_timer(&v->periodic_timer, periodic_fn, v, cpu);
    init_timer(&v->poll_timer, poll_fn, v, cpu);
    v->periodic_period_ns = PERIODIC_DEFAULT_NS;
    v->periodic_last_ns = 0;
    if (v->vcpu_id == 0)
        update_domain_wallclock(v->domain);
}

void vcpu_time_stop(struct vcpu *v)
{
    stop_timer(&v->singleshot_timer);
    stop_timer(&v->periodic_timer);
    stop_timer(&v->poll_timer);
}

void vcpu_time_destroy(struct vcpu *v)
{
    kill_timer(&v->singleshot_timer);
    kill_timer(&v->periodic_timer);
    kill_timer(&v->poll_timer);
}

void time_vcpu_switch(struct vcpu *prev, struct vcpu *next)
{
    if (!prev->is_idle)
        stop_timer(&prev->periodic_timer);
    if (!next->is_idle) {
        update_vcpu_system_time(next);
        periodic_work(next);
    }
}

/* Arms t on this CPU, or disarms it (deadline 0). */
static void vcpu_timer_set_here(struct timer *t, uint64_t deadline_ns)
{
    if (!deadline_ns) {
        stop_timer(t);
        return;
    }
    migrate_timer(t, this_cpu_id());
    set_timer(t, deadline_ns);
}

void vcpu_singleshot_timer_set(struct vcpu *v, uint64_t deadline_ns)
{
    vcpu_timer_set_here(&v->singleshot_timer, deadline_ns);
}

void vcpu_poll_timer_set(struct vcpu *v, uint64_t deadline_ns)
{
    vcpu_timer_set_here(&v->poll_timer, deadline_ns);
}

void vcpu_periodic_timer_set(struct vcpu *v, uint64_t period_ns)
{
    stop_timer(&v->periodic_timer);
    v->periodic_period_ns = period_ns;
    /* As Xen 4.17: a tick at once unless one came within the new period, then every period. */
    if (period_ns)
        periodic_work(v);
}
