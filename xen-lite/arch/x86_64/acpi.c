/* SPDX-License-Identifier: MIT */
/* ACPI table parsing: RSDP, RSDT/XSDT and MADT, from pointers and lengths only. */
#include <string.h>
#include <public/errno.h>
#include <asm/acpi.h>

/*
 * Nothing here touches physical memory or prints: the caller hands in what is readable, so
 * the host unit test (tests/unit/test-acpi.c) can feed synthetic and corrupt tables.  Table
 * fields are not aligned in general, hence the byte-wise readers.
 */

#define MADT_LAPIC           0
#define MADT_IOAPIC          1
#define MADT_OVERRIDE        2
#define MADT_NMI_SOURCE      3
#define MADT_LAPIC_NMI       4
#define MADT_LAPIC_ADDRESS   5
#define MADT_X2APIC          9
#define MADT_X2APIC_NMI      10
#define LAPIC_ENABLED        1u
#define LAPIC_ONLINE_CAPABLE 2u
#define XAPIC_BROADCAST      0xff

/* The smallest length each entry type needs (ACPI 6.5, table 5.20). */
static const uint8_t madt_entry_min[] = {
    [MADT_LAPIC] = 8,     [MADT_IOAPIC] = 12,        [MADT_OVERRIDE] = 10, [MADT_NMI_SOURCE] = 8,
    [MADT_LAPIC_NMI] = 6, [MADT_LAPIC_ADDRESS] = 12, [MADT_X2APIC] = 16,   [MADT_X2APIC_NMI] = 12,
};

static uint8_t rd8(const uint8_t *p)
{
    return *p;
}

static uint16_t rd16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

uint8_t acpi_checksum(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + b[i]);
    return sum;
}

bool acpi_rsdp_valid(const void *p, size_t avail)
{
    const uint8_t *b = p;
    uint32_t len;

    if (avail < ACPI_RSDP_V1_LEN || memcmp(b, "RSD PTR ", 8) || acpi_checksum(b, ACPI_RSDP_V1_LEN))
        return false;
    if (rd8(b + 15) < 2)
        return true;
    /* ACPI 2.0+: the length field covers the XSDT address and the extended checksum. */
    if (avail < ACPI_RSDP_V2_LEN)
        return false;
    len = rd32(b + 20);
    return len >= ACPI_RSDP_V2_LEN && len <= avail && !acpi_checksum(b, len);
}

long acpi_find_rsdp(const void *area, size_t len)
{
    const uint8_t *b = area;

    for (size_t off = 0; off + ACPI_RSDP_V1_LEN <= len; off += 16)
        if (acpi_rsdp_valid(b + off, len - off))
            return (long)off;
    return -1;
}

uint32_t acpi_sdt_valid(const void *p, size_t avail)
{
    const uint8_t *b = p;
    uint32_t len;

    if (avail < ACPI_SDT_HDR_LEN)
        return 0;
    len = rd32(b + 4);
    if (len < ACPI_SDT_HDR_LEN || len > avail || acpi_checksum(b, len))
        return 0;
    return len;
}

static void add_cpu(struct acpi_madt_info *mi, uint32_t apic_id, uint32_t flags)
{
    if (!(flags & (LAPIC_ENABLED | LAPIC_ONLINE_CAPABLE))) {
        mi->cpus_disabled++;
        return;
    }
    /* xAPIC physical destinations are 8 bits and 0xff is broadcast. */
    if (apic_id >= XAPIC_BROADCAST || mi->nr_cpus == ACPI_MAX_CPUS) {
        mi->cpus_dropped++;
        return;
    }
    for (unsigned int i = 0; i < mi->nr_cpus; i++) {
        if (mi->cpu_apic_id[i] == apic_id) {
            mi->cpus_dropped++;
            return;
        }
    }
    mi->cpu_apic_id[mi->nr_cpus++] = apic_id;
}

static void add_nmi(struct acpi_madt_info *mi, struct acpi_nmi n)
{
    if (mi->nr_nmis == ACPI_MAX_NMIS) {
        mi->entries_bad++;
        return;
    }
    mi->nmi[mi->nr_nmis++] = n;
}

/* One entry of e[0..len), len already checked against its type's minimum. */
static void madt_entry(struct acpi_madt_info *mi, const uint8_t *e)
{
    switch (rd8(e)) {
    case MADT_LAPIC:
        add_cpu(mi, rd8(e + 3), rd32(e + 4));
        break;
    case MADT_X2APIC:
        add_cpu(mi, rd32(e + 4), rd32(e + 8));
        break;
    case MADT_IOAPIC:
        if (mi->nr_ioapics == ACPI_MAX_IOAPICS) {
            mi->entries_bad++;
            break;
        }
        mi->ioapic[mi->nr_ioapics++] =
            (struct acpi_ioapic){.id = rd8(e + 2), .address = rd32(e + 4), .gsi_base = rd32(e + 8)};
        break;
    case MADT_OVERRIDE:
        /* Bus 0 is ISA, the only bus the spec defines. */
        if (rd8(e + 2) != 0 || rd8(e + 3) >= 16 || mi->nr_overrides == ACPI_MAX_OVERRIDES) {
            mi->entries_bad++;
            break;
        }
        mi->override[mi->nr_overrides++] =
            (struct acpi_override){.irq = rd8(e + 3), .gsi = rd32(e + 4), .flags = rd16(e + 8)};
        break;
    case MADT_NMI_SOURCE:
        add_nmi(mi, (struct acpi_nmi){.is_source = true, .flags = rd16(e + 2), .gsi = rd32(e + 4)});
        break;
    case MADT_LAPIC_NMI: {
        uint8_t uid = rd8(e + 2);

        add_nmi(mi, (struct acpi_nmi){.uid = uid == 0xff ? ACPI_NMI_ALL_PROCESSORS : uid,
                                      .flags = rd16(e + 3),
                                      .lint = rd8(e + 5)});
        break;
    }
    case MADT_X2APIC_NMI:
        add_nmi(mi,
                (struct acpi_nmi){.flags = rd16(e + 2), .uid = rd32(e + 4), .lint = rd8(e + 8)});
        break;
    case MADT_LAPIC_ADDRESS:
        mi->lapic_address = rd64(e + 4);
        break;
    }
}

int acpi_parse_madt(const void *madt, size_t avail, struct acpi_madt_info *mi)
{
    const uint8_t *b = madt;
    uint32_t len;

    memset(mi, 0, sizeof(*mi));
    len = acpi_sdt_valid(madt, avail);
    if (!len || len < ACPI_MADT_HDR_LEN || memcmp(b, "APIC", 4))
        return -XEN_EINVAL;
    mi->lapic_address = rd32(b + 36);
    mi->flags = rd32(b + 40);

    for (uint32_t off = ACPI_MADT_HDR_LEN; off < len;) {
        uint8_t type, elen;

        /* A header that does not fit, a length that cannot advance, or one past the end. */
        if (len - off < 2 || (elen = rd8(b + off + 1)) < 2 || elen > len - off) {
            mi->truncated = true;
            break;
        }
        type = rd8(b + off);
        if (type < sizeof(madt_entry_min) && madt_entry_min[type] && elen < madt_entry_min[type])
            mi->entries_bad++;
        else
            madt_entry(mi, b + off);
        off += elen;
    }
    return 0;
}

/* Maps and checks one SDT at pa: first its header for the length, then all of it. */
static const void *map_sdt(uint64_t pa, acpi_map_fn map, void *ctx, uint32_t *len)
{
    const uint8_t *h = pa ? map(pa, ACPI_SDT_HDR_LEN, ctx) : NULL;
    const void *t;
    uint32_t l;

    if (!h)
        return NULL;
    l = rd32(h + 4);
    if (l < ACPI_SDT_HDR_LEN)
        return NULL;
    t = map(pa, l, ctx);
    if (!t || acpi_sdt_valid(t, l) != l)
        return NULL;
    *len = l;
    return t;
}

/* Walks one root table (entries of esize bytes) for a valid MADT. */
static const void *root_find_madt(const uint8_t *root, uint32_t root_len, unsigned int esize,
                                  acpi_map_fn map, void *ctx, uint32_t *len, uint64_t *pa)
{
    for (uint32_t off = ACPI_SDT_HDR_LEN; off + esize <= root_len; off += esize) {
        uint64_t tpa = esize == 8 ? rd64(root + off) : rd32(root + off);
        uint32_t l;
        const uint8_t *t = map_sdt(tpa, map, ctx, &l);

        if (t && !memcmp(t, "APIC", 4) && l >= ACPI_MADT_HDR_LEN) {
            *len = l;
            if (pa)
                *pa = tpa;
            return t;
        }
    }
    return NULL;
}

const void *acpi_find_madt(const void *rsdp, size_t rsdp_len, acpi_map_fn map, void *ctx,
                           uint32_t *len, uint64_t *pa)
{
    const uint8_t *r = rsdp;
    const uint8_t *root;
    const void *madt;
    uint32_t root_len;

    if (!acpi_rsdp_valid(rsdp, rsdp_len))
        return NULL;
    if (rd8(r + 15) >= 2) {
        root = map_sdt(rd64(r + 24), map, ctx, &root_len);
        if (root && !memcmp(root, "XSDT", 4)) {
            madt = root_find_madt(root, root_len, 8, map, ctx, len, pa);
            if (madt)
                return madt;
        }
    }
    root = map_sdt(rd32(r + 16), map, ctx, &root_len);
    if (!root || memcmp(root, "RSDT", 4))
        return NULL;
    return root_find_madt(root, root_len, 4, map, ctx, len, pa);
}
