/*
 * decode.h: RV32IM plus the LDE privileged instructions.
 *
 * Instruction formats (RISC-V unprivileged spec, chapter 2):
 *
 *  31        25 24  20 19  15 14  12 11         7 6      0
 * |   funct7   |  rs2 |  rs1 |funct3|     rd      | opcode |  R-type
 * |     imm[11:0]     |  rs1 |funct3|     rd      | opcode |  I-type
 * | imm[11:5]  |  rs2 |  rs1 |funct3|  imm[4:0]   | opcode |  S-type
 * |imm[12|10:5]|  rs2 |  rs1 |funct3| imm[4:1|11] | opcode |  B-type
 * |            imm[31:12]           |     rd      | opcode |  U-type
 * |     imm[20|10:1|11|19:12]       |     rd      | opcode |  J-type
 *
 * OP_LIST is the one list of instructions: it generates the opcode enum,
 * the mnemonics (disassembler) and the cost class (cycle model). The
 * interpreter's dispatch table is built from the same list, so an
 * instruction cannot exist in one place and be missing in another.
 */
#ifndef LDE_DECODE_H
#define LDE_DECODE_H

#include <stdint.h>

#include "cpu.h"

/* X(name, mnemonic, format, cost class) */
#define OP_LIST(X)                                                             \
    X(ILLEGAL, "illegal", FMT_NONE, COST_ALU)                                  \
    X(LUI, "lui", FMT_U, COST_ALU)                                             \
    X(AUIPC, "auipc", FMT_U, COST_ALU)                                         \
    X(JAL, "jal", FMT_J, COST_JUMP)                                            \
    X(JALR, "jalr", FMT_I_MEM, COST_JUMP)                                      \
    X(BEQ, "beq", FMT_B, COST_BRANCH)                                          \
    X(BNE, "bne", FMT_B, COST_BRANCH)                                          \
    X(BLT, "blt", FMT_B, COST_BRANCH)                                          \
    X(BGE, "bge", FMT_B, COST_BRANCH)                                          \
    X(BLTU, "bltu", FMT_B, COST_BRANCH)                                        \
    X(BGEU, "bgeu", FMT_B, COST_BRANCH)                                        \
    X(LB, "lb", FMT_I_MEM, COST_LOAD)                                          \
    X(LH, "lh", FMT_I_MEM, COST_LOAD)                                          \
    X(LW, "lw", FMT_I_MEM, COST_LOAD)                                          \
    X(LBU, "lbu", FMT_I_MEM, COST_LOAD)                                        \
    X(LHU, "lhu", FMT_I_MEM, COST_LOAD)                                        \
    X(SB, "sb", FMT_S, COST_STORE)                                             \
    X(SH, "sh", FMT_S, COST_STORE)                                             \
    X(SW, "sw", FMT_S, COST_STORE)                                             \
    X(ADDI, "addi", FMT_I, COST_ALU)                                           \
    X(SLTI, "slti", FMT_I, COST_ALU)                                           \
    X(SLTIU, "sltiu", FMT_I, COST_ALU)                                         \
    X(XORI, "xori", FMT_I, COST_ALU)                                           \
    X(ORI, "ori", FMT_I, COST_ALU)                                             \
    X(ANDI, "andi", FMT_I, COST_ALU)                                           \
    X(SLLI, "slli", FMT_SHIFT, COST_ALU)                                       \
    X(SRLI, "srli", FMT_SHIFT, COST_ALU)                                       \
    X(SRAI, "srai", FMT_SHIFT, COST_ALU)                                       \
    X(ADD, "add", FMT_R, COST_ALU)                                             \
    X(SUB, "sub", FMT_R, COST_ALU)                                             \
    X(SLL, "sll", FMT_R, COST_ALU)                                             \
    X(SLT, "slt", FMT_R, COST_ALU)                                             \
    X(SLTU, "sltu", FMT_R, COST_ALU)                                           \
    X(XOR, "xor", FMT_R, COST_ALU)                                             \
    X(SRL, "srl", FMT_R, COST_ALU)                                             \
    X(SRA, "sra", FMT_R, COST_ALU)                                             \
    X(OR, "or", FMT_R, COST_ALU)                                               \
    X(AND, "and", FMT_R, COST_ALU)                                             \
    X(MUL, "mul", FMT_R, COST_MUL)                                             \
    X(MULH, "mulh", FMT_R, COST_MUL)                                           \
    X(MULHSU, "mulhsu", FMT_R, COST_MUL)                                       \
    X(MULHU, "mulhu", FMT_R, COST_MUL)                                         \
    X(DIV, "div", FMT_R, COST_DIV)                                             \
    X(DIVU, "divu", FMT_R, COST_DIV)                                           \
    X(REM, "rem", FMT_R, COST_DIV)                                             \
    X(REMU, "remu", FMT_R, COST_DIV)                                           \
    X(FENCE, "fence", FMT_FENCE, COST_FENCE)                                   \
    X(FENCE_I, "fence.i", FMT_NONE, COST_FENCE)                                \
    X(ECALL, "ecall", FMT_NONE, COST_ALU)                                      \
    X(EBREAK, "ebreak", FMT_NONE, COST_ALU)                                    \
    X(CSRRW, "csrrw", FMT_CSR, COST_CSR)                                       \
    X(CSRRS, "csrrs", FMT_CSR, COST_CSR)                                       \
    X(CSRRC, "csrrc", FMT_CSR, COST_CSR)                                       \
    X(CSRRWI, "csrrwi", FMT_CSRI, COST_CSR)                                    \
    X(CSRRSI, "csrrsi", FMT_CSRI, COST_CSR)                                    \
    X(CSRRCI, "csrrci", FMT_CSRI, COST_CSR)                                    \
    X(RTI, "rti", FMT_NONE, COST_RTI)                                          \
    X(WFI, "wfi", FMT_NONE, COST_WFI)

enum op {
#define X(name, mnem, fmt, cost) OP_##name,
    OP_LIST(X)
#undef X
        NOPS
};

/* How the disassembler prints the operands of each format. */
enum insn_format {
    FMT_NONE,  /* no operands */
    FMT_R,     /* rd, rs1, rs2 */
    FMT_I,     /* rd, rs1, imm */
    FMT_SHIFT, /* rd, rs1, shamt */
    FMT_I_MEM, /* rd, imm(rs1) (loads, jalr) */
    FMT_S,     /* rs2, imm(rs1) */
    FMT_B,     /* rs1, rs2, target */
    FMT_U,     /* rd, imm[31:12] */
    FMT_J,     /* rd, target */
    FMT_CSR,   /* rd, csr, rs1 */
    FMT_CSRI,  /* rd, csr, uimm (kept in rs1) */
    FMT_FENCE, /* pred, succ (kept in imm) */
};

extern const char *const op_mnemonic[NOPS];
extern const uint8_t op_format[NOPS];
extern const uint8_t op_cost_class[NOPS];

/* Decode one 32-bit instruction word. Anything not in OP_LIST (including
 * compressed, FP and AMO encodings and reserved fields) gives OP_ILLEGAL. */
struct insn decode(uint32_t word);

#endif /* LDE_DECODE_H */
