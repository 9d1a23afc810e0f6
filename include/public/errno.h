/* SPDX-License-Identifier: MIT */
/* Error numbers: the errno values hypercalls return (negated) to guests. */
#ifndef XEN_LITE_PUBLIC_ERRNO_H
#define XEN_LITE_PUBLIC_ERRNO_H

/*
 * Overview
 * --------
 * A failing hypercall returns -XEN_E<name> in rax. The values are Xen's and
 * happen to match Linux's asm-generic numbering, but they are an ABI of their
 * own: never return a host libc errno to a guest without translating it.
 *
 * XL_ERRNO(X) expands X(name, value) once per error. Two names are aliases
 * (EWOULDBLOCK = EAGAIN, EDEADLOCK = EDEADLK); lookups by value should use the
 * first match. EINTR and ERESTART are hypervisor-internal: they are used to
 * restart preempted work and must never reach a guest.
 */
#define XL_ERRNO(X)                                                                                \
    X(EPERM, 1)                                                                                    \
    X(ENOENT, 2)                                                                                   \
    X(ESRCH, 3)                                                                                    \
    X(EINTR, 4)                                                                                    \
    X(EIO, 5)                                                                                      \
    X(ENXIO, 6)                                                                                    \
    X(E2BIG, 7)                                                                                    \
    X(ENOEXEC, 8)                                                                                  \
    X(EBADF, 9)                                                                                    \
    X(ECHILD, 10)                                                                                  \
    X(EAGAIN, 11)                                                                                  \
    X(EWOULDBLOCK, 11)                                                                             \
    X(ENOMEM, 12)                                                                                  \
    X(EACCES, 13)                                                                                  \
    X(EFAULT, 14)                                                                                  \
    X(EBUSY, 16)                                                                                   \
    X(EEXIST, 17)                                                                                  \
    X(EXDEV, 18)                                                                                   \
    X(ENODEV, 19)                                                                                  \
    X(ENOTDIR, 20)                                                                                 \
    X(EISDIR, 21)                                                                                  \
    X(EINVAL, 22)                                                                                  \
    X(ENFILE, 23)                                                                                  \
    X(EMFILE, 24)                                                                                  \
    X(ENOSPC, 28)                                                                                  \
    X(EROFS, 30)                                                                                   \
    X(EMLINK, 31)                                                                                  \
    X(EDOM, 33)                                                                                    \
    X(ERANGE, 34)                                                                                  \
    X(EDEADLK, 35)                                                                                 \
    X(EDEADLOCK, 35)                                                                               \
    X(ENAMETOOLONG, 36)                                                                            \
    X(ENOLCK, 37)                                                                                  \
    X(ENOSYS, 38)                                                                                  \
    X(ENOTEMPTY, 39)                                                                               \
    X(ENODATA, 61)                                                                                 \
    X(ETIME, 62)                                                                                   \
    X(EBADMSG, 74)                                                                                 \
    X(EOVERFLOW, 75)                                                                               \
    X(EILSEQ, 84)                                                                                  \
    X(ERESTART, 85)                                                                                \
    X(ENOTSOCK, 88)                                                                                \
    X(EMSGSIZE, 90)                                                                                \
    X(EOPNOTSUPP, 95)                                                                              \
    X(EADDRINUSE, 98)                                                                              \
    X(EADDRNOTAVAIL, 99)                                                                           \
    X(ENOBUFS, 105)                                                                                \
    X(EISCONN, 106)                                                                                \
    X(ENOTCONN, 107)                                                                               \
    X(ETIMEDOUT, 110)                                                                              \
    X(ECONNREFUSED, 111)

#ifndef __ASSEMBLER__
#define XL_ERRNO_ENUM_ENTRY(name, value) XEN_##name = (value),

/* XEN_E<name> = value. The XEN_ prefix keeps clear of a hosted <errno.h>. */
enum xen_errno { XL_ERRNO(XL_ERRNO_ENUM_ENTRY) };

#undef XL_ERRNO_ENUM_ENTRY

/*
 * xen_errno_name - symbolic name of a Xen errno value.
 * Accepts either sign (hypercall results are negative). Returns a static
 * string such as "EPERM", or "E?" for a value that is not in the list.
 */
static inline const char *xen_errno_name(int e)
{
    if (e < 0)
        e = -e;
#define XL_ERRNO_NAME_CASE(name, value)                                                            \
    if (e == (value))                                                                              \
        return #name;
    XL_ERRNO(XL_ERRNO_NAME_CASE)
#undef XL_ERRNO_NAME_CASE
    return "E?";
}
#endif /* !__ASSEMBLER__ */

#endif /* XEN_LITE_PUBLIC_ERRNO_H */
