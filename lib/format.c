/* SPDX-License-Identifier: MIT */
/* Freestanding formatted printing (a printf subset) shared by the hypervisor and guests. */
#include <stdbool.h>
#include <stdint.h>
#include "format.h"
#include "string.h"

struct out {
    char *buf;
    size_t size;
    size_t len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_repeat(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

struct spec {
    bool left, zero, alt, space, plus;
    int width, prec;
};

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
    int len;

    if (!s)
        s = "(null)";
    len = (int)strnlen(s, sp->prec >= 0 ? (size_t)sp->prec : (size_t)-1);
    if (!sp->left)
        put_repeat(o, ' ', sp->width - len);
    for (int i = 0; i < len; i++)
        put(o, s[i]);
    if (sp->left)
        put_repeat(o, ' ', sp->width - len);
}

static void put_num(struct out *o, unsigned long long v, bool neg, int base, bool upper,
                    const struct spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0, pad, ndigits;
    const char *prefix = "";

    do {
        tmp[n++] = digits[v % (unsigned)base];
        v /= (unsigned)base;
    } while (v);
    if (sp->prec == 0 && n == 1 && tmp[0] == '0')
        n = 0;
    if (neg)
        prefix = "-";
    else if (sp->plus)
        prefix = "+";
    else if (sp->space)
        prefix = " ";
    if (sp->alt && base == 16)
        prefix = upper ? "0X" : "0x";
    else if (sp->alt && base == 8)
        prefix = "0";
    ndigits = n > sp->prec ? n : sp->prec;
    pad = sp->width - ndigits - (int)strlen(prefix);
    if (!sp->left && !(sp->zero && sp->prec < 0))
        put_repeat(o, ' ', pad);
    for (const char *p = prefix; *p; p++)
        put(o, *p);
    if (!sp->left && sp->zero && sp->prec < 0)
        put_repeat(o, '0', pad);
    put_repeat(o, '0', ndigits - n);
    while (n)
        put(o, tmp[--n]);
    if (sp->left)
        put_repeat(o, ' ', pad);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = {buf, size, 0};

    for (; *fmt; fmt++) {
        struct spec sp = {.prec = -1};
        int lng = 0; /* 0 int, 1 long, 2 long long, -1 short, -2 char */
        unsigned long long uv;
        long long sv;

        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        for (fmt++;; fmt++) {
            if (*fmt == '-')
                sp.left = true;
            else if (*fmt == '0')
                sp.zero = true;
            else if (*fmt == '#')
                sp.alt = true;
            else if (*fmt == ' ')
                sp.space = true;
            else if (*fmt == '+')
                sp.plus = true;
            else
                break;
        }
        if (*fmt == '*') {
            sp.width = va_arg(ap, int);
            if (sp.width < 0) {
                sp.left = true;
                sp.width = -sp.width;
            }
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            sp.width = sp.width * 10 + (*fmt++ - '0');
        if (*fmt == '.') {
            sp.prec = 0;
            fmt++;
            if (*fmt == '*') {
                sp.prec = va_arg(ap, int);
                fmt++;
            }
            while (*fmt >= '0' && *fmt <= '9')
                sp.prec = sp.prec * 10 + (*fmt++ - '0');
        }
        for (;; fmt++) {
            if (*fmt == 'l')
                lng = lng == 1 ? 2 : 1;
            else if (*fmt == 'h')
                lng = lng == -1 ? -2 : -1;
            else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j')
                lng = 2;
            else
                break;
        }
        switch (*fmt) {
        case 'd':
        case 'i':
            sv = lng >= 2 ? va_arg(ap, long long) : lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
            if (lng == -1)
                sv = (short)sv;
            else if (lng == -2)
                sv = (signed char)sv;
            put_num(&o, sv < 0 ? 0ULL - (unsigned long long)sv : (unsigned long long)sv, sv < 0, 10,
                    false, &sp);
            break;
        case 'u':
        case 'x':
        case 'X':
        case 'o':
            uv = lng >= 2   ? va_arg(ap, unsigned long long)
                 : lng == 1 ? va_arg(ap, unsigned long)
                            : va_arg(ap, unsigned int);
            if (lng == -1)
                uv = (unsigned short)uv;
            else if (lng == -2)
                uv = (unsigned char)uv;
            put_num(&o, uv, false, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, *fmt == 'X', &sp);
            break;
        case 'p':
            sp.alt = true;
            put_num(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, &sp);
            break;
        case 's':
            put_str(&o, va_arg(ap, const char *), &sp);
            break;
        case 'c': {
            char s[2] = {(char)va_arg(ap, int), 0};
            put_str(&o, s, &sp);
            break;
        }
        case '%':
            put(&o, '%');
            break;
        default: /* Unknown conversion: print it verbatim so the mistake is visible. */
            put(&o, '%');
            if (!*fmt)
                goto done;
            put(&o, *fmt);
        }
    }
done:
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

unsigned long long parse_ull(const char *s, const char **end, int base)
{
    unsigned long long v = 0;

    if (base == 0) {
        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
            base = 16, s += 2;
        else if (s[0] == '0' && s[1])
            base = 8, s++;
        else
            base = 10;
    }
    for (;; s++) {
        int d;

        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (*s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else if (*s >= 'A' && *s <= 'F')
            d = *s - 'A' + 10;
        else
            break;
        if (d >= base)
            break;
        v = v * (unsigned)base + (unsigned)d;
    }
    if (end)
        *end = s;
    return v;
}
