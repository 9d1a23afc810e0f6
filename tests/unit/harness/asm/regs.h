/* SPDX-License-Identifier: MIT */
/* Harness: the real asm/regs.h, which has no inline assembly to replace. */
#include "../../../../xen-lite/arch/x86_64/include/asm/regs.h"
