/*
 * learn.h: job lengths for sjf and stcf, learned by running the programs
 * first. OSTEP's shortest-job-first needs to know how long each job will
 * run, which a real system cannot; lde is deterministic, so the same
 * programs with the same input run the same way again, and a first run
 * under fifo measures each process's cycles on the CPU (user + kernel,
 * session.h). The real run then schedules with that oracle. It is not
 * exact: under another policy the kernel's share of each process differs
 * a little (other switches and ticks), which does not change the order.
 */
#ifndef LDE_LEARN_H
#define LDE_LEARN_H

#include <stddef.h>
#include <stdio.h>

#include "session.h"

/*
 * If o->sched[0] learns (sjf, stcf with no lengths): run the programs of
 * o once under fifo, quietly (console output dropped, console input from
 * `in`, NULL for none), and add `lengths=` to o->sched[0], one per pid,
 * 0 for a process that never ran. A line on `note` says so (NULL: none).
 * Returns 0, or the exit status of a first run that could not start,
 * with err.
 */
int session_learn(struct session_options *o, FILE *in, FILE *note, char *err,
                  size_t errlen);

#endif /* LDE_LEARN_H */
