/*
 * schedopt.h: the scheduling options of `lde run` and `lde debug`:
 * `--sched POLICY[:KEY=V,...][,POLICY...]`, `--tickets T,T,...` and
 * `--arrival TIME,TIME,...` (docs/scheduling.md). Checked here against the
 * list of policies and parameters in lde/sched.h, so that a mistake is a
 * usage error naming it, not a kernel panic; sizes and times become plain
 * cycles, which is all the kernel's command line takes.
 *
 * Each returns 0, or SESSION_EXIT_USAGE with one line in err.
 */
#ifndef LDE_SCHEDOPT_H
#define LDE_SCHEDOPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "session.h"

/* One --sched argument: its policies are added to o->sched (the first
 * --sched replaces the default rr; `fresh` says whether this is it). */
int schedopt_policies(const char *arg, uint32_t clock_hz, bool fresh,
                      struct session_options *o, char *err, size_t errlen);

/* --tickets T,T,...: program i gets the i-th (1..LDE_TICKETS_MAX). */
int schedopt_tickets(const char *arg, struct session_options *o, char *err,
                     size_t errlen);

/* --arrival C,C,...: program i arrives at the i-th cycle (or time). */
int schedopt_arrivals(const char *arg, uint32_t clock_hz,
                      struct session_options *o, char *err, size_t errlen);

/* The kernel command line's scheduling words for policy `sp`, with the
 * tickets and arrivals of o: "sched=... tickets=... arrive=...". */
void schedopt_cmdline(const struct session_options *o,
                      const struct session_sched *sp, char *buf, size_t len);

/* The policy named `name` with nothing else (the first run of a learning
 * policy, or the default). */
void schedopt_plain(struct session_sched *sp, const char *name);

/* `--sched help`: every policy and its parameters, from lde/sched.h. */
void schedopt_help(FILE *f);

#endif /* LDE_SCHEDOPT_H */
