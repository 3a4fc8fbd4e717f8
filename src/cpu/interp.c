/*
 * interp.c: the run loop (docs/engine.md).
 *
 * Code runs a decoded block at a time (block.h). Inside a block, each
 * operation's handler does its work and jumps straight to the next one's:
 * no fetch, no bound check on the pc, no counter update. The cycle and
 * instret counters, the window and the next deadline live in locals; the
 * block's cost, summed when it was decoded, is added once, at whichever
 * exit it leaves by (a taken branch's side exit, a jump, its end).
 *
 * Exactness. Between instructions the machine may have to act (timer,
 * interrupts, the budget, a stop request): all of that is looked at when
 * the cycle counter reaches check_at (see boundary()). A block runs whole
 * only if its last instruction starts before check_at, so no boundary
 * inside it could have acted; otherwise its instructions run one at a
 * time, each decoded alone, with the boundary looked at before each, as
 * cpu_step() does. Anything that needs the machine's state up to date
 * (a device access, a fault, a csr, rti, wfi, a store into decoded code)
 * writes the counters back as they were before that instruction, calls
 * the slow path, and leaves the block after it.
 */
#include <limits.h>

#include "block.h"
#include "cpu_internal.h"
#include "jit.h"

enum { RUNNING = -1, DELIVERED = -2 };

/*
 * Work between instructions. first: the boundary before the first
 * instruction of a run (the budget is not checked, so a run always makes
 * progress). Returns RUNNING, DELIVERED (an interrupt was taken: pc and
 * the counters moved) or why to stop.
 */
static int boundary(struct cpu *cpu, bool first, bool single)
{
    if (cpu->halted)
        return cpu->halt_kind;
    if (cpu->stop_requested) {
        cpu->stop_requested = false;
        return STOP_HOOK;
    }
    if (single && !first)
        return STOP_BUDGET;

    int result = RUNNING;
    /* Interrupts are taken between instructions (docs/isa.md §6). */
    timer_update(cpu);
    if (cpu->in_wfi && trap_interrupt_pending(cpu) != TRAP_NONE) {
        /* A wait cut short (by the budget, or to ask for input) ends now:
         * the wfi retires. */
        cpu->in_wfi = false;
        cpu->instret++;
        cpu->pc += 4;
        if (single)
            return STOP_BUDGET; /* that was the step's one instruction */
        /* That was a step: with breakpoints, a loop of cpu_step would look
         * at the budget, then at a breakpoint on the next instruction,
         * before the interrupt is delivered (run_stepping). */
        if (cpu->nbreakpoints && cpu->cycle >= cpu->run_limit)
            return STOP_BUDGET;
        if (cpu->nbreakpoints && cpu_at(cpu, cpu->pc))
            return STOP_BREAKPOINT;
    }
    int vec = trap_interrupt_deliverable(cpu);
    if (vec != TRAP_NONE) {
        trap_enter(cpu, (uint32_t)vec, cpu->pc, 0);
        if (cpu->halted)
            return cpu->halt_kind;
        if (cpu->stop_requested) {
            cpu->stop_requested = false;
            return STOP_HOOK;
        }
        if (single)
            return STOP_BUDGET; /* delivering it was the step */
        result = DELIVERED;
    }
    if (!first && cpu->cycle >= cpu->run_limit)
        return STOP_BUDGET;

    /* Nothing to look at again before the budget ends or the timer fires,
     * unless something calls cpu_recheck() meanwhile. */
    uint64_t next = single ? 0 : cpu->run_limit;
    if (cpu->timer.interval && cpu->timer.deadline < next)
        next = cpu->timer.deadline;
    cpu->check_at = next;
    return result;
}

/* The instruction's bits, for tval; it was just fetched from there. */
static uint32_t insn_bits(const struct cpu *cpu, uint32_t pc)
{
    return rd32(cpu->ram + cpu->win_off + pc);
}

/* A load's bytes, zero-extended; the handler sign-extends lb and lh. */
static inline uint32_t load_raw(const uint8_t *p, uint32_t size)
{
    return size == 4   ? rd32(p)
           : size == 2 ? (uint32_t)(p[0] | p[1] << 8)
                       : p[0];
}
#define ZEXT(v) (v)
#define SEXT8(v) ((uint32_t)(int32_t)(int8_t)(v))
#define SEXT16(v) ((uint32_t)(int32_t)(int16_t)(v))

/* Does the branch op (OP_BEQ ...) go to its target? Slow paths only. */
static bool branch_taken(int op, uint32_t a, uint32_t b)
{
    switch (op) {
    case OP_BEQ: return a == b;
    case OP_BNE: return a != b;
    case OP_BLT: return (int32_t)a < (int32_t)b;
    case OP_BGE: return (int32_t)a >= (int32_t)b;
    case OP_BLTU: return a < b;
    default: return a >= b; /* OP_BGEU */
    }
}

/* Native code for b, entered at the block pc: false if there is none
 * (the buffer is full). The host hears of it (hooks.native). */
static bool compile(struct cpu *cpu, struct jit *jit, struct block *b,
                    const void *const *handlers)
{
    uint32_t size;
    b->native = jit_compile(jit, cpu->blocks, b, handlers, &size);
    if (b->native && cpu->hooks.native)
        cpu->hooks.native(cpu->hooks.ctx, cpu, cpu->block_pc, b->native, size);
    return b->native != NULL;
}

static enum cpu_stop interp(struct cpu *cpu, bool single)
{
    static const void *const handlers[NXOPS] = {
#define X(name, mnem, fmt, cost) [OP_##name] = &&do_##name,
        OP_LIST(X)
#undef X
#define X(name) [XOP_##name] = &&do_##name,
            XOP_LIST(X)
#undef X
#define X(first, test) [XOP_##first##_##test] = &&do_##first##_##test,
                FUSED_LIST(X)
#undef X
    };
    uint32_t *const x = cpu->xw; /* a local: stores to guest memory cannot
                                    make the compiler reload it */
    struct block *b, *nb = NULL;
    const struct uop *op;
    struct block_exit no_link, *link;
    uint32_t pc, tval = 0, epc = 0, vec_u = 0;
    uint64_t epoch; /* blocks_key(): the chains' key is epoch | pc */
    uint64_t ir, check_at;
    /* The cycle counter is gate - left: left counts down the cycles to
     * the gate (check_at, or now while careful), so that a block entry
     * compares left with its body and an exit subtracts its cost. The
     * gate is at most GATE_SPAN ahead, so left never overflows. */
    uint64_t gate;
    int64_t left;
    /* The fast part of the window, [FAST_LO, FAST_LO + fast_span) at
     * mem + va: all of it in user mode; in kernel mode, the first page is
     * left to the slow path (which serves it exactly), so that both modes
     * share one constant and each access costs one compare. */
    uint32_t fast_span, off;
    /* An access of size bytes at a is fast iff, with d = a - FAST_LO
     * rotated right by log2(size), d < cpu->fast_lim<size>: a misaligned
     * d rotates its low bits to the top and fails the same compare. */
    uint8_t *mem;
    unsigned careful = 0; /* instructions left to run one at a time */
    /* Breakpoints (cpu_break_add) are looked at whenever a block is
     * entered, but not before the first instruction of the run: blocks
     * built while there are some end before each (block.c). armed: a
     * step was taken (an instruction ran, a trap was entered, an
     * interrupt delivered). */
    const bool bp = cpu->nbreakpoints != 0 && !single;
    bool armed = false;
    /* Native code for hot blocks (jit.h), if the host has it and it is
     * on: a block gets it on its hot-th entry. Not with breakpoints:
     * its chains enter blocks without looking. */
    struct jit *const jit =
        cpu->blocks->jit_hot && !bp ? cpu->blocks->jit : NULL;
    const uint32_t hot = cpu->blocks->jit_hot;
    struct jit_state js;
    uint32_t r;
    int vec, why;
    bool flushed;

#define FAST_LO USER_NULL_GUARD
#define GATE_SPAN (UINT64_C(1) << 62)
#define CYC ((uint64_t)(gate - (uint64_t)left))
/* The gate is g for a counter at c: at the latest c itself (due now), at
 * the most GATE_SPAN ahead (then slow_dispatch sets it again). */
#define SET_GATE(g, c)                                                         \
    do {                                                                       \
        uint64_t g_ = (g), c_ = (c);                                           \
        gate = g_ <= c_ ? c_ : g_ - c_ > GATE_SPAN ? c_ + GATE_SPAN : g_;      \
        left = (int64_t)(gate - c_);                                           \
    } while (0)
#define LOAD_STATE()                                                           \
    do {                                                                       \
        pc = cpu->pc;                                                          \
        ir = cpu->instret;                                                     \
        check_at = cpu->check_at;                                              \
        SET_GATE(careful ? 0 : check_at, cpu->cycle);                          \
        off = cpu->win_off;                                                    \
        /* A window at an offset that is not a multiple of 4 (UBASE may be     \
         * anything) puts aligned accesses on unaligned bytes: a store may     \
         * then reach a second line or page, which the fast path's one         \
         * look at the code map would miss. All its data goes slowly. */       \
        fast_span =                                                            \
            cpu->win_hi > FAST_LO && cpu->win_lo <= FAST_LO && (off & 3) == 0  \
                ? cpu->win_hi - FAST_LO                                        \
                : 0;                                                           \
        cpu->fast_lim1 = fast_span;                                            \
        cpu->fast_lim2 = fast_span >> 1;                                       \
        cpu->fast_lim4 = fast_span >> 2;                                       \
        cpu->code_bias = cpu->blocks->code_bias;                               \
        mem = fast_span ? cpu->ram + off : cpu->ram;                           \
        epoch = blocks_key(cpu->blocks);                                       \
        link = &no_link;                                                       \
    } while (0)
/* Does the block nb, entered at pc, lie wholly in the window? First the
 * fast part, then the exact bounds. */
#define FITS(nb)                                                               \
    ((uint64_t)(uint32_t)(pc + (nb)->lo - FAST_LO) + (nb)->span <=             \
         fast_span ||                                                          \
     ((uint64_t)(uint32_t)(pc + (nb)->lo - cpu->win_lo) + (nb)->span <=        \
      cpu->win_hi - cpu->win_lo))

    why = boundary(cpu, true, single);
    if (why != RUNNING && why != DELIVERED)
        return (enum cpu_stop)why;
    armed = why == DELIVERED;
    if (bp && armed && cpu->cycle >= cpu->run_limit)
        return STOP_BUDGET; /* that delivery was the step loop's one step */
    LOAD_STATE();
    /* The first instruction runs whatever check_at says. */
    if (CYC >= check_at)
        goto one_at_a_time;
    goto lookup;

/* ---- Between blocks ---------------------------------------------------- */
dispatch:
    if (UNLIKELY(left <= 0))
        goto slow_dispatch;
lookup : {
    /* The block at pc, from the index; it must lie wholly in the window.
     * The exit that led here remembers it for next time. */
    uint32_t pa = pc + off;
    nb = block_find(cpu->blocks, pa);
    if (UNLIKELY(!nb || !FITS(nb)))
        goto build;
    if (UNLIKELY(bp) &&
        (nb->bp_gen != cpu->blocks->bp_gen || nb->bp_off != off))
        goto build; /* built for other breakpoints, or another window */
    *link = *blocks_jump_slot(cpu->blocks, pc) =
        (struct block_exit){nb, epoch | pc};
}
run_block:
    if (UNLIKELY(left <= (int64_t)nb->body))
        goto slow_dispatch; /* which looks at breakpoints in its turn */
    if (UNLIKELY(bp)) {
        if (armed && cpu_at(cpu, pc))
            goto at_breakpoint;
        armed = true;
    }
    b = nb;
    cpu->block_pc = pc;
    if (jit && b->native)
        goto run_native;
    if (jit && ++b->heat == hot && compile(cpu, jit, b, handlers))
        goto run_native;
    op = b->ops;
    goto * op->run;

run_native:
    /* Native code runs the block, and the blocks chained to it, as the
     * handlers would; it stops where the handlers must go on (an exit
     * to a block without native code, a slow path). */
    js.left = left;
    js.ir = ir;
    js.key = epoch;
    r = jit_run(jit, &js, cpu, mem, b->native);
    left = js.left;
    ir = js.ir;
    b = js.b;
    if (r < JIT_EXIT) {
        op = &b->ops[r];
        goto * op->run;
    }
    pc = js.pc;
    link = &b->next[r & 1];
    if (r >= JIT_RUN) {
        nb = js.nb;
        goto run_block;
    }
    goto dispatch;

build:
    flushed = false;
    nb = block_build(cpu, pc, false, handlers, &vec, &tval, &flushed);
    if (!nb)
        goto fetch_fault;
    epoch = blocks_key(cpu->blocks); /* the build may have killed some */
    if (!flushed)
        *link = (struct block_exit){nb, epoch | pc};
    goto run_block;

slow_dispatch:
    /* A boundary is due, or this block crosses it, or we are running one
     * instruction at a time. */
    if (CYC >= check_at) {
        /* With breakpoints, in the step loop's order (run_stepping):
         * the budget ends the run first, then a breakpoint does, both
         * before an interrupt is delivered there. */
        if (UNLIKELY(bp) && armed && !cpu->halted && !cpu->stop_requested) {
            if (CYC >= cpu->run_limit) {
                cpu->pc = pc;
                cpu->cycle = CYC;
                cpu->instret = ir;
                return STOP_BUDGET;
            }
            if (cpu_at(cpu, pc))
                goto at_breakpoint;
        }
        cpu->pc = pc;
        cpu->cycle = CYC;
        cpu->instret = ir;
        why = boundary(cpu, false, single);
        if (why == DELIVERED) {
            careful = 0; /* left the block for the handler */
            armed = true;
        } else if (why != RUNNING)
            return (enum cpu_stop)why;
        LOAD_STATE();
        goto dispatch;
    }
    if (!careful && gate != check_at) {
        /* Only the gate was reached, GATE_SPAN ahead: move it on. */
        SET_GATE(check_at, CYC);
        goto dispatch;
    }
    if (!careful) {
        /* A deadline falls inside the block at pc: run it one instruction
         * at a time, a boundary before each. */
        careful = nb->n;
        SET_GATE(0, CYC);
    }
one_at_a_time:
    /* Instructions run one at a time may leave the block where the
     * deadline fell (a taken branch) before careful runs out: each is
     * looked at. */
    if (UNLIKELY(bp) && armed && cpu_at(cpu, pc))
        goto at_breakpoint;
    armed = true;
    if (careful && --careful == 0)
        SET_GATE(check_at, CYC);
    b = block_build(cpu, pc, true, handlers, &vec, &tval, &flushed);
    if (!b)
        goto fetch_fault;
    cpu->block_pc = pc;
    op = b->ops;
    goto * op->run;

at_breakpoint:
    cpu->pc = pc;
    cpu->cycle = CYC;
    cpu->instret = ir;
    return STOP_BREAKPOINT;

fetch_fault:
    cpu->pc = pc;
    cpu->cycle = CYC;
    cpu->instret = ir;
    vec_u = (uint32_t)vec;
    epc = pc;
    goto take_trap;

/* ---- Helpers for the handlers ------------------------------------------- */
#define RD x[op->rd]
#define RS1 x[op->rs1]
#define RS2 x[op->rs2]
#define IMM ((uint32_t)op->imm)
/* The running block's pc: in memory, where reading it costs no more
 * instructions than a register would and leaves one to the handlers. */
#define pcb (cpu->block_pc)
#define OPC (pcb + b->pcoff[op->idx]) /* this instruction's pc */
#define NEXT                                                                   \
    do {                                                                       \
        op++;                                                                  \
        goto * op->run;                                                        \
    } while (0)
/* Leave the block at exit k, n instructions retired at the cost given:
 * straight into the chained successor if it is still good. */
#define EXIT_TO(target, cycles, n, k)                                          \
    do {                                                                       \
        left -= (cycles);                                                      \
        ir += (n);                                                             \
        pc = (target);                                                         \
        link = &b->next[k];                                                    \
        if (LIKELY(link->key == (epoch | pc))) {                               \
            nb = link->to;                                                     \
            goto run_block;                                                    \
        }                                                                      \
        goto dispatch;                                                         \
    } while (0)
/* The machine's state as it is before this instruction. */
#define SYNC()                                                                 \
    do {                                                                       \
        cpu->cycle = CYC + b->cyc[op->idx];                                    \
        cpu->instret = ir + op->idx;                                           \
        cpu->pc = OPC;                                                         \
    } while (0)
#define TRAP(v, t, e)                                                          \
    do {                                                                       \
        SYNC();                                                                \
        vec_u = (v);                                                           \
        tval = (t);                                                            \
        epc = (e);                                                             \
        goto take_trap;                                                        \
    } while (0)
#define ROR(v, k) ((k) ? (v) >> (k) | (v) << ((32 - (k)) & 31) : (v))
#define IN_WINDOW(a, size)                                                     \
    (size == 4   ? ROR((uint32_t)((a)-FAST_LO), 2) < cpu->fast_lim4            \
     : size == 2 ? ROR((uint32_t)((a)-FAST_LO), 1) < cpu->fast_lim2            \
                 : (uint32_t)((a)-FAST_LO) < cpu->fast_lim1)
#define LOAD(size, ext)                                                        \
    do {                                                                       \
        uint32_t a = RS1 + IMM, v;                                             \
        if (LIKELY(IN_WINDOW(a, size))) {                                      \
            RD = ext(load_raw(mem + a, size));                                 \
            NEXT;                                                              \
        }                                                                      \
        SYNC();                                                                \
        vec = mem_load(cpu, a, size, &v, &tval);                               \
        if (vec != TRAP_NONE) {                                                \
            vec_u = (uint32_t)vec;                                             \
            epc = OPC;                                                         \
            goto take_trap;                                                    \
        }                                                                      \
        RD = ext(v);                                                           \
        goto retired_slowly;                                                   \
    } while (0)
#define STORE(size, put)                                                       \
    do {                                                                       \
        uint32_t a = RS1 + IMM, v = RS2;                                       \
        if (LIKELY(IN_WINDOW(a, size))) {                                      \
            uint8_t *p = mem + a;                                              \
            put;                                                               \
            if (LIKELY(                                                        \
                    !*(const uint8_t *)(cpu->code_bias +                       \
                                        ((uintptr_t)p >> CODE_LINE_SHIFT))))   \
                NEXT;                                                          \
            /* Into decoded code: kill it, and leave this block in case        \
             * it was one of them. */                                          \
            SYNC();                                                            \
            blocks_invalidate(cpu, a + off, size);                             \
            goto retired_slowly;                                               \
        }                                                                      \
        SYNC();                                                                \
        vec = mem_store(cpu, a, size, v, &tval);                               \
        if (vec != TRAP_NONE) {                                                \
            vec_u = (uint32_t)vec;                                             \
            epc = OPC;                                                         \
            goto take_trap;                                                    \
        }                                                                      \
        goto retired_slowly;                                                   \
    } while (0)
/* A branch leaves the block when taken (a side exit, whose instructions
 * and cycles are counted up to it); not taken, the block goes on. */
#define TAKEN()                                                                \
    do {                                                                       \
        uint32_t t = pcb + IMM; /* aligned: see XOP_BRANCH_MIS */              \
        left -= b->taken[op->idx];                                             \
        ir += op->idx + 1u;                                                    \
        if (IMM == 0 && LIKELY(left > (int64_t)b->body) && !bp) {              \
            /* a loop on itself: again, no lookup; hot, natively */            \
            if (jit && ++b->heat == hot && compile(cpu, jit, b, handlers))     \
                goto run_native;                                               \
            op = b->ops;                                                       \
            goto * op->run;                                                    \
        }                                                                      \
        EXIT_TO(t, 0, 0, 0);                                                   \
    } while (0)
#define BRANCH(test)                                                           \
    do {                                                                       \
        if (test(RS1, RS2))                                                    \
            TAKEN();                                                           \
        NEXT;                                                                  \
    } while (0)
/* A fused pair (block.h): PRODUCE_first makes v, the value of rd, or
 * falls back to the first op's own handler (a load off the fast path);
 * then v is tested against the branch's other operand (RS2 of the first
 * op, read after rd is written, so a branch on rd and rd sees v twice),
 * and the branch, at the next op, leaves when taken. */
#define FUSED(first, test)                                                     \
    do {                                                                       \
        PRODUCE_##first;                                                       \
        RD = v;                                                                \
        uint32_t other = RS2;                                                  \
        op++;                                                                  \
        if (test(v, other))                                                    \
            TAKEN();                                                           \
        NEXT;                                                                  \
    } while (0)
#define PRODUCE_ADDI uint32_t v = RS1 + IMM
#define PRODUCE_LOAD(size, ext, first)                                         \
    uint32_t a_ = RS1 + IMM;                                                   \
    if (UNLIKELY(!IN_WINDOW(a_, size)))                                        \
        goto do_##first;                                                       \
    uint32_t v = ext(load_raw(mem + a_, size))
#define PRODUCE_LW PRODUCE_LOAD(4, ZEXT, LW)
#define PRODUCE_LH PRODUCE_LOAD(2, SEXT16, LH)
#define PRODUCE_LHU PRODUCE_LOAD(2, ZEXT, LHU)
#define PRODUCE_LB PRODUCE_LOAD(1, SEXT8, LB)
#define PRODUCE_LBU PRODUCE_LOAD(1, ZEXT, LBU)
#define EQ(a, b) ((a) == (b))
#define NE(a, b) ((a) != (b))
#define LT(a, b) ((int32_t)(a) < (int32_t)(b))
#define GE(a, b) ((int32_t)(a) >= (int32_t)(b))
#define LTU(a, b) ((a) < (b))
#define GEU(a, b) ((a) >= (b))
#define GT(a, b) LT(b, a)
#define LE(a, b) GE(b, a)
#define GTU(a, b) LTU(b, a)
#define LEU(a, b) GEU(b, a)
#define DIVIDE(expr_by_zero, expr)                                             \
    do {                                                                       \
        if (RS2 == 0) {                                                        \
            if (cpu->status & STATUS_DZ)                                       \
                TRAP(VEC_DIVZERO, insn_bits(cpu, OPC), OPC);                   \
            RD = (expr_by_zero);                                               \
        } else                                                                 \
            RD = (expr);                                                       \
        NEXT;                                                                  \
    } while (0)
#define CSR(op_, operand, writes)                                              \
    do {                                                                       \
        uint32_t old;                                                          \
        SYNC();                                                                \
        vec = csr_access(cpu, IMM & 0xFFF, op_, operand, writes, &old);        \
        if (vec != TRAP_NONE)                                                  \
            TRAP((uint32_t)vec, insn_bits(cpu, OPC), OPC);                     \
        RD = old;                                                              \
        goto retired_slowly;                                                   \
    } while (0)

/* ---- The operations ---------------------------------------------------- */
do_NOP:
    NEXT;
do_LI:
    RD = IMM;
    NEXT;
do_MV:
    RD = RS1;
    NEXT;
do_END:
    EXIT_TO(pcb + b->end, b->all, b->n, 1);
do_LUI: /* decoded as LI */
    RD = IMM;
    NEXT;
do_AUIPC:
    RD = pcb + IMM;
    NEXT;
do_JAL : {
    uint32_t t = pcb + IMM;
    if (UNLIKELY(t & 3))
        TRAP(VEC_MISALIGNED, t, OPC);
    RD = OPC + 4;
    EXIT_TO(t, b->all, b->n, 0);
}
do_JALR : {
    uint32_t t = (RS1 + IMM) & ~1u; /* computed before rd may overwrite rs1 */
    if (UNLIKELY(t & 3))
        TRAP(VEC_MISALIGNED, t, OPC);
    RD = OPC + 4;
    EXIT_TO(t, b->all, b->n, 0);
}
do_BEQ:
    BRANCH(EQ);
do_BNE:
    BRANCH(NE);
do_BLT:
    BRANCH(LT);
do_BGE:
    BRANCH(GE);
do_BLTU:
    BRANCH(LTU);
do_BGEU:
    BRANCH(GEU);
#define X(first, test) do_##first##_##test : FUSED(first, test);
    FUSED_LIST(X)
#undef X
do_BRANCH_MIS: /* rd: which branch; taken, it faults before retiring */
    if (branch_taken(op->rd, RS1, RS2))
        TRAP(VEC_MISALIGNED, pcb + IMM, OPC);
    NEXT;
do_LB:
    LOAD(1, SEXT8);
do_LH:
    LOAD(2, SEXT16);
do_LW:
    LOAD(4, ZEXT);
do_LBU:
    LOAD(1, ZEXT);
do_LHU:
    LOAD(2, ZEXT);
do_SB:
    STORE(1, p[0] = (uint8_t)v);
do_SH:
    STORE(2, (p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8)));
do_SW:
    STORE(4, wr32(p, v));
do_ADDI:
    RD = RS1 + IMM;
    NEXT;
do_SLTI:
    RD = (int32_t)RS1 < op->imm;
    NEXT;
do_SLTIU:
    RD = RS1 < IMM;
    NEXT;
do_XORI:
    RD = RS1 ^ IMM;
    NEXT;
do_ORI:
    RD = RS1 | IMM;
    NEXT;
do_ANDI:
    RD = RS1 & IMM;
    NEXT;
do_SLLI:
    RD = RS1 << IMM;
    NEXT;
do_SRLI:
    RD = RS1 >> IMM;
    NEXT;
do_SRAI:
    RD = (uint32_t)((int32_t)RS1 >> IMM);
    NEXT;
do_ADD:
    RD = RS1 + RS2;
    NEXT;
do_SUB:
    RD = RS1 - RS2;
    NEXT;
do_SLL:
    RD = RS1 << (RS2 & 31);
    NEXT;
do_SLT:
    RD = (int32_t)RS1 < (int32_t)RS2;
    NEXT;
do_SLTU:
    RD = RS1 < RS2;
    NEXT;
do_XOR:
    RD = RS1 ^ RS2;
    NEXT;
do_SRL:
    RD = RS1 >> (RS2 & 31);
    NEXT;
do_SRA:
    RD = (uint32_t)((int32_t)RS1 >> (RS2 & 31));
    NEXT;
do_OR:
    RD = RS1 | RS2;
    NEXT;
do_AND:
    RD = RS1 & RS2;
    NEXT;
do_MUL:
    RD = RS1 * RS2;
    NEXT;
do_MULH:
    RD = (uint32_t)((uint64_t)((int64_t)(int32_t)RS1 * (int32_t)RS2) >> 32);
    NEXT;
do_MULHSU:
    RD = (uint32_t)((uint64_t)((int64_t)(int32_t)RS1 * (int64_t)RS2) >> 32);
    NEXT;
do_MULHU:
    RD = (uint32_t)(((uint64_t)RS1 * RS2) >> 32);
    NEXT;
/* Division by zero gives RISC-V's results unless STATUS.DZ asks for the
 * trap; INT_MIN / -1 overflows to INT_MIN with remainder 0, never a trap. */
do_DIV:
    DIVIDE(~0u, RS1 == 0x80000000u && RS2 == ~0u
                    ? RS1
                    : (uint32_t)((int32_t)RS1 / (int32_t)RS2));
do_DIVU:
    DIVIDE(~0u, RS1 / RS2);
do_REM:
    DIVIDE(RS1, RS1 == 0x80000000u && RS2 == ~0u
                    ? 0
                    : (uint32_t)((int32_t)RS1 % (int32_t)RS2));
do_REMU:
    DIVIDE(RS1, RS1 % RS2);
do_FENCE: /* decoded as NOP */
do_FENCE_I:
    NEXT;
do_ECALL:
    TRAP(VEC_SYSCALL, insn_bits(cpu, OPC), OPC + 4);
do_EBREAK:
    TRAP(VEC_BREAKPOINT, insn_bits(cpu, OPC), OPC);
do_CSRRW:
    CSR(1, RS1, true);
do_CSRRS:
    CSR(2, RS1, op->rs1 != 0);
do_CSRRC:
    CSR(3, RS1, op->rs1 != 0);
do_CSRRWI:
    CSR(1, op->rs1, true);
do_CSRRSI:
    CSR(2, op->rs1, op->rs1 != 0);
do_CSRRCI:
    CSR(3, op->rs1, op->rs1 != 0);
do_RTI:
    if (cpu->mode != MODE_KERNEL)
        TRAP(VEC_PRIVILEGED, INSN_RTI, OPC);
    SYNC();
    vec = trap_rti(cpu, &tval);
    if (vec != TRAP_NONE) {
        vec_u = (uint32_t)vec;
        epc = OPC;
        goto take_trap;
    }
    careful = 0;
    LOAD_STATE();
    goto dispatch;
do_WFI:
    if (cpu->mode != MODE_KERNEL)
        TRAP(VEC_PRIVILEGED, INSN_WFI, OPC);
    SYNC();
    if (!cpu->in_wfi) { /* a new wait: charged once, however many runs
                           it spans */
        cpu->cycle += cpu->op_cost[OP_WFI];
        cpu->wfi_asked = false;
    }
    switch (dev_wfi_wait(cpu)) {
    case WFI_WOKEN:
        cpu->in_wfi = false;
        cpu->instret++;
        cpu->pc += 4;
        break;
    case WFI_BUDGET: cpu->in_wfi = true; break;
    case WFI_INPUT:
        cpu->in_wfi = true;
        cpu->wfi_asked = false; /* the host's turn: ask again on resuming */
        return STOP_WAIT_INPUT;
    }
    cpu_recheck(cpu);
    LOAD_STATE();
    goto dispatch;
do_ILLEGAL:
    TRAP(VEC_ILLEGAL, insn_bits(cpu, OPC), OPC);

retired_slowly:
    /* The instruction at op went through a slow path (the state was
     * synced before it): it retires, and the block is left after it,
     * since the machine may have changed under it. */
    cpu->cycle += b->cyc[op->idx + 1] - b->cyc[op->idx];
    cpu->instret++;
    cpu->pc = OPC + 4;
    LOAD_STATE();
    goto dispatch;

take_trap:
    /* The faulting instruction does not retire; the ones before it in
     * the block did (SYNC). Trap entry does the rest and the next
     * boundary reports halts, hook stops and single steps. Entering a
     * trap is a step: a breakpoint on the handler is looked at. */
    armed = true;
    trap_enter(cpu, vec_u, epc, tval);
    careful = 0;
    LOAD_STATE();
    goto dispatch;

#undef RD
#undef RS1
#undef RS2
#undef IMM
#undef pcb
#undef OPC
#undef NEXT
#undef EXIT_TO
#undef SYNC
#undef TRAP
#undef IN_WINDOW
#undef ROR
#undef LOAD
#undef STORE
#undef BRANCH
#undef TAKEN
#undef FUSED
#undef PRODUCE_ADDI
#undef PRODUCE_LOAD
#undef EQ
#undef NE
#undef LT
#undef GE
#undef LTU
#undef GEU
#undef GT
#undef LE
#undef GTU
#undef LEU
#undef DIVIDE
#undef CSR
#undef LOAD_STATE
#undef FITS
#undef FAST_LO
#undef GATE_SPAN
#undef CYC
#undef SET_GATE
}

bool cpu_at_breakpoint(const struct cpu *cpu)
{
    return cpu_at(cpu, cpu->pc);
}

/* One instruction; limit bounds how far a wfi may idle. */
static enum cpu_stop step(struct cpu *cpu, uint64_t limit)
{
    uint32_t pc = cpu->pc, mode = cpu->mode;
    uint64_t retired = cpu->instret;
    uint32_t word = 0, pa;
    bool have_word = cpu_translate(cpu, mode, pc, 4, &pa) == 0;
    if (have_word)
        word = rd32(cpu->ram + pa);

    cpu->run_limit = limit;
    enum cpu_stop why = interp(cpu, true);
    if (cpu->instret != retired && cpu->hooks.retire && have_word &&
        cpu->hooks.retire(cpu->hooks.ctx, cpu, pc, word) && why == STOP_BUDGET)
        why = STOP_HOOK;
    return why;
}

enum cpu_stop cpu_step(struct cpu *cpu)
{
    return step(cpu, UINT64_MAX);
}

/* With a retire hook, run one instruction at a time. */
static enum cpu_stop run_stepping(struct cpu *cpu, uint64_t limit)
{
    for (bool first = true;; first = false) {
        if (!first && cpu->nbreakpoints && cpu_at_breakpoint(cpu))
            return STOP_BREAKPOINT;
        enum cpu_stop why = step(cpu, limit);
        if (why != STOP_BUDGET)
            return why;
        if (cpu->cycle >= limit)
            return STOP_BUDGET;
    }
}

enum cpu_stop cpu_run(struct cpu *cpu, uint64_t budget)
{
    uint64_t limit =
        budget > UINT64_MAX - cpu->cycle ? UINT64_MAX : cpu->cycle + budget;
    if (cpu->hooks.retire)
        return run_stepping(cpu, limit);
    cpu->run_limit = limit;
    return interp(cpu, false);
}
