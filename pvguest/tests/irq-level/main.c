/* SPDX-License-Identifier: MIT */
/*
 * irq-level: a level-triggered physical interrupt delivered to dom0 as an event.
 *
 * The device is QEMU's ACPI power-management block (PIIX4, PCI 00:01.3), driven through
 * port I/O alone: with the PM timer's overflow event enabled (PM1_EN.TMR_EN) it raises the
 * SCI every 2.3 s and keeps it asserted until the status bit is cleared (PM1_STS.TMR_STS,
 * write 1 to clear).  The SCI is ISA IRQ 9, level-triggered per the MADT.  dom0:
 *  - registers the "needs EOI" map (pirq_eoi_gmfn_v2), maps GSI 9 as pirq 9
 *    (map_pirq, DOMID_SELF: identity, as dom0 asks for), binds it to a masked port;
 *    irq_status_query says needs_eoi and the map has pirq 9's bit set (a level line);
 *  - enables the timer event: the port becomes pending (SCHEDOP_poll wakes);
 *  - on xen-lite, where a level line stays masked until the guest's EOI: with the device
 *    still asserting, no second event arrives without an EOI; Xen unmasks it by itself
 *    after 1 ms (its EOI timer), so this part is skipped there;
 *  - PHYSDEVOP_eoi with the line still asserted: it fires again;
 *  - with the status cleared and the event disabled, an EOI brings nothing more: the
 *    line really is quiet (the IO-APIC's EOI for a level line worked);
 *  - close and unmap_pirq succeed.
 * Also runs as dom0 of real Xen.
 */
#include <pvguest/physdev.h>
#include <pvguest/test.h>

#define PIIX4_PM_DEV   1 /* PCI 00:01.3 */
#define PIIX4_PM_FN    3
#define PIIX4_PM_ID    0x71138086u
#define PM1_STS        0 /* from the PM I/O base */
#define PM1_EN         2
#define PM1_TMR        1 /* TMR_STS / TMR_EN */
#define SCI_GSI        9 /* ISA IRQ 9: the GSI is the IRQ on QEMU's pc machine */
#define FIRST_EVENT_MS 6000

static uint64_t eoi_map[512] __attribute__((aligned(4096)));

static uint32_t pci_read(unsigned int dev, unsigned int fn, unsigned int reg)
{
    pv_outl(0xcf8, 0x80000000u | dev << 11 | fn << 8 | (reg & 0xfc));
    return pv_inl(0xcfc);
}

void test_main(void)
{
    bool on_xen_lite = pv_on_xen_lite();
    uint32_t flags = 0, port = 0, line;
    uint16_t pm;
    int pirq = SCI_GSI;

    xtf_expect_rc("set_iopl(1)", pv_set_iopl(1), 0);
    if (pci_read(PIIX4_PM_DEV, PIIX4_PM_FN, 0) != PIIX4_PM_ID ||
        !(pci_read(PIIX4_PM_DEV, PIIX4_PM_FN, 0x80) & 1)) {
        xtf_skip("no PIIX4 power management block with its I/O space enabled");
        return;
    }
    pm = (uint16_t)(pci_read(PIIX4_PM_DEV, PIIX4_PM_FN, 0x40) & 0xffc0);
    line = pci_read(PIIX4_PM_DEV, PIIX4_PM_FN, 0x3c) & 0xff;
    pv_printf("PM block at %#x, SCI on IRQ %u\n", pm, line);
    if (!xtf_check(line == SCI_GSI, "the SCI is IRQ %u, want %u", line, SCI_GSI))
        return;
    pv_outw(pm + PM1_EN, 0);
    pv_outw(pm + PM1_STS, 0xffff); /* write 1 to clear: everything */

    xtf_expect_rc("pirq_eoi_gmfn_v2",
                  pv_pirq_eoi_map(PHYSDEVOP_pirq_eoi_gmfn_v2, pv_virt_to_mfn(eoi_map)), 0);
    xtf_expect_rc("map_pirq(GSI 9, pirq 9)", pv_map_gsi(DOMID_SELF, SCI_GSI, &pirq), 0);
    xtf_expect_rc("... the pirq", pirq, SCI_GSI);
    xtf_expect_rc("irq_status_query(9)", pv_irq_status_query(SCI_GSI, &flags), 0);
    xtf_check(flags & XENIRQSTAT_needs_eoi, "irq_status_query flags %#x: no needs_eoi", flags);
    xtf_expect_rc("bind_pirq(9)", pv_evtchn_bind_pirq(SCI_GSI, 0, &port), 0);
    pv_evtchn_mask(port); /* we poll; no upcalls */
    xtf_check(eoi_map[0] >> SCI_GSI & 1, "EOI map bit 9 clear after binding a level line");

    /* The first SCI. */
    pv_outw(pm + PM1_EN, PM1_TMR);
    if (!xtf_check(pv_wait_port(port, FIRST_EVENT_MS),
                   "no event within %u ms of enabling the "
                   "PM timer's SCI",
                   FIRST_EVENT_MS))
        goto out;
    xtf_check(pv_inw(pm + PM1_STS) & PM1_TMR, "event, but TMR_STS is clear");
    pv_printf("ok   the SCI arrived as an event\n");

    if (on_xen_lite) {
        pv_evtchn_clear_pending(port);
        xtf_check(!pv_wait_port(port, 300),
                  "a second event while the line was masked (no EOI yet)");
        pv_printf("ok   no event while the line waits for its EOI\n");
    }

    /* EOI with the device still asserting the line: it fires again. */
    pv_evtchn_clear_pending(port);
    xtf_expect_rc("eoi(9), line still asserted", pv_pirq_eoi(SCI_GSI), 0);
    xtf_check(pv_wait_port(port, 2000), "no event after the EOI of a line still asserted");

    /* Quiet the device: after the EOI nothing more comes. */
    pv_outw(pm + PM1_EN, 0);
    pv_outw(pm + PM1_STS, PM1_TMR);
    pv_wait_port(port, 50); /* let an interrupt already latched land first */
    pv_evtchn_clear_pending(port);
    xtf_expect_rc("eoi(9), line quiet", pv_pirq_eoi(SCI_GSI), 0);
    xtf_check(!pv_wait_port(port, 500), "an event after the device stopped asserting");
    pv_printf("ok   EOI unmasks; a quiet line stays quiet\n");

out:
    pv_outw(pm + PM1_EN, 0);
    pv_outw(pm + PM1_STS, 0xffff);
    xtf_expect_rc("close", pv_evtchn_close(port), 0);
    xtf_expect_rc("unmap_pirq(9)", pv_unmap_pirq(DOMID_SELF, SCI_GSI), 0);
    xtf_expect_rc("eoi(9) after unmap", pv_pirq_eoi(SCI_GSI), -XEN_EINVAL);
    pv_set_iopl(0);
    xtf_success();
}
