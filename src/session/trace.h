/*
 * trace.h: `lde run --trace`: one line on stderr per trap and per
 * return-from-trap, so the protocol of OSTEP chapter 6 can be watched from
 * the command line: who trapped, why, where, and where rti went.
 */
#ifndef LDE_TRACE_H
#define LDE_TRACE_H

#include <stdio.h>

#include "lde/abi.h"
#include "hostcon.h"
#include "session.h"

struct trace {
    const struct session *s;
    struct hostcon *hc; /* flushed before each line, to keep the order */
    FILE *out;
    uint64_t lines;
};

void trace_init(struct trace *t, const struct session *s, struct hostcon *hc,
                FILE *out);
/* One line each; call from the cpu's trap and rti hooks. */
void trace_trap(struct trace *t, const struct cpu *cpu,
                const struct cpu_trap_info *ti);
void trace_rti(struct trace *t, const struct cpu *cpu);

#endif /* LDE_TRACE_H */
