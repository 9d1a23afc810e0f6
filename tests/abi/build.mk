# SPDX-License-Identifier: MIT
# ABI layout test: include/public against Xen's public headers (libxen-dev).
#
# Included by the top-level Makefile, which provides BUILD, HOSTCC and
# HOST_CFLAGS. Three objects: xen-side.o sees only Xen's headers, xl-side.o
# only ours, main.o (Criterion) compares the two tables.

ABI_DIR := tests/abi
ABI_OUT := $(BUILD)/tests/abi
ABI_BIN := $(ABI_OUT)/abi-layout
ABI_PUBLIC_HDRS := $(wildcard include/public/*.h include/public/io/*.h)
ABI_TEST_HDRS := $(ABI_DIR)/abi-item.h $(ABI_DIR)/abi-items.h

# __XEN_TOOLS__ makes Xen's headers use the latest interface version and
# expose the tools-only constants we also check.
$(ABI_OUT)/xen-side.o: $(ABI_DIR)/xen-side.c $(ABI_TEST_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -D__XEN_TOOLS__ -c $< -o $@

$(ABI_OUT)/xl-side.o: $(ABI_DIR)/xl-side.c $(ABI_TEST_HDRS) $(ABI_PUBLIC_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -Iinclude -c $< -o $@

$(ABI_OUT)/main.o: $(ABI_DIR)/main.c $(ABI_DIR)/abi-item.h include/public/errno.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -Iinclude -c $< -o $@

$(ABI_BIN): $(ABI_OUT)/main.o $(ABI_OUT)/xen-side.o $(ABI_OUT)/xl-side.o
	$(HOSTCC) $(HOST_CFLAGS) $^ -lcriterion -o $@

UNIT_TEST_BINS += $(ABI_BIN)
