/* SPDX-License-Identifier: MIT */
/* GDT, IDT and TSS setup, and the syscall MSRs. */
#include <stdint.h>
#include <string.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <memlayout.h>

struct idt_gate {
    uint16_t off_lo, sel;
    uint8_t ist, type_attr;
    uint16_t off_mid;
    uint32_t off_hi, zero;
} __attribute__((packed));

static struct idt_gate idt[256] __attribute__((aligned(16)));
extern const uint64_t trap_stub_table[256]; /* entry.S */
extern char syscall_entry[];                /* entry.S */

/* The boot CPU's stacks for the faults that must not use a possibly broken stack. */
static uint8_t ist_stacks[3][STACK_SIZE] __attribute__((aligned(16)));

#define SEG(flags_hi, access)                                                                      \
    (((uint64_t)(flags_hi) << 52) | ((uint64_t)(access) << 40) | 0x000f00000000ffffULL)

void gdt_init_reserved(uint64_t *gdt, struct percpu *pc)
{
    uint64_t tss = (uint64_t)&pc->tss;
    uint64_t limit = sizeof(pc->tss) - 1;

    gdt[HYPERVISOR_CS >> 3] = SEG(0xa, 0x9a); /* 64-bit code, DPL 0 */
    gdt[HYPERVISOR_DS >> 3] = SEG(0xc, 0x92); /* data, DPL 0 */
    gdt[HV_RING3_CS32 >> 3] = SEG(0xc, 0xfa); /* 32-bit code, DPL 3 */
    gdt[HV_RING3_DS >> 3] = SEG(0xc, 0xf2);   /* data, DPL 3 */
    gdt[HV_RING3_CS64 >> 3] = SEG(0xa, 0xfa); /* 64-bit code, DPL 3 */
    /* 64-bit available TSS: two slots. */
    gdt[HV_TSS_SEL >> 3] = (limit & 0xffff) | ((tss & 0xffffff) << 16) | (0x89ULL << 40) |
                           ((limit >> 16 & 0xf) << 48) | ((tss >> 24 & 0xff) << 56);
    gdt[(HV_TSS_SEL >> 3) + 1] = tss >> 32;
}

void gdt_load(uint64_t *gdt)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) ptr = {GDT_BYTES - 1, (uint64_t)gdt};

    asm volatile("lgdt %0" : : "m"(ptr));
}

void ldt_load(uint64_t *gdt, const uint64_t *ldt, unsigned int entries)
{
    uint64_t base = (uint64_t)ldt, limit = (uint64_t)entries * 8 - 1;

    if (!ldt || !entries) {
        asm volatile("lldt %w0" : : "r"(0));
        return;
    }
    /* 64-bit LDT system descriptor (type 2), two slots. */
    gdt[HV_LDT_SEL >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x82ULL << 40) |
                           ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
    gdt[(HV_LDT_SEL >> 3) + 1] = base >> 32;
    asm volatile("lldt %w0" : : "r"(HV_LDT_SEL));
}

bool guest_descriptor_ok(uint64_t d)
{
    unsigned int access = (d >> 40) & 0xff;

    if (!(access & 0x80)) /* not present: harmless, any load faults into the guest */
        return true;
    if (!(access & 0x10)) /* system descriptors (TSS, gates, LDT) are the hypervisor's */
        return false;
    if (((access >> 5) & 3) != 3) /* DPL must be 3: the guest kernel runs at CPL 3 */
        return false;
    if ((access & 0x08) && (access & 0x04)) /* conforming code could run at our CPL */
        return false;
    return true;
}

static void set_gate(int vec, uint64_t handler, int dpl, int ist)
{
    idt[vec] = (struct idt_gate){
        .off_lo = handler & 0xffff,
        .sel = HYPERVISOR_CS,
        .ist = (uint8_t)ist,
        .type_attr = (uint8_t)(0x8e | (dpl << 5)), /* present, 64-bit interrupt gate */
        .off_mid = (handler >> 16) & 0xffff,
        .off_hi = (uint32_t)(handler >> 32),
    };
}

void cpu_desc_init(struct percpu *pc)
{
    cpu_desc_init_stacks(pc, &ist_stacks[0][0]);
}

void cpu_desc_init_stacks(struct percpu *pc, uint8_t *ist)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr = {sizeof(idt) - 1, (uint64_t)idt};

    for (int v = 0; v < 256; v++)
        set_gate(v, trap_stub_table[v], 0, 0);
    /* int3 and into may be executed by the guest directly; everything else #GPs. */
    set_gate(3, trap_stub_table[3], 3, 0);
    set_gate(4, trap_stub_table[4], 3, 0);
    set_gate(2, trap_stub_table[2], 0, IST_NMI);
    set_gate(8, trap_stub_table[8], 0, IST_DF);
    set_gate(18, trap_stub_table[18], 0, IST_MC);
    asm volatile("lidt %0" : : "m"(idtr));

    memset(&pc->tss, 0, sizeof(pc->tss));
    pc->tss.ist[IST_NMI - 1] = (uint64_t)ist + 1 * STACK_SIZE;
    pc->tss.ist[IST_DF - 1] = (uint64_t)ist + 2 * STACK_SIZE;
    pc->tss.ist[IST_MC - 1] = (uint64_t)ist + 3 * STACK_SIZE;
    pc->tss.iomap_base = sizeof(pc->tss); /* no I/O bitmap: guest port I/O always traps */

    /*
     * syscall enters at HYPERVISOR_CS; sysret would use 0xe023+16 = 0xe033 (64-bit) and
     * 0xe02b for SS, the flat ring-3 selectors of Xen's ABI.  Entry masks IF, TF, DF, AC, NT
     * and IOPL so the hypervisor starts with a known flags state.
     */
    wrmsr(MSR_STAR, ((uint64_t)HV_RING3_CS32 << 48) | ((uint64_t)HYPERVISOR_CS << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_CSTAR, 0);
    wrmsr(MSR_SYSCALL_MASK, X86_EFLAGS_IF | X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_AC |
                                X86_EFLAGS_NT | X86_EFLAGS_IOPL | X86_EFLAGS_RF);
}
