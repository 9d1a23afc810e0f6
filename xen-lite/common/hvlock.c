/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor lock: one lock around all hypervisor work for guests (see spinlock.h for
 * the rules).  The lock belongs to the CPU, not to a vCPU: a CPU that switches vCPUs keeps
 * it across the switch, and whichever vCPU then leaves for its guest gives it back.
 */
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/regs.h>
#include <lib.h>
#include <spinlock.h>

static spinlock_t hypervisor_lock;

void hv_lock(void)
{
    if (this_cpu()->holds_hv_lock)
        panic("CPU%u takes the hypervisor lock twice", this_cpu()->cpu_id);
    uint16_t t = __atomic_fetch_add(&hypervisor_lock.next, 1, __ATOMIC_RELAXED);

    while (__atomic_load_n(&hypervisor_lock.owner, __ATOMIC_ACQUIRE) != t) {
        asm volatile("pause" ::: "memory");
        /*
         * Let interrupts in: `sti; nop; cli`.  The nop matters: sti's one-instruction shadow
         * would cover a pause, and QEMU's TCG then never delivers anything in the window.
         */
        asm volatile("sti; nop; cli" ::: "memory");
    }
    this_cpu()->holds_hv_lock = true;
}

void hv_unlock(void)
{
    if (!this_cpu()->holds_hv_lock)
        panic("CPU%u gives back the hypervisor lock it does not hold", this_cpu()->cpu_id);
    this_cpu()->holds_hv_lock = false;
    spin_unlock(&hypervisor_lock);
}

bool hv_lock_held(void)
{
    return this_cpu()->holds_hv_lock;
}
