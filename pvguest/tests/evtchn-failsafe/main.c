/* SPDX-License-Identifier: MIT */
/*
 * evtchn-failsafe: the failsafe callback, when the hypervisor cannot restore a guest's
 * segment state.
 *
 * Xen's failsafe frame is the normal bounce frame with the four data selectors it could
 * not restore between r11 and rip: rcx, r11, ds, es, fs, gs, rip, cs, rflags, rsp, ss.
 * The guest kernel fixes its state and returns with iret. This image boots three times
 * (test.conf): dom0 runs the checks, domU "spinner" only yields (so a yield from dom0
 * really switches to another vCPU and back), domU "victim" has no failsafe callback.
 *  - A data selector that cannot be reloaded at a context switch: dom0 loads %es from an
 *    LDT, removes the LDT (the CPU keeps the loaded descriptor) and yields. Switching back
 *    to dom0 reloads %es, which fails: the failsafe callback runs on the way back from the
 *    yield, its frame shows es = the old selector, the other selectors as they are, rip in
 *    the hypercall page and CS with RPL 0 (the guest kernel was interrupted) and the
 *    saved upcall mask; %es is null afterwards.
 *  - A return frame the CPU refuses: the iret hypercall with a null SS (forced to RPL 3,
 *    which iretq to CPL 3 rejects). The failsafe frame carries the rejected context (rip,
 *    cs, rsp, ss = 3) and the data selectors unchanged; the handler puts a good SS in and
 *    execution continues where the iret was going.
 *  - Without a failsafe callback the domain is crashed, never the hypervisor: the victim
 *    does the first case with its failsafe address set to 0. dom0 waits for its
 *    VIRQ_DOM_EXC until the victim is gone; the log must name the reason (EXPECT_LOG).
 *    (The victim prints a FAILURE line if it survives, which also fails the run.)
 */
#include <pvguest/events.h>
#include <pvguest/pt.h>
#include <pvguest/test.h>

#define DATA_DPL3  0x00cff2000000ffffULL
#define LDT_SEL    0x0f /* LDT entry 1, RPL 3 */
#define VICTIM     2
#define MAX_YIELDS 1000
#define FS_RCX     0
#define FS_DS      2
#define FS_ES      3
#define FS_FS      4
#define FS_GS      5
#define FS_RIP     6
#define FS_CS      7
#define FS_RFLAGS  8
#define FS_RSP     9
#define FS_SS      10

/* failsafe.S */
extern char failsafe_probe_entry[], bad_iret_resume[];
void bad_iret(void);
volatile uint64_t failsafe_frame[11];
volatile unsigned long failsafe_count;

static uint64_t ldt_page[512];

static uint16_t read_ds(void)
{
    uint16_t s;

    __asm__ volatile("mov %%ds, %0" : "=r"(s));
    return s;
}

static uint16_t read_es(void)
{
    uint16_t s;

    __asm__ volatile("mov %%es, %0" : "=r"(s));
    return s;
}

static uint16_t read_fs(void)
{
    uint16_t s;

    __asm__ volatile("mov %%fs, %0" : "=r"(s));
    return s;
}

static uint16_t read_gs(void)
{
    uint16_t s;

    __asm__ volatile("mov %%gs, %0" : "=r"(s));
    return s;
}

static long set_ldt(unsigned long va, unsigned int entries)
{
    struct mmuext_op op = {.cmd = MMUEXT_SET_LDT, .arg1.linear_addr = va, .arg2.nr_ents = entries};

    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/*
 * Loads %es from an LDT, then takes the LDT away: %es keeps a selector nothing backs. (A
 * context switch may already come on the way back from taking it away.)
 */
static bool make_stale_es(void)
{
    unsigned long va;
    uint64_t frame;

    pt_init();
    va = pt_spare_va(0);
    frame = pt_spare_mfn(0);
    ldt_page[1] = DATA_DPL3;
    if (pt_write_frame(frame, ldt_page) || pt_map(va, frame, PT_RO) || set_ldt(va, 2)) {
        xtf_error("cannot set up an LDT");
        return false;
    }
    __asm__ volatile("mov %0, %%es" : : "r"((uint16_t)LDT_SEL) : "memory");
    if (set_ldt(0, 0)) {
        xtf_error("cannot remove the LDT");
        return false;
    }
    return true;
}

/* ---- the victim and the spinner ---- */

static void victim(void)
{
    struct callback_register cb = {.type = CALLBACKTYPE_failsafe, .address = 0};

    if (HYPERVISOR_callback_op(CALLBACKOP_register, &cb) || !make_stale_es()) {
        xtf_error("victim: setup failed");
        return;
    }
    pv_printf("victim: %%es is stale and there is no failsafe callback; yielding\n");
    pv_flush();
    for (int i = 0; i < MAX_YIELDS; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    xtf_failure("victim: still running after %d yields with a stale %%es", MAX_YIELDS);
}

static void spinner(void)
{
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

/* ---- dom0 ---- */

static volatile unsigned int handled;

/* PV_VEC_FAILSAFE: a null SS (the refused iret) is replaced by the flat kernel one. */
static void on_failsafe(struct pv_trap_frame *f)
{
    handled++;
    if ((f->ss & ~3ULL) == 0)
        f->ss = FLAT_KERNEL_SS;
}

static bool in_hypercall_page(uint64_t rip)
{
    return rip >= (uint64_t)hypercall_page && rip < (uint64_t)hypercall_page + 4096;
}

static void context_switch_case(void)
{
    uint16_t ds = read_ds(), fs = read_fs(), gs = read_gs();
    unsigned long before = failsafe_count;
    volatile uint64_t *f = failsafe_frame;
    int yields = 0;

    if (!make_stale_es())
        return;
    while (failsafe_count == before && yields < MAX_YIELDS) {
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        yields++;
    }
    if (!xtf_check(failsafe_count == before + 1, "%lu failsafe callbacks after %d yields",
                   failsafe_count - before, yields))
        return;
    pv_printf("context switch: failsafe after %d yield(s): ds %#lx es %#lx fs %#lx gs %#lx "
              "rip %#lx cs %#lx\n",
              yields, (unsigned long)f[FS_DS], (unsigned long)f[FS_ES], (unsigned long)f[FS_FS],
              (unsigned long)f[FS_GS], (unsigned long)f[FS_RIP], (unsigned long)f[FS_CS]);
    xtf_check(f[FS_ES] == LDT_SEL, "frame es %#lx, want the stale %#x", (unsigned long)f[FS_ES],
              LDT_SEL);
    xtf_check(f[FS_DS] == ds && f[FS_FS] == fs && f[FS_GS] == gs,
              "frame ds/fs/gs %#lx/%#lx/%#lx, want %#x/%#x/%#x", (unsigned long)f[FS_DS],
              (unsigned long)f[FS_FS], (unsigned long)f[FS_GS], ds, fs, gs);
    xtf_check(in_hypercall_page(f[FS_RIP]), "frame rip %#lx is not the yield's return",
              (unsigned long)f[FS_RIP]);
    xtf_check((f[FS_CS] & 0xffff) == (FLAT_KERNEL_CS & ~3) && (f[FS_CS] >> 32 & 0xff) == 1,
              "frame cs %#lx, want %#x with saved upcall mask 1", (unsigned long)f[FS_CS],
              FLAT_KERNEL_CS & ~3);
    xtf_check(f[FS_SS] == FLAT_KERNEL_SS, "frame ss %#lx", (unsigned long)f[FS_SS]);
    xtf_check(read_es() == 0, "%%es is %#x after the failsafe callback, want null", read_es());
    xtf_check(handled == 1, "the failsafe handler ran %u times", handled);
}

static void bad_iret_case(void)
{
    uint16_t ds = read_ds(), es = read_es(), fs = read_fs(), gs = read_gs();
    unsigned long before = failsafe_count;
    volatile uint64_t *f = failsafe_frame;

    bad_iret();
    if (!xtf_check(failsafe_count == before + 1, "%lu failsafe callbacks for a refused iret",
                   failsafe_count - before))
        return;
    pv_printf("refused iret: failsafe frame rip %#lx cs %#lx rflags %#lx rsp %#lx ss %#lx\n",
              (unsigned long)f[FS_RIP], (unsigned long)f[FS_CS], (unsigned long)f[FS_RFLAGS],
              (unsigned long)f[FS_RSP], (unsigned long)f[FS_SS]);
    xtf_check(f[FS_RIP] == (uint64_t)bad_iret_resume, "frame rip %#lx, want %p",
              (unsigned long)f[FS_RIP], (void *)bad_iret_resume);
    xtf_check(f[FS_SS] == 3, "frame ss %#lx, want the refused 0x3", (unsigned long)f[FS_SS]);
    xtf_check((f[FS_CS] & 0xffff) == (FLAT_KERNEL_CS & ~3), "frame cs %#lx",
              (unsigned long)f[FS_CS]);
    xtf_check(!(f[FS_RFLAGS] & 0x200), "frame rflags %#lx: IF set, but the iret masked events",
              (unsigned long)f[FS_RFLAGS]);
    xtf_check(f[FS_DS] == ds && f[FS_ES] == es && f[FS_FS] == fs && f[FS_GS] == gs,
              "frame selectors %#lx/%#lx/%#lx/%#lx, want the current %#x/%#x/%#x/%#x",
              (unsigned long)f[FS_DS], (unsigned long)f[FS_ES], (unsigned long)f[FS_FS],
              (unsigned long)f[FS_GS], ds, es, fs, gs);
}

/* The victim must be crashed (and then torn down); VIRQ_DOM_EXC tells us when. */
static void wait_for_victim(uint32_t dom_exc)
{
    struct evtchn_status st;
    struct sched_poll p = {.nr_ports = 1};
    int events = 0;

    p.ports = (uint64_t)&dom_exc;
    while (pv_evtchn_status(VICTIM, 0, &st) != -XEN_ESRCH && events < 4) {
        if (!pv_evtchn_is_pending(dom_exc))
            HYPERVISOR_sched_op(SCHEDOP_poll, &p);
        pv_evtchn_clear_pending(dom_exc);
        events++;
    }
    xtf_check(pv_evtchn_status(VICTIM, 0, &st) == -XEN_ESRCH,
              "the victim (d%u) still exists after %d VIRQ_DOM_EXC", VICTIM, events);
}

static void dom0_checks(void)
{
    struct callback_register cb = {.type = CALLBACKTYPE_failsafe,
                                   .flags = CALLBACKF_mask_events,
                                   .address = (uint64_t)failsafe_probe_entry};
    uint32_t dom_exc;

    if (pv_evtchn_bind_virq(VIRQ_DOM_EXC, 0, &dom_exc) ||
        HYPERVISOR_callback_op(CALLBACKOP_register, &cb)) {
        xtf_error("setup failed");
        return;
    }
    pv_evtchn_mask(dom_exc);
    pv_set_trap_handler(PV_VEC_FAILSAFE, on_failsafe);
    context_switch_case();
    bad_iret_case();
    xtf_check(handled == 2, "the failsafe handler ran %u times, want 2", handled);
    wait_for_victim(dom_exc);
    xtf_success();
}

void test_main(void)
{
    const char *role = pv_start_info->cmd_line;

    if (strcmp(role, "spinner") == 0)
        spinner();
    else if (strcmp(role, "victim") == 0)
        victim();
    else
        dom0_checks();
}
