/*
 * machine_fixture.h: a small LDE machine for the cmocka unit tests.
 *
 * Every test builds the same machine: 1 MiB of RAM, a trap table with a
 * distinct handler address per vector, a kernel stack, KSP and a user
 * partition. Tests write instruction words with the tiny encoder below (so
 * they read as assembly), step or run, and assert registers, frame words
 * and cycles. The expected values come from docs/isa.md (the contract) and
 * the emulator's spec, never from the emulator's code.
 *
 * Physical layout:
 *   0x00800  trap table (32 words), TTR
 *   0x02000  handler of vector v at FX_HANDLER(v) = 0x2000 + 0x100 * v
 *   0x0F000  kernel stub holding one rti (fx_enter_user)
 *   0x10000  kernel code, pc at reset (FX_KCODE)
 *   0x40000  user partition (UBASE), 128 KiB (UBOUND); user code at va 0x1000
 *   0x70000  kernel sp at reset (FX_KSTACK)
 *   0x80000  KSP: the kernel stack for traps from user mode
 */
#ifndef LDE_MACHINE_FIXTURE_H
#define LDE_MACHINE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu.h"
#include "rvenc.h"

#define FX_RAM (1u << 20)
#define FX_TTR 0x800u
#define FX_HANDLER(v) (0x2000u + 0x100u * (uint32_t)(v))
#define FX_RTI_STUB 0xF000u
#define FX_KCODE 0x10000u
#define FX_UBASE 0x40000u
#define FX_UBOUND 0x20000u
#define FX_UCODE 0x1000u
#define FX_USP (FX_UBOUND - 16u)
#define FX_KSTACK 0x70000u
#define FX_KSP 0x80000u

/* Default costs, spelled out here so that a changed default fails a test. */
#define C_ALU 1u
#define C_LOAD 2u
#define C_STORE 2u
#define C_BRANCH 1u
#define C_TAKEN 2u
#define C_JUMP 2u
#define C_MUL 3u
#define C_DIV 34u
#define C_CSR 2u
#define C_FENCE 1u
#define C_WFI 1u
#define C_TRAP (8u + 36u * 2u) /* 80: fixed part plus 36 stores */
#define C_RTI (8u + 33u * 2u)  /* 74: fixed part plus 33 loads */

/* ---- Registers ---------------------------------------------------------- */
enum {
    ZERO,
    RA,
    SP,
    GP,
    TP,
    T0,
    T1,
    T2,
    S0,
    S1,
    A0,
    A1,
    A2,
    A3,
    A4,
    A5,
    A6,
    A7,
    S2,
    S3,
    S4,
    S5,
    S6,
    S7,
    S8,
    S9,
    S10,
    S11,
    T3,
    T4,
    T5,
    T6
};

/* ---- Encoder: one function per format (rvenc.h), one per instruction ---- */
/* Each generator ends in a _Static_assert so that an invocation takes a
 * semicolon like a declaration (and clang-format keeps one per line). */
#define RV_R(name, f7, f3)                                                     \
    static inline uint32_t rv_##name(unsigned rd, unsigned rs1, unsigned rs2)  \
    {                                                                          \
        return enc_r(f7, rs2, rs1, f3, rd, 0x33u);                             \
    }                                                                          \
    _Static_assert(1, #name)
RV_R(add, 0x00, 0);
RV_R(sub, 0x20, 0);
RV_R(sll, 0x00, 1);
RV_R(slt, 0x00, 2);
RV_R(sltu, 0x00, 3);
RV_R(xor, 0x00, 4);
RV_R(srl, 0x00, 5);
RV_R(sra, 0x20, 5);
RV_R(or, 0x00, 6);
RV_R(and, 0x00, 7);
RV_R(mul, 0x01, 0);
RV_R(mulh, 0x01, 1);
RV_R(mulhsu, 0x01, 2);
RV_R(mulhu, 0x01, 3);
RV_R(div, 0x01, 4);
RV_R(divu, 0x01, 5);
RV_R(rem, 0x01, 6);
RV_R(remu, 0x01, 7);
#undef RV_R

#define RV_I(name, f3, op)                                                     \
    static inline uint32_t rv_##name(unsigned rd, unsigned rs1, int32_t imm)   \
    {                                                                          \
        return enc_i(imm, rs1, f3, rd, op);                                    \
    }                                                                          \
    _Static_assert(1, #name)
RV_I(addi, 0, 0x13u);
RV_I(slti, 2, 0x13u);
RV_I(sltiu, 3, 0x13u);
RV_I(xori, 4, 0x13u);
RV_I(ori, 6, 0x13u);
RV_I(andi, 7, 0x13u);
RV_I(jalr, 0, 0x67u);
/* Loads: rv_lw(rd, rs1, off) means lw rd, off(rs1). */
RV_I(lb, 0, 0x03u);
RV_I(lh, 1, 0x03u);
RV_I(lw, 2, 0x03u);
RV_I(lbu, 4, 0x03u);
RV_I(lhu, 5, 0x03u);
#undef RV_I

static inline uint32_t rv_slli(unsigned rd, unsigned rs1, unsigned sh)
{
    return enc_i((int32_t)(sh & 31u), rs1, 1, rd, 0x13u);
}
static inline uint32_t rv_srli(unsigned rd, unsigned rs1, unsigned sh)
{
    return enc_i((int32_t)(sh & 31u), rs1, 5, rd, 0x13u);
}
static inline uint32_t rv_srai(unsigned rd, unsigned rs1, unsigned sh)
{
    return enc_i((int32_t)(0x400u | (sh & 31u)), rs1, 5, rd, 0x13u);
}

/* Stores: rv_sw(rs2, rs1, off) means sw rs2, off(rs1). */
static inline uint32_t rv_sb(unsigned rs2, unsigned rs1, int32_t off)
{
    return enc_s(off, rs2, rs1, 0, 0x23u);
}
static inline uint32_t rv_sh(unsigned rs2, unsigned rs1, int32_t off)
{
    return enc_s(off, rs2, rs1, 1, 0x23u);
}
static inline uint32_t rv_sw(unsigned rs2, unsigned rs1, int32_t off)
{
    return enc_s(off, rs2, rs1, 2, 0x23u);
}

/* Branches: the offset is relative to the branch itself. */
#define RV_B(name, f3)                                                         \
    static inline uint32_t rv_##name(unsigned rs1, unsigned rs2, int32_t off)  \
    {                                                                          \
        return enc_b(off, rs1, rs2, f3);                                       \
    }                                                                          \
    _Static_assert(1, #name)
RV_B(beq, 0);
RV_B(bne, 1);
RV_B(blt, 4);
RV_B(bge, 5);
RV_B(bltu, 6);
RV_B(bgeu, 7);
#undef RV_B

static inline uint32_t rv_lui(unsigned rd, uint32_t imm20)
{
    return enc_u(imm20, rd, 0x37u);
}
static inline uint32_t rv_auipc(unsigned rd, uint32_t imm20)
{
    return enc_u(imm20, rd, 0x17u);
}
static inline uint32_t rv_jal(unsigned rd, int32_t off)
{
    return enc_j(off, rd);
}
static inline uint32_t rv_nop(void)
{
    return rv_addi(ZERO, ZERO, 0);
}

/* csr instructions: f3 1..3 take rs1, 5..7 take a 5-bit immediate. */
static inline uint32_t rv_csr(uint32_t f3, unsigned rd, uint32_t csr,
                              unsigned rs1_or_uimm)
{
    return (csr & 0xFFFu) << 20 | (uint32_t)(rs1_or_uimm & 31u) << 15 |
           f3 << 12 | (uint32_t)rd << 7 | 0x73u;
}
static inline uint32_t rv_csrrw(unsigned rd, uint32_t csr, unsigned rs1)
{
    return rv_csr(1, rd, csr, rs1);
}
static inline uint32_t rv_csrrs(unsigned rd, uint32_t csr, unsigned rs1)
{
    return rv_csr(2, rd, csr, rs1);
}
static inline uint32_t rv_csrrc(unsigned rd, uint32_t csr, unsigned rs1)
{
    return rv_csr(3, rd, csr, rs1);
}
static inline uint32_t rv_csrrwi(unsigned rd, uint32_t csr, unsigned uimm)
{
    return rv_csr(5, rd, csr, uimm);
}
static inline uint32_t rv_csrrsi(unsigned rd, uint32_t csr, unsigned uimm)
{
    return rv_csr(6, rd, csr, uimm);
}
static inline uint32_t rv_csrrci(unsigned rd, uint32_t csr, unsigned uimm)
{
    return rv_csr(7, rd, csr, uimm);
}

#define RV_ECALL 0x00000073u
#define RV_EBREAK 0x00100073u
#define RV_FENCE 0x0FF0000Fu /* fence iorw, iorw */
#define RV_FENCE_I 0x0000100Fu
#define RV_RTI INSN_RTI
#define RV_WFI INSN_WFI

/* ---- Fixture state and hooks ------------------------------------------- */
#define FX_MAX_TRAPS 64
#define FX_MAX_OUT 8192

struct fx_trap {
    struct cpu_trap_info info;
    uint64_t cycle;   /* cpu->cycle when the hook ran (after entry) */
    uint64_t instret; /* cpu->instret when the hook ran */
    uint32_t mode, status, pc, sp;
};

struct fx {
    struct cpu *cpu;
    uint32_t at; /* physical address the next fx_emit() writes */
    int use_run; /* fx_run_to_trap(): 1 = cpu_run, 0 = cpu_step loop */

    /* What the hooks saw. */
    struct fx_trap traps[FX_MAX_TRAPS];
    unsigned ntraps;
    bool stop_on_trap;
    unsigned nrti;
    uint32_t rti_pc;
    bool stop_on_rti;
    unsigned nmode;
    uint32_t mode_old[FX_MAX_TRAPS], mode_new[FX_MAX_TRAPS];
    unsigned nretire;
    uint32_t retire_pc, retire_insn;
    unsigned stop_at_retire; /* stop when nretire reaches it (0 = never) */
    char out[3][FX_MAX_OUT]; /* console output per stream (1, 2) */
    size_t nout[3];
    unsigned nrx_wanted;
    const char *rx_inject; /* given to the guest by console_rx_wanted */
    bool rx_close;         /* ... or the input is closed then */
};

static inline void fx_console_tx(void *ctx, int stream, uint8_t byte)
{
    struct fx *f = ctx;
    assert_true(stream == 1 || stream == 2);
    if (f->nout[stream] + 1 < FX_MAX_OUT)
        f->out[stream][f->nout[stream]++] = (char)byte;
}
static inline void fx_rx_wanted(void *ctx, struct cpu *cpu)
{
    struct fx *f = ctx;
    f->nrx_wanted++;
    if (f->rx_inject) {
        cpu_console_input(cpu, f->rx_inject, strlen(f->rx_inject));
        f->rx_inject = NULL;
    }
    if (f->rx_close)
        cpu_console_close(cpu);
}
static inline bool fx_trap_hook(void *ctx, struct cpu *cpu,
                                const struct cpu_trap_info *t)
{
    struct fx *f = ctx;
    if (f->ntraps < FX_MAX_TRAPS) {
        struct fx_trap *r = &f->traps[f->ntraps];
        r->info = *t;
        r->cycle = cpu->cycle;
        r->instret = cpu->instret;
        r->mode = cpu->mode;
        r->status = cpu->status;
        r->pc = cpu->pc;
        r->sp = cpu->x[2];
    }
    f->ntraps++;
    return f->stop_on_trap;
}
static inline bool fx_rti_hook(void *ctx, struct cpu *cpu, uint32_t rti_pc)
{
    struct fx *f = ctx;
    (void)cpu;
    f->nrti++;
    f->rti_pc = rti_pc;
    return f->stop_on_rti;
}
static inline bool fx_mode_hook(void *ctx, struct cpu *cpu, uint32_t o,
                                uint32_t n)
{
    struct fx *f = ctx;
    (void)cpu;
    if (f->nmode < FX_MAX_TRAPS) {
        f->mode_old[f->nmode] = o;
        f->mode_new[f->nmode] = n;
    }
    f->nmode++;
    return false;
}
static inline bool fx_retire_hook(void *ctx, struct cpu *cpu, uint32_t pc,
                                  uint32_t insn)
{
    struct fx *f = ctx;
    (void)cpu;
    f->nretire++;
    f->retire_pc = pc;
    f->retire_insn = insn;
    return f->stop_at_retire != 0 && f->nretire >= f->stop_at_retire;
}

/* Install the hooks; the retire hook only when asked, since it turns
 * cpu_run() into a step loop and would hide its fast path. */
static inline void fx_hooks(struct fx *f, bool with_retire)
{
    struct cpu_hooks h = {
        .ctx = f,
        .console_tx = fx_console_tx,
        .console_rx_wanted = fx_rx_wanted,
        .trap = fx_trap_hook,
        .rti = fx_rti_hook,
        .mode = fx_mode_hook,
        .retire = with_retire ? fx_retire_hook : NULL,
    };
    cpu_set_hooks(f->cpu, &h);
}

/* ---- Memory helpers (physical, no cycles, no checks by the machine) ---- */
static inline void fx_w32(struct fx *f, uint32_t paddr, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                    (uint8_t)(v >> 24)};
    assert_int_equal(cpu_load(f->cpu, paddr, b, 4), 0);
}
static inline uint32_t fx_r32(struct fx *f, uint32_t paddr)
{
    uint8_t b[4];
    assert_int_equal(cpu_read_phys(f->cpu, paddr, b, 4), 0);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
           (uint32_t)b[3] << 24;
}
static inline uint8_t fx_r8(struct fx *f, uint32_t paddr)
{
    uint8_t b;
    assert_int_equal(cpu_read_phys(f->cpu, paddr, &b, 1), 0);
    return b;
}

/* The assembler cursor: physical, or a user virtual address. */
static inline void fx_org(struct fx *f, uint32_t paddr)
{
    f->at = paddr;
}
static inline void fx_uorg(struct fx *f, uint32_t va)
{
    f->at = FX_UBASE + va;
}
static inline uint32_t fx_emit(struct fx *f, uint32_t word)
{
    uint32_t where = f->at;
    fx_w32(f, where, word);
    f->at += 4;
    return where;
}

/* ---- Building and running the machine ---------------------------------- */
static inline void fx_install_traps(struct fx *f)
{
    for (uint32_t v = 0; v < NVECTORS; v++)
        fx_w32(f, FX_TTR + 4 * v, FX_HANDLER(v));
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_TTR, FX_TTR), 0);
}

/* Native code for every machine the fixture makes (cpu_set_jit): test
 * programs set it to run their tests once per engine. */
static unsigned fx_jit_hot __attribute__((unused)) = CPU_JIT_HOT_DEFAULT;

static inline struct fx *fx_new(void)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->cpu = cpu_create(FX_RAM);
    assert_non_null(f->cpu);
    cpu_set_jit(f->cpu, fx_jit_hot);
    cpu_reset(f->cpu, FX_KCODE, 0);
    fx_hooks(f, false);
    fx_install_traps(f);
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_KSP, FX_KSP), 0);
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_UBASE, FX_UBASE), 0);
    assert_int_equal(cpu_csr_poke(f->cpu, CSR_UBOUND, FX_UBOUND), 0);
    cpu_set_reg(f->cpu, SP, FX_KSTACK);
    fx_org(f, FX_KCODE);
    return f;
}
static inline void fx_free(struct fx *f)
{
    if (f) {
        cpu_destroy(f->cpu);
        free(f);
    }
}

static inline int fx_setup(void **state)
{
    *state = fx_new();
    return 0;
}
static inline int fx_setup_run(void **state)
{
    struct fx *f = fx_new();
    f->use_run = 1;
    *state = f;
    return 0;
}
static inline int fx_teardown(void **state)
{
    fx_free(*state);
    *state = NULL;
    return 0;
}

/* One cpu_step that must complete normally. */
static inline void fx_step(struct fx *f)
{
    assert_int_equal(cpu_step(f->cpu), STOP_BUDGET);
}
static inline void fx_steps(struct fx *f, unsigned n)
{
    while (n--)
        fx_step(f);
}

/*
 * Run until the next trap is delivered and return what the trap hook saw.
 * use_run = 0: a cpu_step loop; use_run = 1: cpu_run, stopped by the trap
 * hook (STOP_HOOK at the handler's first instruction).
 */
static inline const struct fx_trap *fx_run_to_trap(struct fx *f)
{
    unsigned before = f->ntraps;
    if (f->use_run) {
        bool old = f->stop_on_trap;
        f->stop_on_trap = true;
        enum cpu_stop why = cpu_run(f->cpu, 100000000);
        f->stop_on_trap = old;
        assert_int_equal(why, STOP_HOOK);
    } else {
        for (unsigned i = 0; i < 1000000 && f->ntraps == before; i++)
            fx_step(f);
    }
    assert_int_equal(f->ntraps, before + 1);
    assert_true(before < FX_MAX_TRAPS);
    assert_int_equal(f->cpu->pc, f->traps[before].info.handler);
    return &f->traps[before];
}

/* A frame word of a delivered trap. */
static inline uint32_t fx_frame(struct fx *f, const struct fx_trap *t,
                                uint32_t off)
{
    return fx_r32(f, t->info.frame + off);
}

/*
 * Enter user mode the way the kernel does: push a hand-made frame on the
 * kernel stack (every register 0 but sp = FX_USP, pc = upc, STATUS =
 * ustatus) and execute rti from a kernel stub. Costs one rti.
 */
static inline void fx_enter_user_at(struct fx *f, uint32_t frame, uint32_t upc,
                                    uint32_t ustatus)
{
    for (unsigned n = 1; n < 32; n++)
        fx_w32(f, frame + FRAME_X(n), n == SP ? FX_USP : 0);
    fx_w32(f, frame + FRAME_PC, upc);
    fx_w32(f, frame + FRAME_STATUS, ustatus);
    fx_w32(f, frame + FRAME_CAUSE, 0);
    fx_w32(f, frame + FRAME_TVAL, 0);
    fx_w32(f, frame + FRAME_ZERO, 0);
    fx_w32(f, FX_RTI_STUB, RV_RTI);
    f->cpu->pc = FX_RTI_STUB;
    cpu_set_reg(f->cpu, SP, frame);
    fx_step(f);
}
static inline void fx_enter_user(struct fx *f, uint32_t upc, uint32_t ustatus)
{
    fx_enter_user_at(f, FX_KSTACK - FRAME_SIZE, upc, ustatus);
    assert_int_equal(f->cpu->mode, MODE_USER);
    assert_int_equal(f->cpu->pc, upc);
}

/* Write a NUL-terminated string into RAM. */
static inline void fx_puts(struct fx *f, uint32_t paddr, const char *s)
{
    assert_int_equal(cpu_load(f->cpu, paddr, s, strlen(s) + 1), 0);
}

#endif /* LDE_MACHINE_FIXTURE_H */
