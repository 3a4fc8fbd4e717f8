/*
 * schedrep.h: the scheduling figures of a run (OSTEP 7's metrics), from
 * the host's exact accounting (session.h) and the kernel's records:
 *
 *   response   = first instruction in user mode - arrival
 *   turnaround = end - arrival                   (processes that ended)
 *   wait       = the cycles it spent RUNNABLE, not running: from each
 *                time the kernel made it RUNNABLE to its next
 *                instruction in user mode (the first wait is its
 *                response). Time BLOCKED (asleep, reading) is not wait.
 *   latency    = wait / the number of waits: how long, on average, it
 *                waited for the CPU each time it could run (after a
 *                wake-up: its response to an event)
 *   cpu        = its user + kernel cycles (kernel: the traps it made)
 *
 * arrival is the kernel's `created` (boot, or --arrival). A run, and a
 * list of runs under several policies side by side (`--sched a,b,c`),
 * print as tables (--json gives each run's whole report: observe_json.c).
 */
#ifndef LDE_SCHEDREP_H
#define LDE_SCHEDREP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "session.h"

struct schedrep_proc {
    uint32_t pid;
    char name[LDE_NAME_MAX + 1];
    char status[128]; /* "exit 0", "killed: ...", "runnable" */
    bool ran, ended;
    uint64_t arrival, response, turnaround, wait, cpu, user, kernel;
    uint32_t waits;    /* times it waited (RUNNABLE, then ran) */
    uint32_t switches; /* times switched to */
};

struct schedrep {
    struct session_sched sched; /* the policy, as the kernel got it */
    const char *end;            /* "halt", "--max-cycles", ... */
    int exit_status;            /* lde's exit status for this run */
    uint64_t total, user, kernel, idle, switches;
    unsigned nproc;
    struct schedrep_proc proc[LDE_PROCS_MAX];
    /* Means over the processes that ran (response, wait) or ended
     * (turnaround); nresp/nturn say over how many. */
    double avg_response, avg_turnaround, avg_wait;
    unsigned nresp, nturn;
};

/* The figures of the run of session s, which ended with `exit_status`
 * (`end` names why). 0, or -1 with err if the kernel's records cannot be
 * read. */
int schedrep_collect(const struct session *s, int exit_status, const char *end,
                     struct schedrep *r, char *err, size_t errlen);

/* One policy's table: per process, averages, and the machine's totals. */
void schedrep_print(FILE *f, const struct schedrep *r);

/* Several policies: each one's table, then one line per policy. */
void schedrep_compare(FILE *f, const struct schedrep *r, unsigned n);

#endif /* LDE_SCHEDREP_H */
