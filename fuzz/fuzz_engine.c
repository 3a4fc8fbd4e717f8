/*
 * fuzz_engine.c: the execution engine's exactness contract (docs/engine.md,
 * docs/isa.md §6 and §8). cpu_run() may only be faster than cpu_step():
 * every cycle, instruction, trap and byte of memory the same.
 *
 * Input: 20 bytes of setup, then templates of 4 bytes, each one to four
 * instruction words (fuzz_engine_gen.h), nearly all valid RV32IM.
 *   byte 0      bit 0: user mode (else kernel mode)
 *               bit 1: STATUS.DZ        bit 2: STATUS.IE (kernel mode)
 *               bit 3: a cost table of the input's own (bytes 12-15)
 *               bits 4-5: UBOUND (ubounds[]: the data area's end, a page
 *               more, the whole partition, an odd size)
 *               bit 6: the data area holds small numbers (else any)
 *               bit 7: console interrupt enabled (CTRL.RXIE)
 *   bytes 1-2   timer interval, little-endian: 0 = off, else 50 + n % 4000
 *   byte 3      seed of the data area's contents
 *   bytes 4-11  cpu_run's budgets, one byte each, in turn (chunk_budget)
 *   bytes 12-15 seed of the cost table (with bit 3), and of the tables
 *               set between chunks (byte 16 bits 6-7)
 *   byte 16     bit 0: every trap switches user partitions (UBASE ^=
 *               GEN_PART_FLIP), as a context switch would
 *               bits 1-3: lines of console input the host gives when the
 *               guest asks; bit 4: then it closes the input (else it has
 *               none yet: STOP_WAIT_INPUT, and the harness closes it)
 *               bit 5: the pages written are tracked (cpu_track_writes)
 *               and must be the same pages at every boundary
 *               bits 6-7: a new cost table for both machines every 3rd,
 *               8th or 21st chunk (never with 0), at the same boundary:
 *               the input's, another of its seed's, one to refuse
 *   byte 17     seed of the console input
 *   byte 18     native code (cpu_set_jit) for the cpu_run machine: a block
 *               gets it on its (n % 8 + 1)-th entry; n % 8 == 7: never
 *   byte 19     breakpoints on the cpu_run machine: bits 0-1 how many, at
 *               code words (bits 3-7) + 11 i, the first at the handler
 *               with bit 2; bit 2 also takes them all away and puts them
 *               back every fourth chunk (as a debugger's user would)
 *   bytes 20..  templates
 *
 * Two identical machines run the code for LIMIT cycles: one by cpu_run()
 * in chunks of the input's budgets, one by cpu_step() alone. Wherever a
 * chunk ends (an instruction boundary), the stepping machine steps to the
 * same cycle, and there everything must agree: pc, x1..x31, mode, every
 * CSR, cycle, instret, user and idle cycles, traps per vector, the timer
 * and console, halt state, the console's output, RAM, and the sequence of
 * traps (vector, mode, epc, tval, frame, cycle, instret), rti and mode
 * changes the hooks saw. The first difference is printed by name and the
 * target aborts.
 *
 * The code is at GEN_CODE_VA in physical memory (the kernel's copy) and
 * in eight user partitions (gen_parts[]: page aligned, word aligned,
 * halfword aligned, byte aligned, one window ending at the end of RAM).
 * Kernel code (t_priv) writes UBASE, UBOUND, KSP and TTR with every csr
 * instruction, and enters user mode by rti from a frame it writes on its
 * stack, into the same code in whatever partition UBASE names.
 *
 * Every trap lands on one handler: it skips the instruction that faulted
 * (vectors 0-5), starts the code again after a fetch fault (tval == epc),
 * takes a console byte (vector 17), acknowledges the timer, maybe switches
 * partitions, and returns with rti; into the kernel's code instead, on
 * the kernel's stack, after a fetch fault or an ecall with a7 odd in user
 * mode (as a kernel ends a process). So a run goes back and forth between
 * user code, kernel code and the handler, through many traps, interrupts
 * and returns.
 *
 * LDE_FUZZ_VERBOSE=1 lists the code and says what each chunk did.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "disasm.h"
#include "fuzz_engine_gen.h"

/* Physical layout (fuzz_engine_gen.h). The code and data are at
 * GEN_CODE_VA and GEN_DATA_VA: physical in kernel mode, virtual (above
 * UBASE) in user mode, with a copy in every partition of gen_parts[]. */
#define RAM GEN_RAM
#define KSTACK GEN_KSTACK
#define KSP_AT GEN_KSP
#define TTR_AT GEN_TTR
#define HANDLER_AT GEN_HANDLER
#define RTI_STUB GEN_RTI_STUB
#define UBASE_AT (gen_parts[0]) /* where a user-mode input starts */
#define USER_SP GEN_USER_SP

#define LIMIT 20000u /* cycles per input */
#define HEADER 20u
#define LOG_MAX 4096u
#define OUT_MAX 1024u

static const uint32_t ubounds[4] = {GEN_DATA_VA + GEN_DATA_SIZE, 0x3000u,
                                    0x8000u, 0x2101u};

struct setup {
    bool user, dz, ie, own_costs, small_data, rxie;
    bool switch_parts, rx_close, track;
    unsigned rx_lines, jit_hot;
    unsigned nbreak, break_word;
    bool break_handler;
    uint32_t breaks[3];
    uint8_t rx_seed;
    uint32_t ubound, interval;
    uint8_t data_seed;
    uint8_t chunk[8];
    uint32_t cost_seed;
    uint32_t costs[NCOST];
    unsigned cost_every; /* chunks between new cost tables; 0: never */
};

/* ---- What the hooks saw ------------------------------------------------ */
enum ev_kind { EV_TRAP, EV_RTI, EV_MODE, EV_RX };
static const char *const ev_names[] = {"trap", "rti", "mode change",
                                       "console input asked"};

struct event {
    uint32_t kind;
    uint32_t a, b, c, d, e; /* trap: vector, from mode, epc, tval, frame;
                               rti: its pc; mode: old, new;
                               input: how many times before */
    uint32_t pc;            /* after the event */
    uint64_t cycle, instret;
};

struct seen {
    const struct setup *setup;
    unsigned rx_asked; /* console_rx_wanted calls */
    struct event ev[LOG_MAX];
    uint32_t n;    /* events, even past LOG_MAX */
    uint32_t nout; /* console bytes */
    uint32_t out_hash;
};

static void log_event(struct seen *s, const struct cpu *cpu, struct event e)
{
    e.pc = cpu->pc;
    e.cycle = cpu->cycle;
    e.instret = cpu->instret;
    if (s->n < LOG_MAX)
        s->ev[s->n] = e;
    s->n++;
}

static bool on_trap(void *ctx, struct cpu *cpu, const struct cpu_trap_info *t)
{
    log_event(ctx, cpu,
              (struct event){.kind = EV_TRAP,
                             .a = t->vector,
                             .b = t->from_mode,
                             .c = t->epc,
                             .d = t->tval,
                             .e = t->frame});
    return false;
}

static bool on_rti(void *ctx, struct cpu *cpu, uint32_t rti_pc)
{
    log_event(ctx, cpu, (struct event){.kind = EV_RTI, .a = rti_pc});
    return false;
}

static bool on_mode(void *ctx, struct cpu *cpu, uint32_t old_mode,
                    uint32_t new_mode)
{
    log_event(ctx, cpu,
              (struct event){.kind = EV_MODE, .a = old_mode, .b = new_mode});
    return false;
}

/* The host's console input: the same lines, whenever the guest asks. */
static void on_rx_wanted(void *ctx, struct cpu *cpu)
{
    struct seen *s = ctx;
    const struct setup *su = s->setup;
    log_event(s, cpu, (struct event){.kind = EV_RX, .a = s->rx_asked});
    if (s->rx_asked < su->rx_lines) {
        uint8_t line[8];
        unsigned n = 1 + (su->rx_seed + s->rx_asked) % 6;
        for (unsigned i = 0; i < n; i++)
            line[i] = (uint8_t)('a' + (su->rx_seed + i) % 26);
        line[n] = '\n';
        cpu_console_input(cpu, line, n + 1);
    } else if (su->rx_close) {
        cpu_console_close(cpu);
    }
    s->rx_asked++;
}

static void on_tx(void *ctx, int stream, uint8_t byte)
{
    struct seen *s = ctx;
    s->out_hash = (s->out_hash ^ byte ^ (uint32_t)stream << 8) * 16777619u;
    s->nout++;
}

/* ---- The machine ------------------------------------------------------- */
static uint32_t mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7FEB352Du;
    x ^= x >> 15;
    x *= 0x846CA68Bu;
    return x ^ (x >> 16);
}

/* A valid cost table of the seed's: every class from its least cost up. */
static void own_costs(uint32_t seed, uint32_t costs[NCOST])
{
    for (int c = 0; c < NCOST; c++) {
        uint32_t span = c == COST_DIV                     ? 40
                        : c == COST_TRAP || c == COST_RTI ? 12
                                                          : 5;
        costs[c] = cost_min(c) + mix(seed + (uint32_t)c) % span;
    }
}

static void parse_setup(const uint8_t *h, struct setup *s)
{
    s->user = h[0] & 1;
    s->dz = h[0] & 2;
    s->ie = h[0] & 4;
    s->own_costs = h[0] & 8;
    s->ubound = ubounds[(h[0] >> 4) & 3];
    s->small_data = h[0] & 64;
    s->rxie = h[0] & 128;
    s->switch_parts = h[16] & 1;
    s->rx_lines = (h[16] >> 1) & 7;
    s->rx_close = h[16] & 16;
    s->track = h[16] & 32;
    s->rx_seed = h[17];
    s->jit_hot = h[18] % 8 == 7 ? 0 : h[18] % 8 + 1;
    s->nbreak = h[19] & 3;
    s->break_handler = h[19] & 4;
    s->break_word = h[19] >> 3;
    uint32_t iv = (uint32_t)h[1] | (uint32_t)h[2] << 8;
    s->interval = iv == 0 ? 0 : 50 + iv % 4000;
    s->data_seed = h[3];
    memcpy(s->chunk, h + 4, sizeof s->chunk);
    s->cost_seed = (uint32_t)h[12] | (uint32_t)h[13] << 8 |
                   (uint32_t)h[14] << 16 | (uint32_t)h[15] << 24;
    s->cost_every = (const unsigned[]){0, 3, 8, 21}[h[16] >> 6];
    if (s->own_costs)
        own_costs(s->cost_seed, s->costs);
    else
        memcpy(s->costs, cost_defaults, sizeof s->costs);
}

/* A budget per chunk: the input's bytes in turn, shifted each round so
 * that the rounds stop at other places: 1-64 cycles (inside blocks),
 * 64-1600, or 200-19400. */
static uint64_t chunk_budget(const struct setup *s, unsigned i)
{
    uint8_t b = (uint8_t)(s->chunk[i % 8] + 61u * (i / 8));
    return b < 64    ? 1u + b
           : b < 160 ? 64u + (b - 64u) * 16u
                     : (b - 159u) * 200u;
}

static void wr_le32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
    b[2] = (uint8_t)(v >> 16);
    b[3] = (uint8_t)(v >> 24);
}

static void put32(struct cpu *cpu, uint32_t pa, uint32_t v)
{
    uint8_t b[4];
    wr_le32(b, v);
    if (cpu_load(cpu, pa, b, 4) != 0)
        abort();
}

enum { T0 = 5, T1 = 6, T2 = 7, A7 = 17 };

/* The one trap handler (kernel mode, physical addresses). rti restores
 * every register from the frame, so it may use t0, t1 and t2 freely.
 * It returns to the kernel's code instead of the user's, as a kernel
 * ends a process, after a fetch fault in user mode (the window does not
 * hold the code) and after an ecall with a7 odd (t_priv's "exit"). */
static void put_handler(struct cpu *cpu, const struct setup *s)
{
    const uint32_t h[] = {
        enc_i(FRAME_CAUSE, R_SP, 2, T0, 0x03u),  /* lw t0, cause(sp) */
        enc_addi(T2, R_ZERO, 0),                 /* t2: to the kernel? */
        enc_addi(T1, R_ZERO, VEC_SYSCALL),       /* li t1, 8 */
        enc_b(36, T0, T1, 7),                    /* bgeu t0, t1, 1f */
        enc_i(FRAME_PC, R_SP, 2, T0, 0x03u),     /* lw t0, pc(sp) */
        enc_i(FRAME_TVAL, R_SP, 2, T1, 0x03u),   /* lw t1, tval(sp) */
        enc_addi(T0, T0, 4),                     /* skip it, */
        enc_addi(T1, T1, 4),                     /* unless the */
        enc_b(12, T0, T1, 1),                    /* fetch faulted: */
        enc_u(GEN_CODE_VA >> 12, T0, 0x37u),     /*   then restart, */
        enc_addi(T2, R_ZERO, 1),                 /*   in the kernel */
        enc_store(FRAME_PC, T0, R_SP, 2),        /* sw t0, pc(sp) */
        enc_addi(T1, R_ZERO, VEC_CONSOLE),       /* 1: li t1, 17 */
        enc_b(16, T0, T1, 1),                    /* bne t0, t1, 2f */
        enc_u(CONSOLE_BASE >> 12, T0, 0x37u),    /* a byte waits: */
        enc_i(CONSOLE_STATUS, T0, 2, T1, 0x03u), /* lw t1, status(t0) */
        enc_i(CONSOLE_RX, T0, 2, T1, 0x03u),     /* lw t1, rx(t0) */
        enc_u(TIMER_BASE >> 12, T0, 0x37u),      /* 2: */
        enc_store(TIMER_ACK, R_ZERO, T0, 2),     /* sw zero, ack(t0) */
        enc_csr(CSR_UBASE, R_ZERO, 2, T0),       /* csrr t0, ubase */
        enc_u(GEN_PART_FLIP >> 12, T1, 0x37u),   /* the other one */
        enc_r(0, T1, T0, 4, T0, 0x33u),          /* xor t0, t0, t1 */
        enc_csr(CSR_UBASE, T0, 1, R_ZERO),       /* csrw ubase, t0 */
        enc_i(FRAME_CAUSE, R_SP, 2, T0, 0x03u),  /* lw t0, cause(sp) */
        enc_addi(T0, T0, -VEC_SYSCALL),          /* an ecall */
        enc_i(1, T0, 3, T0, 0x13u),              /* sltiu t0, t0, 1 */
        enc_i(FRAME_X(A7), R_SP, 2, T1, 0x03u),  /* with a7 */
        enc_r(0, T1, T0, 7, T0, 0x33u),          /* odd: */
        enc_r(0, T0, T2, 6, T2, 0x33u),          /* or t2, t2, t0 */
        enc_i(1, T2, 7, T2, 0x13u),              /* andi t2, t2, 1 */
        enc_b(32, T2, R_ZERO, 0),                /* beq t2, zero, 3f */
        enc_i(FRAME_STATUS, R_SP, 2, T0, 0x03u), /* from user mode? */
        enc_i(STATUS_MODE, T0, 7, T1, 0x13u),    /* andi t1, t0, MODE */
        enc_b(20, T1, R_ZERO, 1),                /* bne t1, zero, 3f */
        enc_i(STATUS_MODE, T0, 6, T0, 0x13u),    /* then to the kernel: */
        enc_store(FRAME_STATUS, T0, R_SP, 2),    /* MODE, */
        enc_u(KSTACK >> 12, T0, 0x37u),          /* the kernel's */
        enc_store(FRAME_X(R_SP), T0, R_SP, 2),   /* stack */
        INSN_RTI,                                /* 3: */
    };
    const uint32_t n = sizeof h / 4, first_switch = 19, nswitch = 4;
    _Static_assert(sizeof h / 4 <= GEN_HANDLER_WORDS, "handler fits");
    for (uint32_t i = 0, at = HANDLER_AT; i < n; i++) {
        if (!s->switch_parts && i >= first_switch && i < first_switch + nswitch)
            continue;
        put32(cpu, at, h[i]);
        at += 4;
    }
}

/* Registers at the start: what the templates rely on (gen.h), then the
 * corner values of arithmetic and of addresses. */
static uint32_t initial_reg(unsigned n, bool user)
{
    static const uint32_t r[32] = {
        [R_RA] = GEN_CODE_VA + 0x40,
        [R_GP] = GEN_DATA_VA,
        [R_TP] = GEN_TP,
        [5] = 0xFFFFFFFFu,
        [6] = 0x80000000u,
        [7] = 0x7FFFFFFFu,
        [8] = 1,
        [9] = 2,
        [10] = 0xFFFFFFFEu,
        [11] = GEN_DATA_VA + 4,
        [12] = GEN_DATA_VA + GEN_DATA_SIZE - 4,
        [13] = USER_NULL_GUARD,
        [14] = USER_NULL_GUARD - 1,
        [15] = 0x55555555u,
        [16] = 0xAAAAAAAAu,
        [17] = 0x12345678u,
        [18] = 3,
        [19] = 31,
        [20] = 32,
        [21] = 0xFFFF0000u,
        [22] = GEN_CODE_VA,
        [23] = 7,
        [24] = 0x10000u,
        [25] = 5,
        [26] = 9,
        [27] = 0x7FF,
        [28] = 0xFFFFF800u,
        [R_DEVV] = 0,
        [R_DEV] = TIMER_BASE,
        [R_SMC] = GEN_DATA_VA + 1,
    };
    if (n == R_SP)
        return user ? USER_SP : KSTACK;
    return r[n];
}

static struct cpu *build(const struct setup *s, const struct gen *g,
                         struct seen *seen, bool run)
{
    struct cpu *cpu = cpu_create(RAM);
    if (cpu == NULL)
        abort();
    /* Native code only where cpu_run runs blocks; cpu_step never does. */
    cpu_set_jit(cpu, run ? s->jit_hot : 0);
    cpu_reset(cpu, GEN_CODE_VA, 0);
    if (cpu_set_costs(cpu, s->costs) != 0)
        abort();
    /* Two trap tables (t_priv switches TTR): the first holds the handler
     * in more entries than there are vectors, so that it still holds when
     * TTR moves a few words on; the second in the used vectors only. */
    for (uint32_t v = 0; v < GEN_TTR_WORDS; v++)
        put32(cpu, TTR_AT + 4 * v, HANDLER_AT);
    for (uint32_t v = 0; v < NVECTORS; v++)
        if (cpu_vector_word(v) != NULL)
            put32(cpu, GEN_TTR_B + 4 * v, HANDLER_AT);
    put_handler(cpu, s);
    put32(cpu, RTI_STUB, INSN_RTI);
    if (cpu_csr_poke(cpu, CSR_TTR, TTR_AT) ||
        cpu_csr_poke(cpu, CSR_KSP, KSP_AT) ||
        cpu_csr_poke(cpu, CSR_UBASE, UBASE_AT) ||
        cpu_csr_poke(cpu, CSR_UBOUND, s->ubound))
        abort();

    /* The code and its data: the kernel's copy, and every partition's. */
    _Static_assert(GEN_DATA_VA == GEN_CODE_VA + 4 * GEN_CODE_WORDS,
                   "the data follows the code");
    static uint8_t image[4 * GEN_CODE_WORDS + GEN_DATA_SIZE];
    for (uint32_t i = 0; i < sizeof image / 4; i++) {
        uint32_t x;
        if (i < GEN_CODE_WORDS) {
            x = g->w[i];
        } else {
            x = mix(s->data_seed * 0x01000193u + i - GEN_CODE_WORDS);
            if (s->small_data)
                x = x % 7 - 3;
            else if (i % 8 == 0)
                x = 0;
        }
        wr_le32(image + 4 * i, x);
    }
    if (cpu_load(cpu, GEN_CODE_VA, image, sizeof image) != 0)
        abort();
    for (unsigned b = 0; b < sizeof gen_parts / sizeof *gen_parts; b++)
        if (cpu_load(cpu, gen_parts[b] + GEN_CODE_VA, image, sizeof image))
            abort();
    /* The timer as a kernel would have started it: a store of the
     * interval at cycle 0. */
    cpu->timer.interval = s->interval;
    cpu->timer.deadline = s->interval;
    if (s->rxie)
        cpu->console.ctrl = CONSOLE_CTRL_RXIE;
    if (s->track && cpu_track_writes(cpu, true) != 0)
        abort();

    uint32_t status = s->dz ? STATUS_DZ : 0;
    if (s->user) {
        /* Enter user mode the way a kernel does: rti from a frame. */
        uint32_t frame = KSTACK - FRAME_SIZE;
        for (unsigned n = 1; n < 32; n++)
            put32(cpu, frame + FRAME_X(n), initial_reg(n, true));
        put32(cpu, frame + FRAME_PC, GEN_CODE_VA);
        put32(cpu, frame + FRAME_STATUS, status);
        if (cpu_set_pc(cpu, RTI_STUB) != 0)
            abort();
        cpu_set_reg(cpu, R_SP, frame);
        if (cpu_step(cpu) != STOP_BUDGET || cpu->mode != MODE_USER)
            abort();
    } else {
        for (unsigned n = 1; n < 32; n++)
            cpu_set_reg(cpu, n, initial_reg(n, false));
        if (cpu_csr_poke(cpu, CSR_STATUS, status | (s->ie ? STATUS_IE : 0)))
            abort();
    }
    for (unsigned i = 0; run && i < s->nbreak; i++)
        if (cpu_break_add(cpu, s->breaks[i]) != 0)
            abort();
    /* Hooks last: what was logged is what the code did. */
    seen->setup = s;
    struct cpu_hooks h = {.ctx = seen,
                          .console_tx = on_tx,
                          .console_rx_wanted = on_rx_wanted,
                          .trap = on_trap,
                          .rti = on_rti,
                          .mode = on_mode};
    cpu_set_hooks(cpu, &h);
    return cpu;
}

/* ---- Comparing --------------------------------------------------------- */
struct pair {
    const struct cpu *run, *step;
    const struct seen *srun, *sstep;
    unsigned chunk;
    uint32_t checked; /* events already found equal */
};

/* The events from `from` on, the last few equal ones first. */
static void print_events(const char *who, const struct seen *s, uint32_t from)
{
    uint32_t i = from > 3 ? from - 3 : 0;
    for (; i < s->n && i < LOG_MAX; i++) {
        const struct event *e = &s->ev[i];
        fprintf(stderr,
                "fuzz_engine: %s event %u: %s 0x%x 0x%x 0x%x 0x%x 0x%x, "
                "then pc 0x%08x, cycle %llu, instret %llu\n",
                who, i, ev_names[e->kind], e->a, e->b, e->c, e->d, e->e, e->pc,
                (unsigned long long)e->cycle, (unsigned long long)e->instret);
    }
}

static bool verbose;

static void differ(const struct pair *p, const char *what, uint64_t a,
                   uint64_t b)
{
    const struct cpu *r = p->run, *s = p->step;
    if (verbose) { /* what each saw since the last boundary */
        print_events("cpu_run", p->srun, p->checked);
        print_events("cpu_step", p->sstep, p->checked);
    }
    fprintf(stderr,
            "fuzz_engine: after chunk %u, cycle %llu: %s differs: cpu_run "
            "0x%llx, cpu_step 0x%llx\n",
            p->chunk, (unsigned long long)r->cycle, what, (unsigned long long)a,
            (unsigned long long)b);
    fprintf(stderr,
            "fuzz_engine: cpu_run at pc 0x%08x mode %u instret %llu; "
            "cpu_step at pc 0x%08x mode %u instret %llu\n",
            r->pc, r->mode, (unsigned long long)r->instret, s->pc, s->mode,
            (unsigned long long)s->instret);
    abort();
}

/* cpu_run broke a promise of cpu.h. */
static void broken(const struct pair *p, const char *what, uint64_t want,
                   uint64_t got)
{
    fprintf(stderr,
            "fuzz_engine: chunk %u, cycle %llu: cpu_run: %s (limit %llu, "
            "got %llu)\n",
            p->chunk, (unsigned long long)p->run->cycle, what,
            (unsigned long long)want, (unsigned long long)got);
    abort();
}

#define SAME(what, field)                                                      \
    do {                                                                       \
        if ((uint64_t)(p->run->field) != (uint64_t)(p->step->field))           \
            differ(p, what, p->run->field, p->step->field);                    \
    } while (0)

/* The timer as the next boundary will see it: the machine brings it up to
 * date lazily, where cpu_run looks, so a step that ended on a deadline and
 * a run that looked at it differ only there. */
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

static void compare_events(struct pair *p)
{
    uint32_t n = p->srun->n < p->sstep->n ? p->srun->n : p->sstep->n;
    if (n > LOG_MAX)
        n = LOG_MAX;
    for (uint32_t i = p->checked; i < n; i++) {
        const struct event *a = &p->srun->ev[i], *b = &p->sstep->ev[i];
        static const char *const fields[] = {
            "kind",
            "vector or pc or old mode",
            "from mode or new mode",
            "epc",
            "tval",
            "frame",
            "pc after",
            "cycle",
            "instret",
        };
        const uint64_t va[] = {a->kind, a->a,  a->b,     a->c,      a->d,
                               a->e,    a->pc, a->cycle, a->instret};
        const uint64_t vb[] = {b->kind, b->a,  b->b,     b->c,      b->d,
                               b->e,    b->pc, b->cycle, b->instret};
        for (unsigned f = 0; f < sizeof va / sizeof *va; f++)
            if (va[f] != vb[f]) {
                char what[96];
                snprintf(what, sizeof what, "event %u (%s): %s", i,
                         ev_names[a->kind], fields[f]);
                differ(p, what, va[f], vb[f]);
            }
    }
    p->checked = n;
    if (p->srun->n != p->sstep->n) {
        print_events("cpu_run", p->srun, n);
        print_events("cpu_step", p->sstep, n);
        differ(p, "number of events (traps, rti, mode changes, input asked)",
               p->srun->n, p->sstep->n);
    }
}

static void compare_ram(const struct pair *p, uint32_t lo, uint32_t hi)
{
    const uint8_t *a = p->run->ram, *b = p->step->ram;
    if (memcmp(a + lo, b + lo, hi - lo) == 0)
        return;
    for (uint32_t i = lo; i < hi; i++)
        if (a[i] != b[i]) {
            char what[48];
            snprintf(what, sizeof what, "RAM byte at 0x%x", i);
            differ(p, what, a[i], b[i]);
        }
}

static void compare(struct pair *p, bool all_ram)
{
    compare_events(p);
    SAME("pc", pc);
    SAME("mode", mode);
    for (unsigned n = 1; n < 32; n++)
        if (p->run->x[n] != p->step->x[n]) {
            char what[8];
            snprintf(what, sizeof what, "x%u", n);
            differ(p, what, p->run->x[n], p->step->x[n]);
        }
    static const uint32_t csrs[] = {
        CSR_CYCLE, CSR_CYCLEH, CSR_INSTRET, CSR_INSTRETH, CSR_STATUS,
        CSR_TTR,   CSR_KSP,    CSR_UBASE,   CSR_UBOUND,
    };
    for (unsigned i = 0; i < sizeof csrs / sizeof *csrs; i++) {
        uint32_t a = 0, b = 0;
        if (cpu_csr_peek(p->run, csrs[i], &a) ||
            cpu_csr_peek(p->step, csrs[i], &b))
            abort();
        if (a != b)
            differ(p, disasm_csr_name(csrs[i]), a, b);
    }
    SAME("cycle", cycle);
    SAME("instret", instret);
    if (cpu_user_cycles(p->run) != cpu_user_cycles(p->step))
        differ(p, "user cycles", cpu_user_cycles(p->run),
               cpu_user_cycles(p->step));
    SAME("idle cycles", idle_cycles);
    for (unsigned v = 0; v < NVECTORS; v++)
        if (p->run->traps[v] != p->step->traps[v]) {
            char what[32];
            snprintf(what, sizeof what, "traps of vector %u", v);
            differ(p, what, p->run->traps[v], p->step->traps[v]);
        }
    SAME("timer interval", timer.interval);
    uint64_t da, db;
    bool pa, pb;
    timer_now(p->run, &da, &pa);
    timer_now(p->step, &db, &pb);
    if (da != db)
        differ(p, "timer deadline", da, db);
    if (pa != pb)
        differ(p, "timer pending", pa, pb);
    SAME("timer COUNT_HI latch", timer.count_hi_latch);
    SAME("console CTRL", console.ctrl);
    SAME("console input closed", console.rx_closed);
    SAME("console end-of-input event", console.rx_eof_event);
    SAME("console input queued", console.rx_count);
    SAME("console input head", console.rx_head);
    SAME("halted", halted);
    if (p->run->halted) {
        SAME("halt kind", halt_kind);
        SAME("exit status", exit_status);
        if (strcmp(p->run->halt_reason, p->step->halt_reason) != 0)
            differ(p, "halt reason", 0, 1);
    }
    if (p->srun->nout != p->sstep->nout ||
        p->srun->out_hash != p->sstep->out_hash)
        differ(p, "console output (bytes)", p->srun->nout, p->sstep->nout);
    if (all_ram) {
        compare_ram(p, 0, RAM);
    } else { /* where the code, its data and the frames are */
        compare_ram(p, 0, 0x3000u);
        compare_ram(p, KSTACK - 0x400u, KSP_AT + 0x20u);
        compare_ram(p, TTR_AT, GEN_TTR_B + 4 * NVECTORS);
        compare_ram(p, RAM - 0x200u, RAM);
        for (unsigned b = 0; b < sizeof gen_parts / sizeof *gen_parts; b++)
            compare_ram(p, gen_parts[b] + GEN_CODE_VA, gen_parts[b] + USER_SP);
    }
    /* The pages written since the last boundary (the debugger's reverse
     * execution saves exactly those). */
    for (uint32_t pg = 0; pg < RAM >> CPU_PAGE_SHIFT; pg++)
        if (cpu_page_written(p->run, pg) != cpu_page_written(p->step, pg)) {
            char what[48];
            snprintf(what, sizeof what, "written-page flag of page 0x%x",
                     pg << CPU_PAGE_SHIFT);
            differ(p, what, cpu_page_written(p->run, pg),
                   cpu_page_written(p->step, pg));
        }
}

/* ---- The two ways of running ------------------------------------------- */
static bool is_break(const struct setup *s, uint32_t pc)
{
    for (unsigned i = 0; i < s->nbreak; i++)
        if (s->breaks[i] == pc)
            return true;
    return false;
}

/* Step to the cycle at which cpu_run stopped. A halt costs no cycle, so
 * when the run halted there, one step more; nor does ending a wait that
 * was cut short for input (cpu_run may stop after it at a breakpoint), so
 * never stop inside one (cpu_run is never compared there). With
 * breakpoints set, no
 * boundary on the way may be at one: cpu_run would have stopped there. */
static void step_to(struct pair *p, struct cpu *step,
                    const struct setup *breaks)
{
    const struct cpu *run = p->run;
    for (unsigned guard = 0;
         !step->halted && (step->cycle < run->cycle || step->in_wfi ||
                           (run->halted && step->cycle == run->cycle));
         guard++) {
        if (guard > 4 * LIMIT)
            differ(p, "progress (cpu_step stuck)", run->cycle, step->cycle);
        if (cpu_step(step) == STOP_WAIT_INPUT)
            cpu_console_close(step);
        /* (Inside a wait cut short for input, the pc is the wfi's, and
         * not a boundary: cpu_run returned there, and a run never looks
         * at a breakpoint where it starts.) */
        if (breaks && !step->halted && !step->in_wfi &&
            step->cycle < run->cycle && is_break(breaks, step->pc)) {
            char what[96];
            snprintf(what, sizeof what,
                     "cycle (cpu_run passed the breakpoint at 0x%x)", step->pc);
            differ(p, what, run->cycle, step->cycle);
        }
    }
    if (step->halted != run->halted)
        differ(p, "halted", run->halted, step->halted);
    if (step->cycle != run->cycle)
        differ(p,
               "cycle (cpu_run stopped where cpu_step has no instruction "
               "boundary)",
               run->cycle, step->cycle);
}

/* A new cost table for both machines where they are in step (the k-th
 * change): the input's own and another of its seed's in turn, and every
 * fourth time one with a class under its least cost, which both must
 * refuse (docs/isa.md §8) and keep the table they had. */
static void change_costs(struct pair *p, struct cpu *run, struct cpu *step,
                         const struct setup *s, unsigned k)
{
    uint32_t costs[NCOST], before[NCOST];
    bool refuse = k % 4 == 3;
    if (k % 2 == 0)
        memcpy(costs, s->costs, sizeof costs);
    else
        own_costs(mix(s->cost_seed + k), costs);
    if (refuse) {
        int c = (int)(k / 4 % NCOST);
        if (cost_min(c) == 0)
            c = COST_ALU;
        costs[c] = cost_min(c) - 1;
    }
    memcpy(before, run->costs, sizeof before);
    int a = cpu_set_costs(run, costs), b = cpu_set_costs(step, costs);
    if (verbose)
        fprintf(stderr, "fuzz_engine: at cycle %llu: cost table %u %s\n",
                (unsigned long long)run->cycle, k, refuse ? "refused" : "set");
    if (a != (refuse ? -1 : 0))
        broken(p, "cpu_set_costs: a table refused or accepted wrongly", refuse,
               (uint64_t)a);
    if (a != b)
        differ(p, "cpu_set_costs result", (uint64_t)a, (uint64_t)b);
    if (memcmp(run->costs, refuse ? before : costs, sizeof before) != 0)
        broken(p, "cpu_set_costs: the table in use", refuse, 0);
}

static void list_code(const struct gen *g)
{
    for (unsigned i = 0; i <= g->n && i < GEN_CODE_WORDS; i++) {
        char text[DISASM_BUF];
        uint32_t pc = GEN_CODE_VA + 4 * i;
        disasm(pc, g->w[i], text, sizeof text, NULL);
        fprintf(stderr, "  %08x: %08x  %s\n", pc, g->w[i], text);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < HEADER + 4)
        return 0;
    static struct setup s;
    static struct gen g;
    static struct seen srun, sstep;
    memset(&srun, 0, sizeof srun);
    memset(&sstep, 0, sizeof sstep);
    parse_setup(data, &s);
    gen_code(&g, data + HEADER, size - HEADER);
    for (unsigned i = 0; i < s.nbreak; i++)
        s.breaks[i] =
            i == 0 && s.break_handler
                ? HANDLER_AT
                : GEN_CODE_VA + 4 * ((s.break_word + 11 * i) % (g.n ? g.n : 1));
    verbose = getenv("LDE_FUZZ_VERBOSE") != NULL;
    if (verbose) {
        char jit[32] = "no native code";
        if (s.jit_hot)
            snprintf(jit, sizeof jit, "native code at entry %u", s.jit_hot);
        fprintf(stderr,
                "fuzz_engine: %s mode, interval %u, ubound 0x%x, %s costs "
                "(new every %u chunks), %s, %u input lines%s%s, %s, %u "
                "words:\n",
                s.user ? "user" : "kernel", s.interval, s.ubound,
                s.own_costs ? "own" : "default", s.cost_every,
                s.switch_parts ? "partitions switched" : "UBASE kept",
                s.rx_lines, s.rx_close ? " then closed" : "",
                s.track ? ", writes tracked" : "", jit, g.n);
        for (unsigned i = 0; i < s.nbreak; i++)
            fprintf(stderr, "fuzz_engine: breakpoint at 0x%08x\n", s.breaks[i]);
        list_code(&g);
    }

    struct cpu *run = build(&s, &g, &srun, true);
    struct cpu *step = build(&s, &g, &sstep, false);
    struct pair p = {.run = run, .step = step, .srun = &srun, .sstep = &sstep};
    bool breaks_on = s.nbreak > 0;
    while (!run->halted && (run->cycle < LIMIT || run->in_wfi)) {
        uint64_t budget = chunk_budget(&s, p.chunk);
        if (run->cycle < LIMIT && budget > LIMIT - run->cycle)
            budget = LIMIT - run->cycle;
        else if (run->cycle >= LIMIT) /* finish a wait, as cpu_step would */
            budget = run->timer.deadline > run->cycle
                         ? run->timer.deadline - run->cycle
                         : 1;
        uint64_t cycle0 = run->cycle, steps0 = cpu_steps(run);
        enum cpu_stop why = cpu_run(run, budget);
        p.chunk++;
        if (p.chunk > 4 * LIMIT)
            broken(&p, "no progress", 4 * LIMIT, p.chunk);
        /* cpu.h: a budget ends only once spent, and n >= 2 cycles take at
         * most n + 1 steps. */
        if (why == STOP_BUDGET && run->cycle - cycle0 < budget)
            broken(&p, "a budget ended before it was spent", budget,
                   run->cycle - cycle0);
        if (budget >= 2 && cpu_steps(run) - steps0 > budget + 1)
            broken(&p, "more than budget + 1 steps", budget + 1,
                   cpu_steps(run) - steps0);
        if (why == STOP_BREAKPOINT && !(breaks_on && is_break(&s, run->pc)))
            broken(&p, "stopped at a breakpoint that is not set", run->pc,
                   breaks_on);
        if (why == STOP_WAIT_INPUT)
            cpu_console_close(run);
        if (verbose)
            fprintf(stderr,
                    "fuzz_engine: chunk %u: %s at cycle %llu, pc 0x%08x%s\n",
                    p.chunk, cpu_stop_name(why), (unsigned long long)run->cycle,
                    run->pc, run->in_wfi ? " (in wfi)" : "");
        /* Inside a wait there is no boundary where cpu_step stops. */
        if (run->in_wfi)
            continue;
        step_to(&p, step, breaks_on ? &s : NULL);
        compare(&p, p.chunk < 64 || p.chunk % 8 == 0);
        if (s.track) {
            cpu_clear_written(run);
            cpu_clear_written(step);
        }
        if (s.cost_every && p.chunk % s.cost_every == 0)
            change_costs(&p, run, step, &s, p.chunk / s.cost_every);
        /* Breakpoints off, or on again, where the two are in step. */
        if (s.break_handler && p.chunk % 4 == 3) {
            breaks_on = !breaks_on;
            for (unsigned i = 0; i < s.nbreak; i++)
                if (breaks_on)
                    (void)cpu_break_add(run, s.breaks[i]);
                else /* -1 for a duplicate already removed */
                    (void)cpu_break_remove(run, s.breaks[i]);
        }
    }
    compare(&p, true);
    if (verbose)
        fprintf(stderr,
                "fuzz_engine: %u chunks, %llu cycles, %llu instructions, %u "
                "events, %s\n",
                p.chunk, (unsigned long long)run->cycle,
                (unsigned long long)run->instret, srun.n,
                run->halted ? run->halt_reason : "running");
    cpu_destroy(run);
    cpu_destroy(step);
    return 0;
}
