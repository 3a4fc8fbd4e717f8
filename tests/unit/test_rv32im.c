/*
 * test_rv32im.c: every RV32IM instruction's semantics (docs/isa.md §3).
 *
 * Each test assembles a short kernel-mode program that ends in ebreak, runs
 * it to that trap and checks registers and memory. The whole list runs
 * twice: once with cpu_step() and once with cpu_run(), whose fast path must
 * agree with the step path.
 */
#include "machine_fixture.h"

#define DATA 0x30000u
#define INT_MIN32 0x80000000u
#define INT_MAX32 0x7FFFFFFFu

/* Emit ebreak, run to it, and check that it is the trap that came. */
static void finish(struct fx *f)
{
    uint32_t at = fx_emit(f, RV_EBREAK);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(t->info.epc, at);
}

static uint32_t R(struct fx *f, unsigned n)
{
    return cpu_reg(f->cpu, n);
}
static void set(struct fx *f, unsigned n, uint32_t v)
{
    cpu_set_reg(f->cpu, n, v);
}

static void test_lui_auipc(void **state)
{
    struct fx *f = *state;
    fx_emit(f, rv_lui(A0, 0x12345));
    fx_emit(f, rv_lui(A1, 0xFFFFF));
    uint32_t p2 = fx_emit(f, rv_auipc(A2, 0));
    uint32_t p3 = fx_emit(f, rv_auipc(A3, 0x80000));
    uint32_t p4 = fx_emit(f, rv_auipc(A4, 0xFFFFF));
    fx_emit(f, rv_lui(A5, 0x00001));
    finish(f);
    assert_int_equal(R(f, A0), 0x12345000u);
    assert_int_equal(R(f, A1), 0xFFFFF000u);
    assert_int_equal(R(f, A2), p2);
    assert_int_equal(R(f, A3), p3 + 0x80000000u);
    assert_int_equal(R(f, A4), p4 - 0x1000u);
    assert_int_equal(R(f, A5), 0x1000u);
}

static void test_addi_immediates(void **state)
{
    struct fx *f = *state;
    fx_emit(f, rv_addi(A0, ZERO, -1));
    fx_emit(f, rv_addi(A1, ZERO, 2047));
    fx_emit(f, rv_addi(A2, ZERO, -2048));
    fx_emit(f, rv_addi(A3, A0, 1));
    set(f, A4, INT_MAX32);
    fx_emit(f, rv_addi(A4, A4, 1));
    fx_emit(f, rv_addi(A5, A1, 0)); /* mv */
    finish(f);
    assert_int_equal(R(f, A0), 0xFFFFFFFFu);
    assert_int_equal(R(f, A1), 2047u);
    assert_int_equal(R(f, A2), 0xFFFFF800u);
    assert_int_equal(R(f, A3), 0u);
    assert_int_equal(R(f, A4), INT_MIN32);
    assert_int_equal(R(f, A5), 2047u);
}

static void test_slti_sltiu(void **state)
{
    struct fx *f = *state;
    set(f, A0, (uint32_t)-5);
    fx_emit(f, rv_slti(A1, A0, -4));   /* -5 < -4 */
    fx_emit(f, rv_slti(A2, A0, -5));   /* -5 < -5: no */
    fx_emit(f, rv_sltiu(A3, A0, -1));  /* 0xFFFFFFFB < 0xFFFFFFFF */
    fx_emit(f, rv_sltiu(A4, ZERO, 1)); /* seqz */
    fx_emit(f, rv_sltiu(A5, A0, 5));   /* huge < 5: no */
    fx_emit(f, rv_slti(A6, A0, 5));    /* -5 < 5 */
    fx_emit(f, rv_slti(A7, ZERO, -1)); /* 0 < -1: no */
    finish(f);
    assert_int_equal(R(f, A1), 1);
    assert_int_equal(R(f, A2), 0);
    assert_int_equal(R(f, A3), 1);
    assert_int_equal(R(f, A4), 1);
    assert_int_equal(R(f, A5), 0);
    assert_int_equal(R(f, A6), 1);
    assert_int_equal(R(f, A7), 0);
}

static void test_logic_immediates(void **state)
{
    struct fx *f = *state;
    set(f, A0, 0x0F0F0F0Fu);
    fx_emit(f, rv_xori(A1, A0, -1));
    fx_emit(f, rv_ori(A2, A0, -2048));
    fx_emit(f, rv_andi(A3, A0, -16));
    fx_emit(f, rv_andi(A4, A0, 0x7FF));
    fx_emit(f, rv_xori(A5, A0, 0x0FF));
    finish(f);
    assert_int_equal(R(f, A1), 0xF0F0F0F0u);
    assert_int_equal(R(f, A2), 0xFFFFFF0Fu);
    assert_int_equal(R(f, A3), 0x0F0F0F00u);
    assert_int_equal(R(f, A4), 0x70Fu);
    assert_int_equal(R(f, A5), 0x0F0F0FF0u);
}

static void test_shift_immediates(void **state)
{
    struct fx *f = *state;
    set(f, A0, 0x80000001u);
    fx_emit(f, rv_slli(A1, A0, 1));
    fx_emit(f, rv_slli(A2, A0, 31));
    fx_emit(f, rv_srli(A3, A0, 1));
    fx_emit(f, rv_srai(A4, A0, 1));
    fx_emit(f, rv_srai(A5, A0, 31));
    fx_emit(f, rv_srli(A6, A0, 0));
    fx_emit(f, rv_srli(A7, A0, 31));
    set(f, S2, 0x40000000u);
    fx_emit(f, rv_srai(S3, S2, 30)); /* positive stays positive */
    finish(f);
    assert_int_equal(R(f, A1), 2u);
    assert_int_equal(R(f, A2), 0x80000000u);
    assert_int_equal(R(f, A3), 0x40000000u);
    assert_int_equal(R(f, A4), 0xC0000000u);
    assert_int_equal(R(f, A5), 0xFFFFFFFFu);
    assert_int_equal(R(f, A6), 0x80000001u);
    assert_int_equal(R(f, A7), 1u);
    assert_int_equal(R(f, S3), 1u);
}

static void test_shift_registers_mask_5_bits(void **state)
{
    struct fx *f = *state;
    set(f, A0, 0x80000001u);
    set(f, A1, 33);          /* shifts by 1 */
    set(f, A2, 0xFFFFFFE0u); /* shifts by 0 */
    set(f, A3, 31);
    fx_emit(f, rv_sll(A4, A0, A1));
    fx_emit(f, rv_srl(A5, A0, A1));
    fx_emit(f, rv_sra(A6, A0, A1));
    fx_emit(f, rv_sll(A7, A0, A2));
    fx_emit(f, rv_sra(S2, A0, A3));
    fx_emit(f, rv_srl(S3, A0, A3));
    fx_emit(f, rv_sra(S4, A0, A2));
    finish(f);
    assert_int_equal(R(f, A4), 2u);
    assert_int_equal(R(f, A5), 0x40000000u);
    assert_int_equal(R(f, A6), 0xC0000000u);
    assert_int_equal(R(f, A7), 0x80000001u);
    assert_int_equal(R(f, S2), 0xFFFFFFFFu);
    assert_int_equal(R(f, S3), 1u);
    assert_int_equal(R(f, S4), 0x80000001u);
}

static void test_register_arithmetic(void **state)
{
    struct fx *f = *state;
    set(f, A0, INT_MAX32);
    set(f, A1, 1);
    set(f, A2, 0xFFFFFFFFu);
    set(f, A3, INT_MIN32);
    fx_emit(f, rv_add(S2, A0, A1));     /* wraps to INT_MIN */
    fx_emit(f, rv_sub(S3, ZERO, A1));   /* -1 */
    fx_emit(f, rv_sub(S4, A3, A1));     /* INT_MIN - 1 wraps */
    fx_emit(f, rv_slt(S5, A2, A1));     /* -1 < 1 */
    fx_emit(f, rv_sltu(S6, A2, A1));    /* 0xFFFFFFFF < 1: no */
    fx_emit(f, rv_slt(S7, A1, A2));     /* 1 < -1: no */
    fx_emit(f, rv_sltu(S8, A1, A2));    /* 1 < 0xFFFFFFFF */
    fx_emit(f, rv_slt(S9, A3, A0));     /* INT_MIN < INT_MAX */
    fx_emit(f, rv_sltu(S10, A3, A0));   /* 0x80000000 < 0x7FFFFFFF: no */
    fx_emit(f, rv_sltu(S11, ZERO, A1)); /* snez */
    fx_emit(f, rv_slt(T3, A1, A1));
    finish(f);
    assert_int_equal(R(f, S2), INT_MIN32);
    assert_int_equal(R(f, S3), 0xFFFFFFFFu);
    assert_int_equal(R(f, S4), INT_MAX32);
    assert_int_equal(R(f, S5), 1);
    assert_int_equal(R(f, S6), 0);
    assert_int_equal(R(f, S7), 0);
    assert_int_equal(R(f, S8), 1);
    assert_int_equal(R(f, S9), 1);
    assert_int_equal(R(f, S10), 0);
    assert_int_equal(R(f, S11), 1);
    assert_int_equal(R(f, T3), 0);
}

static void test_register_logic(void **state)
{
    struct fx *f = *state;
    set(f, A0, 0xFF00FF00u);
    set(f, A1, 0x0FF00FF0u);
    fx_emit(f, rv_xor(A2, A0, A1));
    fx_emit(f, rv_or(A3, A0, A1));
    fx_emit(f, rv_and(A4, A0, A1));
    fx_emit(f, rv_xor(A5, A0, A0));
    finish(f);
    assert_int_equal(R(f, A2), 0xF0F0F0F0u);
    assert_int_equal(R(f, A3), 0xFFF0FFF0u);
    assert_int_equal(R(f, A4), 0x0F000F00u);
    assert_int_equal(R(f, A5), 0u);
}

static void test_mul_family(void **state)
{
    struct fx *f = *state;
    set(f, A0, (uint32_t)-2);
    set(f, A1, 3);
    set(f, A2, INT_MIN32);
    set(f, A3, 0xFFFFFFFFu);
    set(f, A4, 0x12345678u);
    set(f, A5, 0x9ABCDEF0u);
    fx_emit(f, rv_mul(S2, A0, A1));    /* -6 */
    fx_emit(f, rv_mulh(S3, A0, A1));   /* high(-6) = -1 */
    fx_emit(f, rv_mulhu(S4, A0, A1));  /* 0xFFFFFFFE * 3 >> 32 = 2 */
    fx_emit(f, rv_mulhsu(S5, A0, A1)); /* signed -2 * unsigned 3 */
    fx_emit(f, rv_mulhsu(S6, A1, A0)); /* 3 * 0xFFFFFFFE unsigned */
    fx_emit(f, rv_mulh(S7, A2, A2));   /* 2^62 >> 32 */
    fx_emit(f, rv_mulhu(S8, A3, A3));  /* (2^32-1)^2 >> 32 */
    fx_emit(f, rv_mulhsu(S9, A3, A3)); /* -1 * (2^32-1) */
    fx_emit(f, rv_mulh(S10, A3, A3));  /* -1 * -1 = 1 */
    fx_emit(f, rv_mul(S11, A4, A5));
    fx_emit(f, rv_mulhu(T3, A4, A5));
    fx_emit(f, rv_mulh(T4, A4, A5));
    fx_emit(f, rv_mulhsu(T5, A5, A4));
    finish(f);
    assert_int_equal(R(f, S2), (uint32_t)-6);
    assert_int_equal(R(f, S3), 0xFFFFFFFFu);
    assert_int_equal(R(f, S4), 2u);
    assert_int_equal(R(f, S5), 0xFFFFFFFFu);
    assert_int_equal(R(f, S6), 2u);
    assert_int_equal(R(f, S7), 0x40000000u);
    assert_int_equal(R(f, S8), 0xFFFFFFFEu);
    assert_int_equal(R(f, S9), 0xFFFFFFFFu);
    assert_int_equal(R(f, S10), 0u);
    uint64_t pu = (uint64_t)0x12345678u * 0x9ABCDEF0u;
    int64_t ps = (int64_t)0x12345678 * (int64_t)(int32_t)0x9ABCDEF0u;
    int64_t psu = (int64_t)(int32_t)0x9ABCDEF0u * (int64_t)0x12345678;
    assert_int_equal(R(f, S11), (uint32_t)pu);
    assert_int_equal(R(f, T3), (uint32_t)(pu >> 32));
    assert_int_equal(R(f, T4), (uint32_t)((uint64_t)ps >> 32));
    assert_int_equal(R(f, T5), (uint32_t)((uint64_t)psu >> 32));
}

static void test_div_rem_signs(void **state)
{
    struct fx *f = *state;
    set(f, A0, 7);
    set(f, A1, 2);
    set(f, A2, (uint32_t)-7);
    set(f, A3, (uint32_t)-2);
    fx_emit(f, rv_div(S2, A0, A1));  /* 3 */
    fx_emit(f, rv_rem(S3, A0, A1));  /* 1 */
    fx_emit(f, rv_div(S4, A2, A1));  /* -3: rounds toward zero */
    fx_emit(f, rv_rem(S5, A2, A1));  /* -1: sign of the dividend */
    fx_emit(f, rv_div(S6, A0, A3));  /* -3 */
    fx_emit(f, rv_rem(S7, A0, A3));  /* 1 */
    fx_emit(f, rv_divu(S8, A2, A1)); /* 0xFFFFFFF9 / 2 */
    fx_emit(f, rv_remu(S9, A2, A1));
    fx_emit(f, rv_div(S10, A2, A3)); /* 3 */
    fx_emit(f, rv_rem(S11, A2, A3)); /* -1 */
    finish(f);
    assert_int_equal(R(f, S2), 3);
    assert_int_equal(R(f, S3), 1);
    assert_int_equal(R(f, S4), (uint32_t)-3);
    assert_int_equal(R(f, S5), (uint32_t)-1);
    assert_int_equal(R(f, S6), (uint32_t)-3);
    assert_int_equal(R(f, S7), 1);
    assert_int_equal(R(f, S8), 0x7FFFFFFCu);
    assert_int_equal(R(f, S9), 1u);
    assert_int_equal(R(f, S10), 3u);
    assert_int_equal(R(f, S11), (uint32_t)-1);
}

/* Without STATUS.DZ: the RISC-V results, no trap. */
static void test_div_by_zero_results(void **state)
{
    struct fx *f = *state;
    assert_int_equal(f->cpu->status & STATUS_DZ, 0);
    set(f, A0, 1234);
    set(f, A1, (uint32_t)-1234);
    fx_emit(f, rv_div(S2, A0, ZERO));
    fx_emit(f, rv_divu(S3, A0, ZERO));
    fx_emit(f, rv_rem(S4, A0, ZERO));
    fx_emit(f, rv_remu(S5, A0, ZERO));
    fx_emit(f, rv_div(S6, A1, ZERO));
    fx_emit(f, rv_rem(S7, A1, ZERO));
    fx_emit(f, rv_remu(S8, A1, ZERO));
    finish(f);
    assert_int_equal(R(f, S2), 0xFFFFFFFFu);
    assert_int_equal(R(f, S3), 0xFFFFFFFFu);
    assert_int_equal(R(f, S4), 1234u);
    assert_int_equal(R(f, S5), 1234u);
    assert_int_equal(R(f, S6), 0xFFFFFFFFu);
    assert_int_equal(R(f, S7), (uint32_t)-1234);
    assert_int_equal(R(f, S8), (uint32_t)-1234);
    assert_int_equal(f->ntraps, 1); /* only the final ebreak */
}

/* INT_MIN / -1 overflows to INT_MIN, remainder 0, with or without DZ. */
static void test_div_overflow(void **state)
{
    struct fx *f = *state;
    set(f, A0, INT_MIN32);
    set(f, A1, 0xFFFFFFFFu);
    fx_emit(f, rv_div(S2, A0, A1));
    fx_emit(f, rv_rem(S3, A0, A1));
    fx_emit(f, rv_divu(S4, A0, A1)); /* unsigned: 0 */
    fx_emit(f, rv_remu(S5, A0, A1));
    fx_emit(f, rv_csrrsi(ZERO, CSR_STATUS, STATUS_DZ));
    fx_emit(f, rv_div(S6, A0, A1));
    fx_emit(f, rv_rem(S7, A0, A1));
    finish(f);
    assert_int_equal(R(f, S2), INT_MIN32);
    assert_int_equal(R(f, S3), 0u);
    assert_int_equal(R(f, S4), 0u);
    assert_int_equal(R(f, S5), INT_MIN32);
    assert_int_equal(R(f, S6), INT_MIN32);
    assert_int_equal(R(f, S7), 0u);
    assert_int_equal(f->ntraps, 1);
}

static void test_loads_sign_extend(void **state)
{
    struct fx *f = *state;
    fx_w32(f, DATA, 0x80FF7F81u); /* bytes 81 7F FF 80 */
    set(f, A0, DATA);
    set(f, A1, DATA + 8);
    fx_emit(f, rv_lb(S2, A0, 0));
    fx_emit(f, rv_lbu(S3, A0, 0));
    fx_emit(f, rv_lb(S4, A0, 1));
    fx_emit(f, rv_lh(S5, A0, 0));
    fx_emit(f, rv_lh(S6, A0, 2));
    fx_emit(f, rv_lhu(S7, A0, 2));
    fx_emit(f, rv_lw(S8, A0, 0));
    fx_emit(f, rv_lw(S9, A1, -8)); /* negative offset */
    fx_emit(f, rv_lbu(S10, A1, -5));
    fx_emit(f, rv_lb(S11, A1, -5));
    finish(f);
    assert_int_equal(R(f, S2), 0xFFFFFF81u);
    assert_int_equal(R(f, S3), 0x81u);
    assert_int_equal(R(f, S4), 0x7Fu);
    assert_int_equal(R(f, S5), 0x7F81u);
    assert_int_equal(R(f, S6), 0xFFFF80FFu);
    assert_int_equal(R(f, S7), 0x80FFu);
    assert_int_equal(R(f, S8), 0x80FF7F81u);
    assert_int_equal(R(f, S9), 0x80FF7F81u);
    assert_int_equal(R(f, S10), 0x80u);
    assert_int_equal(R(f, S11), 0xFFFFFF80u);
}

static void test_stores_little_endian(void **state)
{
    struct fx *f = *state;
    fx_w32(f, DATA, 0xAAAAAAAAu);
    fx_w32(f, DATA + 4, 0xBBBBBBBBu);
    fx_w32(f, DATA + 8, 0xCCCCCCCCu);
    set(f, A0, DATA);
    set(f, A1, DATA + 16);
    set(f, A2, 0x11223344u);
    fx_emit(f, rv_sb(A2, A0, 1));    /* byte 0x44 at DATA+1 */
    fx_emit(f, rv_sh(A2, A0, 6));    /* 0x3344 at DATA+6 */
    fx_emit(f, rv_sw(A2, A1, -8));   /* DATA+8 */
    fx_emit(f, rv_sw(ZERO, A1, -4)); /* DATA+12 */
    finish(f);
    assert_int_equal(fx_r32(f, DATA), 0xAAAA44AAu);
    assert_int_equal(fx_r32(f, DATA + 4), 0x3344BBBBu);
    assert_int_equal(fx_r32(f, DATA + 8), 0x11223344u);
    assert_int_equal(fx_r32(f, DATA + 12), 0u);
}

static void test_x0_hardwired(void **state)
{
    struct fx *f = *state;
    fx_w32(f, DATA, 0xDEADBEEFu);
    set(f, A0, DATA);
    cpu_set_reg(f->cpu, ZERO, 1234);
    assert_int_equal(cpu_reg(f->cpu, ZERO), 0);
    fx_emit(f, rv_addi(ZERO, ZERO, 5));
    fx_emit(f, rv_add(A1, ZERO, ZERO));
    fx_emit(f, rv_lw(ZERO, A0, 0));
    fx_emit(f, rv_add(A2, ZERO, ZERO));
    fx_emit(f, rv_lui(ZERO, 0x12345));
    fx_emit(f, rv_addi(A3, ZERO, 0));
    fx_emit(f, rv_jal(ZERO, 8));      /* j: no link */
    fx_emit(f, rv_addi(A4, ZERO, 1)); /* skipped */
    fx_emit(f, rv_auipc(ZERO, 1));
    fx_emit(f, rv_csrrs(ZERO, CSR_CYCLE, ZERO));
    fx_emit(f, rv_or(A5, ZERO, ZERO));
    finish(f);
    assert_int_equal(cpu_reg(f->cpu, ZERO), 0);
    assert_int_equal(f->cpu->x[0], 0);
    assert_int_equal(R(f, A1), 0);
    assert_int_equal(R(f, A2), 0);
    assert_int_equal(R(f, A3), 0);
    assert_int_equal(R(f, A4), 0);
    assert_int_equal(R(f, A5), 0);
}

/* Run "bXX a1, a2, +12" with the given operands; true if it was taken. */
static bool branch_taken(struct fx *f,
                         uint32_t (*b)(unsigned, unsigned, int32_t),
                         uint32_t v1, uint32_t v2)
{
    f->ntraps = 0;
    fx_org(f, FX_KCODE);
    f->cpu->pc = FX_KCODE;
    cpu_set_reg(f->cpu, SP, FX_KSTACK);
    set(f, A0, 0);
    set(f, A1, v1);
    set(f, A2, v2);
    fx_emit(f, b(A1, A2, 12));
    fx_emit(f, rv_addi(A0, ZERO, 1));
    fx_emit(f, RV_EBREAK);
    fx_emit(f, rv_addi(A0, ZERO, 2));
    fx_emit(f, RV_EBREAK);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_true(R(f, A0) == 1 || R(f, A0) == 2);
    return R(f, A0) == 2;
}

static void test_branches(void **state)
{
    struct fx *f = *state;
    const uint32_t m1 = 0xFFFFFFFFu;
    assert_true(branch_taken(f, rv_beq, 5, 5));
    assert_false(branch_taken(f, rv_beq, 5, 6));
    assert_false(branch_taken(f, rv_beq, 0, INT_MIN32));
    assert_false(branch_taken(f, rv_bne, 5, 5));
    assert_true(branch_taken(f, rv_bne, 5, 6));
    assert_true(branch_taken(f, rv_blt, m1, 0));
    assert_false(branch_taken(f, rv_blt, 0, m1));
    assert_false(branch_taken(f, rv_blt, 5, 5));
    assert_true(branch_taken(f, rv_blt, INT_MIN32, INT_MAX32));
    assert_false(branch_taken(f, rv_blt, INT_MAX32, INT_MIN32));
    assert_true(branch_taken(f, rv_bge, 5, 5));
    assert_false(branch_taken(f, rv_bge, m1, 0));
    assert_true(branch_taken(f, rv_bge, 0, m1));
    assert_true(branch_taken(f, rv_bge, INT_MAX32, INT_MIN32));
    assert_true(branch_taken(f, rv_bltu, 0, m1));
    assert_false(branch_taken(f, rv_bltu, m1, 0));
    assert_false(branch_taken(f, rv_bltu, 5, 5));
    assert_false(branch_taken(f, rv_bltu, INT_MIN32, INT_MAX32));
    assert_true(branch_taken(f, rv_bgeu, m1, 0));
    assert_false(branch_taken(f, rv_bgeu, 0, m1));
    assert_true(branch_taken(f, rv_bgeu, 5, 5));
    assert_true(branch_taken(f, rv_bgeu, INT_MIN32, INT_MAX32));
}

static void test_backward_branch_loop(void **state)
{
    struct fx *f = *state;
    set(f, A0, 5);
    set(f, A1, 0);
    fx_emit(f, rv_addi(A1, A1, 3));
    fx_emit(f, rv_addi(A0, A0, -1));
    fx_emit(f, rv_bne(A0, ZERO, -8));
    uint64_t i0 = f->cpu->instret;
    finish(f);
    assert_int_equal(R(f, A0), 0);
    assert_int_equal(R(f, A1), 15);
    assert_int_equal(f->cpu->instret - i0, 15); /* ebreak does not retire */
}

static void test_jal(void **state)
{
    struct fx *f = *state;
    uint32_t j = fx_emit(f, rv_jal(RA, 12));
    fx_emit(f, rv_addi(A0, ZERO, 1));
    fx_emit(f, RV_EBREAK);
    fx_emit(f, rv_addi(A1, ZERO, 7));
    /* a long jump forward and back again */
    uint32_t far = fx_emit(f, rv_jal(T0, 0x4000));
    uint32_t back = f->at;
    fx_org(f, far + 0x4000);
    fx_emit(f, rv_addi(A2, ZERO, 9));
    fx_emit(f, rv_jal(ZERO, (int32_t)back - (int32_t)f->at));
    fx_org(f, back);
    finish(f);
    assert_int_equal(R(f, RA), j + 4);
    assert_int_equal(R(f, A0), 0);
    assert_int_equal(R(f, A1), 7);
    assert_int_equal(R(f, A2), 9);
    assert_int_equal(R(f, T0), far + 4);
}

static void test_jalr(void **state)
{
    struct fx *f = *state;
    /* K+0: jalr ra, -1(a1) with a1 = K+17: target K+16 (bit 0 cleared) */
    uint32_t k = FX_KCODE;
    set(f, A1, k + 17);
    fx_emit(f, rv_jalr(RA, A1, -1));
    fx_emit(f, rv_addi(A0, ZERO, 1)); /* skipped */
    fx_emit(f, RV_EBREAK);
    fx_emit(f, RV_EBREAK);
    /* K+16: an odd target through the immediate: K+33 -> K+32 */
    set(f, A2, k + 32);
    fx_emit(f, rv_jalr(T1, A2, 1));
    fx_emit(f, RV_EBREAK);
    fx_emit(f, RV_EBREAK);
    fx_emit(f, RV_EBREAK);
    /* K+32: rd == rs1 uses the old value: jump to K+48 */
    set(f, T2, k + 48);
    fx_emit(f, rv_jalr(T2, T2, 0));
    fx_emit(f, RV_EBREAK);
    fx_emit(f, RV_EBREAK);
    fx_emit(f, RV_EBREAK);
    /* K+48 */
    fx_emit(f, rv_addi(A3, ZERO, 3));
    finish(f);
    assert_int_equal(R(f, RA), k + 4);
    assert_int_equal(R(f, A0), 0);
    assert_int_equal(R(f, T1), k + 20);
    assert_int_equal(R(f, T2), k + 36);
    assert_int_equal(R(f, A3), 3);
}

static void test_fences_are_noops(void **state)
{
    struct fx *f = *state;
    set(f, A0, 42);
    uint64_t i0 = f->cpu->instret;
    fx_emit(f, RV_FENCE);
    fx_emit(f, RV_FENCE_I);
    fx_emit(f, 0x0000000Fu); /* fence with no sets */
    fx_emit(f, rv_addi(A0, A0, 1));
    finish(f);
    assert_int_equal(R(f, A0), 43);
    assert_int_equal(f->cpu->instret - i0, 4);
}

/* fence.tso and pause are fences with reserved fm/pred/succ settings:
 * the base ISA executes them as ordinary fences. */
static void test_fence_variants(void **state)
{
    struct fx *f = *state;
    fx_emit(f, 0x8330000Fu); /* fence.tso */
    fx_emit(f, 0x0100000Fu); /* pause */
    fx_emit(f, rv_addi(A0, ZERO, 9));
    finish(f);
    assert_int_equal(R(f, A0), 9);
    assert_int_equal(f->ntraps, 1);
}

/* Store a new instruction over one already executed, fence.i, run it. */
static void test_self_modifying_fence_i(void **state)
{
    struct fx *f = *state;
    uint32_t sub = FX_KCODE + 0x100;
    set(f, A0, 0);
    set(f, T0, sub);
    set(f, T1, rv_addi(A0, A0, 100));
    fx_emit(f, rv_jal(RA, (int32_t)(sub - f->at)));
    fx_emit(f, rv_sw(T1, T0, 0));
    fx_emit(f, RV_FENCE_I);
    fx_emit(f, rv_jal(RA, (int32_t)(sub - f->at)));
    fx_emit(f, RV_EBREAK);
    fx_org(f, sub);
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_jalr(ZERO, RA, 0));
    fx_org(f, FX_KCODE + 16);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(R(f, A0), 101);
}

/* Self-modifying code in a loop: an instruction executed many times, then
 * replaced (catches a decode cache that is never refreshed). */
static void test_self_modifying_hot_loop(void **state)
{
    struct fx *f = *state;
    uint32_t k = FX_KCODE;
    set(f, A0, 0);
    set(f, A1, 50);
    set(f, T0, k + 4);
    set(f, T1, rv_addi(A0, A0, 1000));
    set(f, T2, 0);
    fx_emit(f, rv_addi(A1, A1, -1));  /* K+0 */
    fx_emit(f, rv_addi(A0, A0, 1));   /* K+4: patched to add 1000 */
    fx_emit(f, rv_bne(A1, ZERO, -8)); /* K+8 */
    fx_emit(f, rv_bne(T2, ZERO, 24)); /* K+12: second time: to K+36 */
    fx_emit(f, rv_sw(T1, T0, 0));     /* K+16 */
    fx_emit(f, RV_FENCE_I);           /* K+20 */
    fx_emit(f, rv_addi(T2, ZERO, 1)); /* K+24 */
    fx_emit(f, rv_addi(A1, ZERO, 3)); /* K+28 */
    fx_emit(f, rv_jal(ZERO, -32));    /* K+32: to K+0 */
    finish(f);                        /* K+36 */
    assert_int_equal(R(f, A0), 50 + 3 * 1000);
}

/* cpu_load() over decoded code: the next fetch sees the new word. */
static void test_cpu_load_invalidates(void **state)
{
    struct fx *f = *state;
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, RV_EBREAK);
    set(f, A0, 0);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(R(f, A0), 1);
    fx_w32(f, FX_KCODE, rv_addi(A0, A0, 50));
    f->cpu->pc = FX_KCODE;
    cpu_set_reg(f->cpu, SP, FX_KSTACK);
    t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(R(f, A0), 51);
}

#define RV32IM_TESTS(setup)                                                    \
    cmocka_unit_test_setup_teardown(test_lui_auipc, setup, fx_teardown),       \
        cmocka_unit_test_setup_teardown(test_addi_immediates, setup,           \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_slti_sltiu, setup, fx_teardown),  \
        cmocka_unit_test_setup_teardown(test_logic_immediates, setup,          \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_shift_immediates, setup,          \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_shift_registers_mask_5_bits,      \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(test_register_arithmetic, setup,       \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_register_logic, setup,            \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_mul_family, setup, fx_teardown),  \
        cmocka_unit_test_setup_teardown(test_div_rem_signs, setup,             \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_div_by_zero_results, setup,       \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_div_overflow, setup,              \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_loads_sign_extend, setup,         \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_stores_little_endian, setup,      \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_x0_hardwired, setup,              \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_branches, setup, fx_teardown),    \
        cmocka_unit_test_setup_teardown(test_backward_branch_loop, setup,      \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_jal, setup, fx_teardown),         \
        cmocka_unit_test_setup_teardown(test_jalr, setup, fx_teardown),        \
        cmocka_unit_test_setup_teardown(test_fence_variants, setup,            \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_fences_are_noops, setup,          \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_self_modifying_fence_i, setup,    \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_self_modifying_hot_loop, setup,   \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_cpu_load_invalidates, setup,      \
                                        fx_teardown)

int main(void)
{
    const struct CMUnitTest step_tests[] = {RV32IM_TESTS(fx_setup)};
    const struct CMUnitTest run_tests[] = {RV32IM_TESTS(fx_setup_run)};
    int failed = cmocka_run_group_tests_name("rv32im (cpu_step)", step_tests,
                                             NULL, NULL);
    failed +=
        cmocka_run_group_tests_name("rv32im (cpu_run)", run_tests, NULL, NULL);
    return failed != 0;
}
