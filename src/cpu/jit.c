/*
 * jit.c: x86-64 code for hot blocks (jit.h, docs/engine.md).
 *
 * A template translator: each operation becomes a few host instructions
 * on the guest registers, x[] in struct cpu (at its start), except the
 * few the block uses most, which live in host registers from the block's
 * entry and are stored back before any exit or hand-over, so that any
 * point of the block can hand over to the run loop. Host registers while
 * native code runs:
 *
 *   rbx  struct cpu * (and x[]: x[r] is [rbx + 4r])
 *   rbp  struct jit_state *
 *   r13  guest memory base of the fast window (the run loop's mem)
 *   r14  left: cycles to the gate        r15  instructions retired
 *   r12 rdi r8-r11  guest registers (choose_registers)
 *   rax rcx rdx rsi  scratch
 *
 * A block's code, in order: its operations; then out of line, a stub
 * per taken branch (charge, loop on itself or leave), the two exits with
 * their chains, the hand-overs to the run loop. The entry and return
 * (callee-saved registers, the counters in and out of jit_state) are
 * shared, at the start of the buffer.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#include "jit.h"

#if defined(__x86_64__) && defined(__linux__)

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "block.h"
#include "cpu_internal.h"

#define JIT_SIZE (64u << 20) /* reserved, committed as it fills */
#define BLOCK_CODE_MAX 8192u /* more than a block of BLOCK_MAX stores needs */

struct jit {
    uint8_t *buf;
    uint32_t top;    /* next free byte */
    uint32_t origin; /* where blocks' code starts (after enter/leave) */
    uint32_t leave;  /* offset of the shared return */
    uint32_t (*enter)(struct jit_state *, struct cpu *, uint8_t *, void *);
};

/* ---- Emitting x86-64 ---------------------------------------------------- */

enum {
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
    R15
};
enum {
    CC_B = 2,
    CC_AE = 3,
    CC_E = 4,
    CC_NE = 5,
    CC_L = 0xC,
    CC_GE = 0xD,
    CC_LE = 0xE,
    CC_G = 0xF
};
#define NO_INDEX (-1)
#define X_AT(r) ((int32_t)(4 * (r))) /* guest register r in struct cpu */

struct emit {
    uint8_t *p;
};

static void byte(struct emit *e, unsigned v)
{
    *e->p++ = (uint8_t)v;
}

static void u32(struct emit *e, uint32_t v)
{
    memcpy(e->p, &v, 4);
    e->p += 4;
}

static void u64(struct emit *e, uint64_t v)
{
    memcpy(e->p, &v, 8);
    e->p += 8;
}

/* REX prefix: w (64-bit operand) and the high bits of reg, index, base;
 * left out when it would be the plain 0x40. */
static void rex(struct emit *e, bool w, int reg, int index, int base)
{
    unsigned r = 0x40u | (unsigned)w << 3 | (unsigned)(reg >> 3 & 1) << 2 |
                 (unsigned)((index < 0 ? 0 : index) >> 3 & 1) << 1 |
                 (unsigned)(base >> 3 & 1);
    if (r != 0x40u)
        byte(e, r);
}

/* [66] [REX] opcode (1 or 2 bytes) and a memory operand
 * [base + index + disp], reg in the ModRM reg field (a register or an
 * opcode extension /digit). */
static void op_mem(struct emit *e, bool w, unsigned opcode, int reg, int base,
                   int index, int32_t disp)
{
    rex(e, w, reg, index, base);
    if (opcode > 0xFF)
        byte(e, opcode >> 8);
    byte(e, opcode & 0xFF);
    /* rbp and r13 as a base have no form without a displacement. */
    unsigned mod = disp == 0 && (base & 7) != RBP ? 0
                   : disp >= -128 && disp <= 127  ? 1
                                                  : 2;
    if (index == NO_INDEX && (base & 7) != RSP) {
        byte(e, mod << 6 | (unsigned)(reg & 7) << 3 | (unsigned)(base & 7));
    } else { /* a SIB byte: rsp/r12 as base, or an index (scale 1) */
        byte(e, mod << 6 | (unsigned)(reg & 7) << 3 | RSP);
        byte(e, (unsigned)((index == NO_INDEX ? RSP : index) & 7) << 3 |
                    (unsigned)(base & 7));
    }
    if (mod == 1)
        byte(e, (uint8_t)disp);
    else if (mod == 2)
        u32(e, (uint32_t)disp);
}

/* opcode reg, rm: both registers. */
static void op_reg(struct emit *e, bool w, unsigned opcode, int reg, int rm)
{
    rex(e, w, reg, NO_INDEX, rm);
    if (opcode > 0xFF)
        byte(e, opcode >> 8);
    byte(e, opcode & 0xFF);
    byte(e, 0xC0u | (unsigned)(reg & 7) << 3 | (unsigned)(rm & 7));
}

/* Group-1 arithmetic with an immediate: /digit reg, imm (add 0, or 1,
 * and 4, sub 5, xor 6, cmp 7). */
static void alu_imm(struct emit *e, bool w, unsigned digit, int reg,
                    int32_t imm)
{
    if (imm >= -128 && imm <= 127) {
        op_reg(e, w, 0x83, (int)digit, reg);
        byte(e, (uint8_t)imm);
    } else {
        op_reg(e, w, 0x81, (int)digit, reg);
        u32(e, (uint32_t)imm);
    }
}

static void mov_imm64(struct emit *e, int reg, uint64_t v)
{
    rex(e, true, 0, NO_INDEX, reg);
    byte(e, 0xB8u + (unsigned)(reg & 7));
    u64(e, v);
}

/* A jump (jcc with cc >= 0, jmp otherwise) whose rel32 is patched later:
 * returns where the rel32 is. */
static uint8_t *jump_fwd(struct emit *e, int cc)
{
    if (cc >= 0) {
        byte(e, 0x0F);
        byte(e, 0x80u + (unsigned)cc);
    } else {
        byte(e, 0xE9);
    }
    uint8_t *at = e->p;
    u32(e, 0);
    return at;
}

static void patch(uint8_t *at, const uint8_t *target)
{
    int32_t rel = (int32_t)(target - (at + 4));
    memcpy(at, &rel, 4);
}

static void jump_to(struct emit *e, int cc, const uint8_t *target)
{
    patch(jump_fwd(e, cc), target);
}

/* ---- What each operation becomes ---------------------------------------- */

/* The operation an op's handler stands for (fused pairs: the first op's
 * own, the branch being the next op). */
static int op_kind(const void *run, const void *const *handlers)
{
    for (int k = 0; k < NXOPS; k++)
        if (handlers[k] == run) {
            switch (k) {
#define X(first, test)                                                         \
    case XOP_##first##_##test: return OP_##first;
                FUSED_LIST(X)
#undef X
            default: return k;
            }
        }
    return OP_ILLEGAL;
}

/* Register-register arithmetic: x86 opcode of "op eax, r/m32". */
static const uint8_t alu_rm[NOPS] = {
    [OP_ADD] = 0x03, [OP_SUB] = 0x2B, [OP_XOR] = 0x33,
    [OP_OR] = 0x0B,  [OP_AND] = 0x23,
};
/* With an immediate: the group-1 /digit (0 means none: add is 0, so
 * the table holds digit + 1). */
static const uint8_t alu_i[NOPS] = {
    [OP_ADDI] = 0 + 1,
    [OP_XORI] = 6 + 1,
    [OP_ORI] = 1 + 1,
    [OP_ANDI] = 4 + 1,
};
/* Shifts: the C1 / D3 /digit. */
static const uint8_t shift_digit[NOPS] = {
    [OP_SLLI] = 4, [OP_SRLI] = 5, [OP_SRAI] = 7,
    [OP_SLL] = 4,  [OP_SRL] = 5,  [OP_SRA] = 7,
};
/* Set-less-than: the setcc condition (signed or not). */
static const uint8_t slt_cc[NOPS] = {
    [OP_SLT] = CC_L,
    [OP_SLTU] = CC_B,
    [OP_SLTI] = CC_L,
    [OP_SLTIU] = CC_B,
};
/* Branches: the condition under which they are taken. */
static const uint8_t branch_cc[NOPS] = {
    [OP_BEQ] = CC_E,  [OP_BNE] = CC_NE, [OP_BLT] = CC_L,
    [OP_BGE] = CC_GE, [OP_BLTU] = CC_B, [OP_BGEU] = CC_AE,
};
/* Loads and stores: log2 of the size, and the load's x86 opcode (mov or
 * movzx / movsx) or the store's. */
static const struct {
    uint8_t log2;
    uint16_t opcode;
} access[NOPS] = {
    [OP_LB] = {0, 0x0FBE},  [OP_LBU] = {0, 0x0FB6}, [OP_LH] = {1, 0x0FBF},
    [OP_LHU] = {1, 0x0FB7}, [OP_LW] = {2, 0x8B},    [OP_SB] = {0, 0x88},
    [OP_SH] = {1, 0x89},    [OP_SW] = {2, 0x89},
};

/* Hand-overs and stubs to emit after the block's straight-line code. */
struct pending {
    uint8_t *at; /* a rel32 to patch */
    uint32_t op; /* the op it hands over at, or the branch's op */
};

struct compile {
    struct emit e;
    /* Guest registers the block uses most live in host registers from
     * its entry to its exits: host[r] (or -1: x[r] in memory). The ones
     * it may write are stored back before it leaves. */
    int8_t host[X_SINK + 1];
    uint32_t written; /* guest registers in host ones it writes */
    uint8_t *body;    /* after the entry's loads: where a self-loop goes */
    const struct block *b;
    const struct block_exit *jumps; /* the jump cache */
    uint8_t *entry;
    struct pending bail[2 * (BLOCK_MAX + 1)];
    unsigned nbail;
    struct pending taken[BLOCK_MAX];
    unsigned ntaken;
    uint8_t *exits[2][2 * BLOCK_MAX]; /* jumps to exit k (ecx = pc) */
    unsigned nexits[2];
};

/* ---- Guest registers: in a host register or in struct cpu --------------- */

/* Host registers free for guest ones: native code calls nothing, so the
 * caller-saved ones are as good as r12. */
static const uint8_t cache_regs[] = {R12, RDI, R8, R9, R10, R11};

/* 32-bit host register reg = guest register r. */
static void get(struct compile *c, int reg, unsigned r)
{
    if (c->host[r] >= 0)
        op_reg(&c->e, false, 0x8B, reg, c->host[r]);
    else
        op_mem(&c->e, false, 0x8B, reg, RBX, NO_INDEX, X_AT(r));
}

/* Guest register r = 32-bit host register reg. */
static void put(struct compile *c, unsigned r, int reg)
{
    if (c->host[r] >= 0)
        op_reg(&c->e, false, 0x8B, c->host[r], reg);
    else
        op_mem(&c->e, false, 0x89, reg, RBX, NO_INDEX, X_AT(r));
}

/* "opcode reg, r/m" with guest register r as the r/m operand. */
static void with(struct compile *c, bool w, unsigned opcode, int reg,
                 unsigned r)
{
    if (c->host[r] >= 0)
        op_reg(&c->e, w, opcode, reg, c->host[r]);
    else
        op_mem(&c->e, w, opcode, reg, RBX, NO_INDEX, X_AT(r));
}

/* Choose the guest registers to keep in host ones: those the block names
 * twice or more, most named first. Naming is counted from the fields
 * (an op whose rs2 is not an operand only makes a choice worse, and a
 * register counted as written only stored back needlessly). */
static void choose_registers(struct compile *c)
{
    const struct block *b = c->b;
    unsigned uses[X_SINK + 1] = {0};
    uint32_t writes = 0;
    for (uint32_t i = 0; i < b->nops; i++) {
        const struct uop *o = &b->ops[i];
        uses[o->rd]++;
        uses[o->rs1]++;
        uses[o->rs2]++;
        writes |= o->rd < 32 ? 1u << o->rd : 0;
    }
    uses[0] = 0; /* x0 reads 0 from memory, and is never written */
    memset(c->host, -1, sizeof c->host);
    for (unsigned k = 0; k < sizeof cache_regs; k++) {
        unsigned best = 0;
        for (unsigned r = 1; r < 32; r++)
            if (c->host[r] < 0 && uses[r] > uses[best])
                best = r;
        if (best == 0 || uses[best] < 2)
            break;
        c->host[best] = (int8_t)cache_regs[k];
        if (writes & 1u << best)
            c->written |= 1u << best;
    }
}

/* At the entry: the chosen registers from struct cpu. */
static void load_registers(struct compile *c)
{
    for (unsigned r = 1; r < 32; r++)
        if (c->host[r] >= 0)
            op_mem(&c->e, false, 0x8B, c->host[r], RBX, NO_INDEX, X_AT(r));
}

/* Before leaving: the ones it may have written, back to struct cpu. */
static void store_registers(struct compile *c)
{
    for (unsigned r = 1; r < 32; r++)
        if (c->written & 1u << r)
            op_mem(&c->e, false, 0x89, c->host[r], RBX, NO_INDEX, X_AT(r));
}

/* Hand over to the run loop at op i, if the condition holds (cc >= 0)
 * or always. */
static void bail(struct compile *c, int cc, uint32_t i)
{
    c->bail[c->nbail++] = (struct pending){jump_fwd(&c->e, cc), i};
}

static void to_exit(struct compile *c, unsigned k)
{
    c->exits[k][c->nexits[k]++] = jump_fwd(&c->e, -1);
}

/* rcx = x[rs1] + imm, the address; rax = it rotated so that one compare
 * with the fast limit tells a fast access (interp.c, IN_WINDOW). Hands
 * over at op i if it is not. */
static void fast_address(struct compile *c, const struct uop *o, unsigned log2,
                         uint32_t i)
{
    static const uint8_t lim[3] = {offsetof(struct cpu, fast_lim1),
                                   offsetof(struct cpu, fast_lim2),
                                   offsetof(struct cpu, fast_lim4)};
    struct emit *e = &c->e;
    get(c, RCX, o->rs1);
    if (o->imm)
        alu_imm(e, false, 0, RCX, o->imm);
    op_reg(e, false, 0x8B, RAX, RCX); /* mov eax, ecx */
    alu_imm(e, false, 5, RAX, (int32_t)USER_NULL_GUARD);
    if (log2) {
        op_reg(e, false, 0xC1, 1, RAX); /* ror eax, log2 */
        byte(e, log2);
    }
    op_mem(e, false, 0x3B, RAX, RBX, NO_INDEX, lim[log2]); /* cmp eax, lim */
    bail(c, CC_AE, i);
}

/* Operation o, op i of the block: most compute in eax from x[rs1] and
 * x[rs2] (or the immediate) and store it to x[rd]. */
static void emit_op(struct compile *c, const struct uop *o, int kind,
                    uint32_t i)
{
    struct emit *e = &c->e;
    const struct block *b = c->b;
    switch (kind) {
    case XOP_NOP:
    case OP_FENCE:
    case OP_FENCE_I: return;
    case XOP_LI:
    case OP_LUI: /* mov rd, imm */
        if (c->host[o->rd] >= 0)
            op_reg(e, false, 0xC7, 0, c->host[o->rd]);
        else
            op_mem(e, false, 0xC7, 0, RBX, NO_INDEX, X_AT(o->rd));
        u32(e, (uint32_t)o->imm);
        return;
    case XOP_MV:
        get(c, RAX, o->rs1);
        put(c, o->rd, RAX);
        return;
    case OP_AUIPC: /* rd = block pc + imm */
        op_mem(e, false, 0x8B, RAX, RBX, NO_INDEX,
               offsetof(struct cpu, block_pc));
        alu_imm(e, false, 0, RAX, o->imm);
        put(c, o->rd, RAX);
        return;
    case OP_ADD:
    case OP_SUB:
    case OP_XOR:
    case OP_OR:
    case OP_AND:
        get(c, RAX, o->rs1);
        with(c, false, alu_rm[kind], RAX, o->rs2);
        put(c, o->rd, RAX);
        return;
    case OP_ADDI:
    case OP_XORI:
    case OP_ORI:
    case OP_ANDI:
        get(c, RAX, o->rs1);
        alu_imm(e, false, alu_i[kind] - 1u, RAX, o->imm);
        put(c, o->rd, RAX);
        return;
    case OP_SLLI:
    case OP_SRLI:
    case OP_SRAI:
        get(c, RAX, o->rs1);
        op_reg(e, false, 0xC1, shift_digit[kind], RAX);
        byte(e, (unsigned)o->imm & 31);
        put(c, o->rd, RAX);
        return;
    case OP_SLL:
    case OP_SRL:
    case OP_SRA: /* the count in cl; x86 takes it mod 32, as RISC-V does */
        get(c, RCX, o->rs2);
        get(c, RAX, o->rs1);
        op_reg(e, false, 0xD3, shift_digit[kind], RAX);
        put(c, o->rd, RAX);
        return;
    case OP_SLT:
    case OP_SLTU:
    case OP_SLTI:
    case OP_SLTIU:
        get(c, RAX, o->rs1);
        if (kind == OP_SLTI || kind == OP_SLTIU)
            alu_imm(e, false, 7, RAX, o->imm); /* cmp eax, imm */
        else
            with(c, false, 0x3B, RAX, o->rs2);
        op_reg(e, false, 0x0F90u + slt_cc[kind], 0, RAX); /* setcc al */
        op_reg(e, false, 0x0FB6, RAX, RAX);               /* movzx eax, al */
        put(c, o->rd, RAX);
        return;
    case OP_MUL:
        get(c, RAX, o->rs1);
        with(c, false, 0x0FAF, RAX, o->rs2);
        put(c, o->rd, RAX);
        return;
    case OP_MULH:
    case OP_MULHSU:
    case OP_MULHU:
        /* The 64-bit product of the operands, extended as each is
         * signed or not: its high half. */
        with(c, kind != OP_MULHU, kind != OP_MULHU ? 0x63 : 0x8B, RAX, o->rs1);
        with(c, kind == OP_MULH, kind == OP_MULH ? 0x63 : 0x8B, RCX, o->rs2);
        op_reg(e, true, 0x0FAF, RAX, RCX); /* imul rax, rcx */
        op_reg(e, true, 0xC1, 5, RAX);     /* shr rax, 32 */
        byte(e, 32);
        put(c, o->rd, RAX);
        return;
    case OP_DIV:
    case OP_DIVU:
    case OP_REM:
    case OP_REMU: {
        /* By zero (result or trap, STATUS.DZ) and INT_MIN / -1 are the
         * run loop's; x86 would fault on both. */
        bool sign = kind == OP_DIV || kind == OP_REM;
        get(c, RCX, o->rs2);
        op_reg(e, false, 0x85, RCX, RCX); /* test ecx, ecx */
        bail(c, CC_E, i);
        get(c, RAX, o->rs1);
        if (sign) {
            alu_imm(e, false, 7, RCX, -1); /* cmp ecx, -1 */
            uint8_t *ok = jump_fwd(e, CC_NE);
            alu_imm(e, false, 7, RAX, INT32_MIN);
            bail(c, CC_E, i);
            patch(ok, e->p);
            byte(e, 0x99);                  /* cdq */
            op_reg(e, false, 0xF7, 7, RCX); /* idiv ecx */
        } else {
            op_reg(e, false, 0x33, RDX, RDX); /* xor edx, edx */
            op_reg(e, false, 0xF7, 6, RCX);   /* div ecx */
        }
        put(c, o->rd, kind == OP_DIV || kind == OP_DIVU ? RAX : RDX);
        return;
    }
    case OP_LB:
    case OP_LBU:
    case OP_LH:
    case OP_LHU:
    case OP_LW:
        fast_address(c, o, access[kind].log2, i);
        op_mem(e, false, access[kind].opcode, RAX, R13, RCX, 0);
        put(c, o->rd, RAX);
        return;
    case OP_SB:
    case OP_SH:
    case OP_SW:
        fast_address(c, o, access[kind].log2, i);
        /* Into decoded code (or a watched page): the run loop's store
         * kills the blocks; this one has not written yet. */
        op_mem(e, true, 0x8D, RDX, R13, RCX, 0); /* lea rdx, [r13 + rcx] */
        op_reg(e, true, 0xC1, 5, RDX);           /* shr rdx, LINE_SHIFT */
        byte(e, CODE_LINE_SHIFT);
        op_mem(e, true, 0x03, RDX, RBX, NO_INDEX,
               offsetof(struct cpu, code_bias));     /* add rdx, code_bias */
        op_mem(e, false, 0x80, 7, RDX, NO_INDEX, 0); /* cmp byte [rdx], 0 */
        byte(e, 0);
        bail(c, CC_NE, i);
        get(c, RAX, o->rs2);
        if (kind == OP_SH)
            byte(e, 0x66);
        op_mem(e, false, access[kind].opcode, RAX, R13, RCX, 0);
        return;
    case OP_BEQ:
    case OP_BNE:
    case OP_BLT:
    case OP_BGE:
    case OP_BLTU:
    case OP_BGEU:
        get(c, RAX, o->rs1);
        with(c, false, 0x3B, RAX, o->rs2);
        c->taken[c->ntaken++] =
            (struct pending){jump_fwd(e, branch_cc[kind]), i};
        return;
    case OP_JAL: /* one the block did not follow: it ends the block */
    case OP_JALR:
        if (kind == OP_JALR) {
            get(c, RCX, o->rs1);
            if (o->imm)
                alu_imm(e, false, 0, RCX, o->imm);
            alu_imm(e, false, 4, RCX, -2); /* and ecx, ~1 */
        } else {
            op_mem(e, false, 0x8B, RCX, RBX, NO_INDEX,
                   offsetof(struct cpu, block_pc));
            alu_imm(e, false, 0, RCX, o->imm);
        }
        op_reg(e, false, 0xF6, 0, RCX); /* test cl, 3: misaligned */
        byte(e, 3);
        bail(c, CC_NE, i);
        /* The link, after the target was read (rd may be rs1). */
        op_mem(e, false, 0x8B, RAX, RBX, NO_INDEX,
               offsetof(struct cpu, block_pc));
        alu_imm(e, false, 0, RAX, (int32_t)(b->pcoff[o->idx] + 4));
        put(c, o->rd, RAX);
        alu_imm(e, true, 5, R14, (int32_t)b->all); /* sub r14, all */
        alu_imm(e, true, 0, R15, (int32_t)b->n);   /* add r15, n */
        to_exit(c, 0);
        return;
    case XOP_END:
        op_mem(e, false, 0x8B, RCX, RBX, NO_INDEX,
               offsetof(struct cpu, block_pc));
        alu_imm(e, false, 0, RCX, (int32_t)b->end);
        alu_imm(e, true, 5, R14, (int32_t)b->all);
        alu_imm(e, true, 0, R15, (int32_t)b->n);
        to_exit(c, 1);
        return;
    default: /* csr, ecall, ebreak, rti, wfi, illegal, a misaligned
                branch: the run loop's */
        bail(c, -1, i);
        return;
    }
}

/* Leave by exit k, ecx = the pc: straight into the chained block's native
 * code if the chain holds (interp.c, EXIT_TO) and the block may run
 * whole, else back to the run loop. */
static void emit_exit(struct compile *c, unsigned k, uint8_t *to_save_b)
{
    struct emit *e = &c->e;
    store_registers(c);
    op_mem(e, true, 0x8B, RAX, RBP, NO_INDEX,
           offsetof(struct jit_state, key)); /* rax = key */
    op_reg(e, true, 0x09, RCX, RAX);         /* or rax, rcx */
    mov_imm64(e, RDX, (uint64_t)(uintptr_t)&c->b->next[k]);
    op_mem(e, true, 0x3B, RAX, RDX, NO_INDEX, offsetof(struct block_exit, key));
    uint8_t *no_chain = jump_fwd(e, CC_NE);
    uint8_t *chained = e->p; /* rdx: the exit or jump cache entry */
    op_mem(e, true, 0x8B, RDX, RDX, NO_INDEX,
           offsetof(struct block_exit, to)); /* rdx = nb */
    op_mem(e, true, 0x8B, RSI, RDX, NO_INDEX, offsetof(struct block, native));
    op_reg(e, true, 0x85, RSI, RSI);
    uint8_t *no_native = jump_fwd(e, CC_E);
    op_mem(e, false, 0x8B, RAX, RDX, NO_INDEX, offsetof(struct block, body));
    op_reg(e, true, 0x39, RAX, R14); /* cmp r14, rax */
    uint8_t *too_late = jump_fwd(e, CC_LE);
    op_mem(e, false, 0x89, RCX, RBX, NO_INDEX, offsetof(struct cpu, block_pc));
    op_reg(e, false, 0xFF, 4, RSI); /* jmp rsi */
    /* Chained, but to a block the run loop must run. */
    patch(no_native, e->p);
    patch(too_late, e->p);
    op_mem(e, true, 0x89, RDX, RBP, NO_INDEX, offsetof(struct jit_state, nb));
    op_mem(e, false, 0x89, RCX, RBP, NO_INDEX, offsetof(struct jit_state, pc));
    op_reg(e, false, 0xC7, 0, RAX); /* mov eax, JIT_RUN + k */
    u32(e, JIT_RUN + k);
    jump_to(e, -1, to_save_b);
    /* Not the block it led to last: perhaps one the jump cache holds
     * under the same key (a return to another caller). */
    patch(no_chain, e->p);
    op_reg(e, false, 0x8B, RDX, RCX); /* mov edx, ecx */
    op_reg(e, false, 0xC1, 5, RDX);   /* shr edx, 2 */
    byte(e, 2);
    alu_imm(e, false, 4, RDX, (1 << JUMP_CACHE_BITS) - 1);
    op_reg(e, false, 0xC1, 4, RDX); /* shl edx, log2 of an entry */
    byte(e, 4);
    _Static_assert(sizeof(struct block_exit) == 16, "jump cache entry");
    mov_imm64(e, RSI, (uint64_t)(uintptr_t)c->jumps);
    op_reg(e, true, 0x03, RDX, RSI); /* add rdx, rsi */
    op_mem(e, true, 0x3B, RAX, RDX, NO_INDEX, offsetof(struct block_exit, key));
    jump_to(e, CC_E, chained);
    op_mem(e, false, 0x89, RCX, RBP, NO_INDEX, offsetof(struct jit_state, pc));
    op_reg(e, false, 0xC7, 0, RAX);
    u32(e, JIT_EXIT + k);
    jump_to(e, -1, to_save_b);
}

void *jit_compile(struct jit *jit, const struct blocks *bc,
                  const struct block *b, const void *const *handlers,
                  uint32_t *size)
{
    if (jit->top + BLOCK_CODE_MAX > JIT_SIZE)
        return NULL;
    struct compile c = {.e = {jit->buf + jit->top}, .b = b, .jumps = bc->jumps};
    struct emit *e = &c.e;
    c.entry = e->p;
    choose_registers(&c);
    load_registers(&c);
    c.body = e->p;
    for (uint32_t i = 0; i < b->nops; i++)
        emit_op(&c, &b->ops[i], op_kind(b->ops[i].run, handlers), i);
    /* Every block ends in an exit or a hand-over (its last op is END, a
     * jump or a system instruction), so nothing falls through to here. */
    /* Taken branches: charge up to and including the branch; back to the
     * block's start if it loops on itself and may run whole again, else
     * leave by exit 0 to the target. */
    for (unsigned t = 0; t < c.ntaken; t++) {
        const struct uop *o = &b->ops[c.taken[t].op];
        patch(c.taken[t].at, e->p);
        alu_imm(e, true, 5, R14, (int32_t)b->taken[o->idx]);
        alu_imm(e, true, 0, R15, (int32_t)(o->idx + 1u));
        if (o->imm == 0) {
            alu_imm(e, true, 7, R14, (int32_t)b->body); /* cmp r14, body */
            jump_to(e, CC_G, c.body); /* the registers are still live */
        }
        op_mem(e, false, 0x8B, RCX, RBX, NO_INDEX,
               offsetof(struct cpu, block_pc));
        alu_imm(e, false, 0, RCX, o->imm);
        to_exit(&c, 0);
    }

    /* Where the run loop is told which block it is in, and returns. */
    uint8_t *save_b = e->p;
    mov_imm64(e, RDX, (uint64_t)(uintptr_t)b);
    op_mem(e, true, 0x89, RDX, RBP, NO_INDEX, offsetof(struct jit_state, b));
    jump_to(e, -1, jit->buf + jit->leave);

    for (unsigned k = 0; k < 2; k++) {
        if (!c.nexits[k])
            continue;
        for (unsigned j = 0; j < c.nexits[k]; j++)
            patch(c.exits[k][j], e->p);
        emit_exit(&c, k, save_b);
    }
    /* Hand-overs: the registers back, then the op's index to the run
     * loop. */
    uint8_t *hand_over = save_b;
    if (c.nbail && c.written) {
        hand_over = e->p;
        store_registers(&c);
        jump_to(e, -1, save_b);
    }
    for (unsigned j = 0; j < c.nbail; j++) {
        patch(c.bail[j].at, e->p);
        op_reg(e, false, 0xC7, 0, RAX); /* mov eax, op */
        u32(e, c.bail[j].op);
        jump_to(e, -1, hand_over);
    }
    *size = (uint32_t)(e->p - c.entry);
    jit->top = ((uint32_t)(e->p - jit->buf) + 15u) & ~15u;
    return c.entry;
}

/* ---- The buffer, entry and return --------------------------------------- */

/* Callee-saved registers the native code uses, pushed in this order. */
static const uint8_t saved[] = {RBX, RBP, R12, R13, R14, R15};

static void push_pop(struct emit *e, int reg, bool push)
{
    rex(e, false, 0, NO_INDEX, reg);
    byte(e, (push ? 0x50u : 0x58u) + (unsigned)(reg & 7));
}

/* enter(state, cpu, mem, code): rdi, rsi, rdx, rcx (System V). */
static void emit_enter_leave(struct jit *jit)
{
    struct emit e = {jit->buf};
    for (unsigned i = 0; i < sizeof saved; i++)
        push_pop(&e, saved[i], true);
    op_reg(&e, true, 0x8B, RBP, RDI); /* mov rbp, rdi */
    op_reg(&e, true, 0x8B, RBX, RSI); /* mov rbx, rsi */
    op_reg(&e, true, 0x8B, R13, RDX); /* mov r13, rdx */
    op_mem(&e, true, 0x8B, R14, RBP, NO_INDEX,
           offsetof(struct jit_state, left));
    op_mem(&e, true, 0x8B, R15, RBP, NO_INDEX, offsetof(struct jit_state, ir));
    op_reg(&e, false, 0xFF, 4, RCX); /* jmp rcx */
    jit->leave = (uint32_t)(e.p - jit->buf);
    op_mem(&e, true, 0x89, R14, RBP, NO_INDEX,
           offsetof(struct jit_state, left));
    op_mem(&e, true, 0x89, R15, RBP, NO_INDEX, offsetof(struct jit_state, ir));
    for (unsigned i = sizeof saved; i-- > 0;)
        push_pop(&e, saved[i], false);
    byte(&e, 0xC3); /* ret */
    jit->origin = ((uint32_t)(e.p - jit->buf) + 15u) & ~15u;
    jit->top = jit->origin;
    /* The function pointer comes from the buffer's address: a data to
     * function pointer conversion, which POSIX (dlsym) guarantees. */
    memcpy(&jit->enter, &jit->buf, sizeof jit->enter);
}

struct jit *jit_create(void)
{
    struct jit *jit = calloc(1, sizeof *jit);
    if (!jit)
        return NULL;
    void *p = mmap(NULL, JIT_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) { /* a host that forbids it: the run loop alone */
        free(jit);
        return NULL;
    }
    jit->buf = p;
    emit_enter_leave(jit);
    return jit;
}

void jit_destroy(struct jit *jit)
{
    if (!jit)
        return;
    munmap(jit->buf, JIT_SIZE);
    free(jit);
}

void jit_reset(struct jit *jit)
{
    jit->top = jit->origin;
}

uint32_t jit_run(struct jit *jit, struct jit_state *state, struct cpu *cpu,
                 uint8_t *mem, void *code)
{
    return jit->enter(state, cpu, mem, code);
}

#else /* no native code on this host */

struct jit *jit_create(void)
{
    return NULL;
}

void jit_destroy(struct jit *jit)
{
    (void)jit;
}

void jit_reset(struct jit *jit)
{
    (void)jit;
}

void *jit_compile(struct jit *jit, const struct blocks *bc,
                  const struct block *b, const void *const *handlers,
                  uint32_t *size)
{
    (void)jit, (void)bc, (void)b, (void)handlers, (void)size;
    return NULL;
}

uint32_t jit_run(struct jit *jit, struct jit_state *state, struct cpu *cpu,
                 uint8_t *mem, void *code)
{
    (void)jit, (void)state, (void)cpu, (void)mem, (void)code;
    return 0;
}

#endif
