/* SPDX-License-Identifier: MIT */
/* Multiboot 2: header tags and boot information tags of the Multiboot2 spec. */
#ifndef XEN_LITE_PUBLIC_MULTIBOOT2_H
#define XEN_LITE_PUBLIC_MULTIBOOT2_H

/*
 * Overview
 * --------
 * A Multiboot2 kernel carries an 8-byte aligned header in its first 32 KiB:
 * struct mb2_header followed by a list of header tags (each 8-byte aligned,
 * ended by a tag of type MB2_HEADER_TAG_END). The loader enters the kernel
 * in 32-bit protected mode with eax = MB2_BOOTLOADER_MAGIC and ebx = the
 * physical address of the boot information: a struct mb2_info followed by
 * 8-byte aligned struct mb2_tag records, ended by MB2_TAG_TYPE_END.
 * The #defines are usable from assembly.
 */

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#define MB2_HEADER_MAGIC     0xE85250D6 /* in the kernel image */
#define MB2_BOOTLOADER_MAGIC 0x36d76289 /* in eax at entry */
#define MB2_HEADER_ALIGN     8
#define MB2_TAG_ALIGN        8
#define MB2_SEARCH_LIMIT     32768

/* mb2_header.architecture */
#define MB2_ARCHITECTURE_I386   0
#define MB2_ARCHITECTURE_MIPS32 4

/* Header tag types (kernel -> loader). */
#define MB2_HEADER_TAG_END                 0
#define MB2_HEADER_TAG_INFORMATION_REQUEST 1
#define MB2_HEADER_TAG_ADDRESS             2
#define MB2_HEADER_TAG_ENTRY_ADDRESS       3
#define MB2_HEADER_TAG_CONSOLE_FLAGS       4
#define MB2_HEADER_TAG_FRAMEBUFFER         5
#define MB2_HEADER_TAG_MODULE_ALIGN        6
#define MB2_HEADER_TAG_EFI_BS              7
#define MB2_HEADER_TAG_ENTRY_ADDRESS_EFI32 8
#define MB2_HEADER_TAG_ENTRY_ADDRESS_EFI64 9
#define MB2_HEADER_TAG_RELOCATABLE         10

/* mb2_header_tag.flags: the loader may ignore the tag. */
#define MB2_HEADER_TAG_OPTIONAL 1

/* Boot information tag types (loader -> kernel). */
#define MB2_TAG_TYPE_END              0
#define MB2_TAG_TYPE_CMDLINE          1
#define MB2_TAG_TYPE_BOOT_LOADER_NAME 2
#define MB2_TAG_TYPE_MODULE           3
#define MB2_TAG_TYPE_BASIC_MEMINFO    4
#define MB2_TAG_TYPE_BOOTDEV          5
#define MB2_TAG_TYPE_MMAP             6
#define MB2_TAG_TYPE_VBE              7
#define MB2_TAG_TYPE_FRAMEBUFFER      8
#define MB2_TAG_TYPE_ELF_SECTIONS     9
#define MB2_TAG_TYPE_APM              10
#define MB2_TAG_TYPE_EFI32            11
#define MB2_TAG_TYPE_EFI64            12
#define MB2_TAG_TYPE_SMBIOS           13
#define MB2_TAG_TYPE_ACPI_OLD         14
#define MB2_TAG_TYPE_ACPI_NEW         15
#define MB2_TAG_TYPE_NETWORK          16
#define MB2_TAG_TYPE_EFI_MMAP         17
#define MB2_TAG_TYPE_EFI_BS           18
#define MB2_TAG_TYPE_EFI32_IH         19
#define MB2_TAG_TYPE_EFI64_IH         20
#define MB2_TAG_TYPE_LOAD_BASE_ADDR   21

/* mb2_mmap_entry.type */
#define MB2_MEMORY_AVAILABLE        1
#define MB2_MEMORY_RESERVED         2
#define MB2_MEMORY_ACPI_RECLAIMABLE 3
#define MB2_MEMORY_NVS              4
#define MB2_MEMORY_BADRAM           5

#ifndef __ASSEMBLER__

/* Fixed part of the header in the kernel image. */
struct mb2_header {
    uint32_t magic;         /* MB2_HEADER_MAGIC */
    uint32_t architecture;  /* MB2_ARCHITECTURE_* */
    uint32_t header_length; /* bytes, including all header tags */
    uint32_t checksum;      /* -(magic + architecture + header_length) */
};
_Static_assert(sizeof(struct mb2_header) == 16, "mb2_header");

/* Common start of every header tag. */
struct mb2_header_tag {
    uint16_t type;  /* MB2_HEADER_TAG_* */
    uint16_t flags; /* MB2_HEADER_TAG_OPTIONAL */
    uint32_t size;  /* bytes, including this struct */
};
_Static_assert(sizeof(struct mb2_header_tag) == 8, "mb2_header_tag");

/* MB2_HEADER_TAG_ADDRESS: load the image as with the MB1 a.out kludge. */
struct mb2_header_tag_address {
    uint16_t type;
    uint16_t flags;
    uint32_t size;
    uint32_t header_addr;
    uint32_t load_addr;
    uint32_t load_end_addr;
    uint32_t bss_end_addr;
};
_Static_assert(sizeof(struct mb2_header_tag_address) == 24, "mb2_header_tag_address");

/* MB2_HEADER_TAG_ENTRY_ADDRESS: 32-bit entry point. */
struct mb2_header_tag_entry_address {
    uint16_t type;
    uint16_t flags;
    uint32_t size;
    uint32_t entry_addr;
};
_Static_assert(sizeof(struct mb2_header_tag_entry_address) == 12, "mb2_header_tag_entry_address");

/* Fixed part of the boot information (ebx at entry). */
struct mb2_info {
    uint32_t total_size; /* bytes, including all tags */
    uint32_t reserved;
};
_Static_assert(sizeof(struct mb2_info) == 8, "mb2_info");

/* Common start of every boot information tag. */
struct mb2_tag {
    uint32_t type; /* MB2_TAG_TYPE_* */
    uint32_t size; /* bytes, including this struct, excluding alignment */
};
_Static_assert(sizeof(struct mb2_tag) == 8, "mb2_tag");

/* MB2_TAG_TYPE_CMDLINE, MB2_TAG_TYPE_BOOT_LOADER_NAME. */
struct mb2_tag_string {
    uint32_t type;
    uint32_t size;
    char string[]; /* NUL-terminated */
};
_Static_assert(sizeof(struct mb2_tag_string) == 8, "mb2_tag_string");

/* MB2_TAG_TYPE_MODULE. */
struct mb2_tag_module {
    uint32_t type;
    uint32_t size;
    uint32_t mod_start; /* physical address of the first byte */
    uint32_t mod_end;   /* one past the last byte */
    char cmdline[];     /* NUL-terminated */
};
_Static_assert(sizeof(struct mb2_tag_module) == 16, "mb2_tag_module");

/* MB2_TAG_TYPE_BASIC_MEMINFO. */
struct mb2_tag_basic_meminfo {
    uint32_t type;
    uint32_t size;
    uint32_t mem_lower; /* KiB below 1 MiB */
    uint32_t mem_upper; /* KiB above 1 MiB */
};
_Static_assert(sizeof(struct mb2_tag_basic_meminfo) == 16, "mb2_tag_basic_meminfo");

/* One entry of MB2_TAG_TYPE_MMAP. */
struct mb2_mmap_entry {
    uint64_t addr; /* start of the range */
    uint64_t len;  /* length in bytes */
    uint32_t type; /* MB2_MEMORY_* */
    uint32_t zero;
};
_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "mb2_mmap_entry");

/* MB2_TAG_TYPE_MMAP: step through entries by entry_size, not sizeof. */
struct mb2_tag_mmap {
    uint32_t type;
    uint32_t size;
    uint32_t entry_size;    /* bytes per entry (>= 24) */
    uint32_t entry_version; /* 0 */
    struct mb2_mmap_entry entries[];
};
_Static_assert(sizeof(struct mb2_tag_mmap) == 16, "mb2_tag_mmap");

/* MB2_TAG_TYPE_LOAD_BASE_ADDR: where a relocatable image was loaded. */
struct mb2_tag_load_base_addr {
    uint32_t type;
    uint32_t size;
    uint32_t load_base_addr;
};
_Static_assert(sizeof(struct mb2_tag_load_base_addr) == 12, "mb2_tag_load_base_addr");

#endif /* !__ASSEMBLER__ */

#endif /* XEN_LITE_PUBLIC_MULTIBOOT2_H */
