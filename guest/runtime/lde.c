/*
 * lde.c: the lde_* system-call wrappers (see lde.h). Each is one ecall;
 * they are out of line so that a disassembly or a debugger backtrace names
 * the call being made.
 */
#include "lde.h"

extern const uint32_t *__lde_auxv; /* set by crt0 */

long lde_write(int fd, const void *buf, unsigned long len)
{
    return lde_syscall3(SYS_write, fd, (long)buf, (long)len);
}

long lde_read(int fd, void *buf, unsigned long len)
{
    return lde_syscall3(SYS_read, fd, (long)buf, (long)len);
}

_Noreturn void lde_exit(int status)
{
    /* exit_group is what libc's _exit uses on Linux. Should a kernel not
     * know it, plain exit ends a single-threaded process just the same. */
    lde_syscall1(SYS_exit_group, status);
    lde_syscall1(SYS_exit, status);
    for (;;)
        continue;
}

long lde_getpid(void)
{
    return lde_syscall0(SYS_getpid);
}

long lde_getppid(void)
{
    return lde_syscall0(SYS_getppid);
}

long lde_yield(void)
{
    return lde_syscall0(SYS_sched_yield);
}

long lde_kill(long pid, int sig)
{
    return lde_syscall2(SYS_kill, pid, sig);
}

long lde_brk(unsigned long addr)
{
    return lde_syscall1(SYS_brk, (long)addr);
}

long lde_clock_gettime(int clockid, struct lde_timespec *ts)
{
    return lde_syscall2(SYS_clock_gettime64, clockid, (long)ts);
}

long lde_nanosleep(int clockid, int flags, const struct lde_timespec *req,
                   struct lde_timespec *rem)
{
    return lde_syscall4(SYS_clock_nanosleep_time64, clockid, flags, (long)req,
                        (long)rem);
}

long lde_close(int fd)
{
    return lde_syscall1(SYS_close, fd);
}

long lde_dup(int fd)
{
    return lde_syscall1(SYS_dup, fd);
}

long lde_dup3(int oldfd, int newfd, int flags)
{
    return lde_syscall3(SYS_dup3, oldfd, newfd, flags);
}

long lde_fcntl(int fd, int cmd, long arg)
{
    return lde_syscall3(SYS_fcntl64, fd, cmd, arg);
}

long lde_pipe2(int fds[2], int flags)
{
    return lde_syscall2(SYS_pipe2, (long)fds, flags);
}

long lde_fork(void)
{
    return lde_syscall5(SYS_clone, LDE_CLONE_FORK, 0, 0, 0, 0);
}

long lde_execve(const char *path, char *const argv[], char *const envp[])
{
    return lde_syscall3(SYS_execve, (long)path, (long)argv, (long)envp);
}

long lde_waitid(int idtype, long id, struct lde_siginfo *info, int options,
                void *rusage)
{
    return lde_syscall5(SYS_waitid, idtype, id, (long)info, options,
                        (long)rusage);
}

long lde_proctable(struct lde_procinfo *buf, unsigned long n)
{
    return lde_syscall2(SYS_lde_proctable, (long)buf, (long)n);
}

long lde_divzero(int trap)
{
    return lde_syscall1(SYS_lde_divzero, trap);
}

long lde_tickets(long n)
{
    return lde_syscall1(SYS_lde_tickets, n);
}

long lde_procinfo(struct lde_procinfo *a)
{
    return lde_syscall1(SYS_lde_procinfo, (long)a);
}

const uint32_t *lde_auxv(void)
{
    return __lde_auxv;
}
