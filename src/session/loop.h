/*
 * loop.h: the one run loop of `lde run` and `lde debug`, and the one halt
 * report: what a stop means, as lde's message and exit status.
 *
 *     session_catch_sigint(SESSION_SIGINT_ONCE);
 *     enum session_end end;
 *     double host = 0;
 *     enum cpu_stop why = session_run(&s, slice, &end, &host);
 *     return session_report_halt(stderr, &s, why, end);
 *
 * session_run() calls cpu_run() in slices of at most `slice` cycles;
 * between two slices it looks at Ctrl-C and --max-cycles, the two reasons
 * the host (not the machine) has to stop. It returns at the first stop
 * that is not the end of a slice, so a front end with its own reasons to
 * go on (the debugger stepping over a breakpoint of another process)
 * calls it again.
 */
#ifndef LDE_LOOP_H
#define LDE_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "session.h"

/* Why the host, not the machine, ended a run. */
enum session_end {
    SESSION_END_MACHINE,   /* the cpu stopped: see the enum cpu_stop */
    SESSION_END_LIMIT,     /* --max-cycles reached */
    SESSION_END_INTERRUPT, /* Ctrl-C */
    SESSION_END_STEPS,     /* the session's step_limit reached */
};

/* Ctrl-C sets a flag the loop reads between two slices. ONCE (lde run):
 * the first one ends the run with its report, a second kills lde at once.
 * EVERY (lde debug): each one stops the machine and returns to the
 * prompt. */
enum session_sigint { SESSION_SIGINT_ONCE, SESSION_SIGINT_EVERY };
void session_catch_sigint(enum session_sigint how);
bool session_interrupted(void);
void session_clear_interrupt(void);

/* Host monotonic time in seconds, for MIPS figures. */
double session_now(void);

/*
 * Run until the machine stops or the host stops it. *end says which; if
 * the host did, the result is STOP_BUDGET. The host time spent in
 * cpu_run() is added to *host_seconds.
 */
enum cpu_stop session_run(struct session *s, uint64_t slice,
                          enum session_end *end, double *host_seconds);

/* "spinner (pid 3), hello (pid 4)": processes that have not ended, from
 * the kernel's table; "" if none or the table cannot be read. */
void session_still_running(const struct session *s, char *buf, size_t len);

/* "double fault: ..." from the machine, or the stop's own name. */
const char *session_halt_reason(const struct cpu *cpu, enum cpu_stop why);

/* lde's exit status for a stop (docs/usage.md): the guest's own after a
 * halt, otherwise one of SESSION_EXIT_*. */
int session_exit_status(const struct cpu *cpu, enum cpu_stop why,
                        enum session_end end);

/* `lde run`'s report of a stop on f ("lde: stopped at cycle ...", the
 * halt reason and where, who is blocked for ever; nothing after a normal
 * halt). Returns session_exit_status(). */
int session_report_halt(FILE *f, const struct session *s, enum cpu_stop why,
                        enum session_end end);

#endif /* LDE_LOOP_H */
