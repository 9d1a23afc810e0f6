/* SPDX-License-Identifier: MIT */
/* console_io: guest writes to and reads from the hypervisor console. */
#include <public/xen.h>
#include <asm/percpu.h>
#include <console.h>
#include <domain.h>
#include <hypercall.h>
#include <lib.h>

/* Appends guest output to the domain's line buffer, printing whole lines. */
static void buffer_output(struct domain *d, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        d->con_buf[d->con_len++] = s[i];
        if (s[i] == '\n' || d->con_len == sizeof(d->con_buf)) {
            console_guest_write(d->domid, d->con_buf, d->con_len);
            if (s[i] != '\n')
                console_guest_write(d->domid, "\n", 1);
            d->con_len = 0;
        }
    }
}

/*
 * CONSOLEIO_write is open to every domain (as in Xen debug builds): each line appears on the
 * hypervisor console prefixed "(dN) ".  CONSOLEIO_read is dom0's: it returns the number of
 * bytes read from the console input (0 if none is waiting).
 */
long do_console_io(struct hc_args *args)
{
    int cmd = hc_int(args, 0);
    uint64_t count = hc_uint(args, 1);
    guest_ptr_t buf = hc_ptr(args, 2);
    struct domain *d = current->domain;
    char chunk[128];

    switch (cmd) {
    case CONSOLEIO_write:
        for (uint64_t done = 0; done < count;) {
            size_t n = MIN(count - done, sizeof(chunk));

            /* A long write must not hold the CPU: continue it later if others wait. */
            if (done && hypercall_preempt_check(args)) {
                args->a[1] = count - done;
                args->a[2] = buf.va + done;
                return -XEN_ERESTART;
            }
            if (copy_from_guest(chunk, guest_ptr_add(buf, done), n))
                return -XEN_EFAULT;
            buffer_output(d, chunk, n);
            done += n;
        }
        return 0;
    case CONSOLEIO_read: {
        size_t n;

        if (!d->is_privileged)
            return -XEN_EPERM;
        n = console_read_input(chunk, MIN(count, sizeof(chunk)));
        if (copy_to_guest(buf, chunk, n))
            return -XEN_EFAULT;
        return (long)n;
    }
    }
    return -XEN_ENOSYS;
}
