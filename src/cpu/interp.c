/*
 * interp.c: the run loop.
 *
 * Each instruction address is decoded once: the result sits in a
 * direct-mapped cache (cpu->icache) tagged with the physical address, and a
 * store to that address invalidates it, so self-modifying code and fence.i
 * behave. Dispatch is computed goto through a table generated from OP_LIST.
 * Each handler's semantics is a line or two; its cost comes from the one
 * cost table (cpu->op_cost). Between instructions one comparison,
 * cycle >= check_at, decides whether anything else needs a look (timer,
 * interrupts, budget, halt, hooks): see boundary().
 */
#include <limits.h>

#include "cpu_internal.h"
#include "decode.h"

enum { RUNNING = -1 };

/*
 * Work between instructions. first: the boundary before the first
 * instruction of a run (the budget is not checked, so a run always makes
 * progress). Returns RUNNING or why to stop.
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

    /* Interrupts are taken between instructions (docs/isa.md §6). */
    timer_update(cpu);
    if (cpu->in_wfi && trap_interrupt_pending(cpu) != TRAP_NONE) {
        /* A wait cut short by the budget ends now: the wfi retires. */
        cpu->in_wfi = false;
        cpu->instret++;
        cpu->pc += 4;
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
    }
    if (!first && cpu->cycle >= cpu->run_limit)
        return STOP_BUDGET;

    /* Nothing to look at again before the budget ends or the timer fires,
     * unless something calls cpu_recheck() meanwhile. */
    uint64_t next = single ? 0 : cpu->run_limit;
    if (cpu->timer.interval && cpu->timer.deadline < next)
        next = cpu->timer.deadline;
    cpu->check_at = next;
    return RUNNING;
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

static inline void store_invalidate(struct cpu *cpu, uint32_t pa)
{
    struct icache_line *l = &cpu->icache[(pa >> 2) & (ICACHE_LINES - 1)];
    if (l->tag == (pa & ~3u))
        l->tag = 1;
}

static enum cpu_stop interp(struct cpu *cpu, bool single)
{
    static const void *const dispatch[NOPS] = {
#define X(name, mnem, fmt, cost) [OP_##name] = &&do_##name,
        OP_LIST(X)
#undef X
    };
    uint32_t *const x = cpu->x;
    const struct insn *in;
    uint32_t pc, tval, epc, vec_u;
    int vec, why;

    why = boundary(cpu, true, single);
    if (why != RUNNING)
        return (enum cpu_stop)why;
    pc = cpu->pc;
    goto fetch; /* the first instruction runs whatever check_at says */

/* Helpers for the handlers below. */
#define RS1 x[in->rs1]
#define RS2 x[in->rs2]
#define IMM ((uint32_t)in->imm)
#define WB(v)                                                                  \
    do {                                                                       \
        uint32_t wb_ = (v);                                                    \
        x[in->rd] = wb_;                                                       \
        x[0] = 0; /* the one place that keeps x0 hardwired to zero */          \
    } while (0)
#define NEXT goto next
#define RETIRE()                                                               \
    do {                                                                       \
        cpu->cycle += cpu->op_cost[in->op];                                    \
        cpu->instret++;                                                        \
        pc += 4;                                                               \
        NEXT;                                                                  \
    } while (0)
#define TRAP(v, t, e)                                                          \
    do {                                                                       \
        vec_u = (v);                                                           \
        tval = (t);                                                            \
        epc = (e);                                                             \
        goto take_trap;                                                        \
    } while (0)
#define FAST_LOAD(size, ext)                                                   \
    do {                                                                       \
        uint32_t a = RS1 + IMM, v;                                             \
        if (LIKELY(!(a & (size - 1)) && in_window(cpu, a, size))) {            \
            v = load_raw(cpu->ram + cpu->win_off + a, size);                   \
        } else {                                                               \
            cpu->pc = pc;                                                      \
            vec = mem_load(cpu, a, size, &v, &tval);                           \
            if (vec != TRAP_NONE)                                              \
                TRAP((uint32_t)vec, tval, pc);                                 \
        }                                                                      \
        WB(ext(v));                                                            \
        RETIRE();                                                              \
    } while (0)
#define FAST_STORE(size, put)                                                  \
    do {                                                                       \
        uint32_t a = RS1 + IMM, v = RS2;                                       \
        if (LIKELY(!(a & (size - 1)) && in_window(cpu, a, size))) {            \
            uint32_t pa = cpu->win_off + a;                                    \
            uint8_t *p = cpu->ram + pa;                                        \
            put;                                                               \
            store_invalidate(cpu, pa);                                         \
        } else {                                                               \
            cpu->pc = pc;                                                      \
            vec = mem_store(cpu, a, size, v, &tval);                           \
            if (vec != TRAP_NONE)                                              \
                TRAP((uint32_t)vec, tval, pc);                                 \
        }                                                                      \
        RETIRE();                                                              \
    } while (0)
#define BRANCH(cond)                                                           \
    do {                                                                       \
        if (cond) {                                                            \
            uint32_t t = pc + IMM;                                             \
            if (UNLIKELY(t & 3))                                               \
                TRAP(VEC_MISALIGNED, t, pc);                                   \
            cpu->cycle += cpu->costs[COST_BRANCH_TAKEN];                       \
            cpu->instret++;                                                    \
            pc = t;                                                            \
            NEXT;                                                              \
        }                                                                      \
        RETIRE();                                                              \
    } while (0)
#define DIVIDE(expr_by_zero, expr)                                             \
    do {                                                                       \
        if (RS2 == 0) {                                                        \
            if (cpu->status & STATUS_DZ)                                       \
                TRAP(VEC_DIVZERO, insn_bits(cpu, pc), pc);                     \
            WB(expr_by_zero);                                                  \
        } else                                                                 \
            WB(expr);                                                          \
        RETIRE();                                                              \
    } while (0)
#define CSR(op, operand, writes)                                               \
    do {                                                                       \
        uint32_t old;                                                          \
        cpu->pc = pc;                                                          \
        vec = csr_access(cpu, IMM & 0xFFF, op, operand, writes, &old);         \
        if (vec != TRAP_NONE)                                                  \
            TRAP((uint32_t)vec, insn_bits(cpu, pc), pc);                       \
        WB(old);                                                               \
        RETIRE();                                                              \
    } while (0)

next:
    if (UNLIKELY(cpu->cycle >= cpu->check_at)) {
        cpu->pc = pc;
        why = boundary(cpu, false, single);
        if (why != RUNNING)
            return (enum cpu_stop)why;
        pc = cpu->pc;
    }
fetch:
    /* Fetch: the same window as data; a miss decodes and fills the line. */
    if (UNLIKELY((pc & 3) || !in_window(cpu, pc, 4)))
        TRAP(pc & 3 ? VEC_MISALIGNED : VEC_MEMFAULT, pc, pc);
    {
        uint32_t pa = pc + cpu->win_off;
        struct icache_line *line = &cpu->icache[(pa >> 2) & (ICACHE_LINES - 1)];
        if (UNLIKELY(line->tag != pa)) {
            line->in = decode(rd32(cpu->ram + pa));
            line->tag = pa;
        }
        in = &line->in;
    }
    goto *dispatch[in->op];

do_LUI:
    WB(IMM);
    RETIRE();
do_AUIPC:
    WB(pc + IMM);
    RETIRE();
do_JAL : {
    uint32_t t = pc + IMM;
    if (UNLIKELY(t & 3))
        TRAP(VEC_MISALIGNED, t, pc);
    WB(pc + 4);
    cpu->cycle += cpu->op_cost[OP_JAL];
    cpu->instret++;
    pc = t;
    NEXT;
}
do_JALR : {
    uint32_t t = (RS1 + IMM) & ~1u; /* computed before rd may overwrite rs1 */
    if (UNLIKELY(t & 3))
        TRAP(VEC_MISALIGNED, t, pc);
    WB(pc + 4);
    cpu->cycle += cpu->op_cost[OP_JALR];
    cpu->instret++;
    pc = t;
    NEXT;
}
do_BEQ:
    BRANCH(RS1 == RS2);
do_BNE:
    BRANCH(RS1 != RS2);
do_BLT:
    BRANCH((int32_t)RS1 < (int32_t)RS2);
do_BGE:
    BRANCH((int32_t)RS1 >= (int32_t)RS2);
do_BLTU:
    BRANCH(RS1 < RS2);
do_BGEU:
    BRANCH(RS1 >= RS2);
do_LB:
    FAST_LOAD(1, SEXT8);
do_LH:
    FAST_LOAD(2, SEXT16);
do_LW:
    FAST_LOAD(4, ZEXT);
do_LBU:
    FAST_LOAD(1, ZEXT);
do_LHU:
    FAST_LOAD(2, ZEXT);
do_SB:
    FAST_STORE(1, p[0] = (uint8_t)v);
do_SH:
    FAST_STORE(2, (p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8)));
do_SW:
    FAST_STORE(4, wr32(p, v));
do_ADDI:
    WB(RS1 + IMM);
    RETIRE();
do_SLTI:
    WB((int32_t)RS1 < in->imm);
    RETIRE();
do_SLTIU:
    WB(RS1 < IMM);
    RETIRE();
do_XORI:
    WB(RS1 ^ IMM);
    RETIRE();
do_ORI:
    WB(RS1 | IMM);
    RETIRE();
do_ANDI:
    WB(RS1 & IMM);
    RETIRE();
do_SLLI:
    WB(RS1 << IMM);
    RETIRE();
do_SRLI:
    WB(RS1 >> IMM);
    RETIRE();
do_SRAI:
    WB((uint32_t)((int32_t)RS1 >> IMM));
    RETIRE();
do_ADD:
    WB(RS1 + RS2);
    RETIRE();
do_SUB:
    WB(RS1 - RS2);
    RETIRE();
do_SLL:
    WB(RS1 << (RS2 & 31));
    RETIRE();
do_SLT:
    WB((int32_t)RS1 < (int32_t)RS2);
    RETIRE();
do_SLTU:
    WB(RS1 < RS2);
    RETIRE();
do_XOR:
    WB(RS1 ^ RS2);
    RETIRE();
do_SRL:
    WB(RS1 >> (RS2 & 31));
    RETIRE();
do_SRA:
    WB((uint32_t)((int32_t)RS1 >> (RS2 & 31)));
    RETIRE();
do_OR:
    WB(RS1 | RS2);
    RETIRE();
do_AND:
    WB(RS1 & RS2);
    RETIRE();
do_MUL:
    WB(RS1 * RS2);
    RETIRE();
do_MULH:
    WB((uint32_t)((uint64_t)((int64_t)(int32_t)RS1 * (int32_t)RS2) >> 32));
    RETIRE();
do_MULHSU:
    WB((uint32_t)((uint64_t)((int64_t)(int32_t)RS1 * (int64_t)RS2) >> 32));
    RETIRE();
do_MULHU:
    WB((uint32_t)(((uint64_t)RS1 * RS2) >> 32));
    RETIRE();
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
do_FENCE:
    RETIRE();
do_FENCE_I:
    RETIRE(); /* stores already invalidated the decoded lines */
do_ECALL:
    TRAP(VEC_SYSCALL, insn_bits(cpu, pc), pc + 4);
do_EBREAK:
    TRAP(VEC_BREAKPOINT, insn_bits(cpu, pc), pc);
do_CSRRW:
    CSR(1, RS1, true);
do_CSRRS:
    CSR(2, RS1, in->rs1 != 0);
do_CSRRC:
    CSR(3, RS1, in->rs1 != 0);
do_CSRRWI:
    CSR(1, in->rs1, true);
do_CSRRSI:
    CSR(2, in->rs1, in->rs1 != 0);
do_CSRRCI:
    CSR(3, in->rs1, in->rs1 != 0);
do_RTI:
    if (cpu->mode != MODE_KERNEL)
        TRAP(VEC_PRIVILEGED, INSN_RTI, pc);
    cpu->pc = pc;
    vec = trap_rti(cpu, &tval);
    if (vec != TRAP_NONE)
        TRAP((uint32_t)vec, tval, pc);
    pc = cpu->pc;
    NEXT;
do_WFI:
    if (cpu->mode != MODE_KERNEL)
        TRAP(VEC_PRIVILEGED, INSN_WFI, pc);
    if (!cpu->in_wfi) /* charged once, however many runs the wait spans */
        cpu->cycle += cpu->op_cost[OP_WFI];
    cpu->pc = pc;
    switch (dev_wfi_wait(cpu)) {
    case WFI_WOKEN:
        cpu->in_wfi = false;
        cpu->instret++;
        pc += 4;
        break;
    case WFI_BUDGET: cpu->in_wfi = true; break;
    case WFI_INPUT: cpu->in_wfi = true; return STOP_WAIT_INPUT;
    }
    cpu_recheck(cpu);
    NEXT;
do_ILLEGAL:
    TRAP(VEC_ILLEGAL, insn_bits(cpu, pc), pc);

take_trap:
    /* The faulting instruction does not retire; trap entry does the rest
     * and the next boundary reports halts, hook stops and single steps. */
    cpu->pc = pc;
    trap_enter(cpu, vec_u, epc, tval);
    pc = cpu->pc;
    NEXT;

#undef RS1
#undef RS2
#undef IMM
#undef WB
#undef NEXT
#undef RETIRE
#undef TRAP
#undef FAST_LOAD
#undef FAST_STORE
#undef BRANCH
#undef DIVIDE
#undef CSR
}

static bool at_breakpoint(const struct cpu *cpu)
{
    for (unsigned i = 0; i < cpu->nbreakpoints; i++)
        if (cpu->breakpoints[i] == cpu->pc)
            return true;
    return false;
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

/* With breakpoints or a retire hook, run one instruction at a time. */
static enum cpu_stop run_stepping(struct cpu *cpu, uint64_t limit)
{
    for (bool first = true;; first = false) {
        if (!first && cpu->nbreakpoints && at_breakpoint(cpu))
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
    if (cpu->nbreakpoints || cpu->hooks.retire)
        return run_stepping(cpu, limit);
    cpu->run_limit = limit;
    return interp(cpu, false);
}
