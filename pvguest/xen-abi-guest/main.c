/* SPDX-License-Identifier: MIT */
/*
 * xen-abi-guest: a guest written against Xen's published headers alone.
 *
 * It includes nothing from xen-lite: only the compiler's freestanding headers and
 * Debian libxen-dev's <xen/...>. It boots as dom0, prints through console_io, installs a
 * trap table with a #UD handler (head.S), executes ud2, expects the handler to return via
 * the iret hypercall to the instruction after it, prints the verdict and powers off with
 * SCHEDOP_shutdown. If it works on xen-lite, the ABI subset it uses matches Xen's.
 */
#include <stdint.h>
#include <stddef.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/version.h>

extern char hypercall_page[];
extern char ud_entry[];
extern volatile uint64_t ud_count;

void guest_main(start_info_t *si) __attribute__((noreturn));

/* Call stub `nr` of the hypercall page: args in rdi, rsi, rdx; result in rax. */
#define HYPERCALL3(nr, a1, a2, a3)                                                                 \
    ({                                                                                             \
        unsigned long h1__ = (unsigned long)(a1), h2__ = (unsigned long)(a2);                      \
        unsigned long h3__ = (unsigned long)(a3);                                                  \
        long hres__;                                                                               \
        __asm__ volatile("call hypercall_page + %c[off]"                                           \
                         : "=a"(hres__), "+D"(h1__), "+S"(h2__), "+d"(h3__)                        \
                         : [off] "i"((nr)*32)                                                      \
                         : "rcx", "r8", "r9", "r10", "r11", "memory");                             \
        hres__;                                                                                    \
    })

static size_t length(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

static void print(const char *s)
{
    HYPERCALL3(__HYPERVISOR_console_io, CONSOLEIO_write, length(s), s);
}

static void print_hex(const char *label, uint64_t v)
{
    char buf[19] = "0x";

    for (int i = 0; i < 16; i++)
        buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
    buf[18] = '\0';
    print(label);
    print(buf);
    print("\n");
}

static int same(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

void guest_main(start_info_t *si)
{
    static trap_info_t traps[2];
    struct sched_shutdown shutdown = {.reason = SHUTDOWN_poweroff};
    int ok = 1;
    long rc;

    print("xen-abi-guest: built from Xen's public headers only\n");
    if (!same(si->magic, "xen-3.0-x86_64", 15)) {
        print("Failure: start_info magic is wrong\n");
        ok = 0;
    }
    print_hex("nr_pages ", si->nr_pages);
    print_hex("xen_version ", (uint64_t)HYPERCALL3(__HYPERVISOR_xen_version, XENVER_version, 0, 0));

    traps[0].vector = 6; /* #UD */
    traps[0].flags = 0;  /* DPL 0 */
    traps[0].cs = FLAT_KERNEL_CS;
    traps[0].address = (unsigned long)ud_entry;
    rc = HYPERCALL3(__HYPERVISOR_set_trap_table, traps, 0, 0);
    if (rc) {
        print_hex("Failure: set_trap_table returned ", (uint64_t)rc);
        ok = 0;
    } else {
        __asm__ volatile("ud2" ::: "memory");
        print_hex("back after ud2, #UD handler ran times: ", ud_count);
        if (ud_count != 1) {
            print("Failure: the #UD handler did not run exactly once\n");
            ok = 0;
        }
    }

    print(ok ? "Test result: SUCCESS\n" : "Test result: FAILURE\n");
    HYPERCALL3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &shutdown, 0);
    for (;;)
        HYPERCALL3(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
}
