/* SPDX-License-Identifier: MIT */
/* Hypercall test harness: fake CPU, fake RAM, guest memory, boot, and issuing hypercalls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <public/arch-x86-pt.h>
#include <console.h>
#include <frame-alloc.h>
#include <irq.h>
#include <lib.h>
#include "harness.h"

struct fake_cpu fake_cpu;
struct percpu fake_percpu;
static uint8_t ram_store[FAKE_RAM_BYTES] __attribute__((aligned(4096)));
uint8_t *fake_ram = ram_store;
struct harness harness;
struct domain *domu;

/* ---- Fake CPU: MSRs are created on first use. ---- */

static struct {
    uint32_t msr;
    uint64_t value;
} msrs[32];

uint64_t *fake_msr(uint32_t msr)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(msrs); i++) {
        if (msrs[i].msr == msr)
            return &msrs[i].value;
        if (msrs[i].msr == 0) {
            msrs[i].msr = msr;
            return &msrs[i].value;
        }
    }
    abort(); /* more distinct MSRs than any source under test uses */
}

/* ---- Guest memory: the window at GUEST_BASE, minus the pages taken away. ---- */

static uint8_t guest_ram[GUEST_SIZE];
static uint64_t guest_unmapped; /* bit i: page i of the window faults */
static uint64_t guest_next;     /* guest_alloc() bump pointer (offset into the window) */

static bool guest_byte_ok(uint64_t va)
{
    uint64_t off = va - GUEST_BASE;

    return va >= GUEST_BASE && off < GUEST_SIZE && !(guest_unmapped >> (off / 4096) & 1);
}

static bool in_window(uint64_t va)
{
    return va >= GUEST_BASE && va - GUEST_BASE < GUEST_SIZE;
}

/*
 * entry.S's fault-surviving copy.  Exactly one side is a guest address (the other is the
 * hypervisor's own buffer); a side inside the window is the guest's, and if neither is, the
 * guest address is elsewhere and faults at once.  Like `rep movsb`, the bytes before the
 * first faulting one are copied; returns how many were not.
 */
size_t copy_guest_raw(void *dst, const void *src, size_t n)
{
    bool to_guest = in_window((uintptr_t)dst);
    uint64_t gva = to_guest ? (uintptr_t)dst : (uintptr_t)src;

    harness.raw_copies++;
    for (size_t i = 0; i < n; i++) {
        if (!guest_byte_ok(gva + i))
            return n - i;
        if (to_guest)
            guest_ram[gva + i - GUEST_BASE] = ((const uint8_t *)src)[i];
        else
            ((uint8_t *)dst)[i] = guest_ram[gva + i - GUEST_BASE];
    }
    return 0;
}

void *guest_mem(uint64_t va, size_t len)
{
    if (!in_window(va) || len > GUEST_SIZE - (va - GUEST_BASE)) {
        fprintf(stderr, "harness: guest_mem(%#lx, %zu) is outside the guest window\n", va, len);
        abort();
    }
    return guest_ram + (va - GUEST_BASE);
}

uint64_t guest_alloc(size_t len)
{
    uint64_t va = GUEST_BASE + guest_next;

    guest_next = (guest_next + len + 15) & ~15ULL;
    memset(guest_mem(va, len), 0, len);
    return va;
}

uint64_t guest_put(const void *data, size_t len)
{
    uint64_t va = guest_alloc(len);

    memcpy(guest_mem(va, len), data, len);
    return va;
}

void guest_unmap_page(uint64_t va)
{
    guest_mem(va, 1);
    guest_unmapped |= 1ULL << ((va - GUEST_BASE) / 4096);
}

/* ---- Boot ---- */

static void *ram_virt(uint64_t maddr)
{
    return maddr_to_virt(maddr);
}

static struct domain *boot_domain(uint16_t domid, const char *name, bool privileged)
{
    struct domain *d = domain_create(domid, name, privileged, privileged ? 1 : HARNESS_DOMU_VCPUS);

    if (!d)
        abort();
    d->max_pages = 256;
    d->vcpus[0]->state = VCPU_RUNNABLE;
    return d;
}

void harness_boot(void)
{
    /* A PC-like map: the first MiB is RAM nobody may allocate (so mfns 0-255 are unowned). */
    const struct mem_range ram = {0, FAKE_RAM_BYTES}, low = {0, 1UL << 20};
    static bool booted;

    if (booted) {
        fprintf(stderr, "harness: harness_boot() twice in one process\n");
        abort();
    }
    booted = true;
    memset(fake_ram, 0xa5, FAKE_RAM_BYTES); /* garbage: the code must zero what it hands out */
    fake_percpu.self = &fake_percpu;
    harness.now_ns = 1000000000ULL;
    harness.cmdline = "console=com1 loglvl=debug";

    if (frame_alloc_init(&ram, 1, &low, 1, ram_virt))
        abort();
    mm_init();
    irq_init(); /* the hypervisor's lines and ports (COM1, PIT), before dom0 gets the rest */
    dom0 = boot_domain(0, "Domain-0", true);
    if (irq_setup_dom0(dom0))
        abort();
    domu = boot_domain(1, "domU1", false);
    harness_set_current(domu);
    fake_cpu.cr3_writes = fake_cpu.invlpgs = 0; /* tests count from here */
}

void harness_set_current(struct domain *d)
{
    fake_percpu.curr = d->vcpus[0];
    d->vcpus[0]->kernel_mode = true;
}

/* ---- Hypercalls ---- */

static jmp_buf *escape_to;

void harness_escape(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(harness.escape, sizeof(harness.escape), fmt, ap);
    va_end(ap);
    if (!escape_to) {
        fprintf(stderr, "harness: no way back from: %s\n", harness.escape);
        abort();
    }
    longjmp(*escape_to, 1);
}

long hc_call(uint64_t nr, const uint64_t args[6])
{
    struct cpu_user_regs *regs = current->regs;
    jmp_buf back;

    regs->rax = nr;
    regs->rdi = args[0];
    regs->rsi = args[1];
    regs->rdx = args[2];
    regs->r10 = args[3];
    regs->r8 = args[4];
    regs->r9 = args[5];
    harness.escape[0] = '\0';
    escape_to = &back;
    if (setjmp(back)) {
        escape_to = NULL;
        return HC_NO_RETURN;
    }
    hypercall_dispatch(regs);
    escape_to = NULL;
    return (long)regs->rax;
}

/* ---- Helpers for tests ---- */

uint64_t domain_frame(struct domain *d, enum page_type type)
{
    uint64_t mfn = domain_alloc_frame(d, false);

    if (mfn == INVALID_MFN)
        abort();
    /* A typed frame is held once, as if validated: its type cannot be taken over. */
    mfn_to_page(mfn)->type = type;
    mfn_to_page(mfn)->type_count = type != PGT_none;
    return mfn;
}

uint64_t *guest_l1e(struct vcpu *v, uint64_t va)
{
    static const enum page_type below[] = {PGT_l3, PGT_l2, PGT_l1};
    uint64_t mfn;

    if (!v->guest_table)
        v->guest_table = domain_frame(v->domain, PGT_l4);
    mfn = v->guest_table;
    for (int lvl = 0; lvl < 3; lvl++) {
        uint64_t *e = (uint64_t *)mfn_to_virt(mfn) + ((va >> (39 - 9 * lvl)) & 511);

        if (!(*e & X86_PTE_P))
            *e = X86_PTE_MAKE(domain_frame(v->domain, below[lvl]),
                              X86_PTE_P | X86_PTE_RW | X86_PTE_US | X86_PTE_A);
        mfn = X86_PTE_MFN(*e);
    }
    return (uint64_t *)mfn_to_virt(mfn) + ((va >> 12) & 511);
}

const char *console_text(void)
{
    static char text[16384 + 1];

    text[console_history(text, sizeof(text) - 1)] = '\0';
    return text;
}
