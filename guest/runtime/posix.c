/*
 * posix.c: the POSIX-named calls picolibc needs (_exit, sbrk for malloc,
 * getpid and kill for abort) and that plain C programs expect (write,
 * read, sched_yield, getppid), in the libc convention: -1 and errno on
 * failure.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "lde.h"

/* The kernel reports Linux errno values; picolibc's <errno.h> has the
 * same numbers for 1..34 (EPERM..ERANGE) but not above, where the only
 * one our kernel returns is ENOSYS (Linux 38, picolibc 88). */
static long set_errno(long ret)
{
    if (ret < 0 && ret >= -4095) {
        errno = ret == -LDE_ENOSYS ? ENOSYS : (int)-ret;
        return -1;
    }
    return ret;
}

ssize_t write(int fd, const void *buf, size_t len)
{
    return set_errno(lde_write(fd, buf, len));
}

ssize_t read(int fd, void *buf, size_t len)
{
    return set_errno(lde_read(fd, buf, len));
}

void _exit(int status)
{
    lde_exit(status);
}

pid_t getpid(void)
{
    return set_errno(lde_getpid());
}

pid_t getppid(void)
{
    return set_errno(lde_getppid());
}

int kill(pid_t pid, int sig)
{
    return set_errno(lde_kill(pid, sig));
}

int sched_yield(void)
{
    return set_errno(lde_yield());
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
