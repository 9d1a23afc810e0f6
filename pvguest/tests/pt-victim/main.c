/* SPDX-License-Identifier: MIT */
/*
 * pt-victim: a domain that minds its own business while another one attacks the
 * hypervisor's page-type checks (pt-hostile boots the two side by side).
 *
 * Whatever the attacker's hypercalls do, they must not reach this domain's memory. So it
 * takes a checksum of its code and read-only data, its p2m list, its start_info page, a
 * 64 KiB buffer it filled with a pattern, and its boot page tables (ignoring the Accessed
 * and Dirty bits the CPU sets), 8 times, yielding the CPU 50 times between two rounds so
 * the other domains run, and fails if anything changed. Booted alone (as dom0, the
 * default) it simply passes.
 */
#include <pvguest/test.h>

#define ROUNDS        8
#define YIELDS        50
#define PATTERN_WORDS (16 * 512)

static uint64_t pattern[PATTERN_WORDS] __attribute__((aligned(4096)));

static uint64_t fnv(uint64_t h, const volatile void *p, size_t n, uint64_t ignore)
{
    const volatile uint64_t *w = p;

    for (size_t i = 0; i < n / 8; i++)
        h = (h ^ (w[i] & ~ignore)) * 0x100000001b3ULL;
    return h;
}

static uint64_t checksum(void)
{
    const struct start_info *si = pv_start_info;
    uint64_t h = 0xcbf29ce484222325ULL;

    h = fnv(h, _start, (size_t)(_etext - _start) & ~7UL, 0);
    h = fnv(h, (const void *)si->mfn_list, si->nr_pages * 8, 0);
    h = fnv(h, si, PV_PAGE_SIZE, 0);
    h = fnv(h, pattern, sizeof(pattern), 0);
    return fnv(h, (const void *)si->pt_base, si->nr_pt_frames * PV_PAGE_SIZE,
               X86_PTE_A | X86_PTE_D);
}

void test_main(void)
{
    uint64_t first, sum;
    unsigned int bad = 0;

    for (unsigned int i = 0; i < PATTERN_WORDS; i++)
        pattern[i] = 0x5eed000000000000ULL ^ (i * 0x9e3779b97f4a7c15ULL);
    first = checksum();
    pv_printf("victim: checksum %#lx over code, p2m, start_info, pattern and page tables\n",
              (unsigned long)first);
    for (unsigned int r = 1; r <= ROUNDS; r++) {
        for (unsigned int y = 0; y < YIELDS; y++)
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        sum = checksum();
        if (!xtf_check(sum == first, "round %u: checksum %#lx, was %#lx", r, (unsigned long)sum,
                       (unsigned long)first))
            first = sum;
    }
    for (unsigned int i = 0; i < PATTERN_WORDS; i++)
        bad += pattern[i] != (0x5eed000000000000ULL ^ (i * 0x9e3779b97f4a7c15ULL));
    xtf_check(bad == 0, "%u words of the pattern buffer changed", bad);
    pv_printf("victim: %u rounds, memory unchanged\n", ROUNDS);
    xtf_success();
}
