/* SPDX-License-Identifier: MIT */
/*
 * usermode: guest user mode, entered and left the way a PV kernel does it.
 *
 * The guest kernel enters user mode with the iret hypercall (CS RPL 3, after giving the
 * hypervisor a user L4 and a kernel stack), and gets control back through the syscall
 * callback and exception bounces, whose frames must say "from user mode" and sit on the
 * registered (stack_switch) kernel stack. Checked:
 *  - in user code %cs is FLAT_USER_CS (RPL 3), %ss FLAT_USER_SS, rflags has IF, IOPL 0;
 *  - a user `syscall` reaches the syscall callback with rcx = rip = the user's return
 *    address, CS 0xe033 (RPL 3), saved upcall mask 0, virtual IF set, frame on the
 *    stack_switch stack; the kernel's answer (rax) arrives in user mode via iret with
 *    VGCF_in_syscall, user registers other than rcx/r11 survive, and the code is still in
 *    user mode;
 *  - in user mode, #UD, #PF reading an unmapped page (error code U only), #PF writing the
 *    read-only L4 (P|W|U), cli (#GP(0)), `int $0x80` with a DPL 3 entry (delivered, rip
 *    after it) and `int $0x83` with a DPL 1 entry (#GP: user mode is privilege 3) all
 *    reach the kernel's handlers with CS RPL 3 and resume in user mode;
 *  - returning from the user function and calling exit both bring pv_run_user() back
 *    with the value, in guest kernel mode (hypercalls work again, events masked again).
 */
#include <pvguest/test.h>

#define SYS_ADD_ONE           1 /* our test system call: returns rdi + 1 */
#define USER_RESULT           0x5a5a
#define USER_EXIT_VALUE       77
#define SAVED_UPCALL_MASK(cs) (((cs) >> 32) & 0xff)

static uint8_t user_stack[16384] __attribute__((aligned(16)));

/* Kernel-side record of the last user system call. */
static volatile struct {
    unsigned long count;
    struct pv_trap_frame frame;
    uint64_t frame_top;
} sys;

/* What user code observed around one exception (it cannot print). */
struct user_fault {
    const char *what;
    unsigned int vector;
    uint64_t error_code;
    unsigned int rip_offset; /* expected frame rip - start of the instruction */
    uint64_t addr;           /* expected cr2 for #PF */
    unsigned long count_before, count_after;
    uint64_t try_rip, try_rsp;
    struct pv_caught caught;
    unsigned int cs_after;
};

static struct {
    unsigned int cs, ss, cs_after_syscall;
    unsigned long rflags;
    long sys_result;
    uint64_t ret_rip, rbx_after, r12_after;
    struct user_fault faults[6];
    unsigned int nr_faults;
} u;

static void syscall_handler(struct pv_trap_frame *f)
{
    sys.frame = *f;
    sys.frame_top = (uint64_t)&f->ss + sizeof(f->ss);
    sys.count++;
    f->rax = f->rax == SYS_ADD_ONE ? f->rdi + 1 : (uint64_t)-XEN_ENOSYS;
}

/* ---- user mode ------------------------------------------------------------------------ */

static struct user_fault *begin_fault(const char *what, unsigned int vector, uint64_t ec,
                                      unsigned int rip_offset, uint64_t addr)
{
    struct user_fault *uf = &u.faults[u.nr_faults++];

    uf->what = what;
    uf->vector = vector;
    uf->error_code = ec;
    uf->rip_offset = rip_offset;
    uf->addr = addr;
    uf->count_before = pv_caught.count;
    return uf;
}

static void end_fault(struct user_fault *uf)
{
    uf->count_after = pv_caught.count;
    uf->try_rip = pv_try_rip;
    uf->try_rsp = pv_try_rsp;
    uf->caught = pv_caught;
    uf->cs_after = pv_read_cs();
}

static void user_faults(void)
{
    struct user_fault *uf;
    uint64_t unmapped = PV_VIRT_BASE - PV_PAGE_SIZE;
    volatile uint64_t *l4 = (volatile uint64_t *)pv_start_info->pt_base;
    uint64_t e = l4[0];

    uf = begin_fault("user #UD", X86_EXC_UD, 0, 0, 0);
    __asm__ volatile(PV_TRY_BEGIN "ud2" PV_TRY_END ::: "r11", "memory");
    end_fault(uf);

    uf = begin_fault("user #PF read", X86_EXC_PF, X86_PFEC_USER, 0, unmapped);
    __asm__ volatile(PV_TRY_BEGIN "mov (%%rax), %%rax" PV_TRY_END
                     : "+a"(unmapped)
                     :
                     : "r11", "memory");
    end_fault(uf);

    uf = begin_fault("user #PF write L4", X86_EXC_PF,
                     X86_PFEC_PRESENT | X86_PFEC_WRITE | X86_PFEC_USER, 0, (uint64_t)l4);
    __asm__ volatile(PV_TRY_BEGIN "mov %1, (%0)" PV_TRY_END ::"r"(l4), "r"(e) : "r11", "memory");
    end_fault(uf);

    uf = begin_fault("user cli", X86_EXC_GP, 0, 0, 0);
    __asm__ volatile(PV_TRY_BEGIN "cli" PV_TRY_END ::: "r11", "memory");
    end_fault(uf);

    uf = begin_fault("user int $0x80 (DPL 3)", 0x80, 0, 2, 0);
    __asm__ volatile(PV_TRY_BEGIN "int $0x80" PV_TRY_END ::: "r11", "memory");
    end_fault(uf);

    /* error code not checked: QEMU 7.2 TCG reports a wrong one for `int N` */
    uf = begin_fault("user int $0x83 (DPL 1)", X86_EXC_GP, ~0ULL, 0, 0);
    __asm__ volatile(PV_TRY_BEGIN "int $0x83" PV_TRY_END ::: "r11", "memory");
    end_fault(uf);
}

static long user_main(void)
{
    uint64_t arg = 41, ret_rip, rbx = 0x1234abcd, r12 = 0x5678ef01;
    long result;

    u.cs = pv_read_cs();
    u.ss = pv_read_ss();
    u.rflags = pv_read_flags();

    __asm__ volatile("lea 1f(%%rip), %[rip]\n\t"
                     "syscall\n"
                     "1:"
                     : "=a"(result), [rip] "=&r"(ret_rip), "+D"(arg), "+b"(rbx), "+r"(r12)
                     : "0"((unsigned long)SYS_ADD_ONE)
                     : "rcx", "r11", "memory");
    u.sys_result = result;
    u.ret_rip = ret_rip;
    u.rbx_after = rbx;
    u.r12_after = r12;
    u.cs_after_syscall = pv_read_cs();

    user_faults();
    return USER_RESULT;
}

static long user_exit_early(void)
{
    pv_user_syscall(PV_SYS_EXIT, USER_EXIT_VALUE);
    return -1; /* not reached */
}

/* ---- kernel-side checks -------------------------------------------------------------- */

static void check_user_frame(const char *what, volatile const struct pv_trap_frame *f,
                             uint64_t frame_top)
{
    uint64_t want_top = pv_user_kernel_sp & ~15UL;

    xtf_check((f->cs & 0xffff) == FLAT_USER_CS, "%s: frame cs %#lx, want %#x (user, RPL 3)", what,
              (unsigned long)f->cs, FLAT_USER_CS);
    xtf_check(SAVED_UPCALL_MASK(f->cs) == 0, "%s: saved upcall mask %lu, want 0 (IF on in user)",
              what, (unsigned long)SAVED_UPCALL_MASK(f->cs));
    xtf_check(f->rflags & X86_EFLAGS_IF, "%s: frame rflags %#lx lacks the virtual IF", what,
              (unsigned long)f->rflags);
    xtf_check((f->ss & 0xffff) == FLAT_USER_SS, "%s: frame ss %#lx, want %#x", what,
              (unsigned long)f->ss, FLAT_USER_SS);
    xtf_check(frame_top == want_top, "%s: frame ends at %#lx, want the stack_switch stack top %#lx",
              what, (unsigned long)frame_top, (unsigned long)want_top);
}

static void check_syscall(void)
{
    volatile const struct pv_trap_frame *f = &sys.frame;

    if (!xtf_check(sys.count == 1, "syscall callback ran %lu times, want 1", sys.count))
        return;
    pv_printf("user syscall: rip %#lx rcx %#lx r11 %#lx cs %#lx rflags %#lx rsp %#lx\n",
              (unsigned long)f->rip, (unsigned long)f->rcx, (unsigned long)f->r11,
              (unsigned long)f->cs, (unsigned long)f->rflags, (unsigned long)f->rsp);
    check_user_frame("syscall", f, sys.frame_top);
    xtf_check(f->rcx == u.ret_rip, "syscall: frame rcx %#lx, want the return rip %#lx",
              (unsigned long)f->rcx, (unsigned long)u.ret_rip);
    xtf_check(f->rip == u.ret_rip, "syscall: frame rip %#lx, want %#lx", (unsigned long)f->rip,
              (unsigned long)u.ret_rip);
    xtf_check(f->rdi == 41, "syscall: rdi %lu, want 41", (unsigned long)f->rdi);
    xtf_check(u.sys_result == 42, "syscall result in user mode %ld, want 42", u.sys_result);
    xtf_check(u.rbx_after == 0x1234abcd && u.r12_after == 0x5678ef01,
              "rbx/r12 not preserved across the syscall: %#lx %#lx", (unsigned long)u.rbx_after,
              (unsigned long)u.r12_after);
    xtf_check(u.cs_after_syscall == FLAT_USER_CS, "cs after the syscall returned: %#x",
              u.cs_after_syscall);
}

static void check_fault(const struct user_fault *uf)
{
    const struct pv_trap_frame *f = &uf->caught.frame;

    if (!xtf_check(uf->count_after == uf->count_before + 1, "%s: handler ran %lu times, want 1",
                   uf->what, uf->count_after - uf->count_before))
        return;
    pv_printf("%s: vector %#lx ec %#lx rip %#lx cs %#lx cr2 %#lx\n", uf->what,
              (unsigned long)f->vector, (unsigned long)f->error_code, (unsigned long)f->rip,
              (unsigned long)f->cs, (unsigned long)uf->caught.cr2);
    xtf_check(f->vector == uf->vector, "%s: vector %#lx, want %#x", uf->what,
              (unsigned long)f->vector, uf->vector);
    if (uf->error_code != ~0ULL)
        xtf_check(f->error_code == uf->error_code, "%s: error code %#lx, want %#lx", uf->what,
                  (unsigned long)f->error_code, (unsigned long)uf->error_code);
    xtf_check(f->rip == uf->try_rip + uf->rip_offset, "%s: rip %#lx, want %#lx", uf->what,
              (unsigned long)f->rip, (unsigned long)(uf->try_rip + uf->rip_offset));
    xtf_check(f->rsp == uf->try_rsp, "%s: frame rsp %#lx, want the user rsp %#lx", uf->what,
              (unsigned long)f->rsp, (unsigned long)uf->try_rsp);
    if (uf->vector == X86_EXC_PF)
        xtf_check(uf->caught.cr2 == uf->addr, "%s: cr2 %#lx, want %#lx", uf->what,
                  (unsigned long)uf->caught.cr2, (unsigned long)uf->addr);
    check_user_frame(uf->what, f, uf->caught.frame_top);
    xtf_check(uf->cs_after == FLAT_USER_CS, "%s: resumed with cs %#x, not in user mode", uf->what,
              uf->cs_after);
}

void test_main(void)
{
    static const unsigned int caught[] = {X86_EXC_UD, X86_EXC_PF, X86_EXC_GP, 0x80, 0x83};
    long rc, ver;

    if (!pv_shared_info) {
        xtf_error("shared_info not mapped: cannot read cr2");
        return;
    }
    if (pv_set_trap_entry(0x80, 3, true) || pv_set_trap_entry(0x83, 1, true)) {
        xtf_error("cannot register trap entries 0x80/0x83");
        return;
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(caught); i++)
        pv_catch(caught[i]);
    pv_set_trap_handler(PV_VEC_SYSCALL, syscall_handler);

    rc = pv_run_user(user_main, user_stack + sizeof(user_stack));
    pv_printf("pv_run_user returned %#lx\n", (unsigned long)rc);
    if (!xtf_check(rc == USER_RESULT, "pv_run_user returned %ld, want %d", rc, USER_RESULT))
        return;

    pv_printf("in user mode: cs %#x ss %#x rflags %#lx\n", u.cs, u.ss, u.rflags);
    xtf_check(u.cs == FLAT_USER_CS && (u.cs & 3) == 3, "user cs %#x, want %#x", u.cs, FLAT_USER_CS);
    xtf_check(u.ss == FLAT_USER_SS, "user ss %#x, want %#x", u.ss, FLAT_USER_SS);
    xtf_check(u.rflags & X86_EFLAGS_IF, "user rflags %#lx lacks IF", u.rflags);
    xtf_check(!(u.rflags & X86_EFLAGS_IOPL), "user rflags %#lx has IOPL", u.rflags);
    check_syscall();
    for (unsigned int i = 0; i < u.nr_faults; i++)
        check_fault(&u.faults[i]);

    /* Back in kernel mode: a hypercall is a hypercall again, events masked again. */
    ver = HYPERVISOR_xen_version(XENVER_version, NULL);
    xtf_check(ver > 0, "xen_version after user mode returned %ld", ver);
    xtf_check(pv_shared_info->vcpu_info[0].evtchn_upcall_mask == 1,
              "events not masked again after user mode");

    rc = pv_run_user(user_exit_early, user_stack + sizeof(user_stack));
    xtf_check(rc == USER_EXIT_VALUE, "exit syscall: pv_run_user returned %ld, want %d", rc,
              USER_EXIT_VALUE);

    xtf_success();
}
