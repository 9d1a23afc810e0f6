/* SPDX-License-Identifier: MIT */
/* System time from the hypervisor's per-vCPU time record (version protocol + TSC scaling). */
#include <pvguest/pvguest.h>

uint64_t pv_time_now_ns(void)
{
    volatile struct vcpu_time_info *t;
    uint32_t version;
    uint64_t tsc_stamp, system_time, delta;
    uint32_t mul;
    int8_t shift;

    if (!pv_shared_info)
        return 0;
    t = &pv_shared_info->vcpu_info[0].time;
    do {
        version = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        tsc_stamp = t->tsc_timestamp;
        system_time = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((version & 1) || version != t->version);

    delta = pv_rdtsc() - tsc_stamp;
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return system_time + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}
