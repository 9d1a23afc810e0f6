/* SPDX-License-Identifier: MIT */
/* Starting the other CPUs (APs): the trampoline, INIT-SIPI-SIPI, and each AP's own setup. */
#include <string.h>
#include <public/arch-x86-pt.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <console.h>
#include <frame-alloc.h>
#include <heap.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>

unsigned int nr_cpus = 1;
uint64_t cpu_online_mask = 1;
uint64_t opt_maxcpus = MAX_CPUS;

static struct percpu *percpus[MAX_CPUS];
static unsigned int apic_ids[MAX_CPUS];

/* How long the boot CPU waits for a started AP to report in. */
#define AP_WAIT_MS 3000

/*
 * What the trampoline and ap_entry64 (trampoline.S) read: the boot CPU's control registers,
 * and the stack and logical id of the AP being started.  APs start one at a time, so one
 * set is enough; ap_alive is the AP's answer (its logical id once it is set up).
 */
uint64_t ap_boot_cr0, ap_boot_cr3, ap_boot_cr4, ap_boot_stack;
static unsigned int ap_boot_cpu;
static uint64_t *ap_boot_gdt;
static uint8_t *ap_boot_ist;
static int ap_alive = -1;

extern uint8_t trampoline_start[], trampoline_end[], tramp_cr3[], tramp_efer[];

/*
 * The tables the trampoline switches paging on with: this page mapped 1:1 (where the AP
 * executes while it turns long mode on) plus the hypervisor's L4 slots.  They are the
 * hypervisor's own .bss, so they lie below 4 GiB as the 32-bit CR3 load needs, and the
 * boot CPU's tables never regain an identity map.
 */
static uint64_t tramp_l4[512] __attribute__((aligned(4096)));
static uint64_t tramp_l3[512] __attribute__((aligned(4096)));
static uint64_t tramp_l2[512] __attribute__((aligned(4096)));
static uint64_t tramp_l1[512] __attribute__((aligned(4096)));

struct percpu *percpu_of(unsigned int cpu)
{
    return cpu < nr_cpus ? percpus[cpu] : NULL;
}

unsigned int cpu_apic_id(unsigned int cpu)
{
    return cpu < nr_cpus ? apic_ids[cpu] : 0;
}

void cpu_load_hv_segments(void)
{
    asm volatile("pushq %[cs]\n\t"
                 "leaq 1f(%%rip), %%rax\n\t"
                 "pushq %%rax\n\t"
                 "lretq\n"
                 "1:\n\t"
                 "mov %[ds], %%ss\n\t"
                 "mov %[null], %%ds\n\t"
                 "mov %[null], %%es"
                 :
                 : [cs] "i"(HYPERVISOR_CS), [ds] "r"(HYPERVISOR_DS), [null] "r"(0)
                 : "rax", "memory");
}

/* Default: the scheduler replaces it with its per-CPU loop. */
__attribute__((weak, noreturn)) void ap_main(unsigned int cpu)
{
    (void)cpu;
    for (;;)
        asm volatile("cli; hlt");
}

/* C entry of an AP (from ap_entry64), interrupts disabled, on its own stack. */
void __attribute__((noreturn)) ap_start(void);
void ap_start(void)
{
    unsigned int cpu = ap_boot_cpu;
    struct percpu *pc = percpus[cpu];

    /* Own GDT (with own TSS) first: the trampoline's is only reachable through the direct map. */
    gdt_load(ap_boot_gdt);
    cpu_load_hv_segments();
    wrmsr(MSR_GS_BASE, (uint64_t)pc);
    wrmsr(MSR_SHADOW_GS_BASE, 0);
    cpu_desc_init_stacks(pc, ap_boot_ist);
    pc->tss.rsp[0] = pc->stack_top;
    asm volatile("ltr %w0" : : "r"(HV_TSS_SEL));
    lapic_cpu_init();

    /* Printed before answering, so it never interleaves with the waiting boot CPU's output. */
    printk("CPU%u (APIC id %u) up\n", cpu, lapic_id());
    __atomic_store_n(&ap_alive, (int)cpu, __ATOMIC_RELEASE);
    if (opt_smp_selftest)
        smp_selftest_ap(cpu);
    ap_main(cpu);
}

/* Copies the trampoline to its page and builds the tables it switches paging on with. */
static bool trampoline_setup(void)
{
    size_t size = (size_t)(trampoline_end - trampoline_start);
    uint8_t *low = maddr_to_virt(TRAMPOLINE_PADDR);
    uint64_t efer = rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE | EFER_SCE);

    if (!frame_is_ram(TRAMPOLINE_PADDR >> 12)) {
        printk("SMP: page %#x for the AP trampoline is not RAM: no APs\n", TRAMPOLINE_PADDR);
        return false;
    }
    if (size > 4096 || virt_to_maddr(tramp_l4) >> 32)
        panic("AP trampoline: %zu bytes (one page at most), tables at %#lx (below 4 GiB)", size,
              virt_to_maddr(tramp_l4));
    memcpy(low, trampoline_start, size);

    memset(tramp_l4, 0, sizeof(tramp_l4));
    install_hypervisor_slots(tramp_l4);
    tramp_l4[0] = virt_to_maddr(tramp_l3) | X86_PTE_P | X86_PTE_RW;
    tramp_l3[0] = virt_to_maddr(tramp_l2) | X86_PTE_P | X86_PTE_RW;
    tramp_l2[0] = virt_to_maddr(tramp_l1) | X86_PTE_P | X86_PTE_RW;
    tramp_l1[TRAMPOLINE_PADDR >> 12] = TRAMPOLINE_PADDR | X86_PTE_P;

    *(uint32_t *)(low + (tramp_cr3 - trampoline_start)) = (uint32_t)virt_to_maddr(tramp_l4);
    *(uint32_t *)(low + (tramp_efer - trampoline_start)) = (uint32_t)efer;
    ap_boot_cr0 = read_cr0();
    ap_boot_cr3 = idle_root_maddr();
    ap_boot_cr4 = read_cr4();
    return true;
}

/*
 * Starts the CPU with local APIC id apic_id as logical CPU nr_cpus: INIT, 10 ms, then up to
 * two STARTUP IPIs 200 us apart (Intel MP spec, B.4), then waits for its answer.  Returns
 * true if it came up.  Everything it needs is allocated here, before it runs.
 */
static bool start_ap(unsigned int apic_id)
{
    unsigned int cpu = nr_cpus;
    struct percpu *pc = heap_alloc(sizeof(*pc));
    uint8_t *stack = heap_alloc(STACK_SIZE);
    uint8_t *ist = heap_alloc(3 * STACK_SIZE);
    uint64_t *gdt = heap_alloc(GDT_BYTES);
    uint64_t t0;

    if (!pc || !stack || !ist || !gdt) {
        heap_free(pc, sizeof(*pc));
        heap_free(stack, STACK_SIZE);
        heap_free(ist, 3 * STACK_SIZE);
        heap_free(gdt, GDT_BYTES);
        printk("SMP: out of memory for CPU%u (APIC id %u): not started\n", cpu, apic_id);
        return false;
    }
    pc->self = pc;
    pc->cpu_id = cpu;
    pc->stack_top = (uint64_t)stack + STACK_SIZE;
    gdt_init_reserved(gdt, pc);
    percpus[cpu] = pc;
    apic_ids[cpu] = apic_id;
    ap_boot_cpu = cpu;
    ap_boot_stack = pc->stack_top;
    ap_boot_gdt = gdt;
    ap_boot_ist = ist;
    __atomic_store_n(&ap_alive, -1, __ATOMIC_SEQ_CST);

    if (lapic_send_init(apic_id)) {
        printk("SMP: INIT to APIC id %u not accepted: not started\n", apic_id);
        return false;
    }
    udelay(10000);
    for (int i = 0; i < 2 && __atomic_load_n(&ap_alive, __ATOMIC_ACQUIRE) < 0; i++) {
        if (lapic_send_startup(apic_id, TRAMPOLINE_PADDR >> 12))
            log_warn("SMP: STARTUP IPI to APIC id %u not accepted\n", apic_id);
        udelay(200);
    }
    t0 = rdtsc();
    while (__atomic_load_n(&ap_alive, __ATOMIC_ACQUIRE) != (int)cpu) {
        if (rdtsc() - t0 > tsc_khz() * AP_WAIT_MS) {
            /* Park it in INIT so it cannot run late on memory the next AP is given. */
            lapic_send_init(apic_id);
            percpus[cpu] = NULL;
            printk("SMP: CPU with APIC id %u did not answer within %u ms: not used\n", apic_id,
                   AP_WAIT_MS);
            return false;
        }
        cpu_relax();
    }
    cpu_online_mask |= 1ULL << cpu;
    nr_cpus++;
    return true;
}

void smp_boot_cpus(void)
{
    unsigned int bsp, found = acpi_madt.nr_cpus, limit;
    bool bsp_listed = false;

    lapic_map();
    bsp = lapic_id();
    percpus[0] = this_cpu();
    apic_ids[0] = bsp;
    for (unsigned int i = 0; i < found; i++)
        bsp_listed |= acpi_madt.cpu_apic_id[i] == bsp;
    if (!bsp_listed)
        found++; /* firmware forgot us: we run anyway */
    limit = opt_maxcpus < 1 ? 1 : opt_maxcpus > MAX_CPUS ? MAX_CPUS : (unsigned int)opt_maxcpus;
    if (limit > found)
        limit = found;
    printk("SMP: boot CPU has APIC id %u; %u CPU%s found, starting %u\n", bsp, found,
           found == 1 ? "" : "s", limit);
    if (limit > 1 && trampoline_setup())
        for (unsigned int i = 0; i < acpi_madt.nr_cpus && nr_cpus < limit; i++)
            if (acpi_madt.cpu_apic_id[i] != bsp)
                start_ap(acpi_madt.cpu_apic_id[i]);
    printk("SMP: %u of %u CPU%s up%s\n", nr_cpus, found, found == 1 ? "" : "s",
           limit < found && opt_maxcpus < found ? " (maxcpus)" : "");
}
