/*
 * trace.h: `lde run --trace`: one line on stderr per trap and per
 * return-from-trap, so the protocol of OSTEP chapter 6 can be watched from
 * the command line: who trapped, why, where, and where rti went.
 */
#ifndef LDE_TRACE_H
#define LDE_TRACE_H

#include <stdio.h>

#include "../kernel/lde_abi.h"
#include "hostcon.h"
#include "session.h"

#define TRACE_MAX_SYSCALLS 64

struct trace {
    const struct session *s;
    struct hostcon *hc; /* flushed before each line, to keep the order */
    FILE *out;
    struct lde_sysstat sys[TRACE_MAX_SYSCALLS]; /* names, by number */
    unsigned nsys;
    uint64_t lines;
};

/* Install the trace hooks in h; the console hooks keep going to hc. */
void trace_attach(struct trace *t, const struct session *s, struct hostcon *hc,
                  FILE *out, struct cpu_hooks *h);

#endif /* LDE_TRACE_H */
