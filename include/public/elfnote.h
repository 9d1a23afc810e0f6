/* SPDX-License-Identifier: MIT */
/* ELF notes: what a PV kernel image tells the domain builder. */
#ifndef XEN_LITE_PUBLIC_ELFNOTE_H
#define XEN_LITE_PUBLIC_ELFNOTE_H

/*
 * Overview
 * --------
 * A PV kernel carries ELF notes whose owner (name) is XEN_ELFNOTE_OWNER and
 * whose type is one of the numbers below. "num" notes hold a little-endian
 * integer of 4 or 8 bytes; "str" notes a NUL-terminated string.
 * Usable from assembly.
 */

#define XEN_ELFNOTE_OWNER "Xen"

#define XEN_ELFNOTE_INFO               0  /* unused */
#define XEN_ELFNOTE_ENTRY              1  /* num: entry point (wins over e_entry) */
#define XEN_ELFNOTE_HYPERCALL_PAGE     2  /* num: vaddr where to write hypercall stubs */
#define XEN_ELFNOTE_VIRT_BASE          3  /* num: vaddr of the image's base (default 0) */
#define XEN_ELFNOTE_PADDR_OFFSET       4  /* num: vaddr - paddr of segments (legacy) */
#define XEN_ELFNOTE_XEN_VERSION        5  /* str: ABI version, e.g. "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS           6  /* str: OS name, e.g. "linux" */
#define XEN_ELFNOTE_GUEST_VERSION      7  /* str: OS version */
#define XEN_ELFNOTE_LOADER             8  /* str: loader protocol, "generic" */
#define XEN_ELFNOTE_PAE_MODE           9  /* str: 32-bit PAE support ("yes"/"bimodal") */
#define XEN_ELFNOTE_FEATURES           10 /* str: '|'-separated XENFEAT names, '!' = required */
#define XEN_ELFNOTE_BSD_SYMTAB         11 /* str: "yes" = load the symbol table too */
#define XEN_ELFNOTE_HV_START_LOW       12 /* num: lowest hypervisor vaddr (32-bit only) */
#define XEN_ELFNOTE_L1_MFN_VALID       13 /* num pair: mask, value marking valid L1 MFNs */
#define XEN_ELFNOTE_SUSPEND_CANCEL     14 /* num: guest supports suspend cancellation */
#define XEN_ELFNOTE_INIT_P2M           15 /* num: vaddr for a linear p2m list */
#define XEN_ELFNOTE_MOD_START_PFN      16 /* num: 1 = guest takes mod_start as a PFN */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17 /* num: bitmap of XENFEAT_* supported */
#define XEN_ELFNOTE_PHYS32_ENTRY       18 /* num: 32-bit physical entry (PVH) */
#define XEN_ELFNOTE_PHYS32_RELOC                                                                   \
    19 /* num[3]: PVH relocation align/min/max                                                     \
(Xen 4.20+, newer than libxen-dev 4.17) */

/* Notes in crash dumps (not read by the domain builder). */
#define XEN_ELFNOTE_CRASH_INFO              0x1000001
#define XEN_ELFNOTE_CRASH_REGS              0x1000002
#define XEN_ELFNOTE_DUMPCORE_NONE           0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER         0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION    0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION 0x2000003

#endif /* XEN_LITE_PUBLIC_ELFNOTE_H */
