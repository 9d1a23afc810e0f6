/* SPDX-License-Identifier: MIT */
/* Softirqs: interrupt work deferred to the next exit to a guest or the idle loop. */
#include <stdbool.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <lib.h>
#include <softirq.h>

static softirq_handler_t handlers[NR_SOFTIRQS];

void open_softirq(enum softirq nr, softirq_handler_t handler)
{
    handlers[nr] = handler;
}

void raise_softirq(enum softirq nr)
{
    __atomic_or_fetch(&this_cpu()->softirq_pending, 1u << nr, __ATOMIC_SEQ_CST);
}

void raise_softirq_on(unsigned int cpu, enum softirq nr)
{
    struct percpu *pc = percpu_of(cpu);

    if (!pc || cpu == this_cpu()->cpu_id) {
        raise_softirq(nr);
        return;
    }
    __atomic_or_fetch(&pc->softirq_pending, 1u << nr, __ATOMIC_SEQ_CST);
    send_ipi(cpu, VECTOR_EVENT_CHECK); /* out of its guest or its halt, to do_softirqs() */
}

bool softirq_pending(void)
{
    return __atomic_load_n(&this_cpu()->softirq_pending, __ATOMIC_SEQ_CST) != 0;
}

void do_softirqs(void)
{
    unsigned int pending;

    /*
     * Handlers may raise more (a timer waking a vCPU asks for a reschedule): loop.  A
     * handler may also switch vCPUs, and the vCPU may come back on another CPU: this_cpu()
     * is read afresh each time round.
     */
    while ((pending = __atomic_exchange_n(&this_cpu()->softirq_pending, 0, __ATOMIC_SEQ_CST))) {
        for (unsigned int nr = 0; nr < NR_SOFTIRQS; nr++)
            if ((pending & (1u << nr)) && handlers[nr])
                handlers[nr]();
    }
}
