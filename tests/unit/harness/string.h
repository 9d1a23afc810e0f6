/* SPDX-License-Identifier: MIT */
/* Harness: libc's <string.h> plus strlcpy, which lib/string.h promises and glibc 2.36 lacks. */
#ifndef HARNESS_STRING_H
#define HARNESS_STRING_H

/*
 * Hosted code uses libc's string functions (lib/string.c cannot be linked: it would replace
 * libc's memcpy and friends for Criterion and ASan too).  strlcpy is the one lib/ routine the
 * sources under test use that this libc does not have; stubs.c provides it.
 */
#include_next <string.h>

size_t strlcpy(char *dst, const char *src, size_t size);

#endif
