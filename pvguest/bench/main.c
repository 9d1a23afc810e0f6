/* SPDX-License-Identifier: MIT */
/*
 * bench: what the basic PV transitions cost, measured from inside the guest with rdtsc.
 *
 * Prints one line per measure, `BENCH <key> <cycles per operation>`, then the test
 * verdict. Under QEMU with `-icount shift=0,sleep=off` the TSC counts instructions, so
 * the numbers become exact, repeatable instruction counts. Measures (after a warm-up):
 *   null_hypercall  xen_version(XENVER_version, NULL): guest -> hypervisor -> guest
 *   ud_bounce       ud2 bounced to the guest's #UD handler, back with the iret hypercall
 *   user_roundtrip  a user-mode `syscall` bounced to the guest kernel's syscall callback
 *                   and back to user mode with iret (VGCF_in_syscall), timed in user mode
 * and page-table work (cycles per PTE update / per operation):
 *   mmu_update_batch{1,64,512}  one PTE rewritten through mmu_update, in batches of N
 *   update_va_mapping           the same through update_va_mapping (with INVLPG)
 *   pin_unpin_l4                pin and unpin an L4 -> L3 -> L2 -> 16 full L1s (8192 PTEs)
 *   ptwr_write                  one direct write to a read-only L1 (writable page tables)
 * and, with a second domain (pair.c) and timers (timer.c):
 *   evtchn_rtt_same_cpu   interdomain event to a peer domU and back, both on one CPU
 *   evtchn_rtt_cross_cpu  the same with each domain on a CPU of its own (command line "2cpu",
 *                         booted with two CPUs: this is then the only measure taken)
 *   yield_switch          one switch between two domains that both loop on SCHEDOP_yield
 *   timer_latency         singleshot timer deadline to the VIRQ_TIMER handler (median)
 * A row that cannot be measured here (no peer domain, no timers) is left out, saying why.
 */
#include <pvguest/pvguest.h>
#include <pvguest/time.h>
#include "bench.h"

#define WARMUP     100
#define ITERATIONS 1000

bool bench_ok = true;

void bench_report(const char *key, uint64_t value)
{
    pv_printf("BENCH %s %lu\n", key, (unsigned long)value);
}

void bench_sort(int64_t *v, unsigned int n)
{
    /* Insertion sort: a thousand values at most, once per measure. */
    for (unsigned int i = 1; i < n; i++)
        for (unsigned int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            int64_t t = v[j];

            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

static void null_hypercall(void)
{
    if (HYPERVISOR_xen_version(XENVER_version, NULL) <= 0)
        bench_ok = false;
}

static void ud_bounce(void)
{
    __asm__ volatile("ud2" ::: "memory");
}

static void skip_ud2(struct pv_trap_frame *f)
{
    f->rip += 2;
}

static uint64_t cycles_per_op(void (*op)(void))
{
    uint64_t t0, t1;

    for (unsigned int i = 0; i < WARMUP; i++)
        op();
    t0 = pv_rdtsc();
    for (unsigned int i = 0; i < ITERATIONS; i++)
        op();
    t1 = pv_rdtsc();
    return (t1 - t0) / ITERATIONS;
}

/* User mode: time ITERATIONS null system calls, return cycles per call. */
static void null_syscall(struct pv_trap_frame *f)
{
    f->rax = 0;
}

static long user_syscalls(void)
{
    uint64_t t0, t1;

    for (unsigned int i = 0; i < WARMUP; i++)
        pv_user_syscall(0, 0);
    t0 = pv_rdtsc();
    for (unsigned int i = 0; i < ITERATIONS; i++)
        pv_user_syscall(0, 0);
    t1 = pv_rdtsc();
    return (long)((t1 - t0) / ITERATIONS);
}

static uint8_t user_stack[8192] __attribute__((aligned(16)));

/* ---- Page-table work ---- */

#define M2P    ((const uint64_t *)0xFFFF800000000000UL)
#define PTE_RO (X86_PTE_P | X86_PTE_A)
#define PTE_RW (X86_PTE_P | X86_PTE_RW | X86_PTE_A | X86_PTE_D)

static uint8_t spare[2][4096] __attribute__((aligned(4096)));

static uint64_t pfn_to_mfn(uint64_t pfn)
{
    return ((const uint64_t *)pv_start_info->mfn_list)[pfn];
}

/* Where the boot mapping shows machine frame mfn (page tables are mapped read-only). */
static uint64_t *mfn_va(uint64_t mfn)
{
    return (uint64_t *)(PV_VIRT_BASE + M2P[mfn] * 4096);
}

/* The L1 entry mapping va in the boot tables: its machine address and a (read-only) view. */
static uint64_t *l1e_of(uint64_t va, uint64_t *maddr)
{
    uint64_t *t = (uint64_t *)pv_start_info->pt_base;
    static const int shift[] = {39, 30, 21};

    for (int lvl = 0; lvl < 3; lvl++)
        t = mfn_va(X86_PTE_MFN(t[(va >> shift[lvl]) & 511]));
    *maddr = (pfn_to_mfn(((uint64_t)t - PV_VIRT_BASE) >> 12) << 12) + ((va >> 12) & 511) * 8;
    return t + ((va >> 12) & 511);
}

/* Frames from the top of our memory: never mapped by the boot tables. */
static uint64_t top_mfn(unsigned int i)
{
    return pfn_to_mfn(pv_start_info->nr_pages - 1 - i);
}

static uint64_t per_update(unsigned int batch)
{
    static struct mmu_update reqs[512];
    uint64_t slot, t0, t1;
    const unsigned int total = 4096;

    l1e_of((uint64_t)spare[0], &slot);
    for (unsigned int i = 0; i < batch; i++)
        reqs[i] = (struct mmu_update){slot | MMU_NORMAL_PT_UPDATE, (top_mfn(i & 1) << 12) | PTE_RO};
    t0 = pv_rdtsc();
    for (unsigned int n = 0; n < total; n += batch) {
        /* A batch of 1 alternates between two frames call by call. */
        if (batch == 1)
            reqs[0].val = (top_mfn(n / batch & 1) << 12) | PTE_RO;
        if (HYPERVISOR_mmu_update(reqs, batch, NULL, DOMID_SELF))
            bench_ok = false;
    }
    t1 = pv_rdtsc();
    return (t1 - t0) / total;
}

static uint64_t per_uvm(void)
{
    uint64_t t0, t1;

    t0 = pv_rdtsc();
    for (unsigned int i = 0; i < ITERATIONS; i++)
        if (HYPERVISOR_update_va_mapping((uint64_t)spare[0], (top_mfn(i & 1) << 12) | PTE_RO,
                                         UVMF_INVLPG))
            bench_ok = false;
    t1 = pv_rdtsc();
    return (t1 - t0) / ITERATIONS;
}

/* Fills a table frame through a temporary writable mapping at spare[1]. */
static void write_table(uint64_t mfn, const uint64_t *entries, unsigned int n)
{
    if (HYPERVISOR_update_va_mapping((uint64_t)spare[1], (mfn << 12) | PTE_RW, UVMF_INVLPG))
        bench_ok = false;
    for (unsigned int i = 0; i < 512; i++)
        ((uint64_t *)spare[1])[i] = i < n ? entries[i] : 0;
    if (HYPERVISOR_update_va_mapping((uint64_t)spare[1], 0, UVMF_INVLPG))
        bench_ok = false;
}

static uint64_t per_pin_unpin(void)
{
    enum { NR_L1 = 16, ROUNDS = 10 };
    static uint64_t e[512];
    uint64_t l4 = top_mfn(2), l3 = top_mfn(3), l2 = top_mfn(4), t0, t1;
    struct mmuext_op op[2] = {{.cmd = MMUEXT_PIN_L4_TABLE, .arg1.mfn = l4},
                              {.cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = l4}};

    for (unsigned int t = 0; t < NR_L1; t++) {
        for (unsigned int i = 0; i < 512; i++)
            e[i] = (pfn_to_mfn(t * 512 + i) << 12) | PTE_RO;
        write_table(top_mfn(5 + t), e, 512);
    }
    for (unsigned int t = 0; t < NR_L1; t++)
        e[t] = (top_mfn(5 + t) << 12) | PTE_RW;
    write_table(l2, e, NR_L1);
    e[0] = (l2 << 12) | PTE_RW;
    write_table(l3, e, 1);
    e[0] = (l3 << 12) | PTE_RW;
    write_table(l4, e, 1);
    t0 = pv_rdtsc();
    for (unsigned int r = 0; r < ROUNDS; r++)
        if (HYPERVISOR_mmuext_op(op, 2, NULL, DOMID_SELF))
            bench_ok = false;
    t1 = pv_rdtsc();
    return (t1 - t0) / ROUNDS;
}

static uint64_t per_ptwr(void)
{
    uint64_t slot, t0, t1;
    volatile uint64_t *pte = l1e_of((uint64_t)spare[0], &slot);

    if (HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables))
        bench_ok = false;
    t0 = pv_rdtsc();
    for (unsigned int i = 0; i < ITERATIONS; i++)
        *pte = (top_mfn(i & 1) << 12) | PTE_RO | X86_PTE_US;
    t1 = pv_rdtsc();
    if (X86_PTE_MFN(*pte) != top_mfn((ITERATIONS - 1) & 1))
        bench_ok = false;
    return (t1 - t0) / ITERATIONS;
}

/* The single-domain measures: what the transitions cost with the CPU to ourselves. */
static void single_domain(void)
{
    uint64_t hc, ud;
    long user;

    hc = cycles_per_op(null_hypercall);
    bench_report("null_hypercall", hc);

    pv_set_trap_handler(X86_EXC_UD, skip_ud2);
    ud = cycles_per_op(ud_bounce);
    bench_report("ud_bounce", ud);

    pv_set_trap_handler(PV_VEC_SYSCALL, null_syscall);
    user = pv_run_user(user_syscalls, user_stack + sizeof(user_stack));
    if (user < 0) {
        pv_printf("pv_run_user failed: %ld (%s)\n", user, xen_errno_name((int)user));
        bench_ok = false;
    } else {
        bench_report("user_roundtrip", (uint64_t)user);
    }

    bench_report("mmu_update_batch1", per_update(1));
    bench_report("mmu_update_batch64", per_update(64));
    bench_report("mmu_update_batch512", per_update(512));
    bench_report("update_va_mapping", per_uvm());
    bench_report("pin_unpin_l4", per_pin_unpin());
    bench_report("ptwr_write", per_ptwr());
}

void pv_main(void)
{
    const char *cmd = pv_start_info->cmd_line;
    bool two_cpus = strcmp(cmd, "2cpu") == 0, paired;
    uint64_t c;
    long rc;

    if (strcmp(cmd, "peer") == 0)
        bench_peer_main();
    pv_puts("xen-lite PV transition costs (cycles per operation, rdtsc)");
    /* A new vCPU ticks at 100 Hz: stop that, so only the hypervisor's own timers interrupt. */
    rc = pv_stop_periodic_timer(0);
    if (rc) {
        pv_printf("bench: VCPUOP_stop_periodic_timer: %ld (%s)\n", rc, xen_errno_name((int)rc));
        bench_ok = false;
    }
    /* First, so that the peer is blocked before anything is measured. */
    paired = pv_shared_info && bench_pair_connect();

    if (!two_cpus)
        single_domain();
    if (paired) {
        c = bench_pair_roundtrip();
        if (c)
            bench_report(two_cpus ? "evtchn_rtt_cross_cpu" : "evtchn_rtt_same_cpu", c);
    }
    if (paired && !two_cpus) {
        c = bench_pair_yield();
        if (c)
            bench_report("yield_switch", c);
    }
    if (!two_cpus && pv_shared_info)
        bench_timer_latency();

    pv_printf("Test result: %s\n", bench_ok ? "SUCCESS" : "ERROR");
}
