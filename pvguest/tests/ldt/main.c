/* SPDX-License-Identifier: MIT */
/*
 * ldt: MMUEXT_SET_LDT installs a checked LDT that the CPU really uses.
 *
 * A frame holding a null descriptor, a flat DPL-3 data descriptor and a ring-0 one is mapped
 * read-only and set as the LDT. Checked: an unaligned address, too many entries, a page not
 * mapped, and a frame still mapped writable elsewhere are refused (-EINVAL); a descriptor
 * the guest may not have (DPL 0) is refused; the good LDT is accepted and the CPU loads the
 * LDT selector 0x0f into %es (the data descriptor), while 0x17 (null entry) is #GP; while
 * it is the LDT the frame cannot be mapped writable (-EBUSY); SET_LDT with 0 entries
 * releases it and then it can.
 */
#include <pvguest/pt.h>

#define DATA_DPL3 0x00cff2000000ffffULL
#define DATA_DPL0 0x00cf92000000ffffULL

static uint64_t page[512];

static long set_ldt(unsigned long va, unsigned int entries)
{
    struct mmuext_op op = {.cmd = MMUEXT_SET_LDT, .arg1.linear_addr = va, .arg2.nr_ents = entries};

    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/* Loads %es with sel; true if that faulted (#GP). */
static bool load_es_faults(uint16_t sel)
{
    unsigned long before = pv_caught.count;

    __asm__ volatile(PV_TRY_BEGIN "mov %0, %%es" PV_TRY_END ::"r"(sel) : "r11", "memory");
    return pv_caught.count != before;
}

void test_main(void)
{
    unsigned long va, other;
    uint64_t frame;
    uint16_t es;

    pt_init();
    va = pt_spare_va(0);
    other = pt_spare_va(1);
    frame = pt_spare_mfn(0);
    pv_catch(X86_EXC_GP);
    page[1] = DATA_DPL3;
    page[2] = 0;
    page[3] = DATA_DPL0;
    if (!xtf_check(pt_write_frame(frame, page) == 0, "cannot fill the LDT frame"))
        return;
    pt_expect("map the LDT frame read-only", pt_map(va, frame, PT_RO), 0);

    pt_expect("SET_LDT at an unaligned address", set_ldt(va + 8, 3), -XEN_EINVAL);
    pt_expect("SET_LDT of 8193 entries", set_ldt(va, 8193), -XEN_EINVAL);
    pt_expect("unmap a spare page", pt_unmap(pt_spare_va(2)), 0);
    pt_expect("SET_LDT of an unmapped page", set_ldt(pt_spare_va(2), 3), -XEN_EINVAL);
    pt_expect("restore the spare page", pt_restore(pt_spare_va(2)), 0);
    pt_expect("SET_LDT with a DPL-0 descriptor", set_ldt(va, 4), -XEN_EINVAL);
    pt_expect("map the frame writable elsewhere", pt_map(other, frame, PT_RW), 0);
    pt_expect("SET_LDT of a frame mapped writable", set_ldt(va, 3), -XEN_EINVAL);
    pt_expect("unmap the writable mapping", pt_unmap(other), 0);

    pt_expect("SET_LDT of 3 good entries", set_ldt(va, 3), 0);
    xtf_check(!load_es_faults(0x0f), "loading LDT selector 0x0f faulted");
    __asm__ volatile("mov %%es, %0" : "=r"(es));
    xtf_check(es == 0x0f, "%%es is %#x after loading 0x0f", es);
    xtf_check(load_es_faults(0x17), "loading LDT selector 0x17 (null entry) did not fault");
    xtf_check(load_es_faults(0x27), "loading LDT selector 0x27 (past the limit) did not fault");
    pt_expect("map the LDT frame writable", pt_map(other, frame, PT_RW), -XEN_EBUSY);

    pt_expect("SET_LDT with 0 entries", set_ldt(0, 0), 0);
    xtf_check(load_es_faults(0x0f), "loading 0x0f without an LDT did not fault");
    pt_expect("map the former LDT frame writable", pt_map(other, frame, PT_RW), 0);
    pt_unmap(other);
    __asm__ volatile("mov %0, %%es" ::"r"(0) : "memory");
    xtf_success();
}
