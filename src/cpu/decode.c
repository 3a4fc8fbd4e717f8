/*
 * decode.c: instruction word -> struct insn, done once per instruction
 * address (the interpreter caches the result; see icache in cpu.h).
 */
#include "decode.h"

const char *const op_mnemonic[NOPS] = {
#define X(name, mnem, fmt, cost) [OP_##name] = mnem,
    OP_LIST(X)
#undef X
};

const uint8_t op_format[NOPS] = {
#define X(name, mnem, fmt, cost) [OP_##name] = fmt,
    OP_LIST(X)
#undef X
};

const uint8_t op_cost_class[NOPS] = {
#define X(name, mnem, fmt, cost) [OP_##name] = cost,
    OP_LIST(X)
#undef X
};

/* Field extraction; the bit ranges are those of the diagram in decode.h. */
static inline uint32_t bits(uint32_t w, int hi, int lo)
{
    return (w >> lo) & ((1u << (hi - lo + 1)) - 1);
}
static inline int32_t sext(uint32_t value, int width)
{
    uint32_t m = 1u << (width - 1);
    return (int32_t)((value ^ m) - m);
}
static inline int32_t imm_i(uint32_t w)
{
    return (int32_t)w >> 20;
}
static inline int32_t imm_s(uint32_t w)
{
    return sext(bits(w, 31, 25) << 5 | bits(w, 11, 7), 12);
}
static inline int32_t imm_b(uint32_t w)
{
    return sext(bits(w, 31, 31) << 12 | bits(w, 7, 7) << 11 |
                    bits(w, 30, 25) << 5 | bits(w, 11, 8) << 1,
                13);
}
static inline int32_t imm_j(uint32_t w)
{
    return sext(bits(w, 31, 31) << 20 | bits(w, 19, 12) << 12 |
                    bits(w, 20, 20) << 11 | bits(w, 30, 21) << 1,
                21);
}

/* Major opcodes (bits 6:0). */
enum {
    MAJ_LOAD = 0x03,
    MAJ_MISC_MEM = 0x0F,
    MAJ_OP_IMM = 0x13,
    MAJ_AUIPC = 0x17,
    MAJ_STORE = 0x23,
    MAJ_OP = 0x33,
    MAJ_LUI = 0x37,
    MAJ_BRANCH = 0x63,
    MAJ_JALR = 0x67,
    MAJ_JAL = 0x6F,
    MAJ_SYSTEM = 0x73,
};

/* Tables indexed by funct3; OP_ILLEGAL marks reserved encodings. */
static const uint8_t load_ops[8] = {OP_LB,  OP_LH,  OP_LW,      OP_ILLEGAL,
                                    OP_LBU, OP_LHU, OP_ILLEGAL, OP_ILLEGAL};
static const uint8_t store_ops[8] = {OP_SB,      OP_SH,      OP_SW,
                                     OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL,
                                     OP_ILLEGAL, OP_ILLEGAL};
static const uint8_t branch_ops[8] = {OP_BEQ, OP_BNE, OP_ILLEGAL, OP_ILLEGAL,
                                      OP_BLT, OP_BGE, OP_BLTU,    OP_BGEU};
static const uint8_t op_imm_ops[8] = {OP_ADDI, OP_SLLI, OP_SLTI, OP_SLTIU,
                                      OP_XORI, OP_SRLI, OP_ORI,  OP_ANDI};
/* OP with funct7 = 0, 0x20 and 0x01 (M extension). */
static const uint8_t op_ops_f0[8] = {OP_ADD, OP_SLL, OP_SLT, OP_SLTU,
                                     OP_XOR, OP_SRL, OP_OR,  OP_AND};
static const uint8_t op_ops_f20[8] = {OP_SUB,     OP_ILLEGAL, OP_ILLEGAL,
                                      OP_ILLEGAL, OP_ILLEGAL, OP_SRA,
                                      OP_ILLEGAL, OP_ILLEGAL};
static const uint8_t op_ops_m[8] = {OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU,
                                    OP_DIV, OP_DIVU, OP_REM,    OP_REMU};
static const uint8_t csr_ops[8] = {OP_ILLEGAL, OP_CSRRW,  OP_CSRRS,  OP_CSRRC,
                                   OP_ILLEGAL, OP_CSRRWI, OP_CSRRSI, OP_CSRRCI};

static struct insn decode_op_imm(uint32_t w, struct insn in)
{
    uint32_t f3 = bits(w, 14, 12), f7 = bits(w, 31, 25);
    in.op = op_imm_ops[f3];
    in.imm = imm_i(w);
    if (f3 == 1) { /* slli: funct7 must be 0 (shamt[5] set is RV64) */
        if (f7 != 0)
            in.op = OP_ILLEGAL;
        in.imm = (int32_t)bits(w, 24, 20);
    } else if (f3 == 5) { /* srli / srai */
        if (f7 == 0x20)
            in.op = OP_SRAI;
        else if (f7 != 0)
            in.op = OP_ILLEGAL;
        in.imm = (int32_t)bits(w, 24, 20);
    }
    return in;
}

static struct insn decode_op(uint32_t w, struct insn in)
{
    uint32_t f3 = bits(w, 14, 12), f7 = bits(w, 31, 25);
    switch (f7) {
    case 0x00: in.op = op_ops_f0[f3]; break;
    case 0x20: in.op = op_ops_f20[f3]; break;
    case 0x01: in.op = op_ops_m[f3]; break;
    default: in.op = OP_ILLEGAL; break;
    }
    return in;
}

static struct insn decode_system(uint32_t w, struct insn in)
{
    uint32_t f3 = bits(w, 14, 12);
    if (f3 != 0) {
        in.op = csr_ops[f3];
        in.imm = (int32_t)bits(w, 31, 20); /* csr number */
        return in;
    }
    /* funct3 0: the whole word names the instruction. */
    switch (w) {
    case 0x00000073u: in.op = OP_ECALL; break;
    case 0x00100073u: in.op = OP_EBREAK; break;
    case INSN_RTI: in.op = OP_RTI; break;
    case INSN_WFI: in.op = OP_WFI; break;
    default: in.op = OP_ILLEGAL; break;
    }
    return in;
}

struct insn decode(uint32_t w)
{
    struct insn in = {
        .op = OP_ILLEGAL,
        .rd = (uint8_t)bits(w, 11, 7),
        .rs1 = (uint8_t)bits(w, 19, 15),
        .rs2 = (uint8_t)bits(w, 24, 20),
        .imm = 0,
    };
    uint32_t f3 = bits(w, 14, 12);

    /* Bits 1:0 other than 11 are the compressed (C) extension: illegal. */
    switch (bits(w, 6, 0)) {
    case MAJ_LUI:
        in.op = OP_LUI;
        in.imm = (int32_t)(w & 0xFFFFF000u);
        break;
    case MAJ_AUIPC:
        in.op = OP_AUIPC;
        in.imm = (int32_t)(w & 0xFFFFF000u);
        break;
    case MAJ_JAL:
        in.op = OP_JAL;
        in.imm = imm_j(w);
        break;
    case MAJ_JALR:
        in.op = f3 == 0 ? OP_JALR : OP_ILLEGAL;
        in.imm = imm_i(w);
        break;
    case MAJ_BRANCH:
        in.op = branch_ops[f3];
        in.imm = imm_b(w);
        break;
    case MAJ_LOAD:
        in.op = load_ops[f3];
        in.imm = imm_i(w);
        break;
    case MAJ_STORE:
        in.op = store_ops[f3];
        in.imm = imm_s(w);
        break;
    case MAJ_OP_IMM: return decode_op_imm(w, in);
    case MAJ_OP: return decode_op(w, in);
    case MAJ_MISC_MEM:
        /* Reserved fields of fence and fence.i are ignored, as the spec
         * asks of implementations; other funct3 values are illegal. */
        if (f3 == 0) {
            in.op = OP_FENCE;
            in.imm = (int32_t)bits(w, 31, 20);
        } else if (f3 == 1) {
            in.op = OP_FENCE_I;
        }
        break;
    case MAJ_SYSTEM: return decode_system(w, in);
    default: break;
    }
    return in;
}
