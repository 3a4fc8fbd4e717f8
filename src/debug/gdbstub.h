/*
 * gdbstub.h: gdb attaches to lde (docs/debugger.md, "Attaching gdb").
 *
 * `lde run --gdb [HOST:]PORT` and `lde debug --gdb [HOST:]PORT` listen
 * for gdb's remote protocol; the machine waits, stopped before the
 * kernel's first instruction, until gdb connects. The stub speaks what
 * gdb-multiarch needs for this RV32 machine, and gdb's reverse execution
 * (bs, bc) on top of the session's timeline.
 *
 * Address spaces: gdb sees the machine as processes (gdb's multiprocess
 * extensions): process 1 is the kernel, whose addresses are physical;
 * process 2 + i is program i, whose addresses are the virtual addresses
 * of its process (translated through its base and bounds). Each has one
 * thread, and the machine's one hart runs in the one of the mode it is
 * in; a stop is reported in that thread. So gdb keeps the kernel's and
 * each program's symbols apart although all of them are linked at the
 * same addresses, and a breakpoint stops only in the space it was set in.
 */
#ifndef LDE_GDBSTUB_H
#define LDE_GDBSTUB_H

#include <stddef.h>
#include <stdint.h>

struct dbg;
struct session_options;

/* How a gdb session ended. */
enum gdb_end {
    GDB_END_DETACH, /* D: the machine goes on without gdb */
    GDB_END_KILL,   /* k or vKill: lde stops */
    GDB_END_LOST,   /* the connection broke: the machine stays stopped */
    GDB_END_EXIT,   /* the machine halted (W sent) */
};

/* Listen where d->s.opt.gdb says and print how to attach (the gdb
 * command line with the kernel's and the programs' symbol files). 0, or
 * -1 with one line in err. */
int gdbstub_open(struct dbg *d, char *err, size_t errlen);
void gdbstub_close(struct dbg *d);
/* The listening socket (for a REPL that waits for gdb and its user). */
int gdbstub_listen_fd(const struct dbg *d);
/* Wait for gdb (timeout_ms < 0: for ever) and serve it until it goes.
 * 1: nobody came in time. Otherwise an enum gdb_end. */
int gdbstub_serve(struct dbg *d, int timeout_ms);

/* `lde run --gdb`: serve gdb, then run on as `lde run` does. */
int gdbstub_run_main(const struct session_options *o);

#endif /* LDE_GDBSTUB_H */
