/*
 * test_trap.c: trap entry, the frame, rti and double faults (docs/isa.md §6).
 *
 * Trap entry, in order: (1) the stack is KSP from user mode, x2 from kernel
 * mode; (2) a 144-byte frame at (stack - 144) & ~15 holds x1..x31, pc,
 * STATUS, cause, tval and a zero word, and x2 becomes the frame; (3) MODE
 * := kernel, IE := 0, DZ kept; (4) pc := TTR[vector]. A trapping
 * instruction does not retire and costs only the trap cost.
 */
#include "machine_fixture.h"

#define K FX_KCODE
#define DATA 0x30000u

static uint32_t regval(unsigned n)
{
    return 0x01010101u * n + 0x100u;
}

/* Give x1..x31 distinct values (x2 excepted: the caller sets sp). */
static void fill_regs(struct fx *f)
{
    for (unsigned n = 1; n < 32; n++)
        if (n != SP)
            cpu_set_reg(f->cpu, n, regval(n));
}

/* Fill [addr, addr+len) with garbage so a word the trap must write shows. */
static void scribble(struct fx *f, uint32_t addr, uint32_t len)
{
    for (uint32_t a = addr; a < addr + len; a += 4)
        fx_w32(f, a, 0xA5A5A5A5u);
}

/* The machine halted with a double fault, and stays halted unchanged. */
static void assert_double_fault(struct fx *f, enum cpu_stop why)
{
    assert_int_equal(why, STOP_DOUBLE_FAULT);
    assert_true(f->cpu->halted);
    assert_true(f->cpu->halt_reason[0] != '\0');
    uint32_t x[32], pc = f->cpu->pc, status = f->cpu->status;
    uint64_t cycle = f->cpu->cycle, instret = f->cpu->instret;
    unsigned ntraps = f->ntraps;
    memcpy(x, f->cpu->x, sizeof x);
    assert_int_equal(cpu_step(f->cpu), STOP_DOUBLE_FAULT);
    assert_int_equal(cpu_run(f->cpu, 1000), STOP_DOUBLE_FAULT);
    assert_int_equal(cpu_step(f->cpu), STOP_DOUBLE_FAULT);
    assert_memory_equal(x, f->cpu->x, sizeof x);
    assert_int_equal(f->cpu->pc, pc);
    assert_int_equal(f->cpu->status, status);
    assert_int_equal(f->cpu->cycle, cycle);
    assert_int_equal(f->cpu->instret, instret);
    assert_int_equal(f->ntraps, ntraps);
    assert_true(f->cpu->halted);
}

/* Step 1-4 from kernel mode, with every frame word checked. */
static void test_frame_from_kernel(void **state)
{
    struct fx *f = *state;
    const uint32_t sp = 0x7000C; /* not 16-byte aligned */
    const uint32_t frame = (sp - FRAME_SIZE) & ~15u;
    assert_int_equal(frame, 0x6FF70u);
    fill_regs(f);
    cpu_set_reg(f->cpu, SP, sp);
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_STATUS, STATUS_IE | STATUS_DZ),
                     0);
    scribble(f, frame - 16, FRAME_SIZE + 32);
    uint32_t at = fx_emit(f, RV_EBREAK);
    uint64_t c0 = f->cpu->cycle, i0 = f->cpu->instret;

    const struct fx_trap *t = fx_run_to_trap(f);

    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(t->info.from_mode, MODE_KERNEL);
    assert_int_equal(t->info.epc, at);
    assert_int_equal(t->info.tval, RV_EBREAK);
    assert_int_equal(t->info.frame, frame);
    assert_int_equal(t->info.handler, FX_HANDLER(VEC_BREAKPOINT));
    for (unsigned n = 1; n < 32; n++)
        assert_int_equal(fx_frame(f, t, FRAME_X(n)), n == SP ? sp : regval(n));
    assert_int_equal(fx_frame(f, t, FRAME_PC), at);
    assert_int_equal(fx_frame(f, t, FRAME_STATUS),
                     STATUS_MODE | STATUS_IE | STATUS_DZ);
    assert_int_equal(fx_frame(f, t, FRAME_CAUSE), VEC_BREAKPOINT);
    assert_int_equal(fx_frame(f, t, FRAME_TVAL), RV_EBREAK);
    assert_int_equal(fx_frame(f, t, FRAME_ZERO), 0);
    /* nothing outside the frame was written */
    assert_int_equal(fx_r32(f, frame - 4), 0xA5A5A5A5u);
    assert_int_equal(fx_r32(f, frame + FRAME_SIZE), 0xA5A5A5A5u);

    /* after entry */
    assert_int_equal(cpu_reg(f->cpu, SP), frame);
    for (unsigned n = 1; n < 32; n++)
        if (n != SP)
            assert_int_equal(cpu_reg(f->cpu, n), regval(n));
    assert_int_equal(f->cpu->mode, MODE_KERNEL);
    assert_int_equal(f->cpu->status, STATUS_MODE | STATUS_DZ);
    assert_int_equal(f->cpu->pc, FX_HANDLER(VEC_BREAKPOINT));
    assert_int_equal(f->cpu->instret, i0);
    assert_int_equal(f->cpu->cycle - c0, C_TRAP);
    assert_int_equal(t->cycle - c0, C_TRAP);
}

/* From user mode the frame goes on KSP; STATUS saved without MODE. */
static void test_frame_from_user(void **state)
{
    struct fx *f = *state;
    const uint32_t ksp = FX_KSP + 8; /* not aligned: frame rounds down */
    const uint32_t frame = (ksp - FRAME_SIZE) & ~15u;
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_KSP, ksp), 0);
    fx_uorg(f, FX_UCODE);
    fx_emit(f, RV_ECALL);
    scribble(f, frame, FRAME_SIZE);
    fx_enter_user(f, FX_UCODE, 0);
    fill_regs(f);
    uint64_t c0 = f->cpu->cycle, i0 = f->cpu->instret;

    const struct fx_trap *t = fx_run_to_trap(f);

    assert_int_equal(t->info.vector, VEC_SYSCALL);
    assert_int_equal(t->info.from_mode, MODE_USER);
    assert_int_equal(t->info.epc, FX_UCODE + 4);
    assert_int_equal(t->info.tval, RV_ECALL);
    assert_int_equal(t->info.frame, frame);
    assert_int_equal(t->info.handler, FX_HANDLER(VEC_SYSCALL));
    for (unsigned n = 1; n < 32; n++)
        assert_int_equal(fx_frame(f, t, FRAME_X(n)),
                         n == SP ? FX_USP : regval(n));
    assert_int_equal(fx_frame(f, t, FRAME_PC), FX_UCODE + 4);
    assert_int_equal(fx_frame(f, t, FRAME_STATUS), 0);
    assert_int_equal(fx_frame(f, t, FRAME_CAUSE), VEC_SYSCALL);
    assert_int_equal(fx_frame(f, t, FRAME_TVAL), RV_ECALL);
    assert_int_equal(fx_frame(f, t, FRAME_ZERO), 0);
    assert_int_equal(cpu_reg(f->cpu, SP), frame);
    assert_int_equal(f->cpu->mode, MODE_KERNEL);
    assert_int_equal(f->cpu->status, STATUS_MODE);
    assert_int_equal(t->mode, MODE_KERNEL);
    uint32_t ksp_after;
    assert_int_equal(cpu_csr_peek(f->cpu, CSR_KSP, &ksp_after), 0);
    assert_int_equal(ksp_after, ksp); /* the hardware never moves KSP */
    assert_int_equal(f->cpu->instret, i0);
    assert_int_equal(f->cpu->cycle - c0, C_TRAP);
    /* the mode hook saw user -> kernel */
    assert_true(f->nmode >= 2);
    assert_int_equal(f->mode_old[f->nmode - 1], MODE_USER);
    assert_int_equal(f->mode_new[f->nmode - 1], MODE_KERNEL);
}

/* A user process with DZ: the bit is saved and kept into kernel mode. */
static void test_dz_kept_on_entry(void **state)
{
    struct fx *f = *state;
    fx_uorg(f, FX_UCODE);
    fx_emit(f, RV_EBREAK);
    fx_enter_user(f, FX_UCODE, STATUS_DZ);
    assert_int_equal(f->cpu->status, STATUS_DZ);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(t->info.epc, FX_UCODE);
    assert_int_equal(fx_frame(f, t, FRAME_STATUS), STATUS_DZ);
    assert_int_equal(f->cpu->status, STATUS_MODE | STATUS_DZ);
}

static void test_ecall_from_kernel(void **state)
{
    struct fx *f = *state;
    uint32_t at = fx_emit(f, RV_ECALL);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_SYSCALL);
    assert_int_equal(t->info.from_mode, MODE_KERNEL);
    assert_int_equal(t->info.epc, at + 4);
    assert_int_equal(fx_frame(f, t, FRAME_PC), at + 4);
    assert_int_equal(fx_frame(f, t, FRAME_TVAL), RV_ECALL);
    assert_int_equal(fx_frame(f, t, FRAME_X(SP)), FX_KSTACK);
    assert_int_equal(t->info.frame, FX_KSTACK - FRAME_SIZE);
}

/* A trap taken inside a handler pushes a second frame below the first. */
static void test_nested_trap_in_handler(void **state)
{
    struct fx *f = *state;
    fx_uorg(f, FX_UCODE);
    fx_emit(f, RV_ECALL);
    fx_org(f, FX_HANDLER(VEC_SYSCALL));
    uint32_t h = fx_emit(f, RV_EBREAK);
    fx_enter_user(f, FX_UCODE, 0);
    const struct fx_trap *t1 = fx_run_to_trap(f);
    uint32_t f1 = t1->info.frame;
    assert_int_equal(f1, FX_KSP - FRAME_SIZE);
    const struct fx_trap *t2 = fx_run_to_trap(f);
    assert_int_equal(t2->info.vector, VEC_BREAKPOINT);
    assert_int_equal(t2->info.from_mode, MODE_KERNEL);
    assert_int_equal(t2->info.frame, f1 - FRAME_SIZE);
    assert_int_equal(fx_frame(f, t2, FRAME_X(SP)), f1);
    assert_int_equal(fx_frame(f, t2, FRAME_PC), h);
    assert_int_equal(fx_frame(f, t2, FRAME_STATUS), STATUS_MODE);
    /* the first frame is intact */
    assert_int_equal(fx_r32(f, f1 + FRAME_PC), FX_UCODE + 4);
    assert_int_equal(fx_r32(f, f1 + FRAME_X(SP)), FX_USP);
}

/* Every encoding outside RV32IM + our privileged layer: vector 0. */
static const uint32_t illegal_words[] = {
    0x00000000u, /* all zero */
    0xFFFFFFFFu, /* all ones */
    0x00004501u, /* compressed c.li (low bits 01) */
    0x12345678u, /* low bits 00 */
    0x0000000Au, /* low bits 10 */
    0x00002007u, /* flw */
    0x00000053u, /* fadd.s */
    0x00002027u, /* fsw */
    0x0000202Fu, /* amoadd.w */
    0x1005252Fu, /* lr.w */
    0x04B50633u, /* add with funct7 = 2 (reserved) */
    0x40B51633u, /* sll with funct7 = 0x20 (reserved) */
    0x0000003Bu, /* addw (OP-32, RV64) */
    0x0000001Bu, /* addiw (OP-IMM-32, RV64) */
    0x02151513u, /* slli a0, a0, 33: funct7 != 0 (RV64 shamt) */
    0x02155513u, /* srli with shamt bit 5 set */
    0x42155513u, /* srai with shamt bit 5 set */
    0x20155513u, /* srli with funct7 = 0x10 */
    0x00053503u, /* ld (funct3 3) */
    0x00056503u, /* lwu (funct3 6) */
    0x00A53023u, /* sd (funct3 3) */
    0x00B52063u, /* branch funct3 2 */
    0x00B53063u, /* branch funct3 3 */
    0x000510E7u, /* jalr funct3 1 */
    0x0000000Bu, /* custom-0 */
    0x00004073u, /* SYSTEM funct3 4 */
    0x10200073u, /* sret */
    0x00200073u, /* uret */
};

static void test_illegal_encodings(void **state)
{
    struct fx *f = *state;
    for (size_t i = 0; i < sizeof illegal_words / sizeof illegal_words[0];
         i++) {
        uint32_t w = illegal_words[i];
        f->ntraps = 0;
        fx_org(f, K);
        f->cpu->pc = K;
        fill_regs(f);
        cpu_set_reg(f->cpu, SP, FX_KSTACK);
        fx_emit(f, w);
        uint64_t c0 = f->cpu->cycle, i0 = f->cpu->instret;
        const struct fx_trap *t = fx_run_to_trap(f);
        if (t->info.vector != VEC_ILLEGAL)
            print_error("word 0x%08x: vector %u\n", w, t->info.vector);
        assert_int_equal(t->info.vector, VEC_ILLEGAL);
        assert_int_equal(t->info.epc, K);
        assert_int_equal(t->info.tval, w);
        assert_int_equal(fx_frame(f, t, FRAME_TVAL), w);
        assert_int_equal(fx_frame(f, t, FRAME_PC), K);
        assert_int_equal(f->cpu->instret, i0);
        assert_int_equal(f->cpu->cycle - c0, C_TRAP);
        for (unsigned n = 1; n < 32; n++)
            if (n != SP)
                assert_int_equal(cpu_reg(f->cpu, n), regval(n));
    }
}

/* Illegal is vector 0 in user mode too (not the privilege trap). */
static void test_illegal_in_user_mode(void **state)
{
    struct fx *f = *state;
    fx_uorg(f, FX_UCODE);
    fx_emit(f, 0x00002007u);
    fx_enter_user(f, FX_UCODE, 0);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_ILLEGAL);
    assert_int_equal(t->info.from_mode, MODE_USER);
    assert_int_equal(t->info.epc, FX_UCODE);
    assert_int_equal(t->info.tval, 0x00002007u);
}

static void test_ebreak_from_user(void **state)
{
    struct fx *f = *state;
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_nop());
    fx_emit(f, RV_EBREAK);
    fx_enter_user(f, FX_UCODE, 0);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(t->info.from_mode, MODE_USER);
    assert_int_equal(t->info.epc, FX_UCODE + 4);
    assert_int_equal(fx_frame(f, t, FRAME_PC), FX_UCODE + 4);
    assert_int_equal(t->info.tval, RV_EBREAK);
}

/* A faulting load writes neither rd nor instret; a faulting store no
 * memory. Both cost the trap and nothing else. */
static void test_faulting_insn_does_not_retire(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, A0, 0x5555u);
    cpu_set_reg(f->cpu, A1, FX_RAM);
    fx_emit(f, rv_lw(A0, A1, 0));
    uint64_t c0 = f->cpu->cycle, i0 = f->cpu->instret;
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_MEMFAULT);
    assert_int_equal(t->info.tval, FX_RAM);
    assert_int_equal(t->info.epc, K);
    assert_int_equal(cpu_reg(f->cpu, A0), 0x5555u);
    assert_int_equal(f->cpu->instret, i0);
    assert_int_equal(f->cpu->cycle - c0, C_TRAP);

    /* a misaligned store leaves memory alone */
    fx_w32(f, DATA, 0x11111111u);
    fx_org(f, K + 0x40);
    f->cpu->pc = K + 0x40;
    cpu_set_reg(f->cpu, SP, FX_KSTACK);
    cpu_set_reg(f->cpu, A1, DATA + 2);
    cpu_set_reg(f->cpu, A2, 0x22222222u);
    fx_emit(f, rv_sw(A2, A1, 0));
    c0 = f->cpu->cycle;
    t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_MISALIGNED);
    assert_int_equal(t->info.tval, DATA + 2);
    assert_int_equal(fx_r32(f, DATA), 0x11111111u);
    assert_int_equal(fx_r32(f, DATA + 4), 0u);
    assert_int_equal(f->cpu->instret, i0);
    assert_int_equal(f->cpu->cycle - c0, C_TRAP);
}

/* rti in kernel mode pops everything, masks STATUS to MODE|IE|DZ. */
static void test_rti_restores_frame(void **state)
{
    struct fx *f = *state;
    const uint32_t frame = 0x60000;
    const uint32_t target = K + 0x200;
    for (unsigned n = 1; n < 32; n++)
        fx_w32(f, frame + FRAME_X(n), regval(n) ^ 0xFFFF0000u);
    fx_w32(f, frame + FRAME_PC, target);
    fx_w32(f, frame + FRAME_STATUS, 0xFFFFFFF0u | STATUS_MODE | STATUS_DZ);
    fx_w32(f, frame + FRAME_CAUSE, 123);
    fx_w32(f, frame + FRAME_TVAL, 456);
    cpu_set_reg(f->cpu, SP, frame);
    uint32_t at = fx_emit(f, RV_RTI);
    uint64_t c0 = f->cpu->cycle, i0 = f->cpu->instret;
    fx_step(f);
    for (unsigned n = 1; n < 32; n++)
        assert_int_equal(cpu_reg(f->cpu, n), regval(n) ^ 0xFFFF0000u);
    assert_int_equal(f->cpu->pc, target);
    assert_int_equal(f->cpu->status, STATUS_MODE | STATUS_DZ);
    assert_int_equal(f->cpu->mode, MODE_KERNEL);
    assert_int_equal(f->cpu->instret - i0, 1);
    assert_int_equal(f->cpu->cycle - c0, C_RTI);
    assert_int_equal(f->nrti, 1);
    assert_int_equal(f->rti_pc, at);
    assert_int_equal(f->ntraps, 0);
}

/* rti to user mode: STATUS from the frame, MODE 0; the mode hook runs. */
static void test_rti_to_user(void **state)
{
    struct fx *f = *state;
    fx_uorg(f, FX_UCODE + 0x100);
    fx_emit(f, rv_addi(A0, A0, 1));
    fx_emit(f, RV_EBREAK);
    unsigned nmode = f->nmode;
    fx_enter_user(f, FX_UCODE + 0x100, STATUS_IE | 0xF0u);
    assert_int_equal(f->cpu->status, STATUS_IE);
    assert_int_equal(cpu_reg(f->cpu, SP), FX_USP);
    assert_int_equal(f->nmode, nmode + 1);
    assert_int_equal(f->mode_old[nmode], MODE_KERNEL);
    assert_int_equal(f->mode_new[nmode], MODE_USER);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(t->info.from_mode, MODE_USER);
    assert_int_equal(cpu_reg(f->cpu, A0), 1);
    assert_int_equal(fx_frame(f, t, FRAME_STATUS), STATUS_IE);
}

/* The system call protocol: user ecall, the handler writes a0 in the
 * frame and returns with rti: the user resumes after the ecall. */
static void test_syscall_round_trip(void **state)
{
    struct fx *f = *state;
    fx_uorg(f, FX_UCODE);
    fx_emit(f, RV_ECALL);
    fx_emit(f, rv_addi(A1, A0, 1));
    fx_emit(f, RV_EBREAK);
    fx_org(f, FX_HANDLER(VEC_SYSCALL));
    fx_emit(f, rv_addi(T0, ZERO, 77));
    fx_emit(f, rv_sw(T0, SP, FRAME_X(A0)));
    fx_emit(f, rv_addi(T1, ZERO, 5)); /* clobbered; rti restores it */
    fx_emit(f, RV_RTI);
    fx_enter_user(f, FX_UCODE, 0);
    fill_regs(f);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_SYSCALL);
    t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(t->info.epc, FX_UCODE + 8);
    assert_int_equal(t->info.from_mode, MODE_USER);
    assert_int_equal(fx_frame(f, t, FRAME_X(A0)), 77);
    assert_int_equal(fx_frame(f, t, FRAME_X(A1)), 78);
    assert_int_equal(fx_frame(f, t, FRAME_X(T0)), regval(T0));
    assert_int_equal(fx_frame(f, t, FRAME_X(T1)), regval(T1));
    assert_int_equal(fx_frame(f, t, FRAME_X(SP)), FX_USP);
    assert_int_equal(f->nrti, 2); /* fx_enter_user's and the handler's */
}

/* rti in user mode is the privilege trap, and changes nothing first. */
static void test_rti_in_user_mode(void **state)
{
    struct fx *f = *state;
    fx_uorg(f, FX_UCODE);
    fx_emit(f, RV_RTI);
    fx_enter_user(f, FX_UCODE, 0);
    fill_regs(f);
    unsigned nrti = f->nrti;
    uint64_t i0 = f->cpu->instret;
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_PRIVILEGED);
    assert_int_equal(t->info.from_mode, MODE_USER);
    assert_int_equal(t->info.epc, FX_UCODE);
    assert_int_equal(t->info.tval, RV_RTI);
    assert_int_equal(t->info.frame, FX_KSP - FRAME_SIZE);
    for (unsigned n = 1; n < 32; n++)
        assert_int_equal(fx_frame(f, t, FRAME_X(n)),
                         n == SP ? FX_USP : regval(n));
    assert_int_equal(fx_frame(f, t, FRAME_STATUS), 0);
    assert_int_equal(f->nrti, nrti);
    assert_int_equal(f->cpu->instret, i0);
}

/* rti reading a frame that runs off the end of RAM: memory fault from
 * kernel mode, tval = the address that could not be read (the spec says
 * "the address": the frame's first word outside RAM, or the frame's
 * address when the whole frame is checked first), nothing restored. */
static void test_rti_frame_outside_ram_faults(void **state)
{
    struct fx *f = *state;
    const uint32_t sp = FX_RAM - 64;
    fill_regs(f);
    cpu_set_reg(f->cpu, SP, sp);
    for (unsigned n = 1; n <= 16; n++)
        fx_w32(f, sp + FRAME_X(n), 0xBAD00000u + n);
    uint32_t at = fx_emit(f, RV_RTI);
    uint64_t i0 = f->cpu->instret;
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_MEMFAULT);
    assert_int_equal(t->info.from_mode, MODE_KERNEL);
    assert_int_equal(t->info.epc, at);
    assert_true(t->info.tval == sp || t->info.tval == FX_RAM);
    assert_int_equal(t->info.frame, (sp - FRAME_SIZE) & ~15u);
    /* the frame of the fault holds the registers as before the rti */
    for (unsigned n = 1; n < 32; n++)
        assert_int_equal(fx_frame(f, t, FRAME_X(n)), n == SP ? sp : regval(n));
    assert_int_equal(fx_frame(f, t, FRAME_STATUS), STATUS_MODE);
    assert_int_equal(f->cpu->instret, i0);
    assert_int_equal(f->nrti, 0);
}

/* docs/isa.md: rti with a misaligned sp raises vector 3 and changes
 * nothing. */
static void test_rti_misaligned_sp(void **state)
{
    struct fx *f = *state;
    const uint32_t sp = 0x60002;
    fill_regs(f);
    cpu_set_reg(f->cpu, SP, sp);
    uint32_t at = fx_emit(f, RV_RTI);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_MISALIGNED);
    assert_int_equal(t->info.epc, at);
    assert_int_equal(t->info.tval, sp);
    for (unsigned n = 1; n < 32; n++)
        assert_int_equal(fx_frame(f, t, FRAME_X(n)), n == SP ? sp : regval(n));
    assert_int_equal(f->nrti, 0);
}

/* rti with sp entirely outside RAM: the memory fault's own frame would
 * go there too (kernel mode pushes on x2): a double fault. */
static void test_rti_frame_far_outside_ram_double_faults(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, SP, 0xFFFFFF00u);
    fx_emit(f, RV_RTI);
    assert_double_fault(f, cpu_step(f->cpu));
}

/* Trap entry's frame stores over code that already ran: after fence.i
 * the handler fetches the frame words, not the old instructions. */
static void test_frame_over_code_fence_i(void **state)
{
    struct fx *f = *state;
    const uint32_t frame = 0x6FF70;
    fx_org(f, frame);
    fx_emit(f, rv_addi(A0, ZERO, 1));
    fx_emit(f, RV_EBREAK);
    fx_org(f, FX_HANDLER(VEC_BREAKPOINT));
    fx_emit(f, RV_FENCE_I);
    fx_emit(f, rv_jalr(ZERO, T0, 0));
    /* first run the code at the frame's place */
    f->cpu->pc = frame;
    fx_run_to_trap(f);
    assert_int_equal(cpu_reg(f->cpu, A0), 1);
    /* now push a frame there: x1 = "addi a0, zero, 77", saved x2 =
     * 0x70000 (low bits 00: illegal) */
    f->ntraps = 0;
    fx_org(f, K);
    f->cpu->pc = K;
    cpu_set_reg(f->cpu, RA, rv_addi(A0, ZERO, 77));
    cpu_set_reg(f->cpu, SP, frame + FRAME_SIZE);
    cpu_set_reg(f->cpu, T0, frame);
    fx_emit(f, RV_EBREAK);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.frame, frame);
    t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_ILLEGAL);
    assert_int_equal(t->info.epc, frame + 4);
    assert_int_equal(t->info.tval, frame + FRAME_SIZE);
    assert_int_equal(cpu_reg(f->cpu, A0), 77);
}

/* ---- Double faults -------------------------------------------------- */
static void test_double_fault_ttr_unset(void **state)
{
    struct fx *f = *state;
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_TTR, 0), 0);
    fx_emit(f, RV_ECALL);
    assert_double_fault(f, cpu_step(f->cpu));
    assert_int_equal(f->ntraps, 0);
}

static void test_double_fault_handler_zero(void **state)
{
    struct fx *f = *state;
    fx_w32(f, FX_TTR + 4 * VEC_SYSCALL, 0);
    fx_emit(f, RV_ECALL);
    assert_double_fault(f, cpu_run(f->cpu, 1000));
}

static void test_double_fault_entry_outside_ram(void **state)
{
    struct fx *f = *state;
    /* entries 0..3 are the last 16 bytes of RAM; entry 4 is past it */
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_TTR, FX_RAM - 16), 0);
    fx_emit(f, RV_EBREAK);
    assert_double_fault(f, cpu_step(f->cpu));
}

static void test_double_fault_entry_far_outside_ram(void **state)
{
    struct fx *f = *state;
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_TTR, 0xFFFFFFF0u), 0);
    fx_emit(f, RV_ECALL); /* entry 8 at 0xFFFFFFF0 + 32: wraps to 0x10 */
    fx_w32(f, 0x10, FX_HANDLER(VEC_SYSCALL));
    assert_double_fault(f, cpu_step(f->cpu));
}

static void test_double_fault_handler_misaligned(void **state)
{
    struct fx *f = *state;
    fx_w32(f, FX_TTR + 4 * VEC_SYSCALL, FX_HANDLER(VEC_SYSCALL) + 2);
    fx_emit(f, RV_ECALL);
    assert_double_fault(f, cpu_step(f->cpu));
}

static void test_double_fault_handler_outside_ram(void **state)
{
    struct fx *f = *state;
    fx_w32(f, FX_TTR + 4 * VEC_SYSCALL, FX_RAM);
    fx_emit(f, RV_ECALL);
    assert_double_fault(f, cpu_step(f->cpu));
}

static void test_double_fault_handler_in_devices(void **state)
{
    struct fx *f = *state;
    fx_w32(f, FX_TTR + 4 * VEC_SYSCALL, TIMER_BASE);
    fx_emit(f, RV_ECALL);
    assert_double_fault(f, cpu_step(f->cpu));
}

/* Kernel sp so low that the frame would wrap below address 0. */
static void test_double_fault_frame_wraps(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, SP, 0x80);
    fx_emit(f, RV_ECALL);
    assert_double_fault(f, cpu_step(f->cpu));
}

static void test_double_fault_frame_sp_zero(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, SP, 0);
    fx_emit(f, RV_ECALL);
    assert_double_fault(f, cpu_step(f->cpu));
}

/* A frame that starts in RAM and ends past it. */
static void test_double_fault_frame_straddles_end(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, SP, FX_RAM + 16); /* frame at FX_RAM - 128 */
    fx_emit(f, RV_ECALL);
    assert_double_fault(f, cpu_step(f->cpu));
}

static void test_double_fault_frame_beyond_ram(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, SP, FX_RAM + FRAME_SIZE); /* frame at FX_RAM */
    fx_emit(f, RV_ECALL);
    assert_double_fault(f, cpu_step(f->cpu));
}

/* The edges that are still fine: a frame at 0, and one ending at the top. */
static void test_frame_at_ram_edges_is_fine(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, SP, FRAME_SIZE);
    uint32_t at = fx_emit(f, RV_ECALL);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.frame, 0);
    assert_int_equal(fx_r32(f, FRAME_PC), at + 4);
    assert_false(f->cpu->halted);

    fx_org(f, K + 0x40);
    f->cpu->pc = K + 0x40;
    cpu_set_reg(f->cpu, SP, FX_RAM);
    fx_emit(f, RV_EBREAK);
    t = fx_run_to_trap(f);
    assert_int_equal(t->info.frame, FX_RAM - FRAME_SIZE);
    assert_int_equal(fx_r32(f, FX_RAM - 4), 0);
    assert_false(f->cpu->halted);
}

/* From user mode the frame goes on KSP: KSP = 0 is a double fault even
 * with a good user sp. */
static void test_double_fault_ksp_zero(void **state)
{
    struct fx *f = *state;
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_KSP, 0), 0);
    fx_uorg(f, FX_UCODE);
    fx_emit(f, RV_ECALL);
    fx_enter_user(f, FX_UCODE, 0);
    assert_double_fault(f, cpu_step(f->cpu));
}

static void test_double_fault_ksp_outside_ram(void **state)
{
    struct fx *f = *state;
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_KSP, FX_RAM + 0x1000), 0);
    fx_uorg(f, FX_UCODE);
    fx_emit(f, RV_ECALL);
    fx_enter_user(f, FX_UCODE, 0);
    assert_double_fault(f, cpu_run(f->cpu, 1000));
}

/* ---- Misaligned accesses and jumps ----------------------------------- */
static void expect_misaligned(struct fx *f, uint32_t insn, uint32_t a1,
                              uint32_t tval)
{
    f->ntraps = 0;
    fx_org(f, K);
    f->cpu->pc = K;
    cpu_set_reg(f->cpu, SP, FX_KSTACK);
    cpu_set_reg(f->cpu, A0, 0x5555u);
    cpu_set_reg(f->cpu, A1, a1);
    fx_emit(f, insn);
    const struct fx_trap *t = fx_run_to_trap(f);
    if (t->info.vector != VEC_MISALIGNED || t->info.tval != tval)
        print_error("insn 0x%08x a1 0x%x: vector %u tval 0x%x\n", insn, a1,
                    t->info.vector, t->info.tval);
    assert_int_equal(t->info.vector, VEC_MISALIGNED);
    assert_int_equal(t->info.epc, K);
    assert_int_equal(t->info.tval, tval);
    assert_int_equal(cpu_reg(f->cpu, A0), 0x5555u);
}

static void test_misaligned_loads_stores(void **state)
{
    struct fx *f = *state;
    expect_misaligned(f, rv_lh(A0, A1, 0), DATA + 1, DATA + 1);
    expect_misaligned(f, rv_lhu(A0, A1, 0), DATA + 3, DATA + 3);
    expect_misaligned(f, rv_lh(A0, A1, 1), DATA, DATA + 1);
    expect_misaligned(f, rv_lw(A0, A1, 0), DATA + 2, DATA + 2);
    expect_misaligned(f, rv_lw(A0, A1, 0), DATA + 1, DATA + 1);
    expect_misaligned(f, rv_lw(A0, A1, -1), DATA, DATA - 1);
    expect_misaligned(f, rv_sh(A0, A1, 0), DATA + 1, DATA + 1);
    expect_misaligned(f, rv_sw(A0, A1, 0), DATA + 1, DATA + 1);
    expect_misaligned(f, rv_sw(A0, A1, 2), DATA, DATA + 2);
}

static void test_aligned_small_accesses_fine(void **state)
{
    struct fx *f = *state;
    fx_w32(f, DATA, 0x44332211u);
    cpu_set_reg(f->cpu, A1, DATA);
    fx_emit(f, rv_lb(A2, A1, 3));
    fx_emit(f, rv_lbu(A3, A1, 1));
    fx_emit(f, rv_lh(A4, A1, 2));
    fx_emit(f, rv_sb(A2, A1, 1));
    fx_emit(f, rv_sh(A2, A1, 2));
    fx_emit(f, RV_EBREAK);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(cpu_reg(f->cpu, A2), 0x44u);
    assert_int_equal(cpu_reg(f->cpu, A3), 0x22u);
    assert_int_equal(cpu_reg(f->cpu, A4), 0x4433u);
    assert_int_equal(fx_r32(f, DATA), 0x00444411u);
}

static void test_misaligned_jumps(void **state)
{
    struct fx *f = *state;
    /* jal a0, +6: the target K+6, rd not written */
    expect_misaligned(f, rv_jal(A0, 6), 0, K + 6);
    /* jalr a0, 0(a1) to K+0x102 */
    expect_misaligned(f, rv_jalr(A0, A1, 0), K + 0x102, K + 0x102);
    /* jalr to K+0x103: bit 0 cleared first, K+0x102 still misaligned */
    expect_misaligned(f, rv_jalr(A0, A1, 0), K + 0x103, K + 0x102);
    /* jalr via the immediate */
    expect_misaligned(f, rv_jalr(A0, A1, 2), K + 0x100, K + 0x102);
    /* taken branch with a target not a multiple of 4 */
    expect_misaligned(f, rv_beq(ZERO, ZERO, 6), 0, K + 6);
    expect_misaligned(f, rv_bne(A1, ZERO, -2), 1, K - 2);
    /* every kind of branch (each decodes to its own fast handler, and a
     * misaligned target to a slow one that still tests its condition) */
    expect_misaligned(f, rv_blt(ZERO, A1, 6), 1, K + 6);
    expect_misaligned(f, rv_bge(A1, ZERO, 10), 0, K + 10);
    expect_misaligned(f, rv_bltu(ZERO, A1, -6), 1, K - 6);
    expect_misaligned(f, rv_bgeu(A1, ZERO, 2), 0, K + 2);
}

/* A not-taken branch never checks its target; jalr with an odd target
 * that clears to an aligned one is fine. */
static void test_misaligned_target_not_taken_is_fine(void **state)
{
    struct fx *f = *state;
    cpu_set_reg(f->cpu, A1, K + 0x101);
    fx_emit(f, rv_bne(ZERO, ZERO, 6));
    fx_emit(f, rv_jalr(A0, A1, 0));
    fx_org(f, K + 0x100);
    fx_emit(f, RV_EBREAK);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(t->info.epc, K + 0x100);
    assert_int_equal(cpu_reg(f->cpu, A0), K + 8);
}

static void test_misaligned_in_user_mode_virtual_tval(void **state)
{
    struct fx *f = *state;
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_lw(A0, A1, 2));
    fx_enter_user(f, FX_UCODE, 0);
    cpu_set_reg(f->cpu, A1, 0x2000);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_MISALIGNED);
    assert_int_equal(t->info.from_mode, MODE_USER);
    assert_int_equal(t->info.tval, 0x2002u);
    assert_int_equal(t->info.epc, FX_UCODE);
}

/* ---- Divide by zero with STATUS.DZ ----------------------------------- */
static void test_divide_by_zero_traps_with_dz(void **state)
{
    struct fx *f = *state;
    uint32_t (*ops[])(unsigned, unsigned, unsigned) = {rv_div, rv_divu, rv_rem,
                                                       rv_remu};
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_STATUS, STATUS_DZ), 0);
    for (unsigned i = 0; i < 4; i++) {
        f->ntraps = 0;
        fx_org(f, K);
        f->cpu->pc = K;
        cpu_set_reg(f->cpu, SP, FX_KSTACK);
        cpu_set_reg(f->cpu, A0, 0x5555u);
        cpu_set_reg(f->cpu, A1, 99);
        uint32_t w = ops[i](A0, A1, ZERO);
        fx_emit(f, w);
        uint64_t c0 = f->cpu->cycle, i0 = f->cpu->instret;
        const struct fx_trap *t = fx_run_to_trap(f);
        assert_int_equal(t->info.vector, VEC_DIVZERO);
        assert_int_equal(t->info.epc, K);
        assert_int_equal(t->info.tval, w);
        assert_int_equal(cpu_reg(f->cpu, A0), 0x5555u);
        assert_int_equal(f->cpu->cycle - c0, C_TRAP);
        assert_int_equal(f->cpu->instret, i0);
        assert_int_equal(f->cpu->status, STATUS_MODE | STATUS_DZ);
        assert_int_equal(cpu_csr_poke(f->cpu, CSR_STATUS, STATUS_DZ), 0);
    }
}

static void test_divide_by_zero_user_with_dz(void **state)
{
    struct fx *f = *state;
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_nop());
    uint32_t w = rv_divu(A0, A1, A2);
    fx_emit(f, w);
    fx_enter_user(f, FX_UCODE, STATUS_DZ);
    cpu_set_reg(f->cpu, A1, 7);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_DIVZERO);
    assert_int_equal(t->info.from_mode, MODE_USER);
    assert_int_equal(t->info.epc, FX_UCODE + 4);
    assert_int_equal(t->info.tval, w);
    assert_int_equal(fx_frame(f, t, FRAME_STATUS), STATUS_DZ);
}

/* DZ is the executing mode's: a user process without it gets the RISC-V
 * results even though the kernel had DZ set before the rti. */
static void test_divide_by_zero_user_without_dz(void **state)
{
    struct fx *f = *state;
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_STATUS, STATUS_DZ), 0);
    fx_uorg(f, FX_UCODE);
    fx_emit(f, rv_div(A0, A1, ZERO));
    fx_emit(f, rv_remu(A2, A1, ZERO));
    fx_emit(f, RV_EBREAK);
    fx_enter_user(f, FX_UCODE, 0);
    cpu_set_reg(f->cpu, A1, 7);
    const struct fx_trap *t = fx_run_to_trap(f);
    assert_int_equal(t->info.vector, VEC_BREAKPOINT);
    assert_int_equal(cpu_reg(f->cpu, A0), 0xFFFFFFFFu);
    assert_int_equal(cpu_reg(f->cpu, A2), 7);
}

/* ---- Hooks ---------------------------------------------------------- */
/* The trap hook stops cpu_run at the handler's first instruction. */
static void test_trap_hook_stops_run(void **state)
{
    struct fx *f = *state;
    fx_emit(f, rv_addi(A0, ZERO, 1));
    uint32_t at = fx_emit(f, RV_ECALL);
    fx_emit(f, rv_addi(A0, ZERO, 2));
    fx_org(f, FX_HANDLER(VEC_SYSCALL));
    fx_emit(f, rv_addi(A5, ZERO, 9));
    f->stop_on_trap = true;
    assert_int_equal(cpu_run(f->cpu, 100000), STOP_HOOK);
    assert_int_equal(f->ntraps, 1);
    assert_int_equal(f->cpu->pc, FX_HANDLER(VEC_SYSCALL));
    assert_int_equal(cpu_reg(f->cpu, A5), 0);
    assert_int_equal(cpu_reg(f->cpu, A0), 1);
    assert_int_equal(f->cpu->cycle, C_ALU + C_TRAP);
    assert_int_equal(f->traps[0].info.epc, at + 4);
    /* the hook saw the machine after entry */
    assert_int_equal(f->traps[0].pc, FX_HANDLER(VEC_SYSCALL));
    assert_int_equal(f->traps[0].sp, f->traps[0].info.frame);
    assert_int_equal(f->traps[0].mode, MODE_KERNEL);
    /* continuing runs the handler */
    f->stop_on_trap = false;
    fx_step(f);
    assert_int_equal(cpu_reg(f->cpu, A5), 9);
}

/* A trap during cpu_step: that step delivers it and stops at the handler. */
static void test_step_delivers_trap(void **state)
{
    struct fx *f = *state;
    fx_emit(f, RV_ECALL);
    fx_org(f, FX_HANDLER(VEC_SYSCALL));
    fx_emit(f, rv_addi(A5, ZERO, 9));
    assert_int_equal(cpu_step(f->cpu), STOP_BUDGET);
    assert_int_equal(f->ntraps, 1);
    assert_int_equal(f->cpu->pc, FX_HANDLER(VEC_SYSCALL));
    assert_int_equal(cpu_reg(f->cpu, A5), 0);
    assert_int_equal(f->cpu->cycle, C_TRAP);
}

/* The rti hook can stop cpu_run once the rti is complete. */
static void test_rti_hook_stops_run(void **state)
{
    struct fx *f = *state;
    fx_uorg(f, FX_UCODE);
    fx_emit(f, RV_ECALL);
    fx_emit(f, rv_jal(ZERO, 0));
    fx_org(f, FX_HANDLER(VEC_SYSCALL));
    uint32_t rti_at = fx_emit(f, RV_RTI);
    fx_enter_user(f, FX_UCODE, 0);
    f->stop_on_rti = true;
    assert_int_equal(cpu_run(f->cpu, 100000), STOP_HOOK);
    assert_int_equal(f->rti_pc, rti_at);
    assert_int_equal(f->cpu->mode, MODE_USER);
    assert_int_equal(f->cpu->pc, FX_UCODE + 4);
    assert_int_equal(f->ntraps, 1);
}

#define TRAP_TESTS(setup)                                                      \
    cmocka_unit_test_setup_teardown(test_frame_from_kernel, setup,             \
                                    fx_teardown),                              \
        cmocka_unit_test_setup_teardown(test_frame_from_user, setup,           \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_dz_kept_on_entry, setup,          \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_ecall_from_kernel, setup,         \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_nested_trap_in_handler, setup,    \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_illegal_encodings, setup,         \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_illegal_in_user_mode, setup,      \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_ebreak_from_user, setup,          \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_faulting_insn_does_not_retire,    \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(test_rti_to_user, setup, fx_teardown), \
        cmocka_unit_test_setup_teardown(test_syscall_round_trip, setup,        \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_rti_in_user_mode, setup,          \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_rti_frame_outside_ram_faults,     \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(test_misaligned_loads_stores, setup,   \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(test_aligned_small_accesses_fine,      \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(test_misaligned_jumps, setup,          \
                                        fx_teardown),                          \
        cmocka_unit_test_setup_teardown(                                       \
            test_misaligned_target_not_taken_is_fine, setup, fx_teardown),     \
        cmocka_unit_test_setup_teardown(                                       \
            test_misaligned_in_user_mode_virtual_tval, setup, fx_teardown),    \
        cmocka_unit_test_setup_teardown(test_divide_by_zero_traps_with_dz,     \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(test_divide_by_zero_user_with_dz,      \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(test_divide_by_zero_user_without_dz,   \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(test_frame_at_ram_edges_is_fine,       \
                                        setup, fx_teardown),                   \
        cmocka_unit_test_setup_teardown(test_frame_over_code_fence_i, setup,   \
                                        fx_teardown)

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest once[] = {
        T(test_rti_restores_frame),
        T(test_rti_misaligned_sp),
        T(test_rti_frame_far_outside_ram_double_faults),
        T(test_double_fault_ttr_unset),
        T(test_double_fault_handler_zero),
        T(test_double_fault_entry_outside_ram),
        T(test_double_fault_entry_far_outside_ram),
        T(test_double_fault_handler_misaligned),
        T(test_double_fault_handler_outside_ram),
        T(test_double_fault_handler_in_devices),
        T(test_double_fault_frame_wraps),
        T(test_double_fault_frame_sp_zero),
        T(test_double_fault_frame_straddles_end),
        T(test_double_fault_frame_beyond_ram),
        T(test_double_fault_ksp_zero),
        T(test_double_fault_ksp_outside_ram),
        T(test_trap_hook_stops_run),
        T(test_step_delivers_trap),
        T(test_rti_hook_stops_run),
    };
    const struct CMUnitTest step_tests[] = {TRAP_TESTS(fx_setup)};
    const struct CMUnitTest run_tests[] = {TRAP_TESTS(fx_setup_run)};
    int failed = cmocka_run_group_tests_name("trap", once, NULL, NULL);
    failed +=
        cmocka_run_group_tests_name("trap (cpu_step)", step_tests, NULL, NULL);
    failed +=
        cmocka_run_group_tests_name("trap (cpu_run)", run_tests, NULL, NULL);
    return failed != 0;
}
