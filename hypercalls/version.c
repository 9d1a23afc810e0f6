/* SPDX-License-Identifier: MIT */
/* xen_version: what hypervisor this is and what it offers. */
#include <string.h>
#include <public/version.h>
#include <public/xen.h>
#include <asm/percpu.h>
#include <domain-build.h>
#include <domain.h>
#include <hypercall.h>
#include <lib.h>
#include <version.h>

extern const char *hypervisor_cmdline(void);

/* Copies a NUL-padded string field of exactly size bytes out to the guest. */
static long put_string(guest_ptr_t arg, const char *s, size_t size)
{
    char buf[1024] = {0};

    strlcpy(buf, s, MIN(size, sizeof(buf)));
    return copy_to_guest(arg, buf, size);
}

long do_xen_version(struct hc_args *args)
{
    int cmd = hc_int(args, 0);
    guest_ptr_t arg = hc_ptr(args, 1);
    struct domain *d = current->domain;

    switch (cmd) {
    case XENVER_version:
        return (XL_XEN_MAJOR << 16) | XL_XEN_MINOR;
    case XENVER_extraversion:
        return put_string(arg, XL_EXTRAVERSION, XEN_EXTRAVERSION_LEN);
    case XENVER_compile_info: {
        struct xen_compile_info ci = {0};

        strlcpy(ci.compiler, "gcc " __VERSION__, sizeof(ci.compiler));
        strlcpy(ci.compile_by, "xen-lite", sizeof(ci.compile_by));
        strlcpy(ci.compile_domain, "xen-lite.invalid", sizeof(ci.compile_domain));
        strlcpy(ci.compile_date, __DATE__, sizeof(ci.compile_date));
        return copy_to_guest(arg, &ci, sizeof(ci));
    }
    case XENVER_capabilities:
        return put_string(arg, XL_CAPABILITIES, XEN_CAPABILITIES_INFO_LEN);
    case XENVER_changeset:
        return put_string(arg, XL_CHANGESET, XEN_CHANGESET_INFO_LEN);
    case XENVER_platform_parameters: {
        struct xen_platform_parameters pp = {.virt_start = HYPERVISOR_VIRT_START};

        return copy_to_guest(arg, &pp, sizeof(pp));
    }
    case XENVER_get_features: {
        struct xen_feature_info fi;

        if (copy_from_guest(&fi, arg, sizeof(fi)))
            return -XEN_EFAULT;
        if (fi.submap_idx != 0)
            return -XEN_EINVAL;
        fi.submap = hypervisor_features(d);
        return copy_to_guest(arg, &fi, sizeof(fi));
    }
    case XENVER_pagesize:
        return guest_ptr_is_null(arg) ? 4096 : -XEN_EINVAL;
    case XENVER_guest_handle: {
        uint8_t handle[16] = {0};

        return copy_to_guest(arg, handle, sizeof(handle));
    }
    case XENVER_commandline:
        /* As Xen: a domU is not refused, it just doesn't learn anything. */
        return put_string(arg, d->is_privileged ? hypervisor_cmdline() : "<denied>",
                          XEN_COMMANDLINE_LEN);
    case XENVER_build_id:
        return -XEN_ENODATA;
    }
    return -XEN_ENOSYS;
}
