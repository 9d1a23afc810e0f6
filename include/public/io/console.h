/* SPDX-License-Identifier: MIT */
/* Console ring: the shared page between a guest and its console backend. */
#ifndef XEN_LITE_PUBLIC_IO_CONSOLE_H
#define XEN_LITE_PUBLIC_IO_CONSOLE_H

/*
 * Overview
 * --------
 * One page (start_info.console.domU.mfn) holds two byte rings; the event
 * channel start_info.console.domU.evtchn signals "new data / space freed"
 * in either direction.
 *   out[]: guest -> backend. Guest advances out_prod, backend out_cons.
 *   in[]:  backend -> guest. Backend advances in_prod, guest in_cons.
 * Indices are free-running uint32_t counters (they wrap at 2^32); the byte
 * for index i is at ring[i % size]. prod - cons is the number of unread
 * bytes. Write the data, then a write barrier, then the producer index.
 * Guests usually spin (yielding) while out[] is full, so a backend must
 * always make progress.
 */

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#define XENCONS_IN_SIZE  1024
#define XENCONS_OUT_SIZE 2048

#ifndef __ASSEMBLER__

struct xencons_interface {
    char in[XENCONS_IN_SIZE];   /* input to the guest */
    char out[XENCONS_OUT_SIZE]; /* output from the guest */
    uint32_t in_cons;           /* written by the guest */
    uint32_t in_prod;           /* written by the backend */
    uint32_t out_cons;          /* written by the backend */
    uint32_t out_prod;          /* written by the guest */
};
_Static_assert(sizeof(struct xencons_interface) == 3088, "xencons_interface");

/* Position in in[] / out[] of free-running index idx. */
static inline uint32_t xencons_in_slot(uint32_t idx)
{
    return idx % XENCONS_IN_SIZE;
}

static inline uint32_t xencons_out_slot(uint32_t idx)
{
    return idx % XENCONS_OUT_SIZE;
}

/* Porters' spelling: slot of idx in the array `ring` (a power-of-2 size). */
#define MASK_XENCONS_IDX(idx, ring) ((uint32_t)(idx) % (uint32_t)sizeof(ring))

#endif /* !__ASSEMBLER__ */

#endif /* XEN_LITE_PUBLIC_IO_CONSOLE_H */
