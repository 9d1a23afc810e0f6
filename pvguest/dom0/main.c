/* SPDX-License-Identifier: MIT */
/*
 * dom0: the interim control domain until the toolstack exists. Prints a banner with the
 * start_info facts, then runs a small line-editing shell on the hypervisor console
 * (input via CONSOLEIO_read, which only the control domain may use).  It sleeps until
 * VIRQ_CONSOLE says input arrived (docs/irq.md), polling now and then in case the
 * hypervisor cannot raise it (no IO-APIC).
 */
#include <pvguest/events.h>
#include <pvguest/physdev.h>

#define LINE_MAX     128
#define POLL_NS      10000000ULL /* sleep 10 ms between console polls... */
#define VIRQ_POLL_MS 1000        /* ...or up to 1 s, woken by VIRQ_CONSOLE */

static uint32_t console_port; /* VIRQ_CONSOLE, masked: we poll on it; 0 = not bound */

struct command {
    const char *name;
    void (*fn)(void);
    const char *summary;
};

static void cmd_help(void);
static void cmd_info(void);
static void cmd_poweroff(void);
static void cmd_reboot(void);
static void cmd_crash(void);

static const struct command commands[] = {
    {"help", cmd_help, "list the commands"},
    {"info", cmd_info, "start_info facts and the hypervisor version"},
    {"poweroff", cmd_poweroff, "shut dom0 (and with it the machine) down"},
    {"reboot", cmd_reboot, "shut dom0 down asking for a reboot"},
    {"crash", cmd_crash, "crash dom0 on purpose (SHUTDOWN_crash)"},
};

static void print_start_info(void)
{
    const struct start_info *si = pv_start_info;

    pv_printf("  memory:       %lu pages (%lu MiB)\n", (unsigned long)si->nr_pages,
              (unsigned long)(si->nr_pages * PV_PAGE_SIZE >> 20));
    pv_printf("  command line: \"%.1024s\"\n", si->cmd_line);
}

static void cmd_help(void)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(commands); i++)
        pv_printf("  %-10s %s\n", commands[i].name, commands[i].summary);
}

static void cmd_info(void)
{
    const struct start_info *si = pv_start_info;
    static char extra[XEN_EXTRAVERSION_LEN + 1];
    static char caps[XEN_CAPABILITIES_INFO_LEN + 1];
    long ver = HYPERVISOR_xen_version(XENVER_version, NULL);
    long rc_extra = HYPERVISOR_xen_version(XENVER_extraversion, extra);
    long rc_caps = HYPERVISOR_xen_version(XENVER_capabilities, caps);

    pv_printf("start_info (magic \"%.32s\"):\n", si->magic);
    print_start_info();
    pv_printf("  flags:        %#x%s%s\n", si->flags,
              si->flags & SIF_PRIVILEGED ? " privileged" : "",
              si->flags & SIF_INITDOMAIN ? " initdomain" : "");
    pv_printf("  shared_info:  maddr %#lx\n", (unsigned long)si->shared_info);
    pv_printf("  page tables:  L4 at %#lx, %lu frames\n", (unsigned long)si->pt_base,
              (unsigned long)si->nr_pt_frames);
    pv_printf("  p2m list:     %#lx\n", (unsigned long)si->mfn_list);
    pv_printf("  xenstore:     mfn %#lx evtchn %u\n", (unsigned long)si->store_mfn,
              si->store_evtchn);
    pv_printf("  modules:      start %#lx len %lu\n", (unsigned long)si->mod_start,
              (unsigned long)si->mod_len);
    if (ver < 0)
        pv_printf("hypervisor: xen_version failed: %ld (%s)\n", ver, xen_errno_name((int)ver));
    else
        pv_printf("hypervisor: version %ld.%ld%s\n", ver >> 16, ver & 0xffff,
                  rc_extra == 0 ? extra : "");
    if (rc_caps == 0)
        pv_printf("capabilities: %s\n", caps);
}

static void cmd_poweroff(void)
{
    pv_puts("powering off");
    pv_shutdown(SHUTDOWN_poweroff);
}

static void cmd_reboot(void)
{
    pv_puts("rebooting");
    pv_shutdown(SHUTDOWN_reboot);
}

static void cmd_crash(void)
{
    pv_puts("crashing on request");
    pv_shutdown(SHUTDOWN_crash);
}

static void run_command(char *line)
{
    char *start = line, *end;

    while (*start == ' ' || *start == '\t')
        start++;
    end = start + strlen(start);
    while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    if (!*start)
        return;
    for (unsigned int i = 0; i < ARRAY_SIZE(commands); i++)
        if (strcmp(start, commands[i].name) == 0) {
            commands[i].fn();
            return;
        }
    pv_printf("unknown command \"%s\" (try help)\n", start);
}

static void prompt(void)
{
    pv_write("dom0> ", 6);
    pv_flush();
}

/* Line editing: printable characters are echoed, backspace/DEL erase, ^U kills the line,
 * CR or LF (a CR LF pair counts once) runs it. */
static void handle_char(char c)
{
    static char line[LINE_MAX];
    static size_t len;
    static char prev;

    if (c == '\n' && prev == '\r') {
        prev = c;
        return;
    }
    prev = c;
    if (c == '\r' || c == '\n') {
        pv_putc('\n');
        line[len] = '\0';
        run_command(line);
        len = 0;
        prompt();
    } else if (c == '\b' || c == 0x7f) {
        if (len) {
            len--;
            pv_write("\b \b", 3);
            pv_flush();
        }
    } else if (c == 0x15) {
        for (; len; len--)
            pv_write("\b \b", 3);
        pv_flush();
    } else if (c >= 0x20 && c < 0x7f && len < LINE_MAX - 1) {
        line[len++] = c;
        pv_putc(c);
        pv_flush();
    }
}

/*
 * Sleep until VIRQ_CONSOLE (or a second passes), else ~10 ms with SCHEDOP_poll on no
 * ports; yield if there is no clock or poll fails.
 */
static void wait_for_input(void)
{
    uint64_t now = pv_time_now_ns();

    if (console_port) {
        pv_wait_port(console_port, VIRQ_POLL_MS);
        pv_evtchn_clear_pending(console_port);
        return;
    }
    struct sched_poll poll = {.ports = 0, .nr_ports = 0, .timeout = now + POLL_NS};

    if (now == 0 || HYPERVISOR_sched_op(SCHEDOP_poll, &poll) != 0)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

void pv_main(void)
{
    char buf[32];

    if (pv_evtchn_bind_virq(VIRQ_CONSOLE, 0, &console_port) == 0)
        pv_evtchn_mask(console_port);
    else
        console_port = 0;
    pv_puts("xen-lite dom0 (pvguest) ready");
    print_start_info();
    pv_puts("type help for the commands");
    prompt();

    for (;;) {
        long n = pv_read_console(buf, sizeof(buf));

        if (n < 0) {
            pv_printf("\nconsole input unavailable: %ld (%s); idling\n", n, xen_errno_name((int)n));
            for (;;)
                if (HYPERVISOR_sched_op(SCHEDOP_block, NULL) != 0)
                    HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        }
        if (n == 0) {
            wait_for_input();
            continue;
        }
        for (long i = 0; i < n && i < (long)sizeof(buf); i++)
            handle_char(buf[i]);
    }
}
