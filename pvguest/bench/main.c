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
 */
#include <pvguest/pvguest.h>

#define WARMUP     100
#define ITERATIONS 1000

static bool ok = true;

static void null_hypercall(void)
{
    if (HYPERVISOR_xen_version(XENVER_version, NULL) <= 0)
        ok = false;
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

void pv_main(void)
{
    uint64_t hc, ud;
    long user;

    pv_puts("xen-lite PV transition costs (cycles per operation, rdtsc)");

    hc = cycles_per_op(null_hypercall);
    pv_printf("BENCH null_hypercall %lu\n", (unsigned long)hc);

    pv_set_trap_handler(X86_EXC_UD, skip_ud2);
    ud = cycles_per_op(ud_bounce);
    pv_printf("BENCH ud_bounce %lu\n", (unsigned long)ud);

    pv_set_trap_handler(PV_VEC_SYSCALL, null_syscall);
    user = pv_run_user(user_syscalls, user_stack + sizeof(user_stack));
    if (user < 0) {
        pv_printf("pv_run_user failed: %ld (%s)\n", user, xen_errno_name((int)user));
        ok = false;
    } else {
        pv_printf("BENCH user_roundtrip %ld\n", user);
    }

    pv_printf("Test result: %s\n", ok ? "SUCCESS" : "ERROR");
}
