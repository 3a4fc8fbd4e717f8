/*
 * gdbint.h: what the files of the gdb stub share (gdbstub.h is its
 * public entry):
 *
 *   gdbwire.c   framing on the socket: packets, acks, interrupts
 *   gdbregs.c   the target description and the register file
 *   gdbrun.c    making the machine go for gdb: continue, step, their
 *               reverse, breakpoints and watchpoints, the stop reply
 *   gdbpkt.c    the packet table and the handlers of the queries,
 *               registers, memory and breakpoints
 *   gdbresume.c the handlers that make the machine go or end the session
 *   gdbstub.c   listening, the command line to attach, serving
 */
#ifndef LDE_GDBINT_H
#define LDE_GDBINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dbg.h"
#include "gdbstub.h"
#include "gdbwire.h"

#define GDB_MAX_BP 64
#define GDB_MAX_WP 16
#define GDB_KERNEL_PID 1 /* process 1: the kernel; 2 + i: program i */
#define GDB_ANY_SPACE (-100)
#define GDB_MAX_IMAGES (1 + BOOT_MAX_PROGS)

struct gdb_bp {
    bool used;
    int space; /* dbg.h's spaces, or GDB_ANY_SPACE */
    uint32_t addr;
};

struct gdb_wp {
    bool used;
    char type; /* '2' write, '3' read, '4' access (the Z packet's digit) */
    int space;
    uint32_t addr, len; /* as gdb gave them */
    uint32_t pa;        /* physical, resolved when set */
};

/* Why the machine stopped, for the stop reply. */
enum gdb_stop_kind {
    GSTOP_TRAP,   /* a step done, a breakpoint: SIGTRAP */
    GSTOP_BREAK,  /* a breakpoint of gdb's: SIGTRAP, swbreak */
    GSTOP_WATCH,  /* a watchpoint: SIGTRAP, watch/rwatch/awatch */
    GSTOP_INT,    /* Ctrl-C (gdb's or lde's terminal): SIGINT */
    GSTOP_BEGIN,  /* going back reached the start of the history */
    GSTOP_EXIT,   /* the machine halted: W */
    GSTOP_HALTED, /* ... told first as a stop there (no signal) */
    GSTOP_INPUT,  /* the guest waits for console input nobody gives */
};

struct gdb_stop {
    enum gdb_stop_kind kind;
    char wtype; /* GSTOP_WATCH */
    uint32_t waddr;
    int status; /* GSTOP_EXIT */
};

struct gdbstub {
    struct dbg *d;
    int lfd;
    uint16_t port;
    struct gdb_wire w;
    bool multiprocess; /* gdb speaks p<pid>.<tid> */
    bool swbreak;      /* gdb wants the swbreak stop reason */
    int gpid;          /* Hg: the process m, M, g, Z apply to (0: current) */
    struct gdb_bp bp[GDB_MAX_BP];
    struct gdb_wp wp[GDB_MAX_WP];
    bool done;
    enum gdb_end end;
    unsigned detached;    /* bit pid: gdb detached from that process */
    bool halt_told;       /* the halt was reported as a stop already */
    struct gdb_stop last; /* for '?' */
    /* gdb steps over a breakpoint by stepping that thread alone (vCont
     * with no action for the others) and insists that this thread reports
     * the stop (it asserts so). After such a step the thread keeps the
     * hart, whatever mode the step ended in, until the next resume. */
    int sticky_pid;
    int stepped_pid; /* the thread of the last step, until its reply */
    /* Set by the hooks while running. */
    bool watch_hit;
    struct gdb_stop hit;
    /* The reply being built. */
    char out[2 * GDB_PACKET_MAX + 64];
    size_t olen;
    bool overflow;
    /* Symbol files for gdb, and a temporary directory for built-ins. */
    char *files[GDB_MAX_IMAGES];
    char tmpdir[64];
};

/* ---- gdbpkt.c: replies, parsing, processes --------------------------- */
void gdb_put(struct gdbstub *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void gdb_put_hex(struct gdbstub *g, const void *bytes, size_t n);
/* The reply becomes "Exx". */
void gdb_put_error(struct gdbstub *g, int code);
#define E_PARSE 0x01 /* a packet lde cannot parse */
#define E_FAULT 0x0e /* EFAULT: memory out of reach */
#define E_INVAL 0x16 /* EINVAL: a value lde cannot take */
/* Hex numbers of 1 to 16 digits (at most 32 bits); thread-ids. 0, -1. */
int gdb_parse_hex(const char **p, uint64_t *v);
int gdb_parse_u32(const char **p, uint32_t *v);
int gdb_parse_tid(const char **p, int *pid);
/* The processes: 1 the kernel, 2 + i program i. */
int gdb_nprocs(const struct gdbstub *g);
bool gdb_pid_exists(const struct gdbstub *g, int pid);
/* The process (pid) whose space the machine is running in now. */
int gdb_current_pid(const struct gdbstub *g);
int gdb_pid_space(const struct gdbstub *g, int pid);
/* The user changed the machine: the recorded future is dropped. */
void gdb_changed_machine(struct gdbstub *g);
/* Answer the packet in g->w.pkt. */
void gdb_handle(struct gdbstub *g);

/* ---- gdbresume.c: the packets' handlers (args: after the name) ------- */
void gdb_continue_packet(struct gdbstub *g, const char *args, size_t len);

void gdb_step_packet(struct gdbstub *g, const char *args, size_t len);
void gdb_signal(struct gdbstub *g, const char *args, size_t len);
void gdb_vcont_query(struct gdbstub *g, const char *args, size_t len);
void gdb_vcont(struct gdbstub *g, const char *args, size_t len);
void gdb_reverse_step_packet(struct gdbstub *g, const char *args, size_t len);
void gdb_reverse_continue_packet(struct gdbstub *g, const char *args,
                                 size_t len);
void gdb_detach(struct gdbstub *g, const char *args, size_t len);
void gdb_kill(struct gdbstub *g, const char *args, size_t len);
void gdb_vkill(struct gdbstub *g, const char *args, size_t len);

/* ---- gdbregs.c ----------------------------------------------------- */
/* The target description (target.xml), built once. */
const char *gdb_target_xml(size_t *len);
unsigned gdb_nregs(void);
/* Register n's size in bytes (0: no such register) and value. */
unsigned gdb_reg_size(unsigned n);
uint64_t gdb_reg_get(const struct dbg *d, unsigned n);
/* 0, or -1 if the register cannot be written (or that value not). */
int gdb_reg_set(struct dbg *d, unsigned n, uint64_t v);

/* ---- gdbrun.c ------------------------------------------------------ */
void gdb_attach_hooks(struct gdbstub *g, bool replaying);
/* Resume: continue or one step. */
struct gdb_stop gdb_continue(struct gdbstub *g);
/* locked: gdb resumes that thread alone (a step over a breakpoint). */
struct gdb_stop gdb_step(struct gdbstub *g, bool locked);
struct gdb_stop gdb_reverse_step(struct gdbstub *g);
struct gdb_stop gdb_reverse_continue(struct gdbstub *g);
/* The stop reply for s into g->out. */
void gdb_stop_reply(struct gdbstub *g, const struct gdb_stop *s);
/* Breakpoints and watchpoints (Z, z): 0, or -1 (E reply). */
int gdb_insert(struct gdbstub *g, char type, uint32_t addr, uint32_t len);
int gdb_remove(struct gdbstub *g, char type, uint32_t addr, uint32_t len);

#endif /* LDE_GDBINT_H */
