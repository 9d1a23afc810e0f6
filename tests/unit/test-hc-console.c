/* SPDX-License-Identifier: MIT */
/* Unit tests for console_io (hypercalls/console.c) over the real console (common/console.c). */
#include <criterion/criterion.h>
#include <public/xen.h>
#include <string.h>
#include "harness/harness.h"

TestSuite(console_io, .init = harness_boot);

static long con_write(const char *s, size_t n)
{
    return hc(__HYPERVISOR_console_io, CONSOLEIO_write, n, guest_put(s, n));
}

static long con_read(uint64_t buf, uint64_t count)
{
    return hc(__HYPERVISOR_console_io, CONSOLEIO_read, count, buf);
}

/* A line appears prefixed with the domain, as in Xen: "(d1) ". */
Test(console_io, write_prefixes_lines)
{
    cr_assert_eq(con_write("hello\nworld\n", 12), 0);
    cr_assert(strstr(console_text(), "(d1) hello\n(d1) world\n"), "%s", console_text());
}

/* Output is held until its newline, so lines from different domains do not mix. */
Test(console_io, write_buffers_partial_lines)
{
    cr_assert_eq(con_write("abc", 3), 0);
    cr_assert_null(strstr(console_text(), "abc"));
    cr_assert_eq(con_write("def\n", 4), 0);
    cr_assert(strstr(console_text(), "(d1) abcdef\n"));
}

/* A guest cannot drive the terminal: control characters become '?', CR disappears. */
Test(console_io, write_neutralises_control_characters)
{
    cr_assert_eq(con_write("a\033[2Jb\r\tc\a\n", 11), 0);
    cr_assert(strstr(console_text(), "(d1) a?[2Jb\tc?\n"), "%s", console_text());
}

/* More than one 128-byte chunk, and a line longer than the 256-byte line buffer. */
Test(console_io, write_long_input)
{
    char s[600];

    memset(s, 'x', sizeof(s));
    s[sizeof(s) - 1] = '\n';
    cr_assert_eq(con_write(s, sizeof(s)), 0);
    cr_assert_eq(strlen(console_text()), sizeof(s) + 2 * 1 + 3 * 5, "%s", console_text());
}

/* count is 32 bits (unsigned int in Xen): the upper half of the register is ignored. */
Test(console_io, write_count_is_32_bits)
{
    uint64_t buf = guest_put("ok\nNOT SHOWN\n", 13);

    cr_assert_eq(hc(__HYPERVISOR_console_io, CONSOLEIO_write, (1ULL << 32) | 3, buf), 0);
    cr_assert_str_eq(console_text(), "(d1) ok\n");
}

/* Nothing to write: nothing is read, whatever the buffer. */
Test(console_io, write_nothing)
{
    cr_assert_eq(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 0, 0), 0);
    cr_assert_eq(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 0, HV_VIRT_START), 0);
}

/* Buffers the guest cannot read: -EFAULT. */
Test(console_io, write_unreadable_is_efault)
{
    static const uint64_t bad[] = {0, 0x1000, HV_VIRT_START, HV_VIRT_END - 2, GUEST_BASE - 1};

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
        cr_assert_eq(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 4, bad[i]), -XEN_EFAULT, "%#lx",
                     bad[i]);
    cr_assert_str_eq(console_text(), "");
}

/* A buffer running into an unmapped page after its first chunk: -EFAULT. */
Test(console_io, write_fault_half_way_is_efault)
{
    uint64_t page1 = GUEST_BASE + 4096;

    memset(guest_mem(page1 - 200, 200), 'y', 200);
    guest_unmap_page(page1);
    cr_assert_eq(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 300, page1 - 200), -XEN_EFAULT);
}

/* Reading the console is dom0's: a domU gets -EPERM and consumes no input. */
Test(console_io, read_from_domu_is_eperm)
{
    harness.input = "secret";
    cr_assert_eq(con_read(guest_alloc(16), 16), -XEN_EPERM);
    cr_assert_str_eq(harness.input, "secret");
}

/* dom0 gets what is waiting, at most count (and at most 128) bytes; 0 if nothing is. */
Test(console_io, read_from_dom0)
{
    static char input[300];
    uint64_t buf = guest_alloc(300);

    harness_set_current(dom0);
    cr_assert_eq(con_read(buf, 16), 0);
    harness.input = "xyz";
    cr_assert_eq(con_read(buf, 2), 2);
    cr_assert_eq(memcmp(guest_mem(buf, 2), "xy", 2), 0);
    cr_assert_eq(con_read(buf, 16), 1);
    cr_assert_eq(*(char *)guest_mem(buf, 1), 'z');
    memset(input, 'i', sizeof(input) - 1);
    harness.input = input;
    cr_assert_eq(con_read(buf, 300), 128);
}

/* dom0 reading into memory it cannot write: -EFAULT. */
Test(console_io, read_to_bad_buffer_is_efault)
{
    harness_set_current(dom0);
    harness.input = "abc";
    cr_assert_eq(con_read(HV_VIRT_START, 3), -XEN_EFAULT);
}

/* Commands other than read and write. */
Test(console_io, unknown_cmd_is_enosys)
{
    static const int64_t cmds[] = {2, 3, -1, 0x7fffffff};

    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
        cr_assert_eq(hc(__HYPERVISOR_console_io, cmds[i], 1, guest_put("x", 1)), -XEN_ENOSYS);
}

/*
 * A long write is preempted when something else should run: the guest is rewound to its
 * syscall with the rest of the buffer (a continuation), and re-issuing it finishes.
 */
Test(console_io, long_write_is_continued)
{
    char text[300];
    uint64_t buf;
    struct cpu_user_regs *r = current->regs;
    uint64_t rip;

    memset(text, 'x', sizeof(text));
    text[sizeof(text) - 1] = '\n';
    buf = guest_put(text, sizeof(text));
    r->rip = rip = 0xffffffff80001002;
    harness.preempt = true;
    cr_assert_eq(hc(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(text), buf),
                 __HYPERVISOR_console_io);
    cr_assert_eq(r->rip, rip - 2, "rewound to the syscall");
    cr_assert_eq(r->rdi, CONSOLEIO_write);
    cr_assert_eq(r->rsi, sizeof(text) - 128, "the rest after one chunk");
    cr_assert_eq(r->rdx, buf + 128);
    harness.preempt = false;
    cr_assert_eq(hc(__HYPERVISOR_console_io, r->rdi, r->rsi, r->rdx), 0);
    cr_assert(strstr(console_text(), "(d1) xxxxxxxx"), "%s", console_text());
}
