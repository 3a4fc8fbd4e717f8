/*
 * posix.c: the POSIX-named calls picolibc needs (_exit, sbrk for malloc,
 * getpid and kill for abort) and that plain C programs expect: file
 * descriptors (read, write, close, dup, dup2, dup3, pipe, pipe2, fcntl,
 * isatty), gettimeofday, getppid, sched_yield. The libc convention: -1
 * and errno on failure. Processes (fork, exec*, wait*, kill): process.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>
#include <unistd.h>

#include "lde.h"

/* The kernel reports Linux errno values; picolibc's <errno.h> has the
 * same numbers for 1..34 (EPERM..ERANGE) but not above (ENAMETOOLONG,
 * ENOSYS): every error the kernel can return is in LDE_ERRORS, each under
 * the name picolibc also has. */
static int to_errno(long linux_errno)
{
    switch (linux_errno) {
#define ERRNO_CASE(name, number)                                               \
    case number: return name;
        LDE_ERRORS(ERRNO_CASE)
#undef ERRNO_CASE
    }
    return (int)linux_errno;
}

long lde_errno(long ret)
{
    if (ret < 0 && ret >= -4095) {
        errno = to_errno(-ret);
        return -1;
    }
    return ret;
}

ssize_t write(int fd, const void *buf, size_t len)
{
    return lde_errno(lde_write(fd, buf, len));
}

ssize_t read(int fd, void *buf, size_t len)
{
    return lde_errno(lde_read(fd, buf, len));
}

int close(int fd)
{
    return (int)lde_errno(lde_close(fd));
}

int dup(int fd)
{
    return (int)lde_errno(lde_dup(fd));
}

/* Open-file flags: picolibc's numbers are not Linux's. */
static int flags_to_linux(int flags)
{
    return (flags & O_CLOEXEC ? LDE_O_CLOEXEC : 0) |
           (flags & O_NONBLOCK ? LDE_O_NONBLOCK : 0);
}

int dup3(int oldfd, int newfd, int flags)
{
    if (flags & ~O_CLOEXEC) {
        errno = EINVAL;
        return -1;
    }
    return (int)lde_errno(lde_dup3(oldfd, newfd, flags_to_linux(flags)));
}

/* riscv32 Linux has no dup2: dup3 does it, except that dup2(fd, fd) is
 * fd itself when fd is open (which F_GETFD tells), as musl does it. */
int dup2(int oldfd, int newfd)
{
    if (oldfd == newfd) {
        long r = lde_fcntl(oldfd, LDE_F_GETFD, 0);
        return r < 0 ? (int)lde_errno(r) : newfd;
    }
    return (int)lde_errno(lde_dup3(oldfd, newfd, 0));
}

int pipe2(int fds[2], int flags)
{
    if (flags & ~(O_CLOEXEC | O_NONBLOCK)) {
        errno = EINVAL;
        return -1;
    }
    return (int)lde_errno(lde_pipe2(fds, flags_to_linux(flags)));
}

int pipe(int fds[2])
{
    return (int)lde_errno(lde_pipe2(fds, 0));
}

/* fcntl: F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD (FD_CLOEXEC), F_GETFL,
 * F_SETFL (O_NONBLOCK), with picolibc's names. */
int fcntl(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    long arg = va_arg(ap, long);
    va_end(ap);
    long r;
    switch (cmd) {
    case F_DUPFD: r = lde_fcntl(fd, LDE_F_DUPFD, arg); break;
    case F_DUPFD_CLOEXEC: r = lde_fcntl(fd, LDE_F_DUPFD_CLOEXEC, arg); break;
    case F_GETFD: r = lde_fcntl(fd, LDE_F_GETFD, 0); break;
    case F_SETFD: r = lde_fcntl(fd, LDE_F_SETFD, arg & FD_CLOEXEC); break;
    case F_GETFL:
        r = lde_fcntl(fd, LDE_F_GETFL, 0);
        if (r >= 0)
            r = (r & 3) | (r & LDE_O_NONBLOCK ? O_NONBLOCK : 0);
        break;
    case F_SETFL:
        r = lde_fcntl(fd, LDE_F_SETFL, flags_to_linux((int)arg));
        break;
    default: r = -LDE_EINVAL; break;
    }
    return (int)lde_errno(r);
}

/* A terminal is what answers TIOCGWINSZ (as musl's isatty asks). */
int isatty(int fd)
{
    struct lde_winsize ws;
    long r = lde_syscall3(SYS_ioctl, fd, LDE_TIOCGWINSZ, (long)&ws);
    if (r < 0) {
        lde_errno(r);
        return 0;
    }
    return 1;
}

/* The realtime clock, in microseconds (the time zone is always UTC). */
int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
    struct lde_timespec ts = {0, 0, 0};
    (void)tz;
    long r = lde_clock_gettime(LDE_CLOCK_REALTIME, &ts);
    if (r < 0)
        return (int)lde_errno(r);
    if (tv) {
        tv->tv_sec = ts.tv_sec;
        tv->tv_usec = ts.tv_nsec / 1000;
    }
    return 0;
}

void _exit(int status)
{
    lde_exit(status);
}

pid_t getpid(void)
{
    return lde_errno(lde_getpid());
}

pid_t getppid(void)
{
    return lde_errno(lde_getppid());
}

int sched_yield(void)
{
    return lde_errno(lde_yield());
}

/* malloc grows the heap with sbrk; the kernel knows only brk, which sets
 * the end of the data segment and returns the break in force (the old
 * one when it refuses). */
void *sbrk(ptrdiff_t incr)
{
    static uintptr_t cur; /* our view of the break; 0 = not asked yet */

    if (cur == 0)
        cur = (uintptr_t)lde_brk(0);
    uintptr_t old = cur;
    uintptr_t want = old + (uintptr_t)incr;
    if (incr == 0)
        return (void *)old;
    if ((incr > 0 && want < old) || (incr < 0 && want > old)) {
        errno = ENOMEM; /* would wrap around the address space */
        return (void *)-1;
    }
    if ((uintptr_t)lde_brk(want) != want) {
        errno = ENOMEM;
        return (void *)-1;
    }
    cur = want;
    return (void *)old;
}
