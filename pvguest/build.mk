# SPDX-License-Identifier: MIT
# pvguest: the minimal PV guest kernel library (pvguest/lib) and the guests built on it.
#
#   $(BUILD)/pvguest/<name>.elf   one per test directory pvguest/tests/<name>/ (all its .c/.S
#                                 + the library + lib/test.c, which supplies pv_main)
#   $(BUILD)/pvguest/dom0.elf     interim dom0 shell          (pvguest/dom0/)
#   $(BUILD)/pvguest/idle.elf     dom0 that only idles        (pvguest/idle/)
#   $(BUILD)/pvguest/bench.elf    cost measurements           (pvguest/bench/)
#   $(BUILD)/pvguest/xen-abi-guest.elf  built from Xen's own /usr/include/xen headers only
#
# Adding a test = adding a directory pvguest/tests/<name>/ with a main.c (+ test.conf).

PVG_OBJDIR := $(BUILD)/pvguest/obj

PVG_CFLAGS := $(FREE_CFLAGS) -mcmodel=kernel -fno-pic -fno-pie -mno-sse -mno-mmx -mno-sse2 \
	-Ipvguest/include
PVG_ASFLAGS := $(FREE_ASFLAGS) -Ipvguest/include
PVG_LDS := pvguest/lib/pvguest.lds
PVG_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	-T $(PVG_LDS)

# The library: everything in pvguest/lib except the test driver, plus lib/ string+format.
PVG_LIB_SRCS := $(filter-out pvguest/lib/test.c,$(sort $(wildcard pvguest/lib/*.c pvguest/lib/*.S))) \
	lib/string.c lib/format.c
PVG_LIB_OBJS := $(patsubst %,$(PVG_OBJDIR)/%.o,$(PVG_LIB_SRCS))
PVG_TEST_OBJS := $(PVG_OBJDIR)/pvguest/lib/test.c.o

$(PVG_OBJDIR)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(PVG_CFLAGS) -c $< -o $@

$(PVG_OBJDIR)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(PVG_ASFLAGS) -c $< -o $@

# $(call pvg_program,NAME,SOURCE_DIR,EXTRA_OBJS): $(BUILD)/pvguest/NAME.elf from every .c/.S
# in SOURCE_DIR, EXTRA_OBJS and the library.
define pvg_program
PVG_OBJS_$(1) := $$(patsubst %,$$(PVG_OBJDIR)/%.o,$$(sort $$(wildcard $(2)/*.c $(2)/*.S)))
$$(BUILD)/pvguest/$(1).elf: $$(PVG_OBJS_$(1)) $(3) $$(PVG_LIB_OBJS) $$(PVG_LDS)
	$$(CC) $$(PVG_LDFLAGS) $$(PVG_OBJS_$(1)) $(3) $$(PVG_LIB_OBJS) -o $$@
GUEST_BINS += $$(BUILD)/pvguest/$(1).elf
endef

PVG_TESTS := $(sort $(patsubst pvguest/tests/%/,%,$(dir $(wildcard pvguest/tests/*/main.c))))
$(foreach t,$(PVG_TESTS),$(eval $(call pvg_program,$(t),pvguest/tests/$(t),$(PVG_TEST_OBJS))))
$(foreach p,dom0 idle bench,$(eval $(call pvg_program,$(p),pvguest/$(p),)))

# xen-abi-guest: proves a guest written against Xen's published ABI alone boots. It sees
# no xen-lite header: only the compiler's freestanding headers and Debian libxen-dev's
# /usr/include/xen (searched after the compiler's, so <stdint.h> stays freestanding).
XABI_DIR := pvguest/xen-abi-guest
XABI_CFLAGS := $(filter-out -Ilib -Iinclude,$(FREE_CFLAGS)) -idirafter /usr/include \
	-D__XEN_INTERFACE_VERSION__=0x00040e00 \
	-mcmodel=kernel -fno-pic -fno-pie -mno-sse -mno-mmx -mno-sse2
XABI_ASFLAGS := $(filter-out -Iinclude,$(FREE_ASFLAGS)) -idirafter /usr/include -D__ASSEMBLY__ \
	-D__XEN_INTERFACE_VERSION__=0x00040e00
XABI_OBJS := $(patsubst %,$(PVG_OBJDIR)/%.o,$(sort $(wildcard $(XABI_DIR)/*.c $(XABI_DIR)/*.S)))

$(PVG_OBJDIR)/$(XABI_DIR)/%.c.o: $(XABI_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(XABI_CFLAGS) -c $< -o $@

$(PVG_OBJDIR)/$(XABI_DIR)/%.S.o: $(XABI_DIR)/%.S
	@mkdir -p $(dir $@)
	$(CC) $(XABI_ASFLAGS) -c $< -o $@

$(BUILD)/pvguest/xen-abi-guest.elf: $(XABI_OBJS) $(XABI_DIR)/guest.lds
	$(CC) -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
		-T $(XABI_DIR)/guest.lds $(XABI_OBJS) -o $@

GUEST_BINS += $(BUILD)/pvguest/xen-abi-guest.elf

.PHONY: pvguest
pvguest: $(filter $(BUILD)/pvguest/%,$(GUEST_BINS))
