/* SPDX-License-Identifier: MIT */
/* ACPI at boot: finding the RSDP in memory, mapping the tables, logging the MADT. */
#include <string.h>
#include <asm/acpi.h>
#include <console.h>
#include <frame-alloc.h>
#include <lib.h>
#include <memlayout.h>

struct acpi_madt_info acpi_madt;

/* A Multiboot2 loader's copy of the RSDP (tag 14: ACPI 1.0, tag 15: 2.0+), if any. */
static uint8_t boot_rsdp[64];
static size_t boot_rsdp_len;

void acpi_note_boot_rsdp(const void *rsdp, size_t len)
{
    /* The 2.0+ copy wins over the 1.0 one, whatever order the tags come in. */
    if (len > sizeof(boot_rsdp) || !acpi_rsdp_valid(rsdp, len) || len < boot_rsdp_len)
        return;
    memcpy(boot_rsdp, rsdp, len);
    boot_rsdp_len = len;
}

/*
 * Everything up to 4 GiB is in the boot direct map (2 MiB pages, holes included), and
 * mm_init() extended it to the last RAM frame; ACPI tables live in firmware-reserved memory
 * below that.  A table beyond is refused rather than mapped.
 */
static const void *map_phys(uint64_t pa, size_t len, void *ctx)
{
    uint64_t mapped = BOOT_DIRECTMAP_SIZE;
    uint64_t max_mfn = max_ram_mfn();

    (void)ctx;
    if (max_mfn != INVALID_MFN && ((max_mfn + 1) << 12) > mapped)
        mapped = ROUND_UP((max_mfn + 1) << 12, 1ULL << 21);
    if (pa >= mapped || len > mapped - pa) {
        log_warn("ACPI: table at %#lx (%lu bytes) is outside the direct map: ignored\n", pa,
                 (unsigned long)len);
        return NULL;
    }
    return maddr_to_virt(pa);
}

/* The spec's two places: the first KiB of the EBDA, then the BIOS area 0xE0000-0xFFFFF. */
static const void *scan_bios_areas(void)
{
    const uint16_t *bda_ebda = maddr_to_virt(0x40e); /* BIOS data area: EBDA segment */
    uint64_t ebda = (uint64_t)*bda_ebda << 4;
    long off;

    if (ebda >= 0x80000 && ebda + 1024 <= 0xa0000) {
        off = acpi_find_rsdp(maddr_to_virt(ebda), 1024);
        if (off >= 0)
            return (const uint8_t *)maddr_to_virt(ebda) + off;
    }
    off = acpi_find_rsdp(maddr_to_virt(0xe0000), 0x20000);
    return off >= 0 ? (const uint8_t *)maddr_to_virt(0xe0000) + off : NULL;
}

static const char *polarity_name(uint16_t flags)
{
    switch (flags & ACPI_INTI_POLARITY_MASK) {
    case ACPI_INTI_POLARITY_HIGH:
        return "active high";
    case ACPI_INTI_POLARITY_LOW:
        return "active low";
    }
    return "active high"; /* "conforms to the bus": ISA */
}

static const char *trigger_name(uint16_t flags)
{
    switch (flags & ACPI_INTI_TRIGGER_MASK) {
    case ACPI_INTI_TRIGGER_EDGE:
        return "edge";
    case ACPI_INTI_TRIGGER_LEVEL:
        return "level";
    }
    return "edge"; /* "conforms to the bus": ISA */
}

static void log_madt(uint64_t pa, const struct acpi_madt_info *mi)
{
    printk("ACPI: MADT at %#lx: %u CPU%s, %u IO-APIC%s, %u override%s%s\n", pa, mi->nr_cpus,
           mi->nr_cpus == 1 ? "" : "s", mi->nr_ioapics, mi->nr_ioapics == 1 ? "" : "s",
           mi->nr_overrides, mi->nr_overrides == 1 ? "" : "s",
           mi->flags & ACPI_MADT_PCAT_COMPAT ? ", legacy PICs present" : "");
    for (unsigned int i = 0; i < mi->nr_cpus; i++)
        log_info("ACPI: CPU with APIC id %u\n", mi->cpu_apic_id[i]);
    for (unsigned int i = 0; i < mi->nr_ioapics; i++)
        printk("ACPI: IO-APIC id %u at %#x, GSI base %u\n", mi->ioapic[i].id, mi->ioapic[i].address,
               mi->ioapic[i].gsi_base);
    for (unsigned int i = 0; i < mi->nr_overrides; i++)
        printk("ACPI: override ISA IRQ %u -> GSI %u (%s, %s)\n", mi->override[i].irq,
               mi->override[i].gsi, trigger_name(mi->override[i].flags),
               polarity_name(mi->override[i].flags));
    for (unsigned int i = 0; i < mi->nr_nmis; i++) {
        const struct acpi_nmi *n = &mi->nmi[i];

        if (n->is_source)
            log_info("ACPI: NMI source GSI %u (not routed)\n", n->gsi);
        else if (n->uid == ACPI_NMI_ALL_PROCESSORS)
            log_info("ACPI: NMI on LINT%u of every CPU (left to firmware setup)\n", n->lint);
        else
            log_info("ACPI: NMI on LINT%u of processor UID %u (left to firmware setup)\n", n->lint,
                     n->uid);
    }
    if (mi->cpus_disabled || mi->cpus_dropped)
        log_info(
            "ACPI: %u CPU entr%s disabled, %u not usable (duplicate, x2APIC-only or over %d)\n",
            mi->cpus_disabled, mi->cpus_disabled == 1 ? "y" : "ies", mi->cpus_dropped,
            ACPI_MAX_CPUS);
    if (mi->entries_bad || mi->truncated)
        log_warn("ACPI: MADT has %u malformed entr%s%s\n", mi->entries_bad,
                 mi->entries_bad == 1 ? "y" : "ies", mi->truncated ? " and is cut short" : "");
}

int acpi_init(void)
{
    const uint8_t *rsdp = boot_rsdp_len ? boot_rsdp : scan_bios_areas();
    size_t rsdp_len = boot_rsdp_len;
    const void *madt;
    uint32_t len;
    uint64_t pa = 0;

    if (!rsdp) {
        printk("ACPI: no RSDP found: one CPU, no IO-APIC\n");
        return -XEN_ENODEV;
    }
    if (!boot_rsdp_len) /* found in the BIOS area, which ends at 1 MiB */
        rsdp_len = (size_t)((const uint8_t *)maddr_to_virt(0x100000) - rsdp);
    printk("ACPI: RSDP revision %u, OEM '%.6s', %s\n", rsdp[15], (const char *)rsdp + 9,
           boot_rsdp_len ? "from the Multiboot2 loader" : "found in the BIOS area");
    madt = acpi_find_madt(rsdp, rsdp_len, map_phys, NULL, &len, &pa);
    if (!madt || acpi_parse_madt(madt, len, &acpi_madt)) {
        memset(&acpi_madt, 0, sizeof(acpi_madt));
        printk("ACPI: no valid MADT: one CPU, no IO-APIC\n");
        return -XEN_ENODEV;
    }
    log_madt(pa, &acpi_madt);
    return 0;
}
