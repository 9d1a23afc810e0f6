/* SPDX-License-Identifier: MIT */
/*
 * com2: a domU drives a real serial port, its interrupts arriving as events.
 *
 * QEMU's second UART (COM2: ports 0x2f8-0x2ff, ISA IRQ 3 = GSI 3) is given to one domU by
 * its boot module line, "irqs=3 ioports=2f8-2ff" (test.conf).  That domU ("com2"):
 *  - maps GSI 3 to pirq 3 itself (map_pirq, DOMID_SELF: allowed because its boot
 *    configuration gives it the line; on Xen the toolstack would do it) and binds it to a
 *    masked port (EVTCHNOP_bind_pirq); irq_status_query says needs_eoi; its "needs EOI"
 *    map bit stays clear (an edge line);
 *  - programs the UART through port I/O (IOPL 1): 115200 8N1, FIFO with a 1-byte trigger,
 *    receive-data interrupt on, OUT2 (which gates the IRQ line on PCs);
 *  - prints "COM2 ready": the test runner then sends EXPECTED through QEMU's COM2;
 *  - waits for events (SCHEDOP_poll on the port), and only after each one reads what the
 *    UART holds, then EOIs the pirq; the text must arrive whole and in order, carried by
 *    interrupts: without them the wait times out;
 *  - writes "COM2 echo: <text>" back out of COM2 (the runner checks it: EXPECT_LOG);
 *  - sees ports outside its range read as all ones (COM1, the hypervisor's console; COM4);
 *  - closes and unmaps.
 * A second domU ("refuse") runs at the same time without the permission: map_pirq of
 * GSI 3 (for itself or for dom0) and bind_pirq are -EPERM, unmap and EOI -EINVAL,
 * setup_gsi -EPERM; COM2's ports are #GP without IOPL and, with IOPL 1, read as all ones
 * and swallow writes (a write reaching COM2 would show in its output: EXPECT_NO_LOG), as
 * does isa-debug-exit (a write reaching it would end QEMU early).  Both run on a
 * two-CPU machine: the line is taken by CPU 0 wherever the domU runs.
 */
#include <pvguest/physdev.h>
#include <pvguest/test.h>

#define COM2     0x2f8
#define GSI      3
#define UART_RBR 0
#define UART_THR 0
#define UART_DLL 0
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR   0x01
#define LSR_THRE 0x20
#define WAIT_MS  20000

/* Must match COM2_INPUT in test.conf (without its newline). */
static const char expected[] = "xen-lite COM2 test: the quick brown fox jumps over the lazy dog "
                               "0123456789";

static uint64_t eoi_map[512] __attribute__((aligned(4096)));

static void uart_setup(void)
{
    pv_outb(COM2 + UART_IER, 0);
    pv_outb(COM2 + UART_LCR, 0x80); /* DLAB: divisor 1 = 115200 baud */
    pv_outb(COM2 + UART_DLL, 1);
    pv_outb(COM2 + UART_DLM, 0);
    pv_outb(COM2 + UART_LCR, 0x03); /* 8N1 */
    pv_outb(COM2 + UART_FCR, 0x07); /* FIFOs on and cleared, interrupt at 1 byte */
    pv_outb(COM2 + UART_MCR, 0x0b); /* DTR, RTS, OUT2 */
    while (pv_inb(COM2 + UART_LSR) & LSR_DR)
        pv_inb(COM2 + UART_RBR);
}

static void uart_puts(const char *s)
{
    for (; *s; s++) {
        for (int spin = 0; spin < 100000 && !(pv_inb(COM2 + UART_LSR) & LSR_THRE); spin++)
            ;
        pv_outb(COM2 + UART_THR, (uint8_t)*s);
    }
}

static void com2_side(void)
{
    char got[sizeof(expected) + 16] = {0};
    unsigned int len = 0, events = 0;
    uint32_t port = 0, flags = 0;
    int pirq = GSI;

    xtf_expect_rc("set_iopl(1)", pv_set_iopl(1), 0);
    uart_setup();
    xtf_expect_rc("pirq_eoi_gmfn_v2",
                  pv_pirq_eoi_map(PHYSDEVOP_pirq_eoi_gmfn_v2, pv_virt_to_mfn(eoi_map)), 0);
    eoi_map[0] = ~0ULL; /* binding an edge line must clear its bit */
    xtf_expect_rc("map_pirq(GSI 3, pirq 3)", pv_map_gsi(DOMID_SELF, GSI, &pirq), 0);
    xtf_expect_rc("... the pirq", pirq, GSI);
    xtf_expect_rc("bind_pirq(3)", pv_evtchn_bind_pirq(GSI, 0, &port), 0);
    pv_evtchn_mask(port);
    xtf_check(!(eoi_map[0] >> GSI & 1), "EOI map bit 3 set for an edge line");
    xtf_expect_rc("irq_status_query(3)", pv_irq_status_query(GSI, &flags), 0);
    xtf_check(flags & XENIRQSTAT_needs_eoi, "irq_status_query flags %#x", flags);
    xtf_check(pv_inb(0x3fd) == 0xff, "COM1's LSR (the hypervisor's) read %#x", pv_inb(0x3fd));
    xtf_check(pv_inb(0x2ed) == 0xff, "COM4's LSR (not given) read %#x", pv_inb(0x2ed));

    pv_outb(COM2 + UART_IER, 0x01); /* received-data interrupt */
    pv_printf("COM2 ready\n");
    pv_flush();
    while (len < sizeof(expected) - 1) {
        if (!pv_wait_port(port, WAIT_MS)) {
            xtf_failure("no COM2 interrupt for %u ms; %u bytes so far: \"%s\"", WAIT_MS, len, got);
            break;
        }
        events++;
        pv_evtchn_clear_pending(port);
        while ((pv_inb(COM2 + UART_LSR) & LSR_DR) && len < sizeof(got) - 1) {
            char c = (char)pv_inb(COM2 + UART_RBR);

            if (c != '\n' && c != '\r')
                got[len++] = c;
        }
        xtf_check(pv_pirq_eoi(GSI) == 0, "eoi(3) failed");
    }
    pv_printf("received \"%s\" in %u event(s)\n", got, events);
    xtf_check(!strcmp(got, expected), "received \"%s\", want \"%s\"", got, expected);
    uart_puts("COM2 echo: ");
    uart_puts(got);
    uart_puts("\n");

    pv_outb(COM2 + UART_IER, 0);
    xtf_expect_rc("close", pv_evtchn_close(port), 0);
    xtf_expect_rc("unmap_pirq(3)", pv_unmap_pirq(DOMID_SELF, GSI), 0);
}

static void refused_side(void)
{
    static const char leak[] = "REFUSED-LEAK\n";
    int pirq = GSI;
    uint32_t port;

    xtf_expect_rc("map_pirq(GSI 3) without permission", pv_map_gsi(DOMID_SELF, GSI, &pirq),
                  -XEN_EPERM);
    xtf_expect_rc("map_pirq(GSI 3) for dom0", pv_map_gsi(0, GSI, &pirq), -XEN_EPERM);
    xtf_expect_rc("bind_pirq(3)", pv_evtchn_bind_pirq(GSI, 0, &port), -XEN_EPERM);
    xtf_expect_rc("unmap_pirq(3)", pv_unmap_pirq(DOMID_SELF, GSI), -XEN_EINVAL);
    xtf_expect_rc("eoi(3)", pv_pirq_eoi(GSI), -XEN_EINVAL);
    xtf_expect_rc("setup_gsi(3)", pv_setup_gsi(GSI, false, false), -XEN_EPERM);

    pv_catch(13);
    {
        uint64_t v = 0;
        unsigned long before = pv_caught.count;

        __asm__ volatile(PV_TRY_BEGIN "inb %%dx, %%al" PV_TRY_END
                         : "+a"(v)
                         : "d"(COM2 + UART_LSR)
                         : "r11", "memory");
        xtf_check(pv_caught.count == before + 1 && pv_caught.frame.vector == 13,
                  "inb %#x without IOPL: no #GP", COM2 + UART_LSR);
    }
    xtf_expect_rc("set_iopl(1)", pv_set_iopl(1), 0);
    xtf_check(pv_inb(COM2 + UART_LSR) == 0xff, "COM2's LSR read %#x, want 0xff",
              pv_inb(COM2 + UART_LSR));
    xtf_check(pv_inl(COM2) == 0xffffffffu, "inl COM2 read %#x", pv_inl(COM2));
    for (unsigned int i = 0; i < sizeof(leak) - 1; i++)
        pv_outb(COM2 + UART_THR, (uint8_t)leak[i]);
    pv_outb(0xf4, 0x10); /* would end QEMU */
    pv_set_iopl(0);
    pv_printf("ok   COM2 and its line stay out of reach\n");
}

void test_main(void)
{
    const char *role = pv_start_info->cmd_line;

    if (!strcmp(role, "com2"))
        com2_side();
    else if (!strcmp(role, "refuse"))
        refused_side();
    else
        xtf_error("command line \"%s\": want \"com2\" or \"refuse\"", role);
    xtf_success();
}
