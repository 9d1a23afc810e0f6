/* SPDX-License-Identifier: MIT */
/* Traps: the virtual IDT, callback registration, and dispatch of every entry to a handler. */
#include <pvguest/pvguest.h>

/* lib/entry.S */
extern char pv_trap_stubs[], pv_event_entry[], pv_syscall_entry[], pv_failsafe_entry[];
extern unsigned long pv_user_saved_rsp; /* non-zero while pv_run_user() is running */
void pv_user_return(long value) __attribute__((noreturn));

#define PV_TRAP_STUB_SIZE 16
#define NR_HANDLERS       (PV_VEC_FAILSAFE + 1)

static pv_trap_handler_t handlers[NR_HANDLERS];

static const char *const exception_names[32] = {
    "#DE divide error",
    "#DB debug",
    "NMI",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound range",
    "#UD invalid opcode",
    "#NM device not available",
    "#DF double fault",
    "coprocessor segment overrun",
    "#TS invalid TSS",
    "#NP segment not present",
    "#SS stack fault",
    "#GP general protection",
    "#PF page fault",
    "reserved 15",
    "#MF x87 error",
    "#AC alignment check",
    "#MC machine check",
    "#XM SIMD error",
    "#VE virtualization",
    "#CP control protection",
};

unsigned long pv_trap_stub(unsigned int vector)
{
    return (unsigned long)pv_trap_stubs + (vector & 0xff) * PV_TRAP_STUB_SIZE;
}

static uint8_t trap_flags(unsigned int dpl, bool mask_events)
{
    return (uint8_t)((dpl & 3) | (mask_events ? 4 : 0));
}

long pv_set_trap_entry(unsigned int vector, unsigned int dpl, bool mask_events)
{
    struct trap_info table[2] = {
        {.vector = (uint8_t)vector,
         .flags = trap_flags(dpl, mask_events),
         .cs = FLAT_KERNEL_CS,
         .address = pv_trap_stub(vector)},
        {0},
    };

    return HYPERVISOR_set_trap_table(table);
}

pv_trap_handler_t pv_set_trap_handler(unsigned int vector, pv_trap_handler_t fn)
{
    pv_trap_handler_t old;

    if (vector >= NR_HANDLERS)
        return NULL;
    old = handlers[vector];
    handlers[vector] = fn;
    return old;
}

uint64_t pv_read_cr2(void)
{
    return pv_shared_info ? pv_shared_info->vcpu_info[0].arch.cr2 : 0;
}

static const char *vector_name(uint64_t vector)
{
    if (vector < ARRAY_SIZE(exception_names) && exception_names[vector])
        return exception_names[vector];
    switch (vector) {
    case PV_VEC_EVENT:
        return "event callback";
    case PV_VEC_SYSCALL:
        return "user syscall";
    case PV_VEC_FAILSAFE:
        return "failsafe callback";
    default:
        return "software interrupt";
    }
}

void pv_dump_frame(const struct pv_trap_frame *f)
{
    pv_printf("vector %#lx (%s) error code %#lx from guest %s mode\n", (unsigned long)f->vector,
              vector_name(f->vector), (unsigned long)f->error_code,
              pv_frame_from_user(f) ? "user" : "kernel");
    pv_printf("rip %016lx cs %016lx rflags %016lx\n", (unsigned long)f->rip, (unsigned long)f->cs,
              (unsigned long)f->rflags);
    pv_printf("rsp %016lx ss %016lx frame @ %p\n", (unsigned long)f->rsp, (unsigned long)f->ss,
              (const void *)f);
    if (f->vector == X86_EXC_PF)
        pv_printf("cr2 %016lx\n", (unsigned long)pv_read_cr2());
    pv_printf("rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", (unsigned long)f->rax,
              (unsigned long)f->rbx, (unsigned long)f->rcx, (unsigned long)f->rdx);
    pv_printf("rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", (unsigned long)f->rsi,
              (unsigned long)f->rdi, (unsigned long)f->rbp, (unsigned long)f->r8);
    pv_printf("r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", (unsigned long)f->r9,
              (unsigned long)f->r10, (unsigned long)f->r11, (unsigned long)f->r12);
    pv_printf("r13 %016lx r14 %016lx r15 %016lx\n", (unsigned long)f->r13, (unsigned long)f->r14,
              (unsigned long)f->r15);
}

void pv_unhandled_trap(struct pv_trap_frame *f)
{
    pv_printf("PANIC: unhandled trap in pvguest\n");
    pv_dump_frame(f);
    pv_crash();
}

void pv_handle_trap(struct pv_trap_frame *f)
{
    uint64_t vector = f->vector;

    /* Leaving user mode must work whatever handlers a test installed. */
    if (vector == PV_VEC_SYSCALL && f->rax == PV_SYS_EXIT && pv_user_saved_rsp)
        pv_user_return((long)f->rdi);

    if (vector < NR_HANDLERS && handlers[vector]) {
        handlers[vector](f);
        return;
    }

    switch (vector) {
    case PV_VEC_EVENT:
        pv_handle_events();
        return;
    case PV_VEC_SYSCALL:
        f->rax = (uint64_t)-XEN_ENOSYS;
        return;
    default:
        pv_unhandled_trap(f);
    }
}

/*
 * Boot-time setup: vectors 0-19 into the virtual IDT (DPL 0, except #BP and #OF which
 * `int3`/`into` may raise from anywhere: DPL 3), events masked in every handler; then the
 * event, failsafe and syscall callbacks.
 */
void pv_traps_init(void)
{
    static struct trap_info table[21];
    static const struct {
        uint16_t type;
        const char *entry;
    } callbacks[] = {
        {CALLBACKTYPE_event, pv_event_entry},
        {CALLBACKTYPE_failsafe, pv_failsafe_entry},
        {CALLBACKTYPE_syscall, pv_syscall_entry},
    };
    long rc;

    /* Every stub starts with `pop %rcx` (0x59): proof the stubs are 16 bytes apart. */
    for (unsigned int v = 0; v < 256; v++)
        if (*(const uint8_t *)pv_trap_stub(v) != 0x59) {
            pv_printf("pvguest: trap stub %u is misplaced\n", v);
            pv_crash();
        }

    for (unsigned int v = 0; v < 20; v++) {
        unsigned int dpl = (v == X86_EXC_BP || v == X86_EXC_OF) ? 3 : 0;

        table[v] = (struct trap_info){
            .vector = (uint8_t)v,
            .flags = trap_flags(dpl, true),
            .cs = FLAT_KERNEL_CS,
            .address = pv_trap_stub(v),
        };
    }
    table[20] = (struct trap_info){0};
    rc = HYPERVISOR_set_trap_table(table);
    if (rc)
        pv_printf("pvguest: set_trap_table failed: %ld (%s)\n", rc, xen_errno_name((int)rc));

    for (unsigned int i = 0; i < ARRAY_SIZE(callbacks); i++) {
        struct callback_register cb = {
            .type = callbacks[i].type,
            .flags = CALLBACKF_mask_events,
            .address = (uint64_t)callbacks[i].entry,
        };

        rc = HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
        if (rc)
            pv_printf("pvguest: registering callback type %u failed: %ld (%s)\n", cb.type, rc,
                      xen_errno_name((int)rc));
    }
}
