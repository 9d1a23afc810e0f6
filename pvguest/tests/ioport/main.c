/* SPDX-License-Identifier: MIT */
/*
 * ioport: port I/O from a PV guest, by Xen's rules (docs/irq.md), as dom0.
 *
 * A PV guest runs at CPL 3 with IOPL 0: every in/out traps, and the hypervisor decides.
 * The vCPU may *try* a port if its virtual IOPL (PHYSDEVOP_set_iopl) covers its privilege
 * -- the guest kernel counts as ring 1, user mode as ring 3 -- or its own I/O bitmap
 * (PHYSDEVOP_set_iobitmap) clears the port's bits; otherwise #GP.  The access then reaches
 * the hardware only for ports the domain was given.  Checked, with QEMU's devices:
 *  - without IOPL or bitmap, in/out are #GP (error code 0) in kernel and user mode;
 *  - set_iopl: 0..3, 4 is -EINVAL; with IOPL 1 the kernel may, user mode may not; with 3
 *    both may;
 *  - every form works on real devices: in/out with an imm8 port and with dx, byte (DMA
 *    page register 0x81 keeps what is written), word (fw_cfg selector 0x510), dword (PCI
 *    configuration 0xcf8/0xcfc: the host bridge's id 8086:1237); a 32-bit in clears the
 *    upper half of rax, a 16-bit one keeps it; rep insb reads fw_cfg's "QEMU" signature,
 *    rep outsb writes bytes in order; rsi/rdi/rcx step as the CPU's would; ins into an
 *    unmapped address is a #PF at that address;
 *  - the I/O bitmap: allowed ports work in kernel and user mode, refused ones and ports
 *    at or past nr_ports are #GP, a word access needs both bits clear, an unreadable
 *    bitmap refuses; set_iobitmap refuses nr_ports > 65536 and hypervisor addresses;
 *  - physdev_op_compat carries set_iopl, irq_status_query and eoi (every op, as Xen 4.17);
 *    irq_status_query says needs_eoi; an unknown op is -ENOSYS;
 *  - on xen-lite only: ports the hypervisor keeps (isa-debug-exit, PIT, COM1 -- its
 *    console) read as all ones and ignore writes even for dom0 (a write reaching 0xf4
 *    would end QEMU with the wrong status, one reaching COM1 would show in the log), and
 *    dom0 cannot map the PIT's or the console's line.
 * Also runs as dom0 of real Xen (Xen emulates 0xcf8/0xcfc for dom0 and keeps its console
 * UART the same way).
 */
#include <pvguest/physdev.h>
#include <pvguest/test.h>

#define DMA_PAGE   0x81  /* DMA channel 2 page register: a byte that keeps its value */
#define FW_CFG_SEL 0x510 /* QEMU fw_cfg selector (16-bit) and data (8-bit) ports */
#define FW_CFG_DAT 0x511
#define PCI_ADDR   0xcf8
#define PCI_DATA   0xcfc
#define HOSTBRIDGE 0x12378086u /* i440FX, bus 0 device 0 */
#define GP         13

static bool on_xen_lite;
static uint8_t user_stack[4096] __attribute__((aligned(16)));
static uint8_t iobitmap[8192];

/* ---- port accesses that may #GP: true if it ran, false if a #GP was caught ---- */

static unsigned long faults_before;

static bool ran(const char *what)
{
    if (pv_caught.count == faults_before)
        return true;
    if (pv_caught.frame.vector != GP || pv_caught.frame.error_code != 0)
        xtf_failure("%s: vector %lu error code %#lx, want #GP(0)", what,
                    (unsigned long)pv_caught.frame.vector,
                    (unsigned long)pv_caught.frame.error_code);
    return false;
}

static bool try_inb_dx(uint16_t port, uint8_t *val)
{
    uint64_t v = 0;

    faults_before = pv_caught.count;
    __asm__ volatile(PV_TRY_BEGIN "inb %%dx, %%al" PV_TRY_END
                     : "+a"(v)
                     : "d"(port)
                     : "r11", "memory");
    *val = (uint8_t)v;
    return ran("inb");
}

static bool try_outb_dx(uint16_t port, uint8_t val)
{
    faults_before = pv_caught.count;
    __asm__ volatile(PV_TRY_BEGIN "outb %%al, %%dx" PV_TRY_END
                     :
                     : "a"(val), "d"(port)
                     : "r11", "memory");
    return ran("outb");
}

static bool try_inw_dx(uint16_t port, uint16_t *val)
{
    uint64_t v = 0;

    faults_before = pv_caught.count;
    __asm__ volatile(PV_TRY_BEGIN "inw %%dx, %%ax" PV_TRY_END
                     : "+a"(v)
                     : "d"(port)
                     : "r11", "memory");
    *val = (uint16_t)v;
    return ran("inw");
}

/* inb $0x81: the imm8 form. */
static bool try_inb_imm(uint8_t *val)
{
    uint64_t v = 0;

    faults_before = pv_caught.count;
    __asm__ volatile(PV_TRY_BEGIN "inb $0x81, %%al" PV_TRY_END : "+a"(v) : : "r11", "memory");
    *val = (uint8_t)v;
    return ran("inb imm8");
}

/* ---- user mode (no hypercalls, no printing there): results come back as the exit value */

static long user_inb_dma_page(void)
{
    uint64_t v = 0;
    unsigned long before = pv_caught.count;

    __asm__ volatile(PV_TRY_BEGIN "inb $0x81, %%al" PV_TRY_END : "+a"(v) : : "r11", "memory");
    return pv_caught.count != before ? -(long)pv_caught.frame.vector : (long)(v & 0xff);
}

static void check_user(const char *what, long want)
{
    long got = pv_run_user(user_inb_dma_page, user_stack + sizeof(user_stack));

    if (got == want)
        pv_printf("ok   %-56s %ld\n", what, got);
    else
        xtf_failure("%s: user-mode inb got %ld, want %ld (-13 = #GP)", what, got, want);
}

/* ---- the checks ---- */

static void no_privilege(void)
{
    uint8_t v = 0;

    xtf_expect_rc("set_iopl(0)", pv_set_iopl(0), 0);
    xtf_expect_rc("set_iobitmap(NULL, 0)", pv_set_iobitmap(NULL, 0), 0);
    xtf_check(!try_inb_dx(DMA_PAGE, &v), "inb %#x without IOPL did not fault", DMA_PAGE);
    xtf_check(!try_outb_dx(DMA_PAGE, 1), "outb %#x without IOPL did not fault", DMA_PAGE);
    xtf_check(!try_inb_imm(&v), "inb $0x81 without IOPL did not fault");
    xtf_check(pv_caught.frame.rip == pv_try_rip, "#GP at rip %#lx, want the in at %#lx",
              (unsigned long)pv_caught.frame.rip, (unsigned long)pv_try_rip);
    check_user("user mode, IOPL 0", -GP);
    xtf_expect_rc("set_iopl(4)", pv_set_iopl(4), -XEN_EINVAL);
}

static void byte_and_word_and_dword(void)
{
    uint8_t v = 0;
    uint16_t w = 0;
    uint64_t rax;
    char sig[5] = {0};

    xtf_expect_rc("set_iopl(1)", pv_set_iopl(1), 0);
    __asm__ volatile("outb %%al, $0x81" : : "a"(0x5a) : "memory");
    xtf_check(try_inb_imm(&v) && v == 0x5a, "inb $0x81 = %#x after outb $0x81 0x5a", v);
    xtf_check(try_outb_dx(DMA_PAGE, 0xa5) && try_inb_dx(DMA_PAGE, &v) && v == 0xa5,
              "inb (dx) %#x = %#x after outb (dx) 0xa5", DMA_PAGE, v);

    pv_outw(FW_CFG_SEL, 0); /* item 0: the signature */
    for (int i = 0; i < 4; i++)
        sig[i] = (char)pv_inb(FW_CFG_DAT);
    xtf_check(!strcmp(sig, "QEMU"), "fw_cfg signature \"%s\", want \"QEMU\"", sig);

    pv_outl(PCI_ADDR, 0x80000000u); /* bus 0, device 0, function 0, register 0 */
    rax = 0xdeadbeef00000000ULL;
    __asm__ volatile("inl %%dx, %%eax" : "+a"(rax) : "d"(PCI_DATA));
    xtf_check(rax == HOSTBRIDGE, "inl %#x = %#lx, want %#x (upper half cleared)", PCI_DATA,
              (unsigned long)rax, HOSTBRIDGE);
    rax = 0xdeadbeef12340000ULL;
    __asm__ volatile("inw %%dx, %%ax" : "+a"(rax) : "d"(PCI_DATA));
    xtf_check(rax == 0xdeadbeef12348086ULL, "inw %#x: rax %#lx, want %#lx", PCI_DATA,
              (unsigned long)rax, 0xdeadbeef12348086UL);
    xtf_check(try_inw_dx(PCI_DATA, &w) && w == 0x8086, "inw %#x = %#x", PCI_DATA, w);
    pv_printf("ok   in/out imm8 and dx, byte word dword, on real devices\n");
}

static void strings(void)
{
    char buf[8] = {0};
    const uint8_t out[3] = {0x11, 0x22, 0x33};
    uint64_t rdi = (uint64_t)buf, rsi = (uint64_t)out, rcx = 4;

    pv_outw(FW_CFG_SEL, 0);
    __asm__ volatile("cld; rep insb" : "+D"(rdi), "+c"(rcx) : "d"(FW_CFG_DAT) : "memory");
    xtf_check(!strcmp(buf, "QEMU"), "rep insb read \"%s\"", buf);
    xtf_check(rdi == (uint64_t)buf + 4 && rcx == 0, "rep insb left rdi +%ld, rcx %lu",
              (long)(rdi - (uint64_t)buf), (unsigned long)rcx);
    rcx = 3;
    __asm__ volatile("cld; rep outsb" : "+S"(rsi), "+c"(rcx) : "d"(DMA_PAGE) : "memory");
    xtf_check(pv_inb(DMA_PAGE) == 0x33 && rsi == (uint64_t)out + 3 && rcx == 0,
              "rep outsb: last byte %#x, rsi +%ld, rcx %lu", pv_inb(DMA_PAGE),
              (long)(rsi - (uint64_t)out), (unsigned long)rcx);
    /* Backwards, one element. */
    rsi = (uint64_t)&out[1];
    __asm__ volatile("std; outsb; cld" : "+S"(rsi) : "d"(DMA_PAGE) : "memory");
    xtf_check(pv_inb(DMA_PAGE) == 0x22 && rsi == (uint64_t)&out[0],
              "outsb with DF: wrote %#x, rsi moved %ld", pv_inb(DMA_PAGE),
              (long)(rsi - (uint64_t)&out[1]));

    /* ins into memory that is not there: a #PF for the guest, at that address. */
    rdi = 0x1000;
    faults_before = pv_caught.count;
    __asm__ volatile(PV_TRY_BEGIN "insb" PV_TRY_END : "+D"(rdi) : "d"(DMA_PAGE) : "r11", "memory");
    xtf_check(pv_caught.count == faults_before + 1 && pv_caught.frame.vector == 14 &&
                  pv_caught.cr2 == 0x1000,
              "insb to 0x1000: %lu fault(s), vector %lu, cr2 %#lx; want #PF at 0x1000",
              pv_caught.count - faults_before, (unsigned long)pv_caught.frame.vector,
              (unsigned long)pv_caught.cr2);
    pv_printf("ok   ins/outs, rep, DF, #PF on a bad buffer\n");
}

static void user_mode(void)
{
    pv_outb(DMA_PAGE, 0x42);
    check_user("user mode, IOPL 1 (kernel only)", -GP);
    xtf_expect_rc("set_iopl(3)", pv_set_iopl(3), 0);
    check_user("user mode, IOPL 3", 0x42);
}

static void bitmap(void)
{
    uint8_t v = 0;
    uint16_t w = 0;

    xtf_expect_rc("set_iopl(0)", pv_set_iopl(0), 0);
    memset(iobitmap, 0xff, sizeof(iobitmap));
    iobitmap[DMA_PAGE / 8] &= (uint8_t) ~(1u << (DMA_PAGE % 8)); /* 0x81 allowed */
    iobitmap[0x100 / 8] = 0;                                     /* past nr_ports: no use */
    xtf_expect_rc("set_iobitmap(bitmap, 0x100)", pv_set_iobitmap(iobitmap, 0x100), 0);
    xtf_check(try_inb_dx(DMA_PAGE, &v) && v == 0x42, "bitmap: inb %#x = %#x", DMA_PAGE, v);
    xtf_check(!try_inb_dx(0x80, &v), "bitmap: inb 0x80 (bit set) did not fault");
    xtf_check(!try_inw_dx(DMA_PAGE, &w), "bitmap: inw %#x (0x82's bit set) did not fault",
              DMA_PAGE);
    xtf_check(!try_inb_dx(0x100, &v), "bitmap: inb 0x100 (past nr_ports) did not fault");
    check_user("user mode, bitmap allows 0x81", 0x42);
    iobitmap[0x82 / 8] &= (uint8_t) ~(1u << (0x82 % 8));
    xtf_check(try_inw_dx(DMA_PAGE, &w), "bitmap: inw %#x with both bits clear faulted", DMA_PAGE);

    xtf_expect_rc("set_iobitmap(nr_ports 65537)", pv_set_iobitmap(iobitmap, 65537), -XEN_EINVAL);
    xtf_expect_rc("set_iobitmap(hypervisor address)",
                  pv_set_iobitmap((void *)0xffff800000000000UL, 0x100), -XEN_EINVAL);
    xtf_expect_rc("set_iobitmap(unmapped)", pv_set_iobitmap((void *)0x1000, 0x100), 0);
    xtf_check(!try_inb_dx(DMA_PAGE, &v), "an unreadable bitmap allowed inb %#x", DMA_PAGE);
    xtf_expect_rc("set_iobitmap(NULL, 0)", pv_set_iobitmap(NULL, 0), 0);
    xtf_check(!try_inb_dx(DMA_PAGE, &v), "inb %#x without IOPL or bitmap did not fault", DMA_PAGE);
    pv_printf("ok   the I/O bitmap\n");
}

static void queries_and_compat(void)
{
    uint32_t flags = 0, op[6] = {PHYSDEVOP_set_iopl, 0, 1};
    uint8_t v = 0;

    xtf_expect_rc("irq_status_query(5)", pv_irq_status_query(5, &flags), 0);
    xtf_check(flags & XENIRQSTAT_needs_eoi, "irq_status_query flags %#x: no needs_eoi", flags);
    xtf_expect_rc("irq_status_query(-1)", pv_irq_status_query(0xffffffff, NULL), -XEN_EINVAL);
    xtf_expect_rc("physdev_op 99", HYPERVISOR_physdev_op(99, NULL), -XEN_ENOSYS);
    xtf_expect_rc("physdev_op_compat set_iopl(1)", HYPERVISOR_physdev_op_compat(op), 0);
    xtf_check(try_inb_dx(DMA_PAGE, &v), "inb after the compat set_iopl(1) faulted");
    op[0] = PHYSDEVOP_irq_status_query;
    op[2] = 5;
    op[3] = 0;
    xtf_expect_rc("physdev_op_compat irq_status_query(5)", HYPERVISOR_physdev_op_compat(op), 0);
    xtf_check(op[3] & XENIRQSTAT_needs_eoi, "compat irq_status_query flags %#x", op[3]);
    op[0] = PHYSDEVOP_eoi; /* passed on like the rest: pirq 300 is not mapped */
    op[2] = 300;
    xtf_expect_rc("physdev_op_compat eoi(300)", HYPERVISOR_physdev_op_compat(op), -XEN_EINVAL);
}

/* What xen-lite keeps for itself, even from dom0. */
static void hypervisor_ports(void)
{
    static const char leak[] = "IOPORT-LEAK\n";
    int pirq = -1;

    xtf_expect_rc("set_iopl(1)", pv_set_iopl(1), 0);
    xtf_check(pv_inb(0xf4) == 0xff, "inb 0xf4 (isa-debug-exit) = %#x, want 0xff", pv_inb(0xf4));
    xtf_check(pv_inl(0xf4) == 0xffffffffu, "inl 0xf4 = %#x", pv_inl(0xf4));
    pv_outb(0xf4, 0x20); /* would end QEMU with status 0x41 */
    pv_outl(0xf4, 0x20);
    xtf_check(pv_inb(0x40) == 0xff, "inb 0x40 (PIT) = %#x, want 0xff", pv_inb(0x40));
    xtf_check(pv_inb(0x3fd) == 0xff, "inb 0x3fd (COM1 LSR) = %#x, want 0xff", pv_inb(0x3fd));
    for (unsigned int i = 0; i < sizeof(leak) - 1; i++)
        pv_outb(0x3f8, (uint8_t)leak[i]); /* would appear in the log (EXPECT_NO_LOG) */
    xtf_expect_rc("map_pirq GSI 2 (PIT)", pv_map_gsi(DOMID_SELF, 2, &pirq), -XEN_EPERM);
    xtf_expect_rc("map_pirq GSI 4 (COM1)", pv_map_gsi(DOMID_SELF, 4, &pirq), -XEN_EPERM);
    xtf_expect_rc("map_pirq GSI 0", pv_map_gsi(DOMID_SELF, 0, &pirq), -XEN_EINVAL);
    xtf_expect_rc("map_pirq GSI 300", pv_map_gsi(DOMID_SELF, 300, &pirq), -XEN_EINVAL);
    xtf_expect_rc("setup_gsi(4)", pv_setup_gsi(4, true, false), -XEN_EEXIST);
    xtf_expect_rc("setup_gsi(3) edge high", pv_setup_gsi(3, false, false), 0);
    pv_printf("ok   the hypervisor's ports and lines stay its own\n");
}

void test_main(void)
{
    on_xen_lite = pv_on_xen_lite();
    pv_catch(GP);
    pv_catch(14);
    no_privilege();
    byte_and_word_and_dword();
    strings();
    user_mode();
    bitmap();
    queries_and_compat();
    if (on_xen_lite)
        hypervisor_ports();
    pv_set_iopl(0);
    xtf_success();
}
