/* SPDX-License-Identifier: MIT */
/* Unit tests for writable-page-table decoding and execution (xen-lite/common/ptwr-decode.c). */
#include <criterion/criterion.h>
#include <ptwr-decode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Registers by name; 0 ends a list, so gpr index = name - 1. */
enum {
    END,
    RAX,
    RCX,
    RDX,
    RBX,
    RSP,
    RBP,
    RSI,
    RDI,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
};

#define CF 0x001ULL
#define PF 0x004ULL
#define AF 0x010ULL
#define ZF 0x040ULL
#define SF 0x080ULL
#define OF 0x800ULL
#define F0 0x202ULL /* IF and the always-one bit: the rflags a row starts with by default */

struct reg_val {
    int reg;
    uint64_t val;
};

/* One instruction run against one PTE. Unlisted registers hold a poison that must survive. */
struct row {
    uint8_t bytes[16];
    size_t n;
    struct reg_val in[5]; /* registers before */
    uint64_t fl_in;       /* rflags before; 0 = F0 */
    uint64_t old;         /* the PTE before */
    unsigned int offset;  /* written address & 7 */
    unsigned int len, w;  /* expected decode: length, operand width */
    bool lock;            /* expected decode: locked */
    int ret;              /* expected from ptwr_execute */
    uint64_t new_pte;     /* expected PTE after (when store) */
    bool store;
    struct reg_val out[3]; /* registers that change */
    uint64_t fl_out;       /* rflags after; 0 = as before */
};

#define I(...) .bytes = {__VA_ARGS__}, .n = sizeof((uint8_t[]){__VA_ARGS__})
#define DS12   0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e

/* Encodings from gas (objdump -d); the few gas never emits were checked with objdump -D. */
static const struct row rows[] = {
    /* mov %rax,(%rdi): a whole PTE, Linux's set_pte */
    {I(0x48, 0x89, 0x07), .in = {{RAX, 0x8000000012345067}}, .old = 0x63, .len = 3, .w = 8,
     .new_pte = 0x8000000012345067, .store = true},
    /* mov %eax,4(%rdi): the high half; rax's upper bits are not stored */
    {I(0x89, 0x47, 0x04), .in = {{RAX, 0xffffffff80000000}}, .old = 0x12345067, .offset = 4,
     .len = 3, .w = 4, .new_pte = 0x8000000012345067, .store = true},
    /* mov %ax,6(%rdi) */
    {I(0x66, 0x89, 0x47, 0x06), .in = {{RAX, 0xaaaaaaaaaaaa1234}}, .old = 0x0000111122223333,
     .offset = 6, .len = 4, .w = 2, .new_pte = 0x1234111122223333, .store = true},
    /* mov %al,(%rdi) */
    {I(0x88, 0x07), .in = {{RAX, 0xffffffffffffff67}}, .old = 0x1234560000, .len = 2, .w = 1,
     .new_pte = 0x1234560067, .store = true},
    /* mov %ah,1(%rdi): without REX, byte register 4 is ah */
    {I(0x88, 0x67, 0x01), .in = {{RAX, 0xaabb}, {RSP, 0x77}}, .old = 0x1111111111111111,
     .offset = 1, .len = 3, .w = 1, .new_pte = 0x111111111111aa11, .store = true},
    /* mov %sil,2(%rdi): with a REX, byte register 6 is sil, not dh */
    {I(0x40, 0x88, 0x77, 0x02), .in = {{RSI, 0x5a5a5a5a5a5a5a77}, {RDX, 0x9900}}, .offset = 2,
     .len = 4, .w = 1, .new_pte = 0x770000, .store = true},
    /* mov %r9,(%rdi): REX.R picks r9, not rcx */
    {I(0x4c, 0x89, 0x0f), .in = {{R9, 0x80000000000ab067}, {RCX, 1}}, .len = 3, .w = 8,
     .new_pte = 0x80000000000ab067, .store = true},
    /* mov %r9,0x0(%r13): r13 as a base takes a disp8 */
    {I(0x4d, 0x89, 0x4d, 0x00), .in = {{R9, 0x42}}, .len = 4, .w = 8, .new_pte = 0x42,
     .store = true},
    /* mov %rax,(%r12): r12 as a base takes a SIB */
    {I(0x49, 0x89, 0x04, 0x24), .in = {{RAX, 7}}, .len = 4, .w = 8, .new_pte = 7, .store = true},
    /* mov %rax,0x100(%rsp): SIB and disp32 */
    {I(0x48, 0x89, 0x84, 0x24, 0x00, 0x01, 0x00, 0x00), .in = {{RAX, 7}}, .len = 8, .w = 8,
     .new_pte = 7, .store = true},
    /* mov %rax,0x12345678(%rdi): disp32 */
    {I(0x48, 0x89, 0x87, 0x78, 0x56, 0x34, 0x12), .in = {{RAX, 7}}, .len = 7, .w = 8, .new_pte = 7,
     .store = true},
    /* mov %rax,-0x8(%rbp): disp8 */
    {I(0x48, 0x89, 0x45, 0xf8), .in = {{RAX, 7}}, .len = 4, .w = 8, .new_pte = 7, .store = true},
    /* mov %rax,0x80(%rdi,%r12,4): REX.X index, disp32 */
    {I(0x4a, 0x89, 0x84, 0xa7, 0x80, 0x00, 0x00, 0x00), .in = {{RAX, 7}}, .len = 8, .w = 8,
     .new_pte = 7, .store = true},
    /* mov %rax,0x0(%r13,%rax,2): SIB with base r13 takes a disp8 */
    {I(0x49, 0x89, 0x44, 0x45, 0x00), .in = {{RAX, 7}}, .len = 5, .w = 8, .new_pte = 7,
     .store = true},
    /* mov %eax,0x12345678 via SIB: base 101 with mod 00 means disp32 even with REX.B */
    {I(0x41, 0x89, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12), .in = {{RAX, 0x11223344}}, .old = ~0ULL,
     .len = 8, .w = 4, .new_pte = 0xffffffff11223344, .store = true},
    /* mov %rax,0x10(%rip): rip-relative disp32 */
    {I(0x48, 0x89, 0x05, 0x10, 0x00, 0x00, 0x00), .in = {{RAX, 7}}, .len = 7, .w = 8, .new_pte = 7,
     .store = true},
    /* movq $0x1234,(%rdi,%rcx,8): SIB, imm32 */
    {I(0x48, 0xc7, 0x04, 0xcf, 0x34, 0x12, 0x00, 0x00), .old = 0x8000000000000000, .len = 8, .w = 8,
     .new_pte = 0x1234, .store = true},
    /* movq $-1,(%rdi): the imm32 is sign-extended to 64 bits */
    {I(0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff), .len = 7, .w = 8, .new_pte = ~0ULL,
     .store = true},
    /* movl $0x89abcdef,4(%rdi): the high half */
    {I(0xc7, 0x47, 0x04, 0xef, 0xcd, 0xab, 0x89), .old = 0x12345067, .offset = 4, .len = 7, .w = 4,
     .new_pte = 0x89abcdef12345067, .store = true},
    /* movw $0xbeef,(%rdi): 66 makes the immediate 16 bits */
    {I(0x66, 0xc7, 0x07, 0xef, 0xbe), .old = 0x1111111111111111, .len = 5, .w = 2,
     .new_pte = 0x111111111111beef, .store = true},
    /* movb $0x5a,3(%rdi) */
    {I(0xc6, 0x47, 0x03, 0x5a), .offset = 3, .len = 4, .w = 1, .new_pte = 0x5a000000,
     .store = true},
    /* movq $0x67,0x1000(,%rcx,8): SIB without base: disp32, then imm32 */
    {I(0x48, 0xc7, 0x04, 0xcd, 0x00, 0x10, 0x00, 0x00, 0x67, 0x00, 0x00, 0x00), .len = 12, .w = 8,
     .new_pte = 0x67, .store = true},
    /* movl $0x12345678,(%rsp) */
    {I(0xc7, 0x04, 0x24, 0x78, 0x56, 0x34, 0x12), .old = ~0ULL, .len = 7, .w = 4,
     .new_pte = 0xffffffff12345678, .store = true},
    /* movabs %rax,0x1122334455667788: A3 with REX.W, 8-byte moffs */
    {I(0x48, 0xa3, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11),
     .in = {{RAX, 0x8000000000001067}}, .len = 10, .w = 8, .new_pte = 0x8000000000001067,
     .store = true},
    /* movabs %al,0x1122334455667788: A2 */
    {I(0xa2, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), .in = {{RAX, 0x1267}}, .old = 0x1000,
     .len = 9, .w = 1, .new_pte = 0x1067, .store = true},
    /* addr32 mov %eax,0x12345678: 67 shortens the moffs to 4 bytes */
    {I(0x67, 0xa3, 0x78, 0x56, 0x34, 0x12), .in = {{RAX, 0xdeadbeef80000000}}, .old = 0x1067,
     .offset = 4, .len = 6, .w = 4, .new_pte = 0x8000000000001067, .store = true},
    /* mov %rax,%fs:(%rdi): segment overrides are ignored */
    {I(0x64, 0x48, 0x89, 0x07), .in = {{RAX, 7}}, .len = 4, .w = 8, .new_pte = 7, .store = true},
    /* mov %rax,%gs:0x8(%rdi) */
    {I(0x65, 0x48, 0x89, 0x47, 0x08), .in = {{RAX, 7}}, .len = 5, .w = 8, .new_pte = 7,
     .store = true},
    /* addr32 mov %rax,(%edi): 67 leaves the ModRM layout alone */
    {I(0x67, 0x48, 0x89, 0x07), .in = {{RAX, 7}}, .len = 4, .w = 8, .new_pte = 7, .store = true},
    /* addr32 mov %rax,0x10(%eip) */
    {I(0x67, 0x48, 0x89, 0x05, 0x10, 0x00, 0x00, 0x00), .in = {{RAX, 7}}, .len = 8, .w = 8,
     .new_pte = 7, .store = true},
    /* data16 mov %rax,(%rdi): REX.W wins over 66 */
    {I(0x66, 0x48, 0x89, 0x07), .in = {{RAX, 0x1234567890abcdef}}, .len = 4, .w = 8,
     .new_pte = 0x1234567890abcdef, .store = true},
    /* rex.W 66 89 07: a REX before a legacy prefix is ignored, so mov %ax,(%rdi) */
    {I(0x48, 0x66, 0x89, 0x07), .in = {{RAX, 0x1234567890abcdef}}, .len = 4, .w = 2,
     .new_pte = 0xcdef, .store = true},
    /* twelve ds prefixes and mov %rax,(%rdi): 15 bytes is still an instruction */
    {I(DS12, 0x48, 0x89, 0x07), .in = {{RAX, 7}}, .len = 15, .w = 8, .new_pte = 7, .store = true},

    /* lock cmpxchg %rsi,(%rdi), rax == PTE: stores rsi, flags of 0 (ZF PF) */
    {I(0xf0, 0x48, 0x0f, 0xb1, 0x37), .in = {{RAX, 0x1063}, {RSI, 0x1067}}, .old = 0x1063, .len = 5,
     .w = 8, .lock = true, .new_pte = 0x1067, .store = true, .fl_out = F0 | ZF | PF},
    /* lock cmpxchg %rsi,(%rdi), rax != PTE: no store, rax = PTE, flags of 0x1000 - 0x2067 */
    {I(0xf0, 0x48, 0x0f, 0xb1, 0x37), .in = {{RAX, 0x1000}, {RSI, 0x1067}}, .old = 0x2067, .len = 5,
     .w = 8, .lock = true, .new_pte = 0x2067, .store = false, .out = {{RAX, 0x2067}},
     .fl_out = F0 | CF | PF | AF | SF},
    /* lock cmpxchg %esi,(%rdi), eax == low half: rax's upper half ignored and kept */
    {I(0xf0, 0x0f, 0xb1, 0x37), .in = {{RAX, 0xffffffff00002067}, {RSI, 0xaaaaaaaa00003067}},
     .old = 0x8000000000002067, .len = 4, .w = 4, .lock = true, .new_pte = 0x8000000000003067,
     .store = true, .fl_out = F0 | ZF | PF},
    /* lock cmpxchg %esi,(%rdi), mismatch: eax loaded and, as a 32-bit write, rax's top zeroed */
    {I(0xf0, 0x0f, 0xb1, 0x37), .in = {{RAX, 0xffffffff00001000}, {RSI, 0x3067}},
     .old = 0x8000000000002067, .fl_in = F0 | OF, .len = 4, .w = 4, .lock = true,
     .new_pte = 0x8000000000002067, .store = false, .out = {{RAX, 0x2067}},
     .fl_out = F0 | CF | PF | AF | SF},
    /* lock cmpxchg %r8b,(%rdi): a byte compared with al */
    {I(0xf0, 0x44, 0x0f, 0xb0, 0x07), .in = {{RAX, 0x1163}, {R8, 0x61}}, .old = 0x8000000000001063,
     .len = 5, .w = 1, .lock = true, .new_pte = 0x8000000000001061, .store = true,
     .fl_out = F0 | ZF | PF},
    /* cmpxchg %rsi,(%rdi) without lock: same result, not locked */
    {I(0x48, 0x0f, 0xb1, 0x37), .in = {{RAX, 5}, {RSI, 6}}, .old = 5, .len = 4, .w = 8,
     .new_pte = 6, .store = true, .fl_out = F0 | ZF | PF},
    /* xchg %rax,(%rbx): always locked; rax gets the old PTE */
    {I(0x48, 0x87, 0x03), .in = {{RAX, 0x2067}}, .old = 0x1067, .len = 3, .w = 8, .lock = true,
     .new_pte = 0x2067, .store = true, .out = {{RAX, 0x1067}}},
    /* xchg %ecx,4(%rbx): the 32-bit register write zero-extends */
    {I(0x87, 0x4b, 0x04), .in = {{RCX, 0xffffffff00000001}}, .old = 0x8000000000001067, .offset = 4,
     .len = 3, .w = 4, .lock = true, .new_pte = 0x0000000100001067, .store = true,
     .out = {{RCX, 0x80000000}}},
    /* xchg %bh,(%rbx): only bits 8..15 of rbx change */
    {I(0x86, 0x3b), .in = {{RBX, 0x1122334455667788}}, .old = 0x63, .len = 2, .w = 1, .lock = true,
     .new_pte = 0x77, .store = true, .out = {{RBX, 0x1122334455666388}}},

    /* lock andb $0xfd,(%rdi): Linux's clear_bit(_PAGE_BIT_RW); CF OF cleared, AF kept */
    {I(0xf0, 0x80, 0x27, 0xfd), .fl_in = F0 | CF | OF | AF, .old = 0x8000000012345067, .len = 4,
     .w = 1, .lock = true, .new_pte = 0x8000000012345065, .store = true, .fl_out = F0 | AF | PF},
    /* lock orq $0x2,0x10(%rip): imm8 sign-extended; SF from bit 63; 0x67 has odd parity */
    {I(0xf0, 0x48, 0x83, 0x0d, 0x10, 0x00, 0x00, 0x00, 0x02), .old = 0x8000000012345065, .len = 9,
     .w = 8, .lock = true, .new_pte = 0x8000000012345067, .store = true, .fl_out = F0 | SF},
    /* lock orb $0x2,(%rdi): ZF and CF from before are cleared */
    {I(0xf0, 0x80, 0x0f, 0x02), .fl_in = F0 | ZF | CF, .old = 0x65, .len = 4, .w = 1, .lock = true,
     .new_pte = 0x67, .store = true, .fl_out = F0},
    /* lock andq $-3,(%rdi): the imm8 is sign-extended to 64 bits */
    {I(0xf0, 0x48, 0x83, 0x27, 0xfd), .old = ~0ULL, .len = 5, .w = 8, .lock = true,
     .new_pte = 0xfffffffffffffffd, .store = true, .fl_out = F0 | SF},
    /* lock andl $0xfffff000,(%rdi): the low half only */
    {I(0xf0, 0x81, 0x27, 0x00, 0xf0, 0xff, 0xff), .old = 0x8000000012345067, .len = 7, .w = 4,
     .lock = true, .new_pte = 0x8000000012345000, .store = true, .fl_out = F0 | PF},
    /* lock and %rsi,(%rdi): a zero result sets ZF and PF, and is still stored */
    {I(0xf0, 0x48, 0x21, 0x37), .in = {{RSI, 0xf0}}, .old = 0xf0f, .len = 4, .w = 8, .lock = true,
     .new_pte = 0, .store = true, .fl_out = F0 | ZF | PF},
    /* lock or %esi,(%rdi): SF from bit 31 */
    {I(0xf0, 0x09, 0x37), .in = {{RSI, 0xffffffff80000000}}, .old = 0x0000000100000001, .len = 3,
     .w = 4, .lock = true, .new_pte = 0x0000000180000001, .store = true, .fl_out = F0 | SF},
    /* lock orw $0x8000,6(%rdi): NX through a 16-bit write */
    {I(0x66, 0xf0, 0x81, 0x4f, 0x06, 0x00, 0x80), .old = 0x12345067, .offset = 6, .len = 7, .w = 2,
     .lock = true, .new_pte = 0x8000000012345067, .store = true, .fl_out = F0 | SF | PF},

    /* lock btrl $0x1,(%rdi): CF = the old bit 1 */
    {I(0xf0, 0x0f, 0xba, 0x37, 0x01), .old = 0x8000000012345067, .len = 5, .w = 4, .lock = true,
     .new_pte = 0x8000000012345065, .store = true, .fl_out = F0 | CF},
    /* lock btrq $0x1,(%rdi), bit already clear: CF = 0 */
    {I(0xf0, 0x48, 0x0f, 0xba, 0x37, 0x01), .fl_in = F0 | CF, .old = 0x65, .len = 6, .w = 8,
     .lock = true, .new_pte = 0x65, .store = true, .fl_out = F0},
    /* lock btsl $0x3f,(%rdi): an immediate wraps within 32 bits, so bit 31 */
    {I(0xf0, 0x0f, 0xba, 0x2f, 0x3f), .len = 5, .w = 4, .lock = true, .new_pte = 0x80000000,
     .store = true},
    /* lock btcl $0x1f,0x4(%rdi): toggles bit 63 */
    {I(0xf0, 0x0f, 0xba, 0x7f, 0x04, 0x1f), .old = 0x8000000000001067, .offset = 4, .len = 6,
     .w = 4, .lock = true, .new_pte = 0x1067, .store = true, .fl_out = F0 | CF},
    /* lock bts %rsi,(%rdi), rsi = 63 */
    {I(0xf0, 0x48, 0x0f, 0xab, 0x37), .in = {{RSI, 63}}, .fl_in = F0 | CF, .old = 0x1067, .len = 5,
     .w = 8, .lock = true, .new_pte = 0x8000000000001067, .store = true, .fl_out = F0},
    /* lock btr %esi,(%rdi): only esi is the bit offset */
    {I(0xf0, 0x0f, 0xb3, 0x37), .in = {{RSI, 0xffffffff00000005}}, .old = 0x67, .len = 4, .w = 4,
     .lock = true, .new_pte = 0x47, .store = true, .fl_out = F0 | CF},
    /* lock btc %rsi,(%rdi), rsi = 0 */
    {I(0xf0, 0x48, 0x0f, 0xbb, 0x37), .in = {{RSI, 0}}, .old = 0x67, .len = 5, .w = 8, .lock = true,
     .new_pte = 0x66, .store = true, .fl_out = F0 | CF},

    /* lock cmpxchg8b (%rdi), edx:eax == PTE: stores ecx:ebx; only ZF changes */
    {I(0xf0, 0x0f, 0xc7, 0x0f),
     .in = {{RAX, 0xaaaaaaaa12345067},
            {RDX, 0xbbbbbbbb80000000},
            {RBX, 0xcccccccc12345065},
            {RCX, 0xdddddddd80000000}},
     .fl_in = F0 | CF | SF, .old = 0x8000000012345067, .len = 4, .w = 8, .lock = true,
     .new_pte = 0x8000000012345065, .store = true, .fl_out = F0 | CF | SF | ZF},
    /* lock cmpxchg8b (%rdi), mismatch: edx:eax = PTE, each half zero-extended */
    {I(0xf0, 0x0f, 0xc7, 0x0f), .in = {{RAX, 0xaaaaaaaa00000000}, {RDX, 0xbbbbbbbb00000000}},
     .fl_in = F0 | ZF, .old = 0x8000000012345067, .len = 4, .w = 8, .lock = true,
     .new_pte = 0x8000000012345067, .store = false, .out = {{RAX, 0x12345067}, {RDX, 0x80000000}},
     .fl_out = F0},
    /* lock cmpxchg16b (%rdi): decoded, never executed (two PTEs) */
    {I(0xf0, 0x48, 0x0f, 0xc7, 0x0f), .len = 5, .w = 16, .lock = true, .ret = -1},

    /* mov %eax,4(%rdi) at offset 5: straddles into the next PTE */
    {I(0x89, 0x47, 0x04), .offset = 5, .len = 3, .w = 4, .ret = -1},
    /* mov %rax,(%rdi) at offset 1 */
    {I(0x48, 0x89, 0x07), .offset = 1, .len = 3, .w = 8, .ret = -1},
    /* movw $0xbeef,(%rdi) at offset 7 */
    {I(0x66, 0xc7, 0x07, 0xef, 0xbe), .offset = 7, .len = 5, .w = 2, .ret = -1},
    /* lock cmpxchg8b (%rdi) at offset 4 */
    {I(0xf0, 0x0f, 0xc7, 0x0f), .offset = 4, .len = 4, .w = 8, .lock = true, .ret = -1},
    /* lock bts %rsi,(%rdi), rsi = 64: the CPU would address the next word */
    {I(0xf0, 0x48, 0x0f, 0xab, 0x37), .in = {{RSI, 64}}, .len = 5, .w = 8, .lock = true, .ret = -1},
    /* lock btr %rsi,(%rdi), rsi = -1: the previous word */
    {I(0xf0, 0x48, 0x0f, 0xb3, 0x37), .in = {{RSI, ~0ULL}}, .len = 5, .w = 8, .lock = true,
     .ret = -1},
    /* lock btr %esi,4(%rdi), esi = 32: outside the 32-bit operand */
    {I(0xf0, 0x0f, 0xb3, 0x77, 0x04), .in = {{RSI, 32}}, .offset = 4, .len = 5, .w = 4,
     .lock = true, .ret = -1},
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* Instructions ptwr_decode must refuse, with the reason. */
static const struct {
    uint8_t bytes[24];
    size_t n;
} refused[] = {
    {I(0x48, 0x89, 0xc7)},                   /* mov %rax,%rdi: register destination */
    {I(0x48, 0x01, 0x07)},                   /* add %rax,(%rdi) */
    {I(0x48, 0x29, 0x07)},                   /* sub %rax,(%rdi) */
    {I(0x80, 0x07, 0x01)},                   /* addb $0x1,(%rdi): 80 /0 */
    {I(0x83, 0x2f, 0x01)},                   /* subl $0x1,(%rdi): 83 /5 */
    {I(0x48, 0xff, 0x07)},                   /* incq (%rdi) */
    {I(0xf0, 0x48, 0x0f, 0xc1, 0x07)},       /* lock xadd %rax,(%rdi) */
    {I(0x48, 0x8b, 0x07)},                   /* mov (%rdi),%rax: a load */
    {I(0x48, 0x0f, 0xba, 0x27, 0x03)},       /* btq $0x3,(%rdi): 0F BA /4 writes nothing */
    {I(0x48, 0x93)},                         /* xchg %rax,%rbx */
    {I(0x48, 0x87, 0xc3)},                   /* xchg %rax,%rbx as 87 /r: register form */
    {I(0x0f, 0xc7, 0xcf)},                   /* cmpxchg8b with a register operand */
    {I(0xc6, 0x4f, 0x00, 0x00)},             /* C6 /1: not a mov */
    {I(0xc7, 0x3f, 0x00, 0x00, 0x00, 0x00)}, /* C7 /7: not a mov */
    {I(0xf3, 0x48, 0xa5)},                   /* rep movsq */
    {I(0xf3, 0x48, 0x89, 0x07)},             /* xrelease mov %rax,(%rdi) */
    {I(0xf2, 0xf0, 0x48, 0x0f, 0xb1, 0x37)}, /* xacquire lock cmpxchg %rsi,(%rdi) */
    {I(0xf3, 0xf0, 0x80, 0x27, 0xfd)},       /* xrelease lock andb $0xfd,(%rdi) */
    {I(0xf0, 0x48, 0x89, 0x07)},             /* lock mov: #UD on the CPU */
    {I(0xf0, 0xc6, 0x07, 0x00)},             /* lock movb $0,(%rdi): #UD on the CPU */
    {I(0x66, 0xf0, 0x0f, 0xc7, 0x0f)},       /* data16 lock cmpxchg8b */
    {I(0xc5, 0xf9, 0x7f, 0x07)},             /* vmovdqa %xmm0,(%rdi): VEX */
    {I(0x0f, 0x0b)},                         /* ud2 */
    {I(0x0f, 0x0f, 0x07, 0x00)},             /* 3DNow! escape */
    {I(DS12, 0x3e, 0x48, 0x89, 0x07)},       /* 16 bytes: too long for the CPU */
    {I(DS12, 0x48, 0x89, 0x87, 0, 0, 0, 0)}, /* 19 bytes: disp32 past byte 15 */
};

#define NREFUSED (sizeof(refused) / sizeof(refused[0]))

/* A heap copy of exactly n bytes, so AddressSanitizer catches any read past n. */
static uint8_t *exact_copy(const uint8_t *bytes, size_t n)
{
    uint8_t *p = malloc(n);

    cr_assert(p || n == 0);
    if (n)
        memcpy(p, bytes, n);
    return p;
}

static int decode_exact(const uint8_t *bytes, size_t n, struct ptwr_insn *insn)
{
    uint8_t *p = exact_copy(bytes, n);
    int rc = ptwr_decode(p, n, insn);

    free(p);
    return rc;
}

/* Field by field: padding is not part of a decode. */
static bool same_insn(const struct ptwr_insn *a, const struct ptwr_insn *b)
{
    return a->op == b->op && a->width == b->width && a->lock == b->lock && a->src == b->src &&
           a->src_reg == b->src_reg && a->src_high8 == b->src_high8 && a->imm == b->imm &&
           a->len == b->len;
}

static void set_regs(struct ptwr_regs *r, const struct reg_val *list)
{
    for (; list->reg != END; list++)
        r->gpr[list->reg - 1] = list->val;
}

static void poison_regs(struct ptwr_regs *r)
{
    for (int i = 0; i < 16; i++)
        r->gpr[i] = 0x5a5a5a5a00000000ULL | (uint64_t)i << 16 | 0xa5;
    r->rflags = F0;
}

Test(ptwr, table)
{
    for (size_t i = 0; i < NROWS; i++) {
        const struct row *t = &rows[i];
        struct ptwr_insn insn;
        struct ptwr_regs regs, want;
        uint64_t new_pte = 0x1badULL;
        bool store = !t->store;
        int rc;

        cr_assert_eq(decode_exact(t->bytes, t->n, &insn), 0, "row %zu: decode", i);
        cr_expect_eq(insn.len, t->len, "row %zu: len %u", i, insn.len);
        cr_expect_eq(insn.width, t->w, "row %zu: width %u", i, insn.width);
        cr_expect_eq(insn.lock, t->lock, "row %zu: lock", i);

        poison_regs(&regs);
        set_regs(&regs, t->in);
        if (t->fl_in)
            regs.rflags = t->fl_in;
        want = regs;
        rc = ptwr_execute(&insn, &regs, t->offset, t->old, &new_pte, &store);
        cr_assert_eq(rc, t->ret, "row %zu: execute returned %d", i, rc);
        if (rc == 0) {
            cr_expect_eq(store, t->store, "row %zu: store", i);
            cr_expect_eq(new_pte, t->new_pte, "row %zu: new %#llx", i, (unsigned long long)new_pte);
            set_regs(&want, t->out);
            if (t->fl_out)
                want.rflags = t->fl_out;
        }
        for (int r = 0; r < 16; r++)
            cr_expect_eq(regs.gpr[r], want.gpr[r], "row %zu: gpr[%d] = %#llx, want %#llx", i, r,
                         (unsigned long long)regs.gpr[r], (unsigned long long)want.gpr[r]);
        cr_expect_eq(regs.rflags, want.rflags, "row %zu: rflags %#llx, want %#llx", i,
                     (unsigned long long)regs.rflags, (unsigned long long)want.rflags);
    }
}

/* Bytes after the instruction do not change the decode. */
Test(ptwr, trailing_bytes_ignored)
{
    for (size_t i = 0; i < NROWS; i++) {
        uint8_t buf[32];
        struct ptwr_insn a, b;

        memset(buf, 0xcc, sizeof(buf));
        memcpy(buf, rows[i].bytes, rows[i].n);
        cr_assert_eq(decode_exact(rows[i].bytes, rows[i].n, &a), 0, "row %zu", i);
        cr_assert_eq(ptwr_decode(buf, sizeof(buf), &b), 0, "row %zu", i);
        cr_expect(same_insn(&a, &b), "row %zu: decode differs", i);
    }
}

/* Every cut of every accepted instruction is refused without reading past the cut. */
Test(ptwr, truncated)
{
    for (size_t i = 0; i < NROWS; i++) {
        struct ptwr_insn insn;

        for (size_t cut = 0; cut < rows[i].n; cut++)
            cr_expect_eq(decode_exact(rows[i].bytes, cut, &insn), -1, "row %zu cut at %zu", i, cut);
    }
    /* ... and a NULL buffer of length 0 is never touched. */
    struct ptwr_insn insn;
    cr_expect_eq(ptwr_decode(NULL, 0, &insn), -1);
}

Test(ptwr, refused)
{
    for (size_t i = 0; i < NREFUSED; i++) {
        struct ptwr_insn insn;

        cr_expect_eq(decode_exact(refused[i].bytes, refused[i].n, &insn), -1, "refused[%zu]", i);
    }
}

/* A small deterministic generator (xorshift64*), so a failure reproduces. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Bytes that steer random strings into the decoder's interesting paths. */
static const uint8_t hot[] = {
    0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x2e, 0x3e, 0x64, 0x65, 0x40, 0x44, 0x48, 0x4c, 0x4f, 0x0f, 0x08,
    0x09, 0x20, 0x21, 0x80, 0x81, 0x83, 0x86, 0x87, 0x88, 0x89, 0xa2, 0xa3, 0xc6, 0xc7, 0xab, 0xb0,
    0xb1, 0xb3, 0xba, 0xbb, 0x04, 0x05, 0x0c, 0x25, 0x44, 0x84, 0x0d, 0x2f, 0x37, 0x4f, 0x8f, 0xc0};

/*
 * Random strings: never a read past n (ASan), a successful decode is 1..15 bytes within n
 * and decodes the same from exactly its own bytes, and execution only ever changes the
 * written bytes of the PTE, or nothing at all when it refuses.
 */
Test(ptwr, fuzz)
{
    unsigned int accepted = 0, executed = 0;

    for (int iter = 0; iter < 200000; iter++) {
        uint8_t buf[24];
        size_t n = rnd() % 21;
        bool biased = iter & 1;
        struct ptwr_insn insn, again;
        struct ptwr_regs regs, before;
        uint64_t old = rnd(), new_pte = 0;
        unsigned int offset = rnd() % 8;
        bool store = false;

        for (size_t k = 0; k < n; k++)
            buf[k] = biased && rnd() % 4 ? hot[rnd() % sizeof(hot)] : (uint8_t)rnd();
        if (decode_exact(buf, n, &insn) != 0)
            continue;
        accepted++;
        cr_assert(insn.len >= 1 && insn.len <= 15 && insn.len <= n, "len %u, n %zu", insn.len, n);
        cr_assert_eq(decode_exact(buf, insn.len, &again), 0);
        cr_assert(same_insn(&insn, &again));

        for (int r = 0; r < 16; r++)
            regs.gpr[r] = rnd() % 3 ? rnd() : rnd() % 64;
        regs.rflags = F0 | (rnd() & (CF | PF | AF | ZF | SF | OF));
        before = regs;
        if (ptwr_execute(&insn, &regs, offset, old, &new_pte, &store) != 0) {
            cr_assert_eq(memcmp(&regs, &before, sizeof(regs)), 0, "refused but changed regs");
            continue;
        }
        executed++;
        cr_assert(offset + insn.width <= 8);
        uint64_t kept = insn.width == 8 ? 0 : ~(((1ULL << (8 * insn.width)) - 1) << (8 * offset));
        cr_assert_eq(new_pte & kept, old & kept, "bytes outside the write changed");
        if (!store)
            cr_assert_eq(new_pte, old);
        cr_assert_eq(regs.rflags & ~(CF | PF | AF | ZF | SF | OF), F0, "non-arithmetic flags");
    }
    /* The biased half must actually reach the decoder's accept paths. */
    cr_expect_gt(accepted, 5000, "only %u accepted", accepted);
    cr_expect_gt(executed, 2000, "only %u executed", executed);
}

#if defined(__x86_64__)
/*
 * The same bytes run on this CPU and through ptwr_execute, with random operands: the memory
 * operand is at (%rdi) + offset inside an aligned 8-byte word, sources in rax rbx rcx rdx rsi.
 * Only the flags the SDM defines for the instruction are compared.
 */
struct host {
    uint64_t rax, rbx, rcx, rdx, rsi, rflags;
};

#define LOGIC  (CF | PF | ZF | SF | OF) /* and/or: AF undefined */
#define ARITH  (CF | PF | AF | ZF | SF | OF)
#define BITOPS (CF | ZF) /* bt*: OF SF AF PF undefined, ZF unaffected */

/* name, bytes (as text for .byte and for the decoder), flags compared, bit-offset register */
#define DIFF_INSNS(X)                                                                              \
    X(and64, "0xf0,0x48,0x21,0x37", LOGIC, 0)                         /* lock and %rsi,(%rdi) */   \
    X(and32, "0xf0,0x21,0x37", LOGIC, 0)                              /* lock and %esi,(%rdi) */   \
    X(and16, "0xf0,0x66,0x21,0x37", LOGIC, 0)                         /* lock and %si,(%rdi) */    \
    X(and8, "0xf0,0x40,0x20,0x37", LOGIC, 0)                          /* lock and %sil,(%rdi) */   \
    X(and_ah, "0xf0,0x20,0x27", LOGIC, 0)                             /* lock and %ah,(%rdi) */    \
    X(or64, "0xf0,0x48,0x09,0x37", LOGIC, 0)                          /* lock or %rsi,(%rdi) */    \
    X(or32, "0xf0,0x09,0x37", LOGIC, 0)                               /* lock or %esi,(%rdi) */    \
    X(or16, "0x66,0xf0,0x09,0x37", LOGIC, 0)                          /* lock or %si,(%rdi) */     \
    X(or8, "0xf0,0x40,0x08,0x37", LOGIC, 0)                           /* lock or %sil,(%rdi) */    \
    X(andq_imm8, "0xf0,0x48,0x83,0x27,0xfd", LOGIC, 0)                /* lock andq $-3,(%rdi) */   \
    X(andb_imm, "0xf0,0x80,0x27,0xfd", LOGIC, 0)                      /* lock andb $0xfd,(%rdi) */ \
    X(orq_imm32, "0xf0,0x48,0x81,0x0f,0x00,0x00,0x00,0x80", LOGIC, 0) /* lock orq $-2^31 */        \
    X(orw_imm16, "0x66,0xf0,0x81,0x0f,0x00,0x80", LOGIC, 0)           /* lock orw $0x8000 */       \
    X(cmpxchg64, "0xf0,0x48,0x0f,0xb1,0x37", ARITH, 0)          /* lock cmpxchg %rsi,(%rdi) */     \
    X(cmpxchg32, "0xf0,0x0f,0xb1,0x37", ARITH, 0)               /* lock cmpxchg %esi,(%rdi) */     \
    X(cmpxchg16, "0xf0,0x66,0x0f,0xb1,0x37", ARITH, 0)          /* lock cmpxchg %si,(%rdi) */      \
    X(cmpxchg8, "0xf0,0x40,0x0f,0xb0,0x37", ARITH, 0)           /* lock cmpxchg %sil,(%rdi) */     \
    X(cmpxchg_ah, "0xf0,0x0f,0xb0,0x27", ARITH, 0)              /* lock cmpxchg %ah,(%rdi) */      \
    X(cmpxchg8b, "0xf0,0x0f,0xc7,0x0f", ARITH, 0)               /* lock cmpxchg8b (%rdi) */        \
    X(xchg64, "0x48,0x87,0x37", ARITH, 0)                       /* xchg %rsi,(%rdi) */             \
    X(xchg32, "0x87,0x37", ARITH, 0)                            /* xchg %esi,(%rdi) */             \
    X(xchg16, "0x66,0x87,0x37", ARITH, 0)                       /* xchg %si,(%rdi) */              \
    X(xchg8, "0x40,0x86,0x37", ARITH, 0)                        /* xchg %sil,(%rdi) */             \
    X(xchg_ah, "0x86,0x27", ARITH, 0)                           /* xchg %ah,(%rdi) */              \
    X(mov64, "0x48,0x89,0x37", ARITH, 0)                        /* mov %rsi,(%rdi) */              \
    X(mov32, "0x89,0x37", ARITH, 0)                             /* mov %esi,(%rdi) */              \
    X(mov16, "0x66,0x89,0x37", ARITH, 0)                        /* mov %si,(%rdi) */               \
    X(mov_ah, "0x88,0x27", ARITH, 0)                            /* mov %ah,(%rdi) */               \
    X(movq_imm, "0x48,0xc7,0x07,0x78,0x56,0x34,0x92", ARITH, 0) /* movq $-0x6dcba988 */            \
    X(bts64, "0xf0,0x48,0x0f,0xab,0x37", BITOPS, 8)             /* lock bts %rsi,(%rdi) */         \
    X(btr32, "0xf0,0x0f,0xb3,0x37", BITOPS, 4)                  /* lock btr %esi,(%rdi) */         \
    X(btc16, "0xf0,0x66,0x0f,0xbb,0x37", BITOPS, 2)             /* lock btc %si,(%rdi) */          \
    X(btsq_imm, "0xf0,0x48,0x0f,0xba,0x2f,0x3f", BITOPS, 0)     /* lock btsq $63 */                \
    X(btrl_imm, "0xf0,0x0f,0xba,0x37,0x21", BITOPS, 0)          /* lock btrl $33: bit 1 */         \
    X(btcw_imm, "0xf0,0x66,0x0f,0xba,0x3f,0x13", BITOPS, 0)     /* lock btcw $19: bit 3 */

/* Runs the bytes on this CPU. The red zone is stepped over: push/pop would clobber it. */
#define HOST_FN(name, text, flags, bitreg)                                                         \
    static void host_##name(struct host *s, void *mem)                                             \
    {                                                                                              \
        __asm__ volatile("lea -128(%%rsp), %%rsp\n\t"                                              \
                         "push %[fl]\n\t"                                                          \
                         "popfq\n\t"                                                               \
                         ".byte " text "\n\t"                                                      \
                         "pushfq\n\t"                                                              \
                         "pop %[fl]\n\t"                                                           \
                         "lea 128(%%rsp), %%rsp"                                                   \
                         : [fl] "+r"(s->rflags), "+a"(s->rax), "+b"(s->rbx), "+c"(s->rcx),         \
                           "+d"(s->rdx), "+S"(s->rsi)                                              \
                         : "D"(mem)                                                                \
                         : "cc", "memory");                                                        \
    }
DIFF_INSNS(HOST_FN)

#define DIFF_ROW(name, text, flags, bitreg) {#name, text, host_##name, flags, bitreg},
static const struct {
    const char *name, *text;
    void (*run)(struct host *s, void *mem);
    uint64_t flags;
    unsigned int bitreg; /* bit-offset register width: keep rsi within the operand */
} diffs[] = {DIFF_INSNS(DIFF_ROW)};

static size_t parse_bytes(const char *text, uint8_t *out)
{
    size_t n = 0;
    char *end;

    while (*text) {
        out[n++] = (uint8_t)strtoul(text, &end, 16);
        text = *end == ',' ? end + 1 : end;
    }
    return n;
}

Test(ptwr, same_as_this_cpu)
{
    for (size_t d = 0; d < sizeof(diffs) / sizeof(diffs[0]); d++) {
        uint8_t bytes[16];
        size_t n = parse_bytes(diffs[d].text, bytes);
        struct ptwr_insn insn;

        cr_assert_eq(decode_exact(bytes, n, &insn), 0, "%s: decode", diffs[d].name);
        cr_assert_eq(insn.len, n, "%s: len", diffs[d].name);
        for (int iter = 0; iter < 2000; iter++) {
            unsigned int w = insn.width, offset = (unsigned int)(rnd() % (9 - w));
            uint64_t word = rnd(), new_pte = 0;
            struct host s = {rnd(), rnd(), rnd(), rnd(), rnd(), 0x202 | (rnd() & ARITH)};
            struct ptwr_regs regs;
            bool store = false;
            int rc;

            if (diffs[d].bitreg) { /* a bit offset inside the operand, junk above its width */
                uint64_t m = diffs[d].bitreg == 8 ? ~0ULL : (1ULL << (8 * diffs[d].bitreg)) - 1;
                s.rsi = (s.rsi & ~m) | (rnd() % (8 * w));
            }
            if (rnd() % 2) { /* let half the compares succeed */
                uint64_t cur = w == 8 ? word >> (8 * offset)
                                      : (word >> (8 * offset)) & ((1ULL << (8 * w)) - 1);
                if (insn.op == PTWR_CMPXCHG8B) {
                    s.rax = (s.rax & ~0xffffffffULL) | (uint32_t)cur;
                    s.rdx = (s.rdx & ~0xffffffffULL) | (cur >> 32);
                } else {
                    s.rax = (s.rax & ~(w == 8 ? ~0ULL : (1ULL << (8 * w)) - 1)) | cur;
                }
            }
            memset(&regs, 0, sizeof(regs));
            regs.gpr[0] = s.rax;
            regs.gpr[1] = s.rcx;
            regs.gpr[2] = s.rdx;
            regs.gpr[3] = s.rbx;
            regs.gpr[6] = s.rsi;
            regs.rflags = s.rflags;
            rc = ptwr_execute(&insn, &regs, offset, word, &new_pte, &store);
            cr_assert_eq(rc, 0, "%s: execute", diffs[d].name);

            uint64_t mem = word;
            diffs[d].run(&s, (uint8_t *)&mem + offset);
            cr_assert_eq(store ? new_pte : word, mem, "%s: memory %#llx, cpu %#llx", diffs[d].name,
                         (unsigned long long)new_pte, (unsigned long long)mem);
            cr_assert_eq(regs.gpr[0], s.rax, "%s: rax", diffs[d].name);
            cr_assert_eq(regs.gpr[1], s.rcx, "%s: rcx", diffs[d].name);
            cr_assert_eq(regs.gpr[2], s.rdx, "%s: rdx", diffs[d].name);
            cr_assert_eq(regs.gpr[3], s.rbx, "%s: rbx", diffs[d].name);
            cr_assert_eq(regs.gpr[6], s.rsi, "%s: rsi", diffs[d].name);
            cr_assert_eq(regs.rflags & diffs[d].flags, s.rflags & diffs[d].flags,
                         "%s: flags %#llx, cpu %#llx", diffs[d].name,
                         (unsigned long long)regs.rflags, (unsigned long long)s.rflags);
        }
    }
}
#endif
