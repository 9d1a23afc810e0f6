/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlocks, and the hypervisor lock.
 *
 * The hypervisor lock serialises all hypervisor work on behalf of guests across physical
 * CPUs (docs/smp.md, "Locking"): a CPU takes it when it enters the hypervisor from a guest
 * (exception, interrupt, syscall, hypercall) and in its idle loop, and gives it back on
 * the way out to the guest and before it halts.  Guests run in parallel on every CPU;
 * hypervisor work does not.  Interrupt handlers never take it: they only acknowledge the
 * hardware, raise softirqs and answer TLB-flush requests, so a CPU that spins for the lock
 * with interrupts enabled can always answer an IPI from the CPU that holds it.
 */
#ifndef XEN_LITE_SPINLOCK_H
#define XEN_LITE_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* All zeroes is an unlocked lock. */
typedef struct {
    uint16_t next;  /* next ticket to hand out */
    uint16_t owner; /* ticket now allowed in */
} spinlock_t;

static inline void spin_lock(spinlock_t *l)
{
    uint16_t t = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != t)
        asm volatile("pause" ::: "memory");
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
    return __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) !=
           __atomic_load_n(&l->next, __ATOMIC_ACQUIRE);
}

/*
 * Takes the hypervisor lock for this CPU.  Waits with interrupts enabled (so IPIs are
 * answered) and returns with them disabled.
 */
void hv_lock(void);

/* Gives the hypervisor lock back; interrupts stay disabled. */
void hv_unlock(void);

/* True if this CPU holds the hypervisor lock (for checks). */
bool hv_lock_held(void);

#endif
