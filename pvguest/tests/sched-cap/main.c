/* SPDX-License-Identifier: MIT */
/*
 * sched-cap: a capped domain gets no more than its cap, even on an otherwise idle CPU.
 * The measurement is sched-fair's (CPU share over a window of system time against
 * PARTS/TOTAL from the command line); test.conf caps the domain at 25% and asks for 1/4.
 */
#include "../sched-fair/main.c"
