/*
 * block.h: decoded blocks, the unit the run loop executes (docs/engine.md).
 *
 * A block is code decoded once: up to BLOCK_MAX instructions from a
 * physical address, ending at the first indirect jump or system
 * instruction (or at the window's end), as an array of operations. A
 * conditional branch leaves it only when taken (a side exit); a jal is
 * followed, the block going on at its target (a trace), while the target
 * lies in the window. Each
 * operation carries the address of its handler in the run loop, so going
 * from one to the next is one load and one indirect jump; none checks a
 * tag, a bound or a counter. What the block costs is summed when it is
 * built: the run loop adds it to the cycle and instret counters once, at
 * the block's exit. Writes to x0 decode as no-ops (or go to a sink
 * register), li and mv are operations of their own.
 *
 *   block at pa:   [ op0 | op1 | ... | opN-1 | END ]  cyc[0..n] taken[]
 *   exits:         next[0] (taken branches, the jump), next[1] (END),
 *                  each remembering the block it led to last (chaining)
 *
 * Blocks live in an arena and are found through a direct-mapped index by
 * physical address; a block is live iff the index holds it. A byte per
 * CODE_LINE bytes of RAM says whether any block was decoded from there, so
 * a store checks one byte and, only on code, kills the blocks it touches.
 */
#ifndef LDE_BLOCK_H
#define LDE_BLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu.h"
#include "decode.h"

#define BLOCK_MAX 32      /* instructions per block, at most */
#define CODE_LINE_SHIFT 8 /* stores are checked against 256-byte lines */
#define X_SINK 32         /* xw[32]: where decoded writes to x0 go */
#define MAX_SEGMENTS 8    /* jal targets a block follows, plus its start */
#define WINDOW_IDS 16     /* windows told apart in chains' keys */
#define EPOCH_LIMIT (UINT32_MAX / WINDOW_IDS) /* then keys would repeat */
enum { CODE_NONE, CODE_START, CODE_TRACE };   /* blocks->code[] values */
/* Write tracking (cpu_track_writes) shares the code map at no cost to the
 * stores: a line of a page not written since the last snapshot carries
 * CODE_WATCH, so the first store to it takes the slow path, where
 * blocks_invalidate() notes the page and stops watching it. */
#define CODE_WATCH 0x80u
#define CODE_KIND 0x7fu

/* Operations the decoder adds to OP_LIST's (same enum space, after it). */
#define XOP_LIST(X)                                                            \
    X(NOP)        /* an ALU instruction writing x0, fence, fence.i */          \
    X(BRANCH_MIS) /* a branch to a misaligned target: rd holds its OP_ */      \
    X(LI)         /* rd = imm: lui, addi rd, x0, imm */                        \
    X(MV)         /* rd = rs1: addi rd, rs1, 0 */                              \
    X(END)        /* the block falls through to the next one */

/*
 * Fused pairs: an addi or a load, then a conditional branch that reads
 * its result. The value v goes to the compare in a host register instead
 * of through the register file, against the branch's other operand, whose
 * number the first op keeps in its (unused) rs2; the test is turned
 * round when v is the branch's rs2 (blt a, v is v > a: GT). The branch
 * keeps its own op (the next one) for its target and exit, and runs it
 * alone when the first op falls back to its own handler. FUSED_LIST(X)
 * gives X(first, test).
 */
#define FUSE_BRANCHES(X, P)                                                    \
    X(P, EQ)                                                                   \
    X(P, NE)                                                                   \
    X(P, LT) X(P, GE) X(P, LTU) X(P, GEU) X(P, GT) X(P, LE) X(P, GTU) X(P, LEU)
#define FUSED_LIST(X)                                                          \
    FUSE_BRANCHES(X, ADDI)                                                     \
    FUSE_BRANCHES(X, LW)                                                       \
    FUSE_BRANCHES(X, LH)                                                       \
    FUSE_BRANCHES(X, LHU)                                                      \
    FUSE_BRANCHES(X, LB)                                                       \
    FUSE_BRANCHES(X, LBU)

enum xop {
    XOP_FIRST_ = NOPS - 1,
#define X(name) XOP_##name,
    XOP_LIST(X)
#undef X
#define X(first, test) XOP_##first##_##test,
        FUSED_LIST(X)
#undef X
            NXOPS
};

/* One operation: 16 bytes, four to a cache line. */
struct uop {
    const void *run; /* its handler in the run loop (computed goto) */
    int32_t imm;     /* immediate; pc-relative ones (auipc, jal, branches)
                        already include the instruction's offset in the
                        block, so target = block pc + imm */
    uint8_t rd, rs1, rs2;
    uint8_t idx; /* index of its instruction in the block */
};

struct block {
    uint32_t tag;  /* physical address + 1 of its first instruction
                      (any byte: UBASE need not be word aligned);
                      0: dead (an address in RAM + 1 is never 0) */
    int32_t lo;    /* its code lies in [pc + lo, pc + lo + span): lo < 0 */
    uint32_t span; /* when a jal it follows goes backwards */
    uint32_t end;  /* END leaves to pc + end */
    uint32_t n;    /* instructions */
    uint32_t body; /* cycles of all but the last: the last one starts at
                      block start + body, the latest boundary inside */
    uint32_t all;  /* cycles of all n, branches not taken */
    uint32_t nops; /* operations, END included */
    uint32_t size; /* bytes it takes in the arena */
    uint32_t heat; /* entries, until it has native code (jit.h) */
    /* Built while breakpoints were set (generation bp_gen of the set)
     * for the window at physical va + bp_off: it then ends before each,
     * so that the run loop looks at breakpoints at block entries only. */
    uint32_t bp_gen, bp_off;
    void *native; /* its native code, or NULL */
    /* Chained successors: [0] taken branches and the jump, [1] END. */
    struct block_exit {
        struct block *to; /* the block it led to last, entered directly */
        uint64_t key;     /* blocks_key() | pc when it did: valid for that
                             pc (branches share an exit, jalr varies) in
                             the same window while no block died since */
    } next[2];
    uint32_t *cyc;    /* [n + 1] cycles before instruction i; cyc[n] == all
                         (slow paths) */
    uint32_t *taken;  /* [n] cycles up to and including instruction i as a
                         taken branch: its side exit's cost */
    uint32_t *pcoff;  /* [n] instruction i is at pc + pcoff[i] */
    struct uop ops[]; /* then the three tables above */
};

struct blocks {
    uint8_t *arena;     /* blocks, bump-allocated; offset 0: the scratch
                           block for single instructions, tag always 0 */
    uint32_t arena_top; /* next free offset */
    uint32_t *index;    /* arena offsets by (pa >> 2) & INDEX_MASK */
    uint8_t *code;      /* per CODE_LINE of RAM: CODE_START if blocks
                           start there (or reach into it from the line
                           before), CODE_TRACE if a block reached it by
                           following a jal */
    uint32_t ncode;
    uint32_t built; /* blocks built since the last flush */
    /* The code map by host address: RAM is page aligned, so code_bias +
     * (host >> CODE_LINE_SHIFT) is the byte of that RAM's line. */
    uintptr_t code_bias;
    /* Chains are followed without a tag or window check while the epoch
     * they were made in lasts (it moves on whenever a block dies,
     * blocks_new_epoch) and in the window they were made in: each window
     * seen recently has a number, and giving a number to another window
     * starts a new epoch too (blocks_window). */
    uint32_t epoch;
    struct {
        uint32_t off, lo, hi;
    } win[WINDOW_IDS];
    uint32_t nwin, win_id, win_victim;
    /* Jumps whose chain did not hold (a return to another caller than
     * last time): the block at pc by the same key as a chain's, so that
     * native code finds it without the index (jit.c). */
    struct block_exit *jumps;
    /* Native code (jit.h): NULL where the host has none. A block gets
     * it on its jit_hot-th entry; 0 turns it off (cpu_set_jit). */
    struct jit *jit;
    uint32_t jit_hot;
    uint32_t bp_gen; /* moves on when the breakpoints change */
};

#define JUMP_CACHE_BITS 12

/* The jump cache's slot for pc. */
static inline struct block_exit *blocks_jump_slot(const struct blocks *bc,
                                                  uint32_t pc)
{
    return &bc->jumps[(pc >> 2) & ((1u << JUMP_CACHE_BITS) - 1)];
}

/* The most a block of n instructions takes in the arena. */
#define BLOCK_SPACE(n)                                                         \
    (sizeof(struct block) + ((n) + 1) * sizeof(struct uop) +                   \
     (3 * (n) + 1) * sizeof(uint32_t))
/* The scratch block at arena offset 0 holds one instruction and its END. */
#define SCRATCH_SIZE BLOCK_SPACE(1)

/* ram must be page aligned (host_map). */
struct blocks *blocks_create(const uint8_t *ram, uint32_t ram_size);
void blocks_destroy(struct blocks *bc);

/* Decode a block at pc in the current window: the cached one (single =
 * false) or one instruction into the scratch block (single = true).
 * handlers maps OP_ and XOP_ numbers to run-loop labels. Returns NULL if
 * the first instruction cannot be fetched: *vec and *tval say why. Sets
 * *flushed when the arena had to be emptied (every offset is stale). */
struct block *block_build(struct cpu *cpu, uint32_t pc, bool single,
                          const void *const *handlers, int *vec, uint32_t *tval,
                          bool *flushed);

#define BLOCK_INDEX_BITS 15

/* The index slot of pa: its word address, plus an offset that differs
 * from one 128 KiB region to the next, so that the kernel's code and each
 * process's (at the same offset in their 4 MiB partitions) do not all
 * land on the same slots. The four bytes of a word share a slot, which
 * blocks_invalidate() relies on to find blocks starting at any byte. */
static inline uint32_t block_slot(uint32_t pa)
{
    return ((pa >> 2) + ((pa >> 17) * 0x9E3779B1u >> 17)) &
           ((1u << BLOCK_INDEX_BITS) - 1);
}

/* The live block starting at physical pa, or NULL. */
static inline struct block *block_find(const struct blocks *bc, uint32_t pa)
{
    struct block *b =
        (struct block *)(void *)(bc->arena + bc->index[block_slot(pa)]);
    return b->tag == pa + 1 ? b : NULL;
}

/* Watch the lines of page p (CPU_PAGE_SIZE bytes) for stores, or not. */
void blocks_watch_page(struct blocks *bc, uint32_t page, bool on);
/* Stop watching every line. */
void blocks_unwatch_all(struct blocks *bc);
/* Stores: kill every block decoded from [pa, pa + len), and note the
 * pages written for the write tracking. */
void blocks_invalidate(struct cpu *cpu, uint32_t pa, uint64_t len);
/* Forget every block (new cost table, RAM rewritten behind our back). */
void blocks_flush(struct cpu *cpu);

/* The breakpoints changed: blocks built for the old ones are not entered
 * while there are breakpoints (cpu_break_add). */
void blocks_breakpoints_changed(struct blocks *bc);

/* Every chain made so far is stale (epoch 0 is never current). */
void blocks_new_epoch(struct blocks *bc);
/* The window is now va [lo, hi) at physical va + off (mem_update_window). */
void blocks_window(struct blocks *bc, uint32_t off, uint32_t lo, uint32_t hi);

/* The high half of a chain's key: epoch and window number. */
static inline uint64_t blocks_key(const struct blocks *bc)
{
    return (uint64_t)(bc->epoch * WINDOW_IDS + bc->win_id) << 32;
}

/* Is any code decoded from the line holding pa? The stores' fast check. */
static inline bool blocks_is_code(const struct blocks *bc, uint32_t pa)
{
    return bc->code[pa >> CODE_LINE_SHIFT] != 0;
}

#endif /* LDE_BLOCK_H */
