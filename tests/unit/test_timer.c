/*
 * test_timer.c: the timer device, interrupt delivery and wfi
 * (docs/isa.md §6 and §7, the spec's "Interrupts" rules).
 *
 * A store of N to TIMER_INTERVAL sets deadline = (cycle after that store
 * retires) + N; the timer is pending when cycle >= deadline at an
 * instruction boundary, and the deadline then moves to the next multiple
 * of the interval in the future (missed ticks coalesce). Only a write to
 * TIMER_ACK clears pending. An interrupt is taken between instructions
 * when pending and (mode == user || IE), with saved pc = the next
 * instruction and tval = 0.
 */
#include "machine_fixture.h"

#define K FX_KCODE
#define TB TIMER_BASE

/* Kernel registers used by the programs below: t6 = TIMER_BASE. */
static void kernel_prep(struct fx *f)
{
    cpu_set_reg(f->cpu, T6, TB);
}

/* The handler a kernel would have: acknowledge, return. */
static void timer_handler(struct fx *f)
{
    uint32_t at = f->at;
    fx_org(f, FX_HANDLER(VEC_TIMER));
    fx_emit(f, rv_lui(T0, TB >> 12));
    fx_emit(f, rv_sw(ZERO, T0, TIMER_ACK));
    fx_emit(f, RV_RTI);
    f->at = at;
}
#define HANDLER_COST (C_TRAP + C_ALU + C_STORE + C_RTI)

static void emit_nops(struct fx *f, unsigned n)
{
    while (n--)
        fx_emit(f, rv_nop());
}

static bool timer_pending(struct fx *f)
{
    /* what a kernel read of TIMER_ACK would return */
    return f->cpu->timer.pending;
}

/* First tick in user mode, on the exact cycle; user IE = 0 cannot mask. */
static void test_tick_in_user_mode_exact(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 1000);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL));
    fx_step(f);
    assert_int_equal(f->cpu->cycle, C_STORE);
    const uint64_t d0 = C_STORE + 1000;
    fx_uorg(f, FX_UCODE);
    emit_nops(f, 4000);
    timer_handler(f);
    fx_enter_user(f, FX_UCODE, 0);
    const uint64_t c_user = C_STORE + C_RTI;
    assert_int_equal(f->cpu->cycle, c_user);

    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_TIMER);
    assert_int_equal(t->info.from_mode, MODE_USER);
    assert_int_equal(t->info.tval, 0);
    assert_int_equal(fx_frame(f, t, FRAME_TVAL), 0);
    assert_int_equal(fx_frame(f, t, FRAME_CAUSE), VEC_TIMER);
    assert_int_equal(fx_frame(f, t, FRAME_STATUS), 0);
    uint32_t epc1 = FX_UCODE + 4 * (uint32_t)(d0 - c_user);
    assert_int_equal(t->info.epc, epc1);
    assert_int_equal(fx_frame(f, t, FRAME_PC), epc1);
    assert_int_equal(t->cycle, d0 + C_TRAP);
    assert_int_equal(t->instret, 2 + (d0 - c_user));

    /* periodic: the next ticks at d0 + 1000 and d0 + 2000 */
    t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_TIMER);
    assert_int_equal(t->cycle, d0 + 1000 + C_TRAP);
    uint32_t user_between = 1000 - (HANDLER_COST - C_TRAP) - C_TRAP;
    uint32_t epc2 = epc1 + 4 * user_between;
    assert_int_equal(t->info.epc, epc2);
    t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_TIMER);
    assert_int_equal(t->cycle, d0 + 2000 + C_TRAP);
    assert_int_equal(t->info.epc, epc2 + 4 * user_between);
}

/* Missed ticks coalesce into one pending interrupt; the phase is kept. */
static void test_missed_ticks_coalesce(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 100);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL)); /* cycle 2, deadline 102 */
    emit_nops(f, 1050);                        /* to cycle 1052 */
    fx_emit(f, rv_lw(A2, T6, TIMER_ACK));      /* 1 */
    fx_emit(f, rv_sw(ZERO, T6, TIMER_ACK));    /* clear */
    fx_emit(f, rv_lw(A3, T6, TIMER_ACK));      /* 0: next at 1102 */
    fx_emit(f, rv_lw(A4, T6, TIMER_INTERVAL));
    fx_emit(f, rv_csrrsi(ZERO, CSR_STATUS, STATUS_IE)); /* to 1062 */
    uint32_t nops_at = f->at;
    emit_nops(f, 200);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(f->ntraps, 1);
    assert_int_equal(cpu_reg(f->cpu, A2), 1);
    assert_int_equal(cpu_reg(f->cpu, A3), 0);
    assert_int_equal(cpu_reg(f->cpu, A4), 100);
    assert_int_equal(t->info.vector, VEC_TIMER);
    assert_int_equal(t->info.from_mode, MODE_KERNEL);
    assert_int_equal(t->cycle, 1102 + C_TRAP);
    assert_int_equal(t->info.epc, nops_at + 4 * (1102 - 1062));
    assert_int_equal(fx_frame(f, t, FRAME_STATUS), STATUS_MODE | STATUS_IE);
    assert_int_equal(f->cpu->status, STATUS_MODE);
}

/* A deadline that passes inside a long instruction is seen late; the
 * next deadline still keeps the phase of the first (102, 202, ...). */
static void test_late_detection_keeps_phase(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 100);
    cpu_set_reg(f->cpu, A2, 7);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL)); /* cycle 2, deadline 102 */
    fx_emit(f, rv_div(A3, A2, A2));            /* 36 */
    fx_emit(f, rv_div(A3, A2, A2));            /* 70 */
    fx_emit(f, rv_div(A3, A2, A2));            /* 104: pending, late */
    fx_emit(f, rv_sw(ZERO, T6, TIMER_ACK));    /* 106 */
    fx_emit(f, rv_csrrsi(ZERO, CSR_STATUS, STATUS_IE)); /* 108 */
    uint32_t nops_at = f->at;
    emit_nops(f, 200);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_TIMER);
    assert_int_equal(t->cycle, 202 + C_TRAP);
    assert_int_equal(t->info.epc, nops_at + 4 * (202 - 108));
}

/* Kernel with IE = 0: the tick stays pending; enabling IE takes it at
 * the next boundary, with saved pc = the instruction after the csr. */
static void test_masked_in_kernel_until_ie(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 10);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL)); /* deadline 12 */
    emit_nops(f, 18);                          /* to cycle 20 */
    uint32_t csr_at = fx_emit(f, rv_csrrsi(ZERO, CSR_STATUS, STATUS_IE));
    fx_emit(f, rv_addi(A0, ZERO, 1));
    fx_steps(f, 19);
    assert_int_equal(f->ntraps, 0);
    assert_true(timer_pending(f));
    assert_int_equal(f->cpu->pc, csr_at);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_TIMER);
    assert_int_equal(t->info.epc, csr_at + 4);
    assert_int_equal(t->cycle, 20 + C_CSR + C_TRAP);
    assert_int_equal(cpu_reg(f->cpu, A0), 0);
}

/* A tick pending in the kernel is taken right after rti to user mode:
 * the instruction at the rti target does not run first. */
static void test_taken_right_after_rti(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 10);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL));
    emit_nops(f, 20);
    fx_steps(f, 21);
    assert_true(timer_pending(f));
    assert_int_equal(f->ntraps, 0);
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_addi(A0, ZERO, 1));
    uint64_t i0 = f->cpu->instret, c0 = f->cpu->cycle;
    fx_enter_user(f, FX_UCODE, 0);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_TIMER);
    assert_int_equal(t->info.from_mode, MODE_USER);
    assert_int_equal(t->info.epc, FX_UCODE);
    assert_int_equal(fx_frame(f, t, FRAME_X(A0)), 0);
    assert_int_equal(t->instret, i0 + 1);
    assert_int_equal(t->cycle, c0 + C_RTI + C_TRAP);
}

/* An acknowledged tick with the timer off is never taken. */
static void test_pending_then_ack_not_taken(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 10);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL));
    emit_nops(f, 20);
    fx_emit(f, rv_sw(ZERO, T6, TIMER_ACK));
    fx_emit(f, rv_sw(ZERO, T6, TIMER_INTERVAL)); /* off */
    fx_emit(f, rv_csrrsi(ZERO, CSR_STATUS, STATUS_IE));
    emit_nops(f, 100);
    fx_emit(f, RV_EBREAK);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(f->ntraps, 1);
}

/* Interval 0 stops the ticks but does not clear a pending one. */
static void test_interval_zero_keeps_pending(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 10);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL));
    emit_nops(f, 20);
    fx_emit(f, rv_sw(ZERO, T6, TIMER_INTERVAL));
    fx_emit(f, rv_lw(A2, T6, TIMER_ACK));      /* still 1 */
    fx_emit(f, rv_lw(A3, T6, TIMER_INTERVAL)); /* 0 */
    fx_emit(f, rv_sw(ZERO, T6, TIMER_ACK));
    emit_nops(f, 500);
    fx_emit(f, rv_lw(A4, T6, TIMER_ACK)); /* 0: off */
    fx_emit(f, RV_EBREAK);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(cpu_reg(f->cpu, A2), 1);
    assert_int_equal(cpu_reg(f->cpu, A3), 0);
    assert_int_equal(cpu_reg(f->cpu, A4), 0);
    assert_false(timer_pending(f));
}

/* Rearming does not clear a pending tick: only TIMER_ACK does. */
static void test_rearm_keeps_pending(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 10);
    cpu_set_reg(f->cpu, A2, 1000);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL));
    emit_nops(f, 20);
    fx_emit(f, rv_sw(A2, T6, TIMER_INTERVAL));
    fx_emit(f, rv_lw(A3, T6, TIMER_ACK));
    fx_emit(f, RV_EBREAK);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(cpu_reg(f->cpu, A3), 1);
}

/* A second store to TIMER_INTERVAL rearms from that store. */
static void test_rearm(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 100);
    cpu_set_reg(f->cpu, A2, 30);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL));          /* deadline 102 */
    emit_nops(f, 50);                                   /* to 52 */
    fx_emit(f, rv_sw(A2, T6, TIMER_INTERVAL));          /* 54: deadline 84 */
    fx_emit(f, rv_csrrsi(ZERO, CSR_STATUS, STATUS_IE)); /* to 56 */
    uint32_t nops_at = f->at;
    emit_nops(f, 100);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_TIMER);
    assert_int_equal(t->cycle, 84 + C_TRAP);
    assert_int_equal(t->info.epc, nops_at + 4 * (84 - 56));
}

/* TIMER_COUNT_LO/HI read the cycle counter; HI is latched by LO. */
static void test_count_registers(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    f->cpu->cycle = 0x2FFFFFFFEull;
    uint64_t before = f->cpu->cycle;
    fx_emit(f, rv_lw(A0, T6, TIMER_COUNT_LO));
    uint64_t after_lo = before + C_LOAD;
    fx_emit(f, rv_lw(A1, T6, TIMER_COUNT_HI));
    fx_steps(f, 2);
    uint64_t v = (uint64_t)cpu_reg(f->cpu, A1) << 32 | cpu_reg(f->cpu, A0);
    assert_true(v >= before && v <= after_lo);
    assert_int_equal(f->cpu->cycle, before + 2 * C_LOAD);
}

/* ---- wfi ------------------------------------------------------------- */
/* IE = 0: wfi jumps the counter to the deadline and leaves it pending. */
static void test_wfi_jumps_to_deadline(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 1000);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL)); /* deadline 1002 */
    uint32_t wfi_at = fx_emit(f, RV_WFI);
    fx_emit(f, rv_lw(A2, T6, TIMER_ACK));
    fx_step(f);
    uint64_t c2 = f->cpu->cycle;
    assert_int_equal(c2, 2);
    fx_step(f);
    assert_int_equal(f->cpu->pc, wfi_at + 4);
    assert_int_equal(f->cpu->instret, 2);
    assert_true(f->cpu->cycle == 1002 || f->cpu->cycle == 1003);
    assert_int_equal(f->cpu->cycle, c2 + C_WFI + f->cpu->idle_cycles);
    assert_true(timer_pending(f));
    assert_int_equal(f->ntraps, 0);
    fx_step(f);
    assert_int_equal(cpu_reg(f->cpu, A2), 1);
    assert_int_equal(f->ntraps, 0);
    assert_int_equal(cpu_kernel_cycles(f->cpu),
                     f->cpu->cycle - f->cpu->idle_cycles);
}

/* IE = 1: the tick is taken right after the wfi, saved pc = wfi + 4. */
static void test_wfi_then_interrupt(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 500);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL)); /* deadline 502 */
    fx_emit(f, rv_csrrsi(ZERO, CSR_STATUS, STATUS_IE));
    uint32_t wfi_at = fx_emit(f, RV_WFI);
    fx_emit(f, rv_addi(A0, ZERO, 1));
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_TIMER);
    assert_int_equal(t->info.epc, wfi_at + 4);
    assert_int_equal(cpu_reg(f->cpu, A0), 0);
    uint64_t at_trap = t->cycle - C_TRAP;
    assert_true(at_trap == 502 || at_trap == 503);
    assert_int_equal(at_trap, 4 + C_WFI + f->cpu->idle_cycles);
    assert_int_equal(t->instret, 3);
}

/* Something already pending: wfi retires at once, no idle time. */
static void test_wfi_with_pending_does_not_wait(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 5);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL)); /* deadline 7 */
    emit_nops(f, 10);
    fx_emit(f, rv_sw(ZERO, T6, TIMER_INTERVAL)); /* off, still pending */
    fx_emit(f, RV_WFI);
    fx_steps(f, 12);
    uint64_t c0 = f->cpu->cycle;
    assert_true(timer_pending(f));
    fx_step(f);
    assert_int_equal(f->cpu->cycle - c0, C_WFI);
    assert_int_equal(f->cpu->idle_cycles, 0);
    assert_false(f->cpu->halted);
}

/* The budget ends before the deadline: the counter stops at the end of
 * the budget, the wfi has not retired and resumes on the next run. */
static void test_wfi_cut_by_budget(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 100000);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL)); /* deadline 100002 */
    uint32_t wfi_at = fx_emit(f, RV_WFI);
    fx_emit(f, RV_EBREAK);
    fx_step(f);
    assert_int_equal(cpu_run(f->cpu, 1000), STOP_BUDGET);
    uint64_t adv = f->cpu->cycle - 2;
    assert_true(adv == 1000 || adv == 1001);
    assert_int_equal(f->cpu->pc, wfi_at);
    assert_int_equal(f->cpu->instret, 1);
    assert_int_equal(f->ntraps, 0);
    assert_int_equal(cpu_run(f->cpu, 1000), STOP_BUDGET);
    adv = f->cpu->cycle - 2;
    assert_true(adv >= 2000 && adv <= 2002);
    assert_int_equal(f->cpu->pc, wfi_at);
    f->stop_on_trap = true;
    assert_int_equal(cpu_run(f->cpu, 1000000), STOP_HOOK);
    assert_int_equal(f->ntraps, 1);
    assert_int_equal(f->traps[0].info.vector, VEC_BREAKPOINT);
    assert_int_equal(f->traps[0].info.epc, wfi_at + 4);
    assert_int_equal(f->traps[0].instret, 2); /* the wfi retired once */
    uint64_t at_trap = f->traps[0].cycle - C_TRAP;
    assert_true(at_trap == 100002 || at_trap == 100003);
    assert_int_equal(at_trap, 2 + C_WFI + f->cpu->idle_cycles);
}

/* The wait counts as idle: neither user nor kernel time. */
static void test_wfi_user_cycles_untouched(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 3000);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL));
    fx_emit(f, RV_WFI);
    fx_steps(f, 2);
    assert_int_equal(cpu_user_cycles(f->cpu), 0);
    assert_int_equal(cpu_kernel_cycles(f->cpu) + f->cpu->idle_cycles +
                         cpu_user_cycles(f->cpu),
                     f->cpu->cycle);
    assert_true(f->cpu->idle_cycles >= 2990);
}

static void expect_deadlock(struct fx *f, enum cpu_stop why)
{
    assert_int_equal(why, STOP_DEADLOCK);
    assert_true(f->cpu->halt_reason[0] != '\0');
    uint64_t c = f->cpu->cycle;
    uint32_t pc = f->cpu->pc;
    assert_int_equal(cpu_run(f->cpu, 1000), STOP_DEADLOCK);
    assert_int_equal(cpu_step(f->cpu), STOP_DEADLOCK);
    assert_int_equal(f->cpu->cycle, c);
    assert_int_equal(f->cpu->pc, pc);
}

/* Timer off and console interrupt off: nothing can ever come. */
static void test_wfi_deadlock_nothing_enabled(void **state)
{
    struct fx *f = *state;
    fx_emit(f, RV_WFI);
    expect_deadlock(f, cpu_run(f->cpu, 1000000));
}

static void test_wfi_deadlock_step(void **state)
{
    struct fx *f = *state;
    fx_emit(f, RV_WFI);
    expect_deadlock(f, cpu_step(f->cpu));
}

/* RXIE on, input closed and empty, and the kernel has seen the close
 * (read STATUS): nothing can come any more, so wfi is a deadlock. */
static void test_wfi_deadlock_console_closed(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, T5, CONSOLE_BASE);
    cpu_set_reg(f->cpu, A1, CONSOLE_CTRL_RXIE);
    cpu_console_close(f->cpu);
    fx_emit(f, rv_sw(A1, T5, CONSOLE_CTRL));
    fx_emit(f, rv_lw(A2, T5, CONSOLE_STATUS));
    fx_emit(f, RV_WFI);
    expect_deadlock(f, cpu_run(f->cpu, 1000000));
    assert_int_equal(cpu_reg(f->cpu, A2), CONSOLE_ST_RXCLOSED);
}

/* Closing the input is an event: it wakes a wfi and raises the console
 * interrupt once, so a reader blocked in the kernel learns of the end of
 * input; reading STATUS consumes the event. */
static void test_console_close_wakes_wfi(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, T5, CONSOLE_BASE);
    cpu_set_reg(f->cpu, A1, CONSOLE_CTRL_RXIE);
    fx_emit(f, rv_sw(A1, T5, CONSOLE_CTRL));
    fx_emit(f, rv_csrrsi(ZERO, CSR_STATUS, STATUS_IE));
    uint32_t wfi_at = fx_emit(f, RV_WFI);
    assert_int_equal(cpu_run(f->cpu, 5000), STOP_WAIT_INPUT);
    assert_int_equal(f->cpu->pc, wfi_at);
    cpu_console_close(f->cpu);
    f->stop_on_trap = true;
    assert_int_equal(cpu_run(f->cpu, 5000), STOP_HOOK);
    assert_int_equal(f->traps[0].info.vector, VEC_CONSOLE);
    assert_int_equal(f->traps[0].info.epc, wfi_at + 4);
    /* The handler reads STATUS: closed, and the interrupt is gone. */
    fx_org(f, FX_HANDLER(VEC_CONSOLE));
    fx_emit(f, rv_lw(A2, T5, CONSOLE_STATUS));
    fx_emit(f, RV_EBREAK);
    f->stop_on_trap = false;
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(cpu_reg(f->cpu, A2), CONSOLE_ST_RXCLOSED);
    assert_int_equal(f->ntraps, 2);
}

/* RXIE on, input open: input may still come, so no deadlock; the input
 * then wakes the wfi. */
static void test_wfi_waits_for_console(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, T5, CONSOLE_BASE);
    cpu_set_reg(f->cpu, A1, CONSOLE_CTRL_RXIE);
    fx_emit(f, rv_sw(A1, T5, CONSOLE_CTRL));
    fx_emit(f, rv_csrrsi(ZERO, CSR_STATUS, STATUS_IE));
    uint32_t wfi_at = fx_emit(f, RV_WFI);
    uint64_t c0 = f->cpu->cycle;
    assert_int_equal(cpu_run(f->cpu, 5000), STOP_WAIT_INPUT);
    assert_false(f->cpu->halted);
    assert_int_equal(f->cpu->pc, wfi_at);
    /* Simulated time stands still while only the host can end the wait:
     * asking again changes nothing, however the runs are sliced. */
    uint64_t waited = f->cpu->cycle;
    assert_true(waited - c0 < 100);
    assert_int_equal(cpu_run(f->cpu, 5000), STOP_WAIT_INPUT);
    assert_int_equal(cpu_step(f->cpu), STOP_WAIT_INPUT);
    assert_int_equal(f->cpu->cycle, waited);
    assert_int_equal(f->cpu->idle_cycles, 0);
    assert_int_equal(f->ntraps, 0);
    assert_int_equal(cpu_console_input(f->cpu, "z", 1), 1);
    f->stop_on_trap = true;
    assert_int_equal(cpu_run(f->cpu, 5000), STOP_HOOK);
    assert_int_equal(f->traps[0].info.vector, VEC_CONSOLE);
    assert_int_equal(f->traps[0].info.epc, wfi_at + 4);
    assert_int_equal(f->traps[0].info.tval, 0);
}

/* cpu_step runs one instruction: the step that ends a wfi left waiting
 * for input retires the wfi alone, even when the interrupt that woke it
 * cannot be taken (kernel mode, IE = 0) and the next instruction could
 * run; the retire hook sees the wfi. The next step runs that instruction.
 * (Found by fuzz/fuzz_exec: one step retired two, the hook saw one.) */
static void test_step_ending_wfi_retires_only_it(void **state)
{
    struct fx *f = *state;
    fx_hooks(f, true);
    cpu_set_reg(f->cpu, T5, CONSOLE_BASE);
    cpu_set_reg(f->cpu, A1, CONSOLE_CTRL_RXIE);
    fx_emit(f, rv_sw(A1, T5, CONSOLE_CTRL));
    uint32_t wfi_at = fx_emit(f, RV_WFI);
    uint32_t next_at = fx_emit(f, rv_addi(A0, ZERO, 7));
    fx_step(f);
    assert_int_equal(cpu_step(f->cpu), STOP_WAIT_INPUT);
    uint64_t i0 = f->cpu->instret;
    unsigned r0 = f->nretire;
    cpu_console_close(f->cpu);
    fx_step(f);
    assert_int_equal(f->cpu->instret, i0 + 1);
    assert_int_equal(f->nretire, r0 + 1);
    assert_int_equal(f->retire_pc, wfi_at);
    assert_int_equal(f->retire_insn, RV_WFI);
    assert_int_equal(f->cpu->pc, next_at);
    assert_int_equal(cpu_reg(f->cpu, A0), 0);
    fx_step(f);
    assert_int_equal(cpu_reg(f->cpu, A0), 7);
    assert_int_equal(f->retire_pc, next_at);
    assert_int_equal(f->ntraps, 0);
}

/* Waiting on console input with the timer off: the host's rx_wanted hook
 * supplies input during the wait, which wakes the wfi. */
static void test_wfi_console_input_from_hook(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, T5, CONSOLE_BASE);
    cpu_set_reg(f->cpu, A1, CONSOLE_CTRL_RXIE);
    fx_emit(f, rv_sw(A1, T5, CONSOLE_CTRL));
    fx_emit(f, rv_csrrsi(ZERO, CSR_STATUS, STATUS_IE));
    uint32_t wfi_at = fx_emit(f, RV_WFI);
    f->rx_inject = "k";
    f->stop_on_trap = true;
    assert_int_equal(cpu_run(f->cpu, 5000), STOP_HOOK);
    assert_false(f->cpu->halted);
    assert_true(f->nrx_wanted >= 1);
    assert_int_equal(f->ntraps, 1);
    assert_int_equal(f->traps[0].info.vector, VEC_CONSOLE);
    assert_int_equal(f->traps[0].info.epc, wfi_at + 4);
    assert_int_equal(f->traps[0].instret, 3);
}

/* Both pending: the timer first, then the console once the timer is
 * acknowledged and rti re-enables interrupts. */
static void test_timer_before_console(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, T5, CONSOLE_BASE);
    cpu_set_reg(f->cpu, A1, 10);
    cpu_set_reg(f->cpu, A2, CONSOLE_CTRL_RXIE);
    timer_handler(f);
    fx_emit(f, rv_sw(A2, T5, CONSOLE_CTRL));
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL));
    emit_nops(f, 20);
    fx_emit(f, rv_sw(ZERO, T6, TIMER_INTERVAL)); /* off, still pending */
    fx_emit(f, rv_csrrsi(ZERO, CSR_STATUS, STATUS_IE));
    uint32_t next = fx_emit(f, rv_nop());
    assert_int_equal(cpu_console_input(f->cpu, "q", 1), 1);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_TIMER);
    assert_int_equal(t->info.epc, next);
    t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_CONSOLE);
    assert_int_equal(t->info.epc, next);
    assert_int_equal(t->info.from_mode, MODE_KERNEL);
    assert_int_equal(fx_frame(f, t, FRAME_STATUS), STATUS_MODE | STATUS_IE);
}

/* cpu_step delivers a pending interrupt as one step, stopping at the
 * handler's first instruction. */
static void test_step_delivers_interrupt(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 4);
    fx_emit(f, rv_csrrsi(ZERO, CSR_STATUS, STATUS_IE));
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL)); /* cycle 4, deadline 8 */
    emit_nops(f, 3);
    uint32_t fourth = fx_emit(f, rv_nop());
    fx_org(f, FX_HANDLER(VEC_TIMER));
    fx_emit(f, rv_addi(A5, ZERO, 1));
    fx_steps(f, 5); /* to cycle 7 */
    assert_int_equal(f->ntraps, 0);
    fx_step(f); /* the fourth nop: cycle 8 */
    assert_int_equal(f->ntraps, 0);
    fx_step(f); /* delivers the interrupt */
    assert_int_equal(f->ntraps, 1);
    assert_int_equal(f->traps[0].info.epc, fourth + 4);
    assert_int_equal(f->cpu->pc, FX_HANDLER(VEC_TIMER));
    assert_int_equal(cpu_reg(f->cpu, A5), 0);
    assert_int_equal(f->cpu->cycle, 8 + C_TRAP);
    fx_step(f);
    assert_int_equal(cpu_reg(f->cpu, A5), 1);
}

/* rti back to kernel code with IE = 1 in the frame and a tick pending:
 * taken at once, saved pc = the frame's pc. */
static void test_rti_to_kernel_with_ie_takes_pending(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 10);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL));
    emit_nops(f, 20);
    fx_emit(f, rv_sw(ZERO, T6, TIMER_INTERVAL)); /* off, still pending */
    fx_steps(f, 22);
    assert_true(timer_pending(f));
    const uint32_t frame = 0x60000, target = K + 0x800;
    for (unsigned n = 1; n < 32; n++)
        fx_w32(f, frame + FRAME_X(n), n == SP ? FX_KSTACK : 0);
    fx_w32(f, frame + FRAME_PC, target);
    fx_w32(f, frame + FRAME_STATUS, STATUS_MODE | STATUS_IE);
    fx_org(f, K + 0x400);
    fx_emit(f, RV_RTI);
    fx_org(f, target);
    fx_emit(f, rv_addi(A0, ZERO, 1));
    f->cpu->pc = K + 0x400;
    cpu_set_reg(f->cpu, SP, frame);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_TIMER);
    assert_int_equal(t->info.from_mode, MODE_KERNEL);
    assert_int_equal(t->info.epc, target);
    assert_int_equal(t->info.frame, FX_KSTACK - FRAME_SIZE);
    assert_int_equal(fx_frame(f, t, FRAME_STATUS), STATUS_MODE | STATUS_IE);
    assert_int_equal(cpu_reg(f->cpu, A0), 0);
}

/* Clearing IE again before the boundary: the tick stays pending. */
static void test_ie_cleared_keeps_pending(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 10);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL));
    emit_nops(f, 20);
    fx_emit(f, rv_sw(ZERO, T6, TIMER_INTERVAL));
    fx_emit(f, rv_csrrci(ZERO, CSR_STATUS, STATUS_IE));
    emit_nops(f, 10);
    fx_emit(f, rv_lw(A2, T6, TIMER_ACK));
    fx_emit(f, RV_EBREAK);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(cpu_reg(f->cpu, A2), 1);
}

/* An interrupt that cannot be delivered is a double fault too. */
static void test_interrupt_double_fault(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    fx_w32(f, FX_TTR + 4 * VEC_TIMER, 0);
    cpu_set_reg(f->cpu, A1, 50);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL));
    fx_step(f);
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_jal(ZERO, 0));
    fx_enter_user(f, FX_UCODE, 0);
    assert_int_equal(cpu_run(f->cpu, 100000), STOP_DOUBLE_FAULT);
    assert_true(f->cpu->halted);
    assert_true(f->cpu->halt_reason[0] != '\0');
    assert_int_equal(cpu_run(f->cpu, 100000), STOP_DOUBLE_FAULT);
}

/* The mode hook sees an interrupt taken from user mode. */
static void test_mode_hook_on_interrupt(void **state)
{
    struct fx *f = *state;
    kernel_prep(f);
    cpu_set_reg(f->cpu, A1, 100);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL));
    fx_step(f);
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_jal(ZERO, 0));
    fx_enter_user(f, FX_UCODE, 0);
    unsigned n0 = f->nmode;
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_TIMER);
    assert_int_equal(f->nmode, n0 + 1);
    assert_int_equal(f->mode_old[n0], MODE_USER);
    assert_int_equal(f->mode_new[n0], MODE_KERNEL);
}

/* Console input with RXIE turned off again raises nothing. */
static void test_console_rxie_off_masks(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, T5, CONSOLE_BASE);
    cpu_set_reg(f->cpu, A1, CONSOLE_CTRL_RXIE);
    assert_int_equal(cpu_console_input(f->cpu, "w", 1), 1);
    fx_emit(f, rv_sw(A1, T5, CONSOLE_CTRL));
    fx_emit(f, rv_sw(ZERO, T5, CONSOLE_CTRL));
    fx_emit(f, rv_csrrsi(ZERO, CSR_STATUS, STATUS_IE));
    emit_nops(f, 5);
    fx_emit(f, RV_EBREAK);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
}

#define TIMER_TESTS(setup)                                                     \
    cmocka_unit_test_setup_teardown(test_tick_in_user_mode_exact, setup,       \
                                    fx_teardown),                              \
        cmocka_unit_test_setup_teardown(test_late_detection_keeps_phase,       \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(test_missed_ticks_coalesce, setup,     \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_masked_in_kernel_until_ie, setup, \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_taken_right_after_rti, setup,     \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_pending_then_ack_not_taken,       \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(test_interval_zero_keeps_pending,      \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(test_rearm, setup, fx_teardown),       \
        cmocka_unit_test_setup_teardown(test_rearm_keeps_pending, setup,       \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_wfi_then_interrupt, setup,        \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_timer_before_console, setup,      \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(                                       \
            test_rti_to_kernel_with_ie_takes_pending, setup, fx_teardown),     \
        cmocka_unit_test_setup_teardown(test_ie_cleared_keeps_pending, setup,  \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_mode_hook_on_interrupt, setup,    \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_console_rxie_off_masks, setup,    \
                                        fx_teardown)

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest once[] = {
        T(test_count_registers),
        T(test_wfi_jumps_to_deadline),
        T(test_wfi_with_pending_does_not_wait),
        T(test_wfi_cut_by_budget),
        T(test_wfi_user_cycles_untouched),
        T(test_wfi_deadlock_nothing_enabled),
        T(test_wfi_deadlock_step),
        T(test_wfi_deadlock_console_closed),
        T(test_console_close_wakes_wfi),
        T(test_wfi_waits_for_console),
        T(test_wfi_console_input_from_hook),
        T(test_step_ending_wfi_retires_only_it),
        T(test_step_delivers_interrupt),
        T(test_interrupt_double_fault),
    };
    const struct CMUnitTest step_tests[] = {TIMER_TESTS(fx_setup)};
    const struct CMUnitTest run_tests[] = {TIMER_TESTS(fx_setup_run)};
    int failed = cmocka_run_group_tests_name("timer", once, NULL, NULL);
    failed +=
        cmocka_run_group_tests_name("timer (cpu_step)", step_tests, NULL, NULL);
    failed +=
        cmocka_run_group_tests_name("timer (cpu_run)", run_tests, NULL, NULL);
    return failed != 0;
}
