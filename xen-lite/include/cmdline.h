/* SPDX-License-Identifier: MIT */
/* Command lines: the hypervisor's own options and the boot modules' lines. */
#ifndef XEN_LITE_CMDLINE_H
#define XEN_LITE_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Hypervisor command line
 * -----------------------
 * Words separated by blanks (space, tab, CR, LF); no quoting. Each word is
 * `name` or `name=value`. The boot loader's first word is the image's file
 * name: it is skipped when it has no '=' and contains '/' or '.'.
 * Numbers are decimal or 0x-prefixed hex. Value syntax per type:
 *   OPT_BOOL  `name`, `no-name`, `name=` 1/0, yes/no, true/false, on/off,
 *             enable/disable           var: bool *
 *   OPT_UINT  `name=N`                 var: uint64_t *
 *   OPT_SIZE  `name=N[K|M|G|T]` (binary units, either case; no suffix or
 *             B = bytes -- unlike Xen, whose dom0_mem defaults to KiB)
 *                                      var: uint64_t *
 *   OPT_STR   `name=text` (may be empty) var: char[len], len includes the NUL;
 *             a value that does not fit is refused, not truncated
 * A later word overrides an earlier one. A malformed value leaves the
 * variable untouched.
 */
enum cmdline_opt_type { OPT_BOOL, OPT_UINT, OPT_SIZE, OPT_STR };

struct cmdline_opt {
    const char *name;
    enum cmdline_opt_type type;
    void *var;
    size_t len; /* OPT_STR only: size of the buffer at var */
};

/*
 * cmdline_parse - apply cmdline to the n options in opts.
 * unknown(ctx, word, len), if not NULL, is called for each word that names
 * no option or carries a malformed value (word is not NUL-terminated).
 * Returns 0 if every word was applied, else -XEN_EINVAL; the good words are
 * applied either way. A NULL cmdline is an empty one.
 */
int cmdline_parse(const char *cmdline, const struct cmdline_opt *opts, int n,
                  void (*unknown)(void *ctx, const char *word, size_t len), void *ctx);

/*
 * cmdline_parse_size - parse s[0..len) as N[K|M|G|T|B] (see above) into *out.
 * Returns 0, or -XEN_EINVAL (syntax) / -XEN_ERANGE (does not fit 64 bits).
 */
int cmdline_parse_size(const char *s, size_t len, uint64_t *out);

/* cmdline_parse_uint - parse s[0..len) as decimal or 0x hex; errors as above. */
int cmdline_parse_uint(const char *s, size_t len, uint64_t *out);

/*
 * Boot module command line
 * ------------------------
 *   FILE [domU [name=NAME] [mem=SIZE] [vcpus=N] [weight=W] [cap=C] [irqs=GSIS]
 *              [ioports=RANGES] [--]] [GUEST ARGS...]
 * FILE is the file name the boot loader puts first; it is dropped. If the
 * next word is exactly `domU`, the module is a domU to start at boot and the
 * words after it are hypervisor-side options, read up to the first word that
 * is not one of them; a `--` ends them explicitly (write it when the guest's
 * own line starts with something like `mem=`). Whatever follows is the
 * guest's command line (start_info.cmd_line), leading and trailing blanks
 * removed. Without `domU` everything after FILE is the guest's line.
 *   NAME   1..31 characters from [A-Za-z0-9_.-]
 *   SIZE   as OPT_SIZE, > 0
 *   N      1..MODULE_MAX_VCPUS
 *   W      scheduler weight 1..MODULE_MAX_WEIGHT (default 256)
 *   C      scheduler cap in % of one CPU, 0..MODULE_MAX_CAP (0 = none, the default)
 *   GSIS   physical interrupt lines the domU may map and bind, as xl's irqs=: decimal
 *          GSI numbers 1..MODULE_MAX_GSIS-1 separated by commas (`irqs=3,4`); the option
 *          may be repeated (`irqs=3 irqs=4`: QEMU's -initrd cannot pass a comma)
 *   RANGES I/O ports the domU may access, as xl's ioports=: START or START-END in hex
 *          (0x optional, `ioports=2f8-2ff` = `ioports=0x2f8-0x2ff`), START <= END <= ffff,
 *          separated by commas or in repeated options, MODULE_MAX_IOPORT_RANGES in all
 */
#define MODULE_NAME_LEN          32
#define MODULE_CMDLINE_LEN       1024 /* start_info.cmd_line: 1023 characters + NUL */
#define MODULE_MAX_VCPUS         32   /* vcpu_info slots in shared_info */
#define MODULE_MAX_WEIGHT        65535
#define MODULE_MAX_CAP           3200 /* 32 vCPUs at 100% each */
#define MODULE_MAX_GSIS          256  /* GSIs 0..255 (the IRQ layer's IRQ_NR_GSIS) */
#define MODULE_MAX_IOPORT_RANGES 16

struct module_args {
    bool is_domu;
    char name[MODULE_NAME_LEN];          /* "" = let the builder choose */
    uint64_t mem_bytes;                  /* 0 = default */
    unsigned int vcpus;                  /* 0 = default */
    unsigned int weight;                 /* 0 = default */
    unsigned int cap;                    /* 0 = none */
    uint64_t irqs[MODULE_MAX_GSIS / 64]; /* irqs=: bit per GSI */
    struct {
        uint16_t first, last;            /* inclusive */
    } ioports[MODULE_MAX_IOPORT_RANGES]; /* ioports=, in the order given */
    unsigned int nr_ioports;
    char guest_cmdline[MODULE_CMDLINE_LEN]; /* NUL-terminated */
};

/*
 * module_args_parse - split a boot module's command line (NULL = empty).
 * Returns 0 with *out filled, or -XEN_EINVAL / -XEN_E2BIG (guest line longer
 * than 1023 characters) with *why set and *out unspecified. *why may point at
 * a static buffer overwritten by the next failing call (boot is single-threaded).
 */
int module_args_parse(const char *modline, struct module_args *out, const char **why);

#endif /* XEN_LITE_CMDLINE_H */
