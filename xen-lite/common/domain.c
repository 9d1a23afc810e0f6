/* SPDX-License-Identifier: MIT */
/* Domains: creation, lookup, shutdown, crash reports, and freeing what they held. */
#include <stdarg.h>
#include <format.h>
#include <string.h>
#include <public/sched.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/pv.h>
#include <console.h>
#include <domain.h>
#include <event.h>
#include <heap.h>
#include <lib.h>
#include <memlayout.h>
#include <mm.h>
#include <sched.h>
#include <time.h>

struct domain *domains[MAX_DOMAINS];
struct domain *dom0;
static bool reap_pending; /* some domain has shut down and awaits domain_reap() */

static const char *const shutdown_names[] = {"poweroff", "reboot",   "suspend",
                                             "crash",    "watchdog", "soft_reset"};

static const char *shutdown_name(unsigned int reason)
{
    return reason < ARRAY_SIZE(shutdown_names) ? shutdown_names[reason] : "unknown";
}

static struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v = heap_alloc(sizeof(*v));

    if (!v)
        return NULL;
    v->domain = d;
    v->vcpu_id = id;
    v->state = VCPU_OFFLINE;
    v->runstate.state = RUNSTATE_offline;
    v->kernel_mode = true;
    v->vcpu_info = &d->shared_info->vcpu_info[id];
    v->vcpu_info->evtchn_upcall_mask = 1;
    v->gdt = heap_alloc(GDT_BYTES);
    if (!v->gdt || vcpu_prepare_stack(v)) {
        heap_free(v->gdt, GDT_BYTES);
        heap_free(v, sizeof(*v));
        return NULL;
    }
    gdt_init_reserved(v->gdt, this_cpu());
    vcpu_time_init(v);
    return v;
}

static void vcpu_destroy(struct vcpu *v)
{
    vcpu_time_destroy(v);
    heap_free(v->stack, STACK_SIZE);
    heap_free(v->gdt, GDT_BYTES);
    heap_free(v->ldt, LDT_BYTES);
    heap_free(v, sizeof(*v));
}

struct domain *domain_create(uint16_t domid, const char *name, bool privileged,
                             unsigned int nr_vcpus)
{
    struct domain *d;

    if (domid >= MAX_DOMAINS || domains[domid] || !nr_vcpus || nr_vcpus > MAX_VCPUS_PER_DOM)
        return NULL;
    d = heap_alloc(sizeof(*d));
    if (!d)
        return NULL;
    d->domid = domid;
    strlcpy(d->name, name, sizeof(d->name));
    d->is_privileged = privileged;
    d->state = DOM_RUNNING;
    d->sched_weight = SCHED_DEFAULT_WEIGHT;
    d->first_mfn_list = INVALID_MFN;
    d->shared_info_mfn = domain_alloc_frame(d, true);
    if (d->shared_info_mfn == INVALID_MFN)
        goto fail;
    d->shared_info = mfn_to_virt(d->shared_info_mfn);
    if (evtchn_domain_init(d))
        goto fail;
    for (; d->nr_vcpus < nr_vcpus; d->nr_vcpus++) {
        d->vcpus[d->nr_vcpus] = vcpu_create(d, d->nr_vcpus);
        if (!d->vcpus[d->nr_vcpus])
            goto fail;
    }
    domains[domid] = d;
    return d;

fail:
    evtchn_domain_destroy(d);
    domain_free_memory(d);
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        vcpu_destroy(d->vcpus[i]);
    heap_free(d, sizeof(*d));
    return NULL;
}

uint64_t domain_cpu_time(const struct domain *d)
{
    uint64_t t = 0;

    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        t += d->vcpus[i]->cpu_time_ns;
    return t;
}

struct domain *domain_lookup(uint16_t domid)
{
    if (domid == DOMID_SELF)
        return current->domain;
    return domid < MAX_DOMAINS ? domains[domid] : NULL;
}

/* Flushes a partial console line so the shutdown message follows the guest's last words. */
static void flush_console(struct domain *d)
{
    if (d->con_len) {
        console_guest_write(d->domid, d->con_buf, d->con_len);
        console_guest_write(d->domid, "\n", 1);
        d->con_len = 0;
    }
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    if (d->state != DOM_RUNNING)
        return;
    flush_console(d);
    d->state = DOM_SHUTDOWN;
    d->shutdown_reason = reason;
    reap_pending = true;
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        vcpu_offline(d->vcpus[i]);
    printk("d%u (%s) shut down: %s, CPU time %lu ms\n", d->domid, d->name, shutdown_name(reason),
           domain_cpu_time(d) / 1000000);
    if (d == dom0) {
        printk("dom0 has shut down (%s): ending the machine\n", shutdown_name(reason));
        machine_halt(reason, reason == SHUTDOWN_reboot);
    }
    send_guest_global_virq(dom0, VIRQ_DOM_EXC); /* tell the toolstack, as Xen does */
}

void domain_crash(struct domain *d, const char *why)
{
    if (d->state != DOM_RUNNING)
        return;
    printk("d%u (%s) crashed: %s\n", d->domid, d->name, why);
    d->crashed = true;
    domain_shutdown(d, SHUTDOWN_crash);
}

void domain_crash_current(const char *fmt, ...)
{
    struct vcpu *v = current;
    struct cpu_user_regs *r = v->regs;
    char why[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    printk("d%uv%u crash report: %s\n", v->domain->domid, v->vcpu_id, why);
    printk("  guest %s mode: rip %016lx rsp %016lx rflags %08lx cs %04lx ss %04lx\n",
           v->kernel_mode ? "kernel" : "user", r->rip, r->rsp, r->rflags, r->cs, r->ss);
    printk("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", r->rax, r->rbx, r->rcx, r->rdx);
    printk("  rsi %016lx rdi %016lx rbp %016lx cr2 %016lx\n", r->rsi, r->rdi, r->rbp,
           v->vcpu_info->arch.cr2);
    domain_crash(v->domain, why);
    /* Our vCPU is offline now: switch away for good. */
    schedule_if_needed();
    panic("crashed vCPU d%uv%u was scheduled again", v->domain->domid, v->vcpu_id);
}

/* True while any CPU still runs on one of d's vCPUs (it may be on its way out). */
static bool domain_still_running(const struct domain *d)
{
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i]->is_running)
            return true;
    return false;
}

void domain_reap(void)
{
    if (!reap_pending)
        return;
    reap_pending = false;
    for (int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = domains[i];

        if (!d || d->state != DOM_SHUTDOWN)
            continue;
        if (domain_still_running(d)) {
            reap_pending = true; /* a CPU is still on one of its stacks: next time */
            continue;
        }
        evtchn_domain_destroy(d); /* while its shared_info and peers still exist */
        domain_free_memory(d);
        for (unsigned int j = 0; j < d->nr_vcpus; j++)
            vcpu_destroy(d->vcpus[j]);
        d->state = DOM_DEAD;
        log_info("d%u (%s): all memory returned\n", d->domid, d->name);
        domains[i] = NULL;
        heap_free(d, sizeof(*d));
        send_guest_global_virq(dom0, VIRQ_DOM_EXC); /* and again once it is gone (Xen too) */
    }
}
