/* SPDX-License-Identifier: MIT */
/* Unit tests for the ELF guest-kernel loader (xen-lite/common/elf-loader.c). */
#include <criterion/criterion.h>
#include <elf-loader.h>
#include <elf.h>
#include <public/elfnote.h>
#include <public/errno.h>
#include <public/features.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Images are assembled in memory from a small description (segments and
 * notes), using the host's <elf.h> so the layouts are checked against a
 * definition independent of the loader's own. Each image is copied into a
 * buffer of exactly its length, so a read past the end is a real overrun
 * (the test build uses AddressSanitizer).
 */

#define VBASE     0xffffffff80000000ULL /* Linux's __START_KERNEL_map */
#define MAX_SEGS  4
#define MAX_NOTES 24

struct seg {
    uint64_t paddr, vaddr, filesz, memsz;
};

struct note {
    const char *owner; /* NULL = "Xen" */
    uint32_t type, descsz;
    uint8_t desc[256];
};

struct spec {
    uint16_t type, machine;
    uint64_t entry;
    int nsegs;
    struct seg segs[MAX_SEGS];
    int nnotes;
    struct note notes[MAX_NOTES];
    bool notes_in_section; /* SHT_NOTE section only, no PT_NOTE */
};

struct img {
    uint8_t *buf;
    size_t len;
    Elf64_Ehdr *eh;    /* into buf, for mutations */
    Elf64_Phdr *ph;    /* PT_LOADs first, then the PT_NOTE */
    uint64_t note_off; /* file offset of the first note */
};

static struct note *add_note(struct spec *s, uint32_t type, const void *desc, uint32_t n)
{
    struct note *nt = &s->notes[s->nnotes++];

    cr_assert(s->nnotes <= MAX_NOTES && n <= sizeof(nt->desc));
    memset(nt, 0, sizeof(*nt));
    nt->type = type;
    nt->descsz = n;
    memcpy(nt->desc, desc, n);
    return nt;
}

static void note_u64(struct spec *s, uint32_t type, uint64_t v)
{
    add_note(s, type, &v, 8);
}

static void note_u32(struct spec *s, uint32_t type, uint32_t v)
{
    add_note(s, type, &v, 4);
}

static void note_str(struct spec *s, uint32_t type, const char *str)
{
    add_note(s, type, str, (uint32_t)strlen(str) + 1);
}

/* Replaces the first note of this type (or adds one). */
static void set_note_u64(struct spec *s, uint32_t type, uint64_t v)
{
    for (int i = 0; i < s->nnotes; i++) {
        if (s->notes[i].type == type && !s->notes[i].owner) {
            s->notes[i].descsz = 8;
            memcpy(s->notes[i].desc, &v, 8);
            return;
        }
    }
    note_u64(s, type, v);
}

static void drop_note(struct spec *s, uint32_t type)
{
    int w = 0;

    for (int i = 0; i < s->nnotes; i++)
        if (s->notes[i].type != type || s->notes[i].owner)
            s->notes[w++] = s->notes[i];
    s->nnotes = w;
}

static size_t pad4(size_t n)
{
    return (n + 3) & ~(size_t)3;
}

static size_t notes_size(const struct spec *s)
{
    size_t n = 0;

    for (int i = 0; i < s->nnotes; i++) {
        const char *owner = s->notes[i].owner ? s->notes[i].owner : "Xen";
        n += sizeof(Elf64_Nhdr) + pad4(strlen(owner) + 1) + pad4(s->notes[i].descsz);
    }
    return n;
}

/* Lays out: ehdr, phdrs, notes, segment bytes (pattern 0x11 * (i + 1)), section headers. */
static struct img build(const struct spec *s)
{
    int nph = s->nsegs + (s->nnotes && !s->notes_in_section ? 1 : 0);
    size_t ph_off = sizeof(Elf64_Ehdr), note_off = ph_off + nph * sizeof(Elf64_Phdr);
    size_t nsz = notes_size(s), off = (note_off + nsz + 15) & ~(size_t)15, sh_off;
    uint8_t tmp[1 << 16] = {0};
    Elf64_Ehdr *eh = (Elf64_Ehdr *)tmp;
    Elf64_Phdr *ph = (Elf64_Phdr *)(tmp + ph_off);
    struct img im;

    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = s->type ? s->type : ET_EXEC;
    eh->e_machine = s->machine ? s->machine : EM_X86_64;
    eh->e_version = EV_CURRENT;
    eh->e_entry = s->entry;
    eh->e_phoff = ph_off;
    eh->e_ehsize = sizeof(Elf64_Ehdr);
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_phnum = (uint16_t)nph;

    for (int i = 0; i < s->nsegs; i++) {
        ph[i].p_type = PT_LOAD;
        ph[i].p_flags = PF_R | PF_X;
        ph[i].p_offset = off;
        ph[i].p_vaddr = s->segs[i].vaddr;
        ph[i].p_paddr = s->segs[i].paddr;
        ph[i].p_filesz = s->segs[i].filesz;
        ph[i].p_memsz = s->segs[i].memsz;
        ph[i].p_align = 4096;
        /* Keep the file bytes in range even for the deliberately broken filesz cases. */
        uint64_t fill = s->segs[i].filesz < s->segs[i].memsz ? s->segs[i].filesz : s->segs[i].memsz;
        cr_assert(off + s->segs[i].filesz < sizeof(tmp), "test image too big");
        memset(tmp + off, 0x11 * (i + 1), fill);
        off += (s->segs[i].filesz + 15) & ~15ULL;
    }

    uint8_t *p = tmp + note_off;
    for (int i = 0; i < s->nnotes; i++) {
        const char *owner = s->notes[i].owner ? s->notes[i].owner : "Xen";
        Elf64_Nhdr nh = {(Elf64_Word)strlen(owner) + 1, s->notes[i].descsz, s->notes[i].type};

        memcpy(p, &nh, sizeof(nh));
        p += sizeof(nh);
        memcpy(p, owner, nh.n_namesz);
        p += pad4(nh.n_namesz);
        memcpy(p, s->notes[i].desc, nh.n_descsz);
        p += pad4(nh.n_descsz);
    }
    if (s->nnotes && !s->notes_in_section) {
        Elf64_Phdr *np = &ph[s->nsegs];
        np->p_type = PT_NOTE;
        np->p_offset = note_off;
        np->p_filesz = nsz;
        np->p_align = 4;
    }

    sh_off = off;
    if (s->notes_in_section) {
        Elf64_Shdr *sh = (Elf64_Shdr *)(tmp + sh_off);
        memset(sh, 0, 2 * sizeof(*sh));
        sh[1].sh_type = SHT_NOTE;
        sh[1].sh_offset = note_off;
        sh[1].sh_size = nsz;
        sh[1].sh_addralign = 4;
        eh->e_shoff = sh_off;
        eh->e_shentsize = sizeof(Elf64_Shdr);
        eh->e_shnum = 2;
        off += 2 * sizeof(Elf64_Shdr);
    }

    im.len = off;
    im.buf = malloc(off);
    cr_assert(im.buf);
    memcpy(im.buf, tmp, off);
    im.eh = (Elf64_Ehdr *)im.buf;
    im.ph = (Elf64_Phdr *)(im.buf + ph_off);
    im.note_off = note_off;
    return im;
}

/* A Linux-like kernel: every note, one segment placed by p_paddr with p_vaddr 0. */
static struct spec linux_like(void)
{
    struct spec s;

    memset(&s, 0, sizeof(s));
    s.entry = 0x1000100; /* a physical address, as in vmlinux: the ENTRY note must win */
    s.nsegs = 2;
    s.segs[0] = (struct seg){0x1000000, VBASE + 0x1000000, 0x3000, 0x3000};
    /* Linux's percpu segment: p_vaddr 0, placed right after the text by p_paddr. */
    s.segs[1] = (struct seg){0x1003000, 0, 0x800, 0x2000};
    note_str(&s, XEN_ELFNOTE_GUEST_OS, "linux");
    note_str(&s, XEN_ELFNOTE_GUEST_VERSION, "2.6");
    note_str(&s, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_str(&s, XEN_ELFNOTE_LOADER, "generic");
    note_u64(&s, XEN_ELFNOTE_VIRT_BASE, VBASE);
    note_u64(&s, XEN_ELFNOTE_PADDR_OFFSET, 0);
    note_u64(&s, XEN_ELFNOTE_ENTRY, VBASE + 0x1000100);
    note_u64(&s, XEN_ELFNOTE_HYPERCALL_PAGE, VBASE + 0x1001000);
    note_u64(&s, XEN_ELFNOTE_INIT_P2M, 0xffffea0000000000ULL);
    note_str(&s, XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb");
    note_u32(&s, XEN_ELFNOTE_SUPPORTED_FEATURES, 1U << XENFEAT_dom0);
    note_str(&s, XEN_ELFNOTE_PAE_MODE, "yes");
    note_str(&s, XEN_ELFNOTE_BSD_SYMTAB, "yes");
    note_u32(&s, XEN_ELFNOTE_SUSPEND_CANCEL, 1);
    note_u32(&s, XEN_ELFNOTE_MOD_START_PFN, 1);
    note_u32(&s, XEN_ELFNOTE_PHYS32_ENTRY, 0x1000000);
    uint64_t l1[2] = {1, 1};
    add_note(&s, XEN_ELFNOTE_L1_MFN_VALID, l1, sizeof(l1));
    return s;
}

static int parse(struct img *im, struct guest_image *g, const char **why)
{
    *why = NULL;
    return elf_parse_guest(im->buf, im->len, g, why);
}

/* Parses s, expecting success. */
static struct img parse_ok(const struct spec *s, struct guest_image *g)
{
    struct img im = build(s);
    const char *why;
    int rc = parse(&im, g, &why);

    cr_assert_eq(rc, 0, "refused: %s", why ? why : "(no reason)");
    return im;
}

Test(elf_loader, good_image_all_notes)
{
    struct spec s = linux_like();
    struct guest_image g;
    struct img im = parse_ok(&s, &g);

    cr_expect_eq(g.entry, VBASE + 0x1000100);
    cr_expect(g.has_entry_note);
    cr_expect_eq(g.virt_base, VBASE);
    cr_expect_eq(g.paddr_offset, 0);
    cr_expect(g.has_hypercall_page);
    cr_expect_eq(g.hypercall_page, VBASE + 0x1001000);
    cr_expect(g.has_init_p2m);
    cr_expect_eq(g.init_p2m, 0xffffea0000000000ULL);
    cr_expect_eq(g.virt_kstart, VBASE + 0x1000000);
    cr_expect_eq(g.virt_kend, VBASE + 0x1005000);
    cr_expect_str_eq(g.guest_os, "linux");
    cr_expect_str_eq(g.guest_version, "2.6");
    cr_expect_str_eq(g.xen_version, "xen-3.0");
    cr_expect_str_eq(g.loader, "generic");
    cr_expect_str_eq(g.pae_mode, "yes");
    cr_expect(g.has_pae_mode);
    cr_expect(g.bsd_symtab);
    cr_expect(g.suspend_cancel);
    cr_expect(g.mod_start_pfn);
    cr_expect(g.has_l1_mfn_valid);
    cr_expect_eq(g.l1_mfn_valid_mask, 1);
    cr_expect_eq(g.l1_mfn_valid_value, 1);
    cr_expect(g.has_supported_features);
    cr_expect_eq(g.feat_required, 1U << XENFEAT_writable_page_tables);
    cr_expect_eq(g.feat_supported, (1U << XENFEAT_writable_page_tables) |
                                       (1U << XENFEAT_pae_pgdir_above_4gb) | (1U << XENFEAT_dom0));
    cr_expect_eq(g.nr_loads, 2);
    cr_expect_eq(g.nr_xen_notes, (unsigned)s.nnotes);
    cr_expect_not(g.notes_from_sections);
    free(im.buf);
}

Test(elf_loader, entry_note_overrides_e_entry)
{
    struct spec s = linux_like();
    struct guest_image g;
    struct img im;

    /* With the note: the note's value, whatever e_entry says. */
    im = parse_ok(&s, &g);
    cr_expect_eq(g.entry, VBASE + 0x1000100);
    free(im.buf);

    /* Without it: e_entry. */
    drop_note(&s, XEN_ELFNOTE_ENTRY);
    s.entry = VBASE + 0x1000200;
    im = parse_ok(&s, &g);
    cr_expect_not(g.has_entry_note);
    cr_expect_eq(g.entry, VBASE + 0x1000200);
    free(im.buf);
}

Test(elf_loader, later_note_wins)
{
    struct spec s = linux_like();
    struct guest_image g;

    note_u64(&s, XEN_ELFNOTE_ENTRY, VBASE + 0x1000300);
    struct img im = parse_ok(&s, &g);
    cr_expect_eq(g.entry, VBASE + 0x1000300);
    free(im.buf);
}

Test(elf_loader, virt_base_defaults_to_zero)
{
    struct spec s;
    struct guest_image g;

    /* Mini-OS style: no VIRT_BASE, segment linked at its load address. */
    memset(&s, 0, sizeof(s));
    s.entry = 0x2000;
    s.nsegs = 1;
    s.segs[0] = (struct seg){0x0, 0x0, 0x4000, 0x6000};
    note_str(&s, XEN_ELFNOTE_GUEST_OS, "Mini-OS");
    note_u64(&s, XEN_ELFNOTE_HYPERCALL_PAGE, 0x1000);
    struct img im = parse_ok(&s, &g);
    cr_expect_not(g.has_virt_base);
    cr_expect_eq(g.virt_base, 0);
    cr_expect_eq(g.paddr_offset, 0);
    cr_expect_eq(g.virt_kstart, 0);
    cr_expect_eq(g.virt_kend, 0x6000);
    cr_expect_eq(g.entry, 0x2000);
    cr_expect_str_eq(g.xen_version, "");
    free(im.buf);
}

Test(elf_loader, paddr_offset_legacy_placement)
{
    struct spec s = linux_like();
    struct guest_image g;

    /* Old kernels wrote virtual addresses into p_paddr and said so with PADDR_OFFSET. */
    s.segs[0].paddr = VBASE + 0x1000000;
    s.segs[1].paddr = VBASE + 0x1003000;
    set_note_u64(&s, XEN_ELFNOTE_PADDR_OFFSET, VBASE);
    set_note_u64(&s, XEN_ELFNOTE_VIRT_BASE, VBASE);
    struct img im = parse_ok(&s, &g);
    cr_expect_eq(g.virt_kstart, VBASE + 0x1000000);
    cr_expect_eq(g.virt_kend, VBASE + 0x1005000);
    free(im.buf);
}

/* Records what elf_load_segments asks the builder to do. */
#define MAX_OPS 8

struct op {
    char kind; /* 'w' or 'z' */
    uint64_t va, n;
    uint8_t first;
};
struct recorder {
    struct op ops[MAX_OPS];
    int n;
    int fail_at; /* -1 = never */
};

static int record(struct recorder *r, struct op op)
{
    if (r->n == r->fail_at)
        return -XEN_EFAULT;
    if (r->n < MAX_OPS)
        r->ops[r->n] = op;
    r->n++; /* counts on past MAX_OPS: fuzzed images may have many segments */
    return 0;
}

static int rec_write(void *ctx, uint64_t va, const void *src, size_t n)
{
    return record(ctx, (struct op){'w', va, n, *(const uint8_t *)src});
}

static int rec_zero(void *ctx, uint64_t va, size_t n)
{
    return record(ctx, (struct op){'z', va, n, 0});
}

Test(elf_loader, segments_load_by_paddr_including_vaddr_zero)
{
    struct spec s = linux_like();
    struct guest_image g;
    struct recorder r = {.fail_at = -1};
    struct img im = parse_ok(&s, &g);

    cr_assert_eq(elf_load_segments(&g, rec_write, rec_zero, &r), 0);
    cr_assert_eq(r.n, 3);
    /* Text: all file bytes, no bss. */
    cr_expect_eq(r.ops[0].kind, 'w');
    cr_expect_eq(r.ops[0].va, VBASE + 0x1000000);
    cr_expect_eq(r.ops[0].n, 0x3000);
    cr_expect_eq(r.ops[0].first, 0x11);
    /* The p_vaddr 0 segment goes where p_paddr says, then its bss is zeroed. */
    cr_expect_eq(r.ops[1].kind, 'w');
    cr_expect_eq(r.ops[1].va, VBASE + 0x1003000);
    cr_expect_eq(r.ops[1].n, 0x800);
    cr_expect_eq(r.ops[1].first, 0x22);
    cr_expect_eq(r.ops[2].kind, 'z');
    cr_expect_eq(r.ops[2].va, VBASE + 0x1003800);
    cr_expect_eq(r.ops[2].n, 0x1800);
    free(im.buf);
}

Test(elf_loader, load_callback_failure_propagates)
{
    struct spec s = linux_like();
    struct guest_image g;
    struct img im = parse_ok(&s, &g);

    for (int at = 0; at < 3; at++) {
        struct recorder r = {.fail_at = at};
        cr_expect_eq(elf_load_segments(&g, rec_write, rec_zero, &r), -XEN_EFAULT, "at %d", at);
        cr_expect_eq(r.n, at);
    }
    free(im.buf);
}

Test(elf_loader, required_feature_we_lack_is_refused)
{
    struct spec s = linux_like();
    struct guest_image g;
    const char *why = NULL;
    struct img im = parse_ok(&s, &g);

    cr_expect_eq(guest_check_features(&g, 1U << XENFEAT_pae_pgdir_above_4gb, &why),
                 -XEN_EOPNOTSUPP);
    cr_assert_not_null(why);
    cr_expect(strstr(why, "'writable_page_tables'") != NULL, "why: %s", why);
    cr_expect(strstr(why, "lacks") != NULL, "why: %s", why);
    /* Having it (optional features do not matter) is enough. */
    cr_expect_eq(guest_check_features(&g, 1U << XENFEAT_writable_page_tables, &why), 0);
    free(im.buf);
}

Test(elf_loader, feature_strings)
{
    static const struct {
        const char *features; /* FEATURES note; one line per scenario */
        uint32_t supported, required;
        const char *why; /* NULL = accepted */
    } cases[] = {
        /* optional unknown name: ignored */
        {"frobnicate|dom0", 1U << XENFEAT_dom0, 0, NULL},
        /* required unknown name: refused, named */
        {"dom0|!frobnicate", 0, 0, "unknown feature 'frobnicate'"},
        /* empty entries and a trailing '|' are harmless */
        {"||writable_descriptor_tables|", 1U << XENFEAT_writable_descriptor_tables, 0, NULL},
        /* a lone '!' is an unnamed required feature */
        {"!", 0, 0, "unknown feature ''"},
        /* required implies supported; the highest named bit */
        {"!direct_mapped", 1U << XENFEAT_direct_mapped, 1U << XENFEAT_direct_mapped, NULL},
        /* withdrawn bit 12 has no name any more */
        {"grant_map_identity", 0, 0, NULL},
        /* names are exact: no prefixes */
        {"dom", 0, 0, NULL},
        {"", 0, 0, NULL},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct spec s = linux_like();
        struct guest_image g;
        const char *why;

        drop_note(&s, XEN_ELFNOTE_FEATURES);
        drop_note(&s, XEN_ELFNOTE_SUPPORTED_FEATURES);
        note_str(&s, XEN_ELFNOTE_FEATURES, cases[i].features);
        struct img im = build(&s);
        int rc = parse(&im, &g, &why);
        if (cases[i].why) {
            cr_expect_neq(rc, 0, "case %zu accepted", i);
            cr_expect(why && strstr(why, cases[i].why), "case %zu: why %s", i, why);
        } else {
            cr_expect_eq(rc, 0, "case %zu: %s", i, why);
            cr_expect_eq(g.feat_supported, cases[i].supported, "case %zu", i);
            cr_expect_eq(g.feat_required, cases[i].required, "case %zu", i);
        }
        free(im.buf);
    }
}

Test(elf_loader, feature_names)
{
    cr_expect_str_eq(guest_feature_name(0), "writable_page_tables");
    cr_expect_str_eq(guest_feature_name(XENFEAT_gnttab_map_avail_bits), "gnttab_map_avail_bits");
    cr_expect_str_eq(guest_feature_name(XENFEAT_dom0), "dom0");
    cr_expect_null(guest_feature_name(12));
    cr_expect_null(guest_feature_name(31));
    cr_expect_null(guest_feature_name(1000));
}

Test(elf_loader, notes_in_sections_when_no_note_segment)
{
    struct spec s = linux_like();
    struct guest_image g;

    s.notes_in_section = true;
    struct img im = parse_ok(&s, &g);
    cr_expect(g.notes_from_sections);
    cr_expect_eq(g.entry, VBASE + 0x1000100);
    cr_expect_str_eq(g.guest_os, "linux");
    free(im.buf);
}

Test(elf_loader, foreign_notes_are_skipped)
{
    struct spec base = linux_like(), s = base;
    struct guest_image g;
    uint8_t id[20] = {1, 2, 3};
    struct note *n;

    /* A GNU build-id first, then the Xen notes, then an ENTRY-typed note of another owner. */
    s.nnotes = 0;
    n = add_note(&s, NT_GNU_BUILD_ID, id, sizeof(id));
    n->owner = "GNU";
    for (int i = 0; i < base.nnotes; i++)
        s.notes[s.nnotes++] = base.notes[i];
    n = add_note(&s, XEN_ELFNOTE_ENTRY, id, 3); /* wrong size for Xen's ENTRY: not Xen's */
    n->owner = "Xen2";
    struct img im = parse_ok(&s, &g);
    cr_expect_eq(g.nr_xen_notes, (unsigned)base.nnotes);
    cr_expect_eq(g.entry, VBASE + 0x1000100);
    free(im.buf);
}

Test(elf_loader, long_strings_truncated_safely)
{
    struct spec s = linux_like();
    struct guest_image g;
    char big[200];

    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    drop_note(&s, XEN_ELFNOTE_GUEST_OS);
    note_str(&s, XEN_ELFNOTE_GUEST_OS, big);
    struct img im = parse_ok(&s, &g);
    cr_expect_eq(strlen(g.guest_os), GUEST_STR_LEN - 1);
    cr_expect_eq(g.guest_os[0], 'x');
    free(im.buf);
}

/* ---- refusals: each a mutation of the good image and the reason it must give ---- */

typedef void (*spec_fn)(struct spec *s);
typedef void (*img_fn)(struct img *im);

static void sp_no_notes(struct spec *s)
{
    s->nnotes = 0;
}
static void sp_filesz_gt_memsz(struct spec *s)
{
    s->segs[1].filesz = 0x2001;
}
static void sp_no_load(struct spec *s)
{
    s->nsegs = 0;
}
static void sp_empty_loads(struct spec *s)
{
    s->segs[0].filesz = s->segs[0].memsz = 0;
    s->segs[1].filesz = s->segs[1].memsz = 0;
}
static void sp_unterminated_string(struct spec *s)
{
    drop_note(s, XEN_ELFNOTE_GUEST_OS);
    add_note(s, XEN_ELFNOTE_GUEST_OS, "linux", 5);
}
static void sp_empty_string(struct spec *s)
{
    drop_note(s, XEN_ELFNOTE_LOADER);
    add_note(s, XEN_ELFNOTE_LOADER, "", 0);
}
static void sp_entry_3_bytes(struct spec *s)
{
    drop_note(s, XEN_ELFNOTE_ENTRY);
    add_note(s, XEN_ELFNOTE_ENTRY, "abc", 3);
}
static void sp_virt_base_16_bytes(struct spec *s)
{
    uint64_t v[2] = {VBASE, 0};
    drop_note(s, XEN_ELFNOTE_VIRT_BASE);
    add_note(s, XEN_ELFNOTE_VIRT_BASE, v, sizeof(v));
}
static void sp_supported_features_3_bytes(struct spec *s)
{
    drop_note(s, XEN_ELFNOTE_SUPPORTED_FEATURES);
    add_note(s, XEN_ELFNOTE_SUPPORTED_FEATURES, "abc", 3);
}
static void sp_l1_mfn_valid_8_bytes(struct spec *s)
{
    drop_note(s, XEN_ELFNOTE_L1_MFN_VALID);
    note_u64(s, XEN_ELFNOTE_L1_MFN_VALID, 1);
}
static void sp_required_unknown(struct spec *s)
{
    drop_note(s, XEN_ELFNOTE_FEATURES);
    note_str(s, XEN_ELFNOTE_FEATURES, "!warp_drive");
}
static void sp_entry_outside(struct spec *s)
{
    set_note_u64(s, XEN_ELFNOTE_ENTRY, VBASE + 0x1005000); /* == virt_kend */
}
static void sp_entry_below(struct spec *s)
{
    set_note_u64(s, XEN_ELFNOTE_ENTRY, VBASE + 0xfff000);
}
static void sp_hypercall_outside(struct spec *s)
{
    set_note_u64(s, XEN_ELFNOTE_HYPERCALL_PAGE, VBASE + 0x2000000);
}
static void sp_hypercall_unaligned(struct spec *s)
{
    set_note_u64(s, XEN_ELFNOTE_HYPERCALL_PAGE, VBASE + 0x1001008);
}
static void sp_init_p2m_inside(struct spec *s)
{
    set_note_u64(s, XEN_ELFNOTE_INIT_P2M, VBASE + 0x1002000);
}
static void sp_in_hypervisor_hole(struct spec *s)
{
    set_note_u64(s, XEN_ELFNOTE_VIRT_BASE, 0xffff800000000000ULL);
    set_note_u64(s, XEN_ELFNOTE_ENTRY, 0xffff800001000100ULL);
    set_note_u64(s, XEN_ELFNOTE_HYPERCALL_PAGE, 0xffff800001001000ULL);
}
static void sp_reaches_into_hole(struct spec *s)
{
    /* Based low (VIRT_BASE 0) but placed by p_paddr up in the hole. */
    drop_note(s, XEN_ELFNOTE_VIRT_BASE);
    drop_note(s, XEN_ELFNOTE_PADDR_OFFSET);
    drop_note(s, XEN_ELFNOTE_HYPERCALL_PAGE);
    drop_note(s, XEN_ELFNOTE_INIT_P2M);
    s->segs[0].paddr = 0xffff800001000000ULL;
    set_note_u64(s, XEN_ELFNOTE_ENTRY, 0xffff800001000100ULL);
}
static void sp_non_canonical(struct spec *s)
{
    set_note_u64(s, XEN_ELFNOTE_VIRT_BASE, 0x0000800000000000ULL);
    set_note_u64(s, XEN_ELFNOTE_ENTRY, 0x0000800001000100ULL);
    set_note_u64(s, XEN_ELFNOTE_HYPERCALL_PAGE, 0x0000800001001000ULL);
}
static void sp_crosses_canonical_top(struct spec *s)
{
    set_note_u64(s, XEN_ELFNOTE_VIRT_BASE, 0x00007fffff000000ULL);
    set_note_u64(s, XEN_ELFNOTE_ENTRY, 0x00007fffff000000ULL + 0x1000100);
    drop_note(s, XEN_ELFNOTE_HYPERCALL_PAGE);
}
static void sp_segment_wraps(struct spec *s)
{
    s->segs[1].paddr = 0x7fffffff0000ULL;
    s->segs[1].filesz = 0;
    s->segs[1].memsz = 0x7fffffffffffffffULL;
}
static void sp_below_paddr_offset(struct spec *s)
{
    set_note_u64(s, XEN_ELFNOTE_PADDR_OFFSET, 0x2000000);
}
static void sp_paddr_offset_without_virt_base(struct spec *s)
{
    drop_note(s, XEN_ELFNOTE_VIRT_BASE);
}
static void sp_virt_base_unaligned(struct spec *s)
{
    set_note_u64(s, XEN_ELFNOTE_VIRT_BASE, VBASE + 0x10);
}
static void sp_et_dyn(struct spec *s)
{
    s->type = ET_DYN;
}
static void sp_et_rel(struct spec *s)
{
    s->type = ET_REL;
}
static void sp_wrong_machine(struct spec *s)
{
    s->machine = EM_386;
}

static void im_bad_magic(struct img *im)
{
    im->buf[1] = 'X';
}
static void im_elf32(struct img *im)
{
    im->buf[EI_CLASS] = ELFCLASS32;
}
static void im_class_bogus(struct img *im)
{
    im->buf[EI_CLASS] = 7;
}
static void im_big_endian(struct img *im)
{
    im->buf[EI_DATA] = ELFDATA2MSB;
}
static void im_truncated_header(struct img *im)
{
    im->len = sizeof(Elf64_Ehdr) - 1;
}
static void im_tiny(struct img *im)
{
    im->len = 3;
}
static void im_phdrs_out_of_bounds(struct img *im)
{
    im->eh->e_phoff = im->len - 8;
}
static void im_phoff_overflow(struct img *im)
{
    im->eh->e_phoff = UINT64_MAX - 8;
}
static void im_phentsize(struct img *im)
{
    im->eh->e_phentsize = 32;
}
static void im_no_phdrs(struct img *im)
{
    im->eh->e_phnum = 0;
}
static void im_pn_xnum(struct img *im)
{
    im->eh->e_phnum = PN_XNUM;
}
static void im_segment_out_of_bounds(struct img *im)
{
    im->ph[0].p_offset = im->len - 0x10;
}
static void im_segment_offset_overflow(struct img *im)
{
    im->ph[0].p_offset = UINT64_MAX - 0x10;
}
static void im_note_segment_out_of_bounds(struct img *im)
{
    im->ph[2].p_filesz = im->len;
}
static void im_note_desc_out_of_bounds(struct img *im)
{
    /* The first note (GUEST_OS) claims a descriptor running past the note segment. */
    Elf64_Nhdr *nh = (Elf64_Nhdr *)(im->buf + im->note_off);
    nh->n_descsz = (Elf64_Word)im->ph[2].p_filesz;
}
static void im_note_desc_huge(struct img *im)
{
    Elf64_Nhdr *nh = (Elf64_Nhdr *)(im->buf + im->note_off);
    nh->n_descsz = 0xfffffff0;
}
static void im_foreign_note_desc_out_of_bounds(struct img *im)
{
    /* Turn the first note's owner into "Xeo": someone else's note, still broken. */
    im->buf[im->note_off + sizeof(Elf64_Nhdr) + 2] = 'o';
    im_note_desc_out_of_bounds(im);
}
static void im_note_name_out_of_bounds(struct img *im)
{
    Elf64_Nhdr *nh = (Elf64_Nhdr *)(im->buf + im->note_off);
    nh->n_namesz = 0xffffffff;
}

Test(elf_loader, refusals)
{
    static const struct {
        spec_fn sp;      /* mutate the description... */
        img_fn im;       /* ...or the assembled bytes */
        const char *why; /* substring the reason must contain */
    } cases[] = {
        /* not ELF at all */
        {NULL, im_bad_magic, "not an ELF image"},
        /* too short to hold the magic */
        {NULL, im_tiny, "not an ELF image"},
        /* 32-bit image */
        {NULL, im_elf32, "ELF32"},
        /* class byte garbage */
        {NULL, im_class_bogus, "ELF class 7"},
        /* big-endian */
        {NULL, im_big_endian, "little-endian"},
        /* i386 */
        {sp_wrong_machine, NULL, "e_machine 3"},
        /* position-independent */
        {sp_et_dyn, NULL, "ET_DYN"},
        /* relocatable object */
        {sp_et_rel, NULL, "e_type 1"},
        /* header cut short */
        {NULL, im_truncated_header, "truncated ELF header"},
        /* phdr table past the end */
        {NULL, im_phdrs_out_of_bounds, "program header table out of bounds"},
        /* phdr offset that overflows when the table size is added */
        {NULL, im_phoff_overflow, "program header table out of bounds"},
        /* wrong phdr entry size */
        {NULL, im_phentsize, "e_phentsize"},
        /* no program headers */
        {NULL, im_no_phdrs, "no program headers"},
        /* extended numbering */
        {NULL, im_pn_xnum, "PN_XNUM"},
        /* PT_LOAD bytes past the end */
        {NULL, im_segment_out_of_bounds, "PT_LOAD 0: file range out of bounds"},
        /* PT_LOAD offset overflowing */
        {NULL, im_segment_offset_overflow, "PT_LOAD 0: file range out of bounds"},
        /* more file bytes than memory */
        {sp_filesz_gt_memsz, NULL, "PT_LOAD 1: p_filesz"},
        /* nothing to load */
        {sp_no_load, NULL, "no PT_LOAD"},
        /* only empty PT_LOADs */
        {sp_empty_loads, NULL, "no PT_LOAD"},
        /* PT_NOTE past the end */
        {NULL, im_note_segment_out_of_bounds, "PT_NOTE 2 out of bounds"},
        /* note descriptor beyond its segment */
        {NULL, im_note_desc_out_of_bounds, "GUEST_OS: descriptor out of bounds"},
        /* note descriptor size near 4 GiB */
        {NULL, im_note_desc_huge, "GUEST_OS: descriptor out of bounds"},
        /* another owner's note is just as broken */
        {NULL, im_foreign_note_desc_out_of_bounds, "ELF note type 6 at offset"},
        /* note name size near 4 GiB */
        {NULL, im_note_name_out_of_bounds, "out of bounds"},
        /* string note without its NUL */
        {sp_unterminated_string, NULL, "GUEST_OS: string is not NUL-terminated"},
        /* zero-length string note */
        {sp_empty_string, NULL, "LOADER: string is not NUL-terminated"},
        /* 3-byte number */
        {sp_entry_3_bytes, NULL, "ENTRY: numeric value of 3 bytes"},
        /* 16-byte number */
        {sp_virt_base_16_bytes, NULL, "VIRT_BASE: numeric value of 16 bytes"},
        /* feature bitmap of 3 bytes */
        {sp_supported_features_3_bytes, NULL, "SUPPORTED_FEATURES"},
        /* a mask without its value */
        {sp_l1_mfn_valid_8_bytes, NULL, "L1_MFN_VALID"},
        /* required feature nobody knows */
        {sp_required_unknown, NULL, "unknown feature 'warp_drive'"},
        /* no Xen notes: a plain ELF executable */
        {sp_no_notes, NULL, "no Xen ELF notes"},
        /* entry at the image's end */
        {sp_entry_outside, NULL, "entry point 0xffffffff81005000 outside the image"},
        /* entry just below the image */
        {sp_entry_below, NULL, "entry point"},
        /* hypercall page elsewhere */
        {sp_hypercall_outside, NULL, "HYPERCALL_PAGE 0xffffffff82000000 outside the image"},
        /* hypercall page not on a page boundary */
        {sp_hypercall_unaligned, NULL, "HYPERCALL_PAGE 0xffffffff81001008 is not page-aligned"},
        /* p2m placed on top of the kernel */
        {sp_init_p2m_inside, NULL, "INIT_P2M"},
        /* whole kernel inside the hypervisor's slots */
        {sp_in_hypervisor_hole, NULL, "hypervisor hole"},
        /* a low VIRT_BASE with a segment up in the hole */
        {sp_reaches_into_hole, NULL, "hypervisor hole"},
        /* above the lower canonical half */
        {sp_non_canonical, NULL, "not canonical"},
        /* starts canonical, ends beyond 2^47 */
        {sp_crosses_canonical_top, NULL, "not canonical"},
        /* a segment running off the top of the address space */
        {sp_segment_wraps, NULL, "PT_LOAD 1: load address wraps"},
        /* p_paddr below PADDR_OFFSET */
        {sp_below_paddr_offset, NULL, "PT_LOAD 0: p_paddr 0x1000000 below PADDR_OFFSET"},
        /* PADDR_OFFSET means nothing without VIRT_BASE */
        {sp_paddr_offset_without_virt_base, NULL, "PADDR_OFFSET note without VIRT_BASE"},
        /* VIRT_BASE inside a page */
        {sp_virt_base_unaligned, NULL, "VIRT_BASE 0xffffffff80000010 is not page-aligned"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct spec s = linux_like();
        struct guest_image g;
        const char *why;

        if (cases[i].sp)
            cases[i].sp(&s);
        struct img im = build(&s);
        if (cases[i].im)
            cases[i].im(&im);
        int rc = parse(&im, &g, &why);
        cr_expect(rc == -XEN_EINVAL || rc == -XEN_ENOEXEC || rc == -XEN_EOPNOTSUPP,
                  "case %zu (%s): rc %d", i, cases[i].why, rc);
        cr_expect(why && strstr(why, cases[i].why), "case %zu: want '%s', got '%s'", i,
                  cases[i].why, why ? why : "(null)");
        free(im.buf);
    }
}

/* Every prefix of a good image, and random corruptions of it, must parse or fail cleanly. */
Test(elf_loader, hostile_bytes_never_overrun)
{
    struct spec s = linux_like();
    struct img good = build(&s);
    struct guest_image g;
    const char *why;
    uint32_t seed = 12345;

    for (size_t len = 0; len < good.len; len++) {
        uint8_t *copy = malloc(len ? len : 1);
        memcpy(copy, good.buf, len);
        cr_expect_neq(elf_parse_guest(copy, len, &g, &why), 0, "prefix %zu accepted", len);
        free(copy);
    }
    for (int round = 0; round < 20000; round++) {
        uint8_t *copy = malloc(good.len);
        memcpy(copy, good.buf, good.len);
        for (int k = 0; k < 1 + round % 4; k++) {
            seed = seed * 1103515245 + 12345;
            /* Mostly the headers and notes, where the offsets and sizes live. */
            size_t at = (seed >> 8) % (round % 2 ? good.len : 0x200 < good.len ? 0x200 : good.len);
            copy[at] = (uint8_t)(seed >> 24);
        }
        if (elf_parse_guest(copy, good.len, &g, &why) == 0) {
            struct recorder r = {.fail_at = -1};
            /* Whatever was accepted must load inside its own span. */
            cr_expect_eq(elf_load_segments(&g, rec_write, rec_zero, &r), 0);
            for (int k = 0; k < r.n && k < MAX_OPS; k++)
                cr_expect(r.ops[k].va >= g.virt_kstart && r.ops[k].va + r.ops[k].n <= g.virt_kend);
        }
        free(copy);
    }
    free(good.buf);
}

/* ---- a real image, assembled and linked by the toolchain (tests/unit/xen-notes-kernel.S) ---- */

__asm__(".pushsection .rodata\n"
        ".balign 16\n"
        "real_kernel:\n"
        ".incbin \"" XEN_NOTES_KERNEL "\"\n"
        "real_kernel_end:\n"
        ".popsection\n");
extern const uint8_t real_kernel[], real_kernel_end[];

Test(elf_loader, real_linked_kernel)
{
    size_t len = (size_t)(real_kernel_end - real_kernel);
    uint8_t *copy = malloc(len);
    struct guest_image g;
    const char *why = NULL;
    struct recorder r = {.fail_at = -1};

    memcpy(copy, real_kernel, len);
    cr_assert_eq(elf_parse_guest(copy, len, &g, &why), 0, "refused: %s", why);
    cr_expect_eq(g.virt_base, VBASE);
    cr_expect_eq(g.paddr_offset, VBASE);
    cr_expect_eq(g.virt_kstart, VBASE);
    cr_expect_eq(g.entry, VBASE + 0x1000);          /* _start: first text page */
    cr_expect_eq(g.hypercall_page, VBASE + 0x2000); /* the page after it */
    cr_expect_eq(g.virt_kend, VBASE + 0x5000);      /* bss end */
    cr_expect_str_eq(g.guest_os, "xen-lite-unit");
    cr_expect_str_eq(g.xen_version, "xen-3.0");
    cr_expect_str_eq(g.loader, "generic");
    cr_expect_eq(g.feat_required, 1U << XENFEAT_writable_page_tables);
    cr_expect(g.feat_supported & (1U << XENFEAT_dom0));
    cr_expect(g.mod_start_pfn);
    cr_expect(g.suspend_cancel);
    cr_expect_eq(elf_load_segments(&g, rec_write, rec_zero, &r), 0);
    cr_expect_geq(r.n, 3);
    free(copy);
}

/* Debian's PV GRUB, when grub-xen-host is installed: a real third-party PV kernel. */
Test(elf_loader, debian_pv_grub_if_installed)
{
    static const char path[] = "/usr/lib/grub-xen/grub-x86_64-xen.bin";
    FILE *f = fopen(path, "rb");
    struct guest_image g;
    const char *why = NULL;

    if (!f)
        cr_skip_test("%s not installed", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    uint8_t *buf = malloc((size_t)len);
    cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    cr_expect_eq(elf_parse_guest(buf, (size_t)len, &g, &why), 0, "refused: %s", why);
    cr_expect_geq(g.entry, g.virt_kstart);
    free(buf);
}
