/* SPDX-License-Identifier: MIT */
/* XTF-style test verdicts: a test defines test_main() and reports through these. */
#ifndef PVGUEST_TEST_H
#define PVGUEST_TEST_H

#include <stdbool.h>
#include <pvguest/pvguest.h>

/*
 * A test is a directory pvguest/tests/<name>/ with a main.c that defines test_main().
 * The library (lib/test.c) calls it, then prints exactly one line
 *     Test result: SUCCESS | SKIP | ERROR | FAILURE
 * and powers the domain off. The verdict is the most severe one reported:
 * SUCCESS < SKIP < ERROR < FAILURE. ERROR means the test or its environment is broken,
 * FAILURE that the behaviour under test is wrong. test_main() returning without any
 * verdict is an ERROR.
 */
void test_main(void);

/* Everything checked out (ignored if anything worse was reported). */
void xtf_success(void);

/* The code under test misbehaved. Prints the message; the first one is repeated at the end.
 * The test keeps running. */
void xtf_failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The test itself or its environment is broken. */
void xtf_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The test cannot run here (e.g. missing feature). */
void xtf_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reports xtf_failure(fmt, ...) unless ok. Returns ok. */
bool xtf_check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Checks a hypercall's result: prints "ok  WHAT  RESULT" if got == want, else reports a
 * failure naming both values (and their errno names).
 */
void xtf_expect_rc(const char *what, long got, long want);

#endif /* PVGUEST_TEST_H */
