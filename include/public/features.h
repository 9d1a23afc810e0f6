/* SPDX-License-Identifier: MIT */
/* Feature bits reported by xen_version(XENVER_get_features). */
#ifndef XEN_LITE_PUBLIC_FEATURES_H
#define XEN_LITE_PUBLIC_FEATURES_H

/*
 * Overview
 * --------
 * Bit numbers in the feature map returned 32 bits at a time by
 * XENVER_get_features (submap i holds features 32*i .. 32*i+31). The same
 * names, without the XENFEAT_ prefix, appear in a guest's FEATURES ELF note,
 * where a leading '!' marks a feature the guest cannot run without.
 * Linux PV refuses to boot unless mmu_pt_update_preserve_ad and
 * gnttab_map_avail_bits are reported.
 */

#define XENFEAT_writable_page_tables       0  /* guest may write PTEs directly */
#define XENFEAT_writable_descriptor_tables 1  /* guest may write GDT/LDT directly */
#define XENFEAT_auto_translated_physmap    2  /* hypervisor translates PFN->MFN */
#define XENFEAT_supervisor_mode_kernel     3  /* guest kernel runs in ring 0 */
#define XENFEAT_pae_pgdir_above_4gb        4  /* 32-bit PAE L3 may be above 4 GiB */
#define XENFEAT_mmu_pt_update_preserve_ad  5  /* MMU_PT_UPDATE_PRESERVE_AD works */
#define XENFEAT_highmem_assist             6  /* 32-bit highmem helpers */
#define XENFEAT_gnttab_map_avail_bits      7  /* GNTMAP_guest_avail bits honoured */
#define XENFEAT_hvm_callback_vector        8  /* HVM: upcall via IDT vector */
#define XENFEAT_hvm_safe_pvclock           9  /* HVM: pvclock safe to use */
#define XENFEAT_hvm_pirqs                  10 /* HVM: PIRQs delivered as events */
#define XENFEAT_dom0                       11 /* domain is the hardware domain */
/* 12 was grant_map_identity: withdrawn by Xen, never reuse. */
#define XENFEAT_memory_op_vnode_supported 13 /* XENMEMF_vnode accepted */
#define XENFEAT_ARM_SMCCC_supported       14 /* ARM: SMCCC 1.1 available */
#define XENFEAT_linux_rsdp_unrestricted   15 /* PVH: RSDP may be anywhere */
#define XENFEAT_not_direct_mapped         16 /* ARM: dom0 not 1:1 mapped */
#define XENFEAT_direct_mapped             17 /* ARM: dom0 1:1 mapped */

/* Number of 32-bit submaps in the feature map. */
#define XENFEAT_NR_SUBMAPS 1

#endif /* XEN_LITE_PUBLIC_FEATURES_H */
