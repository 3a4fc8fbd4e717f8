/*
 * pipe.c: pipes. A pipe is a ring buffer of PIPESIZE bytes with a read end
 * and a write end, each an open file (file.h). A reader of an empty pipe
 * and a writer of a full one block (BLOCKED, reason "pipe") until the
 * other side moves; the pipe's two counters are the channels they sleep
 * on. Reading returns 0 once the pipe is empty and no write end is open;
 * writing with no read end open raises SIGPIPE in the writer (its default
 * action ends it) and returns -EPIPE. A write of at most PIPESIZE bytes
 * (POSIX's PIPE_BUF) goes in whole or not at all, so such writes from
 * several processes never interleave; a longer one may be split.
 */
#include "defs.h"
#include "file.h"
#include "proc.h"

struct pipe {
    uint8_t *data;    /* PIPESIZE bytes: pipebuf[this pipe] */
    uint32_t nread;   /* bytes read so far: readers sleep on it */
    uint32_t nwrite;  /* bytes written so far: writers sleep on it */
    uint8_t readopen; /* the read end is still open */
    uint8_t writeopen;
    uint8_t used; /* this entry is a pipe */
};

static struct pipe pipes[NPIPE];
/* Data written is read before anything reads it: no need to clear. */
static uint8_t pipebuf[NPIPE][PIPESIZE]
    __attribute__((section(".noinit.pipebuf")));

/* A new pipe and its two ends: 0, or -ENFILE if a table is full. */
int pipealloc(struct file **rf, struct file **wf)
{
    struct pipe *pi = 0;
    for (int i = 0; i < NPIPE && !pi; i++)
        if (!pipes[i].used)
            pi = &pipes[i];
    if (!pi)
        return -LDE_ENFILE;
    *rf = filealloc();
    *wf = *rf ? filealloc() : 0;
    if (!*wf) {
        if (*rf)
            fileclose(*rf);
        return -LDE_ENFILE;
    }
    *pi = (struct pipe){pipebuf[pi - pipes], 0, 0, 1, 1, 1};
    **rf = (struct file){FD_PIPE, 1, 1, 0, 0, 0, pi};
    **wf = (struct file){FD_PIPE, 1, 0, 1, 0, 0, pi};
    return 0;
}

/* The last reference to one end is gone: wake the other side, which now
 * sees end of file (readers) or a broken pipe (writers). */
void pipeclose(struct pipe *pi, int writable)
{
    if (writable) {
        pi->writeopen = 0;
        wakeup(&pi->nread);
    } else {
        pi->readopen = 0;
        wakeup(&pi->nwrite);
    }
    if (!pi->readopen && !pi->writeopen)
        pi->used = 0;
}

/* Copy between user va and the ring at position pos (n bytes, at most
 * PIPESIZE): in two pieces where the ring wraps. The caller has checked
 * the user range, so the copies cannot fail. */
static void ring_copy(struct pipe *pi, uint32_t pos, uint32_t va, uint32_t n,
                      int to_ring)
{
    struct proc *p = myproc();
    uint32_t at = pos % PIPESIZE;
    uint32_t first = n < PIPESIZE - at ? n : PIPESIZE - at;
    if (to_ring) {
        copyin(p, pi->data + at, va, first);
        copyin(p, pi->data, va + first, n - first);
    } else {
        copyout(p, va, pi->data + at, first);
        copyout(p, va + first, pi->data, n - first);
    }
}

/* read(): n > 0 bytes to user va. The count, 0 at end of file, -EAGAIN
 * (nonblocking and empty) or -EINTR (killed while it waited). */
int32_t piperead(struct pipe *pi, uint32_t va, uint32_t n, int nonblock)
{
    struct proc *p = myproc();
    while (pi->nread == pi->nwrite) {
        if (!pi->writeopen)
            return 0;
        if (nonblock)
            return -LDE_EAGAIN;
        if (p->killed)
            return -LDE_EINTR;
        sleep(&pi->nread, BLOCK_PIPE);
    }
    uint32_t avail = pi->nwrite - pi->nread;
    if (n > avail)
        n = avail;
    ring_copy(pi, pi->nread, va, n, 0);
    pi->nread += n;
    wakeup(&pi->nwrite);
    return (int32_t)n;
}

/* write(): n > 0 bytes from user va. Returns the count; -EPIPE (and
 * SIGPIPE) if no reader is left, -EAGAIN if nonblocking and full, -EINTR
 * if killed while it waited; after a partial write, the part's count. */
int32_t pipewrite(struct pipe *pi, uint32_t va, uint32_t n, int nonblock)
{
    struct proc *p = myproc();
    uint32_t done = 0;
    while (done < n) {
        int32_t stop = 0;
        if (!pi->readopen) {
            kill_with_signal(p, LDE_SIGNAL_PIPE);
            stop = -LDE_EPIPE;
        } else if (p->killed) {
            stop = -LDE_EINTR;
        }
        if (stop)
            return done ? (int32_t)done : stop;
        uint32_t space = PIPESIZE - (pi->nwrite - pi->nread);
        uint32_t want = n - done;
        /* Atomic writes wait for room for all of it. */
        if (space == 0 || (n <= PIPESIZE && space < want)) {
            if (nonblock)
                return done ? (int32_t)done : -LDE_EAGAIN;
            wakeup(&pi->nread);
            sleep(&pi->nwrite, BLOCK_PIPE);
            continue;
        }
        uint32_t k = want < space ? want : space;
        ring_copy(pi, pi->nwrite, va + done, k, 1);
        pi->nwrite += k;
        done += k;
    }
    wakeup(&pi->nread);
    return (int32_t)done;
}
