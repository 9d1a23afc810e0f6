/* SPDX-License-Identifier: MIT */
/* Secondary vCPUs: a context that enters pv_vcpu_main(), and bringing the vCPU up. */
#include <pvguest/pvguest.h>
#include <pvguest/vcpu.h>

void pv_vcpu_entry(void); /* below: rdi = fn, rsi = arg, rdx = vCPU id */

asm(".pushsection .text\n"
    ".globl pv_vcpu_entry\n"
    "pv_vcpu_entry:\n"
    "    cld\n"
    "    xor %ebp, %ebp\n"
    "    call pv_vcpu_main\n"
    "1:  ud2\n"
    "    jmp 1b\n"
    ".popsection");

void pv_vcpu_main(void (*fn)(unsigned long), unsigned long arg, unsigned int id)
    __attribute__((noreturn));

void pv_vcpu_main(void (*fn)(unsigned long), unsigned long arg, unsigned int id)
{
    pv_vcpu_set_id(id);
    pv_traps_init();
    fn(arg);
    for (;;)
        HYPERVISOR_vcpu_op(VCPUOP_down, id, NULL);
}

void pv_vcpu_context(struct vcpu_guest_context *c, void (*fn)(unsigned long), unsigned long arg,
                     void *stack_top)
{
    memset(c, 0, sizeof(*c));
    c->flags = VGCF_in_kernel;
    c->user_regs.rip = (unsigned long)pv_vcpu_entry;
    c->user_regs.rsp = (unsigned long)stack_top & ~15UL;
    c->user_regs.rdi = (unsigned long)fn;
    c->user_regs.rsi = arg;
    c->user_regs.cs = FLAT_KERNEL_CS64;
    c->user_regs.ss = FLAT_KERNEL_SS64;
    c->user_regs.rflags = 0x202;
    c->kernel_ss = FLAT_KERNEL_SS64;
    c->kernel_sp = c->user_regs.rsp;
    c->ctrlreg[3] = pv_virt_to_mfn((const void *)pv_start_info->pt_base) << 12;
}

long pv_vcpu_start(unsigned int id, void (*fn)(unsigned long), unsigned long arg, void *stack_top)
{
    static struct vcpu_guest_context c; /* 5 KiB: not on the stack */
    long rc;

    pv_vcpu_context(&c, fn, arg, stack_top);
    c.user_regs.rdx = id;
    rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, id, &c);
    return rc ? rc : HYPERVISOR_vcpu_op(VCPUOP_up, id, NULL);
}
