/* SPDX-License-Identifier: MIT */
/* bench: what the measures in the other files of pvguest/bench share. */
#ifndef PVGUEST_BENCH_H
#define PVGUEST_BENCH_H

#include <stdbool.h>
#include <stdint.h>

/* Cleared by any measure whose operations did not do what they should: dom0's verdict. */
extern bool bench_ok;

/* Prints one result line, "BENCH key value", the format scripts/bench.sh collects. */
void bench_report(const char *key, uint64_t value);

/* Sorts n values in place, smallest first (for medians). */
void bench_sort(int64_t *v, unsigned int n);

/*
 * The two-domain measures (pair.c). This image boots a second time as a domU, the peer,
 * whose command line is "peer": it runs bench_peer_main() and never returns.
 *
 * bench_pair_connect - dom0 only: offer the peer its channels and wait until it has bound
 * them and is blocked. False, with the reason printed, if there is no peer (the two-domain
 * rows are then left out) or it failed (bench_ok is cleared).
 * bench_pair_roundtrip - event round trips with the peer: cycles per round trip. The
 * peer's CPU is the scheduler's choice: the same one with one CPU, the other with two.
 * bench_pair_yield - both domains in a SCHEDOP_yield loop: cycles per switch.
 */
void bench_peer_main(void) __attribute__((noreturn));
bool bench_pair_connect(void);
uint64_t bench_pair_roundtrip(void);
uint64_t bench_pair_yield(void);

/* VIRQ_TIMER latency (timer.c): reports its own row, or says why it cannot. */
void bench_timer_latency(void);

#endif /* PVGUEST_BENCH_H */
