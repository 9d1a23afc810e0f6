/* SPDX-License-Identifier: MIT */
/* ACPI: the firmware tables that say which CPUs and interrupt controllers the machine has. */
#ifndef XEN_LITE_ASM_ACPI_H
#define XEN_LITE_ASM_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Only what SMP bring-up and interrupt routing need is read: the RSDP, the root table
 * (RSDT or XSDT) and the MADT ("APIC").  Firmware tables are treated as hostile-ish input:
 * every table's checksum is verified, and no byte outside a table's checked length (or the
 * buffer it was found in) is read.
 */

#define ACPI_MAX_CPUS      64 /* = MAX_CPUS (asm/smp.h): CPU masks are one uint64_t */
#define ACPI_MAX_IOAPICS   8
#define ACPI_MAX_OVERRIDES 16
#define ACPI_MAX_NMIS      8

#define ACPI_RSDP_V1_LEN  20
#define ACPI_RSDP_V2_LEN  36
#define ACPI_SDT_HDR_LEN  36
#define ACPI_MADT_HDR_LEN 44 /* SDT header + local APIC address + flags */

/* MADT flags: the machine also has the legacy dual-8259 PICs. */
#define ACPI_MADT_PCAT_COMPAT 1u

/* MPS INTI flags of overrides and NMI sources: polarity in bits 0-1, trigger in bits 2-3. */
#define ACPI_INTI_POLARITY_MASK 0x3
#define ACPI_INTI_POLARITY_HIGH 0x1
#define ACPI_INTI_POLARITY_LOW  0x3
#define ACPI_INTI_TRIGGER_MASK  0xc
#define ACPI_INTI_TRIGGER_EDGE  0x4
#define ACPI_INTI_TRIGGER_LEVEL 0xc
#define ACPI_NMI_ALL_PROCESSORS 0xffffffffu

struct acpi_ioapic {
    uint8_t id;
    uint32_t address;  /* physical MMIO base */
    uint32_t gsi_base; /* GSI of its pin 0 */
};

/* An interrupt source override: ISA IRQ `irq` arrives on `gsi` with these MPS INTI flags. */
struct acpi_override {
    uint8_t irq;
    uint32_t gsi;
    uint16_t flags;
};

/* A local APIC NMI entry (LINTn wired to NMI), or an NMI source GSI (is_source). */
struct acpi_nmi {
    bool is_source;
    uint32_t uid; /* ACPI processor UID, ACPI_NMI_ALL_PROCESSORS = every CPU (lapic NMI) */
    uint32_t gsi; /* NMI source */
    uint8_t lint; /* lapic NMI: 0 or 1 */
    uint16_t flags;
};

/* What the MADT says, in plain form.  Counts never exceed the arrays. */
struct acpi_madt_info {
    uint64_t lapic_address; /* from the header, or the 64-bit override entry */
    uint32_t flags;         /* ACPI_MADT_PCAT_COMPAT */
    unsigned int nr_cpus;
    uint32_t cpu_apic_id[ACPI_MAX_CPUS]; /* enabled or online-capable, firmware order */
    unsigned int nr_ioapics;
    struct acpi_ioapic ioapic[ACPI_MAX_IOAPICS];
    unsigned int nr_overrides;
    struct acpi_override override[ACPI_MAX_OVERRIDES];
    unsigned int nr_nmis;
    struct acpi_nmi nmi[ACPI_MAX_NMIS];
    /* Entries that were not used, for the boot log. */
    unsigned int cpus_disabled; /* neither enabled nor online-capable */
    unsigned int cpus_dropped;  /* duplicate, beyond ACPI_MAX_CPUS, or not xAPIC-addressable */
    unsigned int entries_bad;   /* shorter than their type needs, or too many of a kind */
    bool truncated;             /* an entry ran past the table or had a length < 2 */
};

/* Sums len bytes: a valid ACPI table sums to 0 (mod 256). */
uint8_t acpi_checksum(const void *p, size_t len);

/*
 * Checks an RSDP candidate of avail readable bytes: signature "RSD PTR ", the ACPI 1.0
 * checksum over 20 bytes and, for revision >= 2, a sane length (36..avail) and the extended
 * checksum.  Returns true if it is a usable RSDP.
 */
bool acpi_rsdp_valid(const void *p, size_t avail);

/*
 * Searches len bytes at area (16-byte aligned steps, as the spec places it) for a valid
 * RSDP.  Returns its offset in area, or -1.
 */
long acpi_find_rsdp(const void *area, size_t len);

/*
 * Checks a system description table of avail readable bytes: its length field is at least
 * the 36-byte header and at most avail, and the table sums to 0.  Returns its length, or 0.
 */
uint32_t acpi_sdt_valid(const void *p, size_t avail);

/*
 * Parses a MADT of avail readable bytes into *mi (zeroed first).  The table must be a valid
 * SDT with signature "APIC" and at least the 44-byte MADT header.  Entries are walked within
 * the table's own length: one with length < 2 or running past the end stops the walk (and
 * sets truncated); one shorter than its type needs is skipped (entries_bad).  Returns 0, or
 * -XEN_EINVAL if the table itself is unusable.
 */
int acpi_parse_madt(const void *madt, size_t avail, struct acpi_madt_info *mi);

/*
 * Maps len bytes of physical memory at pa for reading; returns NULL if they are not
 * mappable.  acpi_find_madt() calls it for every table it reads, so a test can hand it
 * synthetic memory.
 */
typedef const void *(*acpi_map_fn)(uint64_t pa, size_t len, void *ctx);

/*
 * From a valid RSDP (rsdp_len readable bytes), walks the XSDT (revision >= 2 with a non-zero
 * address) or else the RSDT, and returns the first valid table with signature "APIC" (its
 * length in *len, its address in *pa if pa is not NULL), or NULL.  Invalid tables are
 * skipped; an XSDT that is invalid or has no MADT falls back to the RSDT.
 */
const void *acpi_find_madt(const void *rsdp, size_t rsdp_len, acpi_map_fn map, void *ctx,
                           uint32_t *len, uint64_t *pa);

/* Boot side (acpi-boot.c) ---------------------------------------------------------------- */

/* The machine's MADT as parsed by acpi_init(); all zero if there was none. */
extern struct acpi_madt_info acpi_madt;

/* Remembers a copy of the RSDP a Multiboot2 loader passed (tags 14 and 15). */
void acpi_note_boot_rsdp(const void *rsdp, size_t len);

/*
 * Finds the RSDP (Multiboot2 copy, else EBDA and 0xE0000-0xFFFFF), the MADT, and fills
 * acpi_madt, logging what it found.  Returns 0, or -XEN_ENODEV if there is no usable MADT
 * (the machine is then treated as one CPU without IO-APIC).
 */
int acpi_init(void);

#endif
