/* SPDX-License-Identifier: MIT */
/*
 * vcpus: a domain's other vCPUs, through vcpu_op.  Booted as dom0 with four vCPUs
 * (dom0_max_vcpus=4): vCPU 0 brings up vCPUs 1-3 with VCPUOP_initialise + VCPUOP_up and
 * checks that each runs the code it was given on its own stack; that up needs a context
 * and a context is taken once; that a vCPU that takes itself down stops and that up
 * continues it; runstate info and the registered runstate area; register_vcpu_info; IPIs
 * between vCPUs through EVTCHNOP_bind_ipi; and the error cases (vCPUs that do not exist, bad
 * contexts).
 */
#include <pvguest/events.h>
#include <pvguest/test.h>
#include <pvguest/vcpu.h>

#define NR 4

static uint8_t stacks[NR][8192] __attribute__((aligned(16)));
static volatile unsigned long ran[NR], resumed[NR], seen_sp[NR];
static void (*volatile after_resume[NR])(void); /* what a vCPU does once up again */
static volatile uint32_t got_port[NR];          /* last event each vCPU's handler saw */
static volatile struct vcpu_runstate_info area __attribute__((aligned(64)));
static uint8_t info_page[4096] __attribute__((aligned(4096)));

static void yield(void)
{
    HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

/* Waits (yielding the CPU) until cond() holds; false after many tries. */
static bool wait_for(volatile unsigned long *p, unsigned long want)
{
    for (int i = 0; i < 100000; i++) {
        if (*p == want)
            return true;
        yield();
    }
    return false;
}

static void secondary(unsigned long id)
{
    unsigned long sp;

    asm volatile("mov %%rsp, %0" : "=r"(sp));
    seen_sp[id] = sp;
    ran[id] = 1;
    /* Down, then (once brought up again) on from here. */
    HYPERVISOR_vcpu_op(VCPUOP_down, (unsigned int)id, NULL);
    resumed[id] = 1;
    if (after_resume[id])
        after_resume[id]();
}

static void test_bringup(void)
{
    static struct vcpu_guest_context c_buf;
    struct vcpu_guest_context *c = &c_buf;

    /* up before any context: refused. */
    xtf_check(HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL) == -XEN_EINVAL,
              "VCPUOP_up of an uninitialised vCPU: want -EINVAL");
    for (unsigned int id = 1; id < NR; id++) {
        long rc = pv_vcpu_start(id, secondary, id, stacks[id] + sizeof(stacks[id]));

        xtf_check(rc == 0, "starting vCPU %u: %ld", id, rc);
    }
    for (unsigned int id = 1; id < NR; id++) {
        xtf_check(wait_for(&ran[id], 1), "vCPU %u never ran", id);
        xtf_check(seen_sp[id] > (unsigned long)stacks[id] &&
                      seen_sp[id] <= (unsigned long)(stacks[id] + sizeof(stacks[id])),
                  "vCPU %u ran on %#lx, not on its own stack", id, seen_sp[id]);
    }
    /* Each took itself down: is_up says 0 once it has. */
    for (unsigned int id = 1; id < NR; id++) {
        int i;

        for (i = 0; i < 1000 && HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL) != 0; i++)
            yield();
        xtf_check(i < 1000, "vCPU %u still up after VCPUOP_down on itself", id);
        xtf_check(!resumed[id], "vCPU %u went on past its VCPUOP_down", id);
    }
    /* A context is taken once. */
    pv_vcpu_context(c, secondary, 1, stacks[1] + sizeof(stacks[1]));
    xtf_check(HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, c) == -XEN_EEXIST,
              "second VCPUOP_initialise: want -EEXIST");
    /* up continues where the vCPU stopped. */
    xtf_check(HYPERVISOR_vcpu_op(VCPUOP_up, 2, NULL) == 0, "VCPUOP_up of vCPU 2");
    xtf_check(wait_for(&resumed[2], 1), "vCPU 2 did not continue after VCPUOP_up");
    xtf_check(!resumed[1] && !resumed[3], "vCPUs 1 and 3 continued without VCPUOP_up");
}

static void test_errors(void)
{
    static struct vcpu_guest_context c;
    struct vcpu_runstate_info rs;

    xtf_check(HYPERVISOR_vcpu_op(VCPUOP_is_up, NR, NULL) == -XEN_ENOENT,
              "is_up of vCPU %d (does not exist): want -ENOENT", NR);
    xtf_check(HYPERVISOR_vcpu_op(VCPUOP_up, 4096, NULL) == -XEN_ENOENT,
              "up of vCPU 4096: want -ENOENT");
    xtf_check(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, NR, &rs) == -XEN_ENOENT,
              "runstate of vCPU %d: want -ENOENT", NR);
    /* vCPU 3 is initialised already; ask for a fresh error on the context checks using
     * vCPU 0's own (also initialised) slot is -EEXIST first, so use a bad pointer. */
    xtf_check(HYPERVISOR_vcpu_op(VCPUOP_initialise, 3, (void *)0x1000) == -XEN_EFAULT ||
                  HYPERVISOR_vcpu_op(VCPUOP_initialise, 3, (void *)0x1000) == -XEN_EEXIST,
              "initialise from an unmapped context");
    (void)c;
}

static void test_runstate(void)
{
    struct vcpu_runstate_info rs;
    struct vcpu_register_runstate_memory_area a = {.addr.p = (unsigned long)&area};

    xtf_check(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 1, &rs) == 0, "runstate of vCPU 1");
    xtf_check(rs.state == RUNSTATE_offline, "vCPU 1 (down) is in runstate %d, want offline",
              rs.state);
    xtf_check(rs.time[RUNSTATE_running] > 0, "vCPU 1 ran but has no running time");
    xtf_check(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &rs) == 0, "runstate of vCPU 0");
    xtf_check(rs.state == RUNSTATE_running, "vCPU 0 asks while running: state %d", rs.state);
    /* The registered area is written at once and on every switch to us. */
    xtf_check(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a) == 0,
              "register_runstate_memory_area");
    xtf_check(area.state == RUNSTATE_running && area.state_entry_time > 0,
              "runstate area not filled in: state %d entry %lu", area.state,
              (unsigned long)area.state_entry_time);
    {
        uint64_t before = area.state_entry_time;

        HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL); /* vCPU 1 wants the CPU now */
        for (int i = 0; i < 100 && area.state_entry_time == before; i++)
            yield();
        xtf_check(area.state_entry_time != before, "runstate area not updated on switch-in");
        xtf_check(area.state == RUNSTATE_running, "area says %d while we run", area.state);
        xtf_check(wait_for(&resumed[1], 1), "vCPU 1 did not continue");
    }
}

static void test_vcpu_info(void)
{
    struct vcpu_register_vcpu_info r = {.mfn = pv_virt_to_mfn(info_page), .offset = 128};
    volatile struct vcpu_info *vi = (volatile struct vcpu_info *)(info_page + 128);
    uint8_t mask;
    long rc;

    /*
     * Events off first: the move marks an upcall pending in the new place, and the library
     * keeps looking in shared_info, so an upcall now would never be acknowledged.
     */
    pv_events_disable();
    mask = pv_shared_info->vcpu_info[0].evtchn_upcall_mask;
    memset(info_page, 0, sizeof(info_page));
    r.offset = 4095;
    rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &r);
    xtf_check(rc == -XEN_ENXIO, "vcpu_info running off the page: %ld, want -ENXIO", rc);
    r.offset = 128;
    xtf_check(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &r) == 0, "register_vcpu_info");
    xtf_check(vi->evtchn_upcall_mask == mask, "upcall mask not carried over (%u, was %u)",
              vi->evtchn_upcall_mask, mask);
    xtf_check(vi->evtchn_upcall_pending == 1, "upcall not marked pending after the move");
    xtf_check(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &r) == -XEN_EINVAL,
              "register_vcpu_info twice: want -EINVAL");
    vi->evtchn_upcall_pending = 0;
}

/* Event handler of every vCPU: records the port on the vCPU it arrived on. */
static void on_event(unsigned int port)
{
    got_port[pv_vcpu_id()] = port;
}

static uint32_t ipi_to_0, ipi_to_3;

/* Blocks (events on) until this vCPU's handler has seen port; false after many wake-ups. */
static bool block_for(uint32_t port)
{
    for (int i = 0; i < 1000; i++) {
        if (got_port[pv_vcpu_id()] == port)
            return true;
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    }
    return got_port[pv_vcpu_id()] == port;
}

/* vCPU 3 after it is brought up again: wait for vCPU 0's IPI, answer with one of ours. */
static void ipi_responder(void)
{
    if (block_for(ipi_to_3))
        pv_evtchn_send(ipi_to_0);
}

static void test_ipis(void)
{
    long rc;

    pv_set_event_handler(on_event);
    rc = pv_evtchn_bind_ipi(3, &ipi_to_3);
    xtf_check(rc == 0, "bind_ipi for vCPU 3: %ld", rc);
    rc = pv_evtchn_bind_ipi(0, &ipi_to_0);
    xtf_check(rc == 0, "bind_ipi for vCPU 0: %ld", rc);
    xtf_check(pv_evtchn_bind_ipi(NR, &(uint32_t){0}) == -XEN_ENOENT,
              "bind_ipi for a vCPU that does not exist: want -ENOENT");
    after_resume[3] = ipi_responder;
    xtf_check(HYPERVISOR_vcpu_op(VCPUOP_up, 3, NULL) == 0, "VCPUOP_up of vCPU 3");
    xtf_check(pv_evtchn_send(ipi_to_3) == 0, "send on vCPU 3's IPI port");
    xtf_check(block_for(ipi_to_0), "vCPU 0 never got vCPU 3's answer (saw port %u)", got_port[0]);
    xtf_check(got_port[3] == ipi_to_3, "vCPU 3 saw port %u, want its IPI port %u", got_port[3],
              ipi_to_3);
    xtf_check(wait_for(&resumed[3], 1), "vCPU 3 did not run");
    pv_set_event_handler(NULL);
}

void test_main(void)
{
    long up = HYPERVISOR_vcpu_op(VCPUOP_is_up, NR - 1, NULL);

    if (up < 0) {
        xtf_skip("this domain has fewer than %d vCPUs (boot with dom0_max_vcpus=%d)", NR, NR);
        return;
    }
    test_bringup();
    test_errors();
    test_runstate();
    test_ipis();
    test_vcpu_info();
    xtf_success();
}
