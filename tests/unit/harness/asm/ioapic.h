/* SPDX-License-Identifier: MIT */
/* Harness: the real asm/ioapic.h (declarations only); stubs.c fakes an IO-APIC behind it. */
#include "../../../../xen-lite/arch/x86_64/include/asm/ioapic.h"
