/* SPDX-License-Identifier: MIT */
/* Multiboot1 and Multiboot2 information parsing into struct boot_info. */
#include <string.h>
#include <public/multiboot1.h>
#include <public/multiboot2.h>
#include <asm/acpi.h>
#include <bootinfo.h>
#include <console.h>
#include <memlayout.h>

/* The loader's structures all live below 4 GiB, which the boot page tables map. */
static const void *phys(uint64_t pa)
{
    return maddr_to_virt(pa);
}

static void copy_string(char *dst, size_t size, uint64_t pa)
{
    strlcpy(dst, pa ? phys(pa) : "", size);
}

static void add_ram(struct boot_info *bi, uint64_t addr, uint64_t len)
{
    if (bi->nr_ram == MAX_BOOT_RAM_RANGES) {
        log_warn("memory map: more than %d RAM ranges, ignoring the rest\n", MAX_BOOT_RAM_RANGES);
        return;
    }
    if (addr + len < addr)
        len = ~0ULL - addr;
    bi->ram[bi->nr_ram].start = addr;
    bi->ram[bi->nr_ram].end = addr + len;
    bi->nr_ram++;
}

static void add_module(struct boot_info *bi, uint64_t start, uint64_t end, uint64_t cmdline_pa,
                       const char *cmdline)
{
    struct boot_module *m;

    if (bi->nr_mods == MAX_BOOT_MODULES) {
        log_warn("more than %d boot modules, ignoring the rest\n", MAX_BOOT_MODULES);
        return;
    }
    m = &bi->mods[bi->nr_mods++];
    m->start = start;
    m->end = end;
    if (cmdline)
        strlcpy(m->cmdline, cmdline, sizeof(m->cmdline));
    else
        copy_string(m->cmdline, sizeof(m->cmdline), cmdline_pa);
}

static void parse_mb1(const struct mb1_info *mbi, struct boot_info *bi)
{
    bi->loader_protocol = "Multiboot1";
    if (mbi->flags & MB1_INFO_CMDLINE)
        copy_string(bi->cmdline, sizeof(bi->cmdline), mbi->cmdline);
    if (mbi->flags & MB1_INFO_BOOT_LOADER_NAME)
        copy_string(bi->loader_name, sizeof(bi->loader_name), mbi->boot_loader_name);
    if (mbi->flags & MB1_INFO_MEM_MAP) {
        uint64_t p = mbi->mmap_addr, end = p + mbi->mmap_length;

        while (p + sizeof(struct mb1_mmap_entry) <= end) {
            const struct mb1_mmap_entry *e = phys(p);

            if (e->type == MB1_MEMORY_AVAILABLE)
                add_ram(bi, e->addr, e->len);
            p += e->size + sizeof(e->size);
        }
    } else if (mbi->flags & MB1_INFO_MEMORY) {
        add_ram(bi, 0, (uint64_t)mbi->mem_lower << 10);
        add_ram(bi, 1 << 20, (uint64_t)mbi->mem_upper << 10);
    }
    if (mbi->flags & MB1_INFO_MODS) {
        const struct mb1_module *mods = phys(mbi->mods_addr);

        for (uint32_t i = 0; i < mbi->mods_count; i++)
            add_module(bi, mods[i].mod_start, mods[i].mod_end, mods[i].cmdline, NULL);
    }
}

static void parse_mb2(const struct mb2_info *info, struct boot_info *bi)
{
    const uint8_t *p = (const uint8_t *)(info + 1);
    const uint8_t *end = (const uint8_t *)info + info->total_size;

    bi->loader_protocol = "Multiboot2";
    while (p + sizeof(struct mb2_tag) <= end) {
        const struct mb2_tag *tag = (const void *)p;

        if (tag->type == MB2_TAG_TYPE_END || tag->size < sizeof(*tag))
            break;
        switch (tag->type) {
        case MB2_TAG_TYPE_CMDLINE:
            strlcpy(bi->cmdline, ((const struct mb2_tag_string *)tag)->string, sizeof(bi->cmdline));
            break;
        case MB2_TAG_TYPE_BOOT_LOADER_NAME:
            strlcpy(bi->loader_name, ((const struct mb2_tag_string *)tag)->string,
                    sizeof(bi->loader_name));
            break;
        case MB2_TAG_TYPE_MODULE: {
            const struct mb2_tag_module *m = (const void *)tag;

            add_module(bi, m->mod_start, m->mod_end, 0, m->cmdline);
            break;
        }
        case MB2_TAG_TYPE_ACPI_OLD:
        case MB2_TAG_TYPE_ACPI_NEW:
            /* A copy of the RSDP: the firmware may not have put one where BIOSes do. */
            acpi_note_boot_rsdp(tag + 1, tag->size - sizeof(*tag));
            break;
        case MB2_TAG_TYPE_MMAP: {
            const struct mb2_tag_mmap *mm = (const void *)tag;
            const uint8_t *e = (const uint8_t *)(mm + 1);

            if (mm->entry_size < sizeof(struct mb2_mmap_entry))
                break;
            for (; e + mm->entry_size <= p + tag->size; e += mm->entry_size) {
                const struct mb2_mmap_entry *me = (const void *)e;

                if (me->type == MB2_MEMORY_AVAILABLE)
                    add_ram(bi, me->addr, me->len);
            }
            break;
        }
        }
        p += (tag->size + MB2_TAG_ALIGN - 1) & ~(uint32_t)(MB2_TAG_ALIGN - 1);
    }
}

int multiboot_parse(uint32_t magic, uint32_t info_pa, struct boot_info *bi)
{
    memset(bi, 0, sizeof(*bi));
    if (magic == MB1_BOOTLOADER_MAGIC)
        parse_mb1(phys(info_pa), bi);
    else if (magic == MB2_BOOTLOADER_MAGIC)
        parse_mb2(phys(info_pa), bi);
    else
        return -1;
    return 0;
}
