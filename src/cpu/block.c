/*
 * block.c: building, finding and killing decoded blocks (block.h).
 *
 * Memory: the arena, the index and the code map are reserved with
 * host_map() and cost nothing until used; building a block touches only
 * the arena bytes it fills, so a fresh machine pays for none of it.
 */
#include <string.h>

#include "block.h"
#include "cpu_internal.h"
#include "jit.h"

#define ARENA_SIZE (16u << 20)

static uint32_t align8(uint32_t v)
{
    return (v + 7u) & ~7u;
}

struct blocks *blocks_create(const uint8_t *ram, uint32_t ram_size)
{
    struct blocks *bc = host_map(sizeof *bc);
    if (!bc)
        return NULL;
    bc->ncode = (uint32_t)(((uint64_t)ram_size + (1u << CODE_LINE_SHIFT) - 1) >>
                           CODE_LINE_SHIFT);
    bc->arena = host_map(ARENA_SIZE);
    bc->index = host_map(sizeof(uint32_t) << BLOCK_INDEX_BITS);
    bc->code = host_map(bc->ncode);
    bc->jumps = host_map(sizeof(struct block_exit) << JUMP_CACHE_BITS);
    if (!bc->arena || !bc->index || !bc->code || !bc->jumps) {
        blocks_destroy(bc);
        return NULL;
    }
    bc->arena_top = align8(SCRATCH_SIZE);
    bc->epoch = 1;
    bc->jit = jit_create();
    bc->jit_hot = CPU_JIT_HOT_DEFAULT;
    bc->code_bias = (uintptr_t)bc->code - ((uintptr_t)ram >> CODE_LINE_SHIFT);
    return bc;
}

void blocks_destroy(struct blocks *bc)
{
    if (!bc)
        return;
    jit_destroy(bc->jit);
    host_unmap(bc->arena, ARENA_SIZE);
    host_unmap(bc->index, sizeof(uint32_t) << BLOCK_INDEX_BITS);
    host_unmap(bc->code, bc->ncode);
    host_unmap(bc->jumps, sizeof(struct block_exit) << JUMP_CACHE_BITS);
    host_unmap(bc, sizeof *bc);
}

static struct block *at(const struct blocks *bc, uint32_t off)
{
    return (struct block *)(void *)(bc->arena + off);
}

void blocks_new_epoch(struct blocks *bc)
{
    if (++bc->epoch < EPOCH_LIMIT)
        return;
    /* Keys would come round again: forget every chain first. */
    for (uint32_t off = 0; off < bc->arena_top;) {
        struct block *b = at(bc, off);
        b->next[0].key = b->next[1].key = 0;
        off = off ? off + b->size : align8(SCRATCH_SIZE);
    }
    host_zero(bc->jumps, sizeof(struct block_exit) << JUMP_CACHE_BITS);
    bc->epoch = 1;
}

void blocks_breakpoints_changed(struct blocks *bc)
{
    bc->bp_gen++;
    blocks_new_epoch(bc); /* chains were made without looking */
}

void blocks_window(struct blocks *bc, uint32_t off, uint32_t lo, uint32_t hi)
{
    uint32_t i;
    for (i = 0; i < bc->nwin; i++)
        if (bc->win[i].off == off && bc->win[i].lo == lo && bc->win[i].hi == hi)
            break;
    if (i == bc->nwin) {
        if (bc->nwin < WINDOW_IDS) {
            bc->nwin++;
        } else {
            /* The number goes to another window: chains made under it
             * were checked against the old one. */
            i = bc->win_victim++ % WINDOW_IDS;
            blocks_new_epoch(bc);
        }
        bc->win[i].off = off;
        bc->win[i].lo = lo;
        bc->win[i].hi = hi;
    }
    bc->win_id = i;
}

void blocks_flush(struct cpu *cpu)
{
    struct blocks *bc = cpu->blocks;
    if (bc->built == 0)
        return; /* a fresh or just-flushed machine: nothing to touch */
    /* Every block in the arena is dead now; clear only what was used. */
    for (uint32_t off = align8(SCRATCH_SIZE); off < bc->arena_top;) {
        struct block *b = at(bc, off);
        if (b->tag)
            bc->index[block_slot(b->tag - 1)] = 0;
        b->tag = 0;
        off += b->size;
    }
    if (cpu->written == NULL)
        memset(bc->code, 0, bc->ncode);
    else /* the lines watched for writes stay watched */
        for (uint32_t l = 0; l < bc->ncode; l++)
            bc->code[l] &= CODE_WATCH;
    bc->arena_top = align8(SCRATCH_SIZE);
    bc->built = 0;
    if (bc->jit)
        jit_reset(bc->jit); /* no block is left to enter it */
    blocks_new_epoch(bc);
}

#define LINES_PER_PAGE (CPU_PAGE_SIZE >> CODE_LINE_SHIFT)

void blocks_watch_page(struct blocks *bc, uint32_t page, bool on)
{
    uint64_t first = (uint64_t)page * LINES_PER_PAGE;
    for (uint64_t l = first; l < first + LINES_PER_PAGE && l < bc->ncode; l++)
        bc->code[l] =
            (uint8_t)(on ? bc->code[l] | CODE_WATCH : bc->code[l] & CODE_KIND);
}

void blocks_unwatch_all(struct blocks *bc)
{
    for (uint32_t l = 0; l < bc->ncode; l++)
        bc->code[l] &= CODE_KIND;
}

/* Pages written: noted, and no longer watched. */
static void note_pages(struct cpu *cpu, uint32_t pa, uint64_t len)
{
    uint64_t last = ((uint64_t)pa + len - 1) >> CPU_PAGE_SHIFT;
    for (uint64_t p = pa >> CPU_PAGE_SHIFT; p <= last; p++) {
        if (p >= ((uint64_t)cpu->ram_size + CPU_PAGE_SIZE - 1) >>
            CPU_PAGE_SHIFT)
            break;
        if (!cpu->written[p]) {
            cpu->written[p] = 1;
            blocks_watch_page(cpu->blocks, (uint32_t)p, false);
        }
    }
}

void blocks_invalidate(struct cpu *cpu, uint32_t pa, uint64_t len)
{
    struct blocks *bc = cpu->blocks;
    if (len == 0)
        return;
    if (cpu->written != NULL)
        note_pages(cpu, pa, len);
    uint32_t first = pa >> CODE_LINE_SHIFT;
    uint64_t last = (pa + len - 1) >> CODE_LINE_SHIFT;
    if (last >= bc->ncode)
        last = bc->ncode - 1;
    for (uint64_t line = first; line <= last; line++)
        if ((bc->code[line] & CODE_KIND) == CODE_TRACE) {
            /* Some block followed a jal into this line: which one, only a
             * search would tell. Stores into code are rare: forget all. */
            blocks_flush(cpu);
            return;
        }
    for (uint64_t line = first; line <= last; line++) {
        if (!(bc->code[line] & CODE_KIND))
            continue;
        bc->code[line] &= CODE_WATCH;
        /* Blocks starting in this line, or early enough before it to
         * reach into it (their first stretch is at most BLOCK_MAX words).
         * A block starts at any byte, not only at a word: physical is
         * virtual + UBASE, and UBASE need not be word aligned. The index
         * keeps the four bytes of a word in one slot (block_slot), so one
         * look per word finds a block starting at any of them. */
        uint64_t lo = line << CODE_LINE_SHIFT;
        uint64_t hi = lo + (1u << CODE_LINE_SHIFT);
        lo = lo >= 4 * BLOCK_MAX - 1 ? lo - (4 * BLOCK_MAX - 1) : 0;
        for (uint64_t a = lo & ~3u; a < hi; a += 4) {
            uint32_t *slot = &bc->index[block_slot((uint32_t)a)];
            struct block *b = at(bc, *slot);
            uint32_t start = b->tag - 1;
            if (b->tag != 0 && start >> 2 == (uint32_t)a >> 2 && start >= lo) {
                b->tag = 0;
                *slot = 0;
                blocks_new_epoch(bc);
            }
        }
    }
}

/* ---- Decoding one instruction into an operation ------------------------ */

static bool writes_rd(int op)
{
    switch (op) {
    case OP_BEQ:
    case OP_BNE:
    case OP_BLT:
    case OP_BGE:
    case OP_BLTU:
    case OP_BGEU:
    case OP_SB:
    case OP_SH:
    case OP_SW:
    case OP_FENCE:
    case OP_FENCE_I:
    case OP_ECALL:
    case OP_EBREAK:
    case OP_RTI:
    case OP_WFI:
    case OP_ILLEGAL: return false;
    default: return true;
    }
}

/* Does the instruction end its block? Jumps, and whatever needs the
 * machine's state up to date (csr, traps, rti, wfi). A conditional
 * branch does not: taken, it leaves by a side exit; not taken, the block
 * goes on. */
static bool ends_block(int op)
{
    switch (op) {
    case OP_JAL:
    case OP_JALR:
    case OP_ECALL:
    case OP_EBREAK:
    case OP_CSRRW:
    case OP_CSRRS:
    case OP_CSRRC:
    case OP_CSRRWI:
    case OP_CSRRSI:
    case OP_CSRRCI:
    case OP_RTI:
    case OP_WFI:
    case OP_ILLEGAL: return true;
    default: return false;
    }
}

static bool is_pc_relative(int op)
{
    return op == OP_AUIPC || op == OP_JAL || op_cost_class[op] == COST_BRANCH;
}

/* Only pure computations may become no-ops when they write x0: loads
 * still access memory (a fault, a device), csr instructions still act,
 * division may trap (STATUS.DZ). */
static bool is_pure(int op)
{
    int c = op_cost_class[op];
    return (c == COST_ALU && op != OP_ILLEGAL && op != OP_ECALL &&
            op != OP_EBREAK) ||
           c == COST_MUL;
}

/* The operation for instruction idx, at pcoff from the block's pc. */
static struct uop make_op(struct insn in, uint32_t idx, uint32_t pcoff,
                          const void *const *handlers)
{
    int kind = in.op;
    struct uop o = {.imm = in.imm,
                    .rd = in.rd,
                    .rs1 = in.rs1,
                    .rs2 = in.rs2,
                    .idx = (uint8_t)idx};
    if (is_pc_relative(in.op))
        o.imm = (int32_t)((uint32_t)in.imm + pcoff);
    if (writes_rd(in.op) && in.rd == 0)
        o.rd = X_SINK;
    /* A branch's target is pc-relative and the block's pc is aligned:
     * whether it is misaligned is known now, and only such a branch pays
     * for looking (the fast handlers do not). */
    if (op_cost_class[in.op] == COST_BRANCH && (o.imm & 3)) {
        o.rd = (uint8_t)in.op;
        o.run = handlers[XOP_BRANCH_MIS];
        return o;
    }
    if (in.op == OP_FENCE || in.op == OP_FENCE_I ||
        (is_pure(in.op) && in.rd == 0))
        kind = XOP_NOP; /* fence.i too: stores already killed stale blocks */
    else if (in.op == OP_LUI || (in.op == OP_ADDI && in.rs1 == 0))
        kind = XOP_LI;
    else if (in.op == OP_ADDI && in.imm == 0)
        kind = XOP_MV;
    o.run = handlers[kind];
    return o;
}

/* A pair of FUSED_LIST: the first op of the pair gets its handler and
 * the branch's other operand; the second stays in place (its target and
 * exit are read from there). */
static void fuse(struct uop *ops, uint32_t i, struct insn prev, struct insn in,
                 const void *const *handlers)
{
    /* [first][branch][v is rs2]: the test on (v, other) */
    static const uint8_t fused[NOPS][NOPS][2] = {
#define PAIRS(first)                                                           \
    [OP_##first][OP_BEQ] = {XOP_##first##_EQ, XOP_##first##_EQ},               \
    [OP_##first][OP_BNE] = {XOP_##first##_NE, XOP_##first##_NE},               \
    [OP_##first][OP_BLT] = {XOP_##first##_LT, XOP_##first##_GT},               \
    [OP_##first][OP_BGE] = {XOP_##first##_GE, XOP_##first##_LE},               \
    [OP_##first][OP_BLTU] = {XOP_##first##_LTU, XOP_##first##_GTU},            \
    [OP_##first][OP_BGEU] = {XOP_##first##_GEU, XOP_##first##_LEU},
        PAIRS(ADDI) PAIRS(LW) PAIRS(LH) PAIRS(LHU) PAIRS(LB) PAIRS(LBU)
#undef PAIRS
    };
    _Static_assert(NXOPS <= 256, "fused ops fit a byte");
    if (i == 0 || prev.rd == 0 || !fused[prev.op][in.op][0] ||
        ops[i].run == handlers[XOP_BRANCH_MIS] ||
        (in.rs1 != prev.rd && in.rs2 != prev.rd))
        return;
    bool v_second = in.rs1 != prev.rd;
    ops[i - 1].run = handlers[fused[prev.op][in.op][v_second]];
    ops[i - 1].rs2 = v_second ? in.rs1 : in.rs2;
}

/* ---- Building ---------------------------------------------------------- */

static struct block *alloc_block(struct cpu *cpu, bool single, bool *flushed)
{
    struct blocks *bc = cpu->blocks;
    if (single)
        return at(bc, 0);
    if (bc->arena_top + BLOCK_SPACE(BLOCK_MAX) > ARENA_SIZE) {
        blocks_flush(cpu);
        *flushed = true;
    }
    return at(bc, bc->arena_top);
}

/* Code a block was decoded from: [off, off + bytes) from its pc. */
struct segment {
    uint32_t off, bytes;
};

static void mark(struct blocks *bc, uint32_t pa, uint32_t bytes, uint8_t what)
{
    for (uint32_t l = pa >> CODE_LINE_SHIFT;
         l <= (pa + bytes - 1) >> CODE_LINE_SHIFT; l++)
        if ((bc->code[l] & CODE_KIND) < what)
            bc->code[l] = (uint8_t)((bc->code[l] & CODE_WATCH) | what);
}

static void insert(struct cpu *cpu, struct block *b, uint32_t pa,
                   const struct segment *seg, uint32_t nseg)
{
    struct blocks *bc = cpu->blocks;
    uint32_t off = (uint32_t)((uint8_t *)b - bc->arena);
    uint32_t *slot = &bc->index[block_slot(pa)];
    /* The block it replaces dies: a block is live iff the index holds it,
     * so a chained exit can never reach one that stores no longer see. */
    struct block *old = at(bc, *slot);
    if (old->tag) {
        old->tag = 0;
        blocks_new_epoch(bc);
    }
    *slot = off;
    b->tag = pa + 1;
    bc->arena_top = off + b->size;
    bc->built++;
    /* The first stretch is found from its start (blocks_invalidate looks
     * a block's length back); what it reached through a jal is not. */
    mark(bc, pa, seg[0].bytes, CODE_START);
    for (uint32_t i = 1; i < nseg; i++)
        if (seg[i].bytes)
            mark(bc, pa + seg[i].off, seg[i].bytes, CODE_TRACE);
}

struct block *block_build(struct cpu *cpu, uint32_t pc, bool single,
                          const void *const *handlers, int *vec, uint32_t *tval,
                          bool *flushed)
{
    /* Fetch: the same window as data (docs/isa.md §5), tval = pc. */
    if ((pc & 3) || !in_window(cpu, pc, 4)) {
        *vec = pc & 3 ? VEC_MISALIGNED : VEC_MEMFAULT;
        *tval = pc;
        return NULL;
    }
    uint32_t pa = pc + cpu->win_off;
    uint32_t max = single ? 1 : BLOCK_MAX;

    struct block *b = alloc_block(cpu, single, flushed);
    uint32_t cyc[BLOCK_MAX + 1], taken[BLOCK_MAX], pcoff[BLOCK_MAX];
    struct segment seg[MAX_SEGMENTS] = {{0, 0}};
    uint32_t n = 0, nops = 0, sum = 0, nseg = 1;
    uint32_t off = 0; /* of the next instruction from pc (mod 2^32) */
    int32_t lo = 0, hi = 0;
    struct insn prev = {.op = OP_ILLEGAL};
    bool closed = false;
    /* Each instruction must lie in the window, or the block ends before
     * it and the fetch faults there, exactly, on the next dispatch. */
    while (n < max && !closed && in_window(cpu, pc + off, 4)) {
        /* A breakpoint is looked at when a block is entered: one inside
         * ends the block before it. */
        if (n > 0 && cpu->nbreakpoints && cpu_at(cpu, pc + off))
            break;
        struct insn in = decode(rd32(cpu->ram + (uint32_t)(pa + off)));
        cyc[n] = sum;
        taken[n] = sum + cpu->costs[COST_BRANCH_TAKEN];
        sum += cpu->op_cost[in.op];
        pcoff[n] = off;
        seg[nseg - 1].bytes += 4;
        if ((int32_t)off < lo)
            lo = (int32_t)off;
        if ((int32_t)(off + 4) > hi)
            hi = (int32_t)(off + 4);
        uint32_t target = off + (uint32_t)in.imm;
        if (in.op == OP_JAL && !(target & 3) && target != 0 &&
            nseg < MAX_SEGMENTS && n + 1 < max &&
            in_window(cpu, pc + target, 4)) {
            /* Follow it: only its link remains, rd = pc + off + 4. */
            b->ops[nops++] =
                (struct uop){.run = handlers[in.rd ? OP_AUIPC : XOP_NOP],
                             .imm = (int32_t)(off + 4),
                             .rd = in.rd,
                             .idx = (uint8_t)n};
            seg[nseg++] = (struct segment){target, 0};
            off = target;
            prev = (struct insn){.op = OP_ILLEGAL};
            n++;
            continue;
        }
        b->ops[nops] = make_op(in, n, off, handlers);
        fuse(b->ops, nops, prev, in, handlers);
        nops++;
        prev = in;
        closed = ends_block(in.op);
        off += 4;
        n++;
    }
    cyc[n] = sum;
    if (!closed) /* fell off the end: an END op leaves to pc + off */
        b->ops[nops++] = (struct uop){.run = handlers[XOP_END], .idx = n};

    b->lo = lo;
    b->span = (uint32_t)(hi - lo);
    b->end = off;
    b->n = n;
    b->body = cyc[n - 1]; /* NOLINT: n >= 1, see below */
    b->all = sum;
    b->next[0] = b->next[1] = (struct block_exit){NULL, 0}; /* epoch 0 */
    b->heat = 0;
    b->native = NULL;
    b->bp_gen = cpu->blocks->bp_gen;
    b->bp_off = cpu->win_off;
    b->nops = nops;
    b->cyc = (uint32_t *)(void *)(b->ops + nops);
    b->taken = b->cyc + n + 1;
    b->pcoff = b->taken + n;
    memcpy(b->cyc, cyc, (n + 1) * sizeof *cyc);
    /* n >= 1: the fetch check above let the loop run at least once
     * (cppcheck cannot see that). */
    /* cppcheck-suppress uninitvar */
    memcpy(b->taken, taken, n * sizeof *taken);
    /* cppcheck-suppress uninitvar */
    memcpy(b->pcoff, pcoff, n * sizeof *pcoff);
    b->size = align8((uint32_t)((uint8_t *)(b->pcoff + n) - (uint8_t *)b));
    if (single)
        b->tag = 0; /* never found, never chained to */
    else
        insert(cpu, b, pa, seg, nseg);
    return b;
}
