# SPDX-License-Identifier: MIT
# The hypervisor: xen-lite/ + hypercalls/ + lib/, linked in the upper half and shipped as a
# flat image whose Multiboot1 (a.out kludge) and Multiboot2 (address tag) headers let both
# QEMU's -kernel and GRUB load it.

HV_OBJDIR := $(BUILD)/obj/hypervisor
HV_CFLAGS := $(FREE_CFLAGS) -Ixen-lite/include -Ixen-lite/arch/x86_64/include -Ihypercalls \
	-mno-sse -mno-sse2 -mno-mmx -mno-avx -mno-80387 -fpie -fvisibility=hidden \
	-mgeneral-regs-only
HV_ASFLAGS := $(FREE_ASFLAGS) -Ixen-lite/include -Ixen-lite/arch/x86_64/include -fpie

HV_SRCS := $(sort $(shell find xen-lite hypercalls -name '*.c' -o -name '*.S')) \
	lib/string.c lib/format.c
HV_OBJS := $(patsubst %,$(HV_OBJDIR)/%.o,$(HV_SRCS))

$(HV_OBJDIR)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -c $< -o $@

$(HV_OBJDIR)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(HV_ASFLAGS) -c $< -o $@

$(BUILD)/xen-lite.elf: $(HV_OBJS) xen-lite/arch/x86_64/xen-lite.lds
	$(CC) -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
		-Wl,--no-warn-rwx-segments -T xen-lite/arch/x86_64/xen-lite.lds $(HV_OBJS) -o $@

$(BUILD)/xen-lite: $(BUILD)/xen-lite.elf
	$(OBJCOPY) -O binary $< $@
