/*
 * sched.h: the scheduler interface: policy apart from mechanism (OSTEP
 * 6 is the mechanism, 7-9 the policies). proc.c keeps the mechanism:
 * the process table, the states, the context switch, sleeping and
 * waking. A policy decides only whom to run next and when to take the
 * CPU away, through the operations below, which proc.c and trap.c call
 * at every change of a process's state and at every timer tick. One file
 * per policy (sched_rr.c, sched_fifo.c, ...); the list of policies and
 * their parameters is include/lde/sched.h. docs/scheduling.md explains
 * each policy and how to write a new one.
 *
 * Every operation may be 0: nothing to do (tick: preempt at every tick).
 * They run in the kernel, with interrupts off, on the kernel stack of the
 * process concerned or the scheduler's own.
 */
#ifndef SCHED_H
#define SCHED_H

#include <stdint.h>

#include "lde/sched.h"

struct proc;

/* What the policies keep per process: struct proc's `sched`. Zero when
 * the process is created, before the creation hook runs. The order in
 * which processes joined the ready queue is p->info->ready_at, the cycle
 * each last became RUNNABLE (FIFO among equals: the smallest waited
 * longest). */
struct sched_info {
    uint64_t length;     /* sjf, stcf: cycles it needs in all; 0 = unknown */
    uint64_t pass;       /* stride: its pass value */
    uint32_t tickets;    /* lottery, stride: its share (1..LDE_TICKETS_MAX) */
    uint32_t slice_left; /* mlfq: cycles left of its time slice */
    uint32_t allot_left; /* mlfq: cycles left of its allotment at level */
    uint8_t level;       /* mlfq: its queue, 0 = the top */
    uint8_t preempted;   /* mlfq: the timer took the CPU, it did not yield */
};

/* One policy: its operations. */
struct sched_policy {
    const char *name; /* as in LDE_SCHED_POLICIES and on `--sched` */
    /* 1: pick() wakes the sleepers whose time has come itself (rr, as
     * lde's one scheduler always did: each time its round passes the end
     * of the process table); 0: the scheduler wakes them before each
     * pick. */
    int wakes;
    /* Once, at boot, after the command line and before any process. */
    void (*init)(void);
    /* The RUNNABLE process to run next, or 0 if none (the scheduler
     * then idles until an interrupt). */
    struct proc *(*pick)(void);
    /* p (RUNNABLE) is about to run: the place to set its time slice with
     * timer_arm(); without it the timer keeps its period (--quantum). */
    void (*dispatch)(struct proc *p);
    /* A timer interrupt while p runs: return 1 to take the CPU from it
     * (it stays RUNNABLE and yield() follows), 0 to let it go on. */
    int (*tick)(struct proc *p);
    /* p is new (from EMBRYO): about to be RUNNABLE for the first time. */
    void (*create)(struct proc *p);
    /* p leaves the CPU RUNNABLE: preempted by the timer or sched_yield. */
    void (*yield)(struct proc *p);
    /* p leaves the CPU BLOCKED (sleep, console input). */
    void (*block)(struct proc *p);
    /* p, BLOCKED, is RUNNABLE again (woken, or killed). */
    void (*wakeup)(struct proc *p);
    /* p leaves the CPU for good (ZOMBIE). */
    void (*exit)(struct proc *p);
};

/* The policy in force, from `sched=` on the kernel command line. */
extern const struct sched_policy *sched_policy;
/* quantum= on the kernel command line: every policy's default slice. */
extern uint32_t sched_quantum;

/* ---- For proc.c, trap.c and main.c ------------------------------------ */

/* Kernel command line: `sched=...`, `tickets=...`, `arrive=...`. Panics
 * on a bad value, like every other key (main.c). */
void sched_option(const char *key, uint32_t klen, const char *val,
                  uint32_t vlen);
/* After the command line: default quantum for the policies that need one. */
void sched_init(uint32_t quantum);
/* proc.c calls the hooks where the states change: dispatch where the
 * chosen process is about to run (sched(), or the scheduler after
 * idling), wakeup where a BLOCKED process becomes RUNNABLE, and: */
/* p is new (EMBRYO, about to be RUNNABLE): its tickets, then the policy's
 * create hook. Every path that creates a process calls it. */
void sched_new(struct proc *p);
/* p leaves the CPU (sched()), in its new state: RUNNABLE (the yield
 * hook), BLOCKED (block) or ZOMBIE (exit). Called only if the policy has
 * one of them (sched_listens): rr has none, so its switches cost what
 * they did before there were policies. */
void sched_leave(struct proc *p);
extern int sched_listens;
/* A timer interrupt while p runs: 1 = preempt it. */
static inline int sched_tick(struct proc *p)
{
    return !sched_policy->tick || sched_policy->tick(p);
}
/* Boot program pid's arrival cycle (arrive=), 0 = at boot. */
uint64_t sched_arrival(uint32_t pid);

/* ---- For the policies -------------------------------------------------- */

/* Value i of a parameter given on the command line, by policy and key
 * (SCHED_P_mlfq_quanta): beyond the values given, the last one; if none
 * was given, dflt. */
enum sched_param_id {
#define SCHED_PARAM_ID(policy, key, n, min, max, help) SCHED_P_##policy##_##key,
    LDE_SCHED_PARAMS(SCHED_PARAM_ID)
#undef SCHED_PARAM_ID
        SCHED_NPARAMS
};
uint64_t sched_param(enum sched_param_id id, uint32_t i, uint64_t dflt);
/* How many values were given (0 = none). */
uint32_t sched_param_count(enum sched_param_id id);

/* The RUNNABLE process that comes first by `before` (a strict order:
 * 1 if a must run before b); among equals the one that became RUNNABLE
 * first (ready_at). 0 if none is RUNNABLE. */
struct proc *sched_first(int (*before)(const struct proc *a,
                                       const struct proc *b));
/* Cycles p has run since it was dispatched (in a yield, block, exit or
 * tick hook: the slice that is ending). */
uint64_t sched_ran(const struct proc *p);
/* Whether any RUNNABLE process satisfies pred. */
int sched_any(int (*pred)(const struct proc *q, const struct proc *cur),
              const struct proc *cur);

/* timer.c: interrupt in `cycles` from now, then every `cycles` (with
 * preemption on; no effect in cooperative mode). */
void timer_arm(uint64_t cycles);
/* proc.c: the next cycle at which a sleeper wakes or a program arrives;
 * UINT64_MAX if none. */
uint64_t proc_next_event(void);

#endif /* SCHED_H */
