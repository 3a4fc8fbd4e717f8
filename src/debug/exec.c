/*
 * exec.c: making the machine go: si, ni, step, next, continue, until,
 * finish, run; and the cpu hooks that watch it while it goes.
 *
 * Stepping uses cpu_step(), which runs one instruction or delivers one
 * pending interrupt, so a step into a trap ends at the handler's first
 * instruction. Everything else is cpu_run() in slices of cycles, between
 * which Ctrl-C, --max-cycles and a guest waiting for input are looked at.
 * Breakpoints stop the cpu before the instruction at their address; the
 * hooks (trap, rti, mode, retire) stop it after the event, at the next
 * instruction boundary.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbg.h"
#include "decode.h"
#include "loop.h"
#include "timeline.h"

/* Small enough that Ctrl-C answers at once. */
#define DBG_SLICE (UINT64_C(1) << 16)

void dbg_queue_input(struct dbg *d, const char *text, bool eof)
{
    if (eof) {
        d->in_eof = true;
        if (d->inq_len == 0 && !d->s.cpu->console.rx_closed) {
            cpu_console_close(d->s.cpu);
            /* A change to the machine here and now, not at a step where
             * the guest looked: the history must start again from it. */
            if (d->s.timeline != NULL)
                timeline_fork(d->s.timeline);
        }
        return;
    }
    size_t n = strlen(text);
    if (d->inq_len + n + 1 > sizeof d->inq) {
        dbg_err("input: the queue is full (%zu bytes)", sizeof d->inq);
        return;
    }
    memcpy(d->inq + d->inq_len, text, n);
    d->inq_len += n;
    d->inq[d->inq_len++] = '\n';
    printf("queued %zu bytes of console input\n", n + 1);
}

/* ---- Hooks ------------------------------------------------------------- */

void dbg_console_tx(struct dbg *d, int stream, uint8_t byte)
{
    /* Going forward again after going back: printed once already. */
    if (d->s.timeline != NULL && !timeline_output(d->s.timeline))
        return;
    hostcon_put(&d->hc, stream, byte);
    d->guest_midline = byte != '\n';
}

static void tx_hook(void *ctx, int stream, uint8_t byte)
{
    dbg_console_tx(ctx, stream, byte);
}

/* The guest looks for input: what `input` queued, else nothing yet (the
 * run loop stops if the guest then has nothing else to do). */
static void feed_queued(void *ctx, struct cpu *cpu)
{
    struct dbg *d = ctx;
    if (d->stdin_console) { /* lde run --gdb: lde's own stdin */
        hostcon_feed(&d->hc, cpu);
        return;
    }
    if (d->inq_len > 0) {
        size_t took = cpu_console_input(cpu, d->inq, d->inq_len);
        memmove(d->inq, d->inq + took, d->inq_len - took);
        d->inq_len -= took;
    } else if (d->in_eof) {
        cpu_console_close(cpu);
    } else {
        d->in_wanted = true;
    }
}

/* In the recorded past the guest gets what it got then (timeline.h). */
void dbg_console_rx(struct dbg *d, struct cpu *cpu)
{
    if (d->s.timeline != NULL)
        timeline_input(d->s.timeline, cpu, feed_queued, d);
    else
        feed_queued(d, cpu);
}

static void rx_hook(void *ctx, struct cpu *cpu)
{
    dbg_console_rx(ctx, cpu);
}

static bool trap_hook(void *ctx, struct cpu *cpu, const struct cpu_trap_info *t)
{
    (void)cpu;
    struct dbg *d = ctx;
    d->last_frame = t->frame;
    d->have_last_frame = true;
    if (d->replaying)
        return false;
    if (d->verbose) {
        char buf[DBG_MSG_MAX];
        dbg_describe_trap(d, t, buf, sizeof buf);
        dbg_sync_output(d);
        printf("%s\n", buf);
    }
    bool stop = dbg_catch_trap(d, t);
    /* Trap entry writes the frame: a watched word may be in it. */
    if (dbg_have_watchpoints(d) && dbg_check_watchpoints(d))
        stop = true;
    return stop;
}

static bool rti_hook(void *ctx, struct cpu *cpu, uint32_t rti_pc)
{
    (void)cpu;
    struct dbg *d = ctx;
    if (d->replaying)
        return false;
    if (d->verbose) {
        char buf[DBG_MSG_MAX];
        uint32_t frame;
        bool known = dbg_rti_frame(d, &frame);
        dbg_describe_rti(d, rti_pc, frame, known, buf, sizeof buf);
        dbg_sync_output(d);
        printf("%s\n", buf);
    }
    return dbg_catch_rti(d, rti_pc);
}

static bool mode_hook(void *ctx, struct cpu *cpu, uint32_t old_mode,
                      uint32_t new_mode)
{
    struct dbg *d = ctx;
    (void)cpu;
    session_note_mode(&d->s, old_mode, new_mode); /* per-process cycles */
    return !d->replaying && dbg_catch_mode(d, old_mode, new_mode);
}

static bool retire_hook(void *ctx, struct cpu *cpu, uint32_t pc, uint32_t insn)
{
    (void)cpu;
    (void)pc;
    (void)insn;
    return dbg_check_watchpoints(ctx);
}

void dbg_attach_hooks(struct dbg *d)
{
    struct cpu_hooks h = {
        .ctx = d,
        .console_tx = tx_hook,
        .console_rx_wanted = rx_hook,
        .trap = trap_hook,
        .rti = rti_hook,
        .mode = mode_hook,
        /* Only with a watchpoint: it makes cpu_run step one by one. */
        .retire = dbg_have_watchpoints(d) && !d->replaying ? retire_hook : NULL,
    };
    cpu_set_hooks(d->s.cpu, &h);
}

/* ---- The run loop ------------------------------------------------------ */

static bool refuse_halted(struct dbg *d)
{
    if (!d->s.cpu->halted)
        return false;
    dbg_err("the machine has halted; 'run' boots it again");
    return true;
}

void dbg_begin_run(struct dbg *d, bool verbose)
{
    d->hit = 0;
    d->hit_msg[0] = '\0';
    d->in_wanted = false;
    d->verbose = verbose;
    session_clear_interrupt();
    dbg_sync_breakpoints(d);
    dbg_attach_hooks(d);
    fflush(stdout);
}

static enum cpu_stop step_once(struct dbg *d)
{
    struct cpu *cpu = d->s.cpu;
    d->step_sp = cpu->x[2];
    d->step_sp_known = true;
    double t0 = session_now();
    enum cpu_stop why = cpu_step(cpu);
    d->host_seconds += session_now() - t0;
    d->step_sp_known = false;
    if (d->s.timeline != NULL)
        timeline_tick(d->s.timeline);
    return why;
}

void dbg_end_run(struct dbg *d, enum cpu_stop why, enum session_end end)
{
    struct cpu *cpu = d->s.cpu;
    dbg_sync_output(d);
    d->goal.active = false;
    switch (why) {
    case STOP_HALT:
        printf("The machine halted: exit status %d, cycle %" PRIu64 ".\n",
               cpu->exit_status, cpu->cycle);
        break;
    case STOP_PANIC:
    case STOP_DOUBLE_FAULT:
    case STOP_DEADLOCK:
        printf("The machine halted (%s): %s\n", cpu_stop_name(why),
               session_halt_reason(cpu, why));
        break;
    default: break;
    }
    if (end == SESSION_END_INTERRUPT)
        printf("Interrupted.\n");
    else if (end == SESSION_END_LIMIT)
        printf("Stopped at --max-cycles %" PRIu64 ".\n", d->s.opt.max_cycles);
    else if (why == STOP_WAIT_INPUT)
        printf("The guest waits for console input: 'input TEXT' queues a "
               "line, 'input -eof' ends it.\n");
    if (d->hit_msg[0] != '\0')
        printf("%s\n", d->hit_msg);
    dbg_after_stop(d);
    dbg_report_stop(d);
}

/* Run until a breakpoint, hook, halt, the goal or the user stops it:
 * session_run(), stepping over the breakpoints that are not ours. */
enum cpu_stop dbg_run_loop(struct dbg *d, enum session_end *end)
{
    for (;;) {
        enum cpu_stop why =
            session_run(&d->s, DBG_SLICE, end, &d->host_seconds);
        if (why != STOP_BREAKPOINT || dbg_breakpoint_hit(d))
            return why;
        /* A breakpoint of another space (the kernel at a user address,
         * another process): step over it and go on. */
        why = step_once(d);
        if (why != STOP_BUDGET)
            return why;
        /* cpu_run() does not look at the pc it starts from. */
        if (d->s.cpu->nbreakpoints && dbg_breakpoint_hit(d))
            return STOP_BREAKPOINT;
    }
}

static void run_until_stop(struct dbg *d)
{
    enum session_end end;
    dbg_begin_run(d, false);
    enum cpu_stop why = dbg_run_loop(d, &end);
    dbg_end_run(d, why, end);
}

/* One instruction, reporting what the hardware does; false = stop. */
static bool step_checked(struct dbg *d, enum cpu_stop *why,
                         enum session_end *end)
{
    d->verbose = true;
    *why = step_once(d);
    if (*why != STOP_BUDGET || dbg_breakpoint_hit(d))
        return false;
    if (session_interrupted()) {
        *end = SESSION_END_INTERRUPT;
        return false;
    }
    return true;
}

static int parse_count(const char *args, const char *cmd, uint64_t *n)
{
    args = dbg_skip(args);
    *n = 1;
    if (*args == '\0')
        return 0;
    if (dbg_parse_uint(args, n) != 0 || *n == 0) {
        dbg_err("usage: %s [N]  (N >= 1)", cmd);
        return -1;
    }
    return 0;
}

int dbg_cmd_stepi(struct dbg *d, const char *args)
{
    uint64_t n;
    if (parse_count(args, "si", &n) != 0 || refuse_halted(d))
        return -1;
    dbg_begin_run(d, true);
    enum cpu_stop why = STOP_BUDGET;
    enum session_end end = SESSION_END_MACHINE;
    for (uint64_t i = 0; i < n && step_checked(d, &why, &end); i++)
        ;
    dbg_end_run(d, why, end);
    return 0;
}

/* The instruction at pc, decoded; false if it cannot be read. */
static bool insn_here(struct dbg *d, struct insn *in)
{
    struct dbg_loc l = {d->s.cpu->pc, dbg_current_space(d)};
    uint8_t b[4];
    char err[160];
    if (dbg_read(d, l, b, 4, err, sizeof err) != 0)
        return false;
    *in = decode((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                 (uint32_t)b[3] << 24);
    return true;
}

/* Whether the instruction at pc returns to pc + 4: a call (jal or jalr
 * that links ra) or a system call (ecall comes back after the rti). */
static bool is_call(struct dbg *d)
{
    struct insn in;
    return insn_here(d, &in) &&
           (((in.op == OP_JAL || in.op == OP_JALR) && in.rd == 1) ||
            in.op == OP_ECALL);
}

bool dbg_at_call(struct dbg *d)
{
    return is_call(d);
}

/* A call through t0: GCC's -msave-restore millicode (__riscv_save_N),
 * which comes back to pc + 4 with the stack lower, its frame made. */
static bool is_millicode_call(struct dbg *d)
{
    struct insn in;
    return insn_here(d, &in) && (in.op == OP_JAL || in.op == OP_JALR) &&
           in.rd == 5;
}

void dbg_set_goal(struct dbg *d, uint32_t pc, uint32_t min_sp)
{
    struct cpu *cpu = d->s.cpu;
    d->goal = (struct dbg_goal){
        .active = true,
        .loc = {pc, dbg_current_space(d)},
        .ubase = cpu->ubase,
        .check_sp = true,
        .min_sp = min_sp,
        /* Every process runs the same kernel code on its own stack. */
        .check_pid = cpu->mode == MODE_KERNEL,
        .pid = dbg_current_pid(d),
    };
}

int dbg_cmd_nexti(struct dbg *d, const char *args)
{
    uint64_t n;
    if (parse_count(args, "ni", &n) != 0 || refuse_halted(d))
        return -1;
    dbg_begin_run(d, true);
    enum cpu_stop why = STOP_BUDGET;
    enum session_end end = SESSION_END_MACHINE;
    for (uint64_t i = 0; i < n; i++) {
        if (!is_call(d)) {
            if (!step_checked(d, &why, &end))
                break;
            continue;
        }
        /* Over the call, quietly: stop at pc + 4 in this process with
         * the stack back where it is now. */
        dbg_set_goal(d, d->s.cpu->pc + 4, d->s.cpu->x[2]);
        dbg_sync_breakpoints(d);
        d->verbose = false;
        why = dbg_run_loop(d, &end);
        if (end != SESSION_END_MACHINE || why != STOP_BREAKPOINT || d->hit != 0)
            break;
        d->goal.active = false;
    }
    dbg_end_run(d, why, end);
    return 0;
}

/* ---- step and next: by source line ------------------------------------ */

/* The line-table row at pc, in the image of the code running now. */
static bool row_here(struct dbg *d, uint32_t pc, struct dbg_row *r)
{
    int im = dbg_space_image(d, dbg_current_space(d));
    return im >= 0 && dbg_dwarf_row(d->img[im].dw, pc, r) == 0;
}

/* step goes into a call (not a system call) whose target has source
 * lines; anything else is run over, as next does. */
static bool steps_into(struct dbg *d)
{
    struct insn in;
    if (!insn_here(d, &in) || in.rd != 1)
        return false;
    const struct cpu *cpu = d->s.cpu;
    uint32_t to;
    if (in.op == OP_JAL)
        to = cpu->pc + (uint32_t)in.imm;
    else if (in.op == OP_JALR)
        to = (cpu->x[in.rs1] + (uint32_t)in.imm) & ~1u;
    else
        return false;
    struct dbg_row r;
    return row_here(d, to, &r);
}

/* Run over the call at pc (or the system call): quietly, to pc + 4 in this
 * process with the stack back where it is (lower, after millicode). False
 * if something else stopped the run first. */
static bool run_over_call(struct dbg *d, enum cpu_stop *why,
                          enum session_end *end)
{
    bool millicode = is_millicode_call(d);
    dbg_set_goal(d, d->s.cpu->pc + 4, d->s.cpu->x[2]);
    d->goal.check_sp = !millicode;
    dbg_sync_breakpoints(d);
    *why = dbg_run_loop(d, end);
    bool reached =
        *end == SESSION_END_MACHINE && *why == STOP_BREAKPOINT && d->hit == 0;
    if (reached) {
        d->goal.active = false;
        *why = STOP_BUDGET;
    }
    return reached;
}

/* A step from user code went into the kernel (an interrupt, or a fault
 * the kernel may survive): run until the process is back at the pc its
 * frame saved. False if something else stopped the run first. */
static bool run_back_from_trap(struct dbg *d, uint32_t ubase,
                               enum cpu_stop *why, enum session_end *end)
{
    struct cpu *cpu = d->s.cpu;
    uint32_t pc, sp;
    if (!d->have_last_frame ||
        cpu_read_phys(cpu, d->last_frame + FRAME_PC, &pc, 4) != 0 ||
        cpu_read_phys(cpu, d->last_frame + FRAME_X(2), &sp, 4) != 0)
        return false;
    d->goal = (struct dbg_goal){.active = true,
                                .loc = {pc, DBG_USER},
                                .ubase = ubase,
                                .check_sp = true,
                                .min_sp = sp};
    dbg_sync_breakpoints(d);
    *why = dbg_run_loop(d, end);
    bool reached =
        *end == SESSION_END_MACHINE && *why == STOP_BREAKPOINT && d->hit == 0;
    if (reached) {
        d->goal.active = false;
        *why = STOP_BUDGET;
    }
    return reached;
}

/*
 * One source line, as gdb's step (into) and next: run until the pc is at
 * the start of a statement row of the line table (DWARF .debug_line) for
 * another line, in the same process and mode. Calls are run over (next;
 * step too when the callee has no source lines), and so are system calls
 * and interrupts: the process comes back where it was. Returning into the
 * middle of a caller's line, that line becomes the one to finish (so the
 * stop is at the caller's next statement, as in gdb). Stepping into a
 * function stops at its entry if the body's first statement is there;
 * otherwise its opening line (the prologue) is run through first. Returns
 * false when something else stopped the run, or the code has no lines.
 */
static bool one_line(struct dbg *d, bool into, enum cpu_stop *why,
                     enum session_end *end)
{
    struct cpu *cpu = d->s.cpu;
    struct dbg_row r0, r;
    if (!row_here(d, cpu->pc, &r0))
        return false;
    const uint32_t mode0 = cpu->mode, ubase0 = cpu->ubase;
    for (;;) {
        if (session_interrupted()) {
            *end = SESSION_END_INTERRUPT;
            return false;
        }
        if (session_next_slice(&d->s, 1) == 0) {
            *end = SESSION_END_LIMIT;
            return false;
        }
        bool entered = false;
        if (is_millicode_call(d) || (is_call(d) && !(into && steps_into(d)))) {
            if (!run_over_call(d, why, end))
                return false;
        } else {
            bool call = is_call(d);
            *why = step_once(d);
            if (*why != STOP_BUDGET || dbg_breakpoint_hit(d))
                return false;
            if (cpu->mode != mode0) {
                if (mode0 == MODE_KERNEL)
                    return true; /* rti: the kernel's code is left */
                if (!run_back_from_trap(d, ubase0, why, end))
                    return false;
            }
            entered = call;
        }
        if (!row_here(d, cpu->pc, &r))
            return true; /* code without lines: stop where it begins */
        bool same = r.line == r0.line && strcmp(r.file, r0.file) == 0;
        if (entered) {
            if (r.start && r.line != r.first_line)
                return true; /* the body starts at the entry */
            r0 = r;
            r0.line = r.first_line; /* run through the prologue */
        } else if (!same && !r.start) {
            r0 = r; /* the rest of the caller's line, after a return */
        } else if (!same) {
            return true;
        }
    }
}

static int line_step(struct dbg *d, const char *args, bool into,
                     const char *name)
{
    uint64_t n;
    if (parse_count(args, name, &n) != 0 || refuse_halted(d))
        return -1;
    struct dbg_row r;
    char where[160];
    struct dbg_loc here = {d->s.cpu->pc, dbg_current_space(d)};
    if (!row_here(d, here.addr, &r)) {
        dbg_err("%s: no source line at %s: 'si' and 'ni' step by "
                "instruction",
                name, dbg_format_addr(d, here, where, sizeof where));
        return -1;
    }
    dbg_begin_run(d, false);
    enum cpu_stop why = STOP_BUDGET;
    enum session_end end = SESSION_END_MACHINE;
    for (uint64_t i = 0; i < n && one_line(d, into, &why, &end); i++)
        ;
    dbg_end_run(d, why, end);
    if (!d->s.cpu->halted && end == SESSION_END_MACHINE)
        dbg_show_source_line(d);
    return 0;
}

int dbg_cmd_step(struct dbg *d, const char *args)
{
    return line_step(d, args, true, "step");
}

int dbg_cmd_next(struct dbg *d, const char *args)
{
    return line_step(d, args, false, "next");
}

int dbg_cmd_continue(struct dbg *d, const char *args)
{
    uint64_t n;
    if (parse_count(args, "continue", &n) != 0 || refuse_halted(d))
        return -1;
    run_until_stop(d);
    return 0;
}

int dbg_cmd_until(struct dbg *d, const char *args)
{
    struct dbg_loc l;
    char err[200];
    if (refuse_halted(d))
        return -1;
    if (*dbg_skip(args) == '\0')
        return dbg_cmd_nexti(d, "");
    if (dbg_parse_location(d, args, &l, err, sizeof err) != 0) {
        dbg_err("until: %s", err);
        return -1;
    }
    d->goal =
        (struct dbg_goal){.active = true, .loc = l, .ubase = DBG_ANY_UBASE};
    run_until_stop(d);
    return 0;
}

int dbg_cmd_finish(struct dbg *d, const char *args)
{
    (void)args;
    uint32_t ret, sp;
    char err[300], where[160];
    if (refuse_halted(d))
        return -1;
    if (dbg_return_point(d, &ret, &sp, err, sizeof err) != 0) {
        dbg_err("finish: %s", err);
        return -1;
    }
    struct dbg_loc here = {d->s.cpu->pc, dbg_current_space(d)};
    printf("Run till exit from %s\n",
           dbg_format_addr(d, here, where, sizeof where));
    /* The function, for its return value once it has returned. */
    uint32_t off;
    int image = dbg_space_image(d, here.space);
    const struct sym *fn = dbg_symbol_at(d, here, &off);
    dbg_set_goal(d, ret, sp);
    d->goal_hit = false;
    run_until_stop(d);
    if (d->goal_hit && fn != NULL && image >= 0)
        dbg_show_return(d, image, here.addr - off);
    return 0;
}

int dbg_cmd_run(struct dbg *d, const char *args)
{
    (void)args;
    char err[300];
    /* Before the reboot: its first snapshot keeps this too. */
    d->have_last_frame = false;
    if (session_reboot(&d->s, err, sizeof err) != 0) {
        dbg_err("run: %s", err);
        return -1;
    }
    dbg_sync_output(d);
    d->goal.active = false;
    d->have_last_frame = false;
    d->in_wanted = false;
    if (d->in_eof && d->inq_len == 0)
        cpu_console_close(d->s.cpu);
    memcpy(d->shown_regs, d->s.cpu->x, sizeof d->shown_regs);
    printf("Booted again; stopped before the kernel's first "
           "instruction.\n");
    dbg_report_stop(d);
    return 0;
}
