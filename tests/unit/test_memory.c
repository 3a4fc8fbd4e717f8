/*
 * test_memory.c: protection and translation (docs/isa.md §5, the spec's
 * "Memory" rules).
 *
 * User: va allowed iff 0x1000 <= va and va + size <= UBOUND and
 * UBASE + va + size <= ram_size, at physical UBASE + va; anything else
 * (devices included) is vector 2 with tval = va. Kernel: RAM and the
 * defined device registers; anything else vector 2, tval = the address.
 * Fetch follows the same rules with tval = saved pc = the pc.
 */
#define _POSIX_C_SOURCE 200809L /* fileno, pread */
#include <unistd.h>

#include "machine_fixture.h"

#define K FX_KCODE

/* Run one user instruction with a1 = va; expect it to fault (vector 2,
 * tval) or, with vector < 0, to complete. */
static const struct fx_trap *user_access(struct fx *f, uint32_t insn,
                                         uint32_t a1, uint32_t a2, int vector,
                                         uint32_t tval)
{
    f->ntraps = 0;
    fx_uorg(f, FX_UCODE);
    fx_emit(f, insn);
    fx_emit(f, RV_EBREAK);
    fx_enter_user(f, FX_UCODE, 0);
    cpu_set_reg(f->cpu, A0, 0x5555u);
    cpu_set_reg(f->cpu, A1, a1);
    cpu_set_reg(f->cpu, A2, a2);
    uint64_t i0 = f->cpu->instret;
    const struct fx_trap *t = fx_run_to_trap(f);
    if (vector < 0) {
        if (t->info.vector != VEC_BREAKPOINT)
            print_error("insn 0x%08x va 0x%x: vector %u tval 0x%x\n", insn, a1,
                        t->info.vector, t->info.tval);
        assert_int_equal(t->info.vector, VEC_BREAKPOINT);
        assert_int_equal(f->cpu->instret - i0, 1);
    } else {
        if (t->info.vector != (uint32_t)vector || t->info.tval != tval)
            print_error("insn 0x%08x va 0x%x: vector %u tval 0x%x\n", insn, a1,
                        t->info.vector, t->info.tval);
        assert_int_equal(t->info.vector, vector);
        assert_int_equal(t->info.from_mode, MODE_USER);
        assert_int_equal(t->info.epc, FX_UCODE);
        assert_int_equal(t->info.tval, tval);
        assert_int_equal(fx_frame(f, t, FRAME_TVAL), tval);
        assert_int_equal(fx_frame(f, t, FRAME_X(A0)), 0x5555u);
        assert_int_equal(f->cpu->instret, i0);
    }
    /* back to kernel state for the next call */
    cpu_set_reg(f->cpu, SP, FX_KSTACK);
    return t;
}

static void test_user_maps_to_ubase(void **state)
{
    struct fx *f = *state;
    fx_w32(f, FX_UBASE + 0x2000, 0xCAFEF00Du);
    user_access(f, rv_lw(A0, A1, 0), 0x2000, 0, -1, 0);
    assert_int_equal(cpu_reg(f->cpu, A0), 0xCAFEF00Du);
    user_access(f, rv_sw(A2, A1, 4), 0x3000, 0x12345678u, -1, 0);
    assert_int_equal(fx_r32(f, FX_UBASE + 0x3004), 0x12345678u);
    assert_int_equal(fx_r32(f, 0x3004), 0);
    user_access(f, rv_lbu(A0, A1, 0), 0x2003, 0, -1, 0);
    assert_int_equal(cpu_reg(f->cpu, A0), 0xCAu);
}

static void test_user_null_guard(void **state)
{
    struct fx *f = *state;
    fx_w32(f, FX_UBASE + 0x800, 0x77777777u);
    user_access(f, rv_lw(A0, A1, 0), 0, 0, VEC_MEMFAULT, 0);
    user_access(f, rv_lw(A0, A1, 0), 0xFFC, 0, VEC_MEMFAULT, 0xFFC);
    user_access(f, rv_lb(A0, A1, 0), 0xFFF, 0, VEC_MEMFAULT, 0xFFF);
    user_access(f, rv_sw(A2, A1, 0), 0x800, 1, VEC_MEMFAULT, 0x800);
    assert_int_equal(fx_r32(f, FX_UBASE + 0x800), 0x77777777u);
    user_access(f, rv_lw(A0, A1, -4), 0x1004, 0, -1, 0);
    user_access(f, rv_lw(A0, A1, -4), 0x1000, 0, VEC_MEMFAULT, 0xFFC);
}

static void test_user_bound(void **state)
{
    struct fx *f = *state;
    fx_w32(f, FX_UBASE + FX_UBOUND - 4, 0xABCD1234u);
    user_access(f, rv_lw(A0, A1, 0), FX_UBOUND - 4, 0, -1, 0);
    assert_int_equal(cpu_reg(f->cpu, A0), 0xABCD1234u);
    user_access(f, rv_lbu(A0, A1, 0), FX_UBOUND - 1, 0, -1, 0);
    assert_int_equal(cpu_reg(f->cpu, A0), 0xABu);
    user_access(f, rv_lhu(A0, A1, 0), FX_UBOUND - 2, 0, -1, 0);
    assert_int_equal(cpu_reg(f->cpu, A0), 0xABCDu);
    user_access(f, rv_lw(A0, A1, 0), FX_UBOUND, 0, VEC_MEMFAULT, FX_UBOUND);
    user_access(f, rv_lb(A0, A1, 0), FX_UBOUND, 0, VEC_MEMFAULT, FX_UBOUND);
    user_access(f, rv_sw(A2, A1, 0), FX_UBOUND, 5, VEC_MEMFAULT, FX_UBOUND);
    assert_int_equal(fx_r32(f, FX_UBASE + FX_UBOUND), 0);
    user_access(f, rv_sb(A2, A1, 0), FX_UBOUND + 0x1000, 5, VEC_MEMFAULT,
                FX_UBOUND + 0x1000);
}

/* va + size must not wrap around 2^32 into the allowed range. */
static void test_user_va_wrap(void **state)
{
    struct fx *f = *state;
    user_access(f, rv_lw(A0, A1, 0), 0xFFFFFFFCu, 0, VEC_MEMFAULT, 0xFFFFFFFCu);
    user_access(f, rv_lb(A0, A1, 0), 0xFFFFFFFFu, 0, VEC_MEMFAULT, 0xFFFFFFFFu);
    user_access(f, rv_sw(A2, A1, 0), 0xFFFFFFF0u, 9, VEC_MEMFAULT, 0xFFFFFFF0u);
    assert_int_equal(fx_r32(f, FX_UBASE - 16), 0);
    /* with the largest UBOUND, only the RAM check is left to catch it */
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_UBOUND, 0xFFFFFFFFu), 0);
    user_access(f, rv_lw(A0, A1, 0), 0xFFFFFFFCu, 0, VEC_MEMFAULT, 0xFFFFFFFCu);
    user_access(f, rv_lbu(A0, A1, 0), 0xFFFFFFFFu, 0, VEC_MEMFAULT,
                0xFFFFFFFFu);
    user_access(f, rv_lhu(A0, A1, 0), 0xFFFFFFFEu, 0, VEC_MEMFAULT,
                0xFFFFFFFEu);
}

/* A partition whose bound lies past the end of RAM: the RAM check. */
static void test_user_partition_past_ram(void **state)
{
    struct fx *f = *state;
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_UBOUND, FX_RAM), 0);
    const uint32_t last = FX_RAM - FX_UBASE; /* va of the end of RAM */
    fx_w32(f, FX_RAM - 4, 0x600DF00Du);
    user_access(f, rv_lw(A0, A1, 0), last - 4, 0, -1, 0);
    assert_int_equal(cpu_reg(f->cpu, A0), 0x600DF00Du);
    user_access(f, rv_lw(A0, A1, 0), last, 0, VEC_MEMFAULT, last);
    user_access(f, rv_lb(A0, A1, 0), last, 0, VEC_MEMFAULT, last);
    user_access(f, rv_sh(A2, A1, 0), last + 2, 0, VEC_MEMFAULT, last + 2);
}

static void test_user_devices_fault(void **state)
{
    struct fx *f = *state;
    user_access(f, rv_lw(A0, A1, 0), TIMER_BASE + TIMER_COUNT_LO, 0,
                VEC_MEMFAULT, TIMER_BASE + TIMER_COUNT_LO);
    user_access(f, rv_sw(A2, A1, 0), CONSOLE_BASE + CONSOLE_TX, 'x',
                VEC_MEMFAULT, CONSOLE_BASE + CONSOLE_TX);
    user_access(f, rv_sw(A2, A1, 0), POWER_BASE + POWER_HALT, 0, VEC_MEMFAULT,
                POWER_BASE + POWER_HALT);
    assert_int_equal(f->nout[1], 0);
    assert_false(f->cpu->halted);
    /* even with a bound that covers the device addresses */
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_UBOUND, 0xFFFFFFFFu), 0);
    user_access(f, rv_sw(A2, A1, 0), CONSOLE_BASE + CONSOLE_TX, 'y',
                VEC_MEMFAULT, CONSOLE_BASE + CONSOLE_TX);
    user_access(f, rv_sw(A2, A1, 0), POWER_BASE + POWER_HALT, 0, VEC_MEMFAULT,
                POWER_BASE + POWER_HALT);
    assert_int_equal(f->nout[1], 0);
    assert_false(f->cpu->halted);
}

/* Run one kernel instruction with a1 = address: fault or complete. */
static void kernel_access(struct fx *f, uint32_t insn, uint32_t a1, uint32_t a2,
                          int vector, uint32_t tval)
{
    f->ntraps = 0;
    fx_org(f, K);
    f->cpu->pc = K;
    cpu_set_reg(f->cpu, SP, FX_KSTACK);
    cpu_set_reg(f->cpu, A0, 0x5555u);
    cpu_set_reg(f->cpu, A1, a1);
    cpu_set_reg(f->cpu, A2, a2);
    fx_emit(f, insn);
    fx_emit(f, RV_EBREAK);
    const struct fx_trap *t = fx_run_to_trap(f);
    uint32_t want = vector < 0 ? VEC_BREAKPOINT : (uint32_t)vector;
    if (t->info.vector != want || (vector >= 0 && t->info.tval != tval))
        print_error("insn 0x%08x addr 0x%x: vector %u tval 0x%x\n", insn, a1,
                    t->info.vector, t->info.tval);
    assert_int_equal(t->info.vector, want);
    if (vector >= 0) {
        assert_int_equal(t->info.epc, K);
        assert_int_equal(t->info.tval, tval);
        assert_int_equal(cpu_reg(f->cpu, A0), 0x5555u);
    }
}

static void test_kernel_ram_edges(void **state)
{
    struct fx *f = *state;
    fx_w32(f, FX_RAM - 4, 0x89ABCDEFu);
    kernel_access(f, rv_lw(A0, A1, 0), FX_RAM - 4, 0, -1, 0);
    assert_int_equal(cpu_reg(f->cpu, A0), 0x89ABCDEFu);
    kernel_access(f, rv_lbu(A0, A1, 0), FX_RAM - 1, 0, -1, 0);
    assert_int_equal(cpu_reg(f->cpu, A0), 0x89u);
    kernel_access(f, rv_lw(A0, A1, 0), FX_RAM, 0, VEC_MEMFAULT, FX_RAM);
    kernel_access(f, rv_lb(A0, A1, 0), FX_RAM, 0, VEC_MEMFAULT, FX_RAM);
    kernel_access(f, rv_sw(A2, A1, 0), FX_RAM, 1, VEC_MEMFAULT, FX_RAM);
    kernel_access(f, rv_sb(A2, A1, 0), 0x10000000u, 1, VEC_MEMFAULT,
                  0x10000000u);
    kernel_access(f, rv_lw(A0, A1, 0), 0xEFFFFFFCu, 0, VEC_MEMFAULT,
                  0xEFFFFFFCu);
    kernel_access(f, rv_lw(A0, A1, 0), 0xFFFFFFFCu, 0, VEC_MEMFAULT,
                  0xFFFFFFFCu);
    kernel_access(f, rv_lbu(A0, A1, 0), 0xFFFFFFFFu, 0, VEC_MEMFAULT,
                  0xFFFFFFFFu);
    /* kernel mode ignores the user partition and the null guard */
    fx_w32(f, 0x10, 0x13579BDFu);
    kernel_access(f, rv_lw(A0, A1, 0), 0x10, 0, -1, 0);
    assert_int_equal(cpu_reg(f->cpu, A0), 0x13579BDFu);
}

static void test_kernel_undefined_device_registers(void **state)
{
    struct fx *f = *state;
    const uint32_t bad[] = {
        TIMER_BASE + 0x10,   TIMER_BASE + 0x100,   TIMER_BASE + 0xFFC,
        CONSOLE_BASE + 0x14, CONSOLE_BASE + 0x800, POWER_BASE + 0x08,
        POWER_BASE + 0xFFC,  0xF0003000u,          0xF0004000u,
        0xFFFFF000u,
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        kernel_access(f, rv_lw(A0, A1, 0), bad[i], 0, VEC_MEMFAULT, bad[i]);
        kernel_access(f, rv_sw(A2, A1, 0), bad[i], 0, VEC_MEMFAULT, bad[i]);
    }
    assert_false(f->cpu->halted);
    assert_int_equal(f->nout[1] + f->nout[2], 0);
    /* the defined ones work */
    kernel_access(f, rv_lw(A0, A1, 0), TIMER_BASE + TIMER_INTERVAL, 0, -1, 0);
    assert_int_equal(cpu_reg(f->cpu, A0), 0);
    kernel_access(f, rv_sw(A2, A1, 0), CONSOLE_BASE + CONSOLE_TX, 'k', -1, 0);
    assert_int_equal(f->nout[1], 1);
}

/* Fetch from user mode at upc must raise vector with tval = saved pc =
 * the pc. Entered through rti, which retires first. */
static void user_fetch_trap(struct fx *f, uint32_t upc, uint32_t vector)
{
    f->ntraps = 0;
    cpu_set_reg(f->cpu, SP, FX_KSTACK);
    uint64_t i0 = f->cpu->instret;
    fx_enter_user_at(f, FX_KSTACK - FRAME_SIZE, upc, 0);
    if (f->ntraps == 0) {
        assert_int_equal(f->cpu->mode, MODE_USER);
        fx_run_to_trap(f);
    }
    const struct fx_trap *t = &f->traps[0];
    assert_int_equal(f->ntraps, 1);
    if (t->info.vector != vector || t->info.tval != upc)
        print_error("fetch at 0x%x: vector %u tval 0x%x\n", upc, t->info.vector,
                    t->info.tval);
    assert_int_equal(t->info.vector, vector);
    assert_int_equal(t->info.from_mode, MODE_USER);
    assert_int_equal(t->info.epc, upc);
    assert_int_equal(t->info.tval, upc);
    assert_int_equal(fx_frame(f, t, FRAME_PC), upc);
    assert_int_equal(f->cpu->instret - i0, 1); /* only the rti */
}

/* pc outside [0x1000, UBOUND) faults (vector 2). */
static void user_fetch_fault(struct fx *f, uint32_t upc)
{
    user_fetch_trap(f, upc, VEC_MEMFAULT);
}

/* A pc that is not a multiple of 4 (only rti can produce one: jumps and
 * branches check their targets) is a misaligned fetch, vector 3, even
 * where it is also out of bounds. */
static void test_misaligned_fetch(void **state)
{
    struct fx *f = *state;
    user_fetch_trap(f, FX_UCODE + 2, VEC_MISALIGNED);
    user_fetch_trap(f, FX_UCODE + 1, VEC_MISALIGNED);
    user_fetch_trap(f, 2, VEC_MISALIGNED);
    user_fetch_trap(f, FX_UBOUND + 3, VEC_MISALIGNED);

    /* The same from kernel mode: rti to a kernel pc off by two. */
    f->ntraps = 0;
    uint32_t frame = FX_KSTACK - FRAME_SIZE;
    fx_enter_user_at(f, frame, FX_KCODE + 2, STATUS_MODE);
    assert_int_equal(f->cpu->mode, MODE_KERNEL);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_MISALIGNED);
    assert_int_equal(t->info.from_mode, MODE_KERNEL);
    assert_int_equal(t->info.epc, FX_KCODE + 2);
    assert_int_equal(t->info.tval, FX_KCODE + 2);
}

static void test_user_fetch_faults(void **state)
{
    struct fx *f = *state;
    user_fetch_fault(f, 0);
    user_fetch_fault(f, 0x800);
    user_fetch_fault(f, 0xFFC);
    user_fetch_fault(f, FX_UBOUND);
    user_fetch_fault(f, FX_UBOUND + 0x1000);
    user_fetch_fault(f, 0xFFFFFFFCu);
    user_fetch_fault(f, TIMER_BASE);
}

static void test_user_fetch_past_ram(void **state)
{
    struct fx *f = *state;
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_UBOUND, 0x00200000u), 0);
    user_fetch_fault(f, FX_RAM - FX_UBASE);
    user_fetch_fault(f, FX_RAM - FX_UBASE + 0x100);
}

/* The last word below UBOUND runs; the next one faults. */
static void test_user_fetch_last_word(void **state)
{
    struct fx *f = *state;
    fx_uorg(f, FX_UBOUND - 8);
    fx_emit(f, rv_addi(A0, ZERO, 3));
    fx_emit(f, rv_addi(A1, ZERO, 4));
    fx_enter_user(f, FX_UBOUND - 8, 0);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_MEMFAULT);
    assert_int_equal(t->info.epc, FX_UBOUND);
    assert_int_equal(t->info.tval, FX_UBOUND);
    assert_int_equal(fx_frame(f, t, FRAME_X(A0)), 3);
    assert_int_equal(fx_frame(f, t, FRAME_X(A1)), 4);
}

/* A user jump below the guard: the jump retires, the fetch faults. */
static void test_user_jump_to_null(void **state)
{
    struct fx *f = *state;
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_jalr(RA, ZERO, 0));
    fx_enter_user(f, FX_UCODE, 0);
    uint64_t i0 = f->cpu->instret;
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_MEMFAULT);
    assert_int_equal(t->info.epc, 0);
    assert_int_equal(t->info.tval, 0);
    assert_int_equal(fx_frame(f, t, FRAME_X(RA)), FX_UCODE + 4);
    assert_int_equal(f->cpu->instret - i0, 1);
}

static void kernel_fetch_fault(struct fx *f, uint32_t target)
{
    f->ntraps = 0;
    fx_org(f, K);
    f->cpu->pc = K;
    cpu_set_reg(f->cpu, SP, FX_KSTACK);
    cpu_set_reg(f->cpu, A1, target);
    fx_emit(f, rv_jalr(ZERO, A1, 0));
    const struct fx_trap *t = fx_run_to_trap(f);
    if (t->info.vector != VEC_MEMFAULT || t->info.tval != target)
        print_error("fetch at 0x%x: vector %u tval 0x%x\n", target,
                    t->info.vector, t->info.tval);
    assert_int_equal(t->info.vector, VEC_MEMFAULT);
    assert_int_equal(t->info.from_mode, MODE_KERNEL);
    assert_int_equal(t->info.epc, target);
    assert_int_equal(t->info.tval, target);
}

static void test_kernel_fetch_faults(void **state)
{
    struct fx *f = *state;
    kernel_fetch_fault(f, FX_RAM);
    kernel_fetch_fault(f, 0x40000000u);
    kernel_fetch_fault(f, TIMER_BASE);
    kernel_fetch_fault(f, CONSOLE_BASE + CONSOLE_RX);
    kernel_fetch_fault(f, 0xFFFFFFFCu);
}

/* UBASE written by kernel code (csrrw) applies to the next user run. */
static void test_ubase_change_applies(void **state)
{
    struct fx *f = *state;
    const uint32_t nb = 0x50000;
    fx_w32(f, nb + 0x2000, 0x0B0B0B0Bu);
    fx_w32(f, FX_UBASE + 0x2000, 0x0A0A0A0Au);
    fx_w32(f, nb + FX_UCODE, rv_lw(A0, A1, 0));
    fx_w32(f, nb + FX_UCODE + 4, RV_EBREAK);
    /* a first run in the old partition, so a window exists */
    user_access(f, rv_lw(A0, A1, 0), 0x2000, 0, -1, 0);
    assert_int_equal(cpu_reg(f->cpu, A0), 0x0A0A0A0Au);
    /* kernel: csrrw UBASE, then rti into the new partition */
    f->ntraps = 0;
    const uint32_t frame = FX_KSTACK - FRAME_SIZE;
    for (unsigned n = 1; n < 32; n++)
        fx_w32(f, frame + FRAME_X(n), n == A1 ? 0x2000 : 0);
    fx_w32(f, frame + FRAME_PC, FX_UCODE);
    fx_w32(f, frame + FRAME_STATUS, 0);
    fx_org(f, K);
    f->cpu->pc = K;
    cpu_set_reg(f->cpu, SP, frame);
    cpu_set_reg(f->cpu, T0, nb);
    fx_emit(f, rv_csrrw(T1, CSR_UBASE, T0));
    fx_emit(f, RV_RTI);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(t->info.from_mode, MODE_USER);
    assert_int_equal(fx_frame(f, t, FRAME_X(A0)), 0x0B0B0B0Bu);
}

/* Two processes with code at the same virtual address in different
 * partitions: each runs its own instructions (decoded code is found by
 * physical address, not by pc). */
static void test_two_partitions_same_va(void **state)
{
    struct fx *f = *state;
    const uint32_t nb = 0x50000;
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, RV_EBREAK);
    fx_w32(f, nb + FX_UCODE, rv_addi(A0, A0, 2));
    fx_w32(f, nb + FX_UCODE + 4, RV_EBREAK);
    for (int round = 0; round < 3; round++) {
        for (int p = 0; p < 2; p++) {
            assert_int_equal(cpu_csr_poke(f->cpu, CSR_UBASE, p ? nb : FX_UBASE),
                             0);
            cpu_set_reg(f->cpu, SP, FX_KSTACK);
            fx_enter_user(f, FX_UCODE, 0);
            const struct fx_trap *t = fx_run_to_trap(f);
            f->ntraps = 0;
            assert_int_equal(t->info.vector, VEC_BREAKPOINT);
            assert_int_equal(fx_frame(f, t, FRAME_X(A0)), p ? 2 : 1);
        }
    }
}

/* The kernel writes a program into a partition with stores, fence.i,
 * and starts it: the new code runs, not what was decoded there before. */
static void test_kernel_loads_user_code(void **state)
{
    struct fx *f = *state;
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, RV_EBREAK);
    fx_enter_user(f, FX_UCODE, 0);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(fx_frame(f, t, FRAME_X(A0)), 1);
    /* the kernel (in the breakpoint handler) stores a new first word */
    f->ntraps = 0;
    cpu_set_reg(f->cpu, T0, FX_UBASE + FX_UCODE);
    cpu_set_reg(f->cpu, T1, rv_addi(A0, A0, 40));
    fx_org(f, FX_HANDLER(VEC_BREAKPOINT));
    fx_emit(f, rv_sw(T1, T0, 0));
    fx_emit(f, RV_FENCE_I);
    fx_steps(f, 2);
    cpu_set_reg(f->cpu, SP, FX_KSTACK);
    fx_enter_user(f, FX_UCODE, 0);
    t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(fx_frame(f, t, FRAME_X(A0)), 40);
}

/* User code that rewrites its own next instruction, then fence.i. */
static void test_user_self_modifying(void **state)
{
    struct fx *f = *state;
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_jal(RA, 16));       /* 0x1000: call 0x1010 */
    fx_emit(f, rv_sw(T1, T0, 0));     /* 0x1004: patch 0x1010 */
    fx_emit(f, RV_FENCE_I);           /* 0x1008 */
    fx_emit(f, rv_jal(RA, 4));        /* 0x100C: call 0x1010 */
    fx_emit(f, rv_addi(A0, A0, 1));   /* 0x1010: patched */
    fx_emit(f, rv_bne(RA, T2, 8));    /* 0x1014: first call returns */
    fx_emit(f, RV_EBREAK);            /* 0x1018 */
    fx_emit(f, rv_jalr(ZERO, RA, 0)); /* 0x101C */
    fx_enter_user(f, FX_UCODE, 0);
    cpu_set_reg(f->cpu, T0, 0x1010);
    cpu_set_reg(f->cpu, T1, rv_addi(A0, A0, 100));
    cpu_set_reg(f->cpu, T2, 0x1010);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(t->info.epc, 0x1018);
    assert_int_equal(fx_frame(f, t, FRAME_X(A0)), 101);
    assert_int_equal(fx_r32(f, FX_UBASE + 0x1010), rv_addi(A0, A0, 100));
}

/* A cpu_load of two bytes into the middle of a decoded instruction. */
static void test_partial_cpu_load_invalidates(void **state)
{
    struct fx *f = *state;
    fx_emit(f, rv_addi(A0, ZERO, 0x123));
    fx_emit(f, RV_EBREAK);
    fx_run_to_trap(f);
    assert_int_equal(cpu_reg(f->cpu, A0), 0x123);
    /* rewrite imm[11:4] (bits 31:24 of the word) and rd/funct3 bits stay */
    uint32_t w = rv_addi(A0, ZERO, 0x456);
    uint8_t hi[2] = {(uint8_t)(w >> 16), (uint8_t)(w >> 24)};
    assert_int_equal(cpu_load(f->cpu, K + 2, hi, 2), 0);
    f->cpu->pc = K;
    cpu_set_reg(f->cpu, SP, FX_KSTACK);
    fx_run_to_trap(f);
    assert_int_equal(cpu_reg(f->cpu, A0), 0x456);
}

/* docs/isa.md: an access both misaligned and out of bounds raises the
 * misaligned trap (vector 3). */
static void test_misaligned_wins_over_bounds(void **state)
{
    struct fx *f = *state;
    user_access(f, rv_lw(A0, A1, 0), 0xFFE, 0, VEC_MISALIGNED, 0xFFE);
    user_access(f, rv_sh(A2, A1, 0), FX_UBOUND + 1, 0, VEC_MISALIGNED,
                FX_UBOUND + 1);
    kernel_access(f, rv_lw(A0, A1, 0), FX_RAM + 2, 0, VEC_MISALIGNED,
                  FX_RAM + 2);
    kernel_access(f, rv_lh(A0, A1, 0), TIMER_BASE + 0x101, 0, VEC_MISALIGNED,
                  TIMER_BASE + 0x101);
}

/* docs/isa.md: a narrower device load sees the register's low-order
 * part, a narrower store writes its value zero-extended. */
static void test_narrow_device_access(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, T6, TIMER_BASE);
    cpu_set_reg(f->cpu, A1, 0x12345u);
    fx_emit(f, rv_sw(A1, T6, TIMER_INTERVAL));
    fx_emit(f, rv_lbu(S2, T6, TIMER_INTERVAL));
    fx_emit(f, rv_lhu(S3, T6, TIMER_INTERVAL));
    fx_emit(f, rv_sb(A1, T6, TIMER_INTERVAL)); /* 0x45 */
    fx_emit(f, rv_lw(S4, T6, TIMER_INTERVAL));
    fx_emit(f, rv_sh(A1, T6, TIMER_INTERVAL)); /* 0x2345 */
    fx_emit(f, rv_lw(S5, T6, TIMER_INTERVAL));
    fx_emit(f, RV_EBREAK);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(cpu_reg(f->cpu, S2), 0x45u);
    assert_int_equal(cpu_reg(f->cpu, S3), 0x2345u);
    assert_int_equal(cpu_reg(f->cpu, S4), 0x45u);
    assert_int_equal(cpu_reg(f->cpu, S5), 0x2345u);
}

static void test_translate(void **state)
{
    struct fx *f = *state;
    uint32_t pa = 0;
    assert_int_equal(cpu_translate(f->cpu, MODE_USER, 0x2000, 4, &pa), 0);
    assert_int_equal(pa, FX_UBASE + 0x2000);
    assert_int_equal(cpu_translate(f->cpu, MODE_USER, 0x1000, 1, &pa), 0);
    assert_int_equal(pa, FX_UBASE + 0x1000);
    assert_int_equal(cpu_translate(f->cpu, MODE_USER, FX_UBOUND - 4, 4, &pa),
                     0);
    assert_int_equal(pa, FX_UBASE + FX_UBOUND - 4);
    assert_int_not_equal(cpu_translate(f->cpu, MODE_USER, 0xFFF, 1, &pa), 0);
    assert_int_not_equal(cpu_translate(f->cpu, MODE_USER, 0, 4, &pa), 0);
    assert_int_not_equal(
        cpu_translate(f->cpu, MODE_USER, FX_UBOUND - 2, 4, &pa), 0);
    assert_int_not_equal(cpu_translate(f->cpu, MODE_USER, 0xFFFFFFFCu, 8, &pa),
                         0);
    assert_int_not_equal(cpu_translate(f->cpu, MODE_USER, TIMER_BASE, 4, &pa),
                         0);
    assert_int_equal(cpu_translate(f->cpu, MODE_KERNEL, 0x1234, 4, &pa), 0);
    assert_int_equal(pa, 0x1234);
    assert_int_equal(cpu_translate(f->cpu, MODE_KERNEL, FX_RAM - 4, 4, &pa), 0);
    assert_int_equal(pa, FX_RAM - 4);
    assert_int_not_equal(cpu_translate(f->cpu, MODE_KERNEL, FX_RAM - 2, 4, &pa),
                         0);
    assert_int_not_equal(
        cpu_translate(f->cpu, MODE_KERNEL, 0x40000000u, 4, &pa), 0);
}

static void test_load_and_read_phys_bounds(void **state)
{
    struct fx *f = *state;
    uint8_t buf[16] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint8_t out[16];
    assert_int_equal(cpu_load(f->cpu, FX_RAM - 8, buf, 8), 0);
    assert_int_equal(cpu_read_phys(f->cpu, FX_RAM - 8, out, 8), 0);
    assert_memory_equal(buf, out, 8);
    assert_int_equal(cpu_load(f->cpu, FX_RAM - 7, buf, 8), -1);
    assert_int_equal(cpu_load(f->cpu, FX_RAM, buf, 1), -1);
    assert_int_equal(cpu_load(f->cpu, 0xFFFFFFFCu, buf, 8), -1);
    assert_int_equal(cpu_load(f->cpu, 0xFFFFFFFFu, buf, 2), -1);
    assert_int_not_equal(cpu_read_phys(f->cpu, FX_RAM - 7, out, 8), 0);
    assert_int_not_equal(cpu_read_phys(f->cpu, 0xFFFFFFFCu, out, 8), 0);
    assert_int_equal(cpu_load(f->cpu, 0, buf, 0), 0);
    /* the failed loads wrote nothing */
    assert_int_equal(cpu_read_phys(f->cpu, FX_RAM - 8, out, 8), 0);
    assert_memory_equal(buf, out, 8);
    assert_int_equal(fx_r32(f, 0), 0);
}

/* ---- RAM from a file (cpu_map_file) ------------------------------------ */

#define MAP_PAGES 3u
#define MAP_SIZE (MAP_PAGES * 4096u)

/* A file of three pages: addi a0, zero, imm; ebreak; then a pattern. */
static FILE *map_file(int32_t imm, uint8_t bytes[MAP_SIZE])
{
    for (uint32_t i = 0; i < MAP_SIZE; i++)
        bytes[i] = (uint8_t)(i * 7u + 1u);
    uint32_t code[2] = {rv_addi(A0, ZERO, imm), RV_EBREAK};
    for (unsigned w = 0; w < 2; w++)
        for (unsigned b = 0; b < 4; b++)
            bytes[4 * w + b] = (uint8_t)(code[w] >> (8 * b));
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    assert_int_equal(fwrite(bytes, 1, MAP_SIZE, tmp), MAP_SIZE);
    assert_int_equal(fflush(tmp), 0);
    return tmp;
}

static void assert_zeros(struct cpu *cpu, uint32_t paddr, uint32_t len)
{
    static uint8_t got[MAP_SIZE], zeros[MAP_SIZE];
    assert_true(len <= MAP_SIZE);
    assert_int_equal(cpu_read_phys(cpu, paddr, got, len), 0);
    assert_memory_equal(got, zeros, len);
}

/* Mapped RAM reads as the file, runs as code (blocks decoded from what
 * was there before die), and stores stay in RAM: the file is unchanged. */
static void test_map_file_reads_runs_and_copies_on_write(void **state)
{
    struct fx *f = *state;
    static uint8_t bytes[MAP_SIZE], got[MAP_SIZE];
    fx_emit(f, rv_addi(A0, ZERO, 0x123));
    fx_emit(f, RV_EBREAK);
    fx_run_to_trap(f);
    assert_int_equal(cpu_reg(f->cpu, A0), 0x123);

    FILE *file = map_file(0x321, bytes);
    assert_int_equal(cpu_map_file(f->cpu, K, fileno(file), 0, MAP_SIZE), 0);
    assert_int_equal(cpu_read_phys(f->cpu, K, got, MAP_SIZE), 0);
    assert_memory_equal(got, bytes, MAP_SIZE);
    f->cpu->pc = K;
    cpu_set_reg(f->cpu, SP, FX_KSTACK);
    fx_run_to_trap(f);
    assert_int_equal(cpu_reg(f->cpu, A0), 0x321);

    /* A store, by the host and by the guest, changes RAM only. */
    uint32_t word = 0xdeadbeefu;
    assert_int_equal(cpu_load(f->cpu, K + 4096, &word, 4), 0);
    f->cpu->pc = K + 0x800; /* sw a1, 0(a2); ebreak, written over the file */
    uint32_t store[2] = {rv_sw(A1, A2, 0), RV_EBREAK};
    assert_int_equal(cpu_load(f->cpu, K + 0x800, store, sizeof store), 0);
    cpu_set_reg(f->cpu, A1, 0x5a5a5a5au);
    cpu_set_reg(f->cpu, A2, K + 2 * 4096 + 8);
    fx_run_to_trap(f);
    assert_int_equal(fx_r32(f, K + 4096), 0xdeadbeefu);
    assert_int_equal(fx_r32(f, K + 2 * 4096 + 8), 0x5a5a5a5au);
    assert_int_equal(pread(fileno(file), got, MAP_SIZE, 0), (ssize_t)MAP_SIZE);
    assert_memory_equal(got, bytes, MAP_SIZE);
    fclose(file);
    /* Closed: the pages not yet copied still read as the file did. */
    assert_int_equal(cpu_read_phys(f->cpu, K + 4100, got, 100), 0);
    assert_memory_equal(got, bytes + 4100, 100);
}

/* Zeroing mapped RAM gives zeros, not the file's bytes back (which is
 * what dropping a file's private pages would do): cpu_zero over whole
 * pages, over part of the mapping, and cpu_clear_ram. */
static void test_map_file_then_zero(void **state)
{
    struct fx *f = *state;
    static uint8_t bytes[MAP_SIZE], got[MAP_SIZE];
    FILE *file = map_file(1, bytes);
    const uint32_t at = 0x20000;
    assert_int_equal(cpu_map_file(f->cpu, at, fileno(file), 0, MAP_SIZE), 0);
    uint32_t word = 0x11111111u; /* a page copied, and one not */
    assert_int_equal(cpu_load(f->cpu, at + 4096 + 16, &word, 4), 0);
    assert_int_equal(cpu_zero(f->cpu, at + 4096, 4096), 0);
    assert_zeros(f->cpu, at + 4096, 4096);
    assert_int_equal(cpu_read_phys(f->cpu, at, got, 4096), 0);
    assert_memory_equal(got, bytes, 4096);
    assert_int_equal(cpu_read_phys(f->cpu, at + 8192, got, 4096), 0);
    assert_memory_equal(got, bytes + 8192, 4096);
    /* Part of a page, and pages around the mapping. */
    assert_int_equal(cpu_zero(f->cpu, at - 4096, 4096 + 100), 0);
    assert_zeros(f->cpu, at, 100);
    assert_int_equal(cpu_read_phys(f->cpu, at + 100, got, 100), 0);
    assert_memory_equal(got, bytes + 100, 100);
    assert_int_equal(cpu_zero(f->cpu, at - 4096, MAP_SIZE + 8192), 0);
    assert_zeros(f->cpu, at, MAP_SIZE);

    assert_int_equal(cpu_map_file(f->cpu, at, fileno(file), 4096, 8192), 0);
    assert_int_equal(cpu_read_phys(f->cpu, at, got, 8192), 0);
    assert_memory_equal(got, bytes + 4096, 8192);
    cpu_clear_ram(f->cpu);
    assert_zeros(f->cpu, at, 8192);
    fclose(file);
}

/* What cannot be mapped leaves RAM as it was. */
static void test_map_file_refusals(void **state)
{
    struct fx *f = *state;
    static uint8_t bytes[MAP_SIZE], got[MAP_SIZE], before[MAP_SIZE];
    FILE *file = map_file(1, bytes);
    int fd = fileno(file);
    const uint32_t at = 0x20000;
    for (uint32_t i = 0; i < MAP_SIZE; i++)
        before[i] = (uint8_t)(0xa0 ^ i);
    assert_int_equal(cpu_load(f->cpu, at, before, MAP_SIZE), 0);
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    int closed = dup(fd);
    assert_true(closed >= 0);
    close(closed);
    static const struct {
        uint32_t paddr;
        int which; /* 0: the file, 1: -1, 2: a pipe, 3: a closed one */
        uint64_t off;
        size_t len;
    } bad[] = {
        {at + 4, 0, 0, 4096},        /* RAM not page-aligned */
        {at, 0, 8, 4096},            /* nor the file's offset */
        {at, 0, 0, 100},             /* nor the length */
        {at, 0, 0, 0},               /* nothing */
        {FX_RAM - 4096, 0, 0, 8192}, /* past the end of RAM */
        {0xfffff000u, 0, 0, 8192},   /* far past it, wrapping */
        {at, 1, 0, 4096},            /* no descriptor */
        {at, 2, 0, 4096},            /* a pipe: nothing to map */
        {at, 3, 0, 4096},            /* a descriptor just closed */
        {at, 0, 4096, MAP_SIZE},     /* past the file's end (SIGBUS) */
        {at, 0, MAP_SIZE, 4096},     /* all of it past the end */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const int fds[] = {fd, -1, pipefd[0], closed};
        int use = fds[bad[i].which];
        assert_int_equal(
            cpu_map_file(f->cpu, bad[i].paddr, use, bad[i].off, bad[i].len),
            -1);
        assert_int_equal(cpu_read_phys(f->cpu, at, got, MAP_SIZE), 0);
        assert_memory_equal(got, before, MAP_SIZE);
    }
    close(pipefd[0]);
    close(pipefd[1]);
    fclose(file);
}

/* Two mappings, and zeroing that covers only part of what was mapped:
 * every page zeroed reads as zeros, whichever mapping it came from and
 * whatever was zeroed before it. */
static void test_map_file_twice_zero_in_parts(void **state)
{
    struct fx *f = *state;
    static uint8_t bytes[MAP_SIZE], got[MAP_SIZE];
    FILE *file = map_file(1, bytes);
    const uint32_t a = 0x20000, b = 0x30000;
    assert_int_equal(cpu_map_file(f->cpu, a, fileno(file), 0, MAP_SIZE), 0);
    assert_int_equal(cpu_map_file(f->cpu, b, fileno(file), 0, MAP_SIZE), 0);
    assert_int_equal(cpu_zero(f->cpu, b, MAP_SIZE), 0); /* the later one */
    assert_zeros(f->cpu, b, MAP_SIZE);
    assert_int_equal(cpu_zero(f->cpu, a, 4096), 0); /* the first's start */
    assert_zeros(f->cpu, a, 4096);
    assert_int_equal(cpu_read_phys(f->cpu, a + 4096, got, 4096), 0);
    assert_memory_equal(got, bytes + 4096, 4096);
    assert_int_equal(cpu_zero(f->cpu, a + 2 * 4096, 4096), 0); /* its end */
    assert_zeros(f->cpu, a + 2 * 4096, 4096);
    assert_int_equal(cpu_zero(f->cpu, a + 4096, 4096), 0);
    assert_zeros(f->cpu, a, MAP_SIZE);
    fclose(file);
}

/* How the host holds RAM is not part of the machine's history: a state
 * saved before a mapping and restored after it leaves the mapping known,
 * so that zeroing it still gives zeros. */
static void test_map_file_survives_state_restore(void **state)
{
    struct fx *f = *state;
    static uint8_t bytes[MAP_SIZE];
    void *saved = malloc(cpu_state_size());
    assert_non_null(saved);
    cpu_state_save(f->cpu, saved);
    FILE *file = map_file(1, bytes);
    const uint32_t at = 0x20000;
    assert_int_equal(cpu_map_file(f->cpu, at, fileno(file), 0, MAP_SIZE), 0);
    uint32_t word = 0x12345678u;
    assert_int_equal(cpu_load(f->cpu, at + 4096, &word, 4), 0);
    cpu_state_restore(f->cpu, saved);
    assert_int_equal(cpu_zero(f->cpu, at, MAP_SIZE), 0);
    assert_zeros(f->cpu, at, MAP_SIZE);
    free(saved);
    fclose(file);
}

/* Mapping writes RAM as cpu_load does: tracked pages count as written. */
static void test_map_file_counts_as_written(void **state)
{
    struct fx *f = *state;
    static uint8_t bytes[MAP_SIZE];
    FILE *file = map_file(1, bytes);
    const uint32_t at = 0x20000;
    assert_int_equal(cpu_track_writes(f->cpu, true), 0);
    cpu_clear_written(f->cpu);
    assert_int_equal(cpu_map_file(f->cpu, at, fileno(file), 0, 8192), 0);
    assert_false(cpu_page_written(f->cpu, (at >> CPU_PAGE_SHIFT) - 1));
    assert_true(cpu_page_written(f->cpu, at >> CPU_PAGE_SHIFT));
    assert_true(cpu_page_written(f->cpu, (at >> CPU_PAGE_SHIFT) + 1));
    assert_false(cpu_page_written(f->cpu, (at >> CPU_PAGE_SHIFT) + 2));
    fclose(file);
}

#define MEM_TESTS(setup)                                                       \
    cmocka_unit_test_setup_teardown(test_user_maps_to_ubase, setup,            \
                                    fx_teardown),                              \
        cmocka_unit_test_setup_teardown(test_user_null_guard, setup,           \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_user_bound, setup, fx_teardown),  \
        cmocka_unit_test_setup_teardown(test_user_va_wrap, setup,              \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_user_partition_past_ram, setup,   \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_user_devices_fault, setup,        \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_kernel_ram_edges, setup,          \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(                                       \
            test_kernel_undefined_device_registers, setup, fx_teardown),       \
        cmocka_unit_test_setup_teardown(test_misaligned_fetch, setup,          \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_user_fetch_faults, setup,         \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_user_fetch_past_ram, setup,       \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_user_fetch_last_word, setup,      \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_user_jump_to_null, setup,         \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_kernel_fetch_faults, setup,       \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_ubase_change_applies, setup,      \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_two_partitions_same_va, setup,    \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_kernel_loads_user_code, setup,    \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_user_self_modifying, setup,       \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_misaligned_wins_over_bounds,      \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(test_narrow_device_access, setup,      \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_partial_cpu_load_invalidates,     \
                                        setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest once[] = {
        cmocka_unit_test_setup_teardown(test_translate, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_load_and_read_phys_bounds,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(
            test_map_file_reads_runs_and_copies_on_write, fx_setup,
            fx_teardown),
        cmocka_unit_test_setup_teardown(
            test_map_file_reads_runs_and_copies_on_write, fx_setup_run,
            fx_teardown),
        cmocka_unit_test_setup_teardown(test_map_file_then_zero, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_map_file_refusals, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_map_file_counts_as_written,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_map_file_twice_zero_in_parts,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_map_file_survives_state_restore,
                                        fx_setup, fx_teardown),
    };
    const struct CMUnitTest step_tests[] = {MEM_TESTS(fx_setup)};
    const struct CMUnitTest run_tests[] = {MEM_TESTS(fx_setup_run)};
    int failed = cmocka_run_group_tests_name("memory", once, NULL, NULL);
    failed += cmocka_run_group_tests_name("memory (cpu_step)", step_tests, NULL,
                                          NULL);
    failed +=
        cmocka_run_group_tests_name("memory (cpu_run)", run_tests, NULL, NULL);
    return failed != 0;
}
