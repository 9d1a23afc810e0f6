# SPDX-License-Identifier: MIT
# xen-lite top-level build: plain GNU Make, everything built under $(BUILD)/.
#
#   make            build the hypervisor, the guests and the host test programs
#   make iso        build/xen-lite.iso (GRUB, Multiboot2) with dom0
#   make run        boot xen-lite with dom0 in QEMU, console on this terminal (Ctrl-a x quits)
#   make test       run every test (unit, ABI layout, in-guest under QEMU) and print a summary
#   make bench      boot the benchmark guest and print a table of costs
#   make format     reformat the sources with the root .clang-format

BUILD ?= build
CC := gcc
HOSTCC := gcc
OBJCOPY := objcopy

# Freestanding code (hypervisor and guests): C11 with GNU extensions (inline asm), no libc; <string.h> and <format.h>
# come from lib/, <stdint.h> and friends from the compiler.
GCC_INCLUDE := $(shell $(CC) -print-file-name=include)
FREE_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-builtin \
	-nostdinc -isystem $(GCC_INCLUDE) -Ilib -Iinclude \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
	-mno-red-zone -fno-common -MMD -MP
FREE_ASFLAGS := -nostdinc -isystem $(GCC_INCLUDE) -Iinclude -D__ASSEMBLER__ -MMD -MP

# Hosted code (tools, unit tests).  lib/ comes after the system headers so <string.h> is libc's.
HOST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -idirafter lib -MMD -MP

UNIT_TEST_BINS :=
GUEST_BINS :=
TOOL_BINS :=

.PHONY: all iso run test bench format deps clean
all:

include xen-lite/build.mk
include pvguest/build.mk
include dom0-tools/build.mk
include tests/build.mk

all: $(BUILD)/xen-lite $(GUEST_BINS) $(UNIT_TEST_BINS) $(TOOL_BINS)

deps:
	@scripts/deps.sh build

iso: deps
	@$(MAKE) --no-print-directory $(BUILD)/xen-lite.iso

$(BUILD)/xen-lite.iso: $(BUILD)/xen-lite $(BUILD)/pvguest/dom0.elf scripts/mkiso.sh
	scripts/mkiso.sh -o $@ -k $(BUILD)/xen-lite -m $(BUILD)/pvguest/dom0.elf

run:
	@scripts/deps.sh run
	@$(MAKE) --no-print-directory all
	@scripts/run.sh

test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory all
	@tests/run-all.sh

bench:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory all
	@scripts/bench.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
