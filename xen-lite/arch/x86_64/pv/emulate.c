/* SPDX-License-Identifier: MIT */
/* Emulation of the privileged instructions PV guest kernels rely on. */
#include <public/xen.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <console.h>
#include <domain.h>
#include <guest-access.h>
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
 */

#define MSR_IA32_PLATFORM_ID 0x17

struct insn {
    uint8_t bytes[16];
    unsigned int len; /* bytes fetched */
    unsigned int pos; /* decode cursor */
    uint8_t rex;
};

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

bool pv_emulate_privileged(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    struct insn in = {0};
    int b;
    bool ok = false;

    fetch(&in, regs->rip);
    /* Legacy prefixes, then REX. */
    while ((b = next_byte(&in)) >= 0 &&
           (b == 0x66 || b == 0x67 || b == 0xf2 || b == 0xf3 || b == 0x2e || b == 0x3e ||
            b == 0x26 || b == 0x36 || b == 0x64 || b == 0x65))
        ;
    if (b >= 0x40 && b <= 0x4f) {
        in.rex = (uint8_t)b;
        b = next_byte(&in);
    }
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
