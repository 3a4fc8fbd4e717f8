/*
 * lde/sched.h: the scheduling policies the guest kernel offers, and their
 * parameters, as one list shared by the kernel (which parses `sched=` on
 * its command line with it) and the host (which checks `--sched` with it,
 * converts sizes and times to plain cycles, and prints its help).
 * docs/scheduling.md explains every policy.
 *
 *   LDE_SCHED_POLICIES: X(name, summary)
 *   LDE_SCHED_PARAMS:   X(policy, key, max_values, min, max, help)
 *
 * On the kernel command line a policy is `sched=NAME` or
 * `sched=NAME:KEY=V[/V...][,KEY=V...]`, every V a decimal number; a list
 * of values gives one per level (mlfq) or per process, by pid (lengths).
 * `tickets=T/T/...` and `arrive=C/C/...` give each boot program, in
 * order, its tickets (lottery, stride; default LDE_TICKETS_DEFAULT) and
 * the cycle at which it arrives (default 0: at boot).
 */
#ifndef LDE_SCHED_H
#define LDE_SCHED_H

#include <stdint.h>

#include "lde/abi.h"

#define LDE_SCHED_POLICIES(X)                                                  \
    X(rr, "round robin: one quantum each, in process-table order")             \
    X(fifo, "first in, first out: each runs until it blocks or ends")          \
    X(sjf, "shortest job first: the shortest known length runs to the end")    \
    X(stcf, "shortest time to completion first: sjf that preempts at ticks")   \
    X(mlfq, "multi-level feedback queue, OSTEP's rules 1-5")                   \
    X(lottery, "lottery: a seeded random draw weighted by tickets")            \
    X(stride, "stride: deterministic shares in proportion to tickets")

#define LDE_SCHED_MAX_LEVELS 8 /* mlfq queues */

#define LDE_SCHED_PARAMS(X)                                                    \
    X(sjf, lengths, LDE_PROCS_MAX, 0, UINT64_MAX,                              \
      "cycles each process runs, by pid, 0 = unknown (default: learned)")      \
    X(stcf, lengths, LDE_PROCS_MAX, 0, UINT64_MAX,                             \
      "cycles each process runs, by pid, 0 = unknown (default: learned)")      \
    X(mlfq, queues, 1, 1, LDE_SCHED_MAX_LEVELS,                                \
      "number of queues (default 3)")                                          \
    X(mlfq, quanta, LDE_SCHED_MAX_LEVELS, 1000, UINT32_MAX,                    \
      "time slice per level, top first (default --quantum)")                   \
    X(mlfq, allot, LDE_SCHED_MAX_LEVELS, 1000, UINT32_MAX,                     \
      "allotment per level before a job moves down (default one slice)")       \
    X(mlfq, boost, 1, 0, UINT32_MAX,                                           \
      "period of the priority boost, 0 = never (default 10 top slices)")       \
    X(mlfq, reset, 1, 0, 1,                                                    \
      "1: giving up the CPU resets the allotment (old rule 4b, gameable)")     \
    X(lottery, seed, 1, 0, UINT32_MAX, "seed of the draw (default 1)")

/* Tickets: lottery and stride shares; also what lde_tickets() sets. */
#define LDE_TICKETS_DEFAULT 100
#define LDE_TICKETS_MAX 1000000

#endif /* LDE_SCHED_H */
