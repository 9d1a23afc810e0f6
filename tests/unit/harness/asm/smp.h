/* SPDX-License-Identifier: MIT */
/* Harness: the real asm/smp.h, which has no inline assembly to replace. */
#include "../../../../xen-lite/arch/x86_64/include/asm/smp.h"
