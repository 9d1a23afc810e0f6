/* SPDX-License-Identifier: MIT */
/* The Xen version xen-lite reports to guests, and its own identity. */
#ifndef XEN_LITE_VERSION_H
#define XEN_LITE_VERSION_H

/* Guests see the interface of Xen 4.17 (the newest the Debian 12 headers describe). */
#define XL_XEN_MAJOR    4
#define XL_XEN_MINOR    17
#define XL_EXTRAVERSION ".0-xen-lite"
#define XL_CAPABILITIES "xen-3.0-x86_64"
#define XL_CHANGESET    "xen-lite"

#endif
