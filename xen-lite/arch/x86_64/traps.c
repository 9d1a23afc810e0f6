/* SPDX-License-Identifier: MIT */
/* Exception and interrupt dispatch; fatal hypervisor faults print registers and halt. */
#include <stdarg.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/regs.h>
#include <asm/smp.h>
#include <console.h>
#include <domain.h>
#include <lib.h>
#include <spinlock.h>

static const char *const vector_names[32] = {
    "#DE divide error",
    "#DB debug",
    "NMI",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound range",
    "#UD invalid opcode",
    "#NM device not available",
    "#DF double fault",
    "coprocessor overrun",
    "#TS invalid TSS",
    "#NP segment not present",
    "#SS stack fault",
    "#GP general protection",
    "#PF page fault",
    "reserved 15",
    "#MF x87 error",
    "#AC alignment check",
    "#MC machine check",
    "#XM SIMD error",
    "#VE virtualization",
    "#CP control protection",
};

const char *vector_name(unsigned int vec)
{
    if (vec < 32 && vector_names[vec])
        return vector_names[vec];
    return vec == VECTOR_SYSCALL ? "syscall" : "interrupt";
}

struct ex_entry {
    uint64_t insn, fixup;
};
extern const struct ex_entry __ex_table_start[], __ex_table_end[];

/* The fixup for a faulting hypervisor instruction that is allowed to fault, or 0. */
static uint64_t search_ex_table(uint64_t rip)
{
    for (const struct ex_entry *e = __ex_table_start; e < __ex_table_end; e++)
        if (e->insn == rip)
            return e->fixup;
    return 0;
}

static void show_registers(const struct cpu_user_regs *r)
{
    printk("  rip %016lx  cs %04lx  rflags %016lx\n", r->rip, r->cs, r->rflags);
    printk("  rsp %016lx  ss %04lx  error %lx  cr2 %016lx\n", r->rsp, r->ss, r->error_code,
           read_cr2());
    printk("  rax %016lx  rbx %016lx  rcx %016lx\n", r->rax, r->rbx, r->rcx);
    printk("  rdx %016lx  rsi %016lx  rdi %016lx\n", r->rdx, r->rsi, r->rdi);
    printk("  rbp %016lx  r8  %016lx  r9  %016lx\n", r->rbp, r->r8, r->r9);
    printk("  r10 %016lx  r11 %016lx  r12 %016lx\n", r->r10, r->r11, r->r12);
    printk("  r13 %016lx  r14 %016lx  r15 %016lx\n", r->r13, r->r14, r->r15);
    printk("  cr0 %016lx  cr3 %016lx  cr4 %016lx\n", read_cr0(), read_cr3(), read_cr4());
}

/* Follows the frame-pointer chain (the hypervisor is built with frame pointers). */
static void show_backtrace(uint64_t rbp)
{
    printk("  backtrace (resolve with addr2line -e build/xen-lite.elf):\n");
    for (int depth = 0; depth < 16 && rbp; depth++) {
        uint64_t *frame = (uint64_t *)rbp;

        if (rbp & 7 || rbp < 0xFFFF800000000000UL)
            break;
        printk("    [%016lx]\n", frame[1]);
        rbp = frame[0];
    }
}

static void __attribute__((noreturn)) fatal_trap(struct cpu_user_regs *r)
{
    printk("\n*** hypervisor fault: vector %lu (%s) ***\n", r->vector, vector_name(r->vector));
    show_registers(r);
    show_backtrace(r->rbp);
    machine_halt(EXIT_VALUE_PANIC, 0);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    local_irq_disable();
    printk("\n****************************************\n");
    printk("Panic: ");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n****************************************\n");
    show_backtrace((uint64_t)__builtin_frame_address(0));
    machine_halt(EXIT_VALUE_PANIC, 0);
}

void machine_halt(unsigned int exit_value, int reboot)
{
    local_irq_disable();
    /* QEMU's isa-debug-exit ends the emulator with status (value << 1) | 1. */
    outl(0xf4, exit_value);
    if (reboot)
        outb(0x64, 0xfe); /* keyboard controller reset */
    outw(0x604, 0x2000);  /* QEMU ACPI power-off */
    for (;;)
        asm volatile("cli; hlt");
}

void do_trap(struct cpu_user_regs *regs)
{
    unsigned int vec = (unsigned int)regs->vector;
    uint64_t fixup;

    if (vec >= 32) {
        if (!smp_interrupt(vec)) /* IPIs and device vectors */
            apic_interrupt(vec);
        return;
    }
    if (regs_from_guest(regs)) {
        pv_guest_exception(regs);
        return;
    }
    if (vec == 2) {
        log_warn("NMI received (ignored)\n");
        return;
    }
    if ((vec == 13 || vec == 14 || vec == 12 || vec == 11) &&
        regs->rip == (uint64_t)guest_iret_insn) {
        /* The frame we tried to return to the guest with is unusable. */
        pv_bad_iret(regs);
        return;
    }
    fixup = search_ex_table(regs->rip);
    if (fixup) {
        regs->rip = fixup;
        return;
    }
    fatal_trap(regs);
}

/*
 * entry.S: every exception, interrupt or syscall from a guest (or a failed return to one).
 * An interrupt is handled first, without the lock: its handler only acknowledges and raises
 * softirqs, and until it acknowledges, the local APIC holds back every lower vector, so an
 * IPI from the lock holder that waits for an answer must not wait for the lock itself.
 * Everything else runs under the lock.  The way back to the guest gives it back.
 */
void do_trap_guest(struct cpu_user_regs *regs);
void do_trap_guest(struct cpu_user_regs *regs)
{
    if (regs->vector >= 32 && regs->vector != VECTOR_SYSCALL) {
        do_trap(regs);
        hv_lock();
    } else {
        hv_lock();
        if (regs->vector == VECTOR_SYSCALL)
            do_syscall(regs);
        else
            do_trap(regs);
    }
}
