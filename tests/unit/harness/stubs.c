/* SPDX-License-Identifier: MIT */
/* Harness: what the sources under test call from files the tests do not compile. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <asm/apic.h>
#include <asm/ioapic.h>
#include <asm/pv.h>
#include <heap.h>
#include <lib.h>
#include <asm/smp.h>
#include <sched.h>
#include <softirq.h>
#include "harness.h"

/* ---- boot/head.S and entry.S (copy_guest_raw is in harness.c, with guest memory) ---- */

uint64_t boot_l4[512], boot_l3[512], boot_l2[4 * 512]; /* paging.c edits these in mm_init() */
const uint64_t trap_stub_table[256];                   /* desc.c: cpu_desc_init() only */
char syscall_entry[1];                                 /* desc.c: cpu_desc_init() only */

/*
 * Loads %gs from the running vCPU's guest GDT copy: a null selector loads base 0 (as Intel
 * CPUs do); a selector whose descriptor is absent or not present faults, and then, as in
 * entry.S, the null selector is loaded and -1 returned.
 */
int load_gs_selector(unsigned int sel)
{
    struct vcpu *v = current;
    unsigned int idx = (sel & 0xffff) >> 3;
    uint64_t d;

    wrmsr(MSR_GS_BASE, 0);
    if ((sel & 0xffff) < 4)
        return 0;
    if ((sel & 4) || idx >= v->gdt_entries || !(v->gdt[idx] >> 47 & 1))
        return -1;
    d = v->gdt[idx];
    wrmsr(MSR_GS_BASE, (d >> 16 & 0xffffff) | (d >> 56 & 0xff) << 24);
    return 0;
}

/* ---- common/sched.c: the scheduler only records what it was asked. ---- */

int vcpu_prepare_stack(struct vcpu *v)
{
    v->stack = heap_alloc(STACK_SIZE);
    if (!v->stack)
        return -XEN_ENOMEM;
    v->regs = (struct cpu_user_regs *)(v->stack + STACK_SIZE) - 1;
    return 0;
}

void sched_yield(void)
{
    harness.sched_requests++;
}

/* Long batches ask whether to stop; a test sets harness.preempt to make them. */
bool sched_preempt_pending(void)
{
    harness.preempt_checks++;
    return harness.preempt;
}

/* One fake CPU, running the current vCPU. */
uint64_t sched_domain_cpus(const struct domain *d)
{
    return !d || current->domain == d;
}

/* One fake CPU: a flush of it is a local flush (counted by the fake CPU). */
void flush_tlb_cpus(uint64_t cpu_mask)
{
    if (cpu_mask & 1)
        flush_tlb_local();
}

void vcpu_up(struct vcpu *v)
{
    if (v->state == VCPU_OFFLINE)
        v->state = VCPU_RUNNABLE;
}

/* The harness has no guest page tables to copy through: record nothing. */
void runstate_publish(struct vcpu *v)
{
    (void)v;
}

void vcpu_offline(struct vcpu *v)
{
    v->state = VCPU_OFFLINE;
    harness.offlines++;
}

/* Blocking returns at once, as if the vCPU had been woken straight away. */
void vcpu_block_current(void)
{
    harness.blocks++;
    harness.polling_at_block = current->polling;
}

void sched_block_current_enable_events(void)
{
    harness.block_enable_events++;
}

/* An event for v: counted, and a blocked vCPU becomes runnable (as the real one does). */
void vcpu_kick(struct vcpu *v)
{
    harness.kicks++;
    harness.last_kicked = v;
    if (v->state == VCPU_BLOCKED)
        v->state = VCPU_RUNNABLE;
}

/* The real one never comes back to a vCPU that went offline. */
void schedule_if_needed(void)
{
    if (current->state == VCPU_OFFLINE)
        harness_escape("switched away from offline vCPU d%uv%u", current->domain->domid,
                       current->vcpu_id);
}

/* ---- arch/x86_64: pv/traps.c, setup.c, traps.c, apic.c, serial.c ---- */

void pv_toggle_guest_mode(struct vcpu *v)
{
    v->kernel_mode = !v->kernel_mode;
    harness.mode_toggles++;
}

const char *hypervisor_cmdline(void)
{
    return harness.cmdline;
}

void panic(const char *fmt, ...)
{
    char msg[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    harness_escape("panic: %s", msg);
}

void machine_halt(unsigned int exit_value, int reboot)
{
    harness.halt_value = exit_value;
    harness_escape("machine halt (value %u%s)", exit_value, reboot ? ", reboot" : "");
}

uint64_t now_ns(void)
{
    return harness.now_ns;
}

/* Output is read back from the console's own history (console_text()). */
void serial_putc(char c)
{
    (void)c;
}

int serial_getc(void)
{
    return harness.input && *harness.input ? (unsigned char)*harness.input++ : -1;
}

/* ---- arch/x86_64/ioapic.c: a fake IO-APIC that records what it was told ---- */

static uint64_t vectors_used[4];

bool ioapic_gsi_exists(unsigned int gsi)
{
    return gsi < HARNESS_NR_GSIS;
}

int isa_irq_to_gsi(unsigned int irq, bool *level, bool *active_low)
{
    if (irq > 15)
        return -XEN_EINVAL;
    *level = irq == 5 || irq == 9 || irq == 10 || irq == 11;
    *active_low = false;
    return irq == 0 ? 2 : (int)irq;
}

int irq_vector_alloc(void)
{
    for (unsigned int v = IRQ_VECTOR_FIRST; v <= IRQ_VECTOR_LAST && !harness.no_vectors; v++) {
        if (!(vectors_used[v / 64] >> (v % 64) & 1)) {
            vectors_used[v / 64] |= 1ULL << (v % 64);
            harness.vectors_in_use++;
            return (int)v;
        }
    }
    return -XEN_ENOSPC;
}

/* As the real one: a vector still carrying a routed GSI is not freed. */
void irq_vector_free(unsigned int vector)
{
    if (vector < IRQ_VECTOR_FIRST || vector > IRQ_VECTOR_LAST ||
        !(vectors_used[vector / 64] >> (vector % 64) & 1))
        return;
    for (unsigned int g = 0; g < HARNESS_NR_GSIS; g++)
        if (harness.gsi[g].routed && harness.gsi[g].vector == vector)
            return;
    vectors_used[vector / 64] &= ~(1ULL << (vector % 64));
    harness.vectors_in_use--;
}

int ioapic_route_gsi(unsigned int gsi, unsigned int vector, unsigned int dest_cpu, bool level,
                     bool active_low)
{
    if (gsi >= HARNESS_NR_GSIS || vector < IRQ_VECTOR_FIRST || vector > IRQ_VECTOR_LAST ||
        !(vectors_used[vector / 64] >> (vector % 64) & 1) || dest_cpu != 0)
        return -XEN_EINVAL;
    harness.gsi[gsi] = (struct harness_gsi){.routed = true,
                                            .masked = true,
                                            .level = level,
                                            .active_low = active_low,
                                            .vector = vector,
                                            .unmasks = harness.gsi[gsi].unmasks};
    return 0;
}

int ioapic_unroute_gsi(unsigned int gsi)
{
    if (gsi >= HARNESS_NR_GSIS || !harness.gsi[gsi].routed)
        return -XEN_EINVAL;
    harness.gsi[gsi].routed = false;
    harness.gsi[gsi].masked = true;
    return 0;
}

int ioapic_mask_gsi(unsigned int gsi)
{
    if (gsi >= HARNESS_NR_GSIS || !harness.gsi[gsi].routed)
        return -XEN_EINVAL;
    harness.gsi[gsi].masked = true;
    return 0;
}

int ioapic_unmask_gsi(unsigned int gsi)
{
    if (gsi >= HARNESS_NR_GSIS || !harness.gsi[gsi].routed)
        return -XEN_EINVAL;
    harness.gsi[gsi].masked = false;
    harness.gsi[gsi].unmasks++;
    return 0;
}

/* ---- arch/x86_64/serial.c: the console is COM1 ---- */

unsigned int serial_base(void)
{
    return 0x3f8;
}

void serial_enable_rx_irq(void)
{
    harness.serial_rx_irqs++;
}

/* ---- lib/string.c's strlcpy (see string.h here) ---- */

size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);

    if (size) {
        size_t n = len < size - 1 ? len : size - 1;

        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}
