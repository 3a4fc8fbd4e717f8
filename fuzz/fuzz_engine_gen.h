/*
 * fuzz_engine_gen.h: fuzz_engine's code generator. Four input bytes make
 * one template, and a template one to four instruction words, nearly all
 * of them valid RV32IM, chosen to reach what the block engine treats
 * specially (docs/engine.md): fused pairs, side exits, followed jal,
 * indirect jumps, stores into code ahead of the pc and into the running
 * block, slow paths (devices, csr, faults, division), loops hot enough to
 * chain, and now and then a word the machine must refuse.
 *
 * Template (4 bytes): byte 0 bits 0-4 pick the kind (gen_kinds), bits
 * 5-7 are its variant (var); bytes 1-3 are its operands (24 bits, taken
 * low bits first). The code goes at GEN_CODE_VA (the same virtual
 * address in kernel and in user mode); every word after it jumps back to
 * its start, so a run that falls off the end begins again.
 *
 * Registers the harness sets and the templates rely on: sp (the kernel
 * stack in kernel mode), gp (the data area), tp (the middle of the code,
 * so that one 12-bit offset reaches all of it). Templates write them only
 * in their "wild" variant (var == 7), rarely.
 *
 * The kernel's own templates (t_priv) write UBASE, UBOUND, KSP and TTR and
 * enter user mode with rti, so they name the machine's physical layout,
 * which the harness builds (below): the code and data at GEN_CODE_VA and
 * GEN_DATA_VA physically (the kernel's copy) and in every partition of
 * gen_parts[] (the user copies). The same words run in both modes: in user
 * mode a kernel template traps (vector 1) and the handler skips it.
 */
#ifndef LDE_FUZZ_ENGINE_GEN_H
#define LDE_FUZZ_ENGINE_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lde/machine.h"
#include "rvenc.h"

#define GEN_CODE_VA 0x1000u
#define GEN_CODE_WORDS 1024u /* 4 KiB: GEN_TP +- 2 KiB reaches all of it */
#define GEN_TP (GEN_CODE_VA + 0x800u)
#define GEN_DATA_VA 0x2000u /* right after the code */
#define GEN_DATA_SIZE 0x200u
#define GEN_MAX_LOOPS 4u

/* The machine's physical layout (fuzz_engine.c builds it). */
#define GEN_RAM 0x40000u
#define GEN_KSTACK 0x8000u /* sp in kernel mode: frames below it */
#define GEN_KSP 0x9000u    /* frames of traps from user mode */
#define GEN_TTR 0xC000u    /* far from any address the code makes easily */
#define GEN_TTR_WORDS 40u  /* a table shifted by up to 8 words still holds */
#define GEN_HANDLER 0xC100u
#define GEN_HANDLER_WORDS 64u
#define GEN_RTI_STUB 0xC200u
#define GEN_TTR_B 0xC280u /* a second table: the used vectors only */
#define GEN_USER_SP 0x3000u
/* User partitions with a copy of the code and data (each uses va 0x1000
 * to GEN_USER_SP), in pairs that differ by GEN_PART_FLIP, so that the
 * handler's switch (UBASE ^= GEN_PART_FLIP) goes from one to the other:
 * page aligned, word but not page aligned, halfword aligned (its pair's
 * window, 0x7FFE bytes, ends at the end of RAM), byte aligned. */
#define GEN_PART_FLIP 0x8000u
static const uint32_t gen_parts[8] = {
    0x10000u, 0x10000u ^ GEN_PART_FLIP, 0x20800u, 0x20800u ^ GEN_PART_FLIP,
    0x30002u, 0x30002u ^ GEN_PART_FLIP, 0x24001u, 0x24001u ^ GEN_PART_FLIP,
};

/* Registers with a job. */
enum {
    R_ZERO = 0,
    R_RA = 1,
    R_SP = 2,
    R_GP = 3,    /* GEN_DATA_VA */
    R_TP = 4,    /* GEN_TP */
    R_LOOP = 28, /* loop counters: x28, x27, x26, x25 by depth */
    R_DEVV = 29, /* a value for a device register */
    R_DEV = 30,  /* a device's base address */
    R_SMC = 31,  /* the word a self-modifying store writes */
};

struct gen {
    uint32_t w[GEN_CODE_WORDS];
    unsigned n;                   /* words emitted */
    unsigned loop[GEN_MAX_LOOPS]; /* open loops: their first word */
    unsigned nloops;
};

struct tmpl {
    uint32_t v;   /* operand bits not yet taken */
    unsigned var; /* 0..7 */
};

/* Operands are taken in a fixed order: never two takes in one argument
 * list or operator (their order is unspecified in C, and gcc and clang
 * pick differently, so an input would make other code in the replay). */
static inline unsigned take(struct tmpl *t, unsigned n)
{
    unsigned r = t->v & ((1u << n) - 1u);
    t->v >>= n;
    return r;
}

/* ---- Encoders: the formats are rvenc.h's; csr and addi here ---------- */
static inline uint32_t enc_csr(uint32_t csr, unsigned rs1, uint32_t f3,
                               unsigned rd)
{
    return csr << 20 | (uint32_t)rs1 << 15 | f3 << 12 | (uint32_t)rd << 7 |
           0x73u;
}
static inline uint32_t enc_store(int32_t imm, unsigned rs2, unsigned rs1,
                                 uint32_t f3)
{
    return enc_s(imm, rs2, rs1, f3, 0x23u);
}
static inline uint32_t enc_addi(unsigned rd, unsigned rs1, int32_t imm)
{
    return enc_i(imm, rs1, 0, rd, 0x13u);
}

#define INSN_ECALL 0x00000073u
#define INSN_EBREAK 0x00100073u
#define INSN_FENCE_I 0x0000100Fu

/* ---- Emitting ------------------------------------------------------------ */
static inline void emit(struct gen *g, uint32_t w)
{
    if (g->n < GEN_CODE_WORDS - 1) /* the last word always jumps back */
        g->w[g->n++] = w;
}

/* rd = value in two words (lui, addi), whatever the value, so that the
 * words after it keep their place. */
static inline void emit_li(struct gen *g, unsigned rd, uint32_t value)
{
    uint32_t lo = value & 0xFFFu, hi = (value >> 12) + (lo >= 0x800u);
    emit(g, enc_u(hi, rd, 0x37u));
    emit(g, enc_addi(rd, rd, (int32_t)(lo ^ 0x800u) - 0x800));
}

/* A destination: any register but sp, gp and tp, unless the template is
 * wild; then those too, and x0. */
static inline unsigned pick_rd(struct tmpl *t)
{
    unsigned r = take(t, 5);
    if (t->var != 7 && r >= R_SP && r <= R_TP)
        r += 20;
    return r;
}

/* A word of the code for a jump or a store to reach: anywhere up to a
 * little past word `at` (the end of the code is not known yet, and the
 * words after it only jump back to the start). */
static inline unsigned pick_word(struct tmpl *t, unsigned at)
{
    unsigned w = take(t, 10) % (at + 16);
    return w < GEN_CODE_WORDS ? w : GEN_CODE_WORDS - 1;
}

/* A jump or branch target as a byte offset from word `at`: near (up to
 * 32 words either way) or anywhere; var 6 makes it odd by 2, which the
 * jump itself must refuse (vector 3). */
static inline int32_t pick_target(struct tmpl *t, unsigned at)
{
    int32_t to;
    if (take(t, 1))
        to = (int32_t)at + (int32_t)take(t, 6) - 32;
    else
        to = (int32_t)pick_word(t, at);
    if (to < 0)
        to = 0;
    return 4 * (to - (int32_t)at) + (t->var == 6 ? 2 : 0);
}

/* A data address as (base, offset) for an access of `size` bytes: mostly
 * aligned inside the data area, sometimes anywhere in it (misaligned),
 * sometimes any 12-bit offset (out of the window in user mode, into the
 * code in kernel mode), sometimes from any register. */
static inline void pick_addr(struct tmpl *t, unsigned size, unsigned *base,
                             int32_t *off)
{
    unsigned how = take(t, 2), bits = take(t, 12);
    *base = R_GP;
    switch (how) {
    case 0:
    case 1: *off = (int32_t)((bits % GEN_DATA_SIZE) & ~(size - 1)); break;
    case 2: *off = (int32_t)(bits % GEN_DATA_SIZE); break;
    default:
        *off = (int32_t)(bits ^ 0x800u) - 0x800;
        if (t->var >= 5)
            *base = take(t, 5);
        break;
    }
}

/* ---- The templates --------------------------------------------------------
 * Each takes its operands from t and emits its words. */
static void t_alu_r(struct gen *g, struct tmpl *t)
{
    /* add sub sll slt sltu xor srl sra or and */
    static const uint8_t f7f3[10][2] = {
        {0x00, 0}, {0x20, 0}, {0x00, 1}, {0x00, 2}, {0x00, 3},
        {0x00, 4}, {0x00, 5}, {0x20, 5}, {0x00, 6}, {0x00, 7},
    };
    unsigned k = take(t, 4) % 10, rd = pick_rd(t);
    unsigned rs1 = take(t, 5), rs2 = take(t, 5);
    emit(g, enc_r(f7f3[k][0], rs2, rs1, f7f3[k][1], rd, 0x33u));
}

static void t_alu_i(struct gen *g, struct tmpl *t)
{
    static const uint8_t f3[9] = {0, 2, 3, 4, 6, 7, 1, 5, 5};
    unsigned k = take(t, 4) % 9, rd = pick_rd(t), rs1 = take(t, 5);
    int32_t imm = (int32_t)take(t, 12);
    if (k >= 6) { /* slli srli srai: shamt, srai's bit 30 */
        imm = (imm & 31) | (k == 8 ? 0x400 : 0);
        if (t->var == 5) /* bit 25 set: illegal (docs/isa.md §3) */
            imm |= 0x20;
    }
    emit(g, enc_i(imm, rs1, f3[k], rd, 0x13u));
}

static void t_upper(struct gen *g, struct tmpl *t)
{
    unsigned rd = pick_rd(t), auipc = take(t, 1);
    uint32_t imm = take(t, 18) << 2 | (t->var & 3u);
    emit(g, enc_u(imm, rd, auipc ? 0x17u : 0x37u));
}

static void t_mul(struct gen *g, struct tmpl *t)
{
    unsigned f3 = take(t, 2), rd = pick_rd(t);
    unsigned rs1 = take(t, 5), rs2 = take(t, 5);
    emit(g, enc_r(0x01, rs2, rs1, f3, rd, 0x33u));
}

/* div divu rem remu, sometimes by zero, sometimes INT_MIN / -1. */
static void t_div(struct gen *g, struct tmpl *t)
{
    unsigned f3 = 4 + take(t, 2), rd = pick_rd(t);
    unsigned rs1 = take(t, 5), rs2 = take(t, 5);
    if (t->var >= 4) { /* the operands are set just before */
        rs1 = pick_rd(t);
        rs2 = pick_rd(t);
        if (t->var == 6)
            emit(g, enc_u(0x80000u, rs1, 0x37u)); /* lui rs1, INT_MIN */
        emit(g, enc_addi(rs2, R_ZERO, t->var >= 6 ? -1 : 0));
    }
    emit(g, enc_r(0x01, rs2, rs1, f3, rd, 0x33u));
}

static void t_load(struct gen *g, struct tmpl *t)
{
    static const uint8_t f3[8] = {0, 1, 2, 4, 5, 2, 3, 6}; /* 3, 6: illegal */
    unsigned k = take(t, 3), rd = pick_rd(t), base;
    if (t->var != 7 && k >= 6)
        k -= 4;
    int32_t off;
    pick_addr(t, 1u << (f3[k] & 3), &base, &off);
    emit(g, enc_i(off, base, f3[k], rd, 0x03u));
}

static void t_store(struct gen *g, struct tmpl *t)
{
    unsigned f3 = take(t, 2), rs2 = take(t, 5), base;
    if (f3 == 3 && t->var != 7) /* sd: illegal, now and then */
        f3 = 2;
    int32_t off;
    pick_addr(t, 1u << (f3 & 3), &base, &off);
    emit(g, enc_store(off, rs2, base, f3));
}

static void t_branch(struct gen *g, struct tmpl *t)
{
    static const uint8_t f3[8] = {0, 1, 4, 5, 6, 7, 0, 2}; /* 2: illegal */
    unsigned k = take(t, 3);
    if (k == 7 && t->var != 7)
        k = 6;
    unsigned rs1 = take(t, 5), rs2 = take(t, 5);
    emit(g, enc_b(pick_target(t, g->n), rs1, rs2, f3[k]));
}

static void t_jal(struct gen *g, struct tmpl *t)
{
    unsigned rd = t->var & 1 ? R_RA : t->var & 2 ? R_ZERO : pick_rd(t);
    emit(g, enc_j(pick_target(t, g->n), rd));
}

/* Indirect jumps: into the code through tp, back through ra, through any
 * register; an odd target (bit 0 is dropped) or one off by 2 (vector 3). */
static void t_jalr(struct gen *g, struct tmpl *t)
{
    unsigned rd = take(t, 1) ? R_RA : take(t, 1) ? R_ZERO : pick_rd(t);
    int32_t word = (int32_t)pick_word(t, g->n) - 512; /* from tp */
    switch (t->var) {
    case 4: emit(g, enc_i(0, R_RA, 0, R_ZERO, 0x67u)); break;
    case 5: {
        int32_t imm = (int32_t)take(t, 7) - 64;
        emit(g, enc_i(imm, take(t, 5), 0, rd, 0x67u));
        break;
    }
    default:
        emit(g, enc_i(4 * word + (t->var == 6   ? 1
                                  : t->var == 7 ? 2
                                                : 0),
                      R_TP, 0, rd, 0x67u));
    }
}

/* An instruction word for a self-modifying store to write. */
static uint32_t smc_word(struct tmpl *t)
{
    unsigned rd = take(t, 5) | 16u, rs = take(t, 5);
    switch (take(t, 2)) {
    case 0: return enc_addi(rd, rs, (int32_t)take(t, 6) - 32);
    case 1: return enc_r(take(t, 1) ? 0x20 : 0, rs, rd, 0, rd, 0x33u);
    case 2: {
        int32_t off = 4 * ((int32_t)take(t, 3) - 2);
        return enc_b(off, rs, rd, take(t, 1));
    }
    default: return take(t, 1) ? INSN_ECALL : 0; /* 0: illegal */
    }
}

/* A store into the code: the next few words (maybe the running block),
 * or anywhere; a word, a half or a byte of it; fence.i after, or not. */
static void t_smc(struct gen *g, struct tmpl *t)
{
    uint32_t w = smc_word(t);
    bool ahead = take(t, 1);
    unsigned k = ahead ? take(t, 4) : pick_word(t, g->n);
    emit_li(g, R_SMC, w);
    unsigned at = ahead ? g->n + 1 + k : k; /* g->n: the store itself */
    if (at >= GEN_CODE_WORDS)
        at = GEN_CODE_WORDS - 1;
    int32_t off = (int32_t)(4 * at) - 0x800;
    if (t->var == 6)
        emit(g,
             enc_store(off + 2 * (int32_t)take(t, 1), R_SMC, R_TP, 1)); /* sh */
    else if (t->var == 7)
        emit(g, enc_store(off + (int32_t)take(t, 2), R_SMC, R_TP, 0)); /* sb */
    else
        emit(g, enc_store(off, R_SMC, R_TP, 2));
    if (take(t, 1))
        emit(g, INSN_FENCE_I);
}

static void t_csr(struct gen *g, struct tmpl *t)
{
    static const uint16_t read[8] = {
        CSR_CYCLE,  CSR_INSTRET, CSR_CYCLEH, CSR_INSTRETH,
        CSR_STATUS, CSR_TTR,     CSR_UBASE,  CSR_UBOUND,
    };
    unsigned rd = pick_rd(t), k = take(t, 3);
    switch (t->var) {
    case 0:
    case 1:
    case 2: emit(g, enc_csr(read[k], 0, 2, rd)); break;
    case 3: emit(g, enc_csr(read[k & 3], 0, 2, rd)); break;
    case 4: /* csrrsi / csrrci status: IE, DZ (privileged in user mode) */
        emit(g, enc_csr(CSR_STATUS, (k & 3) << 1, 6 + (k >> 2), rd));
        break;
    case 5: /* a write to a read-only counter: illegal */
        emit(g, enc_csr(read[k & 3], 1 + take(t, 4), 1 + (k >> 2), rd));
        break;
    default: { /* any number, any csr instruction: mostly unknown */
        static const uint8_t f3[8] = {1, 2, 3, 5, 6, 7, 2, 1};
        uint32_t csr = take(t, 12);
        emit(g, enc_csr(csr, take(t, 5), f3[k], rd));
    }
    }
}

static void t_system(struct gen *g, struct tmpl *t)
{
    static const uint32_t sys[8] = {
        INSN_ECALL,   INSN_ECALL, INSN_EBREAK, 0x0FF0000Fu, /* fence iorw */
        INSN_FENCE_I, INSN_WFI,   INSN_RTI,    INSN_EBREAK,
    };
    emit(g, sys[t->var]);
}

/* Words the machine must refuse (docs/isa.md §3), and any word at all. */
static void t_raw(struct gen *g, struct tmpl *t)
{
    uint32_t v = t->v;
    static const uint32_t fixed[4] = {
        0x00000000u,
        0xFFFFFFFFu,
        0x00004501u /* c.li */,
        0x0000A023u /* fsw */,
    };
    switch (t->var) {
    case 0: emit(g, fixed[v & 3]); break;
    case 1: emit(g, v << 8 | 0x33u); break;             /* OP, any funct7 */
    case 2: emit(g, v << 8 | 0x13u); break;             /* OP-IMM, any */
    case 3: emit(g, (v << 8 | 0x67u) | 0x1000u); break; /* jalr f3 != 0 */
    default: emit(g, v << 8 | (v >> 16) | (uint32_t)t->var << 5); break;
    }
}

/* The devices (kernel mode; a fault in user mode): timer counter reads
 * mid-block, re-arming and acknowledging the timer, printing, console
 * input and its interrupt, and, rarely, a halt. */
static void t_device(struct gen *g, struct tmpl *t)
{
    static const uint8_t console_op[8][2] = {
        /* {load or store, offset}: 0 lw, 1 sw, 2 sb */
        {2, CONSOLE_TX},   {2, CONSOLE_TXERR},  {0, CONSOLE_STATUS},
        {0, CONSOLE_RX},   {0, CONSOLE_STATUS}, {1, CONSOLE_CTRL},
        {0, CONSOLE_CTRL}, {1, 0x40}, /* 0x40: no such register */
    };
    unsigned rd = pick_rd(t), k = take(t, 3), rs = take(t, 5);
    uint32_t base = t->var == 7   ? POWER_BASE
                    : t->var == 6 ? CONSOLE_BASE
                                  : TIMER_BASE;
    emit(g, enc_u(base >> 12, R_DEV, 0x37u));
    if (t->var == 7) { /* power: halt now and then, else a bad register */
        emit(g, enc_store(k == 0 ? POWER_HALT : 0x40, rs, R_DEV, 2));
        return;
    }
    if (t->var == 6) {
        const uint8_t *op = console_op[k];
        if (op[0] == 0)
            emit(g, enc_i(op[1], R_DEV, 2, rd, 0x03u));
        else if (op[0] == 2)
            emit(g, enc_store(op[1], rs, R_DEV, 0));
        else /* CTRL: RXIE on or off */
            emit(g,
                 enc_store(op[1], rs & 1 ? R_ZERO : 8 /* x8 = 1 */, R_DEV, 2));
        return;
    }
    switch (t->var) {
    case 0:
    case 1: emit(g, enc_i(TIMER_COUNT_LO, R_DEV, 2, rd, 0x03u)); break;
    case 2: emit(g, enc_i(TIMER_COUNT_HI, R_DEV, 2, rd, 0x03u)); break;
    case 3: emit(g, enc_i(TIMER_ACK, R_DEV, 2, rd, 0x03u)); break;
    case 4: emit(g, enc_store(TIMER_ACK, R_ZERO, R_DEV, 2)); break;
    default: /* INTERVAL: re-arm at 1 .. 2047 cycles, or stop it */
        emit(g, enc_addi(R_DEVV, R_ZERO, (int32_t)take(t, 11)));
        emit(g, enc_store(TIMER_INTERVAL, R_DEVV, R_DEV, 2));
    }
}

/* A counted loop: the head sets its counter, a later t_loop_end counts
 * down and branches back (a fused addi + bne: the hot back edge). */
static void t_loop_head(struct gen *g, struct tmpl *t)
{
    if (g->nloops == GEN_MAX_LOOPS)
        g->nloops--;
    emit(g, enc_addi(R_LOOP - g->nloops, R_ZERO, 1 + (int32_t)take(t, 6)));
    g->loop[g->nloops++] = g->n;
}

static void t_loop_end(struct gen *g, struct tmpl *t)
{
    if (g->nloops == 0) {
        t_alu_i(g, t);
        return;
    }
    unsigned r = R_LOOP - --g->nloops, head = g->loop[g->nloops];
    emit(g, enc_addi(r, r, -1));
    emit(g, enc_b(4 * ((int32_t)head - (int32_t)g->n), r, R_ZERO, 1));
}

/* The values the corner cases need, in a register. */
static void t_li(struct gen *g, struct tmpl *t)
{
    static const uint32_t corner[8] = {
        0x80000000u, 0x7FFFFFFFu, 0xFFFFFFFFu, 0,
        GEN_DATA_VA, GEN_CODE_VA, TIMER_BASE,  GEN_DATA_VA + GEN_DATA_SIZE,
    };
    unsigned rd = pick_rd(t), k = take(t, 3);
    uint32_t v = t->var < 4 ? corner[k] : t->v * 0x9E3779B9u;
    if (t->var == 2 || t->var == 3)
        v += (uint32_t)take(t, 8) * 4u;
    emit_li(g, rd, v);
}

/* The pairs the engine fuses: a load or addi, then a branch on its
 * result, the value on either side of the compare. */
static void t_fused(struct gen *g, struct tmpl *t)
{
    static const uint8_t f3[8] = {0, 1, 4, 5, 6, 7, 0, 1};
    unsigned v = pick_rd(t), other = take(t, 5), k = take(t, 3);
    if (t->var < 4) {
        unsigned base;
        int32_t off;
        pick_addr(t, 4, &base, &off);
        emit(g, enc_i(off, base, t->var & 1 ? 4 : 2, v, 0x03u)); /* lbu, lw */
    } else {
        unsigned from = take(t, 1) ? v : other;
        emit(g, enc_addi(v, from, (int32_t)take(t, 5) - 16));
    }
    int32_t off = pick_target(t, g->n);
    emit(g, t->var & 2 ? enc_b(off, other, v, f3[k])
                       : enc_b(off, v, other, f3[k]));
}

/* ---- The kernel's templates -----------------------------------------------
 * Each is harmless in user mode: a privileged instruction is skipped (the
 * handler resumes after it), a store may fault and be skipped too. */

/* Values for the privileged registers: what a kernel writes, and the
 * edges docs/isa.md §4-§6 define (any value may be written; what happens
 * is decided when the window is used or a trap is taken). */
static uint32_t priv_value(struct tmpl *t, uint32_t csr)
{
    static const uint32_t ubound[8] = {
        0,               /* empty */
        USER_NULL_GUARD, /* empty: the bound is the null guard */
        0x1004u,         /* one instruction */
        GEN_DATA_VA + GEN_DATA_SIZE,
        0x2101u, /* odd: a word access straddles it */
        GEN_USER_SP,
        GEN_PART_FLIP, /* up to the next partition */
        0xFFFFFFFFu,   /* past RAM: clipped to it */
    };
    static const uint32_t ksp[8] = {
        GEN_KSP,
        GEN_KSP + 0x18u,      /* the frame is rounded down to 16 */
        GEN_KSP - 0x300u,     /* frames on the kernel's frames */
        GEN_KSTACK - 0x40u,   /* just below the kernel's own frame */
        0x10000u + 0x1800u,   /* frames over the first partition's code */
        GEN_CODE_VA + 0xC00u, /* frames over the kernel's code */
        GEN_RAM,              /* the last frame in RAM */
        GEN_RAM + 12,         /* past RAM, the frame rounded into it */
    };
    static const uint32_t ttr[4] = {
        GEN_TTR,
        GEN_TTR_B,
        GEN_TTR + 4, /* vector v gets entry v + 1: the same handler */
        GEN_TTR + 32,
    };
    unsigned k = take(t, 3);
    switch (csr) {
    case CSR_UBASE:
        /* a partition or its pair; the kernel's own memory as user
         * memory (0, and the kernel stacks); a window ending past RAM;
         * a base past RAM; one whose window would wrap past 4 GiB */
        if (k < 4)
            return gen_parts[2 * k + take(t, 1)];
        switch (k) {
        case 4: return 0;
        case 5: return GEN_PART_FLIP;
        case 6: return GEN_RAM - 0x1800u;
        default: return take(t, 1) ? GEN_RAM + 0x1000u : 0xFFFFF000u;
        }
    case CSR_UBOUND: return ubound[k];
    case CSR_KSP: return ksp[k];
    default: return ttr[k & 3];
    }
}

/* The address a kernel template writes a frame word to: sp - 144 + off. */
#define FRAME_AT(off) ((int32_t)(off)-FRAME_SIZE)

static void t_priv(struct gen *g, struct tmpl *t)
{
    static const uint16_t csrs[4] = {CSR_UBASE, CSR_UBOUND, CSR_KSP, CSR_TTR};
    switch (t->var) {
    case 0: /* csrrw, csrrs or csrrc from a register */
    case 1:
    case 2:
    case 3: {
        uint32_t csr = csrs[t->var], f3 = 1 + take(t, 2) % 3;
        unsigned rd = pick_rd(t);
        emit_li(g, R_SMC, priv_value(t, csr));
        /* Now and then plus a loop's counter: in a loop, another window
         * each time round, more than the engine has numbers for (not
         * TTR: a table off by a byte is a double fault). */
        if (csr != CSR_TTR && take(t, 2) == 0) {
            unsigned counter = R_LOOP - take(t, 2);
            emit(g, enc_r(0, counter, R_SMC, 0, R_SMC, 0x33u));
        }
        emit(g, enc_csr(csr, R_SMC, f3, rd));
        break;
    }
    case 4: { /* csrrwi, csrrsi or csrrci: a 5-bit value; KSP and TTR only
                 get bits set or cleared (0..31 there is a double fault) */
        uint32_t csr = csrs[take(t, 2)], f3 = 5 + take(t, 2) % 3;
        unsigned rd = pick_rd(t), imm = take(t, 5);
        if (csr == CSR_KSP || csr == CSR_TTR) {
            f3 = f3 == 5 ? 6 : f3;
            if (csr == CSR_TTR) /* a misaligned table is a double fault */
                imm &= ~3u;
        }
        emit(g, enc_csr(csr, imm, f3, rd));
        break;
    }
    case 5: /* enter user mode: UBASE and UBOUND, a frame, rti */
    case 6: {
        if (t->var == 6) {
            emit_li(g, R_SMC, priv_value(t, CSR_UBASE));
            emit(g, enc_csr(CSR_UBASE, R_SMC, 1, R_ZERO));
            emit_li(g, R_SMC, priv_value(t, CSR_UBOUND));
            emit(g, enc_csr(CSR_UBOUND, R_SMC, 1, R_ZERO));
        }
        /* The frame at sp - 144, as trap entry would have pushed it:
         * sp, gp, tp and the two outer loops' counters (which come back
         * to the kernel with the user's registers, so that a kernel loop
         * can enter user mode each time round); the other registers are
         * whatever the last trap from kernel mode left there. STATUS:
         * MODE (then rti stays in kernel mode), IE, DZ, and now and then
         * bits rti drops. */
        uint32_t status = take(t, 3);
        if (take(t, 2) == 0)
            status |= 0x7F8u;
        if (take(t, 2) != 0)
            status &= ~STATUS_MODE; /* mostly into user mode */
        unsigned first = g->n, words = 13;
        unsigned resume = take(t, 2) == 0 ? pick_word(t, first) : first + words;
        if (resume >= GEN_CODE_WORDS)
            resume = GEN_CODE_WORDS - 1;
        emit(g, enc_addi(R_SMC, R_TP, 4 * (int32_t)resume - 0x800));
        emit(g, enc_store(FRAME_AT(FRAME_PC), R_SMC, R_SP, 2));
        emit(g, enc_addi(R_DEVV, R_ZERO, (int32_t)status));
        emit(g, enc_store(FRAME_AT(FRAME_STATUS), R_DEVV, R_SP, 2));
        emit(g, enc_u((status & STATUS_MODE ? GEN_KSTACK : GEN_USER_SP) >> 12,
                      R_DEVV, 0x37u));
        emit(g, enc_store(FRAME_AT(FRAME_X(R_SP)), R_DEVV, R_SP, 2));
        emit(g, enc_store(FRAME_AT(FRAME_X(R_GP)), R_GP, R_SP, 2));
        emit(g, enc_store(FRAME_AT(FRAME_X(R_TP)), R_TP, R_SP, 2));
        emit(g, enc_store(FRAME_AT(FRAME_X(R_LOOP)), R_LOOP, R_SP, 2));
        emit(g, enc_store(FRAME_AT(FRAME_X(R_LOOP - 1)), R_LOOP - 1, R_SP, 2));
        emit(g, enc_addi(R_SP, R_SP, -FRAME_SIZE));
        emit(g, INSN_RTI);
        emit(g, enc_addi(R_SP, R_SP, FRAME_SIZE)); /* rti refused: undo */
        break;
    }
    default:
        if (take(t, 1)) { /* a system call that ends the process: the
                             handler returns to the kernel (a7 odd) */
            emit(g, enc_addi(17, R_ZERO, 1 + 2 * (int32_t)take(t, 4)));
            emit(g, INSN_ECALL);
        } else { /* any value to any of them: double faults too */
            emit_li(g, R_SMC, t->v * 0x9E3779B9u);
            uint32_t csr = csrs[take(t, 2)];
            emit(g, enc_csr(csr, R_SMC, 1, pick_rd(t)));
        }
    }
}

/* Kinds by byte 0 bits 0-4: the commoner instructions take more slots. */
static void (*const gen_kinds[32])(struct gen *, struct tmpl *) = {
    t_alu_r,  t_priv,      t_alu_r,    /*  0- 2 */
    t_alu_i,  t_alu_i,     t_alu_i,    /*  3- 5 */
    t_upper,  t_mul,       t_div,      /*  6- 8 */
    t_div,    t_load,      t_load,     /*  9-11 */
    t_load,   t_store,     t_store,    /* 12-14 */
    t_store,  t_branch,    t_branch,   /* 15-17 */
    t_branch, t_jal,       t_jalr,     /* 18-20 */
    t_jalr,   t_smc,       t_smc,      /* 21-23 */
    t_csr,    t_system,    t_raw,      /* 24-26 */
    t_device, t_loop_head, t_loop_end, /* 27-29 */
    t_li,     t_fused,                 /* 30-31 */
};

/* The code for templates[0 .. n): at most GEN_CODE_WORDS words, the
 * rest of the area jumping back to its start. */
static inline void gen_code(struct gen *g, const uint8_t *tmpl, size_t n)
{
    g->n = 0;
    g->nloops = 0;
    for (size_t i = 0; i + 4 <= n && g->n < GEN_CODE_WORDS - 1; i += 4) {
        struct tmpl t = {.v = (uint32_t)tmpl[i + 1] |
                              (uint32_t)tmpl[i + 2] << 8 |
                              (uint32_t)tmpl[i + 3] << 16,
                         .var = tmpl[i] >> 5};
        gen_kinds[tmpl[i] & 31](g, &t);
    }
    for (unsigned i = g->n; i < GEN_CODE_WORDS; i++)
        g->w[i] = enc_j(-4 * (int32_t)i, R_ZERO);
}

#endif /* LDE_FUZZ_ENGINE_GEN_H */
