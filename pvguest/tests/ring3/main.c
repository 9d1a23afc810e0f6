/* SPDX-License-Identifier: MIT */
/*
 * ring3: the guest kernel really runs de-privileged.
 *
 * A PV guest kernel runs at CPL 3, so the CPU itself refuses its privileged instructions
 * with #GP(0), and the hypervisor must bounce that #GP to the guest's own handler unless
 * it deliberately emulates the instruction. Checked here, from guest kernel mode:
 *  - %cs is FLAT_KERNEL_CS (0xe033, RPL 3) and %ss FLAT_KERNEL_SS (0xe02b);
 *  - cli, sti, lgdt, lidt, a CR0 write that clears PG, and in/out on port 0x80 (no
 *    virtual IOPL, no I/O bitmap) each reach our #GP handler with error code 0 at that
 *    instruction, seen as coming from guest kernel mode (frame CS 0xe030), and execution
 *    continues after it;
 *  - reading %cr0 and %cr4 is emulated (no #GP): CR0.PE and CR0.PG set, CR4.PAE set
 *    (long mode), CR4.TSD clear (guests may use rdtsc);
 *  - popf cannot raise IOPL or clear the real IF.
 * `hlt` is not tested: the ABI emulates it as "block".
 */
#include <pvguest/test.h>

static void do_cli(void)
{
    __asm__ volatile(PV_TRY_BEGIN "cli" PV_TRY_END ::: "r11", "memory");
}

static void do_sti(void)
{
    __asm__ volatile(PV_TRY_BEGIN "sti" PV_TRY_END ::: "r11", "memory");
}

static void do_lgdt(void)
{
    static uint8_t desc[10];

    __asm__ volatile(PV_TRY_BEGIN "lgdt (%0)" PV_TRY_END ::"r"(desc) : "r11", "memory");
}

static void do_lidt(void)
{
    static uint8_t desc[10];

    __asm__ volatile(PV_TRY_BEGIN "lidt (%0)" PV_TRY_END ::"r"(desc) : "r11", "memory");
}

/* Xen emulates CR0 writes that only change TS; clearing PG must be refused. */
static void do_write_cr0(void)
{
    unsigned long v = pv_read_cr0() & ~X86_CR0_PG;

    __asm__ volatile(PV_TRY_BEGIN "mov %0, %%cr0" PV_TRY_END ::"r"(v) : "r11", "memory");
}

static void do_in(void)
{
    __asm__ volatile(PV_TRY_BEGIN "in $0x80, %%al" PV_TRY_END ::: "rax", "r11", "memory");
}

static void do_out(void)
{
    __asm__ volatile(PV_TRY_BEGIN "out %%al, $0x80" PV_TRY_END ::"a"(0) : "r11", "memory");
}

static const struct {
    const char *name;
    void (*run)(void);
} refused[] = {
    {"cli", do_cli},
    {"sti", do_sti},
    {"lgdt", do_lgdt},
    {"lidt", do_lidt},
    {"mov to cr0 (clear PG)", do_write_cr0},
    {"in $0x80", do_in},
    {"out $0x80", do_out},
};

static void check_refused(const char *name, void (*run)(void))
{
    unsigned long before = pv_caught.count;

    run();
    if (!xtf_check(pv_caught.count == before + 1, "%s: no #GP reached the guest", name))
        return;
    xtf_check(pv_caught.frame.vector == X86_EXC_GP, "%s: vector %lu, want #GP", name,
              (unsigned long)pv_caught.frame.vector);
    xtf_check(pv_caught.frame.error_code == 0, "%s: error code %#lx, want 0", name,
              (unsigned long)pv_caught.frame.error_code);
    xtf_check(pv_caught.frame.rip == pv_try_rip, "%s: frame rip %#lx, want %#lx (the instruction)",
              name, (unsigned long)pv_caught.frame.rip, (unsigned long)pv_try_rip);
    xtf_check((pv_caught.frame.cs & 0xffff) == (FLAT_KERNEL_CS & ~3),
              "%s: frame cs %#lx, want %#x (guest kernel, RPL 0)", name,
              (unsigned long)pv_caught.frame.cs, FLAT_KERNEL_CS & ~3);
    pv_printf("%s: #GP(%lu) at %#lx, resumed\n", name, (unsigned long)pv_caught.frame.error_code,
              (unsigned long)pv_caught.frame.rip);
}

static void check_cr_reads(void)
{
    unsigned long before = pv_caught.count;
    unsigned long cr0 = 0, cr4 = 0;

    __asm__ volatile(PV_TRY_BEGIN "mov %%cr0, %0" PV_TRY_END : "+r"(cr0) : : "r11", "memory");
    xtf_check(pv_caught.count == before, "reading cr0 raised #GP instead of being emulated");
    __asm__ volatile(PV_TRY_BEGIN "mov %%cr4, %0" PV_TRY_END : "+r"(cr4) : : "r11", "memory");
    xtf_check(pv_caught.count == before, "reading cr4 raised #GP instead of being emulated");
    if (pv_caught.count != before)
        return;

    pv_printf("emulated reads: cr0 %#lx cr4 %#lx\n", cr0, cr4);
    xtf_check((cr0 & (X86_CR0_PE | X86_CR0_PG)) == (X86_CR0_PE | X86_CR0_PG),
              "cr0 %#lx lacks PE|PG", cr0);
    xtf_check(cr4 & X86_CR4_PAE, "cr4 %#lx lacks PAE", cr4);
    xtf_check(!(cr4 & X86_CR4_TSD), "cr4 %#lx has TSD set", cr4);
}

static void check_popf(void)
{
    unsigned long after;

    __asm__ volatile("pushfq\n\t"
                     "orq $0x3000, (%%rsp)\n\t"  /* IOPL = 3 */
                     "andq $~0x200, (%%rsp)\n\t" /* IF = 0 */
                     "popfq\n\t"
                     "pushfq\n\t"
                     "popq %0"
                     : "=r"(after)
                     :
                     : "memory", "cc");
    pv_printf("rflags after popf(IOPL=3, IF=0): %#lx\n", after);
    xtf_check((after & X86_EFLAGS_IOPL) == 0, "popf raised IOPL: rflags %#lx", after);
    xtf_check(after & X86_EFLAGS_IF, "popf cleared the real IF: rflags %#lx", after);
}

void test_main(void)
{
    unsigned int cs = pv_read_cs(), ss = pv_read_ss();

    pv_printf("guest kernel: cs %#x ss %#x rflags %#lx\n", cs, ss, pv_read_flags());
    xtf_check(cs == FLAT_KERNEL_CS, "cs is %#x, want %#x", cs, FLAT_KERNEL_CS);
    xtf_check((cs & 3) == 3, "cs RPL is %u, want 3", cs & 3);
    xtf_check(ss == FLAT_KERNEL_SS, "ss is %#x, want %#x", ss, FLAT_KERNEL_SS);
    xtf_check((pv_read_flags() & X86_EFLAGS_IOPL) == 0, "IOPL is not 0");

    pv_catch(X86_EXC_GP);
    for (unsigned int i = 0; i < ARRAY_SIZE(refused); i++)
        check_refused(refused[i].name, refused[i].run);
    check_cr_reads();
    check_popf();

    xtf_success();
}
