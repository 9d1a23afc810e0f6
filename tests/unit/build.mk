# SPDX-License-Identifier: MIT
# Criterion unit tests: each tests/unit/test-NAME.c links the REAL sources it tests.
#
# Included (via tests/build.mk) by the top-level Makefile, which provides BUILD, HOSTCC and
# HOST_CFLAGS. One binary per test file: $(BUILD)/tests/unit/test-NAME, appended to
# UNIT_TEST_BINS. To add a test: write tests/unit/test-NAME.c, add NAME to UNIT_TESTS and list
# the sources under test in unit_srcs_NAME (lib/string.c never: libc has those names here).

UNIT_OUT := $(BUILD)/tests/unit
UNIT_OBJ := $(UNIT_OUT)/obj
# AddressSanitizer turns a parser reading one byte past a hostile image into a failed test.
UNIT_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
UNIT_CFLAGS := $(HOST_CFLAGS) $(UNIT_SAN) -Ixen-lite/include

# lib/format.c defines snprintf/vsnprintf; linked as is they would also replace libc's for
# Criterion's own output. Sources under test (not the test files) get them renamed instead.
UNIT_RENAME := -Dsnprintf=xl_snprintf -Dvsnprintf=xl_vsnprintf -Dparse_ull=xl_parse_ull

UNIT_TESTS := elf-loader dom-layout frame-alloc cmdline ptwr-decode acpi

unit_srcs_elf-loader := xen-lite/common/elf-loader.c lib/format.c
unit_srcs_dom-layout := xen-lite/common/dom-layout.c lib/format.c
unit_srcs_frame-alloc := xen-lite/common/frame-alloc.c
unit_srcs_cmdline := xen-lite/common/cmdline.c lib/format.c
unit_srcs_ptwr-decode := xen-lite/common/ptwr-decode.c
unit_srcs_acpi := xen-lite/arch/x86_64/acpi.c

# The ACPI parser lives in the arch layer; it and its test need only <asm/acpi.h> from there.
$(UNIT_OBJ)/xen-lite/arch/x86_64/acpi.o $(UNIT_OBJ)/tests/unit/test-acpi.o: \
	UNIT_CFLAGS += -Ixen-lite/arch/x86_64/include

# Test files: hosted, with Criterion and libc's own snprintf.
$(UNIT_OBJ)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -c $< -o $@

# Sources under test.
$(UNIT_OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) $(UNIT_RENAME) -c $< -o $@

# Hypercall tests (NAME = hc-*): the real hypercall layer and the common code beneath it, built
# against tests/unit/harness/, whose headers come first and replace the arch layer (fake CPU,
# per-CPU data and direct map) and whose .c files stub what lives in files not compiled here
# (see tests/unit/harness/README.md). Their objects get a tree of their own: other flags, and
# GNU C like the hypervisor build (the sources under test contain asm statements).
UNIT_HC_OBJ := $(UNIT_OBJ)/hc
UNIT_HC_CFLAGS := $(filter-out -std=%,$(HOST_CFLAGS)) -std=gnu11 $(UNIT_SAN) -Itests/unit/harness -Ixen-lite/include
UNIT_HC_SRCS := hypercalls/table.c hypercalls/traps.c hypercalls/sched.c \
	hypercalls/segments.c hypercalls/mm.c hypercalls/multicall.c hypercalls/version.c \
	hypercalls/console.c hypercalls/vcpu.c hypercalls/event_channel.c \
	xen-lite/common/event.c xen-lite/common/guest-access.c xen-lite/common/mm.c \
	xen-lite/common/domain.c xen-lite/common/console.c xen-lite/common/frame-alloc.c \
	xen-lite/common/heap.c xen-lite/common/domain-build.c xen-lite/common/elf-loader.c \
	xen-lite/common/dom-layout.c xen-lite/common/page-type.c xen-lite/arch/x86_64/paging.c \
	xen-lite/arch/x86_64/desc.c hypercalls/timer.c xen-lite/common/timer.c \
	xen-lite/common/time.c xen-lite/common/softirq.c \
	lib/format.c tests/unit/harness/harness.c tests/unit/harness/stubs.c \
	tests/unit/harness/time-stubs.c

UNIT_TESTS += hc-dispatch hc-traps hc-sched hc-console hc-version hc-segments hc-mm \
	hc-multicall hc-vcpu hc-guest-access hc-memory hc-pagetype hc-evtchn hc-timer timer
unit_srcs_hc-dispatch := $(UNIT_HC_SRCS)
unit_srcs_hc-traps := $(UNIT_HC_SRCS)
unit_srcs_hc-sched := $(UNIT_HC_SRCS)
unit_srcs_hc-console := $(UNIT_HC_SRCS)
unit_srcs_hc-version := $(UNIT_HC_SRCS)
unit_srcs_hc-segments := $(UNIT_HC_SRCS)
unit_srcs_hc-mm := $(UNIT_HC_SRCS)
unit_srcs_hc-multicall := $(UNIT_HC_SRCS)
unit_srcs_hc-vcpu := $(UNIT_HC_SRCS)
unit_srcs_hc-guest-access := $(UNIT_HC_SRCS)
unit_srcs_hc-memory := $(UNIT_HC_SRCS) hypercalls/memory.c
unit_srcs_hc-pagetype := $(UNIT_HC_SRCS)
unit_srcs_hc-evtchn := $(UNIT_HC_SRCS)
unit_srcs_hc-timer := $(UNIT_HC_SRCS)
# timer: the timer lists and time arithmetic, on the same harness (fake CPU, per-CPU data).
unit_srcs_timer := $(UNIT_HC_SRCS)

$(UNIT_OBJ)/tests/unit/test-hc-%.o: UNIT_CFLAGS := $(UNIT_HC_CFLAGS)
$(UNIT_OBJ)/tests/unit/test-timer.o: UNIT_CFLAGS := $(UNIT_HC_CFLAGS)

$(UNIT_HC_OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_HC_CFLAGS) $(UNIT_RENAME) -c $< -o $@

unit_objdir = $(if $(filter hc-% timer,$(1)),$(UNIT_HC_OBJ),$(UNIT_OBJ))

define unit_test_rule
$(UNIT_OUT)/test-$(1): $(UNIT_OBJ)/tests/unit/test-$(1).o \
		$(patsubst %.c,$(call unit_objdir,$(1))/%.o,$(unit_srcs_$(1)))
	$$(HOSTCC) $$(UNIT_SAN) $$^ -lcriterion -o $$@
UNIT_TEST_BINS += $(UNIT_OUT)/test-$(1)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test_rule,$(t))))

# The ELF test also parses a real image: a do-nothing kernel whose Xen notes the assembler
# and linker lay out (old-style p_paddr == p_vaddr). The test embeds it with .incbin.
UNIT_XEN_KERNEL := $(UNIT_OBJ)/xen-notes-kernel.elf
$(UNIT_XEN_KERNEL): tests/unit/xen-notes-kernel.S include/public/elfnote.h
	@mkdir -p $(@D)
	$(HOSTCC) -nostdlib -static -no-pie -Iinclude -Wl,--build-id=none \
		-Wl,-z,max-page-size=0x1000 -Wl,-Ttext-segment=0xffffffff80000000 $< -o $@

$(UNIT_OBJ)/tests/unit/test-elf-loader.o: $(UNIT_XEN_KERNEL)
$(UNIT_OBJ)/tests/unit/test-elf-loader.o: UNIT_CFLAGS += -DXEN_NOTES_KERNEL='"$(UNIT_XEN_KERNEL)"'
