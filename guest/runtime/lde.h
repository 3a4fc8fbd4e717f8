/*
 * lde.h: the system-call API of lde user programs.
 *
 * Thin wrappers over `ecall` (number in a7, arguments in a0..a5, result in
 * a0, docs/isa.md §10). Every lde_* call returns what the kernel put in a0:
 * a value >= 0, or -errno with Linux's numbers (LDE_EFAULT, ...). They never
 * touch errno; the POSIX names (write, getpid, ...) that picolibc and
 * ordinary C code use are in posix.c and follow the libc convention.
 *
 * Syscall numbers and struct lde_procinfo come from lde/abi.h and
 * CSR numbers from lde/machine.h: one definition for kernel and programs.
 */
#ifndef LDE_H
#define LDE_H

#include <stdint.h>

#include "lde/abi.h"
#include "lde/machine.h"

/* ---- Raw system calls ------------------------------------------------- *
 * Inline, so that a caller can pass any value (bad pointers included, as
 * badptr does) without a C wrapper in the way, and so that syscost times
 * the trap and not a function call. */
#define LDE_SYSCALL_BODY(...)                                                  \
    __asm__ volatile("ecall" : "+r"(a0) : __VA_ARGS__ : "memory");             \
    return a0

static inline long lde_syscall0(long nr)
{
    register long a7 __asm__("a7") = nr;
    register long a0 __asm__("a0") = 0;
    LDE_SYSCALL_BODY("r"(a7));
}

static inline long lde_syscall1(long nr, long x0)
{
    register long a7 __asm__("a7") = nr;
    register long a0 __asm__("a0") = x0;
    LDE_SYSCALL_BODY("r"(a7));
}

static inline long lde_syscall2(long nr, long x0, long x1)
{
    register long a7 __asm__("a7") = nr;
    register long a0 __asm__("a0") = x0;
    register long a1 __asm__("a1") = x1;
    LDE_SYSCALL_BODY("r"(a7), "r"(a1));
}

static inline long lde_syscall3(long nr, long x0, long x1, long x2)
{
    register long a7 __asm__("a7") = nr;
    register long a0 __asm__("a0") = x0;
    register long a1 __asm__("a1") = x1;
    register long a2 __asm__("a2") = x2;
    LDE_SYSCALL_BODY("r"(a7), "r"(a1), "r"(a2));
}

static inline long lde_syscall4(long nr, long x0, long x1, long x2, long x3)
{
    register long a7 __asm__("a7") = nr;
    register long a0 __asm__("a0") = x0;
    register long a1 __asm__("a1") = x1;
    register long a2 __asm__("a2") = x2;
    register long a3 __asm__("a3") = x3;
    LDE_SYSCALL_BODY("r"(a7), "r"(a1), "r"(a2), "r"(a3));
}

static inline long lde_syscall5(long nr, long x0, long x1, long x2, long x3,
                                long x4)
{
    register long a7 __asm__("a7") = nr;
    register long a0 __asm__("a0") = x0;
    register long a1 __asm__("a1") = x1;
    register long a2 __asm__("a2") = x2;
    register long a3 __asm__("a3") = x3;
    register long a4 __asm__("a4") = x4;
    LDE_SYSCALL_BODY("r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4));
}

/* ---- Time (riscv32 Linux has only the 64-bit time calls) -------------- *
 * struct __kernel_timespec: a 64-bit tv_sec and a 64-bit tv_nsec slot of
 * which a 32-bit program uses the low half. The high half (pad, little
 * endian) must be zero when we pass a time in, or Linux says EINVAL. */
struct lde_timespec {
    int64_t tv_sec;
    int32_t tv_nsec;
    int32_t pad; /* keep 0 */
};
_Static_assert(sizeof(struct lde_timespec) == 16, "time64 ABI layout");

#define LDE_CLOCK_REALTIME 0
#define LDE_CLOCK_MONOTONIC 1
#define LDE_TIMER_ABSTIME 1 /* clock_nanosleep flag: req is a deadline */

#define LDE_NSEC_PER_SEC 1000000000LL

static inline int64_t lde_ts_ns(const struct lde_timespec *ts)
{
    return ts->tv_sec * LDE_NSEC_PER_SEC + ts->tv_nsec;
}

/* ---- The calls ---------------------------------------------------------- */
long lde_write(int fd, const void *buf, unsigned long len);
long lde_read(int fd, void *buf, unsigned long len);
_Noreturn void lde_exit(int status);
long lde_getpid(void);
long lde_getppid(void);
long lde_yield(void);
long lde_kill(long pid, int sig);
/* Sets the break to addr (0: just ask); returns the break now in force,
 * which is the old one if the request was refused (Linux semantics). */
long lde_brk(unsigned long addr);
long lde_clock_gettime(int clockid, struct lde_timespec *ts);
long lde_close(int fd);
long lde_dup(int fd);
long lde_dup3(int oldfd, int newfd, int flags); /* LDE_O_CLOEXEC */
long lde_fcntl(int fd, int cmd, long arg);      /* LDE_F_* */
long lde_pipe2(int fds[2], int flags);          /* LDE_O_* */
/* fork: clone(SIGCHLD, 0, ...). The child's pid, or 0 in the child. */
long lde_fork(void);
long lde_execve(const char *path, char *const argv[], char *const envp[]);
/* waitid(idtype, id, info, options, rusage): LDE_P_*, LDE_W*. */
long lde_waitid(int idtype, long id, struct lde_siginfo *info, int options,
                void *rusage);
long lde_nanosleep(int clockid, int flags, const struct lde_timespec *req,
                   struct lde_timespec *rem);
/* lde only: fills *a with the caller's process record (pid, parent,
 * state, name, creation cycle, partition). -ENOSYS elsewhere
 * (qemu-riscv32), which programs treat as "not under lde". A program's own
 * cycles come from the machine's counters: rdcycle64(), rdinstret64(). */
long lde_procinfo(struct lde_procinfo *a);

/* lde only: copies the records of the processes that exist (in pid
 * order) into buf, at most n; returns how many exist. What ps shows. */
long lde_proctable(struct lde_procinfo *buf, unsigned long n);

/* The errno convention: a kernel result of -errno becomes -1 with errno
 * set (to picolibc's number for it); anything else is returned as is. */
long lde_errno(long ret);

/* Signal numbers: picolibc's differ from Linux's (the kernel's) for some
 * (SIGBUS, SIGCHLD, SIGUSR1, ...): these convert. to_linux gives 0 for a
 * signal Linux does not have; from_linux keeps a number picolibc has no
 * name for. */
int lde_signal_to_linux(int sig);
int lde_signal_from_linux(int sig);

/* lde only: trap = 1 makes an integer division by zero in this process
 * trap (and kill it, SIGFPE); 0 gives RISC-V's result (the default).
 * Returns the previous setting, or -ENOSYS elsewhere. */
long lde_divzero(int trap);

/* lde only: the caller's tickets (lottery and stride scheduling) become
 * n, 1..1000000, as nice() sets a priority; n = 0 only asks. Returns the
 * tickets it had. -ENOSYS elsewhere (qemu-riscv32). */
long lde_tickets(long n);

/* POSIX, defined in posix.c; picolibc's <sched.h> declares it only for
 * targets with POSIX threads. */
int sched_yield(void);

/* The auxiliary vector the kernel passed (pairs of words, ends with
 * type 0 = AT_NULL); crt0 found it after envp. */
const uint32_t *lde_auxv(void);

/* ---- Counters ----------------------------------------------------------- *
 * cycle and instret are readable in user mode (docs/isa.md §4). The 64-bit
 * value is two CSRs: read high, low, high again and retry if the high
 * word moved (the low word wrapped between the reads). */
#define LDE_RDCSR64(lo, hi)                                                    \
    do {                                                                       \
        uint32_t h1_, l_, h2_;                                                 \
        do {                                                                   \
            __asm__ volatile("csrr %0, %1" : "=r"(h1_) : "i"(hi));             \
            __asm__ volatile("csrr %0, %1" : "=r"(l_) : "i"(lo));              \
            __asm__ volatile("csrr %0, %1" : "=r"(h2_) : "i"(hi));             \
        } while (h1_ != h2_);                                                  \
        return ((uint64_t)h1_ << 32) | l_;                                     \
    } while (0)

static inline uint64_t rdcycle64(void)
{
    LDE_RDCSR64(CSR_CYCLE, CSR_CYCLEH);
}

static inline uint64_t rdinstret64(void)
{
    LDE_RDCSR64(CSR_INSTRET, CSR_INSTRETH);
}

#endif /* LDE_H */
