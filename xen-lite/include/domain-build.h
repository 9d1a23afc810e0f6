/* SPDX-License-Identifier: MIT */
/* The domain builder: turns a PV kernel image into a domain ready to run. */
#ifndef XEN_LITE_DOMAIN_BUILD_H
#define XEN_LITE_DOMAIN_BUILD_H

#include <stddef.h>
#include <stdint.h>

struct domain;

struct build_params {
    const void *image;
    size_t image_len;
    const void *initrd; /* NULL = none */
    size_t initrd_len;
    const char *cmdline;
    uint64_t nr_pages;
    uint32_t sif_flags; /* SIF_PRIVILEGED | SIF_INITDOMAIN for dom0 */
};

/* Features xen-lite offers guests (XENFEAT_* bitmap); also what get_features reports. */
uint32_t hypervisor_features(const struct domain *d);

/*
 * Loads the ELF image into d's new memory and lays out the Xen start-of-day state: p2m list,
 * start_info, xenstore and console pages, read-only page tables (root pinned), boot stack,
 * hypercall page, and vCPU 0's registers.  Returns 0, or a negative Xen errno with *why
 * naming the reason (the image is refused; memory already taken stays with d and goes back
 * when d is destroyed).
 */
int domain_build(struct domain *d, const struct build_params *p, const char **why);

#endif
