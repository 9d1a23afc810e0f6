/* SPDX-License-Identifier: MIT */
/* Console: formatted output and input through the console_io hypercall. */
#ifndef PVGUEST_CONSOLE_H
#define PVGUEST_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Output is collected into a line buffer and handed to
 * HYPERVISOR_console_io(CONSOLEIO_write) at every '\n' (or when the buffer fills), so a
 * line from one domain is not interleaved with another's. Guest kernel mode only: from
 * user mode `syscall` is not a hypercall. Not re-entrant: a trap handler that prints in
 * the middle of a half-built line flushes it early, which is harmless.
 */

/* Formats like printf (see lib/format.h for the conversions). Returns the length. */
int pv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int pv_vprintf(const char *fmt, va_list ap);

/* Writes s followed by a newline, like puts(). */
void pv_puts(const char *s);

/* Writes one character / len bytes (buffered like pv_printf). */
void pv_putc(char c);
void pv_write(const char *buf, size_t len);

/* Sends any buffered, not yet newline-terminated output now (e.g. a prompt, an echo). */
void pv_flush(void);

/*
 * pv_read_console - read up to len bytes of console input (CONSOLEIO_read; the
 * hypervisor only gives input to the control domain). Returns the number of bytes read
 * (0 = nothing pending, does not block) or a negative Xen errno.
 */
long pv_read_console(char *buf, unsigned int len);

#endif /* PVGUEST_CONSOLE_H */
