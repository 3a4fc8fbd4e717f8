/*
 * sched_stride.c: stride scheduling (OSTEP 9.6): each process has a
 * stride, inversely proportional to its tickets, and a pass; the lowest
 * pass runs, for one quantum, and its pass then grows by its stride. The
 * shares come out exact, not just on average. Here the pass grows by the
 * cycles actually run times STRIDE1 / tickets, so a process that blocks
 * early pays only for what it used. A process that arrives or wakes up
 * starts at the lowest pass among the others (never below its own), so it
 * cannot claim the time it was away.
 */
#include "proc.h"

#define STRIDE1 (1u << 20) /* OSTEP's "large number" */

static uint64_t min_pass(const struct proc *except)
{
    uint64_t m = UINT64_MAX;
    for (struct proc *q = proc; q < proc_end; q++)
        if (q != except && (q->state == RUNNABLE || q->state == RUNNING) &&
            q->sched.pass < m)
            m = q->sched.pass;
    return m;
}

static void join(struct proc *p)
{
    uint64_t m = min_pass(p);
    if (m != UINT64_MAX && m > p->sched.pass)
        p->sched.pass = m;
}

static int lower_pass(const struct proc *a, const struct proc *b)
{
    return a->sched.pass < b->sched.pass;
}

static struct proc *stride_pick(void)
{
    return sched_first(lower_pass);
}

static void advance(struct proc *p)
{
    p->sched.pass += sched_ran(p) * STRIDE1 / p->sched.tickets;
}

const struct sched_policy sched_stride = {
    .name = "stride",
    .create = join,
    .wakeup = join,
    .pick = stride_pick,
    .yield = advance,
    .block = advance,
};
