/*
 * sched_rr.c: round robin (OSTEP 7.7), lde's scheduler before there were
 * others, unchanged: the timer interrupts every quantum (periodic, from
 * boot: a process dispatched in the middle of a period gets the rest of
 * it) and the running process goes to the back; the next to run is the
 * first RUNNABLE slot of the process table after the one that ran last,
 * going round the table. Each time the round passes the end of the table,
 * the sleepers whose time has come are woken, so that they take their
 * turn.
 */
#include "defs.h"
#include "proc.h"
#include "riscv.h"

static struct proc *last = &proc[NPROC - 1]; /* the first round starts at 0 */

/* The first RUNNABLE slot from p on, or 0. */
static inline struct proc *rr_from(struct proc *p)
{
    for (; p < proc_end; p++) {
        if (p->state == RUNNABLE)
            return last = p;
    }
    return 0;
}

/* The round passes the end of the table: wake the sleepers, then go on
 * from slot 0. Up to the end of the table, not only to the slot that ran
 * last: a sleeper just woken may sit after it, where the round has
 * already looked (and the kernel would idle, with it RUNNABLE). */
static __attribute__((noinline)) struct proc *rr_wrap(void)
{
    wake_sleepers(rdcycle64());
    return rr_from(proc);
}

/* The rest of the round first; the wrap out of line, so that this common
 * path needs no stack frame. */
static struct proc *rr_pick(void)
{
    struct proc *p = rr_from(last + 1);
    return p ? p : rr_wrap();
}

const struct sched_policy sched_rr = {
    .name = "rr",
    .wakes = 1,
    .pick = rr_pick,
};
