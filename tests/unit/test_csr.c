/*
 * test_csr.c: the CSR instructions and the privileged registers
 * (docs/isa.md §4).
 *
 * Kernel: STATUS (MODE read-only, IE and DZ writable), TTR, KSP, UBASE,
 * UBOUND. Any mode: cycle/cycleh/instret/instreth, read only (a write is
 * illegal, vector 0). User: any access to 0x7C0..0x7C4 is vector 1;
 * unknown CSRs are vector 0 in either mode.
 */
#include "machine_fixture.h"

#define K FX_KCODE

static uint32_t peek(struct fx *f, uint32_t csr)
{
    uint32_t v = 0xDEADDEADu;
    assert_int_equal(cpu_csr_peek(f->cpu, csr, &v), 0);
    return v;
}

static void run_to_ebreak(struct fx *f)
{
    fx_emit(f, RV_EBREAK);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
}

static void test_kernel_csr_ops(void **state)
{
    struct fx *f = *state;
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_KSP, 0x1000F0u), 0);
    cpu_set_reg(f->cpu, A1, 0x123450u);
    cpu_set_reg(f->cpu, A2, 0x0000FFu);
    cpu_set_reg(f->cpu, A3, 0x000F00u);
    fx_emit(f, rv_csrrw(S2, CSR_KSP, A1)); /* KSP = 0x123450 */
    fx_emit(f, rv_csrrs(S3, CSR_KSP, A2)); /* |= 0xFF */
    fx_emit(f, rv_csrrc(S4, CSR_KSP, A3)); /* &= ~0xF00 */
    fx_emit(f, rv_csrrs(S5, CSR_KSP, ZERO));
    fx_emit(f, rv_csrrwi(S6, CSR_UBOUND, 17));
    fx_emit(f, rv_csrrsi(S7, CSR_UBOUND, 8));
    fx_emit(f, rv_csrrci(S8, CSR_UBOUND, 1));
    fx_emit(f, rv_csrrw(S9, CSR_UBASE, A1));
    fx_emit(f, rv_csrrw(S10, CSR_TTR, A3));
    fx_emit(f, rv_csrrw(S11, CSR_TTR, S10)); /* put TTR back */
    fx_emit(f, rv_csrrw(ZERO, CSR_KSP, A3)); /* rd = x0: write only */
    run_to_ebreak(f);
    assert_int_equal(cpu_reg(f->cpu, S2), 0x1000F0u);
    assert_int_equal(cpu_reg(f->cpu, S3), 0x123450u);
    assert_int_equal(cpu_reg(f->cpu, S4), 0x1234FFu);
    assert_int_equal(cpu_reg(f->cpu, S5), 0x1234FFu & ~0xF00u);
    assert_int_equal(cpu_reg(f->cpu, S6), FX_UBOUND);
    assert_int_equal(cpu_reg(f->cpu, S7), 17);
    assert_int_equal(cpu_reg(f->cpu, S8), 25);
    assert_int_equal(cpu_reg(f->cpu, S9), FX_UBASE);
    assert_int_equal(cpu_reg(f->cpu, S10), FX_TTR);
    assert_int_equal(cpu_reg(f->cpu, S11), 0x000F00u);
    assert_int_equal(peek(f, CSR_KSP), 0x000F00u);
    assert_int_equal(peek(f, CSR_UBOUND), 24);
    assert_int_equal(peek(f, CSR_UBASE), 0x123450u);
    assert_int_equal(peek(f, CSR_TTR), FX_TTR);
}

static void test_status_mode_read_only(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, A1, 0xFFFFFFFFu);
    fx_emit(f, rv_csrrs(S2, CSR_STATUS, ZERO));
    fx_emit(f, rv_csrrw(S3, CSR_STATUS, ZERO)); /* tries to clear MODE */
    fx_emit(f, rv_csrrs(S4, CSR_STATUS, ZERO));
    fx_emit(f, rv_csrrw(S5, CSR_STATUS, A1)); /* all ones */
    fx_emit(f, rv_csrrs(S6, CSR_STATUS, ZERO));
    fx_emit(f, rv_csrrci(S7, CSR_STATUS, STATUS_IE | STATUS_MODE));
    fx_emit(f, rv_csrrs(S8, CSR_STATUS, ZERO));
    fx_emit(f, rv_csrrc(S9, CSR_STATUS, A1));
    fx_emit(f, rv_csrrs(S10, CSR_STATUS, ZERO));
    run_to_ebreak(f);
    assert_int_equal(cpu_reg(f->cpu, S2), STATUS_MODE);
    assert_int_equal(cpu_reg(f->cpu, S4), STATUS_MODE);
    assert_int_equal(cpu_reg(f->cpu, S6), STATUS_MODE | STATUS_IE | STATUS_DZ);
    assert_int_equal(cpu_reg(f->cpu, S8), STATUS_MODE | STATUS_DZ);
    assert_int_equal(cpu_reg(f->cpu, S10), STATUS_MODE);
    assert_int_equal(f->cpu->mode, MODE_KERNEL);
    /* the ebreak's frame saw a kernel STATUS */
    assert_int_equal(fx_frame(f, &f->traps[0], FRAME_STATUS), STATUS_MODE);
}

/* csr reads of cycle give the count before the csr's own cost. */
static void test_counters_read(void **state)
{
    struct fx *f = *state;
    assert_int_equal(f->cpu->cycle, 0);
    fx_emit(f, rv_csrrs(S2, CSR_CYCLE, ZERO));
    fx_emit(f, rv_addi(T0, ZERO, 1));
    fx_emit(f, rv_csrrs(S3, CSR_CYCLE, ZERO));
    fx_emit(f, rv_csrrs(S4, CSR_INSTRET, ZERO));
    fx_emit(f, rv_csrrs(S5, CSR_CYCLEH, ZERO));
    fx_emit(f, rv_csrrs(S6, CSR_INSTRETH, ZERO));
    fx_emit(f, rv_csrrsi(S7, CSR_CYCLE, 0)); /* uimm 0: a read */
    fx_emit(f, rv_csrrc(S8, CSR_INSTRET, ZERO));
    fx_emit(f, rv_csrrci(S9, CSR_INSTRETH, 0));
    run_to_ebreak(f);
    assert_int_equal(cpu_reg(f->cpu, S2), 0);
    assert_int_equal(cpu_reg(f->cpu, S3), C_CSR + C_ALU);
    assert_int_equal(cpu_reg(f->cpu, S4), 3);
    assert_int_equal(cpu_reg(f->cpu, S5), 0);
    assert_int_equal(cpu_reg(f->cpu, S6), 0);
    assert_int_equal(cpu_reg(f->cpu, S7), C_ALU + 5 * C_CSR);
    assert_int_equal(cpu_reg(f->cpu, S8), 7);
    assert_int_equal(cpu_reg(f->cpu, S9), 0);
}

/* The high halves, with counters past 2^32. */
static void test_counters_high_halves(void **state)
{
    struct fx *f = *state;
    f->cpu->cycle = 0x0000000500000010ull;
    f->cpu->instret = 0x00000007FFFFFFFFull;
    fx_emit(f, rv_csrrs(S2, CSR_CYCLE, ZERO));
    fx_emit(f, rv_csrrs(S3, CSR_CYCLEH, ZERO));
    fx_emit(f, rv_csrrs(S4, CSR_INSTRET, ZERO));
    fx_emit(f, rv_csrrs(S5, CSR_INSTRETH, ZERO));
    run_to_ebreak(f);
    assert_int_equal(cpu_reg(f->cpu, S2), 0x10u);
    assert_int_equal(cpu_reg(f->cpu, S3), 5u);
    assert_int_equal(cpu_reg(f->cpu, S4), 1u); /* 0x7FFFFFFFF + 2 */
    assert_int_equal(cpu_reg(f->cpu, S5), 8u);
    uint32_t v;
    assert_int_equal(cpu_csr_peek(f->cpu, CSR_CYCLEH, &v), 0);
    assert_int_equal(v, 5u);
    assert_int_equal(cpu_csr_peek(f->cpu, CSR_INSTRETH, &v), 0);
    assert_int_equal(v, 8u);
}

static void test_counters_readable_in_user_mode(void **state)
{
    struct fx *f = *state;
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_csrrs(A0, CSR_CYCLE, ZERO));
    fx_emit(f, rv_csrrs(A1, CSR_CYCLEH, ZERO));
    fx_emit(f, rv_csrrs(A2, CSR_INSTRET, ZERO));
    fx_emit(f, rv_csrrs(A3, CSR_INSTRETH, ZERO));
    fx_emit(f, RV_EBREAK);
    fx_enter_user(f, FX_UCODE, 0);
    assert_int_equal(f->cpu->cycle, C_RTI);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(fx_frame(f, t, FRAME_X(A0)), C_RTI);
    assert_int_equal(fx_frame(f, t, FRAME_X(A1)), 0);
    assert_int_equal(fx_frame(f, t, FRAME_X(A2)), 3);
    assert_int_equal(fx_frame(f, t, FRAME_X(A3)), 0);
}

/* One instruction at K in kernel mode (or at FX_UCODE in user mode) must
 * trap with this vector, tval = its bits, rd and instret unchanged. */
static void expect_csr_trap(struct fx *f, bool user, uint32_t insn,
                            uint32_t vector)
{
    f->ntraps = 0;
    if (user) {
        fx_uorg(f, FX_UCODE);
        fx_emit(f, insn);
        cpu_set_reg(f->cpu, SP, FX_KSTACK);
        fx_enter_user(f, FX_UCODE, 0);
    } else {
        fx_org(f, K);
        fx_emit(f, insn);
        f->cpu->pc = K;
        cpu_set_reg(f->cpu, SP, FX_KSTACK);
    }
    cpu_set_reg(f->cpu, A0, 0x5555u);
    cpu_set_reg(f->cpu, A1, 0);
    uint32_t status = f->cpu->status;
    uint64_t i0 = f->cpu->instret, c0 = f->cpu->cycle;
    const struct fx_trap *t = fx_run_to_trap(f);
    if (t->info.vector != vector || t->info.tval != insn)
        print_error("%s insn 0x%08x: vector %u tval 0x%x, expected %u\n",
                    user ? "user" : "kernel", insn, t->info.vector,
                    t->info.tval, vector);
    assert_int_equal(t->info.vector, vector);
    assert_int_equal(t->info.from_mode, user ? MODE_USER : MODE_KERNEL);
    assert_int_equal(t->info.tval, insn);
    assert_int_equal(t->info.epc, user ? FX_UCODE : K);
    assert_int_equal(fx_frame(f, t, FRAME_X(A0)), 0x5555u);
    assert_int_equal(fx_frame(f, t, FRAME_STATUS), status);
    assert_int_equal(f->cpu->instret, i0);
    assert_int_equal(f->cpu->cycle - c0, C_TRAP);
}

static void test_counter_writes_illegal(void **state)
{
    struct fx *f = *state;
    const uint32_t ctr[] = {CSR_CYCLE, CSR_CYCLEH, CSR_INSTRET, CSR_INSTRETH};
    for (int user = 0; user < 2; user++)
        for (size_t i = 0; i < 4; i++) {
            expect_csr_trap(f, user, rv_csrrw(A0, ctr[i], A1), VEC_ILLEGAL);
            expect_csr_trap(f, user, rv_csrrw(ZERO, ctr[i], A1), VEC_ILLEGAL);
            /* rs1 != x0 is a write even when the register holds 0 */
            expect_csr_trap(f, user, rv_csrrs(A0, ctr[i], A1), VEC_ILLEGAL);
            expect_csr_trap(f, user, rv_csrrc(A0, ctr[i], A1), VEC_ILLEGAL);
            expect_csr_trap(f, user, rv_csrrwi(A0, ctr[i], 0), VEC_ILLEGAL);
            expect_csr_trap(f, user, rv_csrrsi(A0, ctr[i], 1), VEC_ILLEGAL);
            expect_csr_trap(f, user, rv_csrrci(A0, ctr[i], 4), VEC_ILLEGAL);
        }
    assert_int_equal(f->cpu->cycle >> 32, 0);
}

static void test_unknown_csrs_illegal(void **state)
{
    struct fx *f = *state;
    const uint32_t unknown[] = {0x000, 0x001, 0x300, 0x305, 0x341,
                                0x7BF, 0x7C5, 0x7C8, 0x7FF, 0xC01,
                                0xC03, 0xC81, 0xB00, 0xF14, 0xFFF};
    for (int user = 0; user < 2; user++)
        for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
            expect_csr_trap(f, user, rv_csrrs(A0, unknown[i], ZERO),
                            VEC_ILLEGAL);
            expect_csr_trap(f, user, rv_csrrw(A0, unknown[i], A1), VEC_ILLEGAL);
        }
    uint32_t v;
    assert_int_equal(cpu_csr_peek(f->cpu, 0x7C5, &v), -1);
    assert_int_equal(cpu_csr_peek(f->cpu, 0x300, &v), -1);
}

/* Every access to a privileged CSR from user mode, reads included, is
 * the privilege trap, and the CSR keeps its value. */
static void test_privileged_csrs_in_user_mode(void **state)
{
    struct fx *f = *state;
    for (uint32_t csr = CSR_STATUS; csr <= CSR_UBOUND; csr++) {
        uint32_t before = peek(f, csr);
        expect_csr_trap(f, true, rv_csrrs(A0, csr, ZERO), VEC_PRIVILEGED);
        expect_csr_trap(f, true, rv_csrrc(A0, csr, ZERO), VEC_PRIVILEGED);
        expect_csr_trap(f, true, rv_csrrsi(A0, csr, 0), VEC_PRIVILEGED);
        expect_csr_trap(f, true, rv_csrrw(A0, csr, A1), VEC_PRIVILEGED);
        expect_csr_trap(f, true, rv_csrrw(ZERO, csr, A1), VEC_PRIVILEGED);
        expect_csr_trap(f, true, rv_csrrwi(A0, csr, 3), VEC_PRIVILEGED);
        expect_csr_trap(f, true, rv_csrrsi(A0, csr, STATUS_IE), VEC_PRIVILEGED);
        if (csr == CSR_STATUS)
            assert_int_equal(f->cpu->status, STATUS_MODE);
        else
            assert_int_equal(peek(f, csr), before);
    }
}

static void test_wfi_in_user_mode(void **state)
{
    struct fx *f = *state;
    expect_csr_trap(f, true, RV_WFI, VEC_PRIVILEGED);
    expect_csr_trap(f, true, RV_RTI, VEC_PRIVILEGED);
}

static void test_peek_poke(void **state)
{
    struct fx *f = *state;
    uint32_t v;
    assert_int_equal(peek(f, CSR_STATUS), STATUS_MODE);
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_STATUS, 0), 0);
    assert_int_equal(peek(f, CSR_STATUS), STATUS_MODE);
    assert_int_equal(f->cpu->mode, MODE_KERNEL);
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_STATUS, 0xFFFFFFF8u | STATUS_DZ),
                     0);
    assert_int_equal(peek(f, CSR_STATUS), STATUS_MODE | STATUS_DZ);
    assert_int_equal(peek(f, CSR_TTR), FX_TTR);
    assert_int_equal(peek(f, CSR_KSP), FX_KSP);
    assert_int_equal(peek(f, CSR_UBASE), FX_UBASE);
    assert_int_equal(peek(f, CSR_UBOUND), FX_UBOUND);
    f->cpu->cycle = 0x100000123ull;
    assert_int_equal(peek(f, CSR_CYCLE), 0x123u);
    assert_int_equal(peek(f, CSR_CYCLEH), 1u);
    assert_int_equal(cpu_csr_peek(f->cpu, 0x7C5, &v), -1);
    assert_int_not_equal(cpu_csr_poke(f->cpu, 0x7C5, 1), 0);
}

static void test_csr_cost_and_retire(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, A1, 0x2000);
    fx_emit(f, rv_csrrw(A0, CSR_KSP, A1));
    fx_emit(f, rv_csrrs(A0, CSR_CYCLE, ZERO));
    fx_emit(f, rv_csrrsi(A0, CSR_STATUS, STATUS_DZ));
    fx_steps(f, 3);
    assert_int_equal(f->cpu->cycle, 3 * C_CSR);
    assert_int_equal(f->cpu->instret, 3);
    assert_int_equal(f->cpu->pc, K + 12);
}

#define CSR_TESTS(setup)                                                       \
    cmocka_unit_test_setup_teardown(test_kernel_csr_ops, setup, fx_teardown),  \
        cmocka_unit_test_setup_teardown(test_status_mode_read_only, setup,     \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_counters_read, setup,             \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_counters_high_halves, setup,      \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_counters_readable_in_user_mode,   \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(test_counter_writes_illegal, setup,    \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_unknown_csrs_illegal, setup,      \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_privileged_csrs_in_user_mode,     \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(test_wfi_in_user_mode, setup,          \
                                        fx_teardown)

int main(void)
{
    const struct CMUnitTest once[] = {
        cmocka_unit_test_setup_teardown(test_peek_poke, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_csr_cost_and_retire, fx_setup,
                                        fx_teardown),
    };
    const struct CMUnitTest step_tests[] = {CSR_TESTS(fx_setup)};
    const struct CMUnitTest run_tests[] = {CSR_TESTS(fx_setup_run)};
    int failed = cmocka_run_group_tests_name("csr", once, NULL, NULL);
    failed +=
        cmocka_run_group_tests_name("csr (cpu_step)", step_tests, NULL, NULL);
    failed +=
        cmocka_run_group_tests_name("csr (cpu_run)", run_tests, NULL, NULL);
    return failed != 0;
}
