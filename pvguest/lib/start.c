/* SPDX-License-Identifier: MIT */
/* Start of day: remember start_info, map shared_info, install traps, run the program. */
#include <pvguest/pvguest.h>

struct start_info *pv_start_info;
volatile struct shared_info *pv_shared_info;

void pv_start(struct start_info *si) __attribute__((noreturn));

/*
 * A page of our own .bss whose mapping is replaced by the shared_info frame (as Mini-OS
 * does): the frame is the hypervisor's, handed over by machine address only.
 */
static uint8_t shared_info_page[PV_PAGE_SIZE] __attribute__((aligned(PV_PAGE_SIZE)));

static void map_shared_info(void)
{
    uint64_t pte = (pv_start_info->shared_info & X86_PTE_ADDR_MASK) | X86_PTE_P | X86_PTE_RW |
                   X86_PTE_US | X86_PTE_A | X86_PTE_D;
    long rc = HYPERVISOR_update_va_mapping((unsigned long)shared_info_page, pte, UVMF_INVLPG);

    if (rc) {
        pv_printf("pvguest: cannot map shared_info (maddr %#lx): %ld (%s)\n",
                  (unsigned long)pv_start_info->shared_info, rc, xen_errno_name((int)rc));
        return;
    }
    pv_shared_info = (volatile struct shared_info *)shared_info_page;
}

/* One record per vCPU, reached through that vCPU's kernel GS base. */
static struct pv_cpu {
    uint32_t vcpu_id;
} pv_cpus[XEN_LEGACY_MAX_VCPUS];

void pv_vcpu_set_id(unsigned int id)
{
    pv_cpus[id].vcpu_id = id;
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, (unsigned long)&pv_cpus[id]);
}

unsigned int pv_vcpu_id(void)
{
    uint32_t id;

    asm volatile("movl %%gs:0, %0" : "=r"(id));
    return id;
}

/* Called from lib/head.S on the library stack with the start_info page from rsi. */
void pv_start(struct start_info *si)
{
    pv_start_info = si;
    pv_vcpu_set_id(0);
    map_shared_info();
    pv_traps_init();
    pv_main();
    pv_poweroff();
}

uint64_t pv_virt_to_mfn(const void *va)
{
    const uint64_t *p2m = (const uint64_t *)pv_start_info->mfn_list;

    return p2m[((unsigned long)va - PV_VIRT_BASE) >> 12];
}

void pv_shutdown(unsigned int reason)
{
    struct sched_shutdown s = {.reason = reason};

    pv_flush();
    for (;;) {
        long rc = HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);

        /* Only reached if the hypervisor refused: say so once, then crash instead. */
        pv_printf("pvguest: SCHEDOP_shutdown(%u) returned %ld\n", reason, rc);
        pv_flush();
        if (s.reason == SHUTDOWN_crash)
            break;
        s.reason = SHUTDOWN_crash;
    }
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

void pv_poweroff(void)
{
    pv_shutdown(SHUTDOWN_poweroff);
}

void pv_crash(void)
{
    pv_shutdown(SHUTDOWN_crash);
}

bool pv_on_xen_lite(void)
{
    char extra[XEN_EXTRAVERSION_LEN + 1] = {0};

    HYPERVISOR_xen_version(XENVER_extraversion, extra);
    for (unsigned int i = 0; i + 8 <= XEN_EXTRAVERSION_LEN; i++)
        if (memcmp(extra + i, "xen-lite", 8) == 0)
            return true;
    return false;
}
