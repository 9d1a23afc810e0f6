/* SPDX-License-Identifier: MIT */
/* Small helpers used everywhere in the hypervisor: panic, assertions, arithmetic. */
#ifndef XEN_LITE_LIB_H
#define XEN_LITE_LIB_H

#include <stddef.h>
#include <stdint.h>
#include <public/errno.h>

#define ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)        ((a) < (b) ? (a) : (b))
#define MAX(a, b)        ((a) > (b) ? (a) : (b))
#define ROUND_UP(x, a)   (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define ROUND_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))

/* Stops the machine with a message, the registers and a backtrace.  Never returns. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define BUG_ON(cond)                                                                               \
    do {                                                                                           \
        if (cond)                                                                                  \
            panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);                                  \
    } while (0)

/* Exit codes seen by QEMU's isa-debug-exit: status = (value << 1) | 1. */
#define EXIT_VALUE_PANIC 0x3f

/* Ends the machine: tells QEMU (isa-debug-exit) the value, then tries ACPI/keyboard. */
void machine_halt(unsigned int exit_value, int reboot) __attribute__((noreturn));

#endif
