/* SPDX-License-Identifier: MIT */
/* Boot information: what the boot loader told us, in one loader-neutral form. */
#ifndef XEN_LITE_BOOTINFO_H
#define XEN_LITE_BOOTINFO_H

#include <stdint.h>
#include "frame-alloc.h"

#define MAX_BOOT_RAM_RANGES 64
#define MAX_BOOT_MODULES    16
#define BOOT_CMDLINE_MAX    1024

struct boot_module {
    uint64_t start, end;            /* physical, [start, end) */
    char cmdline[BOOT_CMDLINE_MAX]; /* as the loader gave it: "FILE ARGS..." */
};

struct boot_info {
    const char *loader_protocol; /* "Multiboot1" or "Multiboot2" */
    char loader_name[64];
    char cmdline[BOOT_CMDLINE_MAX];
    struct mem_range ram[MAX_BOOT_RAM_RANGES];
    int nr_ram;
    struct boot_module mods[MAX_BOOT_MODULES];
    int nr_mods;
};

/*
 * Parses the Multiboot1 or Multiboot2 information at physical address info_pa (the loader
 * magic tells which) into bi, copying every string so the loader's memory can be reused.
 * Returns 0, or -1 if the magic is unknown (the caller cannot continue).
 */
int multiboot_parse(uint32_t magic, uint32_t info_pa, struct boot_info *bi);

/* The host's usable RAM as the boot loader reported it ([start, end) bytes); returns how many. */
int boot_ram_ranges(const struct mem_range **r);

#endif
