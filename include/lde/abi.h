/*
 * lde/abi.h: what the guest kernel shares with user programs and the host.
 *
 * - System calls: lde/syscalls.h, included here.
 * - The user address space every process gets (base and bounds).
 * - The process records the kernel keeps in its own memory, at symbols the
 *   host reads after (or during) a run: `lde run --stats` and the
 *   debugger's `ps` read them through the kernel's ELF symbol table. Only
 *   fixed-size integer fields, so they have one layout for the 32-bit guest
 *   and the 64-bit host (checked by the _Static_assert below).
 */
#ifndef LDE_ABI_H
#define LDE_ABI_H

#include <stdint.h>

/* ---- System calls: lde/syscalls.h (a7 = number, a0..a5 = arguments,
 * a0 = result) ----------------------------------------------------------- */
#include "lde/syscalls.h"

/* Errors are returned as -errno, with Linux's numbers. */
#define LDE_EPERM 1
#define LDE_ESRCH 3
#define LDE_EINTR 4
#define LDE_EBADF 9
#define LDE_ENOMEM 12
#define LDE_EFAULT 14
#define LDE_EINVAL 22
#define LDE_ENOSYS 38

/* ---- Each process's user address space -------------------------------- *
 * Every process gets one partition of LDE_USER_SIZE bytes of physical RAM;
 * UBASE = the partition's start, UBOUND = LDE_USER_SIZE. Program segments
 * must lie in [USER_NULL_GUARD, LDE_USER_SIZE); the stack grows down from
 * LDE_USER_SIZE. */
#define LDE_USER_SIZE 0x00400000u      /* 4 MiB */
#define LDE_USER_STACK_MIN 0x00010000u /* brk may not come closer to sp */
#define LDE_USER_PAGE 4096u            /* brk starts at the next multiple */

/* ---- A program's arguments and its initial stack ---------------------- *
 * The kernel copies argv to the top of the partition in the Linux layout
 * (docs/isa.md §10): the strings highest, then, 16-byte aligned, argc,
 * argv[], NULL, an empty envp and two auxv pairs. It refuses a program
 * with more arguments than these limits, or whose stack would come closer
 * than LDE_USER_STACK_ROOM to its initial break (its end, rounded up to
 * LDE_USER_PAGE); the host refuses the same before boot, from the same
 * numbers. */
#define LDE_ARGS_MAX 1024u        /* argc, argv[0] included */
#define LDE_ARG_BYTES_MAX 65536u  /* bytes of argv strings, NULs included */
#define LDE_USER_STACK_ROOM 4096u /* initial sp - initial break, at least */
#define LDE_USTACK_WORDS(argc) (1u + (argc) + 1u + 1u + 4u)

/* The initial sp, given the address of the lowest argv string (strings =
 * the partition's top minus the bytes of the strings). */
static inline uint32_t lde_ustack_sp(uint32_t strings, uint32_t argc)
{
    return ((strings & ~15u) - LDE_USTACK_WORDS(argc) * 4u) & ~15u;
}

/* ---- The process records, readable by the host ----------------------- *
 * The kernel keeps what it needs to know of each process it created since
 * boot (who, whose child, in what state, how it ended) in lde_procinfo[],
 * and the host reads it by symbol (`lde run --stats`, the debugger's ps).
 * Cycles are not in it: the machine measures every process's user and
 * kernel cycles exactly at each mode switch (src/session), so that there
 * is one owner of every figure, and the kernel's paths stay short. */
#define LDE_NAME_MAX 16
#define LDE_PROCS_MAX 64 /* processes recorded per boot */

/* Process states (struct lde_procinfo.state, and the kernel's PCB):
 *   X(state, number, name) */
#define LDE_PROC_STATES(X)                                                     \
    X(PS_UNUSED, 0, "unused")                                                  \
    X(PS_EMBRYO, 1, "embryo")                                                  \
    X(PS_RUNNABLE, 2, "runnable")                                              \
    X(PS_RUNNING, 3, "running")                                                \
    X(PS_BLOCKED, 4, "blocked")                                                \
    X(PS_ZOMBIE, 5, "zombie")

enum lde_proc_state {
#define LDE_PROC_STATE_ENUM(state, number, name) state = number,
    LDE_PROC_STATES(LDE_PROC_STATE_ENUM)
#undef LDE_PROC_STATE_ENUM
};

#define LDE_KILLED_NONE 0xFFFFFFFFu

/* One record per process created since boot; never reused. */
struct lde_procinfo {
    uint32_t pid;            /* 0 */
    uint32_t ppid;           /* 4 */
    uint32_t state;          /* 8: PS_* */
    int32_t exit_status;     /* 12: valid once ended */
    uint32_t kill_vector;    /* 16: trap that killed it, or LDE_KILLED_NONE */
    uint32_t kill_pc;        /* 20: pc of the offending instruction */
    uint32_t kill_tval;      /* 24: tval of that trap */
    uint32_t kill_signal;    /* 28: kill() signal number, 0 if none */
    char name[LDE_NAME_MAX]; /* 32 */
    uint64_t created;        /* 48: cycle at creation (its arrival) */
    uint64_t ended;          /* 56: cycle at exit or kill, 0 = still alive */
    uint32_t kstack;         /* 64: top of its kernel stack (physical): its
                                user registers are the frame just below */
    uint32_t ubase;          /* 68: its partition */
    uint32_t ubound;         /* 72 */
    uint32_t reserved;       /* 76: 0 */
};

/* Symbols the kernel defines (C names) for the host to read. */
#define LDE_SYM_PROCINFO "lde_procinfo"   /* struct lde_procinfo[] */
#define LDE_SYM_NPROCINFO "lde_nprocinfo" /* uint32_t: records in use */
#define LDE_SYM_CURPID "lde_current_pid"  /* uint32_t: 0 = none running */

_Static_assert(sizeof(struct lde_procinfo) == 80, "lde_procinfo layout");

#endif /* LDE_ABI_H */
