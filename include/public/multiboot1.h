/* SPDX-License-Identifier: MIT */
/* Multiboot 1: header and boot information of the Multiboot 0.6.96 spec. */
#ifndef XEN_LITE_PUBLIC_MULTIBOOT1_H
#define XEN_LITE_PUBLIC_MULTIBOOT1_H

/*
 * Overview
 * --------
 * A Multiboot 1 kernel carries a 4-byte aligned header in its first 8 KiB:
 * magic, flags, checksum (the three sum to 0 mod 2^32), followed by load
 * addresses when MB1_HEADER_AOUT_KLUDGE is set. The boot loader enters the
 * kernel in 32-bit protected mode with eax = MB1_BOOTLOADER_MAGIC and
 * ebx = physical address of a struct mb1_info; each field of the info
 * block is valid only if its MB1_INFO_* flag is set.
 * The #defines are usable from assembly.
 */

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#define MB1_HEADER_MAGIC     0x1BADB002 /* in the kernel image */
#define MB1_BOOTLOADER_MAGIC 0x2BADB002 /* in eax at entry */
#define MB1_HEADER_ALIGN     4
#define MB1_SEARCH_LIMIT     8192 /* header must start in this range */

/* mb1_header.flags: bits 0-15 must be understood by the loader. */
#define MB1_HEADER_PAGE_ALIGN  (1 << 0)  /* align modules on 4 KiB */
#define MB1_HEADER_MEMORY_INFO (1 << 1)  /* want mem_* and mmap_* */
#define MB1_HEADER_VIDEO_MODE  (1 << 2)  /* want a video mode (mode_type...) */
#define MB1_HEADER_AOUT_KLUDGE (1 << 16) /* load addresses are in the header */

/* mb1_info.flags: which fields the loader filled in. */
#define MB1_INFO_MEMORY           (1 << 0)  /* mem_lower, mem_upper */
#define MB1_INFO_BOOTDEV          (1 << 1)  /* boot_device */
#define MB1_INFO_CMDLINE          (1 << 2)  /* cmdline */
#define MB1_INFO_MODS             (1 << 3)  /* mods_count, mods_addr */
#define MB1_INFO_AOUT_SYMS        (1 << 4)  /* syms as a.out symbol table */
#define MB1_INFO_ELF_SHDR         (1 << 5)  /* syms as ELF section headers */
#define MB1_INFO_MEM_MAP          (1 << 6)  /* mmap_length, mmap_addr */
#define MB1_INFO_DRIVE_INFO       (1 << 7)  /* drives_length, drives_addr */
#define MB1_INFO_CONFIG_TABLE     (1 << 8)  /* config_table */
#define MB1_INFO_BOOT_LOADER_NAME (1 << 9)  /* boot_loader_name */
#define MB1_INFO_APM_TABLE        (1 << 10) /* apm_table */
#define MB1_INFO_VBE_INFO         (1 << 11) /* vbe_* */
#define MB1_INFO_FRAMEBUFFER_INFO (1 << 12) /* framebuffer_* */

/* mb1_mmap_entry.type */
#define MB1_MEMORY_AVAILABLE        1
#define MB1_MEMORY_RESERVED         2
#define MB1_MEMORY_ACPI_RECLAIMABLE 3
#define MB1_MEMORY_NVS              4
#define MB1_MEMORY_BADRAM           5

#ifndef __ASSEMBLER__

/* The header in the kernel image. */
struct mb1_header {
    uint32_t magic;         /* MB1_HEADER_MAGIC */
    uint32_t flags;         /* MB1_HEADER_* */
    uint32_t checksum;      /* -(magic + flags) */
    uint32_t header_addr;   /* AOUT_KLUDGE: physical address of this header */
    uint32_t load_addr;     /* AOUT_KLUDGE: where the text segment starts */
    uint32_t load_end_addr; /* AOUT_KLUDGE: end of data (0 = whole file) */
    uint32_t bss_end_addr;  /* AOUT_KLUDGE: end of bss (0 = no bss) */
    uint32_t entry_addr;    /* AOUT_KLUDGE: entry point */
    uint32_t mode_type;     /* VIDEO_MODE: 0 linear graphics, 1 EGA text */
    uint32_t width;
    uint32_t height;
    uint32_t depth;
};
_Static_assert(sizeof(struct mb1_header) == 48, "mb1_header");

/* The boot information block (ebx at entry). Addresses are physical. */
struct mb1_info {
    uint32_t flags;       /* MB1_INFO_* */
    uint32_t mem_lower;   /* KiB of memory below 1 MiB */
    uint32_t mem_upper;   /* KiB of memory above 1 MiB (up to the first hole) */
    uint32_t boot_device; /* BIOS drive, partition 1..3 */
    uint32_t cmdline;     /* NUL-terminated kernel command line */
    uint32_t mods_count;
    uint32_t mods_addr;   /* struct mb1_module[mods_count] */
    uint32_t syms[4];     /* a.out: tabsize, strsize, addr, 0;
                 ELF: num, size, addr, shndx */
    uint32_t mmap_length; /* bytes of the memory map */
    uint32_t mmap_addr;   /* struct mb1_mmap_entry list */
    uint32_t drives_length;
    uint32_t drives_addr;
    uint32_t config_table;     /* BIOS configuration table */
    uint32_t boot_loader_name; /* NUL-terminated string */
    uint32_t apm_table;
    uint32_t vbe_control_info;
    uint32_t vbe_mode_info;
    uint16_t vbe_mode;
    uint16_t vbe_interface_seg;
    uint16_t vbe_interface_off;
    uint16_t vbe_interface_len;
    uint64_t framebuffer_addr;
    uint32_t framebuffer_pitch;
    uint32_t framebuffer_width;
    uint32_t framebuffer_height;
    uint8_t framebuffer_bpp;
    uint8_t framebuffer_type; /* 0 indexed, 1 RGB, 2 EGA text */
    uint8_t color_info[6];    /* palette address+count, or RGB field layout */
} __attribute__((packed, aligned(4)));
_Static_assert(sizeof(struct mb1_info) == 116, "mb1_info");

/* One loaded module (mods_addr array). */
struct mb1_module {
    uint32_t mod_start; /* first byte */
    uint32_t mod_end;   /* one past the last byte */
    uint32_t cmdline;   /* NUL-terminated string */
    uint32_t pad;
};
_Static_assert(sizeof(struct mb1_module) == 16, "mb1_module");

/*
 * One memory map entry. `size` counts the bytes that follow it, so the
 * next entry is at (char *)entry + entry->size + 4.
 */
struct mb1_mmap_entry {
    uint32_t size; /* bytes after this field (20 for this layout) */
    uint64_t addr; /* start of the range */
    uint64_t len;  /* length in bytes */
    uint32_t type; /* MB1_MEMORY_* */
} __attribute__((packed));
_Static_assert(sizeof(struct mb1_mmap_entry) == 24, "mb1_mmap_entry");

#endif /* !__ASSEMBLER__ */

#endif /* XEN_LITE_PUBLIC_MULTIBOOT1_H */
