/* SPDX-License-Identifier: MIT */
/* xen_version: hypervisor version, build information and feature bits. */
#ifndef XEN_LITE_PUBLIC_VERSION_H
#define XEN_LITE_PUBLIC_VERSION_H

/*
 * Overview
 * --------
 * xen_version(cmd, arg). Never fails for the commands below except on a
 * bad `arg` pointer (-XEN_EFAULT). Linux issues a null XENVER_version call
 * just to get pending events delivered, so it must be cheap.
 */

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/* XENVER_version: returns (major << 16) | minor. arg unused. */
#define XENVER_version 0
/* XENVER_extraversion: OUT char[XEN_EXTRAVERSION_LEN], e.g. ".0-xl". */
#define XENVER_extraversion  1
#define XEN_EXTRAVERSION_LEN 16
/* XENVER_compile_info: OUT struct xen_compile_info. */
#define XENVER_compile_info 2
/* XENVER_capabilities: OUT char[XEN_CAPABILITIES_INFO_LEN], space-separated
 * guest types, e.g. "xen-3.0-x86_64". */
#define XENVER_capabilities       3
#define XEN_CAPABILITIES_INFO_LEN 1024
/* XENVER_changeset: OUT char[XEN_CHANGESET_INFO_LEN], source revision. */
#define XENVER_changeset       4
#define XEN_CHANGESET_INFO_LEN 64
/* XENVER_platform_parameters: OUT struct xen_platform_parameters. */
#define XENVER_platform_parameters 5
/* XENVER_get_features: IN/OUT struct xen_feature_info. */
#define XENVER_get_features 6
/* XENVER_pagesize: returns the page size (4096). arg unused. */
#define XENVER_pagesize 7
/* XENVER_guest_handle: OUT uint8_t[16], the domain's handle (UUID). */
#define XENVER_guest_handle 8
/* XENVER_commandline: OUT char[XEN_COMMANDLINE_LEN], hypervisor cmdline
 * (privileged). */
#define XENVER_commandline  9
#define XEN_COMMANDLINE_LEN 1024
/* XENVER_build_id: IN/OUT struct xen_build_id; returns bytes written. */
#define XENVER_build_id 10

#ifndef __ASSEMBLER__

struct xen_compile_info {
    char compiler[64]; /* OUT: NUL-terminated strings */
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
_Static_assert(sizeof(struct xen_compile_info) == 144, "xen_compile_info");

struct xen_platform_parameters {
    uint64_t virt_start; /* OUT: lowest address the hypervisor reserves */
};
_Static_assert(sizeof(struct xen_platform_parameters) == 8, "xen_platform_parameters");

struct xen_feature_info {
    uint32_t submap_idx; /* IN: which 32-bit submap (< XENFEAT_NR_SUBMAPS) */
    uint32_t submap;     /* OUT: bit i = feature 32 * submap_idx + i */
};
_Static_assert(sizeof(struct xen_feature_info) == 8, "xen_feature_info");

struct xen_build_id {
    uint32_t len;  /* IN: size of buf[] */
    uint8_t buf[]; /* OUT: the build id bytes */
};
_Static_assert(sizeof(struct xen_build_id) == 4, "xen_build_id");

#endif /* !__ASSEMBLER__ */

#endif /* XEN_LITE_PUBLIC_VERSION_H */
