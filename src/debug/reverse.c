/*
 * reverse.c: going back in time: reverse-stepi, reverse-nexti,
 * reverse-continue, reverse-finish, and info history.
 *
 * The machine never runs backwards. The session's timeline
 * (session/timeline.h) keeps snapshots of the past and the console input
 * the guest was given, and can put the machine at any earlier step by
 * restoring a snapshot and running forward, quietly, to that step. On
 * top of that:
 *
 *   reverse-stepi N   the step N steps ago (a step: an instruction, or a
 *                     trap entered: what `si` counts)
 *   reverse-continue  the last stop of ours before now: each interval
 *                     between two snapshots, newest first, is run forward
 *                     with the breakpoints, watchpoints and catchpoints
 *                     armed (and nothing printed), and the last hit found
 *                     is where the machine goes
 *   reverse-finish    the same search, for the entry of the function we
 *                     are in (its address, the stack at least as high as
 *                     the caller left it), then one step more: the call
 *   reverse-nexti     one step back, unless that step is in a callee or a
 *                     trap handler: then the call (or the interrupted
 *                     instruction) in this function, found as above
 *
 * The state reached is the one the machine had the first time: the
 * registers, RAM, devices, counters, per-process accounting and console
 * position come from the snapshot and the same instructions.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dbg.h"
#include "decode.h"
#include "timeline.h"

#define NO_HISTORY "No more reverse-execution history."

int dbg_start_history(struct dbg *d)
{
    if (d->s.opt.history == 0)
        return 0;
    struct timeline_limits lim = {TIMELINE_INTERVAL, d->s.opt.history,
                                  TIMELINE_MAX_SNAPS};
    struct timeline *t = timeline_create(&d->s, &lim);
    /* What the hooks note as the machine runs belongs to its state. */
    if (t == NULL ||
        timeline_keep(t, &d->last_frame, sizeof d->last_frame) != 0 ||
        timeline_keep(t, &d->have_last_frame, sizeof d->have_last_frame) != 0) {
        timeline_destroy(t);
        return -1;
    }
    d->s.timeline = t;
    return 0;
}

static struct timeline *need_timeline(const char *cmd, struct dbg *d)
{
    if (d->s.timeline == NULL)
        dbg_err("%s: reverse execution is off (lde debug --history 0)", cmd);
    return d->s.timeline;
}

int dbg_seek(struct dbg *d, uint64_t when, char *err, size_t errlen)
{
    if (d->s.timeline == NULL) {
        snprintf(err, errlen, "reverse execution is off");
        return -1;
    }
    bool verbose = d->verbose;
    d->replaying = true;
    d->verbose = false;
    dbg_attach_hooks(d);
    int rc = timeline_seek(d->s.timeline, when, err, errlen);
    d->replaying = false;
    d->verbose = verbose;
    dbg_attach_hooks(d);
    return rc;
}

/* The stop report after going back, with what was found there. */
static void report(struct dbg *d, const char *note, const char *hit)
{
    dbg_sync_output(d);
    d->goal.active = false;
    if (note != NULL)
        printf("%s\n", note);
    snprintf(d->hit_msg, sizeof d->hit_msg, "%s", hit ? hit : "");
    dbg_end_run(d, STOP_BUDGET, SESSION_END_MACHINE);
}

uint64_t dbg_here(const struct dbg *d)
{
    uint64_t now = timeline_now(d->s.timeline);
    return d->s.cpu->in_wfi ? now + 1 : now;
}

int dbg_cmd_reverse_stepi(struct dbg *d, const char *args)
{
    uint64_t n = 1;
    args = dbg_skip(args);
    if (*args != '\0' && (dbg_parse_uint(args, &n) != 0 || n == 0)) {
        dbg_err("usage: reverse-stepi [N]  (N >= 1)");
        return -1;
    }
    struct timeline *t = need_timeline("reverse-stepi", d);
    if (t == NULL)
        return -1;
    uint64_t now = dbg_here(d), start = timeline_start(t), target;
    const char *note = NULL;
    if (now - start < n) {
        target = start;
        note = NO_HISTORY;
    } else {
        target = now - n;
    }
    char err[300];
    if (dbg_seek(d, target, err, sizeof err) != 0) {
        dbg_err("reverse-stepi: %s", err);
        return -1;
    }
    report(d, note, NULL);
    return 0;
}

/* ---- Searching back ----------------------------------------------------- */

static void note(struct dbg *d, struct dbg_back_hit *h, bool goal)
{
    h->found = true;
    h->goal = goal;
    h->watch = d->watch_hit;
    h->when = timeline_now(d->s.timeline);
    h->num = d->hit;
    snprintf(h->msg, sizeof h->msg, "%s", d->hit_msg);
}

/* lde debug's scan: run [lo, hi) with our points and the goal armed. */
static int scan(void *ctx, uint64_t lo, uint64_t hi, struct dbg_back_hit *h,
                char *err, size_t errlen)
{
    struct dbg *d = ctx;
    if (dbg_seek(d, lo, err, errlen) != 0)
        return -1;
    dbg_begin_run(d, false);
    /* cpu_run() does not look at the pc it starts from: a breakpoint (or
     * the goal) right there is looked at here. */
    d->watch_hit = d->goal_hit = false;
    if (lo < hi && dbg_breakpoint_hit(d))
        note(d, h, d->goal_hit);
    d->s.step_limit = hi;
    int rc = 0;
    for (;;) {
        d->hit = 0;
        d->hit_msg[0] = '\0';
        d->watch_hit = d->goal_hit = false;
        enum session_end end;
        enum cpu_stop why = dbg_run_loop(d, &end);
        if (end == SESSION_END_INTERRUPT) {
            rc = -1;
            snprintf(err, errlen, "interrupted");
            break;
        }
        if (end != SESSION_END_MACHINE || timeline_now(d->s.timeline) >= hi)
            break;
        /* The goal first: a breakpoint of ours right there is on the
         * way, not a reason to stop short of the call. */
        if (why == STOP_BREAKPOINT || (why == STOP_HOOK && d->hit != 0))
            note(d, h, d->goal_hit);
        else if (why != STOP_HOOK && why != STOP_BUDGET)
            break; /* a halt, a wait: the end of what was recorded */
    }
    d->s.step_limit = 0;
    return rc;
}

int dbg_search_back(struct dbg *d, uint64_t hi, dbg_scan_fn scan_fn, void *ctx,
                    struct dbg_back_hit *h, char *err, size_t errlen)
{
    struct timeline *t = d->s.timeline;
    memset(h, 0, sizeof *h);
    uint64_t lo;
    while (!h->found && hi > timeline_start(t)) {
        if (!timeline_snapshot_before(t, hi, &lo))
            lo = timeline_start(t);
        if (scan_fn(ctx, lo, hi, h, err, errlen) != 0) {
            /* Everything after lo was searched: stop there. */
            char e2[200];
            dbg_seek(d, lo, e2, sizeof e2);
            return -1;
        }
        hi = lo;
    }
    return 0;
}

/* lde debug's search: hit counts are left as they were. */
static int search_back(struct dbg *d, uint64_t hi, struct dbg_back_hit *h,
                       char *err, size_t errlen)
{
    unsigned hits[DBG_MAX_POINTS];
    for (int i = 0; i < DBG_MAX_POINTS; i++)
        hits[i] = d->pts[i].hits;
    int rc = dbg_search_back(d, hi, scan, d, h, err, errlen);
    for (int i = 0; i < DBG_MAX_POINTS; i++)
        d->pts[i].hits = hits[i];
    return rc;
}

static struct dbg_point *point_numbered(struct dbg *d, int num)
{
    for (int i = 0; i < DBG_MAX_POINTS; i++)
        if (d->pts[i].used && d->pts[i].num == num)
            return &d->pts[i];
    return NULL;
}

/* Go to what search_back found (counting the hit), or to the start. A
 * watchpoint's change is undone by going back over the store: the stop is
 * before it, and the values are told in the order they came, going back
 * (as gdb does). */
static int land(struct dbg *d, struct dbg_back_hit *h, const char *cmd)
{
    char err[300];
    uint64_t to = h->found ? h->when : timeline_start(d->s.timeline);
    if (h->found && h->watch && to > timeline_start(d->s.timeline))
        to--;
    if (dbg_seek(d, to, err, sizeof err) != 0) {
        dbg_err("%s: %s", cmd, err);
        return -1;
    }
    struct dbg_point *p = h->found ? point_numbered(d, h->num) : NULL;
    if (p == NULL)
        return 0;
    p->hits++;
    uint32_t before;
    if (h->watch && cpu_read_phys(d->s.cpu, p->paddr, &before, 4) == 0)
        snprintf(h->msg, sizeof h->msg,
                 "Watchpoint %d: %s\nOld value = 0x%08" PRIx32 " (%" PRIu32
                 ")\nNew value = 0x%08" PRIx32 " (%" PRIu32 ")",
                 p->num, p->what, p->value, p->value, before, before);
    return 0;
}

int dbg_cmd_reverse_continue(struct dbg *d, const char *args)
{
    (void)args;
    struct timeline *t = need_timeline("reverse-continue", d);
    if (t == NULL)
        return -1;
    session_clear_interrupt();
    d->goal.active = false;
    struct dbg_back_hit h;
    char err[300];
    if (search_back(d, dbg_here(d), &h, err, sizeof err) != 0) {
        report(d, "Interrupted.", NULL);
        return -1;
    }
    if (land(d, &h, "reverse-continue") != 0)
        return -1;
    report(d, h.found ? NULL : NO_HISTORY, h.found ? h.msg : NULL);
    return 0;
}

/* ---- Frames ------------------------------------------------------------- */

/* Where the machine is, to recognise the same frame at another step. */
struct frame_id {
    uint32_t pc, sp, mode, ubase, pid;
    int space;
    const struct sym *fn; /* the function pc is in, or NULL */
};

static struct frame_id frame_here(struct dbg *d)
{
    const struct cpu *cpu = d->s.cpu;
    struct frame_id f = {
        .pc = cpu->pc,
        .sp = cpu->x[2],
        .mode = cpu->mode,
        .ubase = cpu->ubase,
        .pid = dbg_current_pid(d),
        .space = dbg_current_space(d),
    };
    uint32_t off;
    f.fn = dbg_symbol_at(d, (struct dbg_loc){f.pc, f.space}, &off);
    return f;
}

/* The same process, in the same mode, in the same function. */
static bool same_process(const struct frame_id *a, const struct frame_id *b)
{
    if (a->mode != b->mode)
        return false;
    return a->mode == MODE_USER ? a->ubase == b->ubase : a->pid == b->pid;
}

/* Aim the goal at pc in frame f's process, with the stack at least as
 * high as f's. */
static void aim(struct dbg *d, const struct frame_id *f, uint32_t pc,
                uint32_t min_sp)
{
    d->goal = (struct dbg_goal){
        .active = true,
        .loc = {pc, f->space},
        .ubase = f->mode == MODE_USER ? f->ubase : DBG_ANY_UBASE,
        .check_sp = true,
        .min_sp = min_sp,
        .check_pid = f->mode == MODE_KERNEL,
        .pid = f->pid,
    };
}

/* Is the word at pc (in f's space) a call or an ecall? */
static bool call_before(struct dbg *d, const struct frame_id *f, uint32_t pc)
{
    uint8_t b[4];
    char err[160];
    if (dbg_read(d, (struct dbg_loc){pc, f->space}, b, 4, err, sizeof err) != 0)
        return false;
    uint32_t w = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                 (uint32_t)b[3] << 24;
    struct insn in = decode(w);
    return ((in.op == OP_JAL || in.op == OP_JALR) && in.rd == 1) ||
           in.op == OP_ECALL;
}

/* How a search back ended, for the one report at the end. */
enum back_end {
    BACK_MOVED, /* where it was going */
    BACK_HIT,   /* stopped on the way by a point of ours: msg */
    BACK_START, /* the start of the history came first */
    BACK_FAIL,  /* interrupted, or an error already printed */
};

static void report_end(struct dbg *d, enum back_end e, const char *msg)
{
    switch (e) {
    case BACK_MOVED: report(d, NULL, NULL); break;
    case BACK_HIT: report(d, NULL, msg); break;
    case BACK_START: report(d, NO_HISTORY, NULL); break;
    case BACK_FAIL: break;
    }
}

/* Search back for the goal from `hi`; at the hit, if the step before it
 * left another process or mode (an interrupt came right there), search
 * again before it. `then_back`: go one step more (to the call). */
static enum back_end goal_back(struct dbg *d, uint64_t hi,
                               const struct frame_id *f, bool then_back,
                               const char *cmd, char *msg, size_t msglen)
{
    struct dbg_goal goal = d->goal;
    char err[300];
    for (;;) {
        struct dbg_back_hit h;
        d->goal = goal;
        if (search_back(d, hi, &h, err, sizeof err) != 0) {
            report(d, "Interrupted.", NULL);
            return BACK_FAIL;
        }
        if (land(d, &h, cmd) != 0)
            return BACK_FAIL;
        if (!h.found)
            return BACK_START;
        if (!h.goal) { /* a breakpoint of ours on the way back */
            snprintf(msg, msglen, "%s", h.msg);
            return BACK_HIT;
        }
        if (!then_back)
            return BACK_MOVED;
        if (h.when <= timeline_start(d->s.timeline))
            return BACK_START;
        if (dbg_seek(d, h.when - 1, err, sizeof err) != 0) {
            dbg_err("%s: %s", cmd, err);
            return BACK_FAIL;
        }
        struct frame_id g = frame_here(d);
        if (same_process(&g, f))
            return BACK_MOVED;
        hi = h.when; /* entered from a trap: the real call is earlier */
    }
}

static enum back_end reverse_nexti_once(struct dbg *d, char *msg, size_t msglen)
{
    struct timeline *t = d->s.timeline;
    struct frame_id f = frame_here(d);
    uint64_t now = dbg_here(d);
    char err[300];
    if (now <= timeline_start(t))
        return BACK_START;
    bool after_call = f.pc >= 4 && call_before(d, &f, f.pc - 4);
    if (dbg_seek(d, now - 1, err, sizeof err) != 0) {
        dbg_err("reverse-nexti: %s", err);
        return BACK_FAIL;
    }
    struct frame_id g = frame_here(d);
    bool same = same_process(&g, &f);
    if (same && g.pc == f.pc - 4)
        return BACK_MOVED; /* the instruction before, in order */
    if (!after_call && same && g.sp >= f.sp && g.fn == f.fn)
        return BACK_MOVED; /* a jump or branch within the function */
    /* A callee returned here (or a trap handler, from an ecall or an
     * interrupt): back to the call, or to before the interrupt. */
    aim(d, &f, after_call ? f.pc - 4 : f.pc, f.sp);
    return goal_back(d, now, &f, false, "reverse-nexti", msg, msglen);
}

int dbg_cmd_reverse_nexti(struct dbg *d, const char *args)
{
    uint64_t n = 1;
    args = dbg_skip(args);
    if (*args != '\0' && (dbg_parse_uint(args, &n) != 0 || n == 0)) {
        dbg_err("usage: reverse-nexti [N]  (N >= 1)");
        return -1;
    }
    if (need_timeline("reverse-nexti", d) == NULL)
        return -1;
    session_clear_interrupt();
    char msg[DBG_MSG_MAX] = "";
    enum back_end e = BACK_MOVED;
    for (uint64_t i = 0; i < n && e == BACK_MOVED; i++)
        e = reverse_nexti_once(d, msg, sizeof msg);
    report_end(d, e, msg);
    return e == BACK_FAIL ? -1 : 0;
}

int dbg_cmd_reverse_finish(struct dbg *d, const char *args)
{
    (void)args;
    struct timeline *t = need_timeline("reverse-finish", d);
    if (t == NULL)
        return -1;
    struct frame_id f = frame_here(d);
    uint32_t ret, caller_sp, off;
    char err[300], where[160], msg[DBG_MSG_MAX] = "";
    if (dbg_symbol_at(d, (struct dbg_loc){f.pc, f.space}, &off) == NULL) {
        dbg_err("reverse-finish: no function symbol at pc");
        return -1;
    }
    if (dbg_return_point(d, &ret, &caller_sp, err, sizeof err) != 0) {
        dbg_err("reverse-finish: %s", err);
        return -1;
    }
    uint32_t entry = f.pc - off;
    printf("Run back to call of %s\n",
           dbg_format_addr(d, (struct dbg_loc){entry, f.space}, where,
                           sizeof where));
    session_clear_interrupt();
    uint64_t now = dbg_here(d);
    enum back_end e;
    if (off == 0) {
        /* At the entry already: the call is the step before. */
        e = BACK_START;
        if (now > timeline_start(t)) {
            if (dbg_seek(d, now - 1, err, sizeof err) != 0) {
                dbg_err("reverse-finish: %s", err);
                return -1;
            }
            e = BACK_MOVED;
        }
    } else {
        aim(d, &f, entry, caller_sp);
        e = goal_back(d, now, &f, true, "reverse-finish", msg, sizeof msg);
    }
    report_end(d, e, msg);
    return e == BACK_FAIL ? -1 : 0;
}

int dbg_cmd_info_history(struct dbg *d, const char *args)
{
    (void)args;
    struct timeline *t = d->s.timeline;
    if (t == NULL) {
        printf("Reverse execution is off (--history 0).\n");
        return 0;
    }
    struct timeline_stats st;
    timeline_stats(t, &st);
    uint64_t now = timeline_now(t), front = timeline_frontier(t);
    printf("step     %" PRIu64 " (cycle %" PRIu64 ")%s\n", now, d->s.cpu->cycle,
           now < front ? "  (in the recorded past)" : "  (the frontier)");
    printf("history  steps %" PRIu64 " to %" PRIu64 "\n", timeline_start(t),
           front);
    printf("snapshots %u, from step %" PRIu64 " to %" PRIu64
           ", %zu pages of RAM, %.1f MiB\n",
           st.snaps, st.oldest, st.newest, st.pages,
           (double)st.bytes / (1 << 20));
    printf("input    %zu entries logged\n", st.input_log);
    printf("replayed %" PRIu64 " steps so far\n", st.replayed);
    return 0;
}
