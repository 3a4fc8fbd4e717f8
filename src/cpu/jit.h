/*
 * jit.h: native code for hot blocks (docs/engine.md, "Native code").
 *
 * A block that has run often enough is translated, operation by
 * operation, into x86-64 code that does what the run loop's handlers do
 * on their fast paths: the arithmetic, the loads and stores that one
 * compare lets through, the branches, the exits with the block's summed
 * cost and the chains to the next block's native code. Anything else
 * (a slow load or store, a store into decoded code, a division by zero,
 * a csr, a trap, rti, wfi) is not translated: the native code stops
 * before that operation and the run loop goes on from it, in the same
 * block, with the same counters, as if its own handlers had run the ones
 * before. So the native code never needs the machine's state up to date
 * and never calls out; the exact slow paths stay in one place
 * (interp.c).
 *
 * Native code lives in one buffer, appended to and emptied whole when the
 * blocks are (blocks_flush): a dead block's code is never entered again,
 * since it is reached only through its block (the index) or a chain
 * (the epoch). On hosts other than x86-64 there is no native code and
 * every block runs in the run loop.
 */
#ifndef LDE_JIT_H
#define LDE_JIT_H

#include <stdint.h>

struct block;
struct blocks;
struct cpu;
struct jit;

/* The run loop's counters and what the native code tells it back. */
struct jit_state {
    int64_t left;     /* cycles to the gate (interp.c), in and out */
    uint64_t ir;      /* instructions retired, in and out */
    uint64_t key;     /* blocks_key(): chains made now carry it */
    struct block *b;  /* out: the block the native code was in last */
    struct block *nb; /* out (JIT_RUN): the chained block to run */
    uint32_t pc;      /* out (JIT_EXIT, JIT_RUN): where execution goes */
};

/* What jit_run() returns: the run loop goes on at op index r of
 * state.b (r < JIT_EXIT); or exit k of state.b was taken and charged,
 * to state.pc, whose chain did not match (JIT_EXIT + k) or matched a
 * block the native code could not enter (JIT_RUN + k, state.nb). */
enum { JIT_EXIT = 0x100, JIT_RUN = 0x200 };

/* NULL when this host has no native code generator (or no memory). */
struct jit *jit_create(void);
void jit_destroy(struct jit *jit);
/* Forget all native code (every block died). */
void jit_reset(struct jit *jit);
/* Native code for b, one of bc's blocks, or NULL if the buffer is full;
 * *size gets its length in bytes. handlers: the run loop's table
 * (block_build's), to tell the operations apart. */
void *jit_compile(struct jit *jit, const struct blocks *bc,
                  const struct block *b, const void *const *handlers,
                  uint32_t *size);
/* Run native code (a block's) until it stops: see JIT_EXIT. mem: the
 * run loop's base for fast loads and stores. */
uint32_t jit_run(struct jit *jit, struct jit_state *state, struct cpu *cpu,
                 uint8_t *mem, void *code);

#endif /* LDE_JIT_H */
