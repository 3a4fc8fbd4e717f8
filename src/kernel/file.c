/*
 * file.c: open files (file.h) and file descriptors. The console's three
 * streams are three open files made at boot, shared by every process
 * that has them open; pipe ends come from a fixed table. read and write
 * on a descriptor land here and go to the console or the pipe.
 */
#include "defs.h"
#include "file.h"
#include "proc.h"

/* The console's input, output and error streams: what fds 0, 1 and 2 of
 * every boot program refer to. Never freed: a reference count of 0 only
 * means nobody has them open now. */
static struct file console_files[3] = {
    {FD_CONSOLE, 0, 1, 0, 0, 0, 0},
    {FD_CONSOLE, 0, 0, 1, 0, 1, 0},
    {FD_CONSOLE, 0, 0, 1, 0, 2, 0},
};

static struct file ftable[NFILE];

/* A free open file, with one reference; 0 if the table is full. */
struct file *filealloc(void)
{
    for (struct file *f = ftable; f < &ftable[NFILE]; f++) {
        if (f->ref == 0) {
            *f = (struct file){.type = FD_NONE, .ref = 1};
            return f;
        }
    }
    return 0;
}

struct file *filedup(struct file *f)
{
    f->ref++;
    return f;
}

/* Drop one reference; the last one closes the file. */
void fileclose(struct file *f)
{
    if (f->ref == 0)
        panic("fileclose: file with no reference");
    if (--f->ref > 0 || f->type == FD_CONSOLE)
        return;
    if (f->type == FD_PIPE)
        pipeclose(f->pipe, f->writable);
    f->type = FD_NONE;
}

/* Give p fds 0, 1 and 2: the console's input, output and error. */
void file_open_console(struct proc *p)
{
    for (int fd = 0; fd < 3; fd++)
        p->ofile[fd] = filedup(&console_files[fd]);
}

/* The open file of fd in p, or 0 if fd is not open. */
struct file *fd_file(const struct proc *p, int32_t fd)
{
    if (fd < 0 || fd >= NOFILE)
        return 0;
    return p->ofile[fd];
}

/* The lowest free fd of p at or above `from` for f (which the caller
 * gives a reference); -EMFILE if there is none, or -EINVAL if from is
 * not an fd number (fcntl F_DUPFD). */
int32_t fd_alloc(struct proc *p, struct file *f, int32_t from)
{
    if (from < 0)
        return -LDE_EINVAL;
    for (int32_t fd = from; fd < NOFILE; fd++) {
        if (p->ofile[fd] == 0) {
            p->ofile[fd] = f;
            p->cloexec &= ~(1u << fd);
            return fd;
        }
    }
    return -LDE_EMFILE;
}

/* Close fd of p (it is open). */
void fd_close(struct proc *p, int32_t fd)
{
    struct file *f = p->ofile[fd];
    p->ofile[fd] = 0;
    p->cloexec &= ~(1u << fd);
    fileclose(f);
}

/* Every fd of p: at exit, and at execve those marked close-on-exec. */
void fd_close_all(struct proc *p, uint32_t mask)
{
    for (int32_t fd = 0; fd < NOFILE; fd++)
        if (p->ofile[fd] && (mask & (1u << fd)))
            fd_close(p, fd);
}

/* Read up to n bytes into user va (checked by the caller, n > 0).
 * Returns the count, 0 at end of file, or -errno. */
int32_t fileread(struct file *f, uint32_t va, uint32_t n)
{
    struct proc *p = myproc();
    if (!f->readable)
        return -LDE_EBADF;
    if (f->type == FD_PIPE)
        return piperead(f->pipe, va, n, f->flags & LDE_O_NONBLOCK);
    /* The console returns at most one line, and at most IOBUFSIZE bytes. */
    char buf[IOBUFSIZE];
    int got = console_read(buf, n < sizeof buf ? n : sizeof buf);
    if (got > 0 && copyout(p, va, buf, (uint32_t)got) < 0)
        return -LDE_EFAULT;
    return got;
}

/* Write n bytes from user va (checked by the caller). Returns the count
 * written or -errno. */
int32_t filewrite(struct file *f, uint32_t va, uint32_t n)
{
    struct proc *p = myproc();
    if (!f->writable)
        return -LDE_EBADF;
    if (f->type == FD_PIPE)
        return pipewrite(f->pipe, va, n, f->flags & LDE_O_NONBLOCK);
    char buf[IOBUFSIZE];
    for (uint32_t done = 0; done < n;) {
        uint32_t k = n - done < sizeof buf ? n - done : sizeof buf;
        if (copyin(p, buf, va + done, k) < 0)
            return -LDE_EFAULT;
        console_write(f->stream, buf, k);
        done += k;
    }
    return (int32_t)n;
}

int file_is_console(const struct file *f)
{
    return f->type == FD_CONSOLE;
}
