/* SPDX-License-Identifier: MIT */
/* start_xen: from the boot loader to the first guest instruction. */
#include <format.h>
#include <string.h>
#include <public/sched.h>
#include <public/xen.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/ioapic.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <bootinfo.h>
#include <cmdline.h>
#include <console.h>
#include <domain-build.h>
#include <domain.h>
#include <frame-alloc.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>
#include <paging.h>
#include <sched.h>
#include <time.h>
#include <timer.h>
#include <version.h>

extern char __image_start[], __image_end[];

static struct percpu cpu0;
static struct boot_info boot;

/* Hypervisor command line options. */
static char opt_console[16] = "com1";
static uint64_t opt_dom0_mem = 64ULL << 20;
static uint64_t opt_domu_mem = 32ULL << 20;
static uint64_t opt_dom0_max_vcpus = 1;
static char opt_loglvl[16] = "info";

static const struct cmdline_opt options[] = {
    {"console", OPT_STR, opt_console, sizeof(opt_console)},
    {"dom0_mem", OPT_SIZE, &opt_dom0_mem, 0},
    {"domu_mem", OPT_SIZE, &opt_domu_mem, 0},
    {"dom0_max_vcpus", OPT_UINT, &opt_dom0_max_vcpus, 0},
    {"loglvl", OPT_STR, opt_loglvl, sizeof(opt_loglvl)},
    {"maxcpus", OPT_UINT, &opt_maxcpus, 0},
    {"smp_selftest", OPT_BOOL, &opt_smp_selftest, 0},
};

static void unknown_option(void *ctx, const char *word, size_t len)
{
    (void)ctx;
    log_warn("ignoring unknown or malformed option '%.*s'\n", (int)len, word);
}

static void apply_options(void)
{
    static const char *const levels[] = {"error", "warning", "info", "all"};

    for (unsigned int i = 0; i < ARRAY_SIZE(levels); i++)
        if (!strcmp(opt_loglvl, levels[i]))
            console_loglevel = (int)i;
    if (!strcmp(opt_loglvl, "none"))
        console_loglevel = -1;
    if (opt_dom0_max_vcpus < 1 || opt_dom0_max_vcpus > MAX_VCPUS_PER_DOM) {
        printk("dom0_max_vcpus=%lu: must be 1..%d; using 1\n", opt_dom0_max_vcpus,
               MAX_VCPUS_PER_DOM);
        opt_dom0_max_vcpus = 1;
    }
}

static void cpu_init(void)
{
    uint64_t cr4 = read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;

    cr4 &= ~X86_CR4_TSD; /* guests read the TSC */
    /* SMEP: the hypervisor must never execute guest (user) pages. */
    if (cpuid(0).eax >= 7 && (cpuid_count(7, 0).ebx & (1u << 7)))
        cr4 |= X86_CR4_SMEP;
    write_cr4(cr4);
    write_cr0((read_cr0() | X86_CR0_MP | X86_CR0_NE | X86_CR0_WP) & ~(X86_CR0_EM | X86_CR0_TS));
    if (cpuid(0x80000000).eax >= 0x80000008)
        paddr_bits = cpuid(0x80000008).eax & 0xff;
    cpu0.self = &cpu0;
    wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
    wrmsr(MSR_SHADOW_GS_BASE, 0);
    cpu_desc_init(&cpu0);
    sched_init(); /* loads the idle GDT, which has our TSS */
    cpu_load_hv_segments();
    asm volatile("ltr %w0" : : "r"(HV_TSS_SEL));
}

static void memory_init(void)
{
    struct mem_range reserved[MAX_BOOT_MODULES + 2];
    int nr = 0;
    uint64_t total = 0;

    for (int i = 0; i < boot.nr_ram; i++) {
        log_info(" RAM %016lx - %016lx\n", boot.ram[i].start, boot.ram[i].end);
        total += boot.ram[i].end - boot.ram[i].start;
    }
    reserved[nr++] = (struct mem_range){0, 1ULL << 20}; /* BIOS, real-mode leftovers */
    reserved[nr++] = (struct mem_range){virt_to_maddr(__image_start), virt_to_maddr(__image_end)};
    for (int i = 0; i < boot.nr_mods; i++)
        reserved[nr++] = (struct mem_range){boot.mods[i].start, boot.mods[i].end};
    if (frame_alloc_init(boot.ram, boot.nr_ram, reserved, nr, maddr_to_virt))
        panic("cannot initialise the frame allocator");
    mm_init();
    printk("memory: %lu MiB RAM, %lu MiB free for domains\n", total >> 20, frames_free() >> 8);
}

/* Builds one boot domain from module `idx`; dom0 failing stops the machine. */
static void start_boot_domain(int idx, uint16_t domid, const struct module_args *ma,
                              const struct boot_module *initrd)
{
    const struct boot_module *m = &boot.mods[idx];
    bool is_dom0 = domid == 0;
    char name[40];
    struct domain *d;
    struct build_params p = {
        .image = maddr_to_virt(m->start),
        .image_len = m->end - m->start,
        .initrd = initrd ? maddr_to_virt(initrd->start) : NULL,
        .initrd_len = initrd ? initrd->end - initrd->start : 0,
        .cmdline = ma->guest_cmdline,
        .sif_flags = is_dom0 ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0,
    };
    const char *why = "";
    int rc;

    if (ma->name[0])
        strlcpy(name, ma->name, sizeof(name));
    else
        snprintf(name, sizeof(name), is_dom0 ? "Domain-0" : "domU%u", domid);
    p.nr_pages = (ma->mem_bytes ? ma->mem_bytes : is_dom0 ? opt_dom0_mem : opt_domu_mem) >> 12;
    d = domain_create(domid, name, is_dom0,
                      is_dom0     ? (unsigned int)opt_dom0_max_vcpus
                      : ma->vcpus ? ma->vcpus
                                  : 1);
    if (!d)
        panic("cannot create d%u: out of hypervisor memory", domid);
    if (is_dom0)
        dom0 = d;
    if (ma->weight)
        d->sched_weight = ma->weight;
    d->sched_cap = ma->cap;
    rc = domain_build(d, &p, &why);
    if (rc) {
        printk("d%u (%s): cannot build from module %d: %s (%s)\n", domid, name, idx + 1, why,
               xen_errno_name(rc));
        if (is_dom0)
            panic("no dom0: the dom0 kernel image was refused");
        domain_shutdown(d, SHUTDOWN_crash);
        return;
    }
    printk("d%u (%s) built: %lu MiB%s\n", domid, name, p.nr_pages >> 8,
           p.initrd ? ", with initrd" : "");
    d->vcpus[0]->initialised = true;
    vcpu_up(d->vcpus[0]);
}

static void start_domains(void)
{
    struct module_args ma;
    const struct boot_module *dom0_initrd = NULL;
    uint16_t next_domid = 1;
    const char *why;

    if (!boot.nr_mods)
        panic("no dom0 kernel: pass it as the first boot module (QEMU: -initrd dom0.elf)");
    /* A second module that is not a domU is dom0's initrd. */
    if (boot.nr_mods > 1 && !module_args_parse(boot.mods[1].cmdline, &ma, &why) && !ma.is_domu)
        dom0_initrd = &boot.mods[1];
    if (module_args_parse(boot.mods[0].cmdline, &ma, &why))
        panic("dom0 module command line: %s", why);
    start_boot_domain(0, 0, &ma, dom0_initrd);
    for (int i = 1; i < boot.nr_mods; i++) {
        if (&boot.mods[i] == dom0_initrd)
            continue;
        if (module_args_parse(boot.mods[i].cmdline, &ma, &why)) {
            printk("module %d: %s: not started\n", i + 1, why);
            continue;
        }
        if (!ma.is_domu) {
            printk("module %d: not a domU (no 'domU' after the file name): ignored\n", i + 1);
            continue;
        }
        start_boot_domain(i, next_domid++, &ma, NULL);
    }
}

void start_xen(uint32_t magic, uint32_t info_pa)
{
    serial_init(0x3f8);
    if (multiboot_parse(magic, info_pa, &boot))
        panic("not started by a Multiboot loader (magic %#x)", magic);
    cmdline_parse(boot.cmdline, options, ARRAY_SIZE(options), unknown_option, NULL);
    apply_options();
    if (!strcmp(opt_console, "com2"))
        serial_init(0x2f8);
    else if (!strcmp(opt_console, "none"))
        serial_init(0);

    printk("xen-lite %d.%d%s: a small hypervisor for Xen PV guests (x86_64)\n", XL_XEN_MAJOR,
           XL_XEN_MINOR, XL_EXTRAVERSION);
    printk("booted by %s via %s; command line: %s\n",
           boot.loader_name[0] ? boot.loader_name : "an unnamed loader", boot.loader_protocol,
           boot.cmdline);

    cpu_init();
    memory_init();
    paging_drop_identity_map();
    apic_time_init();
    time_init();
    timer_cpu_init(0);
    acpi_init();
    smp_boot_cpus();
    ioapic_init();
    if (opt_smp_selftest)
        smp_selftest();
    start_domains();
    /* The boot modules have been copied into their domains: give their memory back. */
    for (int i = 0; i < boot.nr_mods; i++) {
        uint64_t s = ROUND_UP(boot.mods[i].start, 4096), e = ROUND_DOWN(boot.mods[i].end, 4096);
        if (e > s)
            free_frames(s >> 12, (e - s) >> 12);
    }
    printk("starting domains\n");
    sched_start();
}

const char *hypervisor_cmdline(void)
{
    return boot.cmdline;
}

int boot_ram_ranges(const struct mem_range **r)
{
    *r = boot.ram;
    return boot.nr_ram;
}
