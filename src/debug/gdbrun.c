/*
 * gdbrun.c: making the machine go for gdb: continue and step, their
 * reverse (bc, bs), gdb's breakpoints (Z0, Z1) and watchpoints (Z2 write,
 * Z3 read, Z4 access), and the stop reply.
 *
 * A step is cpu_step(): one instruction, or one trap delivered, so a step
 * that takes a trap stops at the handler's first instruction and a step
 * over rti lands where it returns (user code). Continue is cpu_run() in
 * slices, between which gdb's Ctrl-C (0x03) and lde's own SIGINT are
 * looked at. With a watchpoint the machine goes one step at a time, each
 * load and store looked at before it runs (its address from the
 * registers then), and every trap frame the hardware pushes counts as a
 * store; the physical bytes watched are fixed when gdb sets it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "gdbint.h"
#include "loop.h"
#include "timeline.h"

#define GDB_SLICE (UINT64_C(1) << 16) /* cycles between looks at gdb */
#define GDB_STEPS_PER_LOOK 4096       /* steps between looks, watching */

/* ---- Hooks --------------------------------------------------------------- */

struct gdb_hooks_ctx {
    struct gdbstub *g;
    bool replaying;
};
static struct gdb_hooks_ctx hooks_ctx;

static void g_tx(void *ctx, int stream, uint8_t byte)
{
    struct gdb_hooks_ctx *h = ctx;
    dbg_console_tx(h->g->d, stream, byte);
}

static void g_rx(void *ctx, struct cpu *cpu)
{
    struct gdb_hooks_ctx *h = ctx;
    dbg_console_rx(h->g->d, cpu);
}

static bool g_mode(void *ctx, struct cpu *cpu, uint32_t o, uint32_t n)
{
    struct gdb_hooks_ctx *h = ctx;
    (void)cpu;
    session_note_mode(&h->g->d->s, o, n);
    return false;
}

/* [a, a + an) and [b, b + bn) overlap: where, as an offset into b. */
static bool overlap(uint32_t a, uint32_t an, uint32_t b, uint32_t bn,
                    uint32_t *off)
{
    uint64_t lo = a > b ? a : b;
    uint64_t hi = (uint64_t)a + an < (uint64_t)b + bn ? (uint64_t)a + an
                                                      : (uint64_t)b + bn;
    if (lo >= hi)
        return false;
    *off = (uint32_t)(lo - b);
    return true;
}

/* A data access by the machine: does a watchpoint see it? */
static bool watched(struct gdbstub *g, uint32_t pa, uint32_t n, bool store)
{
    for (int i = 0; i < GDB_MAX_WP; i++) {
        const struct gdb_wp *w = &g->wp[i];
        uint32_t off;
        if (!w->used || (store && w->type == '3') ||
            (!store && w->type == '2') || !overlap(pa, n, w->pa, w->len, &off))
            continue;
        g->watch_hit = true;
        g->hit = (struct gdb_stop){GSTOP_WATCH, w->type, w->addr + off, 0};
        return true;
    }
    return false;
}

static bool any_watch(const struct gdbstub *g)
{
    for (int i = 0; i < GDB_MAX_WP; i++)
        if (g->wp[i].used)
            return true;
    return false;
}

static bool g_trap(void *ctx, struct cpu *cpu, const struct cpu_trap_info *t)
{
    struct gdb_hooks_ctx *h = ctx;
    (void)cpu;
    h->g->d->last_frame = t->frame;
    h->g->d->have_last_frame = true;
    /* The hardware pushed 144 bytes: stores like any other. */
    return !h->replaying && !h->g->watch_hit &&
           watched(h->g, t->frame, FRAME_SIZE, true);
}

void gdb_attach_hooks(struct gdbstub *g, bool replaying)
{
    hooks_ctx = (struct gdb_hooks_ctx){g, replaying};
    struct cpu_hooks hk = {
        .ctx = &hooks_ctx,
        .console_tx = g_tx,
        .console_rx_wanted = g_rx,
        .trap = g_trap,
        .mode = g_mode,
    };
    cpu_set_hooks(g->d->s.cpu, &hk);
}

/* ---- Breakpoints and watchpoints ------------------------------------- */

/* The space Z and m packets mean: the process of the last Hg. */
static int target_space(const struct gdbstub *g)
{
    if (!g->multiprocess)
        return GDB_ANY_SPACE;
    int pid = g->gpid > 0 ? g->gpid : gdb_current_pid(g);
    return gdb_pid_space(g, pid);
}

int gdb_insert(struct gdbstub *g, char type, uint32_t addr, uint32_t len)
{
    int space = target_space(g);
    if (type == '0' || type == '1') {
        int free_slot = -1;
        for (int i = 0; i < GDB_MAX_BP; i++) {
            if (g->bp[i].used && g->bp[i].addr == addr &&
                g->bp[i].space == space)
                return 0; /* already there */
            if (!g->bp[i].used && free_slot < 0)
                free_slot = i;
        }
        /* Leave the cpu a slot to spare. */
        if (free_slot < 0 || (addr & 3) || free_slot >= MAX_BREAKPOINTS - 1)
            return -1;
        g->bp[free_slot] = (struct gdb_bp){true, space, addr};
        return 0;
    }
    if (len == 0 || len > 8)
        return -1;
    /* A watch means memory in one space: the current mode's view if gdb
     * did not say which. */
    int wspace = space == GDB_ANY_SPACE ? dbg_current_space(g->d) : space;
    uint32_t pa;
    char err[200];
    if (dbg_to_phys(g->d, (struct dbg_loc){addr, wspace}, len, &pa, err,
                    sizeof err) != 0)
        return -1;
    for (int i = 0; i < GDB_MAX_WP; i++)
        if (!g->wp[i].used) {
            g->wp[i] = (struct gdb_wp){true, type, space, addr, len, pa};
            return 0;
        }
    return -1;
}

int gdb_remove(struct gdbstub *g, char type, uint32_t addr, uint32_t len)
{
    int space = target_space(g);
    if (type == '0' || type == '1') {
        for (int i = 0; i < GDB_MAX_BP; i++)
            if (g->bp[i].used && g->bp[i].addr == addr &&
                g->bp[i].space == space) {
                g->bp[i].used = false;
                return 0;
            }
        return 0; /* removing what is not there is no error for gdb */
    }
    for (int i = 0; i < GDB_MAX_WP; i++)
        if (g->wp[i].used && g->wp[i].type == type && g->wp[i].addr == addr &&
            g->wp[i].len == len && g->wp[i].space == space) {
            g->wp[i].used = false;
            return 0;
        }
    return 0;
}

static bool bp_here(struct gdbstub *g)
{
    const struct dbg *d = g->d;
    for (int i = 0; i < GDB_MAX_BP; i++) {
        const struct gdb_bp *b = &g->bp[i];
        if (!b->used || b->addr != d->s.cpu->pc)
            continue;
        struct dbg_loc l = {b->addr, b->space};
        if (b->space == GDB_ANY_SPACE || dbg_loc_matches(d, &l))
            return true;
    }
    return false;
}

static void sync_breakpoints(struct gdbstub *g)
{
    struct cpu *cpu = g->d->s.cpu;
    while (cpu->nbreakpoints > 0)
        cpu_break_remove(cpu, cpu->breakpoints[0]);
    for (int i = 0; i < GDB_MAX_BP; i++)
        if (g->bp[i].used)
            cpu_break_add(cpu, g->bp[i].addr);
}

/* ---- Running ----------------------------------------------------------- */

/* The load or store the instruction at pc is about to make. */
static bool access_ahead(const struct cpu *cpu, uint32_t *pa, uint32_t *n,
                         bool *store)
{
    uint32_t ipa, word;
    if (cpu_translate(cpu, cpu->mode, cpu->pc, 4, &ipa) != 0 ||
        cpu_read_phys(cpu, ipa, &word, 4) != 0)
        return false;
    struct insn in = decode(word);
    switch (in.op) {
    case OP_LB:
    case OP_LBU: *n = 1, *store = false; break;
    case OP_LH:
    case OP_LHU: *n = 2, *store = false; break;
    case OP_LW: *n = 4, *store = false; break;
    case OP_SB: *n = 1, *store = true; break;
    case OP_SH: *n = 2, *store = true; break;
    case OP_SW: *n = 4, *store = true; break;
    default: return false;
    }
    uint32_t va = cpu->x[in.rs1] + (uint32_t)in.imm;
    /* Devices and faults are no memory gdb can watch. */
    return cpu_translate(cpu, cpu->mode, va, *n, pa) == 0;
}

/* One step, with the watchpoints looked at. */
static enum cpu_stop step_watched(struct gdbstub *g)
{
    struct cpu *cpu = g->d->s.cpu;
    uint32_t pa = 0, n = 0;
    bool store = false;
    bool access = any_watch(g) && access_ahead(cpu, &pa, &n, &store);
    uint64_t retired = cpu->instret;
    enum cpu_stop why = cpu_step(cpu);
    /* A faulting access did not happen (its trap frame was watched). */
    if (access && cpu->instret != retired && !g->watch_hit)
        watched(g, pa, n, store);
    return why;
}

static struct gdb_stop halt_stop(struct gdbstub *g, enum cpu_stop why,
                                 enum session_end end)
{
    return (struct gdb_stop){
        .kind = GSTOP_EXIT,
        .status = session_exit_status(g->d->s.cpu, why, end),
    };
}

static bool is_halt(enum cpu_stop why)
{
    return why == STOP_HALT || why == STOP_PANIC || why == STOP_DOUBLE_FAULT ||
           why == STOP_DEADLOCK;
}

/* Between slices: gdb's Ctrl-C, lde's, or gdb gone. */
static bool interrupted(struct gdbstub *g)
{
    bool lost;
    if (gdbw_poll_interrupt(&g->w, &lost) || session_interrupted())
        return true;
    if (lost) {
        g->done = true;
        g->end = GDB_END_LOST;
        return true;
    }
    return false;
}

static void tick(struct gdbstub *g)
{
    if (g->d->s.timeline != NULL)
        timeline_tick(g->d->s.timeline);
}

struct gdb_stop gdb_continue(struct gdbstub *g)
{
    struct dbg *d = g->d;
    struct cpu *cpu = d->s.cpu;
    g->sticky_pid = 0;
    if (cpu->halted)
        return halt_stop(g, cpu->halt_kind, SESSION_END_MACHINE);
    sync_breakpoints(g);
    gdb_attach_hooks(g, false);
    g->watch_hit = false;
    session_clear_interrupt();
    bool watching = any_watch(g);
    for (bool first = true;; first = false) {
        enum cpu_stop why;
        if (d->s.step_limit != 0 && cpu_steps(cpu) >= d->s.step_limit)
            return (struct gdb_stop){GSTOP_INT, 0, 0, 0};
        uint64_t budget = session_next_slice(&d->s, GDB_SLICE);
        if (budget == 0)
            return halt_stop(g, STOP_BUDGET, SESSION_END_LIMIT);
        if (watching) {
            why = STOP_BUDGET;
            for (unsigned k = 0; k < GDB_STEPS_PER_LOOK; k++) {
                if ((!first || k > 0) && bp_here(g)) {
                    why = STOP_BREAKPOINT;
                    break;
                }
                why = step_watched(g);
                tick(g);
                if (why != STOP_BUDGET || g->watch_hit)
                    break;
            }
        } else {
            if (d->s.step_limit != 0 &&
                d->s.step_limit - cpu_steps(cpu) < budget)
                budget = d->s.step_limit - cpu_steps(cpu);
            why = cpu_run(cpu, budget);
            tick(g);
            /* Ended right before a breakpoint: the next run would step
             * over it. */
            if (why == STOP_BUDGET && cpu_at_breakpoint(cpu))
                why = STOP_BREAKPOINT;
        }
        if (g->watch_hit)
            return g->hit;
        if (is_halt(why))
            return halt_stop(g, why, SESSION_END_MACHINE);
        if (why == STOP_WAIT_INPUT)
            return (struct gdb_stop){GSTOP_INPUT, 0, 0, 0};
        if (why == STOP_BREAKPOINT) {
            if (bp_here(g))
                return (struct gdb_stop){GSTOP_BREAK, 0, 0, 0};
            /* Another space's address: step over it and go on. */
            why = cpu_step(cpu);
            tick(g);
            if (is_halt(why))
                return halt_stop(g, why, SESSION_END_MACHINE);
            if (bp_here(g))
                return (struct gdb_stop){GSTOP_BREAK, 0, 0, 0};
        }
        if (interrupted(g))
            return (struct gdb_stop){GSTOP_INT, 0, 0, 0};
    }
}

struct gdb_stop gdb_step(struct gdbstub *g, bool locked)
{
    struct cpu *cpu = g->d->s.cpu;
    g->sticky_pid = 0;
    int stepped = gdb_current_pid(g);
    if (cpu->halted)
        return halt_stop(g, cpu->halt_kind, SESSION_END_MACHINE);
    gdb_attach_hooks(g, false);
    g->watch_hit = false;
    enum cpu_stop why = step_watched(g);
    tick(g);
    if (locked)
        g->sticky_pid = stepped;
    g->stepped_pid = stepped;
    if (g->watch_hit)
        return g->hit;
    if (is_halt(why))
        return halt_stop(g, why, SESSION_END_MACHINE);
    if (why == STOP_WAIT_INPUT)
        return (struct gdb_stop){GSTOP_INPUT, 0, 0, 0};
    return (struct gdb_stop){GSTOP_TRAP, 0, 0, 0};
}

/* ---- Going back -------------------------------------------------------- */

static bool seek(struct gdbstub *g, uint64_t when)
{
    char err[300];
    if (dbg_seek(g->d, when, err, sizeof err) == 0)
        return true;
    printf("lde: gdb: %s\n", err);
    fflush(stdout);
    return false;
}

struct gdb_stop gdb_reverse_step(struct gdbstub *g)
{
    g->sticky_pid = 0;
    struct timeline *t = g->d->s.timeline;
    uint64_t now = dbg_here(g->d);
    if (now <= timeline_start(t) || !seek(g, now - 1))
        return (struct gdb_stop){GSTOP_BEGIN, 0, 0, 0};
    return (struct gdb_stop){GSTOP_TRAP, 0, 0, 0};
}

static void record(struct gdbstub *g, struct dbg_back_hit *h,
                   const struct gdb_stop *s)
{
    h->found = true;
    h->goal = false;
    h->watch = s->kind == GSTOP_WATCH;
    h->when = timeline_now(g->d->s.timeline);
    /* The stop reply, kept in the message. */
    snprintf(h->msg, sizeof h->msg, "%c%08" PRIx32, h->watch ? s->wtype : 'b',
             s->waddr);
}

/* gdb's scan of [lo, hi): its breakpoints and watchpoints armed. */
static int scan(void *ctx, uint64_t lo, uint64_t hi, struct dbg_back_hit *h,
                char *err, size_t errlen)
{
    struct gdbstub *g = ctx;
    if (dbg_seek(g->d, lo, err, errlen) != 0)
        return -1;
    if (lo < hi && bp_here(g))
        record(g, h, &(struct gdb_stop){GSTOP_BREAK, 0, 0, 0});
    g->d->s.step_limit = hi;
    int rc = 0;
    for (;;) {
        struct gdb_stop s = gdb_continue(g);
        if (timeline_now(g->d->s.timeline) >= hi)
            break;
        if (s.kind == GSTOP_BREAK || s.kind == GSTOP_WATCH) {
            record(g, h, &s);
            continue;
        }
        if (s.kind == GSTOP_INT && (session_interrupted() || g->done)) {
            snprintf(err, errlen, "interrupted");
            rc = -1;
        }
        break;
    }
    g->d->s.step_limit = 0;
    return rc;
}

struct gdb_stop gdb_reverse_continue(struct gdbstub *g)
{
    struct dbg *d = g->d;
    struct dbg_back_hit h;
    char err[300];
    g->sticky_pid = 0;
    session_clear_interrupt();
    if (dbg_search_back(d, dbg_here(d), scan, g, &h, err, sizeof err) != 0)
        return (struct gdb_stop){GSTOP_INT, 0, 0, 0};
    if (!h.found) {
        seek(g, timeline_start(d->s.timeline));
        return (struct gdb_stop){GSTOP_BEGIN, 0, 0, 0};
    }
    /* Going back over a store undoes it: the stop is before it. */
    uint64_t to = h.watch ? h.when - 1 : h.when;
    if (!seek(g, to))
        return (struct gdb_stop){GSTOP_BEGIN, 0, 0, 0};
    if (!h.watch)
        return (struct gdb_stop){GSTOP_BREAK, 0, 0, 0};
    uint32_t addr = 0;
    sscanf(h.msg + 1, "%" SCNx32, &addr);
    return (struct gdb_stop){GSTOP_WATCH, h.msg[0], addr, 0};
}

/* ---- The stop reply ---------------------------------------------------- */

void gdb_stop_reply(struct gdbstub *g, const struct gdb_stop *s)
{
    g->last = *s;
    int pid = gdb_current_pid(g);
    if (!g->d->s.cpu->halted)
        g->halt_told = false;
    if (s->kind == GSTOP_EXIT && !g->halt_told) {
        /* The first time, a stop where it halted, to look around and go
         * back from; continuing then ends the machine for gdb (W). */
        char msg[200];
        snprintf(msg, sizeof msg,
                 "lde: the machine halted: %s (exit status %d); "
                 "reverse-stepi and reverse-continue still work, continue "
                 "ends it\n",
                 session_halt_reason(g->d->s.cpu, g->d->s.cpu->halt_kind),
                 s->status);
        char pkt[512] = "O";
        size_t n = 1;
        for (const char *c = msg; *c && n + 2 < sizeof pkt; c++)
            n += (size_t)snprintf(pkt + n, sizeof pkt - n, "%02x",
                                  (unsigned char)*c);
        gdbw_send(&g->w, pkt, n);
        g->halt_told = true;
        struct gdb_stop t = {GSTOP_HALTED, 0, 0, s->status};
        g->last = t;
        s = &g->last;
    }
    /* A step that ended in another thread than the one stepped: for gdb
     * that thread "stopped" (no signal), the stepped one just did not
     * report; SIGTRAP would read as a stray trap. */
    bool moved =
        s->kind == GSTOP_TRAP && g->stepped_pid != 0 && g->stepped_pid != pid;
    g->stepped_pid = 0;
    /* The thread that stopped becomes the one g, m and Z mean, until the
     * next Hg (gdb assumes so, as gdbserver does it). */
    g->gpid = pid;
    if (s->kind == GSTOP_EXIT) {
        gdb_put(g, "W%02x", s->status & 0xff);
        if (g->multiprocess)
            gdb_put(g, ";process:%x", GDB_KERNEL_PID);
        return;
    }
    /* SIGINT, SIGTRAP, or none */
    gdb_put(g, "T%02x",
            s->kind == GSTOP_INT               ? 2
            : moved || s->kind == GSTOP_HALTED ? 0
                                               : 5);
    if (g->multiprocess)
        gdb_put(g, "thread:p%x.1;", pid);
    else
        gdb_put(g, "thread:1;");
    switch (s->kind) {
    case GSTOP_BREAK:
        if (g->swbreak)
            gdb_put(g, "swbreak:;");
        break;
    case GSTOP_WATCH:
        gdb_put(g, "%s:%" PRIx32 ";",
                s->wtype == '2'   ? "watch"
                : s->wtype == '3' ? "rwatch"
                                  : "awatch",
                s->waddr);
        break;
    case GSTOP_BEGIN: gdb_put(g, "replaylog:begin;"); break;
    default: break;
    }
}
