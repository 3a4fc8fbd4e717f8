/*
 * test_negative.c: what the machine must refuse (docs/isa.md §3
 * and §4), swept over the encoding space rather than sampled.
 *
 * spec_vector() below says, from the RISC-V unprivileged spec (RV32IM,
 * Zicsr, Zifencei) and docs/isa.md, which trap an instruction word must
 * raise at once: vector 0 (illegal), vector 1 (privileged), or neither.
 * It is written here from those documents, not from src/cpu/decode.c.
 * Each test feeds words through one execution unit (cpu_step, or
 * cpu_run with a one-cycle budget: the first instruction always runs) in
 * kernel and in user mode, and checks, for a word that must trap: the
 * vector, tval = the word, the saved pc = the word's address, nothing
 * retired, no register written, exactly the trap's cycles; and for a word
 * that must not, that it raised neither vector 0 nor 1 where it stands.
 *
 * Classes swept: every major opcode (all 128 values of bits 6:0, so the
 * compressed quadrants, FP, AMO, custom and 48/64-bit prefixes too) with
 * every funct3 and funct7; every 16-bit compressed parcel; every CSR
 * number with every csr instruction, in both modes; the privileged
 * instructions in user mode; misaligned loads, stores and jump targets of
 * every width, in both modes, out of bounds as well.
 */
#include "machine_fixture.h"

#define K FX_KCODE
#define DATA 0x30000u

enum { NOT_ILLEGAL = -1 };

/* ---- The specification, written out ---------------------------------- */

static bool csr_known(uint32_t csr)
{
    return csr == CSR_CYCLE || csr == CSR_CYCLEH || csr == CSR_INSTRET ||
           csr == CSR_INSTRETH || (csr >= CSR_STATUS && csr <= CSR_UBOUND);
}

static int spec_system(uint32_t w, bool user)
{
    uint32_t f3 = (w >> 12) & 7, rs1 = (w >> 15) & 31, csr = w >> 20;
    if (f3 == 0) {
        if (w == RV_ECALL || w == RV_EBREAK)
            return NOT_ILLEGAL; /* vectors 8 and 4 */
        if (w == RV_RTI || w == RV_WFI)
            return user ? VEC_PRIVILEGED : NOT_ILLEGAL;
        return VEC_ILLEGAL; /* sret, uret, sfence.vma, reserved fields */
    }
    if (f3 == 4)
        return VEC_ILLEGAL;
    /* csrrw/csrrwi always write; the set/clear forms only with a non-zero
     * rs1 field (a register number or the immediate). */
    bool writes = f3 == 1 || f3 == 5 || rs1 != 0;
    if (!csr_known(csr))
        return VEC_ILLEGAL; /* in any mode */
    bool kernel_csr = csr >= CSR_STATUS && csr <= CSR_UBOUND;
    if (kernel_csr && user)
        return VEC_PRIVILEGED; /* a read too */
    if (!kernel_csr && writes)
        return VEC_ILLEGAL; /* the counters are read-only */
    return NOT_ILLEGAL;
}

/* The trap word w must raise at once, or NOT_ILLEGAL. */
static int spec_vector(uint32_t w, bool user)
{
    uint32_t op = w & 0x7F, f3 = (w >> 12) & 7, f7 = w >> 25;
    switch (op) {
    case 0x37: /* lui */
    case 0x17: /* auipc */
    case 0x6F: /* jal */ return NOT_ILLEGAL;
    case 0x67: /* jalr */ return f3 == 0 ? NOT_ILLEGAL : VEC_ILLEGAL;
    case 0x63: /* branches: funct3 2 and 3 reserved */
        return f3 == 2 || f3 == 3 ? VEC_ILLEGAL : NOT_ILLEGAL;
    case 0x03: /* lb lh lw lbu lhu */
        return f3 == 3 || f3 >= 6 ? VEC_ILLEGAL : NOT_ILLEGAL;
    case 0x23: /* sb sh sw */ return f3 <= 2 ? NOT_ILLEGAL : VEC_ILLEGAL;
    case 0x13: /* OP-IMM: the shifts keep funct7 for the shift kind */
        if (f3 == 1)
            return f7 == 0 ? NOT_ILLEGAL : VEC_ILLEGAL;
        if (f3 == 5)
            return f7 == 0 || f7 == 0x20 ? NOT_ILLEGAL : VEC_ILLEGAL;
        return NOT_ILLEGAL;
    case 0x33: /* OP: funct7 0 (base), 1 (M), 0x20 (sub, sra) */
        if (f7 == 0 || f7 == 1)
            return NOT_ILLEGAL;
        if (f7 == 0x20)
            return f3 == 0 || f3 == 5 ? NOT_ILLEGAL : VEC_ILLEGAL;
        return VEC_ILLEGAL;
    case 0x0F: /* fence, fence.i: reserved fields ignored */
        return f3 <= 1 ? NOT_ILLEGAL : VEC_ILLEGAL;
    case 0x73: return spec_system(w, user);
    default: /* compressed, FP, AMO, RV64, custom, longer encodings */
        return VEC_ILLEGAL;
    }
}

/* ---- Running one word ------------------------------------------------- */

/* Back to the fixture's machine in kernel mode, whatever the last word
 * did to the CSRs: RAM and hooks stay. */
static void reset_machine(struct fx *f)
{
    cpu_reset(f->cpu, K, 0);
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_TTR, FX_TTR), 0);
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_KSP, FX_KSP), 0);
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_UBASE, FX_UBASE), 0);
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_UBOUND, FX_UBOUND), 0);
    f->ntraps = 0;
}

/* One instruction or one trap, by the path the group chose. */
static enum cpu_stop unit(struct fx *f)
{
    return f->use_run ? cpu_run(f->cpu, 1) : cpu_step(f->cpu);
}

/* Registers for the word: every one holds DATA, so a legal load or store
 * touches harmless RAM; sp the stack a trap from kernel mode uses. */
static void set_regs(struct fx *f, uint32_t sp)
{
    for (unsigned n = 1; n < 32; n++)
        cpu_set_reg(f->cpu, n, n == SP ? sp : DATA);
}

/* Put w where the mode's code runs, with pc there; returns that pc. */
static uint32_t place(struct fx *f, uint32_t w, bool user)
{
    reset_machine(f);
    if (!user) {
        fx_w32(f, K, w);
        f->cpu->pc = K;
        set_regs(f, FX_KSTACK);
        return K;
    }
    fx_w32(f, FX_UBASE + FX_UCODE, w);
    fx_enter_user(f, FX_UCODE, 0);
    set_regs(f, FX_USP);
    f->ntraps = 0;
    return FX_UCODE;
}

/* The trap t is exactly `vector` at pc with tval, and nothing else
 * happened: no register written (sp is the frame now, its old value
 * saved there), nothing retired, only the trap's cycles. */
static void assert_trap_only(struct fx *f, const uint32_t before[32],
                             uint64_t cycle0, uint64_t instret0,
                             uint32_t vector, uint32_t pc, uint32_t tval,
                             uint32_t w)
{
    if (f->ntraps != 1 || f->traps[0].info.vector != vector ||
        f->traps[0].info.tval != tval || f->traps[0].info.epc != pc)
        print_error("word 0x%08x at 0x%x: %u traps, vector %u tval 0x%x "
                    "(want vector %u tval 0x%x)\n",
                    w, pc, f->ntraps, f->ntraps ? f->traps[0].info.vector : 0,
                    f->ntraps ? f->traps[0].info.tval : 0, vector, tval);
    assert_int_equal(f->ntraps, 1);
    const struct fx_trap *t = &f->traps[0];
    assert_int_equal(t->info.vector, vector);
    assert_int_equal(t->info.tval, tval);
    assert_int_equal(t->info.epc, pc);
    assert_int_equal(f->cpu->pc, FX_HANDLER(vector));
    assert_int_equal(fx_frame(f, t, FRAME_TVAL), tval);
    assert_int_equal(fx_frame(f, t, FRAME_PC), pc);
    assert_int_equal(fx_frame(f, t, FRAME_CAUSE), vector);
    assert_int_equal(f->cpu->instret, instret0);
    assert_int_equal(f->cpu->cycle - cycle0, C_TRAP);
    for (unsigned n = 1; n < 32; n++)
        assert_int_equal(fx_frame(f, t, FRAME_X(n)), before[n]);
}

static void check_word(struct fx *f, uint32_t w, bool user)
{
    if (w == RV_WFI)
        return; /* legal in kernel mode, where it waits: test_wfi_legal */
    int want = spec_vector(w, user);
    uint32_t pc = place(f, w, user);
    uint32_t before[32];
    memcpy(before, f->cpu->x, sizeof before);
    uint64_t c0 = f->cpu->cycle, i0 = f->cpu->instret;
    enum cpu_stop why = unit(f);
    if (want != NOT_ILLEGAL) {
        assert_int_equal(why, STOP_BUDGET);
        assert_trap_only(f, before, c0, i0, (uint32_t)want, pc, w, w);
        return;
    }
    /* Legal: it may fault on memory, trap as ecall/ebreak do, or jump
     * elsewhere; it must not be refused as an instruction. */
    bool refused = f->ntraps > 0 && f->traps[0].info.epc == pc &&
                   (f->traps[0].info.vector == VEC_ILLEGAL ||
                    f->traps[0].info.vector == VEC_PRIVILEGED);
    if (refused)
        print_error("word 0x%08x (%s mode): vector %u, but it is legal\n", w,
                    user ? "user" : "kernel", f->traps[0].info.vector);
    assert_false(refused);
    assert_false(f->cpu->halted);
}

/* A small PRNG for the fields a sweep does not enumerate. */
static uint32_t rng_state = 0x2545F491u;
static uint32_t rnd(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

/* ---- The named classes ------------------------------------------------ */

static void check_both_modes(struct fx *f, uint32_t w)
{
    check_word(f, w, false);
    check_word(f, w, true);
}

static void test_all_zero_all_ones(void **state)
{
    struct fx *f = *state;
    assert_int_equal(spec_vector(0, false), VEC_ILLEGAL);
    assert_int_equal(spec_vector(~0u, false), VEC_ILLEGAL);
    check_both_modes(f, 0x00000000u);
    check_both_modes(f, 0xFFFFFFFFu);
}

/* Every 16-bit parcel with low bits other than 11 is a C instruction,
 * whatever the upper half holds: all 49152 of them. */
static void test_compressed_all(void **state)
{
    struct fx *f = *state;
    for (uint32_t lo = 0; lo < 0x10000u; lo++) {
        if ((lo & 3) == 3)
            continue;
        uint32_t w = (rnd() & 0xFFFF0000u) | lo;
        assert_int_equal(spec_vector(w, false), VEC_ILLEGAL);
        check_word(f, w, (lo & 0x100) != 0);
    }
}

/* F and D (loads, stores, fused multiply-add, OP-FP), A (lr/sc, AMOs). */
static const uint32_t fp_atomic_words[] = {
    0x00052007u, /* flw ft0, 0(a0) */
    0x00053007u, /* fld ft0, 0(a0) */
    0x00A52027u, /* fsw fa0, 0(a0) */
    0x00A53027u, /* fsd fa0, 0(a0) */
    0x00B50543u, /* fmadd.s */
    0x00B50547u, /* fmsub.s */
    0x00B5054Bu, /* fnmsub.s */
    0x00B5054Fu, /* fnmadd.s */
    0x00B50553u, /* fadd.s fa0, fa0, fa1 */
    0x02B50553u, /* fadd.d */
    0x18B50553u, /* fdiv.s */
    0xC0050553u, /* fcvt.w.s */
    0xE0050553u, /* fmv.x.w */
    0xF0050553u, /* fmv.w.x */
    0x00302073u, /* frcsr (csrr on fcsr 0x003: unknown CSR) */
    0x1005252Fu, /* lr.w a0, (a0) */
    0x18B5252Fu, /* sc.w */
    0x08B5252Fu, /* amoswap.w */
    0x00B5252Fu, /* amoadd.w */
    0x20B5252Fu, /* amoxor.w */
    0x60B5252Fu, /* amoand.w */
    0x40B5252Fu, /* amoor.w */
    0x80B5252Fu, /* amomin.w */
    0xE0B5252Fu, /* amomaxu.w */
    0x0CB5252Fu, /* amoswap.w.aqrl */
};

static void test_fp_and_atomics(void **state)
{
    struct fx *f = *state;
    for (size_t i = 0; i < sizeof fp_atomic_words / 4; i++) {
        assert_int_equal(spec_vector(fp_atomic_words[i], false), VEC_ILLEGAL);
        check_both_modes(f, fp_atomic_words[i]);
    }
}

/* Every major opcode x funct3 x funct7, the other fields random: the
 * reserved values of every implemented opcode and all the others. */
static void sweep_opcodes(struct fx *f, bool user, uint32_t op_step)
{
    for (uint32_t op = 0; op < 128; op += op_step)
        for (uint32_t f3 = 0; f3 < 8; f3++)
            for (uint32_t f7 = 0; f7 < 128; f7++) {
                uint32_t other = rnd() & 0x01FF8F80u; /* rs2 rs1 rd */
                check_word(f, f7 << 25 | f3 << 12 | op | other, user);
            }
}

static void test_opcode_sweep_kernel(void **state)
{
    sweep_opcodes(*state, false, 1);
}

/* In user mode the 32-bit opcodes (bits 1:0 = 11); the compressed ones
 * had their sweep above. */
static void test_opcode_sweep_user(void **state)
{
    struct fx *f = *state;
    for (uint32_t op = 3; op < 128; op += 4)
        for (uint32_t f3 = 0; f3 < 8; f3++)
            for (uint32_t f7 = 0; f7 < 128; f7++)
                check_word(f, f7 << 25 | f3 << 12 | op | (rnd() & 0x01FF8F80u),
                           true);
}

/* SYSTEM with funct3 0: only ecall, ebreak, rti and wfi, bit for bit;
 * every other value of imm[11:0] (sret, uret, mret's neighbours,
 * sfence.vma, ...) and any non-zero rd or rs1 is illegal. */
static void test_system_funct3_zero(void **state)
{
    struct fx *f = *state;
    for (uint32_t imm = 0; imm < 4096; imm++) {
        uint32_t w = imm << 20 | 0x73u;
        check_both_modes(f, w);
        check_both_modes(f, w | 1u << 7);   /* rd = ra */
        check_both_modes(f, w | 10u << 15); /* rs1 = a0 */
    }
    assert_int_equal(spec_vector(0x10200073u, false), VEC_ILLEGAL); /* sret */
    assert_int_equal(spec_vector(0x12000073u, false), VEC_ILLEGAL); /* sfence */
    assert_int_equal(spec_vector(0x000000F3u, false),
                     VEC_ILLEGAL); /* ecall rd */
}

/* Every CSR number with every csr instruction, reading (rs1 = 0) and
 * writing, in both modes: unknown numbers are illegal everywhere, the
 * kernel's CSRs privileged in user mode, counter writes illegal. */
static void test_csr_numbers(void **state)
{
    struct fx *f = *state;
    unsigned refused = 0;
    for (uint32_t csr = 0; csr < 4096; csr++)
        for (uint32_t f3 = 1; f3 < 8; f3++) {
            if (f3 == 4)
                continue;
            for (uint32_t rs1 = 0; rs1 < 2; rs1++) {
                uint32_t w = rv_csr(f3, A0, csr, rs1 ? A1 : 0);
                check_both_modes(f, w);
                refused += spec_vector(w, false) == VEC_ILLEGAL;
            }
        }
    /* 4087 unknown numbers x 12 forms, plus the 4 counters x 8 writes */
    assert_int_equal(refused, 4087 * 12 + 4 * 8);
}

/* Privileged instructions in user mode: rti, wfi and every access to a
 * kernel CSR, the read-only ones too. */
static void test_privileged_in_user_mode(void **state)
{
    struct fx *f = *state;
    const uint32_t words[] = {
        RV_RTI,
        RV_WFI,
        rv_csrrs(A0, CSR_STATUS, ZERO), /* csrr a0, status */
        rv_csrrw(ZERO, CSR_TTR, A1),
        rv_csrrwi(A0, CSR_KSP, 0),
        rv_csrrc(A0, CSR_UBASE, ZERO),
        rv_csrrsi(A0, CSR_UBOUND, 1),
        rv_csrrci(A0, CSR_STATUS, 2),
    };
    for (size_t i = 0; i < sizeof words / 4; i++) {
        assert_int_equal(spec_vector(words[i], true), VEC_PRIVILEGED);
        check_word(f, words[i], true);
    }
}

/* wfi is legal in kernel mode: it waits for the timer and retires (rti
 * is legal there too: fx_enter_user executes one in every user test). */
static void test_wfi_legal_in_kernel(void **state)
{
    struct fx *f = *state;
    reset_machine(f);
    fx_w32(f, K, rv_lui(T0, TIMER_BASE >> 12));
    fx_w32(f, K + 4, rv_addi(T1, ZERO, 100));
    fx_w32(f, K + 8, rv_sw(T1, T0, TIMER_INTERVAL));
    fx_w32(f, K + 12, RV_WFI);
    f->cpu->pc = K;
    cpu_set_reg(f->cpu, SP, FX_KSTACK);
    /* cpu_run(1) cuts the wait into one-cycle pieces; cpu_step waits. */
    for (int i = 0; i < 1000 && f->cpu->pc != K + 16; i++)
        assert_int_equal(unit(f), STOP_BUDGET);
    assert_int_equal(f->ntraps, 0);
    assert_int_equal(f->cpu->pc, K + 16);
    assert_int_equal(f->cpu->instret, 4);
}

/* ---- Misaligned accesses and jump targets ----------------------------- */

/* One memory or jump instruction w at the mode's code address, with a1
 * = base, expected to raise vector 3 with tval. */
static void expect_misaligned(struct fx *f, bool user, uint32_t w,
                              uint32_t base, uint32_t tval_from_pc,
                              uint32_t tval)
{
    uint32_t pc = place(f, w, user);
    cpu_set_reg(f->cpu, A1, base);
    cpu_set_reg(f->cpu, A0, 0x5555u);
    if (tval_from_pc)
        tval = pc + tval_from_pc;
    uint32_t before[32];
    memcpy(before, f->cpu->x, sizeof before);
    uint64_t c0 = f->cpu->cycle, i0 = f->cpu->instret;
    assert_int_equal(unit(f), STOP_BUDGET);
    assert_trap_only(f, before, c0, i0, VEC_MISALIGNED, pc, tval, w);
}

/* Loads and stores of every width at every misaligned offset: in RAM,
 * and where the access would also be out of bounds (misaligned wins). */
static void misaligned_memory(struct fx *f, bool user)
{
    const uint32_t in = user ? 0x2000u : DATA;
    const uint32_t out = user ? FX_UBOUND - 2 : FX_RAM - 2;
    const uint32_t devices = 0xF0000001u;
    const uint32_t bases[] = {in, out & ~3u, devices & ~3u, 0xFFFFFFFCu};
    for (size_t b = 0; b < sizeof bases / 4; b++) {
        uint32_t base = bases[b];
        for (int32_t off = 1; off < 4; off++) {
            uint32_t a = base + (uint32_t)off;
            if (off & 1) {
                expect_misaligned(f, user, rv_lh(A0, A1, off), base, 0, a);
                expect_misaligned(f, user, rv_lhu(A0, A1, off), base, 0, a);
                expect_misaligned(f, user, rv_sh(A0, A1, off), base, 0, a);
            }
            expect_misaligned(f, user, rv_lw(A0, A1, off), base, 0, a);
            expect_misaligned(f, user, rv_sw(A0, A1, off), base, 0, a);
            /* the same address through the register, offset 0 */
            expect_misaligned(f, user, rv_lw(A0, A1, 0), a, 0, a);
            expect_misaligned(f, user, rv_sw(A0, A1, 0), a, 0, a);
        }
    }
    /* Negative offsets wrap below the base. */
    expect_misaligned(f, user, rv_lw(A0, A1, -1), in, 0, in - 1);
    expect_misaligned(f, user, rv_sh(A0, A1, -3), in, 0, in - 3);
}

static void misaligned_jumps(struct fx *f, bool user)
{
    for (int32_t off = 2; off <= 6; off += 4) {
        expect_misaligned(f, user, rv_jal(A0, off), 0, (uint32_t)off, 0);
        expect_misaligned(f, user, rv_jal(ZERO, -off), 0, (uint32_t)-off, 0);
        expect_misaligned(f, user, rv_beq(ZERO, ZERO, off), 0, (uint32_t)off,
                          0);
        expect_misaligned(f, user, rv_bne(A1, ZERO, -off), 1, (uint32_t)-off,
                          0);
        expect_misaligned(f, user, rv_blt(ZERO, A1, off), 1, (uint32_t)off, 0);
        expect_misaligned(f, user, rv_bge(A1, ZERO, off), 1, (uint32_t)off, 0);
        expect_misaligned(f, user, rv_bltu(ZERO, A1, off), 1, (uint32_t)off, 0);
        expect_misaligned(f, user, rv_bgeu(A1, ZERO, off), 1, (uint32_t)off, 0);
    }
    /* jalr clears bit 0 first: +1 is fine (no trap here), +2 and +3 are
     * not, with tval the cleared target. */
    const uint32_t t = user ? 0x3000u : DATA;
    expect_misaligned(f, user, rv_jalr(A0, A1, 0), t + 2, 0, t + 2);
    expect_misaligned(f, user, rv_jalr(A0, A1, 0), t + 3, 0, t + 2);
    expect_misaligned(f, user, rv_jalr(A0, A1, 1), t + 1, 0, t + 2);
    expect_misaligned(f, user, rv_jalr(ZERO, A1, -2), t, 0, t - 2);
    /* A misaligned target outside the window: still vector 3. */
    expect_misaligned(f, user, rv_jalr(A0, A1, 0), 0xFFFFFFFEu, 0, 0xFFFFFFFEu);
}

static void test_misaligned_kernel(void **state)
{
    misaligned_memory(*state, false);
    misaligned_jumps(*state, false);
}

static void test_misaligned_user(void **state)
{
    misaligned_memory(*state, true);
    misaligned_jumps(*state, true);
}

/* rti to a misaligned pc: the fetch traps with vector 3, tval = pc. */
static void test_misaligned_fetch_after_rti(void **state)
{
    struct fx *f = *state;
    for (uint32_t low = 1; low < 4; low++) {
        reset_machine(f);
        fx_enter_user_at(f, FX_KSTACK - FRAME_SIZE, FX_UCODE + low, 0);
        uint32_t before[32];
        memcpy(before, f->cpu->x, sizeof before);
        uint64_t c0 = f->cpu->cycle, i0 = f->cpu->instret;
        f->ntraps = 0;
        assert_int_equal(unit(f), STOP_BUDGET);
        assert_trap_only(f, before, c0, i0, VEC_MISALIGNED, FX_UCODE + low,
                         FX_UCODE + low, 0);
    }
}

/* rti with sp both misaligned and running past the end of RAM: as for
 * every access, the misaligned trap is the one raised (docs/isa.md §5). */
static void test_rti_misaligned_and_outside(void **state)
{
    struct fx *f = *state;
    reset_machine(f);
    const uint32_t sp = FX_RAM - 62; /* misaligned; the frame runs past */
    fx_w32(f, K, RV_RTI);
    f->cpu->pc = K;
    set_regs(f, sp);
    uint32_t before[32];
    memcpy(before, f->cpu->x, sizeof before);
    uint64_t c0 = f->cpu->cycle, i0 = f->cpu->instret;
    assert_int_equal(unit(f), STOP_BUDGET);
    assert_trap_only(f, before, c0, i0, VEC_MISALIGNED, K, sp, RV_RTI);
}

#define NEGATIVE_TESTS(setup)                                                  \
    cmocka_unit_test_setup_teardown(test_all_zero_all_ones, setup,             \
                                    fx_teardown),                              \
        cmocka_unit_test_setup_teardown(test_compressed_all, setup,            \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_fp_and_atomics, setup,            \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_opcode_sweep_kernel, setup,       \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_opcode_sweep_user, setup,         \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_system_funct3_zero, setup,        \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_csr_numbers, setup, fx_teardown), \
        cmocka_unit_test_setup_teardown(test_privileged_in_user_mode, setup,   \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_wfi_legal_in_kernel, setup,       \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_misaligned_kernel, setup,         \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_misaligned_user, setup,           \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_misaligned_fetch_after_rti,       \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(test_rti_misaligned_and_outside,       \
                                        setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest step_tests[] = {NEGATIVE_TESTS(fx_setup)};
    const struct CMUnitTest run_tests[] = {NEGATIVE_TESTS(fx_setup_run)};
    int failed = cmocka_run_group_tests_name("negative (cpu_step)", step_tests,
                                             NULL, NULL);
    failed += cmocka_run_group_tests_name("negative (cpu_run)", run_tests, NULL,
                                          NULL);
    return failed != 0;
}
