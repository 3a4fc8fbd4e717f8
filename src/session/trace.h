/*
 * trace.h: the live lines of `lde run --trace` (docs/observe.md), one
 * category each, written on stderr as the recorder (observe.h) sees the
 * events:
 *
 *   traps     lde: trace: cycle 156396 pid 1 U->K timer interrupt before
 *             0x000100a4 <main+0x30>
 *             lde: trace: cycle 156910 pid 2 K->U rti to 0x0001009c <main+0x28>
 *   syscalls  lde: trace: cycle 14697 pid 1 write(1, 0x000102c0, 22) = 22
 *             (returned at cycle 15233)
 *   switches  lde: trace: cycle 156910 pid 2 switch pid 1 -> pid 2 (timer
 *             interrupt at cycle 156396)
 *
 * (each one line). The pid is the kernel's own (lde_current_pid). The
 * cycle of a trap or rti line is the counter once the hardware step is
 * done; a system call's is its trap's. The insn category is insn_trace.h.
 */
#ifndef LDE_TRACE_H
#define LDE_TRACE_H

#include "observe.h"

/* The lines event e gives, as far as the categories and --window ask. */
void trace_event(struct observer *o, const struct obs_event *e);
/* The run ended: system calls that never returned. */
void trace_finish(struct observer *o);

#endif /* LDE_TRACE_H */
