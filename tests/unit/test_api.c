/*
 * test_api.c: the library's host interface: create, reset, load, hooks,
 * breakpoints and names (cpu.h).
 */
#include "machine_fixture.h"

#define K FX_KCODE

static void test_create_limits(void **state)
{
    (void)state;
    assert_null(cpu_create(0));
    assert_null(cpu_create(0xF0000001u));
    assert_null(cpu_create(0xFFFFFFFFu));
    struct cpu *c = cpu_create(4096);
    assert_non_null(c);
    assert_int_equal(c->ram_size, 4096);
    cpu_destroy(c);
    cpu_destroy(NULL);
}

/* Reset after a busy life: everything but RAM and hooks is cleared. */
static void test_reset_clears_state(void **state)
{
    struct fx *f = *state;
    /* dirty it: user mode, timer armed and pending, console input,
     * closed console, RXIE, counters, then a halt */
    cpu_set_reg(f->cpu, T6, TIMER_BASE);
    cpu_set_reg(f->cpu, T5, CONSOLE_BASE);
    cpu_set_reg(f->cpu, A1, 5);
    cpu_set_reg(f->cpu, A2, CONSOLE_CTRL_RXIE);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL));
    fx_emit(f, rv_sw(A2, T5, CONSOLE_CTRL));
    fx_emit(f, rv_csrrsi(ZERO, CSR_STATUS, STATUS_DZ));
    for (int i = 0; i < 10; i++)
        fx_emit(f, rv_nop());
    fx_steps(f, 13);
    cpu_console_input(f->cpu, "abc", 3);
    cpu_console_close(f->cpu);
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_nop());
    fx_enter_user(f, FX_UCODE, STATUS_DZ);
    for (unsigned n = 1; n < 32; n++)
        cpu_set_reg(f->cpu, n, 0x1000u + n);
    cpu_break_add(f->cpu, 0x5000);
    assert_true(f->cpu->cycle > 0);

    cpu_reset(f->cpu, 0x8000, 0x1234);

    assert_int_equal(f->cpu->pc, 0x8000);
    for (unsigned n = 0; n < 32; n++)
        assert_int_equal(cpu_reg(f->cpu, n), n == A0 ? 0x1234u : 0);
    assert_int_equal(f->cpu->mode, MODE_KERNEL);
    assert_int_equal(f->cpu->status, STATUS_MODE);
    uint32_t v;
    for (uint32_t csr = CSR_TTR; csr <= CSR_UBOUND; csr++) {
        assert_int_equal(cpu_csr_peek(f->cpu, csr, &v), 0);
        assert_int_equal(v, 0);
    }
    assert_int_equal(cpu_csr_peek(f->cpu, CSR_STATUS, &v), 0);
    assert_int_equal(v, STATUS_MODE);
    assert_int_equal(f->cpu->cycle, 0);
    assert_int_equal(f->cpu->instret, 0);
    assert_int_equal(cpu_user_cycles(f->cpu), 0);
    assert_int_equal(cpu_kernel_cycles(f->cpu), 0);
    assert_int_equal(f->cpu->idle_cycles, 0);
    assert_false(f->cpu->halted);
    assert_int_equal(f->cpu->timer.interval, 0);
    assert_false(f->cpu->timer.pending);
    assert_int_equal(f->cpu->console.rx_count, 0);
    assert_false(f->cpu->console.rx_closed);
    assert_int_equal(f->cpu->console.ctrl, 0);
    /* RAM kept */
    assert_int_equal(fx_r32(f, FX_UBASE + FX_UCODE), rv_nop());
    /* the machine runs normally, and the hooks are still there */
    cpu_set_reg(f->cpu, A1, CONSOLE_BASE);
    cpu_set_reg(f->cpu, A2, '!');
    fx_org(f, 0x8000);
    fx_emit(f, rv_sw(A2, A1, CONSOLE_TX));
    fx_emit(f, rv_lw(A3, A1, CONSOLE_STATUS)); /* open again: asks host */
    unsigned nrx = f->nrx_wanted;
    fx_steps(f, 2);
    assert_int_equal(f->nout[1], 1);
    assert_int_equal(f->out[1][0], '!');
    assert_int_equal(f->nrx_wanted, nrx + 1);
    assert_int_equal(cpu_reg(f->cpu, A3), 0);
}

/* Reset after a halt: not halted any more. */
static void test_reset_after_halt(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, A1, POWER_BASE);
    cpu_set_reg(f->cpu, A2, 9);
    fx_emit(f, rv_sw(A2, A1, POWER_HALT));
    assert_int_equal(cpu_step(f->cpu), STOP_HALT);
    assert_true(f->cpu->halted);
    cpu_reset(f->cpu, K + 0x100, 0);
    assert_false(f->cpu->halted);
    fx_org(f, K + 0x100);
    fx_emit(f, rv_addi(A0, ZERO, 4));
    fx_step(f);
    assert_int_equal(cpu_reg(f->cpu, A0), 4);
}

static void test_reg_access(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, 0, 77);
    assert_int_equal(cpu_reg(f->cpu, 0), 0);
    cpu_set_reg(f->cpu, 31, 0xFEEDu);
    assert_int_equal(cpu_reg(f->cpu, 31), 0xFEEDu);
    assert_int_equal(f->cpu->x[31], 0xFEEDu);
}

/* A breakpoint stops cpu_run before the instruction; the next cpu_run
 * starts with it (the first instruction of a run never stops). */
static void test_breakpoints(void **state)
{
    struct fx *f = *state;
    for (int i = 0; i < 20; i++)
        fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_jal(ZERO, 0));
    assert_int_equal(cpu_break_add(f->cpu, K + 12), 0);
    assert_int_equal(cpu_break_add(f->cpu, K + 20), 0);
    assert_int_equal(cpu_run(f->cpu, 1000), STOP_BREAKPOINT);
    assert_int_equal(f->cpu->pc, K + 12);
    assert_int_equal(cpu_reg(f->cpu, A0), 3);
    assert_int_equal(f->cpu->instret, 3);
    assert_int_equal(cpu_run(f->cpu, 1000), STOP_BREAKPOINT);
    assert_int_equal(f->cpu->pc, K + 20);
    assert_int_equal(cpu_reg(f->cpu, A0), 5);
    assert_int_equal(cpu_break_remove(f->cpu, K + 20), 0);
    assert_int_equal(cpu_break_remove(f->cpu, K + 12), 0);
    assert_int_equal(cpu_run(f->cpu, 50), STOP_BUDGET);
    assert_int_equal(cpu_reg(f->cpu, A0), 20);
}

/* A breakpoint at the pc a run starts from does not stop that run, but
 * does stop it when reached again; and one in a trap handler stops. */
static void test_breakpoint_loop_and_handler(void **state)
{
    struct fx *f = *state;
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_bne(A0, A1, -4));
    fx_emit(f, RV_ECALL);
    fx_org(f, FX_HANDLER(VEC_SYSCALL));
    fx_emit(f, rv_addi(A2, ZERO, 1));
    cpu_set_reg(f->cpu, A1, 3);
    assert_int_equal(cpu_break_add(f->cpu, K), 0);
    assert_int_equal(cpu_run(f->cpu, 1000), STOP_BREAKPOINT);
    assert_int_equal(f->cpu->pc, K);
    assert_int_equal(cpu_reg(f->cpu, A0), 1);
    assert_int_equal(cpu_run(f->cpu, 1000), STOP_BREAKPOINT);
    assert_int_equal(cpu_reg(f->cpu, A0), 2);
    assert_int_equal(cpu_break_remove(f->cpu, K), 0);
    assert_int_equal(cpu_break_add(f->cpu, FX_HANDLER(VEC_SYSCALL)), 0);
    assert_int_equal(cpu_run(f->cpu, 1000), STOP_BREAKPOINT);
    assert_int_equal(f->cpu->pc, FX_HANDLER(VEC_SYSCALL));
    assert_int_equal(cpu_reg(f->cpu, A0), 3);
    assert_int_equal(f->ntraps, 1);
    assert_int_equal(cpu_reg(f->cpu, A2), 0);
}

/* The retire hook sees each retired instruction, and can stop a run. */
static void test_retire_hook(void **state)
{
    struct fx *f = *state;
    fx_hooks(f, true);
    fx_org(f, FX_HANDLER(VEC_SYSCALL));
    uint32_t rti_at = fx_emit(f, RV_RTI);
    fx_org(f, K);
    fx_emit(f, rv_addi(A0, ZERO, 1));
    fx_emit(f, RV_ECALL);             /* does not retire */
    fx_emit(f, rv_addi(A0, ZERO, 2)); /* after the rti */
    uint32_t third = fx_emit(f, rv_addi(A0, ZERO, 3));
    fx_emit(f, rv_jal(ZERO, 0));
    f->stop_at_retire = 3;
    assert_int_equal(cpu_run(f->cpu, 100000), STOP_HOOK);
    assert_int_equal(f->nretire, 3);
    assert_int_equal(f->retire_pc, third - 4);
    assert_int_equal(f->retire_insn, rv_addi(A0, ZERO, 2));
    assert_int_equal(f->cpu->pc, third);
    assert_int_equal(f->cpu->instret, 3);
    assert_int_equal(f->ntraps, 1);
    (void)rti_at;
    f->stop_at_retire = 0;
    fx_step(f);
    assert_int_equal(f->nretire, 4);
    assert_int_equal(f->retire_pc, third);
}

static void test_retire_hook_sees_rti(void **state)
{
    struct fx *f = *state;
    fx_hooks(f, true);
    fx_org(f, FX_HANDLER(VEC_SYSCALL));
    uint32_t rti_at = fx_emit(f, RV_RTI);
    fx_org(f, K);
    fx_emit(f, RV_ECALL);
    fx_steps(f, 2);
    assert_int_equal(f->nretire, 1);
    assert_int_equal(f->retire_pc, rti_at);
    assert_int_equal(f->retire_insn, RV_RTI);
}

static void test_names(void **state)
{
    (void)state;
    const uint32_t vecs[] = {VEC_ILLEGAL,    VEC_PRIVILEGED, VEC_MEMFAULT,
                             VEC_MISALIGNED, VEC_BREAKPOINT, VEC_DIVZERO,
                             VEC_SYSCALL,    VEC_TIMER,      VEC_CONSOLE};
    for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++) {
        assert_non_null(cpu_vector_name(vecs[i]));
        assert_true(cpu_vector_name(vecs[i])[0] != '\0');
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(cpu_vector_name(vecs[i]),
                                    cpu_vector_name(vecs[j]));
    }
    assert_non_null(cpu_vector_name(31));
    assert_non_null(cpu_vector_name(1000));
    for (int s = STOP_BUDGET; s <= STOP_DEADLOCK; s++) {
        assert_non_null(cpu_stop_name((enum cpu_stop)s));
        for (int t = STOP_BUDGET; t < s; t++)
            assert_string_not_equal(cpu_stop_name((enum cpu_stop)s),
                                    cpu_stop_name((enum cpu_stop)t));
    }
}

/* cpu_step on a halted machine changes nothing; cpu_run with budget 0
 * returns at once or after one instruction, never runs away. */
static void test_zero_budget(void **state)
{
    struct fx *f = *state;
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_jal(ZERO, -4));
    assert_int_equal(cpu_run(f->cpu, 0), STOP_BUDGET);
    assert_true(f->cpu->cycle <= C_ALU);
}

/* The largest budget does not overflow into "no budget at all". */
static void test_huge_budget(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, A1, POWER_BASE);
    cpu_set_reg(f->cpu, A2, 7);
    for (int i = 0; i < 100; i++)
        fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_sw(A2, A1, POWER_HALT));
    assert_int_equal(cpu_run(f->cpu, UINT64_MAX), STOP_HALT);
    assert_int_equal(f->cpu->exit_status, 7);
    assert_int_equal(cpu_reg(f->cpu, A0), 100);
}

/* The same after the counter has moved far from 0. */
static void test_huge_budget_late(void **state)
{
    struct fx *f = *state;
    f->cpu->cycle = 0xFFFFFFFF00000000ull;
    cpu_set_reg(f->cpu, A1, POWER_BASE);
    cpu_set_reg(f->cpu, A2, 8);
    for (int i = 0; i < 100; i++)
        fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_sw(A2, A1, POWER_HALT));
    assert_int_equal(cpu_run(f->cpu, UINT64_MAX / 2), STOP_HALT);
    assert_int_equal(f->cpu->exit_status, 8);
    assert_int_equal(cpu_reg(f->cpu, A0), 100);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_limits),
        T(test_reset_clears_state),
        T(test_reset_after_halt),
        T(test_reg_access),
        T(test_breakpoints),
        T(test_breakpoint_loop_and_handler),
        T(test_retire_hook),
        T(test_retire_hook_sees_rti),
        cmocka_unit_test(test_names),
        T(test_zero_budget),
        T(test_huge_budget),
        T(test_huge_budget_late),
    };
    return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}
