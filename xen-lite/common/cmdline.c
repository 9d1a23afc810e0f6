/* SPDX-License-Identifier: MIT */
/* Command lines: the hypervisor's own options and the boot modules' lines. */
#include <cmdline.h>

#include <format.h>
#include <public/errno.h>
#include <string.h>

/* A word: s[0..len), not NUL-terminated. */
struct word {
    const char *s;
    size_t len;
};

static char why_buf[96];

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_blanks(const char *p)
{
    while (is_blank(*p))
        p++;
    return p;
}

/* Reads the word at p (after blanks); returns where the scan stopped. */
static const char *next_word(const char *p, struct word *w)
{
    p = skip_blanks(p);
    w->s = p;
    while (*p && !is_blank(*p))
        p++;
    w->len = (size_t)(p - w->s);
    return p;
}

static bool word_is(const struct word *w, const char *lit)
{
    size_t n = strlen(lit);

    return w->len == n && memcmp(w->s, lit, n) == 0;
}

static bool has_prefix(const struct word *w, const char *lit)
{
    size_t n = strlen(lit);

    return w->len >= n && memcmp(w->s, lit, n) == 0;
}

static const char *find_char(const struct word *w, char c)
{
    for (size_t i = 0; i < w->len; i++)
        if (w->s[i] == c)
            return w->s + i;
    return NULL;
}

/* Digits of s[0..len) in decimal, or hex after 0x; *used = characters consumed. */
static int parse_digits(const char *s, size_t len, uint64_t *out, size_t *used)
{
    unsigned int base = 10;
    size_t i = 0, first;
    uint64_t v = 0;

    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    for (first = i; i < len; i++) {
        char c = s[i];
        unsigned int d;

        if (c >= '0' && c <= '9')
            d = (unsigned int)(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = (unsigned int)(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = (unsigned int)(c - 'A' + 10);
        else
            break;
        if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v))
            return -XEN_ERANGE;
    }
    if (i == first)
        return -XEN_EINVAL;
    *out = v;
    *used = i;
    return 0;
}

int cmdline_parse_uint(const char *s, size_t len, uint64_t *out)
{
    uint64_t v;
    size_t used;
    int rc = parse_digits(s, len, &v, &used);

    if (rc)
        return rc;
    if (used != len)
        return -XEN_EINVAL;
    *out = v;
    return 0;
}

int cmdline_parse_size(const char *s, size_t len, uint64_t *out)
{
    unsigned int shift = 0;
    uint64_t v;
    size_t used;
    int rc = parse_digits(s, len, &v, &used);

    if (rc)
        return rc;
    if (used + 1 == len) {
        switch (s[used]) {
        case 'B':
        case 'b':
            shift = 0;
            break;
        case 'K':
        case 'k':
            shift = 10;
            break;
        case 'M':
        case 'm':
            shift = 20;
            break;
        case 'G':
        case 'g':
            shift = 30;
            break;
        case 'T':
        case 't':
            shift = 40;
            break;
        default:
            return -XEN_EINVAL;
        }
    } else if (used != len) {
        return -XEN_EINVAL;
    }
    if (v > (UINT64_MAX >> shift))
        return -XEN_ERANGE;
    *out = v << shift;
    return 0;
}

static int parse_bool(const struct word *v, bool *out)
{
    static const char *const yes[] = {"1", "yes", "true", "on", "enable"};
    static const char *const no[] = {"0", "no", "false", "off", "disable"};

    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (word_is(v, yes[i])) {
            *out = true;
            return 0;
        }
        if (word_is(v, no[i])) {
            *out = false;
            return 0;
        }
    }
    return -XEN_EINVAL;
}

static const struct cmdline_opt *find_opt(const struct cmdline_opt *opts, int n, const char *name,
                                          size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(opts[i].name) == len && memcmp(opts[i].name, name, len) == 0)
            return &opts[i];
    return NULL;
}

/* Applies one word; -XEN_EINVAL if it names no option or its value is malformed. */
static int apply_word(const struct word *w, const struct cmdline_opt *opts, int n)
{
    const char *eq = find_char(w, '=');
    const struct cmdline_opt *o;
    struct word val;
    uint64_t num;
    bool b;

    if (!eq) {
        o = find_opt(opts, n, w->s, w->len);
        if (o && o->type == OPT_BOOL) {
            *(bool *)o->var = true;
            return 0;
        }
        if (!o && has_prefix(w, "no-")) {
            o = find_opt(opts, n, w->s + 3, w->len - 3);
            if (o && o->type == OPT_BOOL) {
                *(bool *)o->var = false;
                return 0;
            }
        }
        return -XEN_EINVAL; /* unknown, or a valued option without its value */
    }

    o = find_opt(opts, n, w->s, (size_t)(eq - w->s));
    if (!o)
        return -XEN_EINVAL;
    val.s = eq + 1;
    val.len = w->len - (size_t)(val.s - w->s);
    switch (o->type) {
    case OPT_BOOL:
        if (parse_bool(&val, &b))
            return -XEN_EINVAL;
        *(bool *)o->var = b;
        return 0;
    case OPT_UINT:
        if (cmdline_parse_uint(val.s, val.len, &num))
            return -XEN_EINVAL;
        *(uint64_t *)o->var = num;
        return 0;
    case OPT_SIZE:
        if (cmdline_parse_size(val.s, val.len, &num))
            return -XEN_EINVAL;
        *(uint64_t *)o->var = num;
        return 0;
    case OPT_STR:
        /* Truncating could turn one valid setting into another: refuse instead. */
        if (val.len >= o->len)
            return -XEN_EINVAL;
        memcpy(o->var, val.s, val.len);
        ((char *)o->var)[val.len] = '\0';
        return 0;
    }
    return -XEN_EINVAL;
}

/* Boot loaders put the image's path first; an option never looks like one. */
static bool looks_like_file(const struct word *w)
{
    return !find_char(w, '=') && (find_char(w, '/') || find_char(w, '.'));
}

int cmdline_parse(const char *cmdline, const struct cmdline_opt *opts, int n,
                  void (*unknown)(void *ctx, const char *word, size_t len), void *ctx)
{
    const char *p = cmdline ? cmdline : "";
    bool first = true;
    int rc = 0;
    struct word w;

    for (p = next_word(p, &w); w.len; p = next_word(p, &w)) {
        if (first && looks_like_file(&w)) {
            first = false;
            continue;
        }
        first = false;
        if (apply_word(&w, opts, n)) {
            rc = -XEN_EINVAL;
            if (unknown)
                unknown(ctx, w.s, w.len);
        }
    }
    return rc;
}

static bool name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

/* Hex digits of s[0..len) after an optional 0x (xl writes I/O ports in hex). */
static int parse_hex(const char *s, size_t len, uint64_t *out)
{
    char buf[24] = "0x";

    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        len -= 2;
    }
    if (len == 0 || len > sizeof(buf) - 3)
        return -XEN_EINVAL;
    memcpy(buf + 2, s, len);
    return cmdline_parse_uint(buf, len + 2, out);
}

/* The list item at p (up to the next comma or end): *item; returns where it ends. */
static const char *list_item(const char *p, const char *end, struct word *item)
{
    const char *q = p;

    while (q < end && *q != ',')
        q++;
    item->s = p;
    item->len = (size_t)(q - p);
    return q;
}

/* irqs=3,4: GSIs 1..MODULE_MAX_GSIS-1, added to out->irqs. */
static int parse_irqs(const struct word *v, struct module_args *out, const char **why)
{
    const char *p = v->s, *end = v->s + v->len, *q;
    struct word item;
    uint64_t gsi;

    for (;; p = q + 1) {
        q = list_item(p, end, &item);
        if (cmdline_parse_uint(item.s, item.len, &gsi) || gsi == 0 || gsi >= MODULE_MAX_GSIS) {
            snprintf(why_buf, sizeof(why_buf), "domU irqs= must list GSIs 1..%d, e.g. irqs=3,4",
                     MODULE_MAX_GSIS - 1);
            *why = why_buf;
            return -XEN_EINVAL;
        }
        out->irqs[gsi / 64] |= 1ULL << (gsi % 64);
        if (q == end)
            return 0;
    }
}

/* One ioports= item, START or START-END in hex; false if malformed or backward. */
static bool parse_port_range(const struct word *item, uint64_t *first, uint64_t *last)
{
    const char *dash = find_char(item, '-');
    size_t first_len = dash ? (size_t)(dash - item->s) : item->len;

    if (parse_hex(item->s, first_len, first))
        return false;
    *last = *first;
    if (dash && parse_hex(dash + 1, item->len - first_len - 1, last))
        return false;
    return *first <= *last && *last <= 0xffff;
}

/* ioports=2f8-2ff,3e8: hex ranges, appended to out->ioports. */
static int parse_ioports(const struct word *v, struct module_args *out, const char **why)
{
    const char *p = v->s, *end = v->s + v->len, *q;
    struct word item;
    uint64_t first, last;

    for (;; p = q + 1) {
        q = list_item(p, end, &item);
        if (!parse_port_range(&item, &first, &last)) {
            *why = "domU ioports= must list hex ranges START[-END] up to ffff, e.g. "
                   "ioports=2f8-2ff";
            return -XEN_EINVAL;
        }
        if (out->nr_ioports == MODULE_MAX_IOPORT_RANGES) {
            snprintf(why_buf, sizeof(why_buf), "domU ioports=: more than %d ranges",
                     MODULE_MAX_IOPORT_RANGES);
            *why = why_buf;
            return -XEN_EINVAL;
        }
        out->ioports[out->nr_ioports].first = (uint16_t)first;
        out->ioports[out->nr_ioports].last = (uint16_t)last;
        out->nr_ioports++;
        if (q == end)
            return 0;
    }
}

/* Hypervisor-side domU option; 1 = not one of ours (the guest's line starts here). */
static int module_opt(const struct word *w, struct module_args *out, const char **why)
{
    struct word v;
    uint64_t num;

    if (has_prefix(w, "name=")) {
        v.s = w->s + 5;
        v.len = w->len - 5;
        if (v.len == 0 || v.len >= sizeof(out->name)) {
            *why = "domU name= must be 1..31 characters";
            return -XEN_EINVAL;
        }
        for (size_t i = 0; i < v.len; i++) {
            if (!name_char_ok(v.s[i])) {
                *why = "domU name= may only use letters, digits, '_', '.' and '-'";
                return -XEN_EINVAL;
            }
        }
        memcpy(out->name, v.s, v.len);
        out->name[v.len] = '\0';
        return 0;
    }
    if (has_prefix(w, "mem=")) {
        if (cmdline_parse_size(w->s + 4, w->len - 4, &num) || num == 0) {
            snprintf(why_buf, sizeof(why_buf), "domU mem=: bad size '%.*s'",
                     (int)(w->len - 4 > 40 ? 40 : w->len - 4), w->s + 4);
            *why = why_buf;
            return -XEN_EINVAL;
        }
        out->mem_bytes = num;
        return 0;
    }
    if (has_prefix(w, "vcpus=")) {
        if (cmdline_parse_uint(w->s + 6, w->len - 6, &num) || num == 0 || num > MODULE_MAX_VCPUS) {
            snprintf(why_buf, sizeof(why_buf), "domU vcpus= must be 1..%d", MODULE_MAX_VCPUS);
            *why = why_buf;
            return -XEN_EINVAL;
        }
        out->vcpus = (unsigned int)num;
        return 0;
    }
    if (has_prefix(w, "weight=")) {
        if (cmdline_parse_uint(w->s + 7, w->len - 7, &num) || num == 0 || num > MODULE_MAX_WEIGHT) {
            snprintf(why_buf, sizeof(why_buf), "domU weight= must be 1..%d", MODULE_MAX_WEIGHT);
            *why = why_buf;
            return -XEN_EINVAL;
        }
        out->weight = (unsigned int)num;
        return 0;
    }
    if (has_prefix(w, "cap=")) {
        if (cmdline_parse_uint(w->s + 4, w->len - 4, &num) || num > MODULE_MAX_CAP) {
            snprintf(why_buf, sizeof(why_buf),
                     "domU cap= must be 0..%d (%% of one CPU, 0 = no cap)", MODULE_MAX_CAP);
            *why = why_buf;
            return -XEN_EINVAL;
        }
        out->cap = (unsigned int)num;
        return 0;
    }
    if (has_prefix(w, "irqs=")) {
        v.s = w->s + 5;
        v.len = w->len - 5;
        return parse_irqs(&v, out, why);
    }
    if (has_prefix(w, "ioports=")) {
        v.s = w->s + 8;
        v.len = w->len - 8;
        return parse_ioports(&v, out, why);
    }
    return 1;
}

int module_args_parse(const char *modline, struct module_args *out, const char **why)
{
    const char *p = modline ? modline : "", *after, *end;
    struct word w;
    size_t len;
    int rc;

    memset(out, 0, sizeof(*out));
    p = next_word(p, &w); /* the file name */
    after = next_word(p, &w);
    if (word_is(&w, "domU")) {
        out->is_domu = true;
        p = after;
        for (;;) {
            after = next_word(p, &w);
            if (w.len == 0)
                break;
            if (word_is(&w, "--")) {
                p = after;
                break;
            }
            rc = module_opt(&w, out, why);
            if (rc < 0)
                return rc;
            if (rc > 0)
                break; /* the guest's own line starts with this word */
            p = after;
        }
    }

    p = skip_blanks(p);
    end = p + strlen(p);
    while (end > p && is_blank(end[-1]))
        end--;
    len = (size_t)(end - p);
    if (len >= sizeof(out->guest_cmdline)) {
        snprintf(why_buf, sizeof(why_buf), "guest command line too long: %zu characters, max %zu",
                 len, sizeof(out->guest_cmdline) - 1);
        *why = why_buf;
        return -XEN_E2BIG;
    }
    memcpy(out->guest_cmdline, p, len);
    out->guest_cmdline[len] = '\0';
    return 0;
}
