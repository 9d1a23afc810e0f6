/* SPDX-License-Identifier: MIT */
/* Hypervisor console: printk with log levels, onto the serial line and a history ring. */
#ifndef XEN_LITE_CONSOLE_H
#define XEN_LITE_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Messages above this level are dropped; set from the loglvl= option. */
extern int console_loglevel;

/* Prints a hypervisor message: every line is prefixed "(XEN) " like Xen's own console. */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);
void printk_level(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...)   printk_level(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  printk_level(LOG_WARN, __VA_ARGS__)
#define log_info(...)  printk_level(LOG_INFO, __VA_ARGS__)
#define log_debug(...) printk_level(LOG_DEBUG, __VA_ARGS__)

/*
 * Writes guest console output, each line prefixed with "(dN) ".  Control characters
 * other than newline and tab are shown as '?' so a guest cannot drive the terminal.
 */
void console_guest_write(unsigned int domid, const char *buf, size_t len);

/* Reads up to len bytes of console input (non-blocking); returns the count. */
size_t console_read_input(char *buf, size_t len);

/* Copies the newest console history into buf (for a future `xl dmesg`); returns length. */
size_t console_history(char *buf, size_t len);

/* Low-level output device, provided by the arch serial driver. */
void serial_init(unsigned int port_base);
void serial_putc(char c);
int serial_getc(void);           /* -1 if nothing is waiting */
unsigned int serial_base(void);  /* the UART's port base, 0 = no serial console */
void serial_enable_rx_irq(void); /* interrupt on received data (the IRQ layer routes it) */

#endif
