/*
 * sysfile.c: the file-descriptor calls. A descriptor names an open file
 * (file.c): the console's input (fd 0 of a boot program), output (1) or
 * error stream (2), or a pipe's end (pipe.c). Every user buffer is checked
 * as a whole before any byte moves; a descriptor that is not open is
 * -EBADF.
 */
#include "defs.h"
#include "file.h"
#include "proc.h"
#include "syscall.h"

/* read(fd, buf, count): blocks until something can be read. The console
 * returns at most one line; a pipe what it holds, up to count; 0 at the
 * end of input. */
int32_t sys_read(struct trapframe *tf)
{
    struct proc *p = myproc();
    struct file *f = fd_file(p, (int32_t)tf->a0);
    uint32_t va = tf->a1, len = tf->a2;
    if (!f)
        return -LDE_EBADF;
    if (!user_range_ok(p, va, len))
        return -LDE_EFAULT;
    if (len == 0)
        return f->readable ? 0 : -LDE_EBADF;
    return fileread(f, va, len);
}

/* write(fd, buf, count) */
int32_t sys_write(struct trapframe *tf)
{
    struct proc *p = myproc();
    struct file *f = fd_file(p, (int32_t)tf->a0);
    uint32_t va = tf->a1, len = tf->a2;
    if (!f)
        return -LDE_EBADF;
    if (!user_range_ok(p, va, len))
        return -LDE_EFAULT;
    if (len == 0)
        return f->writable ? 0 : -LDE_EBADF;
    return filewrite(f, va, len);
}

/* writev(fd, iov, iovcnt): struct iovec is {void *base; size_t len}. All
 * vectors are checked before anything is written; then each is written
 * in turn, and a short write (a pipe that broke or a nonblocking one that
 * filled) ends the call with the total so far. */
#define IOV_MAX 1024
int32_t sys_writev(struct trapframe *tf)
{
    struct proc *p = myproc();
    struct file *f = fd_file(p, (int32_t)tf->a0);
    uint32_t iov = tf->a1;
    int32_t cnt = (int32_t)tf->a2;
    if (!f)
        return -LDE_EBADF;
    if (!f->writable)
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
                continue;
            }
            if (v[1] == 0)
                continue;
            int32_t r = filewrite(f, v[0], v[1]);
            if (r < 0 && total == 0)
                return r;
            if (r < 0)
                return (int32_t)total;
            total += (uint32_t)r;
            if ((uint32_t)r < v[1])
                return (int32_t)total;
        }
        if (pass == 0)
            total = 0; /* now count what is written */
    }
    return (int32_t)total;
}

/* close(fd): the last descriptor of a pipe's end closes that end. */
int32_t sys_close(struct trapframe *tf)
{
    struct proc *p = myproc();
    int32_t fd = (int32_t)tf->a0;
    if (!fd_file(p, fd))
        return -LDE_EBADF;
    fd_close(p, fd);
    return 0;
}

/* dup(fd): the lowest free descriptor, for the same open file. */
int32_t sys_dup(struct trapframe *tf)
{
    struct proc *p = myproc();
    struct file *f = fd_file(p, (int32_t)tf->a0);
    if (!f)
        return -LDE_EBADF;
    int32_t fd = fd_alloc(p, f, 0);
    if (fd >= 0)
        filedup(f);
    return fd;
}

/* dup3(old, new, flags): new refers to old's file (new is closed first if
 * it was open); flags is 0 or O_CLOEXEC. old == new is -EINVAL. */
int32_t sys_dup3(struct trapframe *tf)
{
    struct proc *p = myproc();
    int32_t old = (int32_t)tf->a0, new = (int32_t)tf->a1;
    uint32_t flags = tf->a2;
    struct file *f = fd_file(p, old);
    if (flags & ~(uint32_t)LDE_O_CLOEXEC)
        return -LDE_EINVAL;
    if (!f || new < 0 || new >= NOFILE)
        return -LDE_EBADF;
    if (old == new)
        return -LDE_EINVAL;
    filedup(f); /* before the close: new may hold f's last other reference */
    if (p->ofile[new])
        fd_close(p, new);
    p->ofile[new] = f;
    if (flags & LDE_O_CLOEXEC)
        p->cloexec |= 1u << new;
    return new;
}

/* fcntl64(fd, cmd, arg): F_DUPFD and F_DUPFD_CLOEXEC (lowest free fd >=
 * arg), F_GETFD/F_SETFD (FD_CLOEXEC), F_GETFL/F_SETFL (O_NONBLOCK, the
 * only flag that can change; the access mode is reported). */
#define O_RDONLY 0
#define O_WRONLY 1
int32_t sys_fcntl64(struct trapframe *tf)
{
    struct proc *p = myproc();
    int32_t fd = (int32_t)tf->a0;
    uint32_t cmd = tf->a1, arg = tf->a2;
    struct file *f = fd_file(p, fd);
    if (!f)
        return -LDE_EBADF;
    switch (cmd) {
    case LDE_F_DUPFD:
    case LDE_F_DUPFD_CLOEXEC: {
        if (arg >= NOFILE)
            return -LDE_EINVAL;
        int32_t nfd = fd_alloc(p, f, (int32_t)arg);
        if (nfd < 0)
            return nfd;
        filedup(f);
        if (cmd == LDE_F_DUPFD_CLOEXEC)
            p->cloexec |= 1u << nfd;
        return nfd;
    }
    case LDE_F_GETFD: return (p->cloexec >> fd) & 1 ? LDE_FD_CLOEXEC : 0;
    case LDE_F_SETFD:
        if (arg & LDE_FD_CLOEXEC)
            p->cloexec |= 1u << fd;
        else
            p->cloexec &= ~(1u << fd);
        return 0;
    case LDE_F_GETFL:
        return (int32_t)(f->flags | (f->writable ? O_WRONLY : O_RDONLY));
    case LDE_F_SETFL: f->flags = arg & LDE_O_NONBLOCK; return 0;
    default: return -LDE_EINVAL;
    }
}

/* ioctl(fd, TIOCGWINSZ, ws): what isatty() asks. The console is a
 * terminal of 24 rows of 80 columns; everything else is -ENOTTY. */
int32_t sys_ioctl(struct trapframe *tf)
{
    struct proc *p = myproc();
    struct file *f = fd_file(p, (int32_t)tf->a0);
    if (!f)
        return -LDE_EBADF;
    if (!file_is_console(f) || tf->a1 != LDE_TIOCGWINSZ)
        return -LDE_ENOTTY;
    struct lde_winsize ws = {24, 80, 0, 0};
    return copyout(p, tf->a2, &ws, sizeof ws);
}

/* pipe2(fds, flags): a new pipe; fds[0] reads it, fds[1] writes it.
 * flags: O_CLOEXEC, O_NONBLOCK (both ends). -EMFILE if the caller has no
 * two free descriptors, -ENFILE if the system has no free pipe. */
int32_t sys_pipe2(struct trapframe *tf)
{
    struct proc *p = myproc();
    uint32_t va = tf->a0, flags = tf->a1;
    if (flags & ~(uint32_t)(LDE_O_CLOEXEC | LDE_O_NONBLOCK))
        return -LDE_EINVAL;
    if (!user_range_ok(p, va, 8))
        return -LDE_EFAULT;
    struct file *rf, *wf;
    int32_t r = pipealloc(&rf, &wf);
    if (r < 0)
        return r;
    rf->flags = wf->flags = flags & LDE_O_NONBLOCK;
    int32_t fds[2] = {fd_alloc(p, rf, 0), -1};
    if (fds[0] >= 0)
        fds[1] = fd_alloc(p, wf, 0);
    if (fds[1] < 0) {
        if (fds[0] >= 0)
            p->ofile[fds[0]] = 0;
        fileclose(rf);
        fileclose(wf);
        return -LDE_EMFILE;
    }
    if (flags & LDE_O_CLOEXEC)
        p->cloexec |= 1u << fds[0] | 1u << fds[1];
    copyout(p, va, fds, sizeof fds); /* checked above */
    return 0;
}
