/* SPDX-License-Identifier: MIT */
/* Console output (line-buffered) and input, both through the console_io hypercall. */
#include <pvguest/pvguest.h>

static char line[256];
static size_t line_len;

void pv_flush(void)
{
    if (line_len)
        HYPERVISOR_console_io(CONSOLEIO_write, (unsigned int)line_len, line);
    line_len = 0;
}

void pv_putc(char c)
{
    if (line_len == sizeof(line))
        pv_flush();
    line[line_len++] = c;
    if (c == '\n')
        pv_flush();
}

void pv_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        pv_putc(buf[i]);
}

int pv_vprintf(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    size_t len = n < 0 ? 0 : (size_t)n;

    if (len >= sizeof(buf))
        len = sizeof(buf) - 1;
    pv_write(buf, len);
    return n;
}

int pv_printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = pv_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

void pv_puts(const char *s)
{
    pv_write(s, strlen(s));
    pv_putc('\n');
}

long pv_read_console(char *buf, unsigned int len)
{
    return HYPERVISOR_console_io(CONSOLEIO_read, len, buf);
}
