/* SPDX-License-Identifier: MIT */
/*
 * irq-console: input on the hypervisor's serial console raises VIRQ_CONSOLE in dom0.
 *
 * The hypervisor routes its console UART's receive interrupt to itself; each interrupt
 * raises VIRQ_CONSOLE in dom0, which then reads the bytes with CONSOLEIO_read (as Xen's
 * dom0 does), so a dom0 shell can block instead of polling.  Here the console is COM2
 * (console=com2), whose input the test runner can feed (COM2_INPUT).  dom0:
 *  - binds VIRQ_CONSOLE to a masked port; with no input, no event comes;
 *  - prints "console ready"; the runner sends TEXT; the port must become pending, and
 *    CONSOLEIO_read then returns the text (whole, in order, over as many events as it
 *    takes);
 *  - the console's line and ports are the hypervisor's: map_pirq of GSI 3 is -EPERM and
 *    its ports read as all ones even with IOPL; COM1, now nobody's console, is dom0's.
 */
#include <pvguest/physdev.h>
#include <pvguest/test.h>

#define WAIT_MS 20000

/* Must match COM2_INPUT in test.conf (without its newline). */
static const char text[] = "hello, hypervisor console";

void test_main(void)
{
    char got[sizeof(text) + 16] = {0}, buf[16];
    unsigned int len = 0, events = 0;
    uint32_t port = 0;
    int pirq = -1;
    long n;

    if (!xtf_check(pv_evtchn_bind_virq(VIRQ_CONSOLE, 0, &port) == 0, "bind_virq(VIRQ_CONSOLE)"))
        return;
    pv_evtchn_mask(port);
    while (pv_read_console(buf, sizeof(buf)) > 0)
        ;
    pv_evtchn_clear_pending(port);
    xtf_check(!pv_wait_port(port, 300), "VIRQ_CONSOLE without any input");

    pv_printf("console ready\n");
    pv_flush();
    while (len < sizeof(text) - 1) {
        if (!pv_wait_port(port, WAIT_MS)) {
            xtf_failure("no VIRQ_CONSOLE for %u ms; %u bytes so far: \"%s\"", WAIT_MS, len, got);
            break;
        }
        events++;
        pv_evtchn_clear_pending(port);
        while ((n = pv_read_console(buf, sizeof(buf))) > 0)
            for (long i = 0; i < n; i++)
                if (buf[i] != '\n' && buf[i] != '\r' && len < sizeof(got) - 1)
                    got[len++] = buf[i];
        if (!xtf_check(n == 0, "CONSOLEIO_read returned %ld", n))
            break;
    }
    pv_printf("read \"%s\" after %u VIRQ_CONSOLE event(s)\n", got, events);
    xtf_check(!strcmp(got, text), "read \"%s\", want \"%s\"", got, text);

    xtf_check(pv_set_iopl(1) == 0, "set_iopl(1)");
    xtf_check(pv_inb(0x2fd) == 0xff, "the console UART's LSR read %#x, want 0xff", pv_inb(0x2fd));
    xtf_check(pv_map_gsi(DOMID_SELF, 3, &pirq) == -XEN_EPERM, "map_pirq of the console's GSI 3");
    pirq = 4;
    xtf_check(pv_map_gsi(DOMID_SELF, 4, &pirq) == 0 && pv_unmap_pirq(DOMID_SELF, 4) == 0,
              "COM1's GSI 4 is dom0's when the console is on COM2");
    pv_set_iopl(0);
    xtf_success();
}
