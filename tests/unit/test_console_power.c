/*
 * test_console_power.c: the console and power devices (docs/isa.md §7).
 *
 * Console: CONSOLE_TX (stream 1) and CONSOLE_TXERR (stream 2) reach the
 * host through hooks.console_tx; STATUS bit0 RXREADY, bit1 RXCLOSED (closed
 * and nothing queued); reading STATUS with nothing queued and input open
 * calls hooks.console_rx_wanted first; RX pops a byte (0 if none); CTRL
 * bit0 RXIE; vector 17 is pending while RXIE and input is queued.
 * Power: POWER_HALT stops with the value as exit status; POWER_PANIC stops
 * with "kernel panic" and the guest's string in halt_reason.
 */
#include "machine_fixture.h"

#define K FX_KCODE
#define CB CONSOLE_BASE
#define PB POWER_BASE

static void prep(struct fx *f)
{
    cpu_set_reg(f->cpu, T5, CB);
    cpu_set_reg(f->cpu, T6, PB);
}

static void run_to_ebreak(struct fx *f)
{
    fx_emit(f, RV_EBREAK);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
}

static void test_tx_streams(void **state)
{
    struct fx *f = *state;
    prep(f);
    cpu_set_reg(f->cpu, A0, 'H');
    cpu_set_reg(f->cpu, A1, 'i');
    cpu_set_reg(f->cpu, A2, 0x1241u); /* low byte 'A' */
    cpu_set_reg(f->cpu, A3, 'E');
    fx_emit(f, rv_sw(A0, T5, CONSOLE_TX));
    fx_emit(f, rv_sb(A1, T5, CONSOLE_TX));
    fx_emit(f, rv_sw(A2, T5, CONSOLE_TX));
    fx_emit(f, rv_sw(A3, T5, CONSOLE_TXERR));
    fx_emit(f, rv_sb(A1, T5, CONSOLE_TXERR));
    run_to_ebreak(f);
    assert_int_equal(f->nout[1], 3);
    assert_memory_equal(f->out[1], "HiA", 3);
    assert_int_equal(f->nout[2], 2);
    assert_memory_equal(f->out[2], "Ei", 2);
}

/* STATUS with nothing queued asks the host first; here the host answers
 * with "ab" at once, so that very read sees RXREADY. */
static void test_rx_wanted_then_ready(void **state)
{
    struct fx *f = *state;
    prep(f);
    f->rx_inject = "ab";
    fx_emit(f, rv_lw(S2, T5, CONSOLE_STATUS));
    fx_emit(f, rv_lw(S3, T5, CONSOLE_RX));
    fx_emit(f, rv_lw(S4, T5, CONSOLE_STATUS));
    fx_emit(f, rv_lw(S5, T5, CONSOLE_RX));
    fx_emit(f, rv_lw(S6, T5, CONSOLE_STATUS)); /* empty again: asks */
    fx_emit(f, rv_lw(S7, T5, CONSOLE_RX));     /* nothing: 0 */
    run_to_ebreak(f);
    assert_int_equal(cpu_reg(f->cpu, S2), CONSOLE_ST_RXREADY);
    assert_int_equal(cpu_reg(f->cpu, S3), 'a');
    assert_int_equal(cpu_reg(f->cpu, S4), CONSOLE_ST_RXREADY);
    assert_int_equal(cpu_reg(f->cpu, S5), 'b');
    assert_int_equal(cpu_reg(f->cpu, S6), 0);
    assert_int_equal(cpu_reg(f->cpu, S7), 0);
    assert_int_equal(f->nrx_wanted, 2);
}

/* Input queued: STATUS does not call the hook. */
static void test_status_with_input_does_not_ask(void **state)
{
    struct fx *f = *state;
    prep(f);
    assert_int_equal(cpu_console_input(f->cpu, "xy", 2), 2);
    fx_emit(f, rv_lw(S2, T5, CONSOLE_STATUS));
    fx_emit(f, rv_lbu(S3, T5, CONSOLE_RX));
    run_to_ebreak(f);
    assert_int_equal(cpu_reg(f->cpu, S2), CONSOLE_ST_RXREADY);
    assert_int_equal(cpu_reg(f->cpu, S3), 'x');
    assert_int_equal(f->nrx_wanted, 0);
}

/* Closed with a byte left: RXREADY only; RXCLOSED once it is read; a
 * closed console never asks the host. */
static void test_closed_after_last_byte(void **state)
{
    struct fx *f = *state;
    prep(f);
    assert_int_equal(cpu_console_input(f->cpu, "z", 1), 1);
    cpu_console_close(f->cpu);
    fx_emit(f, rv_lw(S2, T5, CONSOLE_STATUS));
    fx_emit(f, rv_lw(S3, T5, CONSOLE_RX));
    fx_emit(f, rv_lw(S4, T5, CONSOLE_STATUS));
    fx_emit(f, rv_lw(S5, T5, CONSOLE_RX));
    fx_emit(f, rv_lw(S6, T5, CONSOLE_STATUS));
    run_to_ebreak(f);
    assert_int_equal(cpu_reg(f->cpu, S2), CONSOLE_ST_RXREADY);
    assert_int_equal(cpu_reg(f->cpu, S3), 'z');
    assert_int_equal(cpu_reg(f->cpu, S4), CONSOLE_ST_RXCLOSED);
    assert_int_equal(cpu_reg(f->cpu, S5), 0);
    assert_int_equal(cpu_reg(f->cpu, S6), CONSOLE_ST_RXCLOSED);
    assert_int_equal(f->nrx_wanted, 0);
}

/* The host may close the input from the rx_wanted hook. */
static void test_close_from_hook(void **state)
{
    struct fx *f = *state;
    prep(f);
    f->rx_close = true;
    fx_emit(f, rv_lw(S2, T5, CONSOLE_STATUS));
    run_to_ebreak(f);
    assert_int_equal(cpu_reg(f->cpu, S2), CONSOLE_ST_RXCLOSED);
    assert_int_equal(f->nrx_wanted, 1);
}

static void test_ctrl_register(void **state)
{
    struct fx *f = *state;
    prep(f);
    cpu_set_reg(f->cpu, A0, CONSOLE_CTRL_RXIE);
    fx_emit(f, rv_lw(S2, T5, CONSOLE_CTRL));
    fx_emit(f, rv_sw(A0, T5, CONSOLE_CTRL));
    fx_emit(f, rv_lw(S3, T5, CONSOLE_CTRL));
    fx_emit(f, rv_sw(ZERO, T5, CONSOLE_CTRL));
    fx_emit(f, rv_lw(S4, T5, CONSOLE_CTRL));
    run_to_ebreak(f);
    assert_int_equal(cpu_reg(f->cpu, S2), 0);
    assert_int_equal(cpu_reg(f->cpu, S3) & CONSOLE_CTRL_RXIE,
                     CONSOLE_CTRL_RXIE);
    assert_int_equal(cpu_reg(f->cpu, S4) & CONSOLE_CTRL_RXIE, 0);
}

/* User mode with RXIE and input queued: vector 17 right after the rti;
 * the handler reads the byte, which ends the condition. */
static void test_console_interrupt_in_user_mode(void **state)
{
    struct fx *f = *state;
    prep(f);
    cpu_set_reg(f->cpu, A0, CONSOLE_CTRL_RXIE);
    fx_emit(f, rv_sw(A0, T5, CONSOLE_CTRL));
    fx_step(f);
    fx_org(f, FX_HANDLER(VEC_CONSOLE));
    fx_emit(f, rv_lui(T0, CB >> 12));
    fx_emit(f, rv_lw(T1, T0, CONSOLE_RX));
    fx_emit(f, rv_sw(T1, T0, CONSOLE_TX)); /* echo */
    fx_emit(f, RV_RTI);
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_addi(A0, ZERO, 5));
    fx_emit(f, RV_EBREAK);
    assert_int_equal(cpu_console_input(f->cpu, "m", 1), 1);
    fx_enter_user(f, FX_UCODE, 0);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_CONSOLE);
    assert_int_equal(t->info.from_mode, MODE_USER);
    assert_int_equal(t->info.epc, FX_UCODE);
    assert_int_equal(t->info.tval, 0);
    assert_int_equal(fx_frame(f, t, FRAME_X(A0)), 0);
    t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(fx_frame(f, t, FRAME_X(A0)), 5);
    assert_int_equal(f->nout[1], 1);
    assert_int_equal(f->out[1][0], 'm');
}

/* RXIE off: queued input raises nothing, even in user mode. */
static void test_no_console_interrupt_without_rxie(void **state)
{
    struct fx *f = *state;
    assert_int_equal(cpu_console_input(f->cpu, "m", 1), 1);
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_addi(A0, ZERO, 5));
    fx_emit(f, RV_EBREAK);
    fx_enter_user(f, FX_UCODE, 0);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
}

static void test_console_input_capacity(void **state)
{
    struct fx *f = *state;
    static char big[CONSOLE_RXBUF + 1000];
    memset(big, 'q', sizeof big);
    assert_int_equal(cpu_console_input(f->cpu, big, sizeof big), CONSOLE_RXBUF);
    assert_int_equal(cpu_console_input(f->cpu, "r", 1), 0);
    prep(f);
    fx_emit(f, rv_lw(S2, T5, CONSOLE_RX));
    fx_step(f);
    assert_int_equal(cpu_reg(f->cpu, S2), 'q');
    assert_int_equal(cpu_console_input(f->cpu, "rs", 2), 1);
}

/* ---- Power ----------------------------------------------------------- */
static void expect_stopped(struct fx *f, enum cpu_stop kind)
{
    assert_true(f->cpu->halted);
    assert_int_equal(cpu_run(f->cpu, 1000), kind);
    assert_int_equal(cpu_step(f->cpu), kind);
}

static void test_power_halt(void **state)
{
    struct fx *f = *state;
    prep(f);
    cpu_set_reg(f->cpu, A0, 42);
    fx_emit(f, rv_addi(A1, ZERO, 1));
    fx_emit(f, rv_sw(A0, T6, POWER_HALT));
    fx_emit(f, rv_addi(A1, ZERO, 2));
    assert_int_equal(cpu_run(f->cpu, 100000), STOP_HALT);
    assert_int_equal(f->cpu->exit_status, 42);
    assert_int_equal(cpu_reg(f->cpu, A1), 1);
    expect_stopped(f, STOP_HALT);
    assert_int_equal(cpu_reg(f->cpu, A1), 1);
}

static void test_power_halt_step_and_negative_status(void **state)
{
    struct fx *f = *state;
    prep(f);
    cpu_set_reg(f->cpu, A0, 0xFFFFFFFFu);
    fx_emit(f, rv_sw(A0, T6, POWER_HALT));
    assert_int_equal(cpu_step(f->cpu), STOP_HALT);
    assert_int_equal(f->cpu->exit_status, -1);
    expect_stopped(f, STOP_HALT);
}

static void test_power_panic_message(void **state)
{
    struct fx *f = *state;
    prep(f);
    fx_puts(f, 0x30000, "disk on fire");
    cpu_set_reg(f->cpu, A0, 0x30000);
    fx_emit(f, rv_sw(A0, T6, POWER_PANIC));
    assert_int_equal(cpu_run(f->cpu, 100000), STOP_PANIC);
    assert_non_null(strstr(f->cpu->halt_reason, "kernel panic"));
    assert_non_null(strstr(f->cpu->halt_reason, "disk on fire"));
    expect_stopped(f, STOP_PANIC);
}

/* A long message (150 characters) still reaches halt_reason whole. */
static void test_power_panic_long_message(void **state)
{
    struct fx *f = *state;
    char msg[151];
    for (int i = 0; i < 150; i++)
        msg[i] = (char)('a' + i % 26);
    msg[150] = '\0';
    prep(f);
    fx_puts(f, 0x30000, msg);
    cpu_set_reg(f->cpu, A0, 0x30000);
    fx_emit(f, rv_sw(A0, T6, POWER_PANIC));
    assert_int_equal(cpu_step(f->cpu), STOP_PANIC);
    assert_non_null(strstr(f->cpu->halt_reason, "kernel panic"));
    assert_non_null(strstr(f->cpu->halt_reason, msg));
}

static void test_power_panic_bad_strings(void **state)
{
    const uint32_t addrs[] = {0, 0x40000000u, FX_RAM - 50, FX_RAM, 0x30000};
    for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
        struct fx *f = fx_new();
        prep(f);
        /* no NUL in the last 50 bytes of RAM, nor in 300 bytes at 0x30000 */
        char fill[300];
        memset(fill, 'A', sizeof fill);
        assert_int_equal(cpu_load(f->cpu, FX_RAM - 50, fill, 50), 0);
        assert_int_equal(cpu_load(f->cpu, 0x30000, fill, sizeof fill), 0);
        cpu_set_reg(f->cpu, A0, addrs[i]);
        fx_emit(f, rv_sw(A0, T6, POWER_PANIC));
        assert_int_equal(cpu_step(f->cpu), STOP_PANIC);
        assert_non_null(strstr(f->cpu->halt_reason, "kernel panic"));
        assert_true(strlen(f->cpu->halt_reason) < HALT_REASON_MAX);
        fx_free(f);
    }
    (void)state;
}

#define CP_TESTS(setup)                                                        \
    cmocka_unit_test_setup_teardown(test_tx_streams, setup, fx_teardown),      \
        cmocka_unit_test_setup_teardown(test_rx_wanted_then_ready, setup,      \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_status_with_input_does_not_ask,   \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(test_closed_after_last_byte, setup,    \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_close_from_hook, setup,           \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_ctrl_register, setup,             \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_console_interrupt_in_user_mode,   \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(                                       \
            test_no_console_interrupt_without_rxie, setup, fx_teardown)

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest once[] = {
        T(test_console_input_capacity),
        T(test_power_halt),
        T(test_power_halt_step_and_negative_status),
        T(test_power_panic_message),
        T(test_power_panic_long_message),
        cmocka_unit_test(test_power_panic_bad_strings),
    };
    const struct CMUnitTest step_tests[] = {CP_TESTS(fx_setup)};
    const struct CMUnitTest run_tests[] = {CP_TESTS(fx_setup_run)};
    int failed = cmocka_run_group_tests_name("console/power", once, NULL, NULL);
    failed += cmocka_run_group_tests_name("console (cpu_step)", step_tests,
                                          NULL, NULL);
    failed +=
        cmocka_run_group_tests_name("console (cpu_run)", run_tests, NULL, NULL);
    return failed != 0;
}
