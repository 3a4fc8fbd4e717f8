/*
 * sched_sjf.c: shortest job first and shortest time-to-completion first
 * (OSTEP 7.4, 7.5). Both need to know how long each job runs: the
 * `lengths` parameter, in cycles, by pid. The host learns them from a
 * first run of the same programs, which a deterministic machine allows
 * (docs/scheduling.md), or takes them from the command line. A process
 * with no known length counts as longer than every known one.
 *
 * sjf: the shortest job runs until it blocks, yields or ends.
 * stcf: the same choice, by what is left (length minus the cycles it has
 *       had), and at every tick the running job gives way to one with
 *       less left: a short job that arrives or wakes up preempts.
 */
#include "proc.h"

/* A new process's length: value pid-1 of the list, if there is one. */
static void set_length(struct proc *p, enum sched_param_id lengths)
{
    if (p->pid >= 1 && p->pid <= sched_param_count(lengths))
        p->sched.length = sched_param(lengths, p->pid - 1, 0);
}

static void sjf_create(struct proc *p)
{
    set_length(p, SCHED_P_sjf_lengths);
}

static void stcf_create(struct proc *p)
{
    set_length(p, SCHED_P_stcf_lengths);
}

/* Cycles of CPU the job still needs; UINT64_MAX if unknown. A job that
 * has run past its length is about to end: 0. */
static uint64_t left(const struct proc *p, uint64_t had)
{
    if (p->sched.length == 0)
        return UINT64_MAX;
    return had < p->sched.length ? p->sched.length - had : 0;
}

static int sjf_before(const struct proc *a, const struct proc *b)
{
    return left(a, 0) < left(b, 0);
}

static int stcf_before(const struct proc *a, const struct proc *b)
{
    return left(a, a->cputime) < left(b, b->cputime);
}

static struct proc *sjf_pick(void)
{
    return sched_first(sjf_before);
}

static struct proc *stcf_pick(void)
{
    return sched_first(stcf_before);
}

static int sjf_tick(struct proc *p)
{
    (void)p;
    return 0;
}

/* Someone RUNNABLE needs less than the running job (which has had its
 * earlier slices and this one so far). */
static int shorter(const struct proc *q, const struct proc *cur)
{
    return left(q, q->cputime) < left(cur, cur->cputime + sched_ran(cur));
}

static int stcf_tick(struct proc *p)
{
    return sched_any(shorter, p);
}

const struct sched_policy sched_sjf = {
    .name = "sjf",
    .create = sjf_create,
    .pick = sjf_pick,
    .tick = sjf_tick,
};

const struct sched_policy sched_stcf = {
    .name = "stcf",
    .create = stcf_create,
    .pick = stcf_pick,
    .tick = stcf_tick,
};
