/* SPDX-License-Identifier: MIT */
/* XTF-style verdicts for test guests; linked only into pvguest/tests/<name> programs. */
#include <pvguest/test.h>

/* Ordered by severity: the final verdict is the worst one reported. */
enum verdict { RUNNING, SUCCESS, SKIP, ERROR, FAILURE };

static const char *const verdict_names[] = {
    [RUNNING] = "RUNNING", [SUCCESS] = "SUCCESS", [SKIP] = "SKIP",
    [ERROR] = "ERROR",     [FAILURE] = "FAILURE",
};

static enum verdict verdict = RUNNING;
static char first_failure[200];

static void raise_verdict(enum verdict v)
{
    if (v > verdict)
        verdict = v;
}

/* Prints "<prefix>: <message>" as one line (dropping a trailing newline in the message). */
static void report(const char *prefix, char *msg, size_t size, const char *fmt, va_list ap)
{
    size_t len;

    vsnprintf(msg, size, fmt, ap);
    len = strlen(msg);
    if (len && msg[len - 1] == '\n')
        msg[len - 1] = '\0';
    pv_printf("%s: %s\n", prefix, msg);
}

void xtf_success(void)
{
    raise_verdict(SUCCESS);
}

void xtf_failure(const char *fmt, ...)
{
    char msg[sizeof(first_failure)];
    va_list ap;

    va_start(ap, fmt);
    report("Failure", msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (verdict != FAILURE)
        strlcpy(first_failure, msg, sizeof(first_failure));
    raise_verdict(FAILURE);
}

void xtf_error(const char *fmt, ...)
{
    char msg[200];
    va_list ap;

    va_start(ap, fmt);
    report("Error", msg, sizeof(msg), fmt, ap);
    va_end(ap);
    raise_verdict(ERROR);
}

void xtf_skip(const char *fmt, ...)
{
    char msg[200];
    va_list ap;

    va_start(ap, fmt);
    report("Skip", msg, sizeof(msg), fmt, ap);
    va_end(ap);
    raise_verdict(SKIP);
}

bool xtf_check(bool ok, const char *fmt, ...)
{
    char msg[sizeof(first_failure)];
    va_list ap;

    if (ok)
        return true;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    xtf_failure("%s", msg);
    return false;
}

/* The program entry for tests: run test_main(), print the one verdict line, power off. */
void pv_main(void)
{
    test_main();

    if (verdict == RUNNING) {
        pv_puts("Error: test_main() returned without a verdict");
        verdict = ERROR;
    }
    if (verdict == FAILURE)
        pv_printf("First failure: %s\n", first_failure);
    pv_printf("Test result: %s\n", verdict_names[verdict]);
    pv_poweroff();
}

void xtf_expect_rc(const char *what, long got, long want)
{
    if (got == want)
        pv_printf("ok   %-52s %ld %s\n", what, got, got < 0 ? xen_errno_name((int)got) : "");
    else
        xtf_failure("%s returned %ld (%s), want %ld (%s)", what, got,
                    got < 0 ? xen_errno_name((int)got) : "-", want,
                    want < 0 ? xen_errno_name((int)want) : "-");
}
