/*
 * sched_fifo.c: first in, first out (OSTEP 7.3): the process that has
 * waited longest runs, and keeps the CPU until it blocks, yields or ends:
 * timer ticks do not take it away. A process goes to the back of the line
 * when it arrives, wakes up or yields (POSIX SCHED_FIFO does the same).
 */
#include "proc.h"

/* No order of its own: sched_first() then takes the earliest in line. */
static int fifo_before(const struct proc *a, const struct proc *b)
{
    (void)a;
    (void)b;
    return 0;
}

static struct proc *fifo_pick(void)
{
    return sched_first(fifo_before);
}

static int fifo_tick(struct proc *p)
{
    (void)p;
    return 0;
}

const struct sched_policy sched_fifo = {
    .name = "fifo",
    .pick = fifo_pick,
    .tick = fifo_tick,
};
