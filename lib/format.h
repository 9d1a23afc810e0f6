/* SPDX-License-Identifier: MIT */
/* Freestanding formatted printing (a printf subset) shared by the hypervisor and guests. */
#ifndef XEN_LITE_LIB_FORMAT_H
#define XEN_LITE_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Supported: %d %i %u %x %X %o %p %s %c %%, flags '-' '0' '#' ' ' '+', width and precision
 * (also '*'), length modifiers hh h l ll z t j.  Output is always NUL-terminated when
 * size > 0; the return value is the length the full output would have had.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Parses an unsigned number in base 10, 16 (0x prefix) or 8 (0 prefix) when base is 0. */
unsigned long long parse_ull(const char *s, const char **end, int base);

#endif
