/*
 * rvenc.h: RV32 instruction words from their fields, one function per
 * format of the RISC-V unprivileged spec (chapter 2: R, I, S, B, U, J).
 * Shared by the unit tests' assembler (tests/unit/machine_fixture.h) and
 * the engine fuzzer's generator (fuzz/fuzz_engine_gen.h), so that both
 * write instructions the same, independent way: never through the
 * emulator's decoder.
 */
#ifndef LDE_RVENC_H
#define LDE_RVENC_H

#include <stdint.h>

static inline uint32_t enc_r(uint32_t f7, unsigned rs2, unsigned rs1,
                             uint32_t f3, unsigned rd, uint32_t op)
{
    return f7 << 25 | (uint32_t)rs2 << 20 | (uint32_t)rs1 << 15 | f3 << 12 |
           (uint32_t)rd << 7 | op;
}
static inline uint32_t enc_i(int32_t imm, unsigned rs1, uint32_t f3,
                             unsigned rd, uint32_t op)
{
    return ((uint32_t)imm & 0xFFFu) << 20 | (uint32_t)rs1 << 15 | f3 << 12 |
           (uint32_t)rd << 7 | op;
}
static inline uint32_t enc_s(int32_t imm, unsigned rs2, unsigned rs1,
                             uint32_t f3, uint32_t op)
{
    uint32_t u = (uint32_t)imm;
    return ((u >> 5) & 0x7Fu) << 25 | (uint32_t)rs2 << 20 |
           (uint32_t)rs1 << 15 | f3 << 12 | (u & 0x1Fu) << 7 | op;
}
static inline uint32_t enc_b(int32_t off, unsigned rs1, unsigned rs2,
                             uint32_t f3)
{
    uint32_t u = (uint32_t)off;
    return ((u >> 12) & 1u) << 31 | ((u >> 5) & 0x3Fu) << 25 |
           (uint32_t)rs2 << 20 | (uint32_t)rs1 << 15 | f3 << 12 |
           ((u >> 1) & 0xFu) << 8 | ((u >> 11) & 1u) << 7 | 0x63u;
}
static inline uint32_t enc_u(uint32_t imm20, unsigned rd, uint32_t op)
{
    return (imm20 & 0xFFFFFu) << 12 | (uint32_t)rd << 7 | op;
}
static inline uint32_t enc_j(int32_t off, unsigned rd)
{
    uint32_t u = (uint32_t)off;
    return ((u >> 20) & 1u) << 31 | ((u >> 1) & 0x3FFu) << 21 |
           ((u >> 11) & 1u) << 20 | ((u >> 12) & 0xFFu) << 12 |
           (uint32_t)rd << 7 | 0x6Fu;
}

#endif /* LDE_RVENC_H */
