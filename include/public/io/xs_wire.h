/* SPDX-License-Identifier: MIT */
/* Xenstore wire protocol: message header, types, errors and the ring page. */
#ifndef XEN_LITE_PUBLIC_IO_XS_WIRE_H
#define XEN_LITE_PUBLIC_IO_XS_WIRE_H

/*
 * Overview
 * --------
 * Clients talk to xenstored with messages: a struct xsd_sockmsg header
 * followed by `len` (<= XENSTORE_PAYLOAD_MAX) bytes of payload, usually
 * NUL-separated strings. Guests exchange them through the ring page
 * (start_info.store_mfn, struct xenstore_domain_interface, signalled via
 * start_info.store_evtchn); host tools through a Unix socket.
 * Replies carry the request's type, req_id and tx_id (clients match on
 * req_id); a failure is a reply of type XS_ERROR whose payload is an error
 * name from XL_XS_ERRORS, NUL-terminated. XS_WATCH_EVENT messages arrive
 * unsolicited with payload "path\0token\0".
 */

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#define XENSTORE_PAYLOAD_MAX  4096 /* max payload bytes of one message */
#define XENSTORE_ABS_PATH_MAX 3072 /* max length of an absolute path */
#define XENSTORE_REL_PATH_MAX 2048 /* max length of a relative path */
#define XENSTORE_RING_SIZE    1024 /* bytes in each ring of the page */

/* Payload of the mode argument of XS_WRITE in old clients. */
#define XS_WRITE_NONE        "NONE"
#define XS_WRITE_CREATE      "CREATE"
#define XS_WRITE_CREATE_EXCL "CREATE|EXCL"

/* xenstore_domain_interface.server_features */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1 /* `connection` is honoured */
#define XENSTORE_SERVER_FEATURE_ERROR        2 /* `error` is reported */
/* xenstore_domain_interface.connection */
#define XENSTORE_CONNECTED 0 /* normal operation */
#define XENSTORE_RECONNECT 1 /* guest asks the server to reset the rings */
/* xenstore_domain_interface.error */
#define XENSTORE_ERROR_NONE    0
#define XENSTORE_ERROR_COMM    1 /* communication problem */
#define XENSTORE_ERROR_RINGIDX 2 /* ring index out of range */
#define XENSTORE_ERROR_PROTO   3 /* malformed message, e.g. too long */

/*
 * Error names a server may return in an XS_ERROR reply, in the order Xen's
 * table lists them. X(name) once per error.
 */
#define XL_XS_ERRORS(X)                                                                            \
    X(EINVAL)                                                                                      \
    X(EACCES)                                                                                      \
    X(EEXIST)                                                                                      \
    X(EISDIR)                                                                                      \
    X(ENOENT)                                                                                      \
    X(ENOMEM)                                                                                      \
    X(ENOSPC)                                                                                      \
    X(EIO)                                                                                         \
    X(ENOTEMPTY)                                                                                   \
    X(ENOSYS)                                                                                      \
    X(EROFS)                                                                                       \
    X(EBUSY)                                                                                       \
    X(EAGAIN)                                                                                      \
    X(EISCONN)                                                                                     \
    X(E2BIG)                                                                                       \
    X(EPERM)

#ifndef __ASSEMBLER__

/*
 * Message types. Payload shown as request -> reply; "ok" = "OK\0".
 */
enum xsd_sockmsg_type {
    XS_CONTROL = 0,               /* debug/control commands (was XS_DEBUG) */
    XS_DIRECTORY = 1,             /* path -> child names, NUL-separated */
    XS_READ = 2,                  /* path -> value (no trailing NUL) */
    XS_GET_PERMS = 3,             /* path -> perms, e.g. "n0\0r1\0" */
    XS_WATCH = 4,                 /* path token -> ok, then one event at once */
    XS_UNWATCH = 5,               /* path token -> ok */
    XS_TRANSACTION_START = 6,     /* "" -> tx id as decimal string */
    XS_TRANSACTION_END = 7,       /* "T" commit / "F" abort -> ok or EAGAIN */
    XS_INTRODUCE = 8,             /* domid mfn evtchn -> ok (dom0) */
    XS_RELEASE = 9,               /* domid -> ok (dom0) */
    XS_GET_DOMAIN_PATH = 10,      /* domid -> "/local/domain/<domid>" */
    XS_WRITE = 11,                /* path value -> ok */
    XS_MKDIR = 12,                /* path -> ok */
    XS_RM = 13,                   /* path -> ok (removes the subtree) */
    XS_SET_PERMS = 14,            /* path perms... -> ok */
    XS_WATCH_EVENT = 15,          /* server -> client: path token */
    XS_ERROR = 16,                /* server -> client: error name */
    XS_IS_DOMAIN_INTRODUCED = 17, /* domid -> "T" or "F" */
    XS_RESUME = 18,               /* domid -> ok (dom0) */
    XS_SET_TARGET = 19,           /* domid target -> ok (dom0) */
    /* 20 was XS_RESTRICT; never reuse it. */
    XS_RESET_WATCHES = 21,  /* "" -> ok: drop all of the caller's watches */
    XS_DIRECTORY_PART = 22, /* path offset -> generation, names... */
    XS_TYPE_COUNT = 23,     /* number of type values */
    XS_INVALID = 0xffff     /* never a valid type */
};
#define XS_DEBUG XS_CONTROL

/* Fields of an XS_WATCH_EVENT payload. */
enum xs_watch_type { XS_WATCH_PATH = 0, XS_WATCH_TOKEN = 1 };

/* Message header; `len` payload bytes follow. */
struct xsd_sockmsg {
    uint32_t type;   /* enum xsd_sockmsg_type */
    uint32_t req_id; /* chosen by the client, echoed in the reply */
    uint32_t tx_id;  /* transaction id, 0 = none */
    uint32_t len;    /* payload bytes */
};
_Static_assert(sizeof(struct xsd_sockmsg) == 16, "xsd_sockmsg");

/*
 * The xenstore ring page. req[]: guest -> server (guest advances req_prod,
 * server req_cons); rsp[]: server -> guest (server advances rsp_prod,
 * guest rsp_cons). Free-running uint32_t indices, as for the console ring.
 */
struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE]; /* requests to the server */
    char rsp[XENSTORE_RING_SIZE]; /* replies and watch events */
    uint32_t req_cons;
    uint32_t req_prod;
    uint32_t rsp_cons;
    uint32_t rsp_prod;
    uint32_t server_features; /* XENSTORE_SERVER_FEATURE_* (server) */
    uint32_t connection;      /* XENSTORE_CONNECTED / _RECONNECT */
    uint32_t error;           /* XENSTORE_ERROR_* (server) */
};
_Static_assert(sizeof(struct xenstore_domain_interface) == 2076, "xenstore_domain_interface");

/* Position in req[] / rsp[] of free-running index idx. */
#define MASK_XENSTORE_IDX(idx) ((uint32_t)(idx) % XENSTORE_RING_SIZE)

#endif /* !__ASSEMBLER__ */

#endif /* XEN_LITE_PUBLIC_IO_XS_WIRE_H */
