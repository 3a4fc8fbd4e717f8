/*
 * fuzz_exec.c: raw bytes as code, in user or kernel mode, on a machine with
 * a trap table installed and the timer running.
 *
 * Input: four bytes of setup, then the code.
 *   byte 0    bit 0: run the code in user mode (else kernel mode)
 *             bit 1: STATUS.DZ        bit 2: STATUS.IE (kernel mode)
 *             bits 3-4: UBOUND: the partition (64 KiB), beyond RAM (the
 *             window is clipped), below the null guard (no window), odd
 *             bit 5: console input interrupt enabled (CTRL.RXIE)
 *   bytes 1-2 timer interval in cycles, little-endian (0 = off)
 *   byte 3    seed of the cpu_run budgets
 *   byte 4..  the code (at most 16 KiB), at 0x1000: physical in kernel
 *             mode, virtual in user mode
 *
 * Every input runs on three identical machines, for about LIMIT cycles
 * (so at most LIMIT instructions): by cpu_run with budgets that stop it
 * at arbitrary points; by cpu_step; and by cpu_run as the debugger runs
 * it, with a retire hook and two breakpoints (its one-step-at-a-time
 * path), where the hook must see every retired instruction. After every stop
 * the invariants of the machine are checked (check_state); after every user
 * mode step, the access the instruction made is checked against the
 * window [0x1000, UBOUND) by a decoder written here, not the emulator's.
 * At the end the two machines must be identical: registers, CSRs,
 * counters, devices, RAM and console output. Any difference aborts.
 *
 * Every handler is one stub: it skips a faulting instruction (vectors
 * 0..5), acknowledges the timer, reads the console status and returns
 * with rti, so a run goes through many traps and returns.
 *
 * The emulator needed no observation hook for any of this: the trap and
 * retire hooks and the machine's public state are enough.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "rvenc.h"

#define RAM 0x20000u
#define TTR_AT 0x100u
#define HANDLER_AT 0x400u
#define RTI_STUB 0x600u
#define CODE_VA 0x1000u
#define CODE_MAX 0x4000u
#define KSTACK 0x8000u
#define KSP_AT 0x9000u
#define UBASE_AT 0x10000u
#define LIMIT 10000u /* cycles: every instruction costs at least one */
#define OUT_MAX 4096u

static const uint32_t ubounds[4] = {0x10000u, 0x20000u, 0x800u, 0x1234u};

/* What the hooks saw, per machine. */
struct seen {
    uint64_t traps;
    uint64_t retired; /* calls of the retire hook */
    struct cpu_trap_info last;
    uint8_t out[OUT_MAX];
    uint32_t nout;
    uint32_t out_hash; /* everything, even past OUT_MAX */
};

static void fail(const char *what, const struct cpu *cpu)
{
    fprintf(stderr,
            "fuzz_exec: %s (pc 0x%08x mode %u cycle %llu instret %llu)\n", what,
            cpu->pc, cpu->mode, (unsigned long long)cpu->cycle,
            (unsigned long long)cpu->instret);
    abort();
}

#define CHECK(cond, cpu)                                                       \
    do {                                                                       \
        if (!(cond))                                                           \
            fail(#cond, cpu);                                                  \
    } while (0)

static bool on_trap(void *ctx, struct cpu *cpu, const struct cpu_trap_info *t)
{
    struct seen *s = ctx;
    s->traps++;
    s->last = *t;
    /* Trap entry as docs/isa.md §6 defines it: the handler is TTR[vector], the
     * frame 16-byte aligned, on KSP when the trap came from user mode. */
    CHECK(cpu->pc == t->handler && (t->handler & 3) == 0, cpu);
    CHECK(t->handler < cpu->ram_size, cpu);
    bool frame_on_table =
        t->frame < cpu->ttr + 4 * NVECTORS && cpu->ttr < t->frame + FRAME_SIZE;
    if (!frame_on_table) { /* else the frame just overwrote the entry */
        uint8_t w[4];
        CHECK(cpu_read_phys(cpu, cpu->ttr + 4 * t->vector, w, 4) == 0, cpu);
        CHECK(t->handler == ((uint32_t)w[0] | (uint32_t)w[1] << 8 |
                             (uint32_t)w[2] << 16 | (uint32_t)w[3] << 24),
              cpu);
    }
    CHECK((t->frame & 15) == 0 && cpu->x[2] == t->frame, cpu);
    if (t->from_mode == MODE_USER)
        CHECK(t->frame == ((cpu->ksp - FRAME_SIZE) & ~15u), cpu);
    CHECK(cpu->mode == MODE_KERNEL && !(cpu->status & STATUS_IE), cpu);
    return false;
}

static bool on_retire(void *ctx, struct cpu *cpu, uint32_t pc, uint32_t insn)
{
    struct seen *s = ctx;
    (void)cpu;
    (void)pc;
    (void)insn;
    s->retired++;
    return false;
}

static void on_tx(void *ctx, int stream, uint8_t byte)
{
    struct seen *s = ctx;
    s->out_hash = (s->out_hash ^ byte ^ (uint32_t)stream << 8) * 16777619u;
    if (s->nout < OUT_MAX)
        s->out[s->nout++] = byte;
}

/* ---- The handler stub, encoded by rvenc.h ------------------------------ */
enum { T0 = 5, T1 = 6, SP = 2 };

static void put32(struct cpu *cpu, uint32_t pa, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                    (uint8_t)(v >> 24)};
    if (cpu_load(cpu, pa, b, 4) != 0)
        abort();
}

static void put_handler(struct cpu *cpu)
{
    const uint32_t handler[] = {
        enc_i(FRAME_CAUSE, SP, 2, T0, 0x03),            /* lw t0, cause(sp) */
        enc_i(VEC_SYSCALL, 0, 0, T1, 0x13),             /* li t1, 8 */
        enc_b(16, T0, T1, 7),                           /* faults only: bgeu */
        enc_i(FRAME_PC, SP, 2, T0, 0x03),               /*   lw t0, pc(sp) */
        enc_i(4, T0, 0, T0, 0x13),                      /*   addi t0, t0, 4 */
        enc_s(FRAME_PC, T0, SP, 2, 0x23),               /*   sw t0, pc(sp) */
        (TIMER_BASE & 0xFFFFF000u) | T0 << 7 | 0x37u,   /* lui t0, timer */
        enc_s(TIMER_ACK, 0, T0, 2, 0x23),               /* sw zero, ack(t0) */
        (CONSOLE_BASE & 0xFFFFF000u) | T0 << 7 | 0x37u, /* lui t0, console */
        enc_i(CONSOLE_STATUS, T0, 2, T1, 0x03),         /* lw t1, status(t0) */
        INSN_RTI,
    };
    for (uint32_t i = 0; i < sizeof handler / 4; i++)
        put32(cpu, HANDLER_AT + 4 * i, handler[i]);
}

/* Registers at the start: addresses around the code, the stack, the
 * devices and the trap table, and the usual corner values. */
static uint32_t initial_reg(unsigned n, bool user)
{
    static const uint32_t r[32] = {
        0,          0x1000,     0,        0x2000, 0,          0xFFFFFFFF,
        0x80000000, 0x7FFFFFFF, 0x3000,   0x4000, TIMER_BASE, 0xF0001000,
        POWER_BASE, TTR_AT,     UBASE_AT, 1,      2,          3,
        0x1001,     0x1002,     0x0FFF,   0xFFFC, 0x10000,    0xFFFF0000,
        0x5000,     0x6000,     0x7000,   0x8000, 0x1800,     0x55555555,
        0xAAAAAAAA, 0x12345678,
    };
    if (n == SP)
        return user ? 0xFFF0u : KSTACK;
    return r[n];
}

static struct cpu *build(const uint8_t *data, size_t size, struct seen *seen,
                         bool debugger)
{
    struct cpu *cpu = cpu_create(RAM);
    if (cpu == NULL)
        abort();
    uint8_t flags = data[0];
    bool user = flags & 1;
    uint32_t interval = (uint32_t)data[1] | (uint32_t)data[2] << 8;
    const uint8_t *code = data + 4;
    size_t ncode = size - 4 > CODE_MAX ? CODE_MAX : size - 4;

    cpu_reset(cpu, CODE_VA, 0);
    struct cpu_hooks h = {.ctx = seen,
                          .console_tx = on_tx,
                          .trap = on_trap,
                          .retire = debugger ? on_retire : NULL};
    cpu_set_hooks(cpu, &h);
    if (debugger) {
        /* One breakpoint in the code (the seed picks where), one on the
         * handler: cpu_run stops before each and goes on when rerun. */
        if (cpu_break_add(cpu, CODE_VA + 4 * (data[3] % 64u)) != 0 ||
            cpu_break_add(cpu, HANDLER_AT) != 0)
            abort();
    }
    for (uint32_t v = 0; v < NVECTORS; v++)
        put32(cpu, TTR_AT + 4 * v, HANDLER_AT);
    put_handler(cpu);
    put32(cpu, RTI_STUB, INSN_RTI);
    if (cpu_csr_poke(cpu, CSR_TTR, TTR_AT) ||
        cpu_csr_poke(cpu, CSR_KSP, KSP_AT) ||
        cpu_csr_poke(cpu, CSR_UBASE, UBASE_AT) ||
        cpu_csr_poke(cpu, CSR_UBOUND, ubounds[(flags >> 3) & 3]))
        abort();
    uint32_t status = (flags & 2) ? STATUS_DZ : 0;
    if (flags & 32)
        cpu->console.ctrl = CONSOLE_CTRL_RXIE;
    /* The timer as a kernel would have started it: a store of the
     * interval at cycle 0. */
    cpu->timer.interval = interval;
    cpu->timer.deadline = interval;

    if (user) {
        /* Enter user mode the way the kernel does: rti from a frame. */
        if (cpu_load(cpu, UBASE_AT + CODE_VA, code, ncode) != 0)
            abort();
        uint32_t frame = KSTACK - FRAME_SIZE;
        for (unsigned n = 1; n < 32; n++)
            put32(cpu, frame + FRAME_X(n), initial_reg(n, true));
        put32(cpu, frame + FRAME_PC, CODE_VA);
        put32(cpu, frame + FRAME_STATUS, status);
        cpu->pc = RTI_STUB;
        cpu_set_reg(cpu, SP, frame);
        if (cpu_step(cpu) != STOP_BUDGET || cpu->mode != MODE_USER)
            abort();
    } else {
        if (cpu_load(cpu, CODE_VA, code, ncode) != 0)
            abort();
        for (unsigned n = 1; n < 32; n++)
            cpu_set_reg(cpu, n, initial_reg(n, false));
        if (cpu_csr_poke(cpu, CSR_STATUS,
                         status | ((flags & 4) ? STATUS_IE : 0)))
            abort();
    }
    return cpu;
}

/* The invariants that hold at every stop, whatever the code did. */
static void check_state(const struct cpu *cpu)
{
    CHECK(cpu->x[0] == 0, cpu);
    CHECK(cpu->mode == MODE_USER || cpu->mode == MODE_KERNEL, cpu);
    CHECK((cpu->status & STATUS_MODE) == cpu->mode, cpu);
    CHECK((cpu->status & ~(STATUS_MODE | STATUS_WRITABLE)) == 0, cpu);
    CHECK(cpu->cycle >= cpu->instret, cpu);
    CHECK(cpu_user_cycles(cpu) + cpu->idle_cycles <= cpu->cycle, cpu);
    uint64_t traps = 0;
    for (int v = 0; v < NVECTORS; v++)
        traps += cpu->traps[v];
    /* Every trap and every retired instruction costs at least a cycle. */
    CHECK(cpu->instret + traps <= cpu->cycle, cpu);
}

/* ---- An independent look at user-mode loads and stores ----------------- */
struct access {
    bool is_mem;
    uint32_t addr, size;
};

static struct access user_access(const struct cpu *cpu)
{
    struct access a = {0};
    uint32_t pa;
    if (cpu_translate(cpu, MODE_USER, cpu->pc, 4, &pa) != 0)
        return a;
    uint8_t b[4];
    if (cpu_read_phys(cpu, pa, b, 4) != 0)
        return a;
    uint32_t w = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                 (uint32_t)b[3] << 24;
    uint32_t op = w & 0x7F, f3 = (w >> 12) & 7, rs1 = (w >> 15) & 31;
    int32_t imm;
    if (op == 0x03)
        imm = (int32_t)w >> 20;
    else if (op == 0x23)
        imm = ((int32_t)w >> 25) * 32 + (int32_t)((w >> 7) & 31);
    else
        return a;
    a.is_mem = true;
    a.addr = cpu->x[rs1] + (uint32_t)imm;
    a.size = 1u << (f3 & 3); /* reserved widths trap; never retire */
    return a;
}

/* One cpu_step, with the checks that need to see before and after. */
static enum cpu_stop checked_step(struct cpu *cpu, struct seen *s)
{
    uint32_t pc = cpu->pc, mode = cpu->mode;
    uint64_t instret = cpu->instret, traps = s->traps;
    struct access a = {0};
    if (mode == MODE_USER)
        a = user_access(cpu);
    enum cpu_stop why = cpu_step(cpu);
    bool trapped = s->traps != traps;
    if (mode == MODE_USER && cpu->instret != instret && !trapped) {
        /* It retired in user mode: its fetch and its access were in the
         * window, and the window lies in the partition. */
        CHECK(pc >= USER_NULL_GUARD && pc + 4 <= cpu->ubound, cpu);
        if (a.is_mem) {
            CHECK(a.addr >= USER_NULL_GUARD, cpu);
            CHECK((uint64_t)a.addr + a.size <= cpu->ubound, cpu);
            CHECK((uint64_t)cpu->ubase + a.addr + a.size <= RAM, cpu);
            CHECK((a.addr & (a.size - 1)) == 0, cpu);
        }
    }
    /* A misaligned pc (only rti can load one) traps before it runs. */
    if ((pc & 3) && !cpu->halted) {
        CHECK(trapped && s->last.epc == pc, cpu);
        CHECK(s->last.vector >= VEC_TIMER ||
                  (s->last.vector == VEC_MISALIGNED && s->last.tval == pc),
              cpu);
    }
    check_state(cpu);
    return why;
}

static uint32_t next_budget(uint32_t *rng)
{
    /* xorshift32: stops at arbitrary points, some after one cycle. */
    uint32_t x = *rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *rng = x;
    return (x & 7) == 0 ? 1 : 1 + x % 2500;
}

/* cpu_run until the cycle counter reaches target. exact: no budget goes
 * past it (so the run ends where another one did). */
static void run_path(struct cpu *cpu, uint32_t seed, uint64_t target,
                     bool exact)
{
    uint32_t rng = seed * 0x9E3779B9u + 1;
    for (unsigned i = 0; !cpu->halted; i++) {
        uint64_t budget;
        if (cpu->cycle < target) {
            budget = next_budget(&rng);
            if (exact && budget > target - cpu->cycle)
                budget = target - cpu->cycle;
        } else if (cpu->in_wfi)
            /* Finish a wait the budget cut short, as cpu_step would. */
            budget = cpu->timer.interval && cpu->timer.deadline > cpu->cycle
                         ? cpu->timer.deadline - cpu->cycle
                         : 1;
        else
            break;
        CHECK(i < 1000000, cpu); /* a run that makes no progress */
        enum cpu_stop why = cpu_run(cpu, budget);
        if (why == STOP_WAIT_INPUT)
            cpu_console_close(cpu);
        check_state(cpu);
    }
}

/* Step up to the cycle at which the run stopped; a halt (a double fault,
 * say) costs no cycle, so a run that halted there gets one step more. */
static void step_path(struct cpu *cpu, struct seen *s, uint64_t until,
                      bool halted)
{
    while (!cpu->halted &&
           (cpu->cycle < until || (halted && cpu->cycle == until))) {
        if (checked_step(cpu, s) == STOP_WAIT_INPUT)
            cpu_console_close(cpu);
    }
}

/* The timer as the next boundary will see it: the machine brings it up to
 * date lazily (at the boundaries where cpu_run looks), so a step that
 * ended on a deadline and a run that looked at it differ only here. */
static void timer_now(const struct cpu *cpu, uint64_t *deadline, bool *pending)
{
    uint32_t iv = cpu->timer.interval;
    *deadline = cpu->timer.deadline;
    *pending = cpu->timer.pending;
    if (iv != 0 && cpu->cycle >= *deadline) {
        *pending = true;
        *deadline += ((cpu->cycle - *deadline) / iv + 1) * iv;
    }
}

static void compare(const struct cpu *a, const struct cpu *b,
                    const struct seen *sa, const struct seen *sb)
{
    CHECK(memcmp(a->x, b->x, sizeof a->x) == 0, b);
    CHECK(a->pc == b->pc && a->mode == b->mode && a->status == b->status, b);
    CHECK(a->ttr == b->ttr && a->ksp == b->ksp, b);
    CHECK(a->ubase == b->ubase && a->ubound == b->ubound, b);
    CHECK(a->cycle == b->cycle && a->instret == b->instret, b);
    CHECK(cpu_user_cycles(a) == cpu_user_cycles(b), b);
    CHECK(a->idle_cycles == b->idle_cycles, b);
    CHECK(memcmp(a->traps, b->traps, sizeof a->traps) == 0, b);
    CHECK(a->timer.interval == b->timer.interval, b);
    uint64_t da, db;
    bool pa, pb;
    timer_now(a, &da, &pa);
    timer_now(b, &db, &pb);
    CHECK(da == db && pa == pb, b);
    CHECK(a->console.ctrl == b->console.ctrl, b);
    CHECK(a->console.rx_closed == b->console.rx_closed, b);
    CHECK(a->halted == b->halted, b);
    if (a->halted) {
        CHECK(a->halt_kind == b->halt_kind, b);
        CHECK(a->exit_status == b->exit_status, b);
        CHECK(strcmp(a->halt_reason, b->halt_reason) == 0, b);
    }
    CHECK(memcmp(a->ram, b->ram, RAM) == 0, b);
    CHECK(sa->traps == sb->traps && sa->out_hash == sb->out_hash, b);
    CHECK(sa->nout == sb->nout && memcmp(sa->out, sb->out, sa->nout) == 0, b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5)
        return 0;
    static struct seen srun, sstep, sdbg;
    memset(&srun, 0, sizeof srun);
    memset(&sstep, 0, sizeof sstep);
    memset(&sdbg, 0, sizeof sdbg);
    struct cpu *run = build(data, size, &srun, false);
    struct cpu *step = build(data, size, &sstep, false);
    struct cpu *dbg = build(data, size, &sdbg, true);

    run_path(run, data[3], LIMIT, false);
    step_path(step, &sstep, run->cycle, run->halted);
    compare(run, step, &srun, &sstep);
    /* The debugger's way, with other stops (breakpoints), to the same
     * cycle by budgets that end exactly there. */
    run_path(dbg, data[3] ^ 0x5Au, run->cycle, true);
    step_path(dbg, &sdbg, run->cycle, run->halted);
    compare(run, dbg, &srun, &sdbg);
    CHECK(sdbg.retired == dbg->instret, dbg);

    if (getenv("LDE_FUZZ_VERBOSE"))
        fprintf(stderr,
                "fuzz_exec: %llu cycles, %llu instructions, %llu traps, "
                "mode %u, %s\n",
                (unsigned long long)run->cycle,
                (unsigned long long)run->instret,
                (unsigned long long)srun.traps, run->mode,
                run->halted ? run->halt_reason : "running");
    cpu_destroy(run);
    cpu_destroy(step);
    cpu_destroy(dbg);
    return 0;
}
