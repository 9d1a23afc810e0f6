/* SPDX-License-Identifier: MIT */
/* Unit tests for command-line parsing (xen-lite/common/cmdline.c). */
#include <cmdline.h>
#include <criterion/criterion.h>
#include <public/errno.h>
#include <stdio.h>
#include <string.h>

/* The option table under test, and the words handed to the unknown callback. */
static bool flag, other;
static uint64_t count, mem;
static char console[16];

static const struct cmdline_opt opts[] = {
    {"flag", OPT_BOOL, &flag, 0},
    {"other", OPT_BOOL, &other, 0},
    {"count", OPT_UINT, &count, 0},
    {"dom0_mem", OPT_SIZE, &mem, 0},
    {"console", OPT_STR, console, sizeof(console)},
};
#define NOPTS ((int)(sizeof(opts) / sizeof(opts[0])))

struct seen {
    int n;
    char words[8][64];
};

static void collect(void *ctx, const char *word, size_t len)
{
    struct seen *s = ctx;

    if (s->n < 8) {
        cr_assert_lt(len, sizeof(s->words[0]));
        memcpy(s->words[s->n], word, len);
        s->words[s->n][len] = '\0';
    }
    s->n++;
}

static void reset(void)
{
    flag = false;
    other = true;
    count = 7;
    mem = 7;
    strcpy(console, "vga");
}

static int run(const char *line, struct seen *s)
{
    memset(s, 0, sizeof(*s));
    reset();
    return cmdline_parse(line, opts, NOPTS, collect, s);
}

Test(cmdline, all_types)
{
    struct seen s;

    cr_assert_eq(run("flag no-other count=42 dom0_mem=64M console=com1", &s), 0);
    cr_expect_eq(s.n, 0);
    cr_expect(flag);
    cr_expect_not(other);
    cr_expect_eq(count, 42);
    cr_expect_eq(mem, 64ULL << 20);
    cr_expect_str_eq(console, "com1");
}

Test(cmdline, bool_forms)
{
    static const struct {
        const char *line;
        bool flag, ok; /* one line per scenario */
    } cases[] = {
        {"flag", true, true},
        {"no-flag", false, true},
        {"flag=1", true, true},
        {"flag=0", false, true},
        {"flag=yes", true, true},
        {"flag=no", false, true},
        {"flag=true", true, true},
        {"flag=false", false, true},
        {"flag=on", true, true},
        {"flag=off", false, true},
        {"flag=enable", true, true},
        {"flag=disable", false, true},
        /* malformed: the variable keeps its value (false) */
        {"flag=maybe", false, false},
        {"flag=", false, false},
        {"flag=YES", false, false},
        {"no-flag=1", false, false},
        {"no-", false, false},
        {"noflag", false, false},
        /* last word wins */
        {"flag no-flag", false, true},
        {"no-flag flag=on", true, true},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct seen s;
        int rc = run(cases[i].line, &s);

        cr_expect_eq(rc, cases[i].ok ? 0 : -XEN_EINVAL, "'%s'", cases[i].line);
        cr_expect_eq(flag, cases[i].flag, "'%s'", cases[i].line);
        cr_expect_eq(s.n, cases[i].ok ? 0 : 1, "'%s'", cases[i].line);
    }
}

Test(cmdline, numbers)
{
    static const struct {
        const char *line;
        uint64_t count, mem; /* 7 = untouched */
        bool ok;
    } cases[] = {
        {"count=0", 0, 7, true},
        {"count=0x2a", 42, 7, true},
        {"count=0X2A", 42, 7, true},
        {"count=007", 7, 7, true}, /* leading zeros are decimal, not octal */
        {"count=18446744073709551615", UINT64_MAX, 7, true},
        {"count=0xffffffffffffffff", UINT64_MAX, 7, true},
        /* overflow, garbage, missing digits, a suffix on a plain number */
        {"count=18446744073709551616", 7, 7, false},
        {"count=0x10000000000000000", 7, 7, false},
        {"count=12abc", 7, 7, false},
        {"count=", 7, 7, false},
        {"count=0x", 7, 7, false},
        {"count=-1", 7, 7, false},
        {"count=4K", 7, 7, false},
        {"count", 7, 7, false},
        /* sizes: suffixes in either case, plain bytes, B */
        {"dom0_mem=4096", 7, 4096, true},
        {"dom0_mem=4096B", 7, 4096, true},
        {"dom0_mem=512k", 7, 512ULL << 10, true},
        {"dom0_mem=512K", 7, 512ULL << 10, true},
        {"dom0_mem=64m", 7, 64ULL << 20, true},
        {"dom0_mem=1G", 7, 1ULL << 30, true},
        {"dom0_mem=2T", 7, 2ULL << 40, true},
        {"dom0_mem=0x1000K", 7, 0x1000ULL << 10, true},
        {"dom0_mem=16777215T", 7, 16777215ULL << 40, true},
        /* bad sizes */
        {"dom0_mem=16777216T", 7, 7, false},
        {"dom0_mem=16Q", 7, 7, false},
        {"dom0_mem=M", 7, 7, false},
        {"dom0_mem=1MB", 7, 7, false},
        {"dom0_mem=1.5G", 7, 7, false},
        {"dom0_mem", 7, 7, false},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct seen s;
        int rc = run(cases[i].line, &s);

        cr_expect_eq(rc, cases[i].ok ? 0 : -XEN_EINVAL, "'%s'", cases[i].line);
        cr_expect_eq(count, cases[i].count, "'%s': count %lu", cases[i].line, (unsigned long)count);
        cr_expect_eq(mem, cases[i].mem, "'%s': mem %lu", cases[i].line, (unsigned long)mem);
    }
}

Test(cmdline, parse_helpers_direct)
{
    uint64_t v = 0;

    /* Lengths are honoured: the bytes after len are never read. */
    cr_expect_eq(cmdline_parse_size("64Mxyz", 3, &v), 0);
    cr_expect_eq(v, 64ULL << 20);
    cr_expect_eq(cmdline_parse_uint("123456", 2, &v), 0);
    cr_expect_eq(v, 12);
    cr_expect_eq(cmdline_parse_uint("", 0, &v), -XEN_EINVAL);
    cr_expect_eq(cmdline_parse_uint("99999999999999999999", 20, &v), -XEN_ERANGE);
    cr_expect_eq(cmdline_parse_size("20000000T", 9, &v), -XEN_ERANGE);
}

Test(cmdline, strings)
{
    struct seen s;

    cr_expect_eq(run("console=com1,115200n8", &s), 0);
    cr_expect_str_eq(console, "com1,115200n8");
    /* Empty is a value. */
    cr_expect_eq(run("console=", &s), 0);
    cr_expect_str_eq(console, "");
    /* 15 characters fit a 16-byte buffer; 16 do not and are refused, not truncated. */
    cr_expect_eq(run("console=abcdefghijklmno", &s), 0);
    cr_expect_str_eq(console, "abcdefghijklmno");
    cr_expect_eq(run("console=abcdefghijklmnop", &s), -XEN_EINVAL);
    cr_expect_str_eq(console, "vga");
    cr_expect_eq(s.n, 1);
    /* A value may itself contain '='. */
    cr_expect_eq(run("console=a=b", &s), 0);
    cr_expect_str_eq(console, "a=b");
    /* A string option needs its '='. */
    cr_expect_eq(run("console", &s), -XEN_EINVAL);
}

Test(cmdline, unknown_words_reported)
{
    struct seen s;

    cr_expect_eq(run("loglvl=all flag bogus count=x  nosmp  console=com2", &s), -XEN_EINVAL);
    /* The good words are still applied. */
    cr_expect(flag);
    cr_expect_str_eq(console, "com2");
    cr_expect_eq(s.n, 4);
    cr_expect_str_eq(s.words[0], "loglvl=all");
    cr_expect_str_eq(s.words[1], "bogus");
    cr_expect_str_eq(s.words[2], "count=x");
    cr_expect_str_eq(s.words[3], "nosmp");
    /* Names match exactly, not by prefix. */
    cr_expect_eq(run("fla flags count2=1 dom0=1", &s), -XEN_EINVAL);
    cr_expect_eq(s.n, 4);
    /* No callback: still an error return. */
    reset();
    cr_expect_eq(cmdline_parse("bogus", opts, NOPTS, NULL, NULL), -XEN_EINVAL);
}

Test(cmdline, file_name_skipping)
{
    static const struct {
        const char *line;
        int unknown;       /* words reported */
        const char *first; /* first reported word, if any */
        bool flag;
    } cases[] = {
        /* a path first: skipped */
        {"/boot/xen-lite.gz flag", 0, NULL, true},
        /* a file name with an extension: skipped */
        {"xen-lite.elf flag", 0, NULL, true},
        /* the first word is an option: kept */
        {"flag console=com1", 0, NULL, true},
        /* a bare word that is no option and no path: reported */
        {"xen-lite flag", 1, "xen-lite", true},
        /* '=' means option, even with a '/' in it */
        {"console=/dev/x flag", 0, NULL, true},
        /* only the first word is ever skipped */
        {"flag /boot/x", 1, "/boot/x", true},
        {"/a /b", 1, "/b", false},
        /* leading blanks do not change which word is first */
        {"   \t/boot/xen  flag ", 0, NULL, true},
        /* empty and blank lines, and NULL */
        {"", 0, NULL, false},
        {" \t\r\n ", 0, NULL, false},
        {NULL, 0, NULL, false},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct seen s;
        int rc = run(cases[i].line, &s);

        cr_expect_eq(rc, cases[i].unknown ? -XEN_EINVAL : 0, "case %zu", i);
        cr_expect_eq(s.n, cases[i].unknown, "case %zu", i);
        if (cases[i].first)
            cr_expect_str_eq(s.words[0], cases[i].first, "case %zu", i);
        cr_expect_eq(flag, cases[i].flag, "case %zu", i);
    }
}

/* ---- boot module lines ---- */

static struct module_args mod_ok(const char *line)
{
    struct module_args m;
    const char *why = NULL;

    cr_assert_eq(module_args_parse(line, &m, &why), 0, "'%s' refused: %s", line, why);
    return m;
}

Test(cmdline, module_lines)
{
    static const struct {
        const char *line;
        bool domu;
        const char *name;
        uint64_t mem;
        unsigned vcpus;
        const char *guest; /* one line per scenario */
    } cases[] = {
        /* just a file: dom0 kernel without arguments */
        {"/boot/vmlinuz", false, "", 0, 0, ""},
        /* dom0 kernel with its own arguments */
        {"/boot/vmlinuz root=/dev/xvda1 console=hvc0", false, "", 0, 0,
         "root=/dev/xvda1 console=hvc0"},
        /* without domU, name=/mem=/-- belong to the guest */
        {"k mem=5M -- x", false, "", 0, 0, "mem=5M -- x"},
        /* domU with every option and '--' */
        {"/boot/web.elf domU name=web mem=128M vcpus=2 -- quiet loglevel=3", true, "web",
         128ULL << 20, 2, "quiet loglevel=3"},
        /* options end at the first word that is not one */
        {"k domU name=db console=hvc0 mem=1M", true, "db", 0, 0, "console=hvc0 mem=1M"},
        /* '--' lets the guest line start with an option-looking word */
        {"k domU -- mem=5", true, "", 0, 0, "mem=5"},
        /* domU and nothing else */
        {"k domU", true, "", 0, 0, ""},
        {"k domU --", true, "", 0, 0, ""},
        /* later options override earlier ones */
        {"k domU vcpus=1 vcpus=4", true, "", 0, 4, ""},
        /* 'domU' must be the exact word, right after the file name */
        {"k domUx a", false, "", 0, 0, "domUx a"},
        {"k DOMU a", false, "", 0, 0, "DOMU a"},
        {"k a domU", false, "", 0, 0, "a domU"},
        /* a second '--' belongs to the guest */
        {"k domU -- a -- b", true, "", 0, 0, "a -- b"},
        /* blanks around the guest line go; inside it they stay */
        {"  k \t domU  name=x   --   a   b  \n", true, "x", 0, 0, "a   b"},
        /* empty and NULL lines */
        {"", false, "", 0, 0, ""},
        {NULL, false, "", 0, 0, ""},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct module_args m = mod_ok(cases[i].line);

        cr_expect_eq(m.is_domu, cases[i].domu, "case %zu", i);
        cr_expect_str_eq(m.name, cases[i].name, "case %zu", i);
        cr_expect_eq(m.mem_bytes, cases[i].mem, "case %zu", i);
        cr_expect_eq(m.vcpus, cases[i].vcpus, "case %zu", i);
        cr_expect_str_eq(m.guest_cmdline, cases[i].guest, "case %zu: '%s'", i, m.guest_cmdline);
    }
}

Test(cmdline, module_refusals)
{
    static const struct {
        const char *line, *why; /* one line per scenario */
    } cases[] = {
        {"k domU name=", "name= must be 1..31"},
        {"k domU name=abcdefghijklmnopqrstuvwxyz012345", "name= must be 1..31"},
        {"k domU name=a/b", "may only use"},
        {"k domU name=a\x01", "may only use"},
        {"k domU mem=0", "bad size '0'"},
        {"k domU mem=lots", "bad size 'lots'"},
        {"k domU mem=", "bad size ''"},
        {"k domU vcpus=0", "vcpus= must be 1..32"},
        {"k domU vcpus=33", "vcpus= must be 1..32"},
        {"k domU vcpus=two", "vcpus= must be 1..32"},
        {"k domU vcpus=99999999999999999999999", "vcpus= must be 1..32"},
        {"k domU weight=0", "weight= must be 1..65535"},
        {"k domU weight=65536", "weight= must be 1..65535"},
        {"k domU weight=", "weight= must be 1..65535"},
        {"k domU cap=3201", "cap= must be 0..3200"},
        {"k domU cap=-1", "cap= must be 0..3200"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct module_args m;
        const char *why = NULL;

        cr_expect_eq(module_args_parse(cases[i].line, &m, &why), -XEN_EINVAL, "case %zu", i);
        cr_expect(why && strstr(why, cases[i].why), "case %zu: want '%s', got '%s'", i,
                  cases[i].why, why ? why : "(null)");
    }
    /* Scheduler parameters. */
    struct module_args s = mod_ok("k domU weight=512 cap=50 -- x");
    cr_expect_eq(s.weight, 512);
    cr_expect_eq(s.cap, 50);
    cr_expect_str_eq(s.guest_cmdline, "x");
    /* 31 characters is the longest name. */
    struct module_args m = mod_ok("k domU name=abcdefghijklmnopqrstuvwxyz01234");
    cr_expect_eq(strlen(m.name), 31);
}

/* irqs= and ioports=, as xl's: GSIs in decimal, port ranges in hex; lists and repeats add up. */
Test(cmdline, module_irqs_and_ioports)
{
    struct module_args m = mod_ok("k domU irqs=3,4 irqs=255 ioports=2f8-2ff,0x3E8 "
                                  "ioports=0X10-0x1F -- irqs=5");

    cr_expect_eq(m.irqs[0], (1ULL << 3) | (1ULL << 4));
    cr_expect_eq(m.irqs[1] | m.irqs[2], 0);
    cr_expect_eq(m.irqs[3], 1ULL << 63, "GSI 255");
    cr_expect_eq(m.nr_ioports, 3);
    cr_expect_eq(m.ioports[0].first, 0x2f8);
    cr_expect_eq(m.ioports[0].last, 0x2ff);
    cr_expect_eq(m.ioports[1].first, 0x3e8, "a single port");
    cr_expect_eq(m.ioports[1].last, 0x3e8);
    cr_expect_eq(m.ioports[2].first, 0x10);
    cr_expect_eq(m.ioports[2].last, 0x1f);
    cr_expect_str_eq(m.guest_cmdline, "irqs=5", "after -- it is the guest's");
    m = mod_ok("k domU ioports=0-ffff");
    cr_expect_eq(m.ioports[0].last, 0xffff);
    m = mod_ok("k irqs=3");
    cr_expect_eq(m.irqs[0], 0, "dom0's line is all the guest's");
    cr_expect_str_eq(m.guest_cmdline, "irqs=3");

    static const char *const bad_irqs[] = {
        "k domU irqs=",   "k domU irqs=0",    "k domU irqs=256", "k domU irqs=3,",
        "k domU irqs=,3", "k domU irqs=3,,4", "k domU irqs=x",   "k domU irqs=0x3z",
    };
    static const char *const bad_ports[] = {
        "k domU ioports=",        "k domU ioports=2ff-2f8", "k domU ioports=10000",
        "k domU ioports=0-10000", "k domU ioports=2f8-",    "k domU ioports=-2ff",
        "k domU ioports=2f8,",    "k domU ioports=0x",      "k domU ioports=g",
        "k domU ioports=1-2-3",
    };
    const char *why = NULL;

    for (size_t i = 0; i < sizeof(bad_irqs) / sizeof(bad_irqs[0]); i++) {
        cr_expect_eq(module_args_parse(bad_irqs[i], &m, &why), -XEN_EINVAL, "%s", bad_irqs[i]);
        cr_expect(why && strstr(why, "irqs= must list GSIs 1..255"), "%s: %s", bad_irqs[i], why);
    }
    for (size_t i = 0; i < sizeof(bad_ports) / sizeof(bad_ports[0]); i++) {
        cr_expect_eq(module_args_parse(bad_ports[i], &m, &why), -XEN_EINVAL, "%s", bad_ports[i]);
        cr_expect(why && strstr(why, "ioports= must list hex ranges"), "%s: %s", bad_ports[i], why);
    }
    /* At most MODULE_MAX_IOPORT_RANGES ranges in all. */
    char line[400] = "k domU";
    for (int i = 0; i <= MODULE_MAX_IOPORT_RANGES; i++)
        snprintf(line + strlen(line), sizeof(line) - strlen(line), " ioports=%x", 0x100 + i);
    cr_expect_eq(module_args_parse(line, &m, &why), -XEN_EINVAL);
    cr_expect(why && strstr(why, "more than 16 ranges"), "%s", why);
    line[strlen(line) - 12] = '\0'; /* one fewer */
    m = mod_ok(line);
    cr_expect_eq(m.nr_ioports, MODULE_MAX_IOPORT_RANGES);
}

Test(cmdline, module_guest_line_length)
{
    static char line[2100], guest[1100];
    struct module_args m;
    const char *why = NULL;

    /* 1023 characters: the most start_info.cmd_line holds. */
    memset(guest, 'g', 1023);
    guest[1023] = '\0';
    snprintf(line, sizeof(line), "/boot/k domU name=a -- %s   ", guest);
    m = mod_ok(line);
    cr_expect_eq(strlen(m.guest_cmdline), 1023);
    cr_expect_eq(m.guest_cmdline[0], 'g');

    /* 1024 characters: refused, with the numbers. */
    strcat(guest, "h");
    snprintf(line, sizeof(line), "/boot/k %s", guest);
    cr_expect_eq(module_args_parse(line, &m, &why), -XEN_E2BIG);
    cr_expect(why && strstr(why, "guest command line too long: 1024 characters, max 1023"),
              "why: %s", why);
}
