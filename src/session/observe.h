/*
 * observe.h: the one event recorder of a run, and the options of what is
 * drawn from it (docs/observe.md).
 *
 * The machine reports every trap and every return-from-trap through its
 * hooks; the recorder turns each into an event stamped with the cycle at
 * which the hardware step began, the kernel's current pid, the vector, the
 * system call with its arguments or the value returned, and the states of
 * all processes read from the kernel's table (lde/abi.h) at that moment.
 * Everything else reads the recorder: the live --trace lines, the
 * --lde-table (OSTEP Figures 6.2 and 6.3), the --states table, the
 * --timeline picture or Chrome trace, the --json report and the phase
 * costs of --stats. Nothing here costs a cycle of the machine, and with no
 * option given the recorder only sums a few numbers per trap: the
 * interpreter runs at full speed (bench/README.md). Only --trace insn
 * installs the retire hook, which makes cpu_run step one instruction at a
 * time.
 *
 *     observe_open(&obs, &s, &o.observe, &hc, err, sizeof err);
 *     hooks.trap -> observe_trap(), hooks.rti -> observe_rti(),
 *     hooks.retire -> observe_retire() when observe_wants_retire();
 *     observe_boot(&obs);            // steps the boot: TTR, timer start
 *     ... the run loop ...
 *     observe_end(&obs, exit_status);
 *     observe_write(&obs, host_seconds);  // tables, files
 *     observe_close(&obs);
 */
#ifndef LDE_OBSERVE_H
#define LDE_OBSERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu.h"
#include "lde/abi.h"
#include "obuf.h"
#include "window.h"

struct session;
struct hostcon;

/* ---- Options ------------------------------------------------------------ */

/* --trace categories: X(flag, word, help) */
#define OBS_TRACE_CATS(X)                                                      \
    X(OBS_TRACE_TRAPS, traps, "a line per trap and return-from-trap")          \
    X(OBS_TRACE_SYSCALLS, syscalls, "a line per system call and its result")   \
    X(OBS_TRACE_SWITCHES, switches, "a line per context switch")               \
    X(OBS_TRACE_INSN, insn, "a line per instruction retired")

enum obs_trace_bit {
#define OBS_TRACE_BIT(flag, word, help) flag##_BIT,
    OBS_TRACE_CATS(OBS_TRACE_BIT)
#undef OBS_TRACE_BIT
};
enum obs_trace_cat {
#define OBS_TRACE_FLAG(flag, word, help) flag = 1u << flag##_BIT,
    OBS_TRACE_CATS(OBS_TRACE_FLAG)
#undef OBS_TRACE_FLAG
};

enum obs_trace_format {
    OBS_FORMAT_LDE,   /* lde's lines: cycle, mode, pid, disassembly ... */
    OBS_FORMAT_SPIKE, /* Spike's commit log, for diffs with Spike */
};

enum obs_table_format { OBS_TABLE_OFF, OBS_TABLE_TEXT, OBS_TABLE_MD };

struct observe_options {
    unsigned trace; /* enum obs_trace_cat bits; 0 = no trace */
    enum obs_trace_format trace_format;
    enum obs_table_format lde_table;
    bool states;
    const char *timeline; /* .json, .svg or .html; NULL = none */
    const char *json;     /* a file, or "-" for stdout; NULL = none */
    struct obs_window window;
};

void observe_defaults(struct observe_options *o);

/* "traps,insn" into OBS_TRACE_* bits ("all" = every one). 0, or -1 with
 * err = "--trace: 'x': unknown category (traps, syscalls, ...)". */
int observe_parse_trace(const char *list, unsigned *bits, char *err,
                        size_t errlen);
int observe_parse_trace_format(const char *s, enum obs_trace_format *f,
                               char *err, size_t errlen);
int observe_parse_table(const char *s, enum obs_table_format *f, char *err,
                        size_t errlen);
/* The timeline's kind by its extension; -1 with err if it has none we
 * write. */
int observe_check_timeline(const char *file, char *err, size_t errlen);

/* The first observing option set ("--lde-table"), or NULL: for front ends
 * that do not observe (lde debug). */
const char *observe_option_used(const struct observe_options *o);

/* ---- Events ------------------------------------------------------------- */

/* X(kind, word) */
#define OBS_KINDS(X)                                                           \
    X(OBS_TRAP, "trap")   /* trap entry */                                     \
    X(OBS_RTI, "rti")     /* return-from-trap */                               \
    X(OBS_TTR, "ttr")     /* boot: the kernel wrote TTR (tval = the table) */  \
    X(OBS_TIMER, "timer") /* boot: the kernel started the timer */             \
    X(OBS_END, "end")     /* the run ended */

enum obs_kind {
#define OBS_KIND_ENUM(kind, word) kind,
    OBS_KINDS(OBS_KIND_ENUM)
#undef OBS_KIND_ENUM
};

/* The observer follows pids 0..64 in its per-pid views (states, pending
 * calls); a run with more (fork) shows the first 64 there, while the
 * per-pid cycles (session_pid_acct) cover every pid. */
#define OBS_PIDS 65
#define OBS_NO_SNAP UINT32_MAX

struct obs_event {
    uint64_t cycle;   /* when the hardware step began */
    uint64_t idle;    /* cpu->idle_cycles then: idle in between = delta */
    uint64_t instret; /* instructions retired then */
    uint32_t snap;    /* process states after the step, or OBS_NO_SNAP */
    uint32_t pid;     /* kernel's current pid: who trapped, or who resumes */
    uint32_t pc;      /* trap: the instruction (an interrupt: where it hit);
                         rti: where execution goes on */
    uint32_t tval;    /* trap: tval; OBS_TTR: TTR; OBS_TIMER: interval */
    uint32_t frame;   /* the trap frame pushed or popped */
    uint32_t handler; /* trap: where the hardware jumped */
    uint32_t sysno;   /* a system call's number (a7) */
    uint32_t arg[6];  /* trap: a0..a5 of a system call; rti: a0 */
    uint16_t hw;      /* cycles of the hardware step itself */
    uint8_t kind;     /* enum obs_kind */
    uint8_t mode;     /* trap: the mode it came from; rti: the mode entered */
    uint8_t vector;   /* trap: VEC_* */
};

/* States of every pid at one moment: PS_* (PS_UNUSED: not created yet)
 * and, for PS_BLOCKED, the system call it blocked in (its slot, see
 * session.h), + 1 (0 = unknown). */
struct obs_snap {
    uint8_t state[OBS_PIDS];
    uint8_t why[OBS_PIDS];
};

/* ---- Phase costs ------------------------------------------------------- *
 * Each kernel window, from a trap out of user mode to the return-from-trap
 * into user mode, split into the hardware's trap entry, the kernel's own
 * work, idle time (wfi) and the hardware's rti; summed by what the window
 * was.  X(phase, word, what) */
#define OBS_PHASES(X)                                                          \
    X(PH_SYSCALL, syscall, "system call, back to the caller")                  \
    X(PH_INTERRUPT, interrupt, "interrupt, back to the same process")          \
    X(PH_FAULT, fault, "fault, back to the same process")                      \
    X(PH_SWITCH_INTERRUPT, switch_interrupt, "context switch on an interrupt") \
    X(PH_SWITCH_SYSCALL, switch_syscall, "context switch in a system call")    \
    X(PH_EXIT, exit, "exit, then the next process")                            \
    X(PH_KILL, kill, "fault: killed, then the next process")

enum obs_phase {
#define OBS_PHASE_ENUM(ph, word, what) ph,
    OBS_PHASES(OBS_PHASE_ENUM)
#undef OBS_PHASE_ENUM
        OBS_NPHASES
};

struct obs_cost {
    uint64_t count;
    uint64_t trap, kernel, idle, rti; /* sums of cycles */
};

const char *observe_phase_word(unsigned ph);
const char *observe_phase_what(unsigned ph);

/* ---- The recorder ------------------------------------------------------ */

struct insn_trace;

struct observer {
    struct session *s;
    struct observe_options opt;
    struct hostcon *hc;
    bool log;    /* keep events (table, states, timeline) */
    bool states; /* read the kernel's table at each event */

    struct obs_event *ev; /* the log */
    size_t nev, cap;
    bool truncated; /* the log stopped at OBS_MAX_EVENTS */
    struct obs_snap *snap;
    size_t nsnap, snap_cap;

    /* Live state. */
    struct obs_snap now; /* states at the last event */
    uint32_t maxpid;     /* highest pid seen in the kernel's table */
    uint32_t last_user_pid;
    uint8_t last_sys[OBS_PIDS]; /* each pid's last system call slot + 1 */
    bool window_open;           /* a trap from user mode, no rti yet */
    struct obs_event open;      /* that trap */
    bool have_procinfo;         /* the kernel's table could be read */
    uint32_t procinfo_pa, nprocinfo_pa;

    /* Phase costs. */
    struct obs_cost phase[OBS_NPHASES];
    struct obs_cost *by_syscall; /* PH_SYSCALL per slot (session.h) */

    /* Boot, as the stepped boot saw it (0 = not seen). */
    uint64_t ttr_cycle, timer_cycle;
    uint32_t ttr, timer_interval;
    bool boot_stepped;

    /* The end. */
    bool ended;
    uint64_t end_cycle;
    int exit_status;
    struct lde_procinfo *procs; /* the kernel's records at the end */
    unsigned nprocs;
    char procs_err[160]; /* why they could not be read */

    /* Live output: --trace lines go through one buffer. */
    struct obuf *out;
    uint64_t trace_lines;
    struct obs_pending {
        bool open;
        uint64_t cycle;
        uint32_t sysno, arg[6];
    } pending[OBS_PIDS]; /* a system call waiting for its result */
    struct insn_trace *insn;
    FILE *timeline_f, *json_f;
};

#define OBS_MAX_EVENTS (1u << 20)

/* Set up; opens --timeline and --json files now, so that a bad path fails
 * before the run. 0, or SESSION_EXIT_FILE with one line in err. */
int observe_open(struct observer *o, struct session *s,
                 const struct observe_options *opt, struct hostcon *hc,
                 char *err, size_t errlen);
void observe_close(struct observer *o);

/* The hooks' bodies. */
void observe_trap(struct observer *o, const struct cpu_trap_info *t);
void observe_rti(struct observer *o, uint32_t rti_pc);
bool observe_wants_retire(const struct observer *o);
bool observe_retire(struct observer *o, uint32_t pc, uint32_t insn);
/* Trace lines out now: before the guest's console output reaches the host,
 * and before lde's own messages at the end. */
void observe_flush(struct observer *o);

/* Step the boot one instruction at a time up to the first entry to user
 * mode (or limit cycles) to stamp the trap table and the timer start,
 * when an output shows them. The same run as without: stepping changes no
 * cycle count. */
void observe_boot(struct observer *o);

/* The run is over: close the last stretch, read the kernel's records. */
void observe_end(struct observer *o, int exit_status);

/* Every output asked for: tables on stderr, the files. 0, or
 * SESSION_EXIT_FILE if a file could not be written (one line on stderr). */
int observe_write(struct observer *o, double host_seconds);

/* ---- For the outputs (observe_*.c) -------------------------------------- */

/* The states after event e (the live ones if it has none). */
const struct obs_snap *observe_snap(const struct observer *o,
                                    const struct obs_event *e);
/* The kernel's record of pid at the end, or NULL. */
const struct lde_procinfo *observe_proc(const struct observer *o, uint32_t pid);
/* "compute" for pid 1, "pid 7" if unknown. */
void observe_proc_name(const struct observer *o, uint32_t pid, char *buf,
                       size_t len);
/* "write", or "syscall 999". */
void observe_syscall_name(uint32_t nr, char *buf, size_t len);
/* "write(1, 0x000102c0, 22)" from a trap event. */
void observe_syscall_call(const struct obs_event *e, char *buf, size_t len);
/* A register value: small or negative numbers in decimal, others in hex. */
void observe_format_value(uint32_t v, char *buf, size_t len);
/* "0x00010074 <main+0x8>" with the program's (user) or kernel's symbols. */
void observe_format_pc(const struct observer *o, uint32_t mode, uint32_t pid,
                       uint32_t pc, char *buf, size_t len);
/* Per process: time READY (runnable, not running: the session's exact
 * figure) and the rest, BLOCKED or being created (turnaround - run -
 * wait), cycles. */
uint64_t observe_wait(const struct observer *o, uint32_t pid);
uint64_t observe_blocked(const struct observer *o, uint32_t pid);

/* s as a JSON string, quotes included. */
void observe_json_string(FILE *f, const char *s);

/* The outputs, each in its own file. */
void observe_print_phases(FILE *f, const struct observer *o);
void observe_lde_table(FILE *f, const struct observer *o);
void observe_states_table(FILE *f, const struct observer *o);
int observe_chrome_trace(FILE *f, const struct observer *o);
int observe_svg(FILE *f, const struct observer *o, bool html);
int observe_json(FILE *f, const struct observer *o, double host_seconds);

#endif /* LDE_OBSERVE_H */
