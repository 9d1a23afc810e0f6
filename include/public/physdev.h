/* SPDX-License-Identifier: MIT */
/* physdev_op: physical IRQs, I/O privilege and PCI devices for privileged guests. */
#ifndef XEN_LITE_PUBLIC_PHYSDEV_H
#define XEN_LITE_PUBLIC_PHYSDEV_H

/*
 * Overview
 * --------
 * physdev_op(cmd, arg): arg points to the command's struct. Most commands
 * only make sense for a domain that drives hardware; an unprivileged PV
 * guest mainly uses set_iopl / set_iobitmap (and Linux probes a few others).
 * Returns 0 or -XEN_Exxx.
 */

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#define PHYSDEVOP_IRQ_UNMASK_NOTIFY 4 /* obsolete: notify after unmask */
/* PHYSDEVOP_irq_status_query: IN irq; OUT flags (XENIRQSTAT_*). */
#define PHYSDEVOP_irq_status_query 5
/* PHYSDEVOP_set_iopl: IN iopl (0..3). Virtual IOPL for in/out. */
#define PHYSDEVOP_set_iopl 6
/* PHYSDEVOP_set_iobitmap: IN bitmap, nr_ports. Per-port I/O permission
 * (bit clear = allowed, as in a TSS bitmap). */
#define PHYSDEVOP_set_iobitmap     7
#define PHYSDEVOP_apic_read        8  /* IN/OUT struct physdev_apic (dom0) */
#define PHYSDEVOP_apic_write       9  /* IN struct physdev_apic (dom0) */
#define PHYSDEVOP_alloc_irq_vector 10 /* IN/OUT struct physdev_irq (dom0) */
#define PHYSDEVOP_free_irq_vector  11 /* IN struct physdev_irq (dom0) */
/* PHYSDEVOP_eoi: IN irq. Signal end of interrupt for a PIRQ. */
#define PHYSDEVOP_eoi 12
/* PHYSDEVOP_map_pirq: IN domid, type, index, ...; IN/OUT pirq. */
#define PHYSDEVOP_map_pirq 13
/* PHYSDEVOP_unmap_pirq: IN domid, pirq. */
#define PHYSDEVOP_unmap_pirq        14
#define PHYSDEVOP_manage_pci_add    15
#define PHYSDEVOP_manage_pci_remove 16
/* PHYSDEVOP_pirq_eoi_gmfn_v1/v2: IN gmfn. Share a bitmap of PIRQs that
 * need an EOI; v2 does not imply automatic EOI. */
#define PHYSDEVOP_pirq_eoi_gmfn_v1   17
#define PHYSDEVOP_restore_msi        19
#define PHYSDEVOP_manage_pci_add_ext 20
/* PHYSDEVOP_setup_gsi: IN gsi, triggering, polarity (dom0). */
#define PHYSDEVOP_setup_gsi          21
#define PHYSDEVOP_get_free_pirq      23 /* IN type; OUT pirq */
#define PHYSDEVOP_pci_mmcfg_reserved 24
#define PHYSDEVOP_pci_device_add     25
#define PHYSDEVOP_pci_device_remove  26
#define PHYSDEVOP_restore_msi_ext    27
#define PHYSDEVOP_pirq_eoi_gmfn_v2   28
#define PHYSDEVOP_dbgp_op            29
#define PHYSDEVOP_prepare_msix       30
#define PHYSDEVOP_release_msix       31
#define PHYSDEVOP_pirq_eoi_gmfn      PHYSDEVOP_pirq_eoi_gmfn_v2

/* physdev_irq_status_query.flags */
#define _XENIRQSTAT_needs_eoi 0
#define XENIRQSTAT_needs_eoi  (1U << _XENIRQSTAT_needs_eoi) /* PHYSDEVOP_eoi needed */
#define _XENIRQSTAT_shared    1
#define XENIRQSTAT_shared     (1U << _XENIRQSTAT_shared) /* shared with others */

/* physdev_map_pirq.type */
#define MAP_PIRQ_TYPE_MSI       0x0
#define MAP_PIRQ_TYPE_GSI       0x1
#define MAP_PIRQ_TYPE_UNKNOWN   0x2
#define MAP_PIRQ_TYPE_MSI_SEG   0x3
#define MAP_PIRQ_TYPE_MULTI_MSI 0x4

#ifndef __ASSEMBLER__

struct physdev_eoi {
    uint32_t irq; /* IN: PIRQ */
};
_Static_assert(sizeof(struct physdev_eoi) == 4, "physdev_eoi");

struct physdev_pirq_eoi_gmfn {
    uint64_t gmfn; /* IN: frame holding the needs-EOI bitmap */
};
_Static_assert(sizeof(struct physdev_pirq_eoi_gmfn) == 8, "physdev_pirq_eoi_gmfn");

struct physdev_irq_status_query {
    uint32_t irq;   /* IN */
    uint32_t flags; /* OUT: XENIRQSTAT_* */
};
_Static_assert(sizeof(struct physdev_irq_status_query) == 8, "physdev_irq_status_query");

struct physdev_set_iopl {
    uint32_t iopl; /* IN: 0..3 */
};
_Static_assert(sizeof(struct physdev_set_iopl) == 4, "physdev_set_iopl");

struct physdev_set_iobitmap {
    uint64_t bitmap;   /* IN: guest pointer to the bitmap (0 = none) */
    uint32_t nr_ports; /* IN: ports the bitmap covers */
    uint32_t _pad;
};
_Static_assert(sizeof(struct physdev_set_iobitmap) == 16, "physdev_set_iobitmap");

struct physdev_apic {
    uint64_t apic_physbase; /* IN */
    uint32_t reg;           /* IN */
    uint32_t value;         /* IN/OUT */
};
_Static_assert(sizeof(struct physdev_apic) == 16, "physdev_apic");

struct physdev_irq {
    uint32_t irq;    /* IN */
    uint32_t vector; /* OUT */
};
_Static_assert(sizeof(struct physdev_irq) == 8, "physdev_irq");

struct physdev_map_pirq {
    uint16_t domid; /* IN */
    uint16_t _pad0;
    int32_t type;     /* IN: MAP_PIRQ_TYPE_* */
    int32_t index;    /* IN: GSI, or MSI vector */
    int32_t pirq;     /* IN: wanted PIRQ or -1; OUT: the PIRQ */
    int32_t bus;      /* IN: PCI bus (MSI) */
    int32_t devfn;    /* IN: PCI device/function (MSI) */
    int32_t entry_nr; /* IN: MSI-X entry, or vector count */
    uint32_t _pad1;
    uint64_t table_base; /* IN: MSI-X table address */
};
_Static_assert(sizeof(struct physdev_map_pirq) == 40, "physdev_map_pirq");

struct physdev_unmap_pirq {
    uint16_t domid; /* IN */
    uint16_t _pad;
    int32_t pirq; /* IN */
};
_Static_assert(sizeof(struct physdev_unmap_pirq) == 8, "physdev_unmap_pirq");

struct physdev_setup_gsi {
    int32_t gsi;        /* IN */
    uint8_t triggering; /* IN: 0 edge, 1 level */
    uint8_t polarity;   /* IN: 0 active high, 1 active low */
    uint8_t _pad[2];
};
_Static_assert(sizeof(struct physdev_setup_gsi) == 8, "physdev_setup_gsi");

struct physdev_get_free_pirq {
    int32_t type;  /* IN: MAP_PIRQ_TYPE_* */
    uint32_t pirq; /* OUT */
};
_Static_assert(sizeof(struct physdev_get_free_pirq) == 8, "physdev_get_free_pirq");

struct physdev_pci_device {
    uint16_t seg;  /* IN: PCI segment */
    uint8_t bus;   /* IN */
    uint8_t devfn; /* IN */
};
_Static_assert(sizeof(struct physdev_pci_device) == 4, "physdev_pci_device");

#endif /* !__ASSEMBLER__ */

#endif /* XEN_LITE_PUBLIC_PHYSDEV_H */
