/* SPDX-License-Identifier: MIT */
/* Harness: the real asm/smp.h (constants and declarations, no inline assembly). */
#include "../../../../xen-lite/arch/x86_64/include/asm/smp.h"
