/*
 * sysfile.c: the file-descriptor calls. There are no files: fd 0 is the
 * console's input, fd 1 its output, fd 2 its error stream. Every user
 * buffer is checked as a whole before any byte moves, and then moved
 * through copyin/copyout in IOBUFSIZE pieces.
 */
#include "defs.h"
#include "proc.h"
#include "syscall.h"

/* Write len bytes at user va to fd 1 or 2; the range is already checked. */
static void write_user(struct proc *p, int fd, uint32_t va, uint32_t len)
{
    char buf[IOBUFSIZE];
    while (len) {
        uint32_t n = len < sizeof buf ? len : sizeof buf;
        if (copyin(p, buf, va, n) < 0)
            panic("write_user: checked range faulted");
        console_write(fd, buf, n);
        va += n;
        len -= n;
    }
}

/* write(fd, buf, count) */
int32_t sys_write(struct trapframe *tf)
{
    struct proc *p = myproc();
    int fd = (int)tf->a0;
    uint32_t va = tf->a1, len = tf->a2;
    if (fd != 1 && fd != 2)
        return -LDE_EBADF;
    if (!user_range_ok(p, va, len))
        return -LDE_EFAULT;
    write_user(p, fd, va, len);
    return (int32_t)len;
}

/* writev(fd, iov, iovcnt): struct iovec is {void *base; size_t len}. All
 * vectors are checked before anything is written. */
#define IOV_MAX 1024
int32_t sys_writev(struct trapframe *tf)
{
    struct proc *p = myproc();
    int fd = (int)tf->a0;
    uint32_t iov = tf->a1;
    int32_t cnt = (int32_t)tf->a2;
    if (fd != 1 && fd != 2)
        return -LDE_EBADF;
    if (cnt < 0 || cnt > IOV_MAX)
        return -LDE_EINVAL;
    if (!user_range_ok(p, iov, (uint32_t)cnt * 8))
        return -LDE_EFAULT;
    uint32_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int32_t i = 0; i < cnt; i++) {
            uint32_t v[2];
            if (copyin(p, v, iov + (uint32_t)i * 8, sizeof v) < 0)
                return -LDE_EFAULT;
            if (pass == 0) {
                if (!user_range_ok(p, v[0], v[1]))
                    return -LDE_EFAULT;
                if (v[1] > 0x7FFFFFFFu - total)
                    return -LDE_EINVAL;
                total += v[1];
            } else {
                write_user(p, fd, v[0], v[1]);
            }
        }
    }
    return (int32_t)total;
}

/* read(fd, buf, count): fd 0 only. Blocks until input arrives (console.c);
 * returns at most one line, and 0 at the end of input. */
int32_t sys_read(struct trapframe *tf)
{
    struct proc *p = myproc();
    int fd = (int)tf->a0;
    uint32_t va = tf->a1, len = tf->a2;
    if (fd != 0)
        return -LDE_EBADF;
    if (!user_range_ok(p, va, len))
        return -LDE_EFAULT;
    if (len == 0)
        return 0;
    char buf[IOBUFSIZE];
    int got = console_read(buf, len < sizeof buf ? len : sizeof buf);
    if (got > 0 && copyout(p, va, buf, (uint32_t)got) < 0)
        return -LDE_EFAULT;
    return got;
}

/* close(fd): the console streams cannot really be closed; accepting it
 * keeps libc's exit path quiet. */
int32_t sys_close(struct trapframe *tf)
{
    return tf->a0 <= 2 ? 0 : -LDE_EBADF;
}
