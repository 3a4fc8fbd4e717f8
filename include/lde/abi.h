/*
 * lde/abi.h: what the guest kernel shares with user programs and the host.
 *
 * - System calls: lde/syscalls.h, included here.
 * - The user address space every process gets (base and bounds).
 * - The accounting table the kernel keeps in its own memory, at symbols the
 *   host reads after (or during) a run: `lde run --stats` and the
 *   debugger's `ps` read it through the kernel's ELF symbol table. Only
 *   fixed-size integer fields, so it has one layout for the 32-bit guest and
 *   the 64-bit host (checked by the _Static_asserts below).
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

/* ---- Accounting, readable by the host --------------------------------- */
#define LDE_NAME_MAX 16
#define LDE_ACCT_MAX 64 /* processes recorded per boot */

/* Process states (struct lde_acct.state, and the kernel's PCB). */
#define PS_UNUSED 0
#define PS_EMBRYO 1
#define PS_RUNNABLE 2
#define PS_RUNNING 3
#define PS_BLOCKED 4
#define PS_ZOMBIE 5

#define LDE_KILLED_NONE 0xFFFFFFFFu

/* One record per process created since boot; never reused. */
struct lde_acct {
    uint32_t pid;            /* 0 */
    uint32_t ppid;           /* 4 */
    uint32_t state;          /* 8: PS_* */
    int32_t exit_status;     /* 12: valid once ended */
    uint32_t kill_vector;    /* 16: trap that killed it, or LDE_KILLED_NONE */
    uint32_t kill_pc;        /* 20: pc of the offending instruction */
    uint32_t kill_tval;      /* 24: tval of that trap */
    uint32_t kill_signal;    /* 28: kill() signal number, 0 if none */
    char name[LDE_NAME_MAX]; /* 32 */
    uint64_t user_cycles;    /* 48: cycles spent in user mode */
    uint64_t kernel_cycles;  /* 56: cycles the kernel spent on its behalf */
    uint64_t created;        /* 64: cycle at creation */
    uint64_t first_run;      /* 72: cycle of its first rti to user, 0 = never */
    uint64_t ended;          /* 80: cycle at exit or kill, 0 = still alive */
    uint32_t switches;       /* 88: times it was switched to */
    uint32_t syscalls;       /* 92: system calls made */
    uint32_t kstack;         /* 96: top of its kernel stack (physical) */
    uint32_t user_pc;        /* 100: user pc at its last trap */
    uint32_t ubase;          /* 104: its partition */
    uint32_t ubound;         /* 108 */
};

/* Per system call counts, as the kernel's syscall table names them. */
struct lde_sysstat {
    uint32_t number;
    uint32_t count;
    char name[24];
};

/* Symbols the kernel defines (C names) for the host to read. */
#define LDE_SYM_ACCT "lde_acct"          /* struct lde_acct[LDE_ACCT_MAX] */
#define LDE_SYM_NACCT "lde_nacct"        /* uint32_t: records in use */
#define LDE_SYM_SYSSTAT "lde_sysstat"    /* struct lde_sysstat[] */
#define LDE_SYM_NSYSSTAT "lde_nsysstat"  /* uint32_t: entries */
#define LDE_SYM_SWITCHES "lde_switches"  /* uint32_t: context switches */
#define LDE_SYM_CURPID "lde_current_pid" /* uint32_t: 0 = none running */

_Static_assert(sizeof(struct lde_acct) == 112, "lde_acct layout");
_Static_assert(sizeof(struct lde_sysstat) == 32, "lde_sysstat layout");

#endif /* LDE_ABI_H */
