/* SPDX-License-Identifier: MIT */
/* Emulation of the privileged instructions PV guest kernels rely on. */
#include <public/xen.h>
#include <asm/io.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <console.h>
#include <domain.h>
#include <guest-access.h>
#include <irq.h>
#include <lib.h>
#include <pv-mm.h>
#include <sched.h>

/*
 * What a guest kernel (CPL 3) may do with privileged instructions, emulated here; anything
 * else is #GP to the guest:
 *   mov from CR0 / CR2 / CR3 / CR4     virtual views (CR0.TS is the guest's own)
 *   mov to CR0                         only CR0.TS may change (same as fpu_taskswitch)
 *   mov to CR3                         switch root table, as MMUEXT_NEW_BASEPTR
 *   mov to CR4                         ignored (the hypervisor owns CR4)
 *   clts                               clears the virtual CR0.TS
 *   wbinvd                             ignored
 *   hlt                                SCHEDOP_block
 *   rdmsr / wrmsr                      FS_BASE, GS_BASE, SHADOW_GS_BASE (read/write);
 *                                      EFER, PAT, TSC, MISC_ENABLE, PLATFORM_ID (read only)
 * and, in guest kernel AND user mode, port I/O (in, out, ins, outs; byte, word, dword; rep)
 * by Xen's rules, docs/irq.md:
 *   - the vCPU may try the port if its virtual IOPL allows its privilege (the guest kernel
 *     counts as ring 1, or ring 0 with VMASST_TYPE_architectural_iopl; user as ring 3),
 *     or its own I/O bitmap (PHYSDEVOP_set_iobitmap) clears the port's bits; else #GP;
 *   - then the access reaches the hardware only if the domain has I/O permission for the
 *     ports: otherwise reads return all ones and writes are dropped (no fault, as Xen).
 */

#define MSR_IA32_PLATFORM_ID 0x17

struct insn {
    uint8_t bytes[16];
    unsigned int len; /* bytes fetched */
    unsigned int pos; /* decode cursor */
    uint8_t rex;
    bool opsize16; /* 0x66 */
    bool addr32;   /* 0x67 */
    bool rep;      /* 0xf3 or 0xf2 (both repeat ins/outs) */
    uint8_t seg;   /* segment override prefix byte, 0 = none */
};

/* String I/O iterations per trap: a long `rep` re-executes (and re-traps) for the rest. */
#define IO_REP_BATCH 256

static void fetch(struct insn *in, uint64_t rip)
{
    in->len = 0;
    while (in->len < 15 && !copy_from_guest(&in->bytes[in->len], guest_ptr(rip + in->len), 1))
        in->len++;
}

static int next_byte(struct insn *in)
{
    return in->pos < in->len ? in->bytes[in->pos++] : -1;
}

static uint64_t *gpr(struct cpu_user_regs *r, unsigned int n)
{
    uint64_t *const map[16] = {&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
                               &r->rsi, &r->rdi, &r->r8,  &r->r9,  &r->r10, &r->r11,
                               &r->r12, &r->r13, &r->r14, &r->r15};

    return map[n & 15];
}

static uint64_t guest_cr0(const struct vcpu *v)
{
    return (read_cr0() & ~X86_CR0_TS) | (v->fpu_ts ? X86_CR0_TS : 0);
}

static bool read_cr(struct vcpu *v, unsigned int cr, uint64_t *val)
{
    switch (cr) {
    case 0:
        *val = guest_cr0(v);
        return true;
    case 2:
        *val = v->vcpu_info->arch.cr2;
        return true;
    case 3:
        *val = (v->kernel_mode ? v->guest_table : v->guest_table_user) << 12;
        return true;
    case 4:
        *val = read_cr4();
        return true;
    }
    return false;
}

static bool write_cr(struct vcpu *v, unsigned int cr, uint64_t val)
{
    switch (cr) {
    case 0:
        if ((val ^ guest_cr0(v)) & ~X86_CR0_TS)
            return false;
        v->fpu_ts = (val & X86_CR0_TS) != 0;
        write_cr0(v->fpu_ts ? read_cr0() | X86_CR0_TS : read_cr0() & ~X86_CR0_TS);
        return true;
    case 3:
        return pv_new_guest_cr3(v, val >> 12) == 0;
    case 4:
        return true;
    }
    return false;
}

static bool do_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    switch (msr) {
    case MSR_FS_BASE:
        *val = rdmsr(MSR_FS_BASE);
        return true;
    case MSR_GS_BASE: /* the guest's live GS base is in SHADOW while we run */
        *val = rdmsr(MSR_SHADOW_GS_BASE);
        return true;
    case MSR_SHADOW_GS_BASE:
        *val = v->kernel_mode ? v->gs_base_user : v->gs_base_kernel;
        return true;
    case MSR_EFER:
        *val = rdmsr(MSR_EFER);
        return true;
    case MSR_IA32_PAT:
        *val = rdmsr(MSR_IA32_PAT);
        return true;
    case MSR_IA32_TSC:
        *val = rdtsc();
        return true;
    case MSR_IA32_MISC_ENABLE:
    case MSR_IA32_PLATFORM_ID:
        *val = 0;
        return true;
    }
    return false;
}

static bool do_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    if ((msr == MSR_FS_BASE || msr == MSR_GS_BASE || msr == MSR_SHADOW_GS_BASE) &&
        !is_canonical(val))
        return false;
    switch (msr) {
    case MSR_FS_BASE:
        wrmsr(MSR_FS_BASE, val);
        return true;
    case MSR_GS_BASE:
        wrmsr(MSR_SHADOW_GS_BASE, val);
        return true;
    case MSR_SHADOW_GS_BASE:
        if (v->kernel_mode)
            v->gs_base_user = val;
        else
            v->gs_base_kernel = val;
        return true;
    }
    return false;
}

static bool emulate_0f(struct vcpu *v, struct cpu_user_regs *r, struct insn *in)
{
    int op = next_byte(in), modrm;
    uint64_t val;

    switch (op) {
    case 0x06: /* clts */
        v->fpu_ts = false;
        asm volatile("clts");
        return true;
    case 0x09: /* wbinvd */
        return true;
    case 0x20: /* mov %crN, reg */
    case 0x22: /* mov reg, %crN */
        modrm = next_byte(in);
        if (modrm < 0)
            return false;
        {
            unsigned int cr = ((modrm >> 3) & 7) | (in->rex & 4 ? 8 : 0);
            uint64_t *reg = gpr(r, (modrm & 7) | (in->rex & 1 ? 8 : 0));

            if (op == 0x20)
                return read_cr(v, cr, reg);
            return write_cr(v, cr, *reg);
        }
    case 0x30: /* wrmsr */
        return do_wrmsr(v, (uint32_t)r->rcx, (r->rdx << 32) | (uint32_t)r->rax);
    case 0x32: /* rdmsr */
        if (!do_rdmsr(v, (uint32_t)r->rcx, &val))
            return false;
        r->rax = (uint32_t)val;
        r->rdx = val >> 32;
        return true;
    }
    return false;
}

/* ---- port I/O ---- */

/* Xen's iopl_ok(): the privilege a port access needs from the virtual IOPL. */
static bool iopl_ok(const struct vcpu *v)
{
    unsigned int cpl = 3;

    if (v->kernel_mode)
        cpl = v->domain->vm_assist >> VMASST_TYPE_architectural_iopl & 1 ? 0 : 1;
    return v->virtual_iopl >= cpl;
}

/*
 * Xen's guest_io_okay(): may the vCPU try ports [port, port+bytes)?  By IOPL, or by its
 * I/O bitmap, which lives in the guest kernel's address space (a user-mode access reads it
 * through the kernel's tables); an unreadable bitmap byte refuses its ports.
 */
static bool guest_io_okay(struct vcpu *v, unsigned int port, unsigned int bytes)
{
    uint8_t map[2] = {0xff, 0xff};
    bool user = !v->kernel_mode;
    unsigned int mask = ((1u << bytes) - 1) << (port & 7);

    if (iopl_ok(v))
        return true;
    if (port + bytes > v->iobmp_limit)
        return false;
    if (user)
        pv_toggle_guest_mode(v);
    if (!copy_from_guest(&map[0], guest_ptr(v->iobmp + port / 8), 1))
        copy_from_guest(&map[1], guest_ptr(v->iobmp + port / 8 + 1), 1);
    if (user)
        pv_toggle_guest_mode(v);
    return ((map[0] | (unsigned int)map[1] << 8) & mask) == 0;
}

/*
 * Whether d was given the ports an access touches.  A dword at 0xcf8 is PCI's CONFIG_ADDRESS
 * register: chipsets decode the reset control register 0xcf9 (the hypervisor's) only for
 * byte accesses, so that one needs 0xcf8 alone.
 */
static bool io_permitted(const struct domain *d, unsigned int port, unsigned int bytes)
{
    if (port == 0xcf8 && bytes == 4)
        return ioports_permitted(d, port, port);
    return ioports_permitted(d, port, port + bytes - 1);
}

/* The access itself: real for ports the domain was given, else all ones / dropped. */
static uint32_t io_read(const struct domain *d, unsigned int port, unsigned int bytes)
{
    if (!io_permitted(d, port, bytes))
        return bytes == 4 ? 0xffffffffu : (1u << (bytes * 8)) - 1;
    if (bytes == 1)
        return inb((uint16_t)port);
    return bytes == 2 ? inw((uint16_t)port) : inl((uint16_t)port);
}

static void io_write(const struct domain *d, unsigned int port, unsigned int bytes, uint32_t val)
{
    if (!io_permitted(d, port, bytes))
        return;
    if (bytes == 1)
        outb((uint16_t)port, (uint8_t)val);
    else if (bytes == 2)
        outw((uint16_t)port, (uint16_t)val);
    else
        outl((uint16_t)port, val);
}

/* Base of the segment an outs reads through: FS and GS have one in 64-bit mode. */
static uint64_t data_seg_base(const struct insn *in)
{
    if (in->seg == 0x64)
        return rdmsr(MSR_FS_BASE);
    if (in->seg == 0x65) /* the guest's live GS base sits in SHADOW_GS_BASE while we run */
        return rdmsr(MSR_SHADOW_GS_BASE);
    return 0;
}

/*
 * ins / outs, with rep: up to IO_REP_BATCH elements, then the instruction is left to run
 * again for the rest.  A guest address that faults is a #PF for the guest after the
 * elements before it (their registers updated, as the CPU does).
 */
static bool string_io(struct vcpu *v, struct cpu_user_regs *r, const struct insn *in, bool is_in,
                      unsigned int port, unsigned int bytes)
{
    uint64_t amask = in->addr32 ? 0xffffffffULL : ~0ULL;
    uint64_t *areg = is_in ? &r->rdi : &r->rsi, base = is_in ? 0 : data_seg_base(in);
    uint64_t step = r->rflags & X86_EFLAGS_DF ? -(uint64_t)bytes : bytes;

    for (unsigned int n = 0; n < IO_REP_BATCH && (!in->rep || (r->rcx & amask)); n++) {
        uint64_t addr = base + (*areg & amask);
        uint32_t val = 0;
        int rc;

        if (is_in) {
            val = io_read(v->domain, port, bytes);
            rc = copy_to_guest(guest_ptr(addr), &val, bytes);
        } else {
            rc = copy_from_guest(&val, guest_ptr(addr), bytes);
            if (!rc)
                io_write(v->domain, port, bytes, val);
        }
        if (rc) {
            v->vcpu_info->arch.cr2 = addr;
            pv_inject_exception(r, 14, true, (is_in ? 2 : 0) | (v->kernel_mode ? 0 : 4));
            return true;
        }
        *areg = (*areg + step) & amask;
        if (!in->rep)
            break;
        r->rcx = ((r->rcx & amask) - 1) & amask;
    }
    if (!in->rep || !(r->rcx & amask))
        r->rip += in->pos;
    return true;
}

/* in / out / ins / outs (opcode op, prefixes and REX decoded).  False: #GP for the guest. */
static bool emulate_io(struct vcpu *v, struct cpu_user_regs *r, struct insn *in, int op)
{
    unsigned int bytes = op & 1 ? (in->opsize16 ? 2 : 4) : 1;
    unsigned int port = (uint16_t)r->rdx;
    uint32_t val;

    if (op >= 0xe4 && op <= 0xe7) { /* the port is an imm8 */
        int imm = next_byte(in);

        if (imm < 0)
            return false;
        port = (unsigned int)imm;
    }
    if (!guest_io_okay(v, port, bytes))
        return false;
    switch (op) {
    case 0x6c:
    case 0x6d:
        return string_io(v, r, in, true, port, bytes);
    case 0x6e:
    case 0x6f:
        return string_io(v, r, in, false, port, bytes);
    case 0xe4:
    case 0xe5:
    case 0xec:
    case 0xed:
        val = io_read(v->domain, port, bytes);
        if (bytes == 4)
            r->rax = val; /* a 32-bit register write clears the upper half */
        else
            r->rax = (r->rax & ~((1ULL << (bytes * 8)) - 1)) | val;
        break;
    default: /* e6, e7, ee, ef */
        io_write(v->domain, port, bytes, (uint32_t)r->rax);
        break;
    }
    r->rip += in->pos;
    return true;
}

static bool is_io_opcode(int b)
{
    return (b >= 0x6c && b <= 0x6f) || (b >= 0xe4 && b <= 0xe7) || (b >= 0xec && b <= 0xef);
}

bool pv_emulate_privileged(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    struct insn in = {0};
    int b;
    bool ok = false;

    fetch(&in, regs->rip);
    /* Legacy prefixes, then REX. */
    for (;;) {
        b = next_byte(&in);
        if (b == 0x66)
            in.opsize16 = true;
        else if (b == 0x67)
            in.addr32 = true;
        else if (b == 0xf2 || b == 0xf3)
            in.rep = true;
        else if (b == 0x2e || b == 0x3e || b == 0x26 || b == 0x36 || b == 0x64 || b == 0x65)
            in.seg = (uint8_t)b;
        else
            break;
    }
    if (b >= 0x40 && b <= 0x4f) {
        in.rex = (uint8_t)b;
        b = next_byte(&in);
    }
    if (is_io_opcode(b))
        return emulate_io(v, regs, &in, b);
    /* Everything else is for the guest kernel only (user mode gets its #GP). */
    if (!v->kernel_mode)
        return false;
    switch (b) {
    case 0x0f:
        ok = emulate_0f(v, regs, &in);
        break;
    case 0xf4: /* hlt: block until an event is pending */
        regs->rip += in.pos;
        sched_block_current_enable_events();
        return true;
    }
    if (ok)
        regs->rip += in.pos;
    return ok;
}
