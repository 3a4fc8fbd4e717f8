/*
 * sched_mlfq.c: the multi-level feedback queue of OSTEP 8, its rules as
 * the chapter sums them up:
 *
 *   1. If Priority(A) > Priority(B), A runs (B doesn't).
 *   2. If Priority(A) = Priority(B), A and B run in round robin using the
 *      time slice (quantum length) of the given queue.
 *   3. When a job enters the system, it is placed at the highest priority.
 *   4. Once a job uses up its time allotment at a given level (regardless
 *      of how many times it has given up the CPU), its priority is
 *      reduced (i.e., it moves down one queue).
 *   5. After some time period S, move all the jobs in the system to the
 *      topmost queue.
 *
 * Parameters (lde/sched.h): queues, quanta (per level), allot (per level,
 * default one slice), boost (S, in cycles; 0 = never) and reset=1, which
 * replaces rule 4 by the chapter's first attempt (4a/4b: a job that gives
 * up the CPU before its slice ends keeps its level and starts afresh),
 * the rule a job can game by yielding just before its slice ends.
 *
 * The timer is armed at each dispatch for the rest of the job's slice, or
 * sooner if a sleeper wakes, a program arrives or the boost is due: then
 * a job of higher priority that became RUNNABLE takes the CPU at once
 * (rule 1), and the boost comes on time.
 */
#include "defs.h"
#include "proc.h"
#include "riscv.h"

static uint32_t nqueues;
static uint32_t quanta[LDE_SCHED_MAX_LEVELS]; /* lde/sched.h: < 2^32 */
static uint32_t allot[LDE_SCHED_MAX_LEVELS];
static uint64_t boost_period; /* 0: rule 5 off */
static uint64_t next_boost = UINT64_MAX;
static int reset_on_yield;
static uint64_t slice_end; /* cycle at which the running job's slice ends */

static void mlfq_init(void)
{
    nqueues = (uint32_t)sched_param(SCHED_P_mlfq_queues, 0, 3);
    for (uint32_t l = 0; l < nqueues; l++) {
        quanta[l] =
            (uint32_t)sched_param(SCHED_P_mlfq_quanta, l, sched_quantum);
        allot[l] = (uint32_t)sched_param(SCHED_P_mlfq_allot, l, quanta[l]);
    }
    /* OSTEP's S is "voodoo": ours is short, for runs of a fraction of a
     * second, so that an interactive job is back on top often. */
    boost_period = sched_param(SCHED_P_mlfq_boost, 0, 10 * (uint64_t)quanta[0]);
    if (boost_period)
        next_boost = rdcycle64() + boost_period;
    reset_on_yield = (int)sched_param(SCHED_P_mlfq_reset, 0, 0);
}

/* A full slice and allotment at `level`. */
static void fresh(struct proc *p, uint32_t level)
{
    p->sched.level = (uint8_t)level;
    p->sched.slice_left = quanta[level];
    p->sched.allot_left = allot[level];
}

/* Rule 3. */
static void mlfq_create(struct proc *p)
{
    fresh(p, 0);
}

/* Rule 5: every live job back to the top. */
static void boost(uint64_t now)
{
    if (now < next_boost)
        return;
    for (struct proc *p = proc; p < proc_end; p++)
        if (p->state != UNUSED && p->state != EMBRYO)
            fresh(p, 0);
    next_boost += ((now - next_boost) / boost_period + 1) * boost_period;
}

/* Rules 1 and 2: the highest queue first; in a queue, who waited longest
 * (a job whose slice ended went to the back when it became RUNNABLE). */
static int higher(const struct proc *a, const struct proc *b)
{
    return a->sched.level < b->sched.level;
}

static struct proc *mlfq_pick(void)
{
    boost(rdcycle64());
    return sched_first(higher);
}

static uint64_t min64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* The next tick: the end of the slice, or an event before it. */
static void arm(uint64_t now)
{
    uint64_t at = min64(min64(slice_end, proc_next_event()), next_boost);
    timer_arm(at > now ? at - now : 1);
}

static void mlfq_dispatch(struct proc *p)
{
    uint64_t now = rdcycle64();
    slice_end = now + min64(p->sched.slice_left, p->sched.allot_left);
    arm(now);
}

/* Rule 4: the cycles p has had count against its slice and its
 * allotment at this level, however often it gave up the CPU. */
static void charge(struct proc *p, uint64_t ran)
{
    struct sched_info *s = &p->sched;
    s->allot_left -= (uint32_t)min64(ran, s->allot_left);
    s->slice_left -= (uint32_t)min64(ran, s->slice_left);
    if (s->allot_left == 0)
        fresh(p, s->level + 1u < nqueues ? s->level + 1u : s->level);
    else if (s->slice_left == 0)
        s->slice_left = quanta[s->level]; /* a new slice, at the back */
}

/* p leaves the CPU: preempted, yielding or blocking. */
static void leave(struct proc *p)
{
    if (reset_on_yield && !p->sched.preempted)
        fresh(p, p->sched.level); /* rule 4b: gave it up in time */
    else
        charge(p, sched_ran(p));
    p->sched.preempted = 0;
}

static int above(const struct proc *q, const struct proc *cur)
{
    return q->sched.level < cur->sched.level;
}

static int mlfq_tick(struct proc *p)
{
    uint64_t now = rdcycle64();
    if (now >= slice_end || now >= next_boost || sched_any(above, p)) {
        p->sched.preempted = 1;
        return 1;
    }
    arm(now); /* an event came first: the slice goes on */
    return 0;
}

const struct sched_policy sched_mlfq = {
    .name = "mlfq",
    .init = mlfq_init,
    .create = mlfq_create,
    .pick = mlfq_pick,
    .dispatch = mlfq_dispatch,
    .tick = mlfq_tick,
    .yield = leave,
    .block = leave,
};
