/*
 * trapframe.h: the frame the HARDWARE pushes on the kernel stack when it
 * takes a trap (docs/isa.md §6, lde/machine.h FRAME_*), as a C struct.
 * The kernel reads the system call number and arguments from it, writes
 * the result into a0, and builds one by hand to start a new process.
 */
#ifndef TRAPFRAME_H
#define TRAPFRAME_H

#include <stddef.h>
#include <stdint.h>

#include "lde/machine.h"

struct trapframe {
    uint32_t ra;     /*   0 x1 */
    uint32_t sp;     /*   4 x2: the user stack pointer */
    uint32_t gp;     /*   8 x3 */
    uint32_t tp;     /*  12 x4 */
    uint32_t t0;     /*  16 x5 */
    uint32_t t1;     /*  20 x6 */
    uint32_t t2;     /*  24 x7 */
    uint32_t s0;     /*  28 x8 */
    uint32_t s1;     /*  32 x9 */
    uint32_t a0;     /*  36 x10: first argument, system call result */
    uint32_t a1;     /*  40 x11 */
    uint32_t a2;     /*  44 x12 */
    uint32_t a3;     /*  48 x13 */
    uint32_t a4;     /*  52 x14 */
    uint32_t a5;     /*  56 x15 */
    uint32_t a6;     /*  60 x16 */
    uint32_t a7;     /*  64 x17: system call number */
    uint32_t s2;     /*  68 x18 */
    uint32_t s3;     /*  72 x19 */
    uint32_t s4;     /*  76 x20 */
    uint32_t s5;     /*  80 x21 */
    uint32_t s6;     /*  84 x22 */
    uint32_t s7;     /*  88 x23 */
    uint32_t s8;     /*  92 x24 */
    uint32_t s9;     /*  96 x25 */
    uint32_t s10;    /* 100 x26 */
    uint32_t s11;    /* 104 x27 */
    uint32_t t3;     /* 108 x28 */
    uint32_t t4;     /* 112 x29 */
    uint32_t t5;     /* 116 x30 */
    uint32_t t6;     /* 120 x31 */
    uint32_t pc;     /* 124 where rti resumes (after the ecall for ecall) */
    uint32_t status; /* 128 STATUS before the trap: MODE says who trapped */
    uint32_t cause;  /* 132 the vector number */
    uint32_t tval;   /* 136 bad address, or the instruction bits */
    uint32_t zero;   /* 140 always 0 */
};

_Static_assert(sizeof(struct trapframe) == FRAME_SIZE, "frame size");
_Static_assert(offsetof(struct trapframe, sp) == FRAME_X(2), "sp");
_Static_assert(offsetof(struct trapframe, a0) == FRAME_X(10), "a0");
_Static_assert(offsetof(struct trapframe, a7) == FRAME_X(17), "a7");
_Static_assert(offsetof(struct trapframe, t6) == FRAME_X(31), "t6");
_Static_assert(offsetof(struct trapframe, pc) == FRAME_PC, "pc");
_Static_assert(offsetof(struct trapframe, status) == FRAME_STATUS, "status");
_Static_assert(offsetof(struct trapframe, cause) == FRAME_CAUSE, "cause");
_Static_assert(offsetof(struct trapframe, tval) == FRAME_TVAL, "tval");
_Static_assert(offsetof(struct trapframe, zero) == FRAME_ZERO, "zero");

#endif /* TRAPFRAME_H */
