/* SPDX-License-Identifier: MIT */
/* Hypervisor console: printk with log levels, onto the serial line and a history ring. */
#include <stdbool.h>
#include <format.h>
#include <string.h>
#include <console.h>

int console_loglevel = LOG_INFO;

#define HISTORY_SIZE 16384
static char history[HISTORY_SIZE];
static size_t history_head; /* total bytes ever written */
static bool at_line_start = true;

static void emit(char c)
{
    history[history_head++ % HISTORY_SIZE] = c;
    if (c == '\n')
        serial_putc('\r');
    serial_putc(c);
}

static void emit_line_text(const char *prefix, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (at_line_start) {
            for (const char *p = prefix; *p; p++)
                emit(*p);
            at_line_start = false;
        }
        emit(s[i]);
        if (s[i] == '\n')
            at_line_start = true;
    }
}

void vprintk(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    if (n > (int)sizeof(buf) - 1)
        n = sizeof(buf) - 1;
    emit_line_text("(XEN) ", buf, (size_t)n);
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void printk_level(enum log_level lvl, const char *fmt, ...)
{
    va_list ap;

    if ((int)lvl > console_loglevel)
        return;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void console_guest_write(unsigned int domid, const char *buf, size_t len)
{
    char prefix[16];

    snprintf(prefix, sizeof(prefix), "(d%u) ", domid);
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];

        if (c == '\r')
            continue;
        if ((unsigned char)c < 0x20 && c != '\n' && c != '\t')
            c = '?';
        emit_line_text(prefix, &c, 1);
    }
}

size_t console_read_input(char *buf, size_t len)
{
    size_t n = 0;
    int c;

    while (n < len && (c = serial_getc()) >= 0)
        buf[n++] = (char)c;
    return n;
}

size_t console_history(char *buf, size_t len)
{
    size_t avail = history_head < HISTORY_SIZE ? history_head : HISTORY_SIZE;
    size_t n = avail < len ? avail : len;
    size_t start = history_head - n;

    for (size_t i = 0; i < n; i++)
        buf[i] = history[(start + i) % HISTORY_SIZE];
    return n;
}
