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

/* Errors are returned as -errno, with Linux's numbers (asm-generic/errno-base.h
 * and errno.h). X(name, number) */
#define LDE_ERRORS(X)                                                          \
    X(EPERM, 1)                                                                \
    X(ENOENT, 2)                                                               \
    X(ESRCH, 3)                                                                \
    X(EINTR, 4)                                                                \
    X(E2BIG, 7)                                                                \
    X(ENOEXEC, 8)                                                              \
    X(EBADF, 9)                                                                \
    X(ECHILD, 10)                                                              \
    X(EAGAIN, 11)                                                              \
    X(ENOMEM, 12)                                                              \
    X(EFAULT, 14)                                                              \
    X(EINVAL, 22)                                                              \
    X(ENFILE, 23)                                                              \
    X(EMFILE, 24)                                                              \
    X(ENOTTY, 25)                                                              \
    X(EPIPE, 32)                                                               \
    X(ENAMETOOLONG, 36)                                                        \
    X(ENOSYS, 38)

enum lde_errno {
#define LDE_ERRNO_ENUM(name, number) LDE_##name = number,
    LDE_ERRORS(LDE_ERRNO_ENUM)
#undef LDE_ERRNO_ENUM
};

/* ---- Signals (Linux's numbers, asm-generic/signal.h) ------------------ *
 * lde has no signal handlers: a signal's default action is the only one.
 * TERM and CORE end the process (no core files: both are "killed"), IGN
 * does nothing, STOP is refused (-EINVAL: lde has no job control), and
 * CONT does nothing (nothing is ever stopped). 32..64 are the real-time
 * signals, whose default is TERM.  X(number, name, action) */
#define LDE_SIGNALS(X)                                                         \
    X(1, HUP, LDE_SIGACT_TERM)                                                 \
    X(2, INT, LDE_SIGACT_TERM)                                                 \
    X(3, QUIT, LDE_SIGACT_CORE)                                                \
    X(4, ILL, LDE_SIGACT_CORE)                                                 \
    X(5, TRAP, LDE_SIGACT_CORE)                                                \
    X(6, ABRT, LDE_SIGACT_CORE)                                                \
    X(7, BUS, LDE_SIGACT_CORE)                                                 \
    X(8, FPE, LDE_SIGACT_CORE)                                                 \
    X(9, KILL, LDE_SIGACT_TERM)                                                \
    X(10, USR1, LDE_SIGACT_TERM)                                               \
    X(11, SEGV, LDE_SIGACT_CORE)                                               \
    X(12, USR2, LDE_SIGACT_TERM)                                               \
    X(13, PIPE, LDE_SIGACT_TERM)                                               \
    X(14, ALRM, LDE_SIGACT_TERM)                                               \
    X(15, TERM, LDE_SIGACT_TERM)                                               \
    X(16, STKFLT, LDE_SIGACT_TERM)                                             \
    X(17, CHLD, LDE_SIGACT_IGN)                                                \
    X(18, CONT, LDE_SIGACT_CONT)                                               \
    X(19, STOP, LDE_SIGACT_STOP)                                               \
    X(20, TSTP, LDE_SIGACT_STOP)                                               \
    X(21, TTIN, LDE_SIGACT_STOP)                                               \
    X(22, TTOU, LDE_SIGACT_STOP)                                               \
    X(23, URG, LDE_SIGACT_IGN)                                                 \
    X(24, XCPU, LDE_SIGACT_CORE)                                               \
    X(25, XFSZ, LDE_SIGACT_CORE)                                               \
    X(26, VTALRM, LDE_SIGACT_TERM)                                             \
    X(27, PROF, LDE_SIGACT_TERM)                                               \
    X(28, WINCH, LDE_SIGACT_IGN)                                               \
    X(29, IO, LDE_SIGACT_TERM)                                                 \
    X(30, PWR, LDE_SIGACT_TERM)                                                \
    X(31, SYS, LDE_SIGACT_CORE)

#define LDE_NSIG 64 /* signals are 1..LDE_NSIG */
enum lde_sigaction {
    LDE_SIGACT_TERM,
    LDE_SIGACT_CORE,
    LDE_SIGACT_IGN,
    LDE_SIGACT_STOP,
    LDE_SIGACT_CONT
};

/* LDE_SIGNAL_HUP, ... by name; lde/machine.h's LDE_SIGILL, ... (the
 * traps' signals) must agree, which the kernel checks. */
enum lde_signal {
#define LDE_SIGNAL_ENUM(number, name, action) LDE_SIGNAL_##name = number,
    LDE_SIGNALS(LDE_SIGNAL_ENUM)
#undef LDE_SIGNAL_ENUM
};

/* "TERM" for 15; 0 for a number that has no name (0, 32..64, ...). */
static inline const char *lde_signal_name(uint32_t sig)
{
    switch (sig) {
#define LDE_SIGNAL_CASE(number, name, action)                                  \
    case number: return #name;
        LDE_SIGNALS(LDE_SIGNAL_CASE)
#undef LDE_SIGNAL_CASE
    }
    return 0;
}

/* ---- Process creation, waiting and files: the Linux riscv32 values --- */
/* clone(flags, stack, ptid, tls, ctid): fork is flags == SIGCHLD (the
 * signal the parent gets at exit), stack 0. */
#define LDE_CLONE_FORK LDE_SIGNAL_CHLD

/* waitid(idtype, id, infop, options, rusage) */
#define LDE_P_ALL 0
#define LDE_P_PID 1
#define LDE_P_PGID 2
#define LDE_WNOHANG 0x1
#define LDE_WSTOPPED 0x2
#define LDE_WEXITED 0x4
#define LDE_WCONTINUED 0x8
#define LDE_WNOWAIT 0x01000000
#define LDE_WNOTHREAD 0x20000000 /* __WNOTHREAD, __WALL, __WCLONE: one */
#define LDE_WALL 0x40000000      /* thread per process, so these change */
#define LDE_WCLONE 0x80000000u   /* nothing */
#define LDE_CLD_EXITED 1
#define LDE_CLD_KILLED 2

/* siginfo_t as waitid fills it for a child (asm-generic/siginfo.h on a
 * 32-bit target: three ints, then the _sigchld fields; 128 bytes). The
 * field names drop the si_ prefix, which C libraries define as macros. */
struct lde_siginfo {
    int32_t signo;  /* 0: SIGCHLD (0 if WNOHANG found nothing) */
    int32_t error;  /* 4: si_errno, 0 */
    int32_t code;   /* 8: LDE_CLD_EXITED or LDE_CLD_KILLED */
    int32_t pid;    /* 12: the child */
    uint32_t uid;   /* 16: 0 */
    int32_t status; /* 20: exit status, or the signal that killed it */
    int32_t utime;  /* 24: 0 (the host measures cycles) */
    int32_t stime;  /* 28: 0 */
    int32_t pad[24];
};

/* struct rusage on a 32-bit target: two {long, long} timevals and 14
 * longs. waitid writes it all zero: the machine, not the kernel, measures
 * each process's cycles (see below). */
#define LDE_RUSAGE_SIZE 72

/* open-file flags (pipe2, dup3, fcntl F_SETFL) */
#define LDE_O_NONBLOCK 0x800
#define LDE_O_CLOEXEC 0x80000

/* fcntl64(fd, cmd, arg) */
#define LDE_F_DUPFD 0
#define LDE_F_GETFD 1
#define LDE_F_SETFD 2
#define LDE_F_GETFL 3
#define LDE_F_SETFL 4
#define LDE_F_DUPFD_CLOEXEC 1030
#define LDE_FD_CLOEXEC 1

/* ioctl(fd, TIOCGWINSZ, struct winsize *): what isatty() asks. Only the
 * console answers (it is a terminal of 24 rows of 80 columns); anything
 * else is -ENOTTY. */
#define LDE_TIOCGWINSZ 0x5413
struct lde_winsize {
    uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* Paths given to execve: at most this many bytes with the NUL. */
#define LDE_PATH_MAX 256

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
 * argv[], NULL, envp[] (empty for a boot program), NULL and two auxv
 * pairs; for execve, LDE_USTACK_WORDS and lde_ustack_sp count envp's
 * strings with argv's (one word each). It refuses a program
 * with more arguments than these limits, or whose stack would come closer
 * than LDE_USER_STACK_ROOM to its initial break (its end, rounded up to
 * LDE_USER_PAGE); the host refuses the same before boot, from the same
 * numbers. */
#define LDE_ARGS_MAX 1024u        /* argc (+ envc after execve) */
#define LDE_ARG_BYTES_MAX 65536u  /* bytes of the strings, NULs included */
#define LDE_USER_STACK_ROOM 4096u /* initial sp - initial break, at least */
#define LDE_USTACK_WORDS(argc) (1u + (argc) + 1u + 1u + 4u)

/* The initial sp, given the address of the lowest argv string (strings =
 * the partition's top minus the bytes of the strings). */
static inline uint32_t lde_ustack_sp(uint32_t strings, uint32_t argc)
{
    return ((strings & ~15u) - LDE_USTACK_WORDS(argc) * 4u) & ~15u;
}

/* ---- The process records, readable by the host ----------------------- *
 * The kernel keeps what it needs to know of each process (who, whose
 * child, in what state, why blocked, how it ended) in lde_procinfo[], and
 * the host reads it by symbol (`lde run --stats`, the debugger's ps).
 * Cycles are not in it: the machine measures every process's user and
 * kernel cycles exactly at each mode switch (src/session), so that there
 * is one owner of every figure, and the kernel's paths stay short. The
 * kernel only stamps moments (created, ended, ready_at) the host cannot
 * see from the mode switches.
 *
 * The table is bounded: a record lives as long as its process, and stays
 * after the process is reaped (state PS_REAPED) until its slot is needed
 * for a new process, the oldest reaped first. So the table always holds
 * every live and zombie process and as many of the ended ones as fit;
 * lde_nprocs says how many processes the boot created (pids 1..n). */
#define LDE_NAME_MAX 16
#define LDE_PROCS_MAX 128 /* records: more than the kernel's NPROC slots */

/* Process states (struct lde_procinfo.state, and the kernel's PCB):
 *   X(state, number, name) */
#define LDE_PROC_STATES(X)                                                     \
    X(PS_UNUSED, 0, "unused")                                                  \
    X(PS_EMBRYO, 1, "embryo")                                                  \
    X(PS_RUNNABLE, 2, "runnable")                                              \
    X(PS_RUNNING, 3, "running")                                                \
    X(PS_BLOCKED, 4, "blocked")                                                \
    X(PS_ZOMBIE, 5, "zombie")                                                  \
    X(PS_REAPED, 6, "reaped")

enum lde_proc_state {
#define LDE_PROC_STATE_ENUM(state, number, name) state = number,
    LDE_PROC_STATES(LDE_PROC_STATE_ENUM)
#undef LDE_PROC_STATE_ENUM
};

/* What a BLOCKED process waits for (struct lde_procinfo.blocked; 0 in
 * every other state):  X(reason, number, name) */
#define LDE_BLOCK_REASONS(X)                                                   \
    X(BLOCK_NONE, 0, "-")                                                      \
    X(BLOCK_CONSOLE, 1, "console")                                             \
    X(BLOCK_SLEEP, 2, "sleep")                                                 \
    X(BLOCK_WAIT, 3, "wait")                                                   \
    X(BLOCK_PIPE, 4, "pipe")

enum lde_block_reason {
#define LDE_BLOCK_REASON_ENUM(reason, number, name) reason = number,
    LDE_BLOCK_REASONS(LDE_BLOCK_REASON_ENUM)
#undef LDE_BLOCK_REASON_ENUM
};

#define LDE_KILLED_NONE 0xFFFFFFFFu

/* One record per process; see above for how long it lives. */
struct lde_procinfo {
    uint32_t pid;            /* 0 */
    uint32_t ppid;           /* 4: 0 = the kernel's (a boot program) */
    uint32_t state;          /* 8: PS_* */
    int32_t exit_status;     /* 12: valid once ended */
    uint32_t kill_vector;    /* 16: trap that killed it, or LDE_KILLED_NONE */
    uint32_t kill_pc;        /* 20: pc of the offending instruction */
    uint32_t kill_tval;      /* 24: tval of that trap */
    uint32_t kill_signal;    /* 28: signal that killed it, 0 if none */
    char name[LDE_NAME_MAX]; /* 32 */
    uint64_t created;        /* 48: cycle at creation (its arrival) */
    uint64_t ended;          /* 56: cycle at exit or kill, 0 = still alive */
    uint32_t kstack;         /* 64: top of its kernel stack (physical): its
                                user registers are the frame just below */
    uint32_t ubase;          /* 68: its partition */
    uint32_t ubound;         /* 72 */
    uint32_t blocked;        /* 76: BLOCK_* while PS_BLOCKED, else 0 */
    uint64_t ready_at;       /* 80: cycle it last became RUNNABLE: the host
                                adds up its waits from it (src/session) */
};

/* Symbols the kernel defines (C names) for the host to read. */
#define LDE_SYM_PROCINFO "lde_procinfo"   /* struct lde_procinfo[] */
#define LDE_SYM_NPROCINFO "lde_nprocinfo" /* uint32_t: records in use */
#define LDE_SYM_NPROCS "lde_nprocs"       /* uint32_t: processes created */
#define LDE_SYM_CURPID "lde_current_pid"  /* uint32_t: 0 = none running */

_Static_assert(sizeof(struct lde_procinfo) == 88, "lde_procinfo layout");
_Static_assert(sizeof(struct lde_siginfo) == 128, "siginfo_t layout");
_Static_assert(sizeof(struct lde_winsize) == 8, "struct winsize layout");

#endif /* LDE_ABI_H */
