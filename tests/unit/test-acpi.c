/* SPDX-License-Identifier: MIT */
/* Unit tests for ACPI table parsing (xen-lite/arch/x86_64/acpi.c): good, corrupt, hostile. */
#include <criterion/criterion.h>
#include <asm/acpi.h>
#include <public/errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * Every table is built in a malloc'd buffer of exactly its size, so AddressSanitizer turns
 * a parser reading one byte past a table into a failed test.
 */

/* A little-endian byte writer over a growing table. */
struct buf {
    uint8_t b[4096];
    size_t len;
};

static void put(struct buf *t, const void *p, size_t n)
{
    cr_assert_leq(t->len + n, sizeof(t->b));
    memcpy(t->b + t->len, p, n);
    t->len += n;
}

static void put8(struct buf *t, uint8_t v)
{
    put(t, &v, 1);
}

static void put16(struct buf *t, uint16_t v)
{
    put(t, &v, 2);
}

static void put32(struct buf *t, uint32_t v)
{
    put(t, &v, 4);
}

static void put64(struct buf *t, uint64_t v)
{
    put(t, &v, 8);
}

static void set32(struct buf *t, size_t off, uint32_t v)
{
    memcpy(t->b + off, &v, 4);
}

/* Starts an SDT: signature, length (filled by sdt_finish), revision, checksum, OEM ids. */
static void sdt_start(struct buf *t, const char *sig)
{
    t->len = 0;
    put(t, sig, 4);
    put32(t, 0);
    put8(t, 1);
    put8(t, 0);
    put(t, "XLTEST", 6);
    put(t, "UNITTEST", 8);
    put32(t, 1);
    put32(t, 0);
    put32(t, 1);
}

/* Sets the length field to the bytes written and fixes the checksum. */
static void sdt_finish(struct buf *t)
{
    set32(t, 4, (uint32_t)t->len);
    t->b[9] = 0;
    t->b[9] = (uint8_t)(0x100 - acpi_checksum(t->b, t->len));
}

static void madt_start(struct buf *t, uint32_t lapic_addr, uint32_t flags)
{
    sdt_start(t, "APIC");
    put32(t, lapic_addr);
    put32(t, flags);
}

static void lapic(struct buf *t, uint8_t uid, uint8_t id, uint32_t flags)
{
    put8(t, 0);
    put8(t, 8);
    put8(t, uid);
    put8(t, id);
    put32(t, flags);
}

static void ioapic(struct buf *t, uint8_t id, uint32_t addr, uint32_t gsi_base)
{
    put8(t, 1);
    put8(t, 12);
    put8(t, id);
    put8(t, 0);
    put32(t, addr);
    put32(t, gsi_base);
}

static void override(struct buf *t, uint8_t bus, uint8_t irq, uint32_t gsi, uint16_t flags)
{
    put8(t, 2);
    put8(t, 10);
    put8(t, bus);
    put8(t, irq);
    put32(t, gsi);
    put16(t, flags);
}

static void x2apic(struct buf *t, uint32_t id, uint32_t flags, uint32_t uid)
{
    put8(t, 9);
    put8(t, 16);
    put16(t, 0);
    put32(t, id);
    put32(t, flags);
    put32(t, uid);
}

/* An exact-size heap copy of the table (freed by the caller). */
static uint8_t *exact(const struct buf *t)
{
    uint8_t *p = malloc(t->len ? t->len : 1);

    cr_assert(p);
    memcpy(p, t->b, t->len);
    return p;
}

static int parse(const struct buf *t, struct acpi_madt_info *mi)
{
    uint8_t *p = exact(t);
    int rc = acpi_parse_madt(p, t->len, mi);

    free(p);
    return rc;
}

Test(acpi, checksum_sums_bytes)
{
    uint8_t b[] = {1, 2, 3, 250};

    cr_assert_eq(acpi_checksum(b, 4), 0);
    cr_assert_eq(acpi_checksum(b, 3), 6);
    cr_assert_eq(acpi_checksum(b, 0), 0);
}

/* QEMU's layout: BSP, two APs, one disabled entry, an online-capable one, IO-APIC, overrides. */
Test(acpi, madt_like_qemu)
{
    struct buf t;
    struct acpi_madt_info mi;

    madt_start(&t, 0xfee00000, ACPI_MADT_PCAT_COMPAT);
    lapic(&t, 0, 0, 1);
    lapic(&t, 1, 1, 1);
    lapic(&t, 2, 2, 0); /* disabled, not online-capable: not a CPU we may start */
    lapic(&t, 3, 3, 2); /* online-capable */
    ioapic(&t, 0, 0xfec00000, 0);
    override(&t, 0, 0, 2, 0);
    override(&t, 0, 9, 9, 0xd); /* level, active high */
    /* Local APIC NMI: every processor, LINT1. */
    put8(&t, 4);
    put8(&t, 6);
    put8(&t, 0xff);
    put16(&t, 0);
    put8(&t, 1);
    sdt_finish(&t);

    cr_assert_eq(parse(&t, &mi), 0);
    cr_assert_eq(mi.lapic_address, 0xfee00000);
    cr_assert_eq(mi.flags, ACPI_MADT_PCAT_COMPAT);
    cr_assert_eq(mi.nr_cpus, 3);
    cr_assert_eq(mi.cpu_apic_id[0], 0);
    cr_assert_eq(mi.cpu_apic_id[1], 1);
    cr_assert_eq(mi.cpu_apic_id[2], 3);
    cr_assert_eq(mi.cpus_disabled, 1);
    cr_assert_eq(mi.nr_ioapics, 1);
    cr_assert_eq(mi.ioapic[0].address, 0xfec00000);
    cr_assert_eq(mi.ioapic[0].gsi_base, 0);
    cr_assert_eq(mi.nr_overrides, 2);
    cr_assert_eq(mi.override[0].irq, 0);
    cr_assert_eq(mi.override[0].gsi, 2);
    cr_assert_eq(mi.override[1].flags & ACPI_INTI_TRIGGER_MASK, ACPI_INTI_TRIGGER_LEVEL);
    cr_assert_eq(mi.nr_nmis, 1);
    cr_assert_eq(mi.nmi[0].uid, ACPI_NMI_ALL_PROCESSORS);
    cr_assert_eq(mi.nmi[0].lint, 1);
    cr_assert_eq(mi.entries_bad, 0);
    cr_assert(!mi.truncated);
}

/* x2APIC entries: a small id is usable, a big one (not xAPIC-addressable) and a duplicate not. */
Test(acpi, madt_x2apic_and_duplicates)
{
    struct buf t;
    struct acpi_madt_info mi;

    madt_start(&t, 0xfee00000, 0);
    lapic(&t, 0, 0, 1);
    x2apic(&t, 5, 1, 5);
    x2apic(&t, 300, 1, 6);
    x2apic(&t, 0, 1, 7);   /* duplicate of the first */
    lapic(&t, 8, 0xff, 1); /* broadcast id */
    sdt_finish(&t);
    cr_assert_eq(parse(&t, &mi), 0);
    cr_assert_eq(mi.nr_cpus, 2);
    cr_assert_eq(mi.cpu_apic_id[1], 5);
    cr_assert_eq(mi.cpus_dropped, 3);
}

/* The 64-bit local APIC address override replaces the header's. */
Test(acpi, madt_lapic_address_override)
{
    struct buf t;
    struct acpi_madt_info mi;

    madt_start(&t, 0xfee00000, 0);
    put8(&t, 5);
    put8(&t, 12);
    put16(&t, 0);
    put64(&t, 0x123456789000ULL);
    sdt_finish(&t);
    cr_assert_eq(parse(&t, &mi), 0);
    cr_assert_eq(mi.lapic_address, 0x123456789000ULL);
}

/* A zero-length entry must stop the walk (it would never advance), keeping what came before. */
Test(acpi, madt_zero_length_entry_stops, .timeout = 5)
{
    struct buf t;
    struct acpi_madt_info mi;

    madt_start(&t, 0xfee00000, 0);
    lapic(&t, 0, 0, 1);
    put8(&t, 0);
    put8(&t, 0);
    lapic(&t, 1, 1, 1);
    sdt_finish(&t);
    cr_assert_eq(parse(&t, &mi), 0);
    cr_assert(mi.truncated);
    cr_assert_eq(mi.nr_cpus, 1);
}

/* A length of 1 cannot even cover the entry header. */
Test(acpi, madt_length_one_entry_stops, .timeout = 5)
{
    struct buf t;
    struct acpi_madt_info mi;

    madt_start(&t, 0xfee00000, 0);
    put8(&t, 1);
    put8(&t, 1);
    lapic(&t, 1, 1, 1);
    sdt_finish(&t);
    cr_assert_eq(parse(&t, &mi), 0);
    cr_assert(mi.truncated);
    cr_assert_eq(mi.entries_bad, 0); /* stopped there, not stepped over byte by byte */
    cr_assert_eq(mi.nr_cpus, 0);
}

/* An entry whose length runs past the table: not read (ASan checks), walk stops. */
Test(acpi, madt_entry_past_end)
{
    struct buf t;
    struct acpi_madt_info mi;

    madt_start(&t, 0xfee00000, 0);
    lapic(&t, 0, 0, 1);
    put8(&t, 1); /* IO-APIC claiming 12 bytes, 6 present */
    put8(&t, 12);
    put32(&t, 0xfec00000);
    sdt_finish(&t);
    cr_assert_eq(parse(&t, &mi), 0);
    cr_assert(mi.truncated);
    cr_assert_eq(mi.nr_cpus, 1);
    cr_assert_eq(mi.nr_ioapics, 0);
}

/* One byte left after the last entry: not even a header. */
Test(acpi, madt_trailing_byte)
{
    struct buf t;
    struct acpi_madt_info mi;

    madt_start(&t, 0xfee00000, 0);
    lapic(&t, 0, 0, 1);
    put8(&t, 0);
    sdt_finish(&t);
    cr_assert_eq(parse(&t, &mi), 0);
    cr_assert(mi.truncated);
    cr_assert_eq(mi.nr_cpus, 1);
}

/* An entry shorter than its type needs is skipped; the walk goes on. */
Test(acpi, madt_short_entry_skipped)
{
    struct buf t;
    struct acpi_madt_info mi;

    madt_start(&t, 0xfee00000, 0);
    put8(&t, 0); /* local APIC entry of 4 bytes: no flags field */
    put8(&t, 4);
    put8(&t, 0);
    put8(&t, 7);
    ioapic(&t, 2, 0xfec00000, 0);
    put8(&t, 0x7f); /* unknown type: ignored, not an error */
    put8(&t, 3);
    put8(&t, 0);
    lapic(&t, 1, 1, 1);
    sdt_finish(&t);
    cr_assert_eq(parse(&t, &mi), 0);
    cr_assert_eq(mi.entries_bad, 1);
    cr_assert(!mi.truncated);
    cr_assert_eq(mi.nr_cpus, 1);
    cr_assert_eq(mi.cpu_apic_id[0], 1);
    cr_assert_eq(mi.nr_ioapics, 1);
    cr_assert_eq(mi.ioapic[0].id, 2);
}

/* Overrides must be for ISA (bus 0) and IRQs 0-15. */
Test(acpi, madt_bad_overrides)
{
    struct buf t;
    struct acpi_madt_info mi;

    madt_start(&t, 0xfee00000, 0);
    override(&t, 1, 4, 20, 0);
    override(&t, 0, 16, 16, 0);
    override(&t, 0, 4, 4, 0xf);
    sdt_finish(&t);
    cr_assert_eq(parse(&t, &mi), 0);
    cr_assert_eq(mi.entries_bad, 2);
    cr_assert_eq(mi.nr_overrides, 1);
    cr_assert_eq(mi.override[0].irq, 4);
}

/* More CPUs and IO-APICs than the arrays hold: counted, never written past the arrays. */
Test(acpi, madt_too_many)
{
    struct buf t;
    struct acpi_madt_info mi;

    madt_start(&t, 0xfee00000, 0);
    for (unsigned int i = 0; i < ACPI_MAX_CPUS + 3; i++)
        lapic(&t, (uint8_t)i, (uint8_t)i, 1);
    for (unsigned int i = 0; i < ACPI_MAX_IOAPICS + 2; i++)
        ioapic(&t, (uint8_t)i, 0xfec00000 + i * 0x1000, i * 24);
    sdt_finish(&t);
    cr_assert_eq(parse(&t, &mi), 0);
    cr_assert_eq(mi.nr_cpus, ACPI_MAX_CPUS);
    cr_assert_eq(mi.cpus_dropped, 3);
    cr_assert_eq(mi.nr_ioapics, ACPI_MAX_IOAPICS);
    cr_assert_eq(mi.entries_bad, 2);
}

/* The table itself: every way it can be unusable. */
Test(acpi, madt_refused)
{
    struct buf t;
    struct acpi_madt_info mi;
    uint8_t *p;

    madt_start(&t, 0xfee00000, 0);
    lapic(&t, 0, 0, 1);
    sdt_finish(&t);
    cr_assert_eq(parse(&t, &mi), 0);

    t.b[20] ^= 1; /* checksum no longer adds up */
    cr_assert_eq(parse(&t, &mi), -XEN_EINVAL);
    t.b[20] ^= 1;

    /* Only part of the table is readable: its length field says more than is there. */
    p = exact(&t);
    cr_assert_eq(acpi_parse_madt(p, t.len - 1, &mi), -XEN_EINVAL);
    cr_assert_eq(acpi_parse_madt(p, 10, &mi), -XEN_EINVAL);
    free(p);

    memcpy(t.b, "FACP", 4);
    sdt_finish(&t);
    cr_assert_eq(parse(&t, &mi), -XEN_EINVAL);

    sdt_start(&t, "APIC"); /* 40 bytes: shorter than the MADT header */
    put32(&t, 0xfee00000);
    sdt_finish(&t);
    cr_assert_eq(parse(&t, &mi), -XEN_EINVAL);

    madt_start(&t, 0xfee00000, 0);
    sdt_finish(&t);
    set32(&t, 4, 20); /* a length below the SDT header's own */
    cr_assert_eq(parse(&t, &mi), -XEN_EINVAL);
}

Test(acpi, sdt_valid)
{
    struct buf t;
    uint8_t *p;

    sdt_start(&t, "SSDT");
    put32(&t, 0x12345678);
    sdt_finish(&t);
    p = exact(&t);
    cr_assert_eq(acpi_sdt_valid(p, t.len), t.len);
    cr_assert_eq(acpi_sdt_valid(p, t.len - 1), 0);
    cr_assert_eq(acpi_sdt_valid(p, 35), 0);
    free(p);
}

/* RSDPs: build a 1.0 or 2.0 one with correct checksums. */
static void rsdp_build(struct buf *t, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
    t->len = 0;
    put(t, "RSD PTR ", 8);
    put8(t, 0);
    put(t, "XLTEST", 6);
    put8(t, rev);
    put32(t, rsdt);
    if (rev >= 2) {
        put32(t, ACPI_RSDP_V2_LEN);
        put64(t, xsdt);
        put8(t, 0);
        put8(t, 0);
        put8(t, 0);
        put8(t, 0);
    }
    t->b[8] = (uint8_t)(0x100 - acpi_checksum(t->b, ACPI_RSDP_V1_LEN));
    if (rev >= 2)
        t->b[32] = (uint8_t)(0x100 - acpi_checksum(t->b, ACPI_RSDP_V2_LEN));
}

Test(acpi, rsdp_valid)
{
    struct buf t;
    uint8_t *p;

    rsdp_build(&t, 0, 0x1000, 0);
    p = exact(&t);
    cr_assert(acpi_rsdp_valid(p, t.len));
    cr_assert(!acpi_rsdp_valid(p, 19));
    p[0] = 'r';
    cr_assert(!acpi_rsdp_valid(p, t.len));
    p[0] = 'R';
    p[16] ^= 1;
    cr_assert(!acpi_rsdp_valid(p, t.len));
    free(p);

    rsdp_build(&t, 2, 0x1000, 0x2000);
    p = exact(&t);
    cr_assert(acpi_rsdp_valid(p, t.len));
    cr_assert(!acpi_rsdp_valid(p, 35)); /* revision 2 needs its 36 bytes */
    p[24] ^= 1;                         /* XSDT address: only the extended checksum sees it */
    cr_assert(!acpi_rsdp_valid(p, t.len));
    p[24] ^= 1;
    p[20] = 200; /* a length past what is readable */
    p[32] = 0;
    p[32] = (uint8_t)(0x100 - acpi_checksum(p, ACPI_RSDP_V2_LEN));
    cr_assert(!acpi_rsdp_valid(p, t.len));
    free(p);
}

Test(acpi, find_rsdp_in_area)
{
    size_t len = 4096;
    uint8_t *area = malloc(len);
    struct buf t;

    cr_assert(area);
    memset(area, 0, len);
    /* A signature with a bad checksum first, then an unaligned good one, then the real one. */
    rsdp_build(&t, 0, 0x1000, 0);
    memcpy(area + 0x40, t.b, t.len);
    area[0x40 + 8] ^= 0x55;
    memcpy(area + 0x88, t.b, t.len);
    cr_assert_eq(acpi_find_rsdp(area, len), -1);
    memcpy(area + 0x100, t.b, t.len);
    cr_assert_eq(acpi_find_rsdp(area, len), 0x100);
    /* At the very end: exactly 20 bytes readable. */
    memset(area, 0, len);
    memcpy(area + len - 32, t.b, t.len);
    cr_assert_eq(acpi_find_rsdp(area, len - 12), (long)(len - 32));
    cr_assert_eq(acpi_find_rsdp(area, 10), -1);
    free(area);
}

/*
 * Physical memory for acpi_find_madt(): a malloc'd buffer standing for addresses
 * [MEM_BASE, MEM_BASE + MEM_SIZE); anything else is not mappable.
 */
#define MEM_BASE 0x100000u
#define MEM_SIZE 0x4000u

static uint8_t *mem;
static unsigned int maps;

static const void *map(uint64_t pa, size_t len, void *ctx)
{
    (void)ctx;
    maps++;
    if (pa < MEM_BASE || pa - MEM_BASE > MEM_SIZE || len > MEM_SIZE - (pa - MEM_BASE))
        return NULL;
    return mem + (pa - MEM_BASE);
}

static void mem_put(uint64_t pa, const struct buf *t)
{
    cr_assert_leq(pa - MEM_BASE + t->len, MEM_SIZE);
    memcpy(mem + (pa - MEM_BASE), t->b, t->len);
}

static void mem_setup(void)
{
    mem = malloc(MEM_SIZE);
    cr_assert(mem);
    memset(mem, 0xa5, MEM_SIZE);
    maps = 0;
}

static void mem_teardown(void)
{
    free(mem);
}

/* A MADT at pa, and a non-MADT table at pa + 0x200. */
static void put_tables(uint64_t madt_pa, uint8_t cpus)
{
    struct buf t;

    madt_start(&t, 0xfee00000, 0);
    for (uint8_t i = 0; i < cpus; i++)
        lapic(&t, i, i, 1);
    sdt_finish(&t);
    mem_put(madt_pa, &t);
    sdt_start(&t, "FACP");
    put32(&t, 0);
    sdt_finish(&t);
    mem_put(madt_pa + 0x200, &t);
}

static void root(struct buf *t, const char *sig, const uint64_t *pas, unsigned int n,
                 unsigned int esize)
{
    sdt_start(t, sig);
    for (unsigned int i = 0; i < n; i++) {
        if (esize == 8)
            put64(t, pas[i]);
        else
            put32(t, (uint32_t)pas[i]);
    }
    sdt_finish(t);
}

TestSuite(acpi_walk, .init = mem_setup, .fini = mem_teardown);

/* ACPI 2.0: the XSDT is used; bad and unmappable entries before the MADT are skipped. */
Test(acpi_walk, xsdt)
{
    struct buf r, x;
    uint64_t pas[] = {0, 0xdead0000ULL, MEM_BASE + 0x1200, MEM_BASE + 0x1000};
    const void *m;
    uint32_t len;
    uint64_t pa;
    struct acpi_madt_info mi;

    put_tables(MEM_BASE + 0x1000, 2);
    root(&x, "XSDT", pas, 4, 8);
    mem_put(MEM_BASE + 0x2000, &x);
    rsdp_build(&r, 2, 0, MEM_BASE + 0x2000);
    m = acpi_find_madt(r.b, r.len, map, NULL, &len, &pa);
    cr_assert_not_null(m);
    cr_assert_eq(pa, MEM_BASE + 0x1000);
    cr_assert_eq(acpi_parse_madt(m, len, &mi), 0);
    cr_assert_eq(mi.nr_cpus, 2);
}

/* A corrupt XSDT falls back to the RSDT. */
Test(acpi_walk, bad_xsdt_falls_back_to_rsdt)
{
    struct buf r, x, s;
    uint64_t pas[] = {MEM_BASE + 0x1000};
    uint32_t len;

    put_tables(MEM_BASE + 0x1000, 3);
    root(&x, "XSDT", pas, 1, 8);
    x.b[30] ^= 1;
    mem_put(MEM_BASE + 0x2000, &x);
    root(&s, "RSDT", pas, 1, 4);
    mem_put(MEM_BASE + 0x2100, &s);
    rsdp_build(&r, 2, MEM_BASE + 0x2100, MEM_BASE + 0x2000);
    cr_assert_not_null(acpi_find_madt(r.b, r.len, map, NULL, &len, NULL));
}

/* ACPI 1.0: the RSDT only; a partial last entry (length not a multiple of 4) is ignored. */
Test(acpi_walk, rsdt_partial_entry)
{
    struct buf r, s;
    uint64_t pas[] = {MEM_BASE + 0x1200, MEM_BASE + 0x1000};
    uint32_t len;

    put_tables(MEM_BASE + 0x1000, 1);
    root(&s, "RSDT", pas, 1, 4);
    /* The MADT's address, cut to two bytes at the end of the table. */
    put16(&s, (uint16_t)(MEM_BASE + 0x1000));
    sdt_finish(&s);
    mem_put(MEM_BASE + 0x2000, &s);
    rsdp_build(&r, 0, MEM_BASE + 0x2000, 0);
    cr_assert_null(acpi_find_madt(r.b, r.len, map, NULL, &len, NULL));

    root(&s, "RSDT", pas, 2, 4);
    mem_put(MEM_BASE + 0x2000, &s);
    cr_assert_not_null(acpi_find_madt(r.b, r.len, map, NULL, &len, NULL));
}

/* A table whose length field runs past mappable memory is never read whole. */
Test(acpi_walk, table_past_memory)
{
    struct buf r, s, m;
    uint64_t pas[] = {MEM_BASE + MEM_SIZE - 0x40};
    uint32_t len;

    madt_start(&m, 0xfee00000, 0);
    for (uint8_t i = 0; i < 8; i++)
        lapic(&m, i, i, 1);
    sdt_finish(&m); /* 108 bytes */
    m.len = 0x40;   /* only its first 64 bytes fit below the end of memory */
    mem_put(MEM_BASE + MEM_SIZE - 0x40, &m);
    root(&s, "RSDT", pas, 1, 4);
    mem_put(MEM_BASE + 0x2000, &s);
    rsdp_build(&r, 0, MEM_BASE + 0x2000, 0);
    cr_assert_null(acpi_find_madt(r.b, r.len, map, NULL, &len, NULL));
}

/* Wrong root signature, or an invalid RSDP: nothing. */
Test(acpi_walk, bad_roots)
{
    struct buf r, s;
    uint64_t pas[] = {MEM_BASE + 0x1000};
    uint32_t len;

    put_tables(MEM_BASE + 0x1000, 1);
    root(&s, "XSDT", pas, 1, 4); /* an XSDT where the RSDT should be */
    mem_put(MEM_BASE + 0x2000, &s);
    rsdp_build(&r, 0, MEM_BASE + 0x2000, 0);
    cr_assert_null(acpi_find_madt(r.b, r.len, map, NULL, &len, NULL));

    root(&s, "RSDT", pas, 1, 4);
    mem_put(MEM_BASE + 0x2000, &s);
    cr_assert_not_null(acpi_find_madt(r.b, r.len, map, NULL, &len, NULL));
    r.b[10] ^= 1; /* RSDP checksum */
    maps = 0;
    cr_assert_null(acpi_find_madt(r.b, r.len, map, NULL, &len, NULL));
    cr_assert_eq(maps, 0);
}
