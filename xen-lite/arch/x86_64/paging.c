/* SPDX-License-Identifier: MIT */
/* Hypervisor page tables: the direct map, the frame table, the read-only M2P, guest walks. */
#include <string.h>
#include <public/arch-x86-pt.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <console.h>
#include <frame-alloc.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>
#include <paging.h>
#include <sched.h>

extern uint64_t boot_l4[512], boot_l3[512], boot_l2[4 * 512];

#define HV_PDE_2M (X86_PTE_P | X86_PTE_RW | X86_PTE_PSE | X86_PTE_A | X86_PTE_D)
#define HV_TABLE  (X86_PTE_P | X86_PTE_RW | X86_PTE_A)

unsigned int paddr_bits = 36; /* the architectural minimum until cpu_init() reads CPUID */

uint64_t idle_root_maddr(void)
{
    return virt_to_maddr(boot_l4);
}

static uint64_t *alloc_table(void)
{
    uint64_t mfn = alloc_frame();

    if (mfn == INVALID_MFN)
        panic("out of memory for hypervisor page tables");
    memset(mfn_to_virt(mfn), 0, 4096);
    return mfn_to_virt(mfn);
}

void paging_flush_tlb(void)
{
    /* Guest translations can be cached by every CPU running a guest, and by this one. */
    flush_tlb_cpus(sched_domain_cpus(NULL) | 1ULL << this_cpu()->cpu_id);
}

void paging_drop_identity_map(void)
{
    boot_l4[0] = 0;
    flush_tlb_local();
}

/* Extends the direct map (2 MiB pages) so it covers RAM up to `end` bytes. */
static void directmap_extend(uint64_t end)
{
    for (uint64_t pa = BOOT_DIRECTMAP_SIZE; pa < end; pa += 1ULL << X86_L2_SHIFT) {
        uint64_t *l3 = boot_l3, *l2;
        unsigned int i3 = l3_index(DIRECTMAP_VIRT_START + pa);

        if (l4_index(DIRECTMAP_VIRT_START + pa) != DIRECTMAP_L4_SLOT)
            panic("more RAM than the direct map's first slot covers (512 GiB)");
        if (!(l3[i3] & X86_PTE_P))
            l3[i3] = virt_to_maddr(alloc_table()) | HV_TABLE;
        l2 = maddr_to_virt(l3[i3] & X86_PTE_ADDR_MASK);
        l2[l2_index(DIRECTMAP_VIRT_START + pa)] = pa | HV_PDE_2M;
    }
}

/*
 * The M2P: one uint64_t per machine frame, writable by the hypervisor through the direct
 * map, and mapped read-only (user-accessible) at RO_MPT_VIRT_START in every address space.
 */
static void m2p_init(uint64_t nr_frames)
{
    uint64_t bytes = ROUND_UP(nr_frames * 8, 1ULL << X86_L2_SHIFT);
    uint64_t nr_2m = bytes >> X86_L2_SHIFT;
    uint64_t mfn = alloc_frames(bytes >> 12, 512);
    uint64_t *l3 = alloc_table(), *l2 = alloc_table();

    if (mfn == INVALID_MFN)
        panic("out of memory for the M2P table");
    if (nr_2m > 512)
        panic("M2P larger than 1 GiB is not supported");
    m2p_table = mfn_to_virt(mfn);
    memset(m2p_table, 0xff, bytes); /* INVALID_M2P_ENTRY everywhere */
    for (uint64_t i = 0; i < nr_2m; i++)
        l2[i] = ((mfn << 12) + (i << X86_L2_SHIFT)) | X86_PTE_P | X86_PTE_US | X86_PTE_PSE |
                X86_PTE_A | X86_PTE_NX;
    l3[0] = virt_to_maddr(l2) | X86_PTE_P | X86_PTE_US | X86_PTE_A;
    boot_l4[l4_index(RO_MPT_VIRT_START)] = virt_to_maddr(l3) | X86_PTE_P | X86_PTE_US | X86_PTE_A;
}

void mm_init(void)
{
    uint64_t max_mfn = max_ram_mfn();
    uint64_t ft_bytes = (max_mfn + 1) * sizeof(struct page_info);
    uint64_t ft_mfn;

    directmap_extend((max_mfn + 1) << 12);
    ft_mfn = alloc_frames(ROUND_UP(ft_bytes, 4096) >> 12, 1);
    if (ft_mfn == INVALID_MFN)
        panic("out of memory for the frame table");
    frame_table = mfn_to_virt(ft_mfn);
    frame_table_size = max_mfn + 1;
    memset(frame_table, 0, ft_bytes);
    for (uint64_t i = 0; i < frame_table_size; i++)
        frame_table[i].next_mfn = frame_table[i].prev_mfn = INVALID_MFN;
    m2p_init(frame_table_size);
    flush_tlb_local();
}

void install_hypervisor_slots(uint64_t *l4)
{
    for (int i = HV_L4_FIRST; i <= HV_L4_LAST; i++)
        l4[i] = boot_l4[i];
}

uint64_t *guest_walk_l1e(uint64_t l4_mfn, uint64_t va, uint64_t *l1_mfn)
{
    uint64_t mfn = l4_mfn;
    static const int shifts[] = {X86_L4_SHIFT, X86_L3_SHIFT, X86_L2_SHIFT};

    for (int lvl = 0; lvl < 3; lvl++) {
        uint64_t *table = mfn_to_virt(mfn);
        uint64_t e = table[(va >> shifts[lvl]) & 511];

        if (!(e & X86_PTE_P) || (lvl > 0 && (e & X86_PTE_PSE)))
            return NULL;
        mfn = X86_PTE_MFN(e);
        if (!mfn_to_page(mfn))
            return NULL;
    }
    *l1_mfn = mfn;
    return (uint64_t *)mfn_to_virt(mfn) + l1_index(va);
}
