/*
 * test_cycles.c: the cycle model (docs/isa.md §8).
 *
 * Each instruction costs its class from one table (defaults: alu 1, load
 * 2, store 2, branch 1, taken 2, jump 2, mul 3, div 34, csr 2, fence 1,
 * wfi 1); trap entry costs trap + 36 stores (80), rti costs rti + 33 loads
 * (74), recomputed by cpu_set_costs. instret counts retired instructions;
 * user_cycles the cycles of instructions executed in user mode.
 */
#include "machine_fixture.h"

#define K FX_KCODE
#define DATA 0x30000u

/* Step one instruction and return the cycles it cost. */
static uint64_t cost_of(struct fx *f, uint32_t insn)
{
    uint32_t at = f->at;
    fx_emit(f, insn);
    f->cpu->pc = at;
    uint64_t c0 = f->cpu->cycle;
    fx_step(f);
    return f->cpu->cycle - c0;
}

static void test_default_table(void **state)
{
    (void)state;
    assert_int_equal(cost_defaults[COST_ALU], 1);
    assert_int_equal(cost_defaults[COST_LOAD], 2);
    assert_int_equal(cost_defaults[COST_STORE], 2);
    assert_int_equal(cost_defaults[COST_BRANCH], 1);
    assert_int_equal(cost_defaults[COST_BRANCH_TAKEN], 2);
    assert_int_equal(cost_defaults[COST_JUMP], 2);
    assert_int_equal(cost_defaults[COST_MUL], 3);
    assert_int_equal(cost_defaults[COST_DIV], 34);
    assert_int_equal(cost_defaults[COST_CSR], 2);
    assert_int_equal(cost_defaults[COST_FENCE], 1);
    assert_int_equal(cost_defaults[COST_TRAP], 8);
    assert_int_equal(cost_defaults[COST_RTI], 8);
    assert_int_equal(cost_defaults[COST_WFI], 1);
}

static void test_instruction_costs(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, A1, DATA);
    cpu_set_reg(f->cpu, A2, 7);
    assert_int_equal(cost_of(f, rv_addi(A0, A0, 1)), C_ALU);
    assert_int_equal(cost_of(f, rv_add(A0, A0, A2)), C_ALU);
    assert_int_equal(cost_of(f, rv_sra(A0, A0, A2)), C_ALU);
    assert_int_equal(cost_of(f, rv_sltu(A0, A0, A2)), C_ALU);
    assert_int_equal(cost_of(f, rv_lui(A0, 5)), C_ALU);
    assert_int_equal(cost_of(f, rv_auipc(A0, 5)), C_ALU);
    assert_int_equal(cost_of(f, rv_lw(A0, A1, 0)), C_LOAD);
    assert_int_equal(cost_of(f, rv_lb(A0, A1, 0)), C_LOAD);
    assert_int_equal(cost_of(f, rv_lhu(A0, A1, 0)), C_LOAD);
    assert_int_equal(cost_of(f, rv_sw(A0, A1, 0)), C_STORE);
    assert_int_equal(cost_of(f, rv_sb(A0, A1, 0)), C_STORE);
    assert_int_equal(cost_of(f, rv_sh(A0, A1, 0)), C_STORE);
    assert_int_equal(cost_of(f, rv_mul(A0, A2, A2)), C_MUL);
    assert_int_equal(cost_of(f, rv_mulh(A0, A2, A2)), C_MUL);
    assert_int_equal(cost_of(f, rv_mulhsu(A0, A2, A2)), C_MUL);
    assert_int_equal(cost_of(f, rv_mulhu(A0, A2, A2)), C_MUL);
    assert_int_equal(cost_of(f, rv_div(A0, A2, A2)), C_DIV);
    assert_int_equal(cost_of(f, rv_divu(A0, A2, A2)), C_DIV);
    assert_int_equal(cost_of(f, rv_rem(A0, A2, A2)), C_DIV);
    assert_int_equal(cost_of(f, rv_remu(A0, A2, A2)), C_DIV);
    assert_int_equal(cost_of(f, rv_div(A0, A2, ZERO)), C_DIV); /* no DZ */
    assert_int_equal(cost_of(f, rv_csrrs(A0, CSR_CYCLE, ZERO)), C_CSR);
    assert_int_equal(cost_of(f, rv_csrrw(A0, CSR_KSP, A1)), C_CSR);
    assert_int_equal(cost_of(f, RV_FENCE), C_FENCE);
    assert_int_equal(cost_of(f, RV_FENCE_I), C_FENCE);
    /* branches: not taken, taken (forward and backward) */
    assert_int_equal(cost_of(f, rv_beq(A0, A2, 64)), C_BRANCH);
    assert_int_equal(cost_of(f, rv_bne(A0, A2, 64)), C_TAKEN);
    fx_org(f, K + 0x400);
    assert_int_equal(cost_of(f, rv_bgeu(A2, ZERO, -64)), C_TAKEN);
    assert_int_equal(cost_of(f, rv_blt(A2, ZERO, -64)), C_BRANCH);
    fx_org(f, K + 0x500);
    assert_int_equal(cost_of(f, rv_jal(RA, 64)), C_JUMP);
    fx_org(f, K + 0x600);
    assert_int_equal(cost_of(f, rv_jalr(RA, A1, 0)), C_JUMP);
}

/* Trap entry and rti cost their fixed part plus the frame's traffic; a
 * trapping instruction costs the trap only. */
static void test_trap_and_rti_costs(void **state)
{
    struct fx *f = *state;
    assert_int_equal(f->cpu->trap_cost, C_TRAP);
    assert_int_equal(f->cpu->rti_cost, C_RTI);
    fx_org(f, FX_HANDLER(VEC_SYSCALL));
    fx_emit(f, RV_RTI);
    fx_org(f, K);
    fx_emit(f, RV_ECALL);
    fx_emit(f, rv_div(A0, A1, ZERO));
    fx_step(f);
    assert_int_equal(f->cpu->cycle, C_TRAP);
    assert_int_equal(f->cpu->instret, 0);
    fx_step(f);
    assert_int_equal(f->cpu->cycle, C_TRAP + C_RTI);
    assert_int_equal(f->cpu->instret, 1);
    assert_int_equal(f->cpu->pc, K + 4);
    /* with DZ the div traps: trap cost only, no div cost */
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_STATUS, STATUS_DZ), 0);
    fx_step(f);
    assert_int_equal(f->cpu->cycle, 2 * C_TRAP + C_RTI);
    assert_int_equal(f->cpu->instret, 1);
}

/* instret: rti and wfi retire, trapping instructions do not. */
static void test_instret(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, T6, TIMER_BASE);
    cpu_set_reg(f->cpu, A1, 100);
    fx_org(f, FX_HANDLER(VEC_SYSCALL));
    fx_emit(f, rv_addi(T0, ZERO, 1));
    fx_emit(f, RV_RTI);
    fx_org(f, K);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL)); /* 1 */
    fx_emit(f, RV_WFI);                        /* 2 */
    fx_emit(f, RV_ECALL);                      /* no; addi 3, rti 4 */
    fx_emit(f, rv_addi(A0, ZERO, 1));          /* 5 */
    fx_emit(f, RV_EBREAK);                     /* no */
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_SYSCALL);
    assert_int_equal(t->instret, 2);
    t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(t->instret, 5);
    assert_int_equal(f->cpu->instret, 5);
}

/* user + kernel + idle == cycle; instructions in user mode count as
 * user, trap entry and rti (kernel instructions) as kernel. */
static void test_user_kernel_split(void **state)
{
    struct fx *f = *state;
    fx_w32(f, FX_UBASE + 0x2000, 1);
    fx_uorg(f, FX_UCODE);
    for (int i = 0; i < 5; i++)
        fx_emit(f, rv_nop());           /* 5 */
    fx_emit(f, rv_lw(A0, ZERO, 0x7FC)); /* fault (va 0x7FC): 0 */
    fx_org(f, FX_HANDLER(VEC_MEMFAULT));
    /* skip the faulting lw: frame pc += 4 */
    fx_emit(f, rv_lw(T0, SP, FRAME_PC));
    fx_emit(f, rv_addi(T0, T0, 4));
    fx_emit(f, rv_sw(T0, SP, FRAME_PC));
    fx_emit(f, RV_RTI);
    fx_uorg(f, FX_UCODE + 24);
    fx_emit(f, rv_mul(A0, A0, A0)); /* 3 */
    fx_emit(f, RV_ECALL);
    fx_enter_user(f, FX_UCODE, 0);
    assert_int_equal(cpu_user_cycles(f->cpu), 0);
    assert_int_equal(cpu_kernel_cycles(f->cpu), C_RTI);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_MEMFAULT);
    assert_int_equal(cpu_user_cycles(f->cpu), 5);
    assert_int_equal(cpu_kernel_cycles(f->cpu), C_RTI + C_TRAP);
    t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_SYSCALL);
    uint64_t handler = C_LOAD + C_ALU + C_STORE + C_RTI;
    assert_int_equal(cpu_user_cycles(f->cpu), 5 + C_MUL);
    assert_int_equal(cpu_kernel_cycles(f->cpu),
                     C_RTI + C_TRAP + handler + C_TRAP);
    assert_int_equal(f->cpu->idle_cycles, 0);
    assert_int_equal(cpu_user_cycles(f->cpu) + cpu_kernel_cycles(f->cpu) +
                         f->cpu->idle_cycles,
                     f->cpu->cycle);
}

/* A timer interrupt from user mode: its entry is kernel time. */
static void test_interrupt_entry_is_kernel_time(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, T6, TIMER_BASE);
    cpu_set_reg(f->cpu, A1, 200);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL)); /* deadline 202 */
    fx_step(f);
    fx_uorg(f, FX_UCODE);
    for (int i = 0; i < 400; i++)
        fx_emit(f, rv_nop());
    fx_enter_user(f, FX_UCODE, 0); /* at 76 */
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_TIMER);
    assert_int_equal(cpu_user_cycles(f->cpu), 202 - 76);
    assert_int_equal(cpu_kernel_cycles(f->cpu), C_STORE + C_RTI + C_TRAP);
}

static void test_set_costs(void **state)
{
    struct fx *f = *state;
    uint32_t costs[NCOST];
    memcpy(costs, cost_defaults, sizeof costs);
    costs[COST_ALU] = 3;
    costs[COST_LOAD] = 5;
    costs[COST_STORE] = 1;
    costs[COST_TRAP] = 10;
    costs[COST_RTI] = 4;
    costs[COST_DIV] = 7;
    cpu_set_costs(f->cpu, costs);
    assert_int_equal(f->cpu->trap_cost, 10 + 36 * 1);
    assert_int_equal(f->cpu->rti_cost, 4 + 33 * 5);
    cpu_set_reg(f->cpu, A1, DATA);
    fx_org(f, FX_HANDLER(VEC_SYSCALL));
    fx_emit(f, RV_RTI);
    fx_org(f, K);
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_lw(A0, A1, 0));
    fx_emit(f, rv_sw(A0, A1, 0));
    fx_emit(f, rv_divu(A0, A1, A1));
    fx_emit(f, RV_ECALL);
    fx_emit(f, rv_mul(A0, A1, A1));
    fx_steps(f, 7);
    assert_int_equal(f->cpu->cycle, 3 + 5 + 1 + 7 + 46 + 169 + C_MUL);
    /* back to the defaults */
    cpu_set_costs(f->cpu, cost_defaults);
    assert_int_equal(f->cpu->trap_cost, C_TRAP);
    assert_int_equal(f->cpu->rti_cost, C_RTI);
}

/* cpu_run runs until the budget is used up (at least), or a stop. */
static void test_run_budget(void **state)
{
    struct fx *f = *state;
    for (int i = 0; i < 100; i++)
        fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_div(A1, A0, A0));
    for (int i = 0; i < 100; i++)
        fx_emit(f, rv_addi(A0, A0, 1));
    assert_int_equal(cpu_run(f->cpu, 10), STOP_BUDGET);
    assert_int_equal(f->cpu->cycle, 10);
    assert_int_equal(f->cpu->instret, 10);
    assert_int_equal(cpu_reg(f->cpu, A0), 10);
    assert_int_equal(cpu_run(f->cpu, 1), STOP_BUDGET);
    assert_int_equal(f->cpu->cycle, 11);
    assert_int_equal(cpu_run(f->cpu, 89), STOP_BUDGET);
    assert_int_equal(f->cpu->cycle, 100);
    /* the div overshoots a budget of 5: still one whole instruction */
    assert_int_equal(cpu_run(f->cpu, 5), STOP_BUDGET);
    assert_int_equal(f->cpu->cycle, 100 + C_DIV);
    assert_int_equal(f->cpu->instret, 101);
    assert_int_equal(cpu_reg(f->cpu, A1), 1);
}

/* Runs are deterministic: one long run and many short ones agree. */
static void test_deterministic_chunks(void **state)
{
    struct fx *f = *state;
    struct fx *g = fx_new();
    struct fx *m[2] = {f, g};
    for (int k = 0; k < 2; k++) {
        struct fx *x = m[k];
        cpu_set_reg(x->cpu, T6, TIMER_BASE);
        cpu_set_reg(x->cpu, A1, 97);
        fx_org(x, FX_HANDLER(VEC_TIMER));
        fx_emit(x, rv_lui(T0, TIMER_BASE >> 12));
        fx_emit(x, rv_sw(ZERO, T0, TIMER_ACK));
        fx_emit(x, RV_RTI);
        fx_org(x, K);
        fx_emit(x, rv_sw(A1, T6, TIMER_INTERVAL));
        fx_emit(x, rv_csrrsi(ZERO, CSR_STATUS, STATUS_IE));
        fx_emit(x, rv_addi(A0, A0, 1)); /* loop: a0++, a2 += a0 * 3 */
        fx_emit(x, rv_mul(A3, A0, A0));
        fx_emit(x, rv_add(A2, A2, A3));
        fx_emit(x, rv_divu(A4, A2, A0));
        fx_emit(x, rv_jal(ZERO, -16));
    }
    assert_int_equal(cpu_run(f->cpu, 100000), STOP_BUDGET);
    while (g->cpu->cycle < f->cpu->cycle)
        assert_int_equal(cpu_run(g->cpu, 37), STOP_BUDGET);
    assert_int_equal(g->cpu->cycle, f->cpu->cycle);
    assert_int_equal(g->cpu->instret, f->cpu->instret);
    assert_int_equal(g->cpu->pc, f->cpu->pc);
    assert_memory_equal(g->cpu->x, f->cpu->x, sizeof f->cpu->x);
    assert_int_equal(g->ntraps, f->ntraps);
    assert_true(f->ntraps > 100);
    fx_free(g);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_table),
        T(test_instruction_costs),
        T(test_trap_and_rti_costs),
        T(test_instret),
        T(test_user_kernel_split),
        T(test_interrupt_entry_is_kernel_time),
        T(test_set_costs),
        T(test_run_budget),
        T(test_deterministic_chunks),
    };
    const struct CMUnitTest run_tests[] = {
        cmocka_unit_test_setup_teardown(test_instret, fx_setup_run,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_user_kernel_split, fx_setup_run,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_interrupt_entry_is_kernel_time,
                                        fx_setup_run, fx_teardown),
    };
    int failed = cmocka_run_group_tests_name("cycles", tests, NULL, NULL);
    failed +=
        cmocka_run_group_tests_name("cycles (cpu_run)", run_tests, NULL, NULL);
    return failed != 0;
}
