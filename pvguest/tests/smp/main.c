/* SPDX-License-Identifier: MIT */
/*
 * smp: four vCPUs of one domain run at the same time on four physical CPUs.
 *
 * Booted as dom0 with four vCPUs on a 4-CPU machine (test.conf).  Every vCPU registers a
 * runstate area, which the hypervisor rewrites whenever that vCPU is switched in or out.
 * vCPUs 1-3 then spin without yielding; vCPU 0 watches the four areas and passes once it
 * sees all of them say "running" at the same moment.  On fewer CPUs than vCPUs that never
 * happens: while vCPU 0 runs, a vCPU sharing its CPU is "runnable".  Each vCPU also
 * counts its own progress, and all four must advance together over a window in which
 * none of them gives up its CPU.
 */
#include <pvguest/test.h>
#include <pvguest/vcpu.h>

#define NR 4

static uint8_t stacks[NR][8192] __attribute__((aligned(16)));
static volatile struct vcpu_runstate_info areas[NR] __attribute__((aligned(64)));
static volatile unsigned long progress[NR];
static volatile int stop;

static long register_area(unsigned int id)
{
    struct vcpu_register_runstate_memory_area a = {.addr.p = (unsigned long)&areas[id]};

    return HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, id, &a);
}

static void spinner(unsigned long id)
{
    while (!stop)
        progress[id]++;
}

static bool all_running(void)
{
    for (unsigned int i = 0; i < NR; i++)
        if (areas[i].state != RUNSTATE_running)
            return false;
    return true;
}

void test_main(void)
{
    unsigned long before[NR];
    unsigned int tries;

    if (HYPERVISOR_vcpu_op(VCPUOP_is_up, NR - 1, NULL) < 0) {
        xtf_skip("this domain has fewer than %d vCPUs (boot with dom0_max_vcpus=%d)", NR, NR);
        return;
    }
    /* Areas first (a vCPU that is down can be given one: it reads "offline"), then start. */
    for (unsigned int id = 0; id < NR; id++) {
        areas[id].state = -1;
        xtf_check(register_area(id) == 0, "register_runstate_memory_area for vCPU %u", id);
        xtf_check(areas[id].state == (id ? RUNSTATE_offline : RUNSTATE_running),
                  "vCPU %u's area says state %d after registering", id, areas[id].state);
    }
    for (unsigned int id = 1; id < NR; id++)
        xtf_check(pv_vcpu_start(id, spinner, id, stacks[id] + sizeof(stacks[id])) == 0,
                  "starting vCPU %u", id);
    /* Wait (without yielding: we want our CPU) until all four are on a CPU at once. */
    for (tries = 0; tries < 200000000u && !all_running(); tries++)
        asm volatile("pause");
    if (!xtf_check(all_running(), "never saw all %d vCPUs running at once: states %d %d %d %d", NR,
                   areas[0].state, areas[1].state, areas[2].state, areas[3].state)) {
        stop = 1;
        return;
    }
    /*
     * And they really execute side by side: each of the others advances while vCPU 0 keeps
     * its CPU (it never yields), and all four are still on their CPUs afterwards.  (Polls,
     * not a fixed time: QEMU's vCPU threads share however many host CPUs there are.)
     */
    for (unsigned int i = 0; i < NR; i++)
        before[i] = progress[i];
    for (unsigned int i = 1; i < NR; i++) {
        unsigned long n;

        for (n = 0; n < 200000000ul && progress[i] == before[i]; n++)
            asm volatile("pause");
        xtf_check(progress[i] != before[i], "vCPU %u made no progress while vCPU 0 ran", i);
    }
    xtf_check(all_running(), "a vCPU left its CPU: states %d %d %d %d", areas[0].state,
              areas[1].state, areas[2].state, areas[3].state);
    pv_printf("all %d vCPUs ran at once (seen after %u polls)\n", NR, tries);
    stop = 1;
    xtf_success();
}
