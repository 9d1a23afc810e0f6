/* SPDX-License-Identifier: MIT */
/*
 * sched-fair: the credit scheduler shares a CPU by weight.
 *
 * Booted as two (or more) CPU-bound domUs next to an idle dom0 (test.conf); each one's
 * command line is "PARTS TOTAL": it should get PARTS/TOTAL of the CPU (its weight over the
 * sum of the weights).  All of them spin through the same window of system time
 * [WINDOW_START, WINDOW_END) and compare the CPU time their vCPU got in it (runstate
 * "running" time) with the wall time that passed.  The shares must be within 5% of the
 * targets, so the ratio of any two is within about 10% of the ratio of their weights.
 * A round-robin scheduler gives each 1/2 and fails both.
 */
#include <pvguest/test.h>
#include <public/vcpu.h>

#define WINDOW_START 1500000000ULL /* ns of system time: every domain is running by then */
#define WINDOW_END   4500000000ULL
#define TOLERANCE    5 /* % of the target share */

/* System time and this vCPU's running time, from one consistent runstate snapshot. */
static void sample(uint64_t *now, uint64_t *running)
{
    struct vcpu_runstate_info rs;

    if (HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &rs)) {
        xtf_error("VCPUOP_get_runstate_info failed");
        pv_crash();
    }
    *now = rs.state_entry_time;
    *running = rs.time[RUNSTATE_running];
}

/*
 * This vCPU's running time at system time t, which it may not see happen: it may be
 * descheduled across t.  Spins until a sample at or after t; the running time at t lies
 * between the last sample before it and that one, and cannot have grown by more than the
 * time that passed up to t.
 */
static uint64_t running_at(uint64_t t)
{
    uint64_t now, run, prev_now, prev_run;

    sample(&now, &run);
    do {
        prev_now = now;
        prev_run = run;
        sample(&now, &run);
    } while (now < t);
    if (prev_now >= t)
        return prev_run; /* t had passed before the first sample: not a window we saw */
    return prev_run + (run - prev_run < t - prev_now ? run - prev_run : t - prev_now);
}

static unsigned long parse_uint(const char **p)
{
    unsigned long v = 0;

    while (**p == ' ')
        (*p)++;
    while (**p >= '0' && **p <= '9')
        v = v * 10 + (unsigned long)(*(*p)++ - '0');
    return v;
}

void test_main(void)
{
    const char *p = pv_start_info->cmd_line;
    unsigned long parts = parse_uint(&p), total = parse_uint(&p);
    uint64_t r0, r1, now, run;
    unsigned long share, want;

    if (!parts || !total || parts > total) {
        xtf_error("command line \"%.40s\": want \"PARTS TOTAL\"", pv_start_info->cmd_line);
        return;
    }
    sample(&now, &run);
    if (now >= WINDOW_START) {
        xtf_error("started at %lu ms, after the window opened", (unsigned long)(now / 1000000));
        return;
    }
    r0 = running_at(WINDOW_START);
    r1 = running_at(WINDOW_END);
    /* Shares in units of 1/10000. */
    share = (unsigned long)((r1 - r0) * 10000 / (WINDOW_END - WINDOW_START));
    want = parts * 10000 / total;
    pv_printf("%s: %lu.%02lu%% of the CPU over %lu ms, want %lu.%02lu%%\n", pv_start_info->cmd_line,
              share / 100, share % 100, (unsigned long)((WINDOW_END - WINDOW_START) / 1000000),
              want / 100, want % 100);
    xtf_check(share * 100 >= want * (100 - TOLERANCE) && share * 100 <= want * (100 + TOLERANCE),
              "got %lu.%02lu%% of the CPU, want %lu.%02lu%% +- %d%%", share / 100, share % 100,
              want / 100, want % 100, TOLERANCE);
    xtf_success();
}
