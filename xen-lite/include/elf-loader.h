/* SPDX-License-Identifier: MIT */
/* ELF guest-kernel loader: validates a PV kernel image and reads its Xen notes. */
#ifndef XEN_LITE_ELF_LOADER_H
#define XEN_LITE_ELF_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A PV guest kernel is an ELF64 x86_64 executable carrying ELF notes owned
 * by "Xen" (numbers in public/elfnote.h). Segments are placed by p_paddr, not
 * p_vaddr: a PT_LOAD lands at   p_paddr - paddr_offset + virt_base
 * (Linux has a segment whose p_vaddr is 0). The parser never trusts the
 * image: every offset and size is checked against the buffer with
 * overflow-safe arithmetic, and every refusal comes with a reason string.
 *
 * Reason strings (*why) point either at string literals or at one static
 * buffer inside elf-loader.c that the next failing call overwrites. That is
 * fine because domains are built one at a time; copy the text if you need
 * to keep it.
 */

/* Size of the copied note strings (including the NUL); longer ones are truncated. */
#define GUEST_STR_LEN 64

struct guest_image {
    /* The image buffer (borrowed, not copied): it must outlive this struct. */
    const uint8_t *img;
    size_t len;

    uint64_t entry;          /* ENTRY note if present, else e_entry */
    uint64_t virt_base;      /* VIRT_BASE note, default 0 */
    uint64_t paddr_offset;   /* PADDR_OFFSET note, default 0 (notes present) */
    uint64_t hypercall_page; /* HYPERCALL_PAGE vaddr, 0 if none */
    uint64_t hv_start_low;   /* HV_START_LOW (32-bit guests only; recorded) */
    uint64_t init_p2m;       /* INIT_P2M vaddr, valid if has_init_p2m */
    uint64_t l1_mfn_valid_mask, l1_mfn_valid_value; /* first L1_MFN_VALID pair */

    /* Load span: [lowest, highest) load vaddr over the non-empty PT_LOADs. */
    uint64_t virt_kstart, virt_kend;

    uint32_t feat_supported; /* bit n = XENFEAT n: FEATURES names | SUPPORTED_FEATURES */
    uint32_t feat_required;  /* FEATURES names written with a leading '!' */

    bool has_entry_note;
    bool has_hypercall_page;
    bool has_virt_base;
    bool has_paddr_offset;
    bool has_hv_start_low;
    bool has_init_p2m;
    bool has_l1_mfn_valid;
    bool has_supported_features;
    bool has_pae_mode;
    bool mod_start_pfn;  /* MOD_START_PFN != 0: initrd may be passed unmapped */
    bool suspend_cancel; /* SUSPEND_CANCEL != 0 */
    bool bsd_symtab;     /* BSD_SYMTAB == "yes" (recorded; symbols are not loaded) */

    /* NUL-terminated copies of the string notes; "" when absent. */
    char guest_os[GUEST_STR_LEN];
    char guest_version[GUEST_STR_LEN];
    char xen_version[GUEST_STR_LEN];
    char loader[GUEST_STR_LEN];
    char pae_mode[GUEST_STR_LEN];

    unsigned int nr_loads;     /* PT_LOAD segments with p_memsz != 0 */
    unsigned int nr_xen_notes; /* Xen notes parsed (duplicates: the last one wins) */
    bool notes_from_sections;  /* no Xen note in PT_NOTE: found in SHT_NOTE sections */
};

/*
 * elf_parse_guest - validate a PV kernel image and fill *g.
 * Checks the ELF header (ELF64, little-endian, x86_64, ET_EXEC), the program
 * headers and every PT_LOAD, parses the Xen notes (PT_NOTE segments, else
 * SHT_NOTE sections; an image without Xen notes is not a PV kernel) and the
 * address rules (entry and hypercall page inside the image, image above
 * virt_base, canonical, clear of the hypervisor hole).
 * Returns 0, or -XEN_ENOEXEC / -XEN_EINVAL with *why set; *g is then
 * unspecified. Caller guarantees img[0..len) is readable and outlives *g.
 */
int elf_parse_guest(const void *img, size_t len, struct guest_image *g, const char **why);

/*
 * guest_check_features - refuse a guest that requires a feature the
 * hypervisor does not offer. hv_features is a XENFEAT_* bitmap.
 * Returns 0, or -XEN_EOPNOTSUPP with *why naming the first missing feature.
 */
int guest_check_features(const struct guest_image *g, uint32_t hv_features, const char **why);

/*
 * guest_feature_name - the FEATURES-note spelling of XENFEAT bit n
 * ("writable_page_tables" for 0), or NULL for a bit without a name.
 */
const char *guest_feature_name(unsigned int bit);

/*
 * elf_load_segments - copy each PT_LOAD's file bytes to its load vaddr and
 * zero-fill the remaining p_memsz - p_filesz bytes, through the domain
 * builder's callbacks (which return 0 or a negative errno).
 * Returns 0, the first callback error, or -XEN_EINVAL if the image no longer
 * matches what elf_parse_guest accepted. Caller guarantees g came from a
 * successful elf_parse_guest and that [virt_kstart, virt_kend) is writable
 * through the callbacks. A failure leaves the guest memory partly written.
 */
int elf_load_segments(const struct guest_image *g,
                      int (*write)(void *ctx, uint64_t va, const void *src, size_t n),
                      int (*zero)(void *ctx, uint64_t va, size_t n), void *ctx);

#endif /* XEN_LITE_ELF_LOADER_H */
