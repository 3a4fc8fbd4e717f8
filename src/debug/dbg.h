/*
 * dbg.h: what the files of `lde debug` share (debug.h is its public
 * entry). The files in layers, each using only the ones above it, and the
 * sections below in the same order:
 *
 *   text.c    words in and out: blanks, numbers, error lines, the
 *             guest's partial line
 *   dwarf.c   libdw: pc to file:line, FILE:LINE to pc, call frames
 *   expr.c    address spaces, symbols, expressions
 *   data.c    p, x, disas, display
 *   vars.c    C variables from DWARF: scopes, types, locations
 *   cexpr.c   C expressions on them (sizeof, casts)
 *   cprint.c  their values as gdb prints them (p/FMT); p, info
 *             locals/args, set var, break ... if, finish's return value
 *   cdecl.c   their types as C declares them: ptype, whatis
 *   report.c  the stop reporter: where we are, what the hardware did
 *   break.c   breakpoints, watchpoints and catchpoints
 *   stack.c   bt, list, finish's return point
 *   exec.c    running: si, ni, continue, until, finish, run; the cpu
 *             hooks (the run loop itself is session_run, loop.h)
 *   reverse.c going back: reverse-stepi, -nexti, -continue, -finish,
 *             info history (the snapshots are session/timeline.c)
 *   view.c    info reg/csr/frame/traptable/timer, ps, stats
 *   cmds.c    the command table, help, and the small commands
 *   main.c    entry point, the REPL (readline or a script), completion
 *
 * Every command prints on stdout, errors included (one line each), so a
 * transcript keeps the order in which things happened, and the guest's
 * console output is interleaved there too.
 */
#ifndef LDE_DBG_H
#define LDE_DBG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hostcon.h"
#include "loop.h"
#include "session.h"

#define DBG_MAX_POINTS 64 /* breakpoints + watchpoints + catchpoints */
#define DBG_MAX_DISPLAYS 16
#define DBG_EXPR_MAX 128 /* longest expression kept (display, watch) */
#define DBG_MSG_MAX 512
#define DBG_INPUT_MAX 4096 /* console input queued for the guest */
#define DBG_NIMAGES (1 + BOOT_MAX_PROGS)

/* An address space. A kernel address is physical; a user address is a
 * virtual address of one program's process, translated through that
 * process's UBASE. */
enum {
    DBG_KERNEL = -1, /* kernel mode: physical */
    DBG_USER = -2,   /* the current process, whichever program it runs */
    /* >= 0: the process of program i (session.prog[i]) */
};

struct dbg_loc {
    uint32_t addr;
    int space;
};

enum dbg_point_type { PT_BREAK, PT_WATCH, PT_CATCH };
enum dbg_catch {
    CATCH_TRAP,
    CATCH_SYSCALL,
    CATCH_MODE,
    CATCH_RTI,
    CATCH_SWITCH
};

struct dbg_point {
    bool used, enabled, temp;
    int num;
    uint8_t type;       /* enum dbg_point_type */
    uint8_t catch_kind; /* enum dbg_catch */
    struct dbg_loc loc; /* PT_BREAK: where */
    uint32_t paddr;     /* PT_WATCH: the physical word watched */
    uint32_t value;     /* PT_WATCH: its value when last looked at */
    int arg;            /* trap: vector; syscall: number; -1 = any */
    unsigned hits;
    char what[DBG_EXPR_MAX]; /* as the user wrote it, for info break */
    char cond[DBG_EXPR_MAX]; /* PT_BREAK: "" or a C condition (if EXPR) */
};

/* Where until, finish and next stop: a location, in one process (UBASE)
 * or any (DBG_ANY_UBASE), with the stack at least as high as it was (so
 * that a deeper recursive call does not count). */
#define DBG_ANY_UBASE UINT32_MAX
struct dbg_goal {
    bool active;
    struct dbg_loc loc;
    uint32_t ubase;
    bool check_sp;
    uint32_t min_sp;
    bool check_pid; /* kernel code: on the same process's kernel stack */
    uint32_t pid;
};

struct dbg_dwarf; /* dwarf.c */

struct dbg_image {
    const char *name; /* "kernel", or the program's name */
    struct elf_file *ef;
    const struct sym_table *syms;
    struct dbg_dwarf *dw; /* NULL if the file has no usable DWARF */
};

struct dbg {
    struct session s;
    unsigned nimages; /* 1 + programs */
    struct dbg_image img[DBG_NIMAGES];
    struct hostcon hc;
    bool guest_midline;  /* the guest's last byte was not a newline */
    bool stdin_console;  /* lde run --gdb: the guest reads lde's stdin */
    struct gdbstub *gdb; /* --gdb: the stub; NULL without */

    /* Console input for the guest (the debugger owns stdin). */
    char inq[DBG_INPUT_MAX];
    size_t inq_len;
    bool in_eof;    /* `input -eof` was given */
    bool in_wanted; /* the guest looked for input and none was queued */

    struct dbg_point pts[DBG_MAX_POINTS];
    int next_num;
    struct dbg_goal goal;

    /* Set while running, by the hooks. */
    bool verbose;   /* report every trap and rti (stepping) */
    bool replaying; /* a seek in the timeline: the hooks only keep
                       their notes up to date, and never stop */
    int hit;        /* the point that stopped the run, 0 = none */
    bool watch_hit;
    bool goal_hit; /* the goal was reached (going back: reverse.c) */
    char hit_msg[DBG_MSG_MAX];
    uint32_t step_sp; /* sp before the current step */
    bool step_sp_known;
    uint32_t last_frame; /* where the last trap pushed its frame */
    bool have_last_frame;
    bool halt_reported;

    /* What the last stop showed, for info reg's "changed" marks. */
    uint32_t shown_regs[32];
    bool changed[32];

    /* display EXPR */
    char displays[DBG_MAX_DISPLAYS][DBG_EXPR_MAX];
    char display_fmt[DBG_MAX_DISPLAYS]; /* display/F: the letter, or 0 */
    int display_num[DBG_MAX_DISPLAYS];
    int next_display;

    /* x remembers its format and where it stopped, as gdb does. */
    char x_fmt, x_unit;
    unsigned x_count;
    struct dbg_loc x_next;
    bool x_next_valid;

    /* list continues where it stopped. */
    int list_image;
    char list_file[256];
    int list_line;

    double host_seconds; /* spent in cpu_run, for stats */
    unsigned vars_shown; /* info locals: how many */
    bool quit;
};

/* ---- text.c: words in and out ----------------------------------------- */
/* Skip blanks. */
const char *dbg_skip(const char *s);
/* Parse a whole-word unsigned number (decimal or 0x); 0 or -1. */
int dbg_parse_uint(const char *s, uint64_t *v);
/* Error line: "what: why". */
void dbg_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* End the guest's partial line before the debugger prints. */
void dbg_sync_output(struct dbg *d);
/* Current pid (lde_current_pid), 0 if none or unknown. */
static inline uint32_t dbg_current_pid(const struct dbg *d)
{
    return session_current_pid(&d->s);
}

/* ---- dwarf.c: libdw --------------------------------------------------- */
struct dbg_dwarf *dbg_dwarf_open(const struct elf_file *ef);
void dbg_dwarf_close(struct dbg_dwarf *dw);
/* Source position of addr: 0 with *file (full path, owned by libdw) and
 * *line, or -1. */
int dbg_dwarf_line(struct dbg_dwarf *dw, uint32_t addr, const char **file,
                   int *line);
/* The same, with what step and next need of the line table. */
struct dbg_row {
    const char *file; /* full path, owned by libdw */
    int line;
    bool start;     /* addr begins statement rows (where gdb's steps stop) */
    int first_line; /* the first of them: a function's opening line */
};
int dbg_dwarf_row(struct dbg_dwarf *dw, uint32_t addr, struct dbg_row *r);
/* Lowest address of code for FILE:LINE (file matched by its name or a
 * trailing part of its path); 0 or -1. *found_line gets the line that
 * has code (it may be after the one asked for). */
int dbg_dwarf_addr(struct dbg_dwarf *dw, const char *file, int line,
                   uint32_t *addr, int *found_line);
/* A caller's frame found from the call frame information. */
struct dbg_unwind {
    uint32_t pc; /* where the caller resumes (the return address) */
    bool pc_known;
    uint32_t regs[32]; /* the registers as the caller sees them */
    bool known[32];
    uint32_t cfa;
};
/* One step out of a frame whose registers are regs: lookup is the
 * address whose CFI row applies (the pc for the innermost frame, the
 * return address - 1 above it); memory is read through read_word.
 * 0, or -1 if the CFI has no entry there or a rule cannot be followed. */
int dbg_dwarf_unwind(struct dbg_dwarf *dw, uint32_t lookup,
                     const uint32_t regs[32],
                     int (*read_word)(void *ctx, uint32_t addr, uint32_t *v),
                     void *ctx, struct dbg_unwind *out);

/* ---- expr.c: address spaces, symbols, expressions --------------------- */
/* The program index of the current process, or -1 (kernel idle, or a
 * process the debugger cannot tie to a program). */
int dbg_current_prog(const struct dbg *d);
/* The kernel's record of the newest live process running program prog:
 * 0, or -1 if there is none. */
struct lde_procinfo;
int dbg_prog_procinfo(const struct dbg *d, int prog, struct lde_procinfo *out);
/* The image (0 = kernel, 1 + i = program i) whose addresses a space
 * uses, or -1 if unknown. */
int dbg_space_image(const struct dbg *d, int space);
/* Space for the image: 0 -> DBG_KERNEL, 1 + i -> i. */
int dbg_image_space(int image);
/* The space code is running in now. */
int dbg_current_space(const struct dbg *d);
/* "kernel", "hello", "user" */
const char *dbg_space_name(const struct dbg *d, int space);
/* Is pc in the space a location names, given the machine's state now? */
bool dbg_loc_matches(const struct dbg *d, const struct dbg_loc *l);
/* Physical address of len bytes at l; 0, or -1 with err written. */
int dbg_to_phys(const struct dbg *d, struct dbg_loc l, uint32_t len,
                uint32_t *pa, char *err, size_t errlen);
int dbg_read(const struct dbg *d, struct dbg_loc l, void *buf, uint32_t len,
             char *err, size_t errlen);
/* "0x00010074 <main+0x8>" with the space's symbols. */
const char *dbg_format_addr(const struct dbg *d, struct dbg_loc l, char *buf,
                            size_t len);
/* Symbol containing addr in the space, or NULL. */
const struct sym *dbg_symbol_at(const struct dbg *d, struct dbg_loc l,
                                uint32_t *off);
/* Disassemble the instruction at l into buf ("addi sp, sp, -16"). */
int dbg_disasm_at(const struct dbg *d, struct dbg_loc l, char *buf, size_t len);
/* An evaluated expression. */
struct dbg_value {
    uint32_t v;
    int space;             /* where v points, if it is an address */
    const struct sym *sym; /* a lone symbol, for p */
    int sym_image;
    bool is_reg;
};
/* Evaluate: numbers, $registers, $csrs, symbols, PROG:symbol, + and -.
 * 0, or -1 with one line in err. */
int dbg_eval(const struct dbg *d, const char *expr, struct dbg_value *out,
             char *err, size_t errlen);
/* A code location: FILE:LINE, *EXPR or EXPR. */
int dbg_parse_location(const struct dbg *d, const char *spec,
                       struct dbg_loc *out, char *err, size_t errlen);
/* Find a symbol by name, optionally "prog:name"; the current context's
 * tables first. Sets *image. */
const struct sym *dbg_find_symbol(const struct dbg *d, const char *name,
                                  int *image);

/* ---- vars.c, cexpr.c, cprint.c: C variables and expressions ----------- */
/* Is EXPR for the C evaluator (a C operator, or a name DWARF knows as a
 * variable)? Otherwise p keeps its address arithmetic. */
bool dbg_c_wanted(struct dbg *d, const char *expr);
/* EXPR's value as gdb prints it, in format (0, or a letter of
 * CFORMAT_LIST: p/x); 0, or -1 with err. */
int dbg_c_format(struct dbg *d, const char *expr, char format, char *buf,
                 size_t len, char *err, size_t errlen);
/* The address EXPR's C value names, for x (&var, ptr + 1): a pointer's
 * value, an array's address, a number; 0, or -1 with err. */
int dbg_c_address(struct dbg *d, const char *expr, struct dbg_loc *out,
                  char *err, size_t errlen);
/* A leading "/F" of p and display: *format the letter (0 without one),
 * *args moved past it. 0, or -1 with err. */
int dbg_c_parse_format(const char **args, char *format, char *err,
                       size_t errlen);
/* ptype and whatis (cdecl.c). */
int dbg_cmd_ptype(struct dbg *d, const char *args);
int dbg_cmd_whatis(struct dbg *d, const char *args);
/* Whether EXPR is true (non-zero); 0, or -1 with err. */
int dbg_c_truth(struct dbg *d, const char *expr, bool *truth, char *err,
                size_t errlen);
/* "LHS = EXPR": a variable, memory through a pointer, or $reg. */
int dbg_c_assign(struct dbg *d, const char *text, char *err, size_t errlen);
int dbg_cmd_set(struct dbg *d, const char *args);
int dbg_cmd_info_vars(struct dbg *d, bool args);
/* After finish: the value the function at fn (in image) returned. */
void dbg_show_return(struct dbg *d, int image, uint32_t fn);

/* ---- data.c: p, x, disas, display ------------------------------------- */
int dbg_cmd_print(struct dbg *d, const char *args);
int dbg_cmd_x(struct dbg *d, const char *args);
int dbg_cmd_disas(struct dbg *d, const char *args);
int dbg_cmd_display(struct dbg *d, const char *args);
int dbg_cmd_undisplay(struct dbg *d, const char *args);
void dbg_show_displays(struct dbg *d);

/* ---- report.c: what a stop shows -------------------------------------- */
/* The full stop report: location, instruction, displays. */
void dbg_report_stop(struct dbg *d);
/* "timer interrupt (vector 16) in user mode at ...: saved registers ..." */
void dbg_describe_trap(struct dbg *d, const struct cpu_trap_info *t, char *buf,
                       size_t len);
void dbg_describe_rti(struct dbg *d, uint32_t rti_pc, uint32_t frame,
                      bool frame_known, char *buf, size_t len);
/* The frame a just-executed rti popped, found from the state it left. */
bool dbg_rti_frame(const struct dbg *d, uint32_t *frame);
void dbg_show_location(struct dbg *d);
void dbg_snapshot_regs(struct dbg *d);

/* ---- break.c: breakpoints, watchpoints, catchpoints ------------------- */
int dbg_cmd_break(struct dbg *d, const char *args);
int dbg_cmd_tbreak(struct dbg *d, const char *args);
int dbg_cmd_delete(struct dbg *d, const char *args);
int dbg_cmd_disable(struct dbg *d, const char *args);
int dbg_cmd_enable(struct dbg *d, const char *args);
int dbg_cmd_info_break(struct dbg *d, const char *args);
int dbg_cmd_watch(struct dbg *d, const char *args);
int dbg_cmd_catch(struct dbg *d, const char *args);
/* Give the cpu every enabled breakpoint address (and the goal's). */
void dbg_sync_breakpoints(struct dbg *d);
bool dbg_have_watchpoints(const struct dbg *d);
/* At a cpu breakpoint: does one of ours (or the goal) want a stop here?
 * Writes the reason into d->hit_msg. */
bool dbg_breakpoint_hit(struct dbg *d);
/* After an instruction or trap: a watched word changed? */
bool dbg_check_watchpoints(struct dbg *d);
/* The hooks' catchpoint tests; true = stop (d->hit_msg written). */
bool dbg_catch_trap(struct dbg *d, const struct cpu_trap_info *t);
bool dbg_catch_rti(struct dbg *d, uint32_t rti_pc);
bool dbg_catch_mode(struct dbg *d, uint32_t old_mode, uint32_t new_mode);
/* Delete temporary breakpoints that were hit. */
void dbg_after_stop(struct dbg *d);

/* ---- stack.c: bt, list, return points --------------------------------- */
int dbg_cmd_bt(struct dbg *d, const char *args);
int dbg_cmd_list(struct dbg *d, const char *args);
/* "17\t    x = f(y);": the source line at pc, as gdb shows it after a
 * step (nothing if there is no line or the file cannot be read). */
void dbg_show_source_line(struct dbg *d);
/* The current function's return: address, and the stack pointer the
 * caller will have. 0, or -1 with err written. */
int dbg_return_point(struct dbg *d, uint32_t *ret_pc, uint32_t *caller_sp,
                     char *err, size_t errlen);

/* ---- exec.c: making the machine go ------------------------------------ */
void dbg_attach_hooks(struct dbg *d);
/* The console hooks' bodies, for other hook sets (the gdb stub's): output
 * printed once (timeline.h), input from `input` (or stdin) or the log. */
void dbg_console_tx(struct dbg *d, int stream, uint8_t byte);
void dbg_console_rx(struct dbg *d, struct cpu *cpu);
/* Before a run: no hit yet, breakpoints and hooks in place; verbose:
 * tell each trap and rti. */
void dbg_begin_run(struct dbg *d, bool verbose);
/* session_run() until a stop of ours (stepping over breakpoints of other
 * spaces); *end says whether the host stopped it. */
enum cpu_stop dbg_run_loop(struct dbg *d, enum session_end *end);
/* After a run: the halt or the hit, then the stop report. */
void dbg_end_run(struct dbg *d, enum cpu_stop why, enum session_end end);
/* Is the instruction at pc a call (jal/jalr linking ra) or an ecall? */
bool dbg_at_call(struct dbg *d);
/* Stop at pc (in the current space and process) with sp >= min_sp. */
void dbg_set_goal(struct dbg *d, uint32_t pc, uint32_t min_sp);
void dbg_queue_input(struct dbg *d, const char *text, bool eof);
int dbg_cmd_stepi(struct dbg *d, const char *args);
int dbg_cmd_nexti(struct dbg *d, const char *args);
int dbg_cmd_step(struct dbg *d, const char *args);
int dbg_cmd_next(struct dbg *d, const char *args);
int dbg_cmd_continue(struct dbg *d, const char *args);
int dbg_cmd_until(struct dbg *d, const char *args);
int dbg_cmd_finish(struct dbg *d, const char *args);
int dbg_cmd_run(struct dbg *d, const char *args);

/* ---- reverse.c: going back ------------------------------------------- */
/* Record the past (session.opt.history bytes; 0: not at all). 0, or -1
 * if out of memory. */
int dbg_start_history(struct dbg *d);
int dbg_cmd_reverse_stepi(struct dbg *d, const char *args);
int dbg_cmd_reverse_nexti(struct dbg *d, const char *args);
int dbg_cmd_reverse_continue(struct dbg *d, const char *args);
int dbg_cmd_reverse_finish(struct dbg *d, const char *args);
int dbg_cmd_info_history(struct dbg *d, const char *args);
/* Go to step `when` quietly (no report); 0, or -1 with err. */
int dbg_seek(struct dbg *d, uint64_t when, char *err, size_t errlen);
/* The first boundary of the step the machine is in (a wait in wfi cut
 * short is later than it, with the same count). */
uint64_t dbg_here(const struct dbg *d);
/* A stop found by searching back. */
struct dbg_back_hit {
    bool found;
    bool goal;  /* the goal, not a point */
    bool watch; /* a watchpoint: the change is the step before `when` */
    uint64_t when;
    int num; /* the point (lde debug) */
    char msg[DBG_MSG_MAX];
};
/* Run [lo, hi) forward (from the moment lo) and put the last stop found
 * in *h; 0, or -1 with err (interrupted). */
typedef int (*dbg_scan_fn)(void *ctx, uint64_t lo, uint64_t hi,
                           struct dbg_back_hit *h, char *err, size_t errlen);
/* The last stop strictly before step hi, scanning back from snapshot to
 * snapshot; 0 (h->found says whether there was one), or -1 with err
 * (the machine is then at the start of the interval being searched). */
int dbg_search_back(struct dbg *d, uint64_t hi, dbg_scan_fn scan, void *ctx,
                    struct dbg_back_hit *h, char *err, size_t errlen);

/* ---- view.c: info, ps, stats ------------------------------------------ */
int dbg_cmd_info(struct dbg *d, const char *args);
int dbg_cmd_ps(struct dbg *d, const char *args);
int dbg_cmd_stats(struct dbg *d, const char *args);

/* ---- main.c ---------------------------------------------------------- */
/* Boot a machine under the debugger (session, images, history, --gdb):
 * the guest's console on in/out/err_out. NULL with *rc (lde's exit
 * status) and err written. */
struct dbg *dbg_create(const struct session_options *o, FILE *in, FILE *out,
                       FILE *err_out, int *rc, char *err, size_t errlen);
void dbg_destroy(struct dbg *d);

/* ---- cmds.c: the command table ---------------------------------------- */
/* Run one command line. repeat: the line is a repetition (empty line). */
void dbg_execute(struct dbg *d, const char *line);
/* Whether an empty line after this command repeats it. */
bool dbg_cmd_repeats(const char *line);
/* Command names for completion: the i-th, or NULL past the end. */
const char *dbg_cmd_name(unsigned i);

#endif /* LDE_DBG_H */
