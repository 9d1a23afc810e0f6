/* SPDX-License-Identifier: MIT */
/* Writable page tables: decoding and executing a guest's faulting write to a PTE. */
#include <ptwr-decode.h>

/* ---- Decoding ---------------------------------------------------------------------------- */

/* How the operand width follows from the prefixes. */
enum size_kind {
    SZ_BYTE, /* always 1 byte */
    SZ_V,    /* 8 with REX.W, else 2 with 66, else 4 */
    SZ_M64,  /* cmpxchg8b: 8, or 16 with REX.W (cmpxchg16b) */
};

/* What follows the opcode, and where the stored value comes from. */
enum src_kind {
    S_REG,      /* ModRM; ModRM.reg names the source register */
    S_IMM8,     /* ModRM (reg = /digit), then an imm8 sign-extended to the operand */
    S_IMMZ,     /* ModRM (reg = /digit), then imm16 (with 66) or imm32 sign-extended */
    S_MOFFS,    /* no ModRM: an 8-byte absolute address (4 with 67); the source is rAX */
    S_IMPLICIT, /* ModRM (reg = /digit); cmpxchg8b's rcx:rbx */
};

#define ANY_REG (-1)

struct opcode {
    uint8_t map;  /* 0: one-byte opcode; 1: after 0F */
    uint8_t byte; /* the opcode byte */
    int8_t ext;   /* the /digit ModRM.reg must hold, or ANY_REG for a source register */
    uint8_t op;   /* enum ptwr_op */
    uint8_t size; /* enum size_kind */
    uint8_t src;  /* enum src_kind */
};

/* Every memory write we emulate. An opcode with several rows is a group told apart by /digit. */
static const struct opcode opcodes[] = {
    {0, 0x08, ANY_REG, PTWR_OR, SZ_BYTE, S_REG},
    {0, 0x09, ANY_REG, PTWR_OR, SZ_V, S_REG},
    {0, 0x20, ANY_REG, PTWR_AND, SZ_BYTE, S_REG},
    {0, 0x21, ANY_REG, PTWR_AND, SZ_V, S_REG},
    {0, 0x80, 1, PTWR_OR, SZ_BYTE, S_IMM8},
    {0, 0x80, 4, PTWR_AND, SZ_BYTE, S_IMM8},
    {0, 0x81, 1, PTWR_OR, SZ_V, S_IMMZ},
    {0, 0x81, 4, PTWR_AND, SZ_V, S_IMMZ},
    {0, 0x83, 1, PTWR_OR, SZ_V, S_IMM8},
    {0, 0x83, 4, PTWR_AND, SZ_V, S_IMM8},
    {0, 0x86, ANY_REG, PTWR_XCHG, SZ_BYTE, S_REG},
    {0, 0x87, ANY_REG, PTWR_XCHG, SZ_V, S_REG},
    {0, 0x88, ANY_REG, PTWR_MOV, SZ_BYTE, S_REG},
    {0, 0x89, ANY_REG, PTWR_MOV, SZ_V, S_REG},
    {0, 0xa2, ANY_REG, PTWR_MOV, SZ_BYTE, S_MOFFS},
    {0, 0xa3, ANY_REG, PTWR_MOV, SZ_V, S_MOFFS},
    {0, 0xc6, 0, PTWR_MOV, SZ_BYTE, S_IMM8},
    {0, 0xc7, 0, PTWR_MOV, SZ_V, S_IMMZ},
    {1, 0xab, ANY_REG, PTWR_BTS, SZ_V, S_REG},
    {1, 0xb0, ANY_REG, PTWR_CMPXCHG, SZ_BYTE, S_REG},
    {1, 0xb1, ANY_REG, PTWR_CMPXCHG, SZ_V, S_REG},
    {1, 0xb3, ANY_REG, PTWR_BTR, SZ_V, S_REG},
    {1, 0xba, 5, PTWR_BTS, SZ_V, S_IMM8},
    {1, 0xba, 6, PTWR_BTR, SZ_V, S_IMM8},
    {1, 0xba, 7, PTWR_BTC, SZ_V, S_IMM8},
    {1, 0xbb, ANY_REG, PTWR_BTC, SZ_V, S_REG},
    {1, 0xc7, 1, PTWR_CMPXCHG8B, SZ_M64, S_IMPLICIT},
};

#define NR_OPCODES (sizeof(opcodes) / sizeof(opcodes[0]))

/* The first row for (map, byte) whose /digit accepts reg (reg < 0: any row for the opcode). */
static const struct opcode *find_opcode(unsigned int map, uint8_t byte, int reg)
{
    for (size_t i = 0; i < NR_OPCODES; i++) {
        const struct opcode *o = &opcodes[i];

        if (o->map == map && o->byte == byte && (reg < 0 || o->ext == ANY_REG || o->ext == reg))
            return o;
    }
    return NULL;
}

/*
 * A read position in bytes[0..n). Every read goes through here, so a short fetch fails the
 * decode instead of reading past n, and an instruction can never grow past 15 bytes.
 */
struct cursor {
    const uint8_t *bytes;
    size_t n, pos;
};

static bool next_byte(struct cursor *c, uint8_t *b)
{
    if (c->pos >= c->n || c->pos >= PTWR_MAX_INSN_LEN)
        return false;
    *b = c->bytes[c->pos++];
    return true;
}

/* Reads a k-byte little-endian field (k <= 8), sign-extended to 64 bits. */
static bool next_signed(struct cursor *c, unsigned int k, uint64_t *v)
{
    uint64_t x = 0;
    uint8_t b = 0;

    for (unsigned int i = 0; i < k; i++) {
        if (!next_byte(c, &b))
            return false;
        x |= (uint64_t)b << (8 * i);
    }
    if (k > 0 && k < 8 && (b & 0x80))
        x |= ~0ULL << (8 * k);
    *v = x;
    return true;
}

static bool skip_bytes(struct cursor *c, unsigned int k)
{
    uint64_t ignored;

    return next_signed(c, k, &ignored);
}

/* REX bits: W = 64-bit operand, R = high bit of ModRM.reg (B and X only pick address regs). */
#define REX_W 0x08
#define REX_R 0x04

/* Displacement bytes after a memory ModRM, by mod (mod 3 is a register: refused earlier). */
static const uint8_t disp_bytes[3] = {0, 1, 4};

/*
 * Skips the SIB byte and displacement of a memory operand. The special encodings are decided
 * by the 3-bit fields alone, so REX.B/X do not change the length: r12 needs a SIB like rsp,
 * r13 as a SIB base with mod 0 means "no base, disp32" like rbp. In 64-bit mode the layout is
 * the same with a 67 prefix (32-bit addressing; the 16-bit forms do not exist there).
 */
static bool skip_memory_operand(struct cursor *c, uint8_t modrm)
{
    unsigned int mod = modrm >> 6, rm = modrm & 7;
    unsigned int disp = disp_bytes[mod];
    uint8_t sib;

    if (rm == 4) {
        if (!next_byte(c, &sib))
            return false;
        if (mod == 0 && (sib & 7) == 5)
            disp = 4; /* no base register: disp32 */
    } else if (mod == 0 && rm == 5) {
        disp = 4; /* rip-relative disp32 */
    }
    return skip_bytes(c, disp);
}

/* The legacy prefixes we understand. */
struct prefixes {
    bool opsize, addr32, lock, rep;
    uint8_t rex; /* the REX byte right before the opcode (0x40..0x4f), or 0 */
};

/* Consumes prefixes; leaves the first opcode byte in *opcode. */
static bool read_prefixes(struct cursor *c, struct prefixes *p, uint8_t *opcode)
{
    uint8_t b;

    *p = (struct prefixes){0};
    for (;;) {
        if (!next_byte(c, &b))
            return false;
        if ((b & 0xf0) == 0x40) {
            p->rex = b; /* a later REX replaces an earlier one */
            continue;
        }
        switch (b) {
        case 0x66:
            p->opsize = true;
            break;
        case 0x67:
            p->addr32 = true;
            break;
        case 0xf0:
            p->lock = true;
            break;
        case 0xf2:
        case 0xf3:
            p->rep = true;
            break;
        case 0x26:
        case 0x2e:
        case 0x36:
        case 0x3e:
        case 0x64:
        case 0x65:
            break; /* segment override: cr2 is already linear */
        default:
            *opcode = b;
            return true;
        }
        p->rex = 0; /* a REX counts only right before the opcode */
    }
}

static unsigned int operand_width(enum size_kind size, const struct prefixes *p)
{
    switch (size) {
    case SZ_BYTE:
        return 1;
    case SZ_V:
        return (p->rex & REX_W) ? 8 : p->opsize ? 2 : 4;
    case SZ_M64:
        return (p->rex & REX_W) ? 16 : 8;
    }
    return 0;
}

int ptwr_decode(const uint8_t *bytes, size_t n, struct ptwr_insn *insn)
{
    struct cursor c = {bytes, n, 0};
    struct ptwr_insn d = {0};
    struct prefixes p;
    const struct opcode *o;
    unsigned int map = 0, reg = 0;
    uint8_t b, modrm;
    uint64_t imm = 0;

    if (!read_prefixes(&c, &p, &b))
        return -1;
    if (b == 0x0f) {
        map = 1;
        if (!next_byte(&c, &b))
            return -1;
    }
    o = find_opcode(map, b, -1);
    if (!o)
        return -1;

    /* The operand: a ModRM naming memory (which may select the row of a group), or a moffs. */
    if (o->src == S_MOFFS) {
        if (!skip_bytes(&c, p.addr32 ? 4 : 8))
            return -1;
    } else {
        if (!next_byte(&c, &modrm))
            return -1;
        reg = (modrm >> 3) & 7;
        o = find_opcode(map, b, (int)reg);
        if (!o || (modrm >> 6) == 3 || !skip_memory_operand(&c, modrm))
            return -1;
    }

    /* Prefixes the CPU would #UD on (lock mov) or that we do not emulate (rep, hints). */
    if (p.rep || (p.lock && o->op == PTWR_MOV))
        return -1;
    /* 66 cmpxchg8b is not something compilers emit; don't guess what the CPU makes of it. */
    if (p.opsize && o->size == SZ_M64)
        return -1;

    d.op = o->op;
    d.width = operand_width(o->size, &p);
    d.lock = p.lock || o->op == PTWR_XCHG; /* xchg with memory always locks */
    if (o->op == PTWR_CMPXCHG8B && d.width == 16)
        d.op = PTWR_CMPXCHG16B;

    switch (o->src) {
    case S_REG:
        d.src = PTWR_SRC_REG;
        d.src_reg = reg | ((p.rex & REX_R) ? 8 : 0);
        /* Without any REX, byte registers 4..7 are ah ch dh bh, not spl bpl sil dil. */
        if (d.width == 1 && !p.rex && reg >= 4) {
            d.src_reg = reg - 4;
            d.src_high8 = true;
        }
        break;
    case S_MOFFS:
        d.src = PTWR_SRC_REG;
        d.src_reg = 0;
        break;
    case S_IMM8:
    case S_IMMZ:
        /* iz is an imm16 for 16-bit operands, else an imm32 (sign-extended for REX.W). */
        if (!next_signed(&c, o->src == S_IMM8 ? 1 : d.width == 2 ? 2 : 4, &imm))
            return -1;
        d.src = PTWR_SRC_IMM;
        d.imm = imm;
        break;
    case S_IMPLICIT:
        d.src = PTWR_SRC_IMPLICIT;
        break;
    }
    d.len = (unsigned int)c.pos;
    *insn = d;
    return 0;
}

/* ---- Execution --------------------------------------------------------------------------- */

#define FL_CF    (1u << 0)
#define FL_PF    (1u << 2)
#define FL_AF    (1u << 4)
#define FL_ZF    (1u << 6)
#define FL_SF    (1u << 7)
#define FL_OF    (1u << 11)
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

static uint64_t width_mask(unsigned int w)
{
    return w == 8 ? ~0ULL : (1ULL << (8 * w)) - 1;
}

static uint64_t sign_bit(unsigned int w)
{
    return 1ULL << (8 * w - 1);
}

/* PF: set when the low byte of the result has an even number of ones. */
static bool even_parity(uint64_t v)
{
    uint8_t b = (uint8_t)v;

    b ^= b >> 4;
    b ^= b >> 2;
    b ^= b >> 1;
    return !(b & 1);
}

/* SF ZF PF of a w-byte result. */
static uint64_t szp_flags(uint64_t r, unsigned int w)
{
    return ((r & sign_bit(w)) ? FL_SF : 0) | (r == 0 ? FL_ZF : 0) | (even_parity(r) ? FL_PF : 0);
}

/* All six arithmetic flags of the w-byte compare a - b (a, b already masked). */
static uint64_t sub_flags(uint64_t a, uint64_t b, unsigned int w)
{
    uint64_t r = (a - b) & width_mask(w);

    return szp_flags(r, w) | (a < b ? FL_CF : 0) | (((a ^ b ^ r) & 0x10) ? FL_AF : 0) |
           (((a ^ b) & (a ^ r) & sign_bit(w)) ? FL_OF : 0);
}

static void set_flags(struct ptwr_regs *regs, uint64_t which, uint64_t value)
{
    regs->rflags = (regs->rflags & ~which) | (value & which);
}

static uint64_t get_reg(const struct ptwr_regs *regs, unsigned int reg, bool high8, unsigned int w)
{
    if (high8)
        return (regs->gpr[reg] >> 8) & 0xff;
    return regs->gpr[reg] & width_mask(w);
}

/* A register write as the CPU does it: 32-bit writes zero the upper half, 8/16-bit keep it. */
static void set_reg(struct ptwr_regs *regs, unsigned int reg, bool high8, unsigned int w,
                    uint64_t v)
{
    uint64_t *r = &regs->gpr[reg];

    if (high8)
        *r = (*r & ~0xff00ULL) | ((v & 0xff) << 8);
    else if (w == 4)
        *r = v & 0xffffffffULL;
    else
        *r = (*r & ~width_mask(w)) | (v & width_mask(w));
}

/* cmpxchg8b: edx:eax against the PTE; ecx:ebx on success. Only ZF changes. */
static bool cmpxchg8b(struct ptwr_regs *regs, uint64_t cur, uint64_t *res)
{
    uint64_t expect = (regs->gpr[2] << 32) | (regs->gpr[0] & 0xffffffffULL);

    if (cur == expect) {
        *res = (regs->gpr[1] << 32) | (regs->gpr[3] & 0xffffffffULL);
        set_flags(regs, FL_ZF, FL_ZF);
        return true;
    }
    set_reg(regs, 0, false, 4, cur);
    set_reg(regs, 2, false, 4, cur >> 32);
    set_flags(regs, FL_ZF, 0);
    return false;
}

int ptwr_execute(const struct ptwr_insn *insn, struct ptwr_regs *regs, unsigned int offset,
                 uint64_t old, uint64_t *new_pte, bool *store)
{
    unsigned int w = insn->width, shift = 8 * offset;
    uint64_t mask, cur, src = 0, res = 0, acc;
    bool write = true;

    /* Check: refuse before anything changes. Cmpxchg16b (w == 16) touches two PTEs. */
    if (insn->op == PTWR_CMPXCHG16B || !(w == 1 || w == 2 || w == 4 || w == 8) || offset > 8 - w)
        return -1;
    if (insn->op == PTWR_CMPXCHG8B && w != 8)
        return -1;
    mask = width_mask(w);
    cur = (old >> shift) & mask;
    if (insn->src == PTWR_SRC_REG)
        src = get_reg(regs, insn->src_reg, insn->src_high8, w);
    else if (insn->src == PTWR_SRC_IMM)
        src = insn->imm & mask;
    if (insn->op == PTWR_BTS || insn->op == PTWR_BTR || insn->op == PTWR_BTC) {
        if (insn->src == PTWR_SRC_IMM)
            src &= 8 * w - 1; /* an immediate bit offset wraps within the operand */
        else if (src >= 8 * w)
            return -1; /* a register one selects another word: see the header */
    }

    /* Commit. */
    switch (insn->op) {
    case PTWR_MOV:
        res = src;
        break;
    case PTWR_XCHG:
        res = src;
        set_reg(regs, insn->src_reg, insn->src_high8, w, cur);
        break;
    case PTWR_CMPXCHG:
        acc = regs->gpr[0] & mask;
        set_flags(regs, FL_ARITH, sub_flags(acc, cur, w));
        if (acc == cur) {
            res = src;
        } else {
            write = false;
            set_reg(regs, 0, false, w, cur);
        }
        break;
    case PTWR_CMPXCHG8B:
        write = cmpxchg8b(regs, cur, &res);
        break;
    case PTWR_AND:
    case PTWR_OR:
        res = insn->op == PTWR_AND ? (cur & src) : (cur | src);
        set_flags(regs, FL_CF | FL_PF | FL_ZF | FL_SF | FL_OF, szp_flags(res, w));
        break;
    case PTWR_BTS:
    case PTWR_BTR:
    case PTWR_BTC:
        set_flags(regs, FL_CF, (cur >> src) & 1);
        res = insn->op == PTWR_BTS   ? cur | (1ULL << src)
              : insn->op == PTWR_BTR ? cur & ~(1ULL << src)
                                     : cur ^ (1ULL << src);
        break;
    case PTWR_CMPXCHG16B:
        return -1; /* refused above */
    }

    *store = write;
    *new_pte = write ? (old & ~(mask << shift)) | ((res & mask) << shift) : old;
    return 0;
}
