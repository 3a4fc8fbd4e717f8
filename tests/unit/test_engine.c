/*
 * test_engine.c: what the block engine (docs/engine.md) could get wrong.
 *
 * cpu_run() executes decoded blocks and charges their cycles once per
 * block; cpu_step() executes one instruction at a time. Most tests here
 * build the same program in two machines, run one with cpu_run() and
 * step the other, and require the same traps (vector, epc, tval, cycle,
 * instret) and the same final state: the engine may only be faster.
 * Others check the expected values from docs/isa.md directly.
 */
#include <sys/resource.h>

#include "block.h"
#include "machine_fixture.h"

#define K FX_KCODE

/* rd = value, in two instructions (lui, addi) as compilers do. */
static void emit_li(struct fx *f, unsigned rd, uint32_t value)
{
    uint32_t lo = value & 0xFFFu, hi = (value >> 12) + (lo >= 0x800u);
    fx_emit(f, rv_lui(rd, hi));
    fx_emit(f, rv_addi(rd, rd, (int32_t)(lo ^ 0x800u) - 0x800));
}

/* Every trap the hooks saw, and the state now, must agree. */
static void assert_same(struct fx *f, struct fx *g)
{
    assert_int_equal(g->cpu->cycle, f->cpu->cycle);
    assert_int_equal(g->cpu->instret, f->cpu->instret);
    assert_int_equal(g->cpu->pc, f->cpu->pc);
    assert_int_equal(g->cpu->mode, f->cpu->mode);
    assert_memory_equal(g->cpu->x, f->cpu->x, sizeof f->cpu->x);
    assert_int_equal(g->ntraps, f->ntraps);
    unsigned n = f->ntraps < FX_MAX_TRAPS ? f->ntraps : FX_MAX_TRAPS;
    for (unsigned i = 0; i < n; i++) {
        const struct fx_trap *a = &f->traps[i], *b = &g->traps[i];
        assert_int_equal(b->info.vector, a->info.vector);
        assert_int_equal(b->info.epc, a->info.epc);
        assert_int_equal(b->info.tval, a->info.tval);
        assert_int_equal(b->cycle, a->cycle);
        assert_int_equal(b->instret, a->instret);
    }
}

/* Step g until it reaches f's cycle (f stopped at an instruction
 * boundary, which g passes too), or until it stops on its own. */
static void step_to(struct fx *g, uint64_t cycle)
{
    while (g->cpu->cycle < cycle)
        if (cpu_step(g->cpu) != STOP_BUDGET)
            break;
}

/* ---- A timer tick is taken where cpu_step takes it --------------------- */

static int tick_interval;

/* User code with every cost class and fused pairs, preempted by a timer
 * whose kernel handler acknowledges and returns. */
static void build_ticking(struct fx *f)
{
    fx_org(f, FX_HANDLER(VEC_TIMER));
    fx_emit(f, rv_lui(T0, TIMER_BASE >> 12));
    fx_emit(f, rv_sw(ZERO, T0, TIMER_ACK));
    fx_emit(f, RV_RTI);

    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_addi(A0, A0, 1)); /* loop: */
    fx_emit(f, rv_mul(A3, A0, A0));
    fx_emit(f, rv_sw(A3, SP, -16));
    fx_emit(f, rv_lw(A4, SP, -16));
    fx_emit(f, rv_beq(A4, ZERO, 8)); /* fused lw + beq, never taken */
    fx_emit(f, rv_add(A2, A2, A4));
    fx_emit(f, rv_divu(A5, A2, A0));
    fx_emit(f, rv_andi(A6, A0, 3));
    fx_emit(f, rv_beq(A6, ZERO, 8)); /* taken one time in four */
    fx_emit(f, rv_addi(A7, A7, 1));
    fx_emit(f, rv_addi(S1, S1, 1)); /* fused addi + bne: the back edge */
    fx_emit(f, rv_bne(S1, ZERO, -44));
    fx_emit(f, RV_EBREAK);

    /* Kernel: start the timer, then rti into the loop. */
    uint32_t frame = FX_KSTACK - FRAME_SIZE;
    for (unsigned n = 1; n < 32; n++)
        fx_w32(f, frame + FRAME_X(n), n == SP ? FX_USP : 0);
    fx_w32(f, frame + FRAME_PC, FX_UCODE);
    fx_w32(f, frame + FRAME_STATUS, 0);
    fx_org(f, K);
    fx_emit(f, rv_lui(T6, TIMER_BASE >> 12));
    fx_emit(f, rv_addi(A1, ZERO, tick_interval));
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL));
    emit_li(f, SP, frame);
    fx_emit(f, RV_RTI);
}

static void test_tick_at_the_step_boundary(void **state)
{
    (void)state;
    static const int intervals[] = {173, 211, 257, 401, 1009};
    for (unsigned i = 0; i < sizeof intervals / sizeof *intervals; i++) {
        tick_interval = intervals[i];
        struct fx *f = fx_new(), *g = fx_new();
        build_ticking(f);
        build_ticking(g);
        assert_int_equal(cpu_run(f->cpu, 60000), STOP_BUDGET);
        step_to(g, f->cpu->cycle);
        assert_true(f->ntraps > 40);
        assert_same(f, g);
        fx_free(f);
        fx_free(g);
    }
}

/* ---- Self-modifying code ------------------------------------------------ */

/* A store into the block being executed, ahead of the pc: the patched
 * instruction is the one that runs. */
static void build_patch_ahead(struct fx *f)
{
    fx_org(f, K);
    emit_li(f, T1, rv_addi(A0, A0, 100));
    fx_emit(f, rv_lui(T2, K >> 12));
    fx_emit(f, rv_sw(T1, T2, 24)); /* K + 24, three instructions on */
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_addi(A0, A0, 1)); /* K + 24: becomes addi a0, a0, 100 */
    fx_emit(f, RV_EBREAK);
}

static void test_store_into_current_block(void **state)
{
    (void)state;
    struct fx *f = fx_new(), *g = fx_new();
    f->use_run = 1;
    build_patch_ahead(f);
    build_patch_ahead(g);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(t->info.epc, K + 28);
    assert_int_equal(cpu_reg(f->cpu, A0), 102);
    assert_int_equal(f->cpu->instret, 7);
    assert_int_equal(f->cpu->cycle, 5 * C_ALU + C_STORE + C_ALU + C_TRAP);
    fx_run_to_trap(g);
    assert_same(f, g);
    fx_free(f);
    fx_free(g);
}

/* A loop whose first pass patches its own body: the second pass runs the
 * new instruction (the block decoded on the first pass must die), with
 * fence.i as RISC-V code writes it. */
static void build_patch_loop(struct fx *f)
{
    fx_org(f, K);
    fx_emit(f, rv_addi(S0, ZERO, 2));
    fx_emit(f, rv_addi(A0, A0, 1)); /* K + 4, loop: patched to += 10 */
    emit_li(f, T1, rv_addi(A0, A0, 10));
    fx_emit(f, rv_lui(T2, K >> 12));
    fx_emit(f, rv_sw(T1, T2, 4));
    fx_emit(f, RV_FENCE_I);
    fx_emit(f, rv_addi(S0, S0, -1));
    fx_emit(f, rv_bne(S0, ZERO, -28));
    fx_emit(f, RV_EBREAK);
}

static void test_patched_loop_and_fence_i(void **state)
{
    (void)state;
    struct fx *f = fx_new(), *g = fx_new();
    f->use_run = 1;
    build_patch_loop(f);
    build_patch_loop(g);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(cpu_reg(f->cpu, A0), 11);
    assert_int_equal(f->cpu->instret, 1 + 2 * 8);
    /* per pass: 5 alu, a store, fence.i, a branch; taken once */
    assert_int_equal(f->cpu->cycle, C_ALU +
                                        2 * (5 * C_ALU + C_STORE + C_FENCE) +
                                        C_TAKEN + C_BRANCH + C_TRAP);
    fx_run_to_trap(g);
    assert_same(f, g);
    fx_free(f);
    fx_free(g);
}

/* A function is called, patched by its caller, and called again: the
 * code decoded on the first call must not run again, neither as a block
 * of its own nor as part of the caller's block, which follows the jal
 * into it. */
static void build_patch_callee(struct fx *f)
{
    cpu_set_reg(f->cpu, S0, 2);
    fx_org(f, K);
    fx_emit(f, rv_jal(RA, 0x100)); /* K, loop: call K + 0x100 */
    emit_li(f, T1, rv_addi(A0, A0, 10));
    fx_emit(f, rv_lui(T2, K >> 12));
    fx_emit(f, rv_sw(T1, T2, 0x100));
    fx_emit(f, rv_addi(S0, S0, -1));
    fx_emit(f, rv_bne(S0, ZERO, -24));
    fx_emit(f, RV_EBREAK);
    fx_org(f, K + 0x100);
    fx_emit(f, rv_addi(A0, A0, 1)); /* patched to += 10 after one call */
    fx_emit(f, rv_jalr(ZERO, RA, 0));
}

static void test_patched_callee(void **state)
{
    (void)state;
    struct fx *f = fx_new(), *g = fx_new();
    f->use_run = 1;
    build_patch_callee(f);
    build_patch_callee(g);
    fx_run_to_trap(f);
    assert_int_equal(cpu_reg(f->cpu, A0), 11);
    fx_run_to_trap(g);
    assert_same(f, g);
    fx_free(f);
    fx_free(g);
}

/* The host rewrites code between runs (cpu_load): the next run sees it. */
static void test_host_rewrite_between_runs(void **state)
{
    struct fx *f = *state;
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_jal(ZERO, -4));
    assert_int_equal(cpu_run(f->cpu, 30), STOP_BUDGET);
    uint32_t a0 = cpu_reg(f->cpu, A0);
    assert_int_equal(a0, 10); /* 10 rounds of 3 cycles */
    fx_w32(f, K, rv_addi(A0, A0, 7));
    assert_int_equal(cpu_run(f->cpu, 30), STOP_BUDGET);
    assert_int_equal(cpu_reg(f->cpu, A0), a0 + 70);
}

/* UBASE need not be word aligned (docs/isa.md §4, §5: only virtual
 * addresses are checked for alignment), so a user block may start at any
 * physical byte. A loop whose first pass patches its own first
 * instruction, in a partition at UBASE + 0 .. 3: the second pass must run
 * the new instruction there too (the block decoded on the first pass must
 * die, wherever it starts). */
static void build_patch_at_base(struct fx *f, uint32_t skew)
{
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_UBASE, FX_UBASE + skew), 0);
    fx_org(f, FX_UBASE + skew + FX_UCODE);
    fx_emit(f, rv_addi(A0, A0, 1));   /* 0x1000: patched to += 100 */
    fx_emit(f, rv_bne(A1, ZERO, 28)); /* the second pass ends */
    emit_li(f, T0, rv_addi(A0, A0, 100));
    fx_emit(f, rv_lui(T1, FX_UCODE >> 12));
    fx_emit(f, rv_sw(T0, T1, 0)); /* into the running block */
    fx_emit(f, rv_addi(A1, ZERO, 1));
    fx_emit(f, rv_jalr(ZERO, T1, 0));
    fx_emit(f, RV_EBREAK); /* 0x1020 */
    fx_enter_user(f, FX_UCODE, 0);
}

static void test_patched_at_an_unaligned_base(void **state)
{
    (void)state;
    for (uint32_t skew = 0; skew < 4; skew++) {
        struct fx *f = fx_new(), *g = fx_new();
        f->use_run = 1;
        build_patch_at_base(f, skew);
        build_patch_at_base(g, skew);
        const struct fx_trap *t = fx_run_to_trap(f);
        assert_int_equal(t->info.vector, VEC_BREAKPOINT);
        assert_int_equal(t->info.epc, FX_UCODE + 0x20);
        assert_int_equal(fx_frame(f, t, FRAME_X(A0)), 101);
        fx_run_to_trap(g);
        assert_same(f, g);
        fx_free(f);
        fx_free(g);
    }
}

/* Under a UBASE that is not a multiple of 4, an aligned user sw lands on
 * unaligned bytes and can straddle two code lines: here its first byte
 * is in a line with no code, its last three in the kernel's block at
 * K + 0x200 (decoded under the kernel's window). cpu_run must see the
 * new immediate as cpu_step does. */
static void build_straddle(struct fx *f)
{
    fx_org(f, K);
    emit_li(f, T0, K + 0x200);
    fx_emit(f, rv_jalr(RA, T0, 0));
    fx_emit(f, RV_EBREAK);
    fx_org(f, K + 0x200);
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_jalr(ZERO, RA, 0));
}

static void test_store_straddling_into_code(void **state)
{
    (void)state;
    struct fx *run = fx_new(), *step = fx_new();
    run->use_run = 1;
    const uint32_t ubase = K + 0x200 - 1 - 0x2000; /* va 0x2000: K+0x1FF */
    struct fx *m[2] = {run, step};
    for (int i = 0; i < 2; i++) {
        struct fx *f = m[i];
        build_straddle(f);
        fx_run_to_trap(f); /* the kernel's block ran once: a0 = 1 */
        assert_int_equal(cpu_csr_poke(f->cpu, CSR_UBASE, ubase), 0);
        fx_org(f, ubase + FX_UCODE);
        /* the store's bytes 1..3 are the addi's bytes 0..2 */
        emit_li(f, T0, (rv_addi(A0, A0, 7) & 0xFFFFFFu) << 8);
        fx_emit(f, rv_lui(T1, 0x2));
        fx_emit(f, rv_sw(T0, T1, 0));
        fx_emit(f, RV_ECALL);
        fx_enter_user(f, FX_UCODE, 0);
        fx_run_to_trap(f); /* the ecall after the store */
        f->cpu->pc = K;
        cpu_set_reg(f->cpu, A0, 0);
        fx_run_to_trap(f); /* the patched block: a0 = 7 */
    }
    assert_int_equal(cpu_reg(step->cpu, A0), 7);
    assert_same(run, step);
    fx_free(run);
    fx_free(step);
}

/* The same straddle across a page boundary, with write tracking on: the
 * second page, not yet written, must be noted (reverse execution's
 * snapshots copy only the pages noted). */
static void test_store_straddling_into_a_tracked_page(void **state)
{
    (void)state;
    for (int use_run = 0; use_run < 2; use_run++) {
        struct fx *f = fx_new();
        f->use_run = use_run;
        /* va 0x2000 -> 0x40FFE..0x41001 */
        const uint32_t ubase = 0x41000 - 2 - 0x2000;
        assert_int_equal(cpu_csr_poke(f->cpu, CSR_UBASE, ubase), 0);
        fx_org(f, ubase + FX_UCODE);
        emit_li(f, T0, 0x11223344);
        fx_emit(f, rv_lui(T1, 0x2));
        fx_emit(f, rv_sw(T0, T1, 0));
        fx_emit(f, RV_ECALL);
        fx_enter_user(f, FX_UCODE, 0);
        assert_int_equal(cpu_track_writes(f->cpu, true), 0);
        cpu_clear_written(f->cpu);
        uint8_t z = 0; /* the first page is written already */
        assert_int_equal(cpu_load(f->cpu, 0x40FF0, &z, 1), 0);
        fx_run_to_trap(f);
        assert_int_equal(fx_r8(f, 0x41001), 0x11);
        assert_true(cpu_page_written(f->cpu, 0x41));
        fx_free(f);
    }
}

/* A block that spans a page boundary, patched in its second page. */
static void build_across_pages(struct fx *f)
{
    fx_org(f, K);
    fx_emit(f, rv_jal(ZERO, 0xFF0)); /* to K + 0xFF0 */
    fx_org(f, K + 0xFF0);
    emit_li(f, T1, rv_addi(A0, A0, 100));
    fx_emit(f, rv_lui(T2, (K + 0x1000) >> 12));
    fx_emit(f, rv_sw(T1, T2, 8));   /* K + 0x1008 */
    fx_emit(f, rv_addi(A0, A0, 1)); /* K + 0x1000: the next page */
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_addi(A0, A0, 1)); /* K + 0x1008: patched */
    fx_emit(f, RV_EBREAK);
}

static void test_block_across_a_page(void **state)
{
    (void)state;
    struct fx *f = fx_new(), *g = fx_new();
    f->use_run = 1;
    build_across_pages(f);
    build_across_pages(g);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.epc, K + 0x100C);
    assert_int_equal(cpu_reg(f->cpu, A0), 102);
    fx_run_to_trap(g);
    assert_same(f, g);
    fx_free(f);
    fx_free(g);
}

/* ---- Faults in the middle of a block ------------------------------------ */

/* Base and bounds: a load, then a store, one byte past UBOUND. */
static void build_bounds_fault(struct fx *f, bool store)
{
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_addi(A0, ZERO, 5));
    fx_emit(f, rv_addi(A1, ZERO, 7));
    fx_emit(f, rv_lui(A2, FX_UBOUND >> 12));
    fx_emit(f, rv_mul(A1, A1, A0));
    fx_emit(f, store ? rv_sw(A1, A2, 0) : rv_lw(A3, A2, 0));
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, RV_EBREAK);
}

static void bounds_fault(bool store)
{
    struct fx *f = fx_new(), *g = fx_new();
    f->use_run = 1;
    build_bounds_fault(f, store);
    build_bounds_fault(g, store);
    fx_enter_user(f, FX_UCODE, 0);
    fx_enter_user(g, FX_UCODE, 0);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_MEMFAULT);
    assert_int_equal(t->info.epc, FX_UCODE + 16);
    assert_int_equal(t->info.tval, FX_UBOUND);
    assert_int_equal(t->instret, 1 + 4); /* the rti, then four */
    assert_int_equal(t->cycle, C_RTI + 3 * C_ALU + C_MUL + C_TRAP);
    assert_int_equal(cpu_reg(f->cpu, A0), 5);
    assert_int_equal(fx_frame(f, t, FRAME_X(A1)), 35);
    fx_run_to_trap(g);
    assert_same(f, g);
    fx_free(f);
    fx_free(g);
}

static void test_bounds_fault_load_mid_block(void **state)
{
    (void)state;
    bounds_fault(false);
}

static void test_bounds_fault_store_mid_block(void **state)
{
    (void)state;
    bounds_fault(true);
}

/* A misaligned load in the middle of a block: vector 3, tval the address. */
static void test_misaligned_mid_block(void **state)
{
    struct fx *f = *state;
    f->use_run = 1;
    fx_emit(f, rv_addi(A0, ZERO, 0x103));
    fx_emit(f, rv_addi(A1, A1, 1));
    fx_emit(f, rv_lw(A2, A0, 0));
    fx_emit(f, rv_addi(A1, A1, 1));
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_MISALIGNED);
    assert_int_equal(t->info.epc, K + 8);
    assert_int_equal(t->info.tval, 0x103);
    assert_int_equal(t->instret, 2);
    assert_int_equal(t->cycle, 2 * C_ALU + C_TRAP);
}

/* ---- The window's edge --------------------------------------------------- */

/* User code runs straight into UBOUND: the instructions before it retire,
 * and the fetch at UBOUND faults with tval = pc. */
static void test_fetch_fault_at_the_window_edge(void **state)
{
    (void)state;
    struct fx *f = fx_new(), *g = fx_new();
    f->use_run = 1;
    struct fx *m[2] = {f, g};
    for (int k = 0; k < 2; k++) {
        fx_uorg(m[k], FX_UBOUND - 12);
        for (int i = 0; i < 3; i++)
            fx_emit(m[k], rv_addi(A0, A0, 1));
        fx_w32(m[k], FX_UBASE + FX_UBOUND, rv_addi(A0, A0, 1));
        fx_enter_user(m[k], FX_UBOUND - 12, 0);
    }
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_MEMFAULT);
    assert_int_equal(t->info.epc, FX_UBOUND);
    assert_int_equal(t->info.tval, FX_UBOUND);
    assert_int_equal(cpu_reg(f->cpu, A0), 3);
    assert_int_equal(t->instret, 1 + 3);
    fx_run_to_trap(g);
    assert_same(f, g);
    fx_free(f);
    fx_free(g);
}

/* The same physical code decoded first in kernel mode, where the window
 * is all of RAM and the block runs on past the user's bound, then run in
 * user mode: there it must stop at the bound. */
static void test_kernel_block_reused_in_user_mode(void **state)
{
    struct fx *f = *state;
    f->use_run = 1;
    uint32_t code = FX_UBASE + FX_UBOUND - 12; /* physical */
    fx_org(f, code);
    for (int i = 0; i < 4; i++)
        fx_emit(f, rv_addi(A0, A0, 1)); /* the 4th lies past UBOUND */
    fx_emit(f, RV_EBREAK);
    f->cpu->pc = code;
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(cpu_reg(f->cpu, A0), 4);

    fx_enter_user(f, FX_UBOUND - 12, 0); /* a0 = 0 again (the frame) */
    t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_MEMFAULT);
    assert_int_equal(t->info.epc, FX_UBOUND);
    assert_int_equal(t->info.tval, FX_UBOUND);
    assert_int_equal(fx_frame(f, t, FRAME_X(A0)), 3);
}

/* Blocks chained to each other while the bound was large; the host then
 * lowers UBOUND (as the kernel would, between two slices): the chain must
 * not carry execution past the new bound. */
static void test_bound_lowered_under_chained_blocks(void **state)
{
    struct fx *f = *state;
    const uint32_t b = 0x1F000; /* B, near the end of the partition */
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_jal(ZERO, (int32_t)(b - FX_UCODE))); /* A: jump to B */
    fx_uorg(f, b);
    for (int i = 0; i < 4; i++)
        fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_jal(ZERO, -(int32_t)(b + 16 - FX_UCODE))); /* back to A */
    fx_enter_user(f, FX_UCODE, 0);
    assert_int_equal(cpu_run(f->cpu, 200), STOP_BUDGET);
    assert_true(cpu_reg(f->cpu, A0) > 8);
    /* Stop at A (the budget ends somewhere in the loop: step there). */
    while (f->cpu->pc != FX_UCODE)
        fx_step(f);
    uint32_t a0 = cpu_reg(f->cpu, A0);
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_UBOUND, b + 8), 0);
    f->use_run = 1;
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_MEMFAULT);
    assert_int_equal(t->info.epc, b + 8);
    assert_int_equal(t->info.tval, b + 8);
    assert_int_equal(fx_frame(f, t, FRAME_X(A0)), a0 + 2);
}

/* A chain's key names one window: however many windows come and go (more
 * than there are numbers for them), two different windows never share a
 * key, or a chain made in one could be followed in the other unchecked. */
static void test_chain_keys_name_one_window(void **state)
{
    struct fx *f = *state;
    struct blocks *bc = f->cpu->blocks;
    enum { N = 3 * WINDOW_IDS };
    uint64_t key[N];
    for (uint32_t i = 0; i < N; i++) {
        blocks_window(bc, FX_UBASE, USER_NULL_GUARD, 0x10000 + 0x100 * i);
        key[i] = blocks_key(bc);
        for (uint32_t j = 0; j < i; j++)
            assert_true(key[j] != key[i]);
    }
    /* The same window again, while nothing died: the same key. */
    blocks_window(bc, FX_UBASE, USER_NULL_GUARD, 0x10000 + 0x100 * (N - 1));
    assert_true(blocks_key(bc) == key[N - 1]);
}

/* ---- Budgets ending inside a block --------------------------------------- */

/* Straight-line code of every cost, fused pairs included. */
static void build_straight(struct fx *f)
{
    fx_org(f, K);
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_addi(A1, ZERO, 9));
    fx_emit(f, rv_mul(A2, A1, A1));
    fx_emit(f, rv_sw(A2, SP, -4));
    fx_emit(f, rv_lw(A3, SP, -4));
    fx_emit(f, rv_beq(A3, ZERO, 64)); /* fused, not taken */
    fx_emit(f, rv_div(A4, A3, A1));
    fx_emit(f, rv_addi(A5, A5, 3));
    fx_emit(f, rv_bne(A5, A5, 64)); /* fused, not taken */
    fx_emit(f, rv_lui(A6, 0x12345));
    fx_emit(f, rv_addi(A6, A6, 0x678));
    fx_emit(f, rv_andi(A7, A6, 0xFF));
    fx_emit(f, rv_jal(ZERO, -48)); /* back to the start */
}

static void test_budget_ends_mid_block(void **state)
{
    (void)state;
    for (uint64_t budget = 1; budget <= 120; budget++) {
        struct fx *f = fx_new(), *g = fx_new();
        build_straight(f);
        build_straight(g);
        assert_int_equal(cpu_run(f->cpu, budget), STOP_BUDGET);
        /* The first boundary at or after the budget, and no later one. */
        assert_true(f->cpu->cycle >= budget);
        step_to(g, budget);
        assert_same(f, g);
        fx_free(f);
        fx_free(g);
    }
}

/* Many short runs and one long one agree, whatever the chunk size. */
static void test_chunked_runs_agree(void **state)
{
    (void)state;
    tick_interval = 307;
    for (uint64_t chunk = 1; chunk < 50; chunk += 7) {
        struct fx *f = fx_new(), *g = fx_new();
        build_ticking(f);
        build_ticking(g);
        assert_int_equal(cpu_run(f->cpu, 20000), STOP_BUDGET);
        while (g->cpu->cycle < f->cpu->cycle)
            assert_int_equal(cpu_run(g->cpu, chunk), STOP_BUDGET);
        assert_same(f, g);
        fx_free(f);
        fx_free(g);
    }
}

/* ---- The cost table ------------------------------------------------------ */

/* Blocks carry cycle sums from the table they were decoded with: a new
 * table must reach code decoded before it. */
static void test_new_costs_reach_decoded_code(void **state)
{
    struct fx *f = *state;
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_jal(ZERO, -8));
    assert_int_equal(cpu_run(f->cpu, 40), STOP_BUDGET);
    assert_int_equal(f->cpu->cycle, 40);
    uint32_t costs[NCOST];
    memcpy(costs, cost_defaults, sizeof costs);
    costs[COST_ALU] = 5;
    costs[COST_JUMP] = 10;
    assert_int_equal(cpu_set_costs(f->cpu, costs), 0);
    assert_int_equal(cpu_run(f->cpu, 40), STOP_BUDGET);
    assert_int_equal(f->cpu->cycle, 40 + 40);
    assert_int_equal(f->cpu->instret, 10 * 3 + 2 * 3);
}

/* x0 stays 0 whatever writes it: alu, load, jal, csr. */
static void test_x0_writes_dropped(void **state)
{
    struct fx *f = *state;
    f->use_run = 1;
    fx_emit(f, rv_addi(ZERO, ZERO, 5));
    fx_emit(f, rv_lui(ZERO, 0x12345));
    fx_emit(f, rv_lw(ZERO, SP, -4));
    fx_emit(f, rv_csrrs(ZERO, CSR_CYCLE, ZERO));
    fx_emit(f, rv_add(A0, ZERO, ZERO));
    fx_emit(f, rv_addi(A1, ZERO, 0)); /* li */
    fx_emit(f, rv_jal(ZERO, 4));
    fx_emit(f, RV_EBREAK);
    fx_w32(f, FX_KSTACK - 4, 0xDEADBEEF);
    cpu_set_reg(f->cpu, A0, 77);
    cpu_set_reg(f->cpu, A1, 78);
    fx_run_to_trap(f);
    assert_int_equal(f->cpu->x[0], 0);
    assert_int_equal(cpu_reg(f->cpu, A0), 0);
    assert_int_equal(cpu_reg(f->cpu, A1), 0);
}

/* More blocks than the arena holds: it is emptied in the middle of a run
 * (every jal is a block of its own, ~228 Ki of them in two stretches of
 * RAM around the stacks), and nothing observable changes. */
static void test_arena_flush_mid_run(void **state)
{
    struct fx *f = *state;
    f->use_run = 1;
    const uint32_t hi_start = 0x80000, end = FX_RAM - 8;
    uint32_t n = 0;
    for (uint32_t a = K; a < 0x6F000; a += 4, n++)
        fx_emit(f, rv_jal(ZERO, 4));
    fx_emit(f, rv_jal(ZERO, (int32_t)(hi_start - f->at)));
    n++;
    fx_org(f, hi_start);
    for (uint32_t a = hi_start; a < end; a += 4, n++)
        fx_emit(f, rv_jal(ZERO, 4));
    fx_emit(f, RV_EBREAK);
    for (uint64_t pass = 1; pass <= 2; pass++) {
        f->cpu->pc = K;
        const struct fx_trap *t = fx_run_to_trap(f);
        assert_int_equal(t->info.vector, VEC_BREAKPOINT);
        assert_int_equal(t->info.epc, end);
        assert_int_equal(t->instret, pass * n);
        assert_int_equal(t->cycle, pass * (n * C_JUMP + C_TRAP));
    }
}

/* RAM is reserved, not committed: a 1 GiB machine that touches a few
 * pages at both ends costs the host a few pages. */
static void test_ram_reserved_lazily(void **state)
{
    (void)state;
    struct cpu *cpu = cpu_create(1u << 30);
    assert_non_null(cpu);
    uint32_t word = rv_addi(A0, A0, 1);
    assert_int_equal(cpu_load(cpu, (1u << 30) - 8, &word, 4), 0);
    assert_int_equal(cpu_load(cpu, 0x1000, &word, 4), 0);
    assert_int_equal(cpu_zero(cpu, 0x2000, (1u << 30) - 0x3000), 0);
    cpu_reset(cpu, (1u << 30) - 8, 0);
    assert_int_equal(cpu_step(cpu), STOP_BUDGET);
    assert_int_equal(cpu_reg(cpu, A0), 1);
    struct rusage ru;
    assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
    assert_true(ru.ru_maxrss < 256 * 1024); /* KiB: far below 1 GiB */
    cpu_destroy(cpu);
}

/* ---- Fused pairs ----------------------------------------------------------
 */

/* A load or an addi, then each kind of branch on its result, with the
 * result as the branch's first operand and as its second, taken and not:
 * cpu_run (fused) lands where cpu_step (one instruction at a time, never
 * fused) does, and where the branch's definition says. */
static void test_fused_pairs_every_branch(void **state)
{
    (void)state;
    static uint32_t (*const branch[])(unsigned, unsigned, int32_t) = {
        rv_beq, rv_bne, rv_blt, rv_bge, rv_bltu, rv_bgeu};
    static const int32_t values[][2] = {{-1, 1}, {1, -1}, {5, 5}, {0, 7}};
    for (unsigned k = 0; k < 6; k++)
        for (unsigned load = 0; load < 2; load++)
            for (unsigned second = 0; second < 2; second++)
                for (unsigned v = 0; v < 4; v++) {
                    uint32_t a = (uint32_t)values[v][0];
                    uint32_t b = (uint32_t)values[v][1];
                    /* a3 (produced) and a1 in the branch's order */
                    uint32_t l = second ? b : a, r = second ? a : b;
                    bool taken[] = {l == r,
                                    l != r,
                                    (int32_t)l < (int32_t)r,
                                    (int32_t)l >= (int32_t)r,
                                    l < r,
                                    l >= r};
                    struct fx *f = fx_new(), *g = fx_new();
                    struct fx *both[] = {f, g};
                    for (unsigned i = 0; i < 2; i++) {
                        struct fx *h = both[i];
                        cpu_set_reg(h->cpu, A1, b);
                        cpu_set_reg(h->cpu, A2, a - 1);
                        fx_org(h, K);
                        fx_emit(h, rv_addi(A4, A2, 1));
                        fx_emit(h, rv_sw(A4, SP, -4));
                        fx_emit(h,
                                load ? rv_lw(A3, SP, -4) : rv_addi(A3, A2, 1));
                        fx_emit(h, second ? branch[k](A1, A3, 12)
                                          : branch[k](A3, A1, 12));
                        fx_emit(h, rv_addi(A0, ZERO, 1)); /* not taken */
                        fx_emit(h, RV_EBREAK);
                        fx_emit(h, rv_addi(A0, ZERO, 2)); /* taken */
                        fx_emit(h, RV_EBREAK);
                    }
                    assert_int_equal(cpu_run(f->cpu, 40), STOP_BUDGET);
                    step_to(g, f->cpu->cycle);
                    assert_same(f, g);
                    assert_int_equal(cpu_reg(f->cpu, A0), taken[k] ? 2 : 1);
                    fx_free(f);
                    fx_free(g);
                }
}

/* ---- Native code (jit.h) ------------------------------------------------- */

/* A hot loop gets native code where the host has a generator (x86-64),
 * and none where it has not or it is off: the other tests of this file
 * would pass without it ever running. */
static void test_native_code_where_the_host_has_it(void **state)
{
    (void)state;
    struct fx *f = fx_new();
    bool host_has_it = cpu_set_jit(f->cpu, fx_jit_hot);
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, rv_bne(A0, A1, -4));
    fx_emit(f, RV_EBREAK);
    cpu_set_reg(f->cpu, A1, 1000);
    f->use_run = 1;
    assert_int_equal(fx_run_to_trap(f)->info.vector, VEC_BREAKPOINT);
    assert_int_equal(cpu_reg(f->cpu, A0), 1000);
    const struct block *b = block_find(f->cpu->blocks, K);
    assert_non_null(b);
#if defined(__x86_64__) && defined(__linux__)
    assert_true(host_has_it);
#endif
    if (host_has_it && fx_jit_hot)
        assert_non_null(b->native);
    else
        assert_null(b->native);
    fx_free(f);
}

/* Operand values at the edges of what each operation does: signs,
 * overflow, shifts by 0 and 31, division by zero and INT_MIN / -1. */
static const uint32_t edge[] = {
    0, 1,           0xFFFFFFFFu, 0x80000000u, 0x7FFFFFFFu,
    7, 0xFFFFFFF9u, 0x80u,       0xFFFFu,     0x12345678u};
#define NEDGE (sizeof edge / sizeof edge[0])
#define RESULTS 0x60000u /* where the program stores what it computed */

typedef uint32_t (*rtype_fn)(unsigned, unsigned, unsigned);

/* For each pair of edge values: a1, a2 = the pair, a3 = a1 op a2,
 * stored; then ebreak. Run natively (and with the run loop, and
 * stepped) the results and every counter must agree. */
static void build_rtype(struct fx *f, rtype_fn op)
{
    fx_org(f, K);
    emit_li(f, S0, RESULTS);
    for (unsigned i = 0; i < NEDGE; i++)
        for (unsigned j = 0; j < NEDGE; j++) {
            emit_li(f, A1, edge[i]);
            emit_li(f, A2, edge[j]);
            fx_emit(f, op(A3, A1, A2));
            fx_emit(f, op(A4, A1, A1)); /* rd may be rs1 and rs2 too */
            fx_emit(f, rv_sw(A3, S0, 0));
            fx_emit(f, rv_sw(A4, S0, 4));
            fx_emit(f, rv_addi(S0, S0, 8));
        }
    fx_emit(f, RV_EBREAK);
}

static void same_results(struct fx *f, struct fx *g, uint32_t bytes)
{
    f->use_run = 1;
    assert_int_equal(fx_run_to_trap(f)->info.vector, VEC_BREAKPOINT);
    assert_int_equal(fx_run_to_trap(g)->info.vector, VEC_BREAKPOINT);
    assert_same(f, g);
    for (uint32_t a = RESULTS; a < RESULTS + bytes; a += 4)
        assert_int_equal(fx_r32(f, a), fx_r32(g, a));
}

static void test_native_rtype_edges(void **state)
{
    (void)state;
    static const rtype_fn ops[] = {
        rv_add,    rv_sub,   rv_sll, rv_slt,  rv_sltu, rv_xor,
        rv_srl,    rv_sra,   rv_or,  rv_and,  rv_mul,  rv_mulh,
        rv_mulhsu, rv_mulhu, rv_div, rv_divu, rv_rem,  rv_remu};
    for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        struct fx *f = fx_new(), *g = fx_new();
        build_rtype(f, ops[k]);
        build_rtype(g, ops[k]);
        same_results(f, g, NEDGE * NEDGE * 8);
        fx_free(f);
        fx_free(g);
    }
}

/* The immediate forms, shifts by each of the 32 amounts, and the
 * compare-and-set ones against both signs. */
static void build_itype(struct fx *f)
{
    static const int32_t imms[] = {0, 1, -1, 2047, -2048, 0x555};
    fx_org(f, K);
    emit_li(f, S0, RESULTS);
    for (unsigned i = 0; i < NEDGE; i++) {
        emit_li(f, A1, edge[i]);
        for (unsigned m = 0; m < sizeof imms / sizeof imms[0]; m++) {
            fx_emit(f, rv_addi(A2, A1, imms[m]));
            fx_emit(f, rv_slti(A3, A1, imms[m]));
            fx_emit(f, rv_sltiu(A4, A1, imms[m]));
            fx_emit(f, rv_xori(A5, A1, imms[m]));
            fx_emit(f, rv_ori(A6, A1, imms[m]));
            fx_emit(f, rv_andi(A7, A1, imms[m]));
            unsigned regs[] = {A2, A3, A4, A5, A6, A7};
            for (unsigned r = 0; r < 6; r++)
                fx_emit(f, rv_sw(regs[r], S0, (int32_t)(4 * r)));
            fx_emit(f, rv_addi(S0, S0, 24));
        }
        for (unsigned sh = 0; sh < 32; sh++) {
            fx_emit(f, rv_slli(A2, A1, sh));
            fx_emit(f, rv_srli(A3, A1, sh));
            fx_emit(f, rv_srai(A4, A1, sh));
            fx_emit(f, rv_sw(A2, S0, 0));
            fx_emit(f, rv_sw(A3, S0, 4));
            fx_emit(f, rv_sw(A4, S0, 8));
            fx_emit(f, rv_addi(S0, S0, 12));
        }
    }
    fx_emit(f, RV_EBREAK);
}

static void test_native_itype_edges(void **state)
{
    (void)state;
    struct fx *f = fx_new(), *g = fx_new();
    build_itype(f);
    build_itype(g);
    same_results(f, g, NEDGE * (6 * 24 + 32 * 12));
    fx_free(f);
    fx_free(g);
}

/* Every load and store width at each aligned offset: sign and zero
 * extension, and the bytes a narrow store leaves alone. */
static void build_memory(struct fx *f)
{
    fx_org(f, K);
    emit_li(f, S0, RESULTS);
    emit_li(f, S1, RESULTS + 0x1000);
    emit_li(f, A1, 0x8091A2B3u);
    emit_li(f, A2, 0xFFFFFFFFu);
    fx_emit(f, rv_sw(A2, S1, 0));
    fx_emit(f, rv_sw(A2, S1, 4));
    fx_emit(f, rv_sb(A1, S1, 1));
    fx_emit(f, rv_sh(A1, S1, 2));
    fx_emit(f, rv_sb(A1, S1, 7));
    for (int32_t at = 0; at < 8; at++) {
        fx_emit(f, rv_lb(A3, S1, at));
        fx_emit(f, rv_lbu(A4, S1, at));
        fx_emit(f, rv_sw(A3, S0, 0));
        fx_emit(f, rv_sw(A4, S0, 4));
        if (!(at & 1)) {
            fx_emit(f, rv_lh(A3, S1, at));
            fx_emit(f, rv_lhu(A4, S1, at));
            fx_emit(f, rv_sw(A3, S0, 8));
            fx_emit(f, rv_sw(A4, S0, 12));
        }
        if (!(at & 3)) {
            fx_emit(f, rv_lw(A3, S1, at));
            fx_emit(f, rv_sw(A3, S0, 16));
        }
        fx_emit(f, rv_addi(S0, S0, 20));
    }
    fx_emit(f, RV_EBREAK);
}

static void test_native_memory_widths(void **state)
{
    (void)state;
    struct fx *f = fx_new(), *g = fx_new();
    build_memory(f);
    build_memory(g);
    same_results(f, g, 8 * 20);
    assert_int_equal(fx_r32(f, RESULTS + 0x1000), 0xA2B3B3FFu);
    fx_free(f);
    fx_free(g);
}

/* ---- Breakpoints ----------------------------------------------------------
 */

/* The run loop stops at a breakpoint where the step loop does (the
 * reference: a retire hook makes cpu_run() step), with the same counters
 * and the same reason when the budget ends there too:
 * at a block's start, inside one, at the timer handler (reached by an
 * interrupt), at the kernel's first instruction after the run began
 * there, and with the breakpoints changed between runs. */
static void test_breakpoints_where_stepping_stops(void **state)
{
    (void)state;
    static const uint32_t at[][3] = {
        {FX_UCODE, 0, 0},                  /* the loop's head */
        {FX_UCODE + 16, 0, 0},             /* the fused branch */
        {FX_UCODE + 24, FX_UCODE + 36, 0}, /* mid-block, two */
        {FX_HANDLER(VEC_TIMER), 0, 0},     /* by an interrupt */
        {FX_HANDLER(VEC_TIMER) + 8, FX_UCODE + 40, FX_UCODE + 4},
        {K, K + 8, 0}, /* where the run begins */
    };
    tick_interval = 211;
    for (unsigned t = 0; t < sizeof at / sizeof at[0]; t++) {
        struct fx *f = fx_new(), *g = fx_new();
        build_ticking(f);
        build_ticking(g);
        fx_hooks(g, true);
        for (unsigned k = 0; k < 3 && at[t][k]; k++) {
            assert_int_equal(cpu_break_add(f->cpu, at[t][k]), 0);
            assert_int_equal(cpu_break_add(g->cpu, at[t][k]), 0);
        }
        unsigned stops = 0;
        for (unsigned run = 0; run < 400; run++) {
            /* Budgets that end anywhere: at a breakpoint, at an
             * interrupt, in a block; and single steps, which no
             * breakpoint stops. */
            uint64_t budget = run < 40 ? 5000 : 1 + run * 37 % 300;
            if (run % 7 == 3) {
                /* From wherever the last run stopped (often at a
                 * breakpoint), steps through a few of them. */
                for (unsigned k = 0; k < 40; k++) {
                    assert_int_equal(cpu_step(f->cpu), STOP_BUDGET);
                    assert_int_equal(cpu_step(g->cpu), STOP_BUDGET);
                }
                assert_same(f, g);
                continue;
            }
            enum cpu_stop a = cpu_run(f->cpu, budget);
            enum cpu_stop b = cpu_run(g->cpu, budget);
            assert_int_equal(a, b);
            assert_same(f, g);
            stops += a == STOP_BREAKPOINT;
            if (run == 200) { /* one more, and one fewer, mid-way */
                assert_int_equal(cpu_break_add(f->cpu, FX_UCODE + 28), 0);
                assert_int_equal(cpu_break_add(g->cpu, FX_UCODE + 28), 0);
                assert_int_equal(cpu_break_remove(f->cpu, at[t][0]), 0);
                assert_int_equal(cpu_break_remove(g->cpu, at[t][0]), 0);
            }
        }
        assert_true(stops > 20);
        fx_free(f);
        fx_free(g);
    }
}

/* A run whose first step is a trap (a fetch fault) stops at a breakpoint
 * on the handler, as the step loop does: entering the trap was a step. */
static void test_breakpoint_after_a_first_step_fault(void **state)
{
    (void)state;
    struct fx *f = fx_new(), *g = fx_new();
    fx_hooks(g, true);
    struct fx *both[] = {f, g};
    for (unsigned i = 0; i < 2; i++) {
        fx_org(both[i], FX_HANDLER(VEC_MEMFAULT));
        fx_emit(both[i], rv_addi(A0, A0, 1));
        fx_emit(both[i], RV_EBREAK);
        assert_int_equal(cpu_set_pc(both[i]->cpu, FX_RAM), 0); /* past RAM */
        assert_int_equal(cpu_break_add(both[i]->cpu, FX_HANDLER(VEC_MEMFAULT)),
                         0);
    }
    assert_int_equal(cpu_run(f->cpu, 1000), STOP_BREAKPOINT);
    assert_int_equal(cpu_run(g->cpu, 1000), STOP_BREAKPOINT);
    assert_same(f, g);
    assert_int_equal(f->cpu->pc, FX_HANDLER(VEC_MEMFAULT));
    assert_int_equal(cpu_reg(f->cpu, A0), 0);
    fx_free(f);
    fx_free(g);
}

/* A wfi waiting for the timer, with console input enabled: the host is
 * asked for input once, however many runs the wait is cut into. */
static void build_wfi_console(struct fx *f)
{
    fx_org(f, K);
    emit_li(f, T0, CONSOLE_BASE);
    fx_emit(f, rv_addi(A1, ZERO, CONSOLE_CTRL_RXIE));
    fx_emit(f, rv_sw(A1, T0, CONSOLE_CTRL));
    fx_emit(f, rv_lui(T6, TIMER_BASE >> 12));
    emit_li(f, A1, 3000);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL));
    fx_emit(f, RV_WFI);
    fx_emit(f, RV_EBREAK);
}

static void test_wfi_asks_for_input_once(void **state)
{
    (void)state;
    struct fx *f = fx_new(), *g = fx_new();
    build_wfi_console(f);
    build_wfi_console(g);
    f->stop_on_trap = g->stop_on_trap = true; /* at the ebreak */
    enum cpu_stop why;
    while ((why = cpu_run(f->cpu, 97)) == STOP_BUDGET)
        ;
    assert_int_equal(why, STOP_HOOK);
    while ((why = cpu_step(g->cpu)) == STOP_BUDGET)
        ;
    assert_int_equal(why, STOP_HOOK);
    assert_same(f, g);
    assert_int_equal(f->traps[0].info.vector, VEC_BREAKPOINT);
    assert_true(f->cpu->idle_cycles > 2000); /* it did wait, in pieces */
    assert_int_equal(g->nrx_wanted, 1);
    assert_int_equal(f->nrx_wanted, 1);
    fx_free(f);
    fx_free(g);
}

/* A wfi left waiting for console input (STOP_WAIT_INPUT), interrupts on,
 * a breakpoint on the instruction after it. The host queues input and
 * runs again: the wfi retires (a step), and a loop of cpu_step looks at
 * the breakpoint before taking the console interrupt; so must cpu_run. */
static void build_wfi_then_breakpoint(struct fx *f)
{
    fx_org(f, K);
    emit_li(f, T0, CONSOLE_BASE);
    fx_emit(f, rv_addi(A1, ZERO, CONSOLE_CTRL_RXIE));
    fx_emit(f, rv_sw(A1, T0, CONSOLE_CTRL));
    fx_emit(f, rv_csrrsi(ZERO, CSR_STATUS, STATUS_IE));
    fx_emit(f, RV_WFI);             /* K + 20 */
    fx_emit(f, rv_addi(A0, A0, 1)); /* K + 24: breakpoint */
    fx_emit(f, RV_EBREAK);
    assert_int_equal(cpu_break_add(f->cpu, K + 24), 0);
}

static void test_breakpoint_after_a_resumed_wfi(void **state)
{
    (void)state;
    struct fx *f = fx_new(), *g = fx_new();
    fx_hooks(g, true); /* g runs as the debugger's step loop */
    build_wfi_then_breakpoint(f);
    build_wfi_then_breakpoint(g);
    assert_int_equal(cpu_run(f->cpu, 1000), STOP_WAIT_INPUT);
    assert_int_equal(cpu_run(g->cpu, 1000), STOP_WAIT_INPUT);
    assert_int_equal(cpu_console_input(f->cpu, "x\n", 2), 2);
    assert_int_equal(cpu_console_input(g->cpu, "x\n", 2), 2);
    assert_int_equal(cpu_run(g->cpu, 1000), STOP_BREAKPOINT);
    assert_int_equal(cpu_run(f->cpu, 1000), STOP_BREAKPOINT);
    assert_int_equal(f->cpu->pc, K + 24);
    assert_int_equal(f->ntraps, 0); /* the interrupt is still to come */
    assert_int_equal(f->cpu->instret, 6);
    assert_same(f, g);
    /* Going on from the breakpoint: the interrupt first. */
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_CONSOLE);
    assert_int_equal(t->info.epc, K + 24);
    fx_free(f);
    fx_free(g);
}

/* The largest native code a block can need fits the room jit.c keeps
 * for one (8 KiB): blocks of 32 stores, 32 divisions and 31 branches
 * each taken to a stub. cpu_hooks.native reports each block's size. */
static size_t largest_native;

static void note_native(void *ctx, struct cpu *cpu, uint32_t pc,
                        const void *code, size_t size)
{
    (void)ctx, (void)cpu, (void)pc, (void)code;
    if (size > largest_native)
        largest_native = size;
}

static void test_native_code_fits_its_room(void **state)
{
    (void)state;
    for (unsigned kind = 0; kind < 3; kind++) {
        struct fx *f = fx_new();
        if (!cpu_set_jit(f->cpu, 1)) { /* no generator: nothing to fit */
            fx_free(f);
            return;
        }
        f->cpu->hooks.native = note_native;
        largest_native = 0;
        emit_li(f, S0, RESULTS);
        uint32_t loop = f->at;
        for (unsigned i = 0; i < 31; i++)
            fx_emit(f, kind == 0 ? rv_sw(A1 + i % 6, S0, 2044 - 4 * (int32_t)i)
                       : kind == 1
                           ? rv_divu(A1 + i % 6, A2, A3)
                           : rv_bltu(A1 + i % 6, ZERO, 4 * (int32_t)(32 - i)));
        fx_emit(f, rv_jal(ZERO, (int32_t)(loop - f->at)));
        cpu_set_reg(f->cpu, A3, 3);
        assert_int_equal(cpu_run(f->cpu, 20000), STOP_BUDGET);
        assert_true(largest_native > 31 * 8); /* it was translated */
        assert_true(largest_native < 8192);
        fx_free(f);
    }
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_native_code_where_the_host_has_it),
        cmocka_unit_test(test_native_rtype_edges),
        cmocka_unit_test(test_native_itype_edges),
        cmocka_unit_test(test_native_memory_widths),
        cmocka_unit_test(test_native_code_fits_its_room),
        cmocka_unit_test(test_breakpoints_where_stepping_stops),
        cmocka_unit_test(test_breakpoint_after_a_first_step_fault),
        cmocka_unit_test(test_breakpoint_after_a_resumed_wfi),
        cmocka_unit_test(test_wfi_asks_for_input_once),
        cmocka_unit_test(test_tick_at_the_step_boundary),
        cmocka_unit_test(test_store_into_current_block),
        cmocka_unit_test(test_patched_loop_and_fence_i),
        cmocka_unit_test(test_patched_callee),
        T(test_host_rewrite_between_runs),
        cmocka_unit_test(test_patched_at_an_unaligned_base),
        cmocka_unit_test(test_store_straddling_into_code),
        cmocka_unit_test(test_store_straddling_into_a_tracked_page),
        cmocka_unit_test(test_block_across_a_page),
        cmocka_unit_test(test_bounds_fault_load_mid_block),
        cmocka_unit_test(test_bounds_fault_store_mid_block),
        T(test_misaligned_mid_block),
        cmocka_unit_test(test_fetch_fault_at_the_window_edge),
        T(test_kernel_block_reused_in_user_mode),
        T(test_bound_lowered_under_chained_blocks),
        T(test_chain_keys_name_one_window),
        cmocka_unit_test(test_budget_ends_mid_block),
        cmocka_unit_test(test_chunked_runs_agree),
        cmocka_unit_test(test_fused_pairs_every_branch),
        T(test_new_costs_reach_decoded_code),
        T(test_x0_writes_dropped),
        T(test_arena_flush_mid_run),
        cmocka_unit_test(test_ram_reserved_lazily),
    };
    /* Every test with each engine: native code for every block from its
     * first run, the default (native code once a block is hot), and the
     * run loop alone. */
    static const struct {
        const char *name;
        unsigned hot;
    } engines[] = {{"native from the first run", 1},
                   {"native when hot (default)", CPU_JIT_HOT_DEFAULT},
                   {"run loop alone", 0}};
    int failed = 0;
    for (unsigned e = 0; e < sizeof engines / sizeof engines[0]; e++) {
        fx_jit_hot = engines[e].hot;
        failed += _cmocka_run_group_tests(
            engines[e].name, tests, sizeof tests / sizeof tests[0], NULL, NULL);
    }
    return failed;
}
