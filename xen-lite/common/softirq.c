/* SPDX-License-Identifier: MIT */
/* Softirqs: interrupt work deferred to the next exit to a guest or the idle loop. */
#include <stdbool.h>
#include <asm/percpu.h>
#include <asm/processor.h>
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
    /* One CPU for now; with SMP this also sends the target an event-check IPI. */
    (void)cpu;
    raise_softirq(nr);
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
