/* SPDX-License-Identifier: MIT */
/* ELF guest-kernel loader: validates a PV kernel image and reads its Xen notes. */
#include <elf-loader.h>

#include <format.h>
#include <public/elfnote.h>
#include <public/errno.h>
#include <public/features.h>
#include <public/xen.h>
#include <stdarg.h>
#include <string.h>

/*
 * ELF64 file structures, defined here because freestanding code has no
 * <elf.h>. The image may be unaligned, so they are only ever filled by
 * memcpy from the buffer; x86_64 guests and hosts are both little-endian.
 */
struct elf64_ehdr {
    uint8_t e_ident[16];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;
    uint64_t e_phoff;
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum;
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
};

struct elf64_phdr {
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;
    uint64_t p_vaddr;
    uint64_t p_paddr;
    uint64_t p_filesz;
    uint64_t p_memsz;
    uint64_t p_align;
};

struct elf64_shdr {
    uint32_t sh_name;
    uint32_t sh_type;
    uint64_t sh_flags;
    uint64_t sh_addr;
    uint64_t sh_offset;
    uint64_t sh_size;
    uint32_t sh_link;
    uint32_t sh_info;
    uint64_t sh_addralign;
    uint64_t sh_entsize;
};

struct elf64_nhdr {
    uint32_t n_namesz;
    uint32_t n_descsz;
    uint32_t n_type;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header layout");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header layout");
_Static_assert(sizeof(struct elf64_shdr) == 64, "ELF64 section header layout");

#define EI_CLASS    4
#define EI_DATA     5
#define EI_VERSION  6
#define ELFCLASS32  1
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define EV_CURRENT  1
#define ET_EXEC     2
#define ET_DYN      3
#define EM_X86_64   62
#define PT_LOAD     1
#define PT_NOTE     4
#define PN_XNUM     0xffff
#define SHT_NOTE    7

#define PG_SIZE 4096ULL

/* Lower canonical half ends here; the upper half starts at HYPERVISOR_VIRT_START. */
#define CANONICAL_LOW_END 0x0000800000000000ULL

/*
 * Bounds the work a hostile image can cause: many PT_NOTE headers may all
 * point at the same large region of tiny notes.
 */
#define MAX_TOTAL_NOTES 65536

/* Reasons that need numbers are formatted here; see the header comment. */
static char why_buf[160];

static const char *why_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *why_fmt(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why_buf, sizeof(why_buf), fmt, ap);
    va_end(ap);
    return why_buf;
}

/* The FEATURES-note spelling of each XENFEAT bit (public/features.h). */
static const char *const feature_names[] = {
    [XENFEAT_writable_page_tables] = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
    [XENFEAT_mmu_pt_update_preserve_ad] = "mmu_pt_update_preserve_ad",
    [XENFEAT_highmem_assist] = "highmem_assist",
    [XENFEAT_gnttab_map_avail_bits] = "gnttab_map_avail_bits",
    [XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
    [XENFEAT_hvm_safe_pvclock] = "hvm_safe_pvclock",
    [XENFEAT_hvm_pirqs] = "hvm_pirqs",
    [XENFEAT_dom0] = "dom0",
    /* 12 (grant_map_identity) was withdrawn: it is an unknown name now. */
    [XENFEAT_memory_op_vnode_supported] = "memory_op_vnode_supported",
    [XENFEAT_ARM_SMCCC_supported] = "ARM_SMCCC_supported",
    [XENFEAT_linux_rsdp_unrestricted] = "linux_rsdp_unrestricted",
    [XENFEAT_not_direct_mapped] = "not_direct_mapped",
    [XENFEAT_direct_mapped] = "direct_mapped",
};

#define NR_FEATURE_NAMES (sizeof(feature_names) / sizeof(feature_names[0]))
_Static_assert(NR_FEATURE_NAMES <= 32, "feature bitmaps are 32 bits wide");

/* Note names for error messages; NULL = a note type we do not read. */
static const char *const note_names[] = {
    [XEN_ELFNOTE_ENTRY] = "ENTRY",
    [XEN_ELFNOTE_HYPERCALL_PAGE] = "HYPERCALL_PAGE",
    [XEN_ELFNOTE_VIRT_BASE] = "VIRT_BASE",
    [XEN_ELFNOTE_PADDR_OFFSET] = "PADDR_OFFSET",
    [XEN_ELFNOTE_XEN_VERSION] = "XEN_VERSION",
    [XEN_ELFNOTE_GUEST_OS] = "GUEST_OS",
    [XEN_ELFNOTE_GUEST_VERSION] = "GUEST_VERSION",
    [XEN_ELFNOTE_LOADER] = "LOADER",
    [XEN_ELFNOTE_PAE_MODE] = "PAE_MODE",
    [XEN_ELFNOTE_FEATURES] = "FEATURES",
    [XEN_ELFNOTE_BSD_SYMTAB] = "BSD_SYMTAB",
    [XEN_ELFNOTE_HV_START_LOW] = "HV_START_LOW",
    [XEN_ELFNOTE_L1_MFN_VALID] = "L1_MFN_VALID",
    [XEN_ELFNOTE_SUSPEND_CANCEL] = "SUSPEND_CANCEL",
    [XEN_ELFNOTE_INIT_P2M] = "INIT_P2M",
    [XEN_ELFNOTE_MOD_START_PFN] = "MOD_START_PFN",
    [XEN_ELFNOTE_SUPPORTED_FEATURES] = "SUPPORTED_FEATURES",
};

#define NR_NOTE_NAMES (sizeof(note_names) / sizeof(note_names[0]))

const char *guest_feature_name(unsigned int bit)
{
    return bit < NR_FEATURE_NAMES ? feature_names[bit] : NULL;
}

/* True if [off, off + size) lies inside a buffer of len bytes; never overflows. */
static bool in_bounds(uint64_t off, uint64_t size, uint64_t len)
{
    return off <= len && size <= len - off;
}

/* Bounded copy that always terminates dst (src is known to be terminated). */
static void copy_str(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);

    memcpy(dst, src, n);
    dst[n] = '\0';
}

static uint64_t read_le(const uint8_t *p, size_t n)
{
    uint64_t v = 0;

    while (n--)
        v = (v << 8) | p[n];
    return v;
}

static int check_ehdr(const uint8_t *img, size_t len, struct elf64_ehdr *eh, const char **why)
{
    static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};

    if (len < sizeof(magic) || memcmp(img, magic, sizeof(magic)) != 0) {
        *why = "not an ELF image (bad magic)";
        return -XEN_ENOEXEC;
    }
    if (len < sizeof(*eh)) {
        *why = "truncated ELF header";
        return -XEN_ENOEXEC;
    }
    memcpy(eh, img, sizeof(*eh));
    if (eh->e_ident[EI_CLASS] == ELFCLASS32) {
        *why = "ELF32 image: a 64-bit PV guest must be ELF64";
        return -XEN_ENOEXEC;
    }
    if (eh->e_ident[EI_CLASS] != ELFCLASS64) {
        *why = why_fmt("unknown ELF class %u", eh->e_ident[EI_CLASS]);
        return -XEN_ENOEXEC;
    }
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB) {
        *why = "not a little-endian ELF image";
        return -XEN_ENOEXEC;
    }
    if (eh->e_ident[EI_VERSION] != EV_CURRENT) {
        *why = why_fmt("unknown ELF version %u", eh->e_ident[EI_VERSION]);
        return -XEN_ENOEXEC;
    }
    if (eh->e_machine != EM_X86_64) {
        *why = why_fmt("wrong machine: e_machine %u is not x86_64 (62)", eh->e_machine);
        return -XEN_ENOEXEC;
    }
    /* Xen loads only fixed-address executables for PV; so do we. */
    if (eh->e_type == ET_DYN) {
        *why = "ET_DYN (position-independent) image: a PV guest must be ET_EXEC";
        return -XEN_ENOEXEC;
    }
    if (eh->e_type != ET_EXEC) {
        *why = why_fmt("not an executable: e_type %u (want ET_EXEC)", eh->e_type);
        return -XEN_ENOEXEC;
    }
    if (eh->e_phnum == 0) {
        *why = "no program headers";
        return -XEN_ENOEXEC;
    }
    if (eh->e_phnum == PN_XNUM) {
        *why = "extended program header count (PN_XNUM) is not supported";
        return -XEN_ENOEXEC;
    }
    if (eh->e_phentsize != sizeof(struct elf64_phdr)) {
        *why = why_fmt("bad e_phentsize %u (want 56)", eh->e_phentsize);
        return -XEN_ENOEXEC;
    }
    if (!in_bounds(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr), len)) {
        *why = "program header table out of bounds";
        return -XEN_ENOEXEC;
    }
    return 0;
}

static void get_phdr(const struct guest_image *g, const struct elf64_ehdr *eh, unsigned int i,
                     struct elf64_phdr *ph)
{
    memcpy(ph, g->img + eh->e_phoff + (uint64_t)i * sizeof(*ph), sizeof(*ph));
}

static int check_loads(struct guest_image *g, const struct elf64_ehdr *eh, const char **why)
{
    struct elf64_phdr ph;

    for (unsigned int i = 0; i < eh->e_phnum; i++) {
        get_phdr(g, eh, i, &ph);
        if (ph.p_type != PT_LOAD)
            continue;
        if (ph.p_filesz > ph.p_memsz) {
            *why = why_fmt("PT_LOAD %u: p_filesz 0x%llx > p_memsz 0x%llx", i,
                           (unsigned long long)ph.p_filesz, (unsigned long long)ph.p_memsz);
            return -XEN_ENOEXEC;
        }
        if (!in_bounds(ph.p_offset, ph.p_filesz, g->len)) {
            *why = why_fmt("PT_LOAD %u: file range out of bounds", i);
            return -XEN_ENOEXEC;
        }
        if (ph.p_memsz != 0)
            g->nr_loads++;
    }
    if (g->nr_loads == 0) {
        *why = "no PT_LOAD segment";
        return -XEN_ENOEXEC;
    }
    return 0;
}

/* Numeric notes are 4 or 8 bytes (public/elfnote.h); anything else is a broken image. */
static int note_num(const char *name, const uint8_t *desc, uint32_t descsz, uint64_t *val,
                    const char **why)
{
    if (descsz != 4 && descsz != 8) {
        *why =
            why_fmt("malformed Xen note %s: numeric value of %u bytes (want 4 or 8)", name, descsz);
        return -XEN_EINVAL;
    }
    *val = read_le(desc, descsz);
    return 0;
}

static int note_str(const char *name, const uint8_t *desc, uint32_t descsz, const char **str,
                    const char **why)
{
    if (strnlen((const char *)desc, descsz) == descsz) {
        *why = why_fmt("malformed Xen note %s: string is not NUL-terminated", name);
        return -XEN_EINVAL;
    }
    *str = (const char *)desc;
    return 0;
}

static int find_feature(const char *name, size_t len)
{
    for (unsigned int i = 0; i < NR_FEATURE_NAMES; i++) {
        const char *f = feature_names[i];

        if (f && strlen(f) == len && memcmp(f, name, len) == 0)
            return (int)i;
    }
    return -1;
}

/* "a|!b|c": names separated by '|', '!' = required. Unknown optional names are ignored. */
static int parse_features(struct guest_image *g, const char *s, const char **why)
{
    while (*s) {
        const char *end = strchr(s, '|');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        bool required = len > 0 && s[0] == '!';
        const char *name = required ? s + 1 : s;
        size_t nlen = required ? len - 1 : len;
        int bit = find_feature(name, nlen);

        if (bit >= 0) {
            /* A feature the guest needs is one it can use, too (Xen does the same). */
            g->feat_supported |= 1U << bit;
            if (required)
                g->feat_required |= 1U << bit;
        } else if (required) {
            *why = why_fmt("guest requires unknown feature '%.*s'", (int)(nlen > 48 ? 48 : nlen),
                           name);
            return -XEN_EOPNOTSUPP;
        }
        s += len + (end != NULL);
    }
    return 0;
}

/* Applies one Xen note; desc[0..descsz) is in bounds. Later notes override earlier ones. */
static int apply_note(struct guest_image *g, uint32_t type, const uint8_t *desc, uint32_t descsz,
                      const char **why)
{
    const char *name = type < NR_NOTE_NAMES ? note_names[type] : NULL;
    const char *str = NULL;
    uint64_t v = 0;
    int rc = 0;

    if (!name)
        return 0; /* INFO, PHYS32_ENTRY (PVH only), newer notes: not ours to judge */

    switch (type) {
    case XEN_ELFNOTE_ENTRY:
    case XEN_ELFNOTE_HYPERCALL_PAGE:
    case XEN_ELFNOTE_VIRT_BASE:
    case XEN_ELFNOTE_PADDR_OFFSET:
    case XEN_ELFNOTE_HV_START_LOW:
    case XEN_ELFNOTE_SUSPEND_CANCEL:
    case XEN_ELFNOTE_INIT_P2M:
    case XEN_ELFNOTE_MOD_START_PFN:
        rc = note_num(name, desc, descsz, &v, why);
        break;
    case XEN_ELFNOTE_XEN_VERSION:
    case XEN_ELFNOTE_GUEST_OS:
    case XEN_ELFNOTE_GUEST_VERSION:
    case XEN_ELFNOTE_LOADER:
    case XEN_ELFNOTE_PAE_MODE:
    case XEN_ELFNOTE_FEATURES:
    case XEN_ELFNOTE_BSD_SYMTAB:
        rc = note_str(name, desc, descsz, &str, why);
        break;
    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        /* An array of 32-bit submaps; we know only the first. */
        if (descsz == 0 || descsz % 4 != 0) {
            *why = why_fmt("malformed Xen note SUPPORTED_FEATURES: %u bytes (want 4)", descsz);
            return -XEN_EINVAL;
        }
        g->feat_supported |= (uint32_t)read_le(desc, 4);
        g->has_supported_features = true;
        return 0;
    case XEN_ELFNOTE_L1_MFN_VALID:
        /* (mask, value) pairs of 64-bit machine addresses; we keep the first pair. */
        if (descsz == 0 || descsz % 16 != 0) {
            *why = why_fmt("malformed Xen note L1_MFN_VALID: %u bytes (want 16 per pair)", descsz);
            return -XEN_EINVAL;
        }
        g->l1_mfn_valid_mask = read_le(desc, 8);
        g->l1_mfn_valid_value = read_le(desc + 8, 8);
        g->has_l1_mfn_valid = true;
        return 0;
    }
    if (rc)
        return rc;

    switch (type) {
    case XEN_ELFNOTE_ENTRY:
        g->entry = v;
        g->has_entry_note = true;
        break;
    case XEN_ELFNOTE_HYPERCALL_PAGE:
        g->hypercall_page = v;
        g->has_hypercall_page = true;
        break;
    case XEN_ELFNOTE_VIRT_BASE:
        g->virt_base = v;
        g->has_virt_base = true;
        break;
    case XEN_ELFNOTE_PADDR_OFFSET:
        g->paddr_offset = v;
        g->has_paddr_offset = true;
        break;
    case XEN_ELFNOTE_HV_START_LOW:
        g->hv_start_low = v;
        g->has_hv_start_low = true;
        break;
    case XEN_ELFNOTE_SUSPEND_CANCEL:
        g->suspend_cancel = v != 0;
        break;
    case XEN_ELFNOTE_INIT_P2M:
        g->init_p2m = v;
        g->has_init_p2m = true;
        break;
    case XEN_ELFNOTE_MOD_START_PFN:
        g->mod_start_pfn = v != 0;
        break;
    case XEN_ELFNOTE_XEN_VERSION:
        copy_str(g->xen_version, sizeof(g->xen_version), str);
        break;
    case XEN_ELFNOTE_GUEST_OS:
        copy_str(g->guest_os, sizeof(g->guest_os), str);
        break;
    case XEN_ELFNOTE_GUEST_VERSION:
        copy_str(g->guest_version, sizeof(g->guest_version), str);
        break;
    case XEN_ELFNOTE_LOADER:
        copy_str(g->loader, sizeof(g->loader), str);
        break;
    case XEN_ELFNOTE_PAE_MODE:
        copy_str(g->pae_mode, sizeof(g->pae_mode), str);
        g->has_pae_mode = true;
        break;
    case XEN_ELFNOTE_BSD_SYMTAB:
        g->bsd_symtab = strcmp(str, "yes") == 0;
        break;
    case XEN_ELFNOTE_FEATURES:
        return parse_features(g, str, why);
    }
    return 0;
}

/*
 * Walks the notes in img[off, off + size). Notes are padded to `align`
 * (4 for ELF64 note sections in practice, 8 when the segment says so).
 * Counts Xen notes into g->nr_xen_notes and all notes into *total.
 */
static int parse_notes(struct guest_image *g, uint64_t off, uint64_t size, uint64_t align,
                       unsigned int *total, const char **why)
{
    const uint8_t *base = g->img + off;
    uint64_t pos = 0;

    while (size - pos >= sizeof(struct elf64_nhdr)) {
        struct elf64_nhdr nh;
        uint64_t name_off = pos + sizeof(nh), desc_off, next;
        const char *tname;
        bool is_xen;

        memcpy(&nh, base + pos, sizeof(nh));
        if (++*total > MAX_TOTAL_NOTES) {
            *why = "too many ELF notes";
            return -XEN_ENOEXEC;
        }
        /* u32 sizes padded in u64 arithmetic cannot overflow. */
        desc_off = name_off + ((nh.n_namesz + align - 1) & ~(align - 1));
        if (desc_off > size) {
            *why = why_fmt("ELF note name at offset 0x%llx out of bounds",
                           (unsigned long long)(off + name_off));
            return -XEN_ENOEXEC;
        }
        is_xen = nh.n_namesz == 4 && memcmp(base + name_off, "Xen", 4) == 0;
        tname = is_xen && nh.n_type < NR_NOTE_NAMES ? note_names[nh.n_type] : NULL;
        if (!in_bounds(desc_off, nh.n_descsz, size)) {
            if (tname)
                *why = why_fmt("malformed Xen note %s: descriptor out of bounds", tname);
            else
                *why = why_fmt("%s note type %u at offset 0x%llx: descriptor out of bounds",
                               is_xen ? "Xen" : "ELF", nh.n_type, (unsigned long long)(off + pos));
            return is_xen ? -XEN_EINVAL : -XEN_ENOEXEC;
        }
        if (is_xen) {
            int rc = apply_note(g, nh.n_type, base + desc_off, nh.n_descsz, why);

            if (rc)
                return rc;
            g->nr_xen_notes++;
        }
        next = desc_off + ((nh.n_descsz + align - 1) & ~(align - 1));
        if (next > size)
            break; /* the last note's padding may be cut off */
        pos = next;
    }
    return 0;
}

static int find_notes(struct guest_image *g, const struct elf64_ehdr *eh, const char **why)
{
    unsigned int total = 0;
    struct elf64_phdr ph;
    struct elf64_shdr sh;
    int rc;

    for (unsigned int i = 0; i < eh->e_phnum; i++) {
        get_phdr(g, eh, i, &ph);
        /* Some binutils versions leave p_offset 0 on note segments: skip those (as Xen does). */
        if (ph.p_type != PT_NOTE || ph.p_offset == 0)
            continue;
        if (!in_bounds(ph.p_offset, ph.p_filesz, g->len)) {
            *why = why_fmt("PT_NOTE %u out of bounds", i);
            return -XEN_ENOEXEC;
        }
        rc = parse_notes(g, ph.p_offset, ph.p_filesz, ph.p_align == 8 ? 8 : 4, &total, why);
        if (rc)
            return rc;
    }
    if (g->nr_xen_notes != 0)
        return 0;

    /* No Xen note in any segment: fall back to SHT_NOTE sections. */
    if (eh->e_shnum == 0 || eh->e_shoff == 0)
        return 0;
    if (eh->e_shentsize != sizeof(sh) ||
        !in_bounds(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(sh), g->len)) {
        *why = "section header table out of bounds";
        return -XEN_ENOEXEC;
    }
    for (unsigned int i = 1; i < eh->e_shnum; i++) {
        memcpy(&sh, g->img + eh->e_shoff + (uint64_t)i * sizeof(sh), sizeof(sh));
        if (sh.sh_type != SHT_NOTE)
            continue;
        if (!in_bounds(sh.sh_offset, sh.sh_size, g->len)) {
            *why = why_fmt("SHT_NOTE section %u out of bounds", i);
            return -XEN_ENOEXEC;
        }
        rc = parse_notes(g, sh.sh_offset, sh.sh_size, sh.sh_addralign == 8 ? 8 : 4, &total, why);
        if (rc)
            return rc;
    }
    g->notes_from_sections = g->nr_xen_notes != 0;
    return 0;
}

/*
 * Load span of a PT_LOAD: p_paddr - paddr_offset + virt_base, plus p_memsz.
 * False if p_paddr is below PADDR_OFFSET or the span wraps; so a span never
 * starts below virt_base.
 */
static bool load_span(const struct guest_image *g, const struct elf64_phdr *ph, uint64_t *start,
                      uint64_t *end)
{
    uint64_t rel;

    if (ph->p_paddr < g->paddr_offset)
        return false;
    rel = ph->p_paddr - g->paddr_offset;
    if (rel > UINT64_MAX - g->virt_base)
        return false;
    *start = g->virt_base + rel;
    if (ph->p_memsz > UINT64_MAX - *start)
        return false;
    *end = *start + ph->p_memsz;
    return true;
}

static int check_addresses(struct guest_image *g, const struct elf64_ehdr *eh, const char **why)
{
    uint64_t lo = UINT64_MAX, hi = 0, s, e;
    struct elf64_phdr ph;

    /* A PADDR_OFFSET is relative to a VIRT_BASE: one without the other is a broken image. */
    if (g->has_paddr_offset && !g->has_virt_base) {
        *why = "PADDR_OFFSET note without VIRT_BASE note";
        return -XEN_EINVAL;
    }
    if (g->virt_base & (PG_SIZE - 1)) {
        *why = why_fmt("VIRT_BASE 0x%llx is not page-aligned", (unsigned long long)g->virt_base);
        return -XEN_EINVAL;
    }
    for (unsigned int i = 0; i < eh->e_phnum; i++) {
        get_phdr(g, eh, i, &ph);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_paddr < g->paddr_offset) {
            *why = why_fmt("PT_LOAD %u: p_paddr 0x%llx below PADDR_OFFSET 0x%llx", i,
                           (unsigned long long)ph.p_paddr, (unsigned long long)g->paddr_offset);
            return -XEN_EINVAL;
        }
        if (!load_span(g, &ph, &s, &e)) {
            *why = why_fmt("PT_LOAD %u: load address wraps (p_paddr 0x%llx)", i,
                           (unsigned long long)ph.p_paddr);
            return -XEN_EINVAL;
        }
        lo = s < lo ? s : lo;
        hi = e > hi ? e : hi;
    }
    g->virt_kstart = lo;
    g->virt_kend = hi;
    if (!g->has_entry_note)
        g->entry = eh->e_entry;

    /*
     * lo >= virt_base holds by construction (load_span). Check from virt_base:
     * the pages between it and the image are mapped as well.
     */
    if (g->virt_base < HYPERVISOR_VIRT_END && hi > HYPERVISOR_VIRT_START) {
        *why = "kernel range overlaps the hypervisor hole 0xffff800000000000-0xffff87ffffffffff";
        return -XEN_EINVAL;
    }
    if (g->virt_base < CANONICAL_LOW_END ? hi > CANONICAL_LOW_END
                                         : g->virt_base < HYPERVISOR_VIRT_START) {
        *why = "kernel range is not canonical";
        return -XEN_EINVAL;
    }
    if (g->entry < lo || g->entry >= hi) {
        *why =
            why_fmt("entry point 0x%llx outside the image [0x%llx, 0x%llx)",
                    (unsigned long long)g->entry, (unsigned long long)lo, (unsigned long long)hi);
        return -XEN_EINVAL;
    }
    if (g->has_hypercall_page) {
        if (g->hypercall_page < lo || g->hypercall_page >= hi) {
            *why = why_fmt("HYPERCALL_PAGE 0x%llx outside the image",
                           (unsigned long long)g->hypercall_page);
            return -XEN_EINVAL;
        }
        /* The hypervisor writes a whole page of stubs there. */
        if (g->hypercall_page & (PG_SIZE - 1)) {
            *why = why_fmt("HYPERCALL_PAGE 0x%llx is not page-aligned",
                           (unsigned long long)g->hypercall_page);
            return -XEN_EINVAL;
        }
    }
    if (g->has_init_p2m && g->init_p2m >= lo && g->init_p2m < hi) {
        *why = why_fmt("INIT_P2M 0x%llx lies inside the image", (unsigned long long)g->init_p2m);
        return -XEN_EINVAL;
    }
    return 0;
}

int elf_parse_guest(const void *img, size_t len, struct guest_image *g, const char **why)
{
    struct elf64_ehdr eh;
    int rc;

    memset(g, 0, sizeof(*g));
    g->img = img;
    g->len = len;

    rc = check_ehdr(g->img, len, &eh, why);
    if (!rc)
        rc = check_loads(g, &eh, why);
    if (!rc)
        rc = find_notes(g, &eh, why);
    if (rc)
        return rc;
    /* Without notes Xen would fall back to the long-gone __xen_guest section; we refuse. */
    if (g->nr_xen_notes == 0) {
        *why = "no Xen ELF notes: not a Xen PV kernel";
        return -XEN_ENOEXEC;
    }
    return check_addresses(g, &eh, why);
}

int guest_check_features(const struct guest_image *g, uint32_t hv_features, const char **why)
{
    uint32_t missing = g->feat_required & ~hv_features;

    if (!missing)
        return 0;
    for (unsigned int bit = 0; bit < 32; bit++) {
        if (!(missing & (1U << bit)))
            continue;
        if (guest_feature_name(bit))
            *why = why_fmt("guest requires feature '%s' which xen-lite lacks",
                           guest_feature_name(bit));
        else
            *why = why_fmt("guest requires feature bit %u which xen-lite lacks", bit);
        break;
    }
    return -XEN_EOPNOTSUPP;
}

int elf_load_segments(const struct guest_image *g,
                      int (*write)(void *ctx, uint64_t va, const void *src, size_t n),
                      int (*zero)(void *ctx, uint64_t va, size_t n), void *ctx)
{
    struct elf64_ehdr eh;
    struct elf64_phdr ph;
    uint64_t s, e;
    int rc;

    /* Re-derive everything from the image, re-checking what the loop relies on. */
    if (g->len < sizeof(eh))
        return -XEN_EINVAL;
    memcpy(&eh, g->img, sizeof(eh));
    if (eh.e_phentsize != sizeof(ph) ||
        !in_bounds(eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(ph), g->len))
        return -XEN_EINVAL;

    for (unsigned int i = 0; i < eh.e_phnum; i++) {
        get_phdr(g, &eh, i, &ph);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz || !in_bounds(ph.p_offset, ph.p_filesz, g->len) ||
            !load_span(g, &ph, &s, &e) || s < g->virt_kstart || e > g->virt_kend)
            return -XEN_EINVAL;
        if (ph.p_filesz) {
            rc = write(ctx, s, g->img + ph.p_offset, ph.p_filesz);
            if (rc)
                return rc;
        }
        if (ph.p_memsz > ph.p_filesz) {
            rc = zero(ctx, s + ph.p_filesz, ph.p_memsz - ph.p_filesz);
            if (rc)
                return rc;
        }
    }
    return 0;
}
