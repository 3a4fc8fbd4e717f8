/*
 * observe_timeline.c: `--timeline FILE.json`: the run in the Chrome trace
 * event format (the JSON object form, {"traceEvents": [...]}), which
 * Perfetto UI (ui.perfetto.dev) and chrome://tracing load
 * (docs/observe.md, "Timeline").
 *
 * Time: ts and dur are in microseconds, as the format wants, of simulated
 * time at the nominal clock: ts = cycle * 10^6 / clock_hz (at 100 MHz, one
 * cycle is 0.01 us). Every event also carries its exact cycle in args.
 *
 * Tracks: trace pid 0 is the machine, with a thread "kernel" (tid 0: every
 * kernel window, named by its cause) and a thread "idle" (tid 1: wfi
 * time; the machine reports how long it idled in a window, not when, so
 * the idle slice is drawn at the end of its window), and a counter of the
 * runnable processes. Each guest process is a trace process of its own
 * (pid = its pid) with one thread: "user" slices when it runs in user mode,
 * "kernel" slices for the kernel windows its traps opened, and instant
 * events for its system calls (with arguments and result), interrupts,
 * faults, and its exit or kill. Switches are instants on the kernel track.
 */
#include <inttypes.h>
#include <string.h>

#include "kstate.h"
#include "observe.h"
#include "session.h"

struct tl {
    FILE *f;
    const struct observer *o;
    bool first;
};

static void ts(struct tl *t, const char *key, uint64_t cycles)
{
    uint32_t hz = t->o->s->opt.clock_hz;
    uint64_t whole = cycles / hz, rest = cycles % hz;
    /* microseconds = whole seconds * 1e6 + rest * 1e6 / hz, to 1e-6 us */
    long double us =
        (long double)whole * 1e6L + (long double)rest * 1e6L / (long double)hz;
    fprintf(t->f, ",\"%s\":%.6Lf", key, us);
}

static void begin(struct tl *t, const char *ph, uint32_t pid, uint32_t tid,
                  const char *name)
{
    fputs(t->first ? "\n" : ",\n", t->f);
    t->first = false;
    fprintf(t->f,
            "{\"ph\":\"%s\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32 ",\"name\":",
            ph, pid, tid);
    observe_json_string(t->f, name);
}

static void meta(struct tl *t, uint32_t pid, uint32_t tid, const char *what,
                 const char *key, const char *value, long index)
{
    begin(t, "M", pid, tid, what);
    fprintf(t->f, ",\"args\":{\"%s\":", key);
    if (value != NULL)
        observe_json_string(t->f, value);
    else
        fprintf(t->f, "%ld", index);
    fputs("}}", t->f);
}

/* A complete event: a slice [from, to). */
static void slice(struct tl *t, uint32_t pid, uint32_t tid, const char *name,
                  const char *cat, uint64_t from, uint64_t to)
{
    begin(t, "X", pid, tid, name);
    fprintf(t->f, ",\"cat\":\"%s\"", cat);
    ts(t, "ts", from);
    ts(t, "dur", to - from);
    fprintf(t->f, ",\"args\":{\"cycle\":%" PRIu64 ",\"cycles\":%" PRIu64, from,
            to - from);
}

static void instant(struct tl *t, uint32_t pid, uint32_t tid, const char *name,
                    const char *cat, uint64_t at)
{
    begin(t, "i", pid, tid, name);
    fprintf(t->f, ",\"cat\":\"%s\",\"s\":\"t\"", cat);
    ts(t, "ts", at);
    fprintf(t->f, ",\"args\":{\"cycle\":%" PRIu64, at);
}

static void end_args(struct tl *t)
{
    fputs("}}", t->f);
}

static void arg_str(struct tl *t, const char *key, const char *value)
{
    fprintf(t->f, ",\"%s\":", key);
    observe_json_string(t->f, value);
}

/* The name of the window a trap opens: "write", "timer interrupt". */
static void cause(const struct obs_event *e, char *buf, size_t len)
{
    if (e->kind != OBS_TRAP)
        snprintf(buf, len, "boot");
    else if (e->vector == VEC_SYSCALL)
        observe_syscall_name(e->sysno, buf, len);
    else
        snprintf(buf, len, "%s", cpu_vector_name(e->vector));
}

static unsigned runnable(const struct obs_snap *sn)
{
    unsigned n = 0;
    for (unsigned pid = 1; pid < OBS_PIDS; pid++)
        n += sn->state[pid] == PS_RUNNABLE || sn->state[pid] == PS_RUNNING;
    return n;
}

static void trap_instant(struct tl *t, const struct obs_event *e)
{
    char name[64], call[256], where[160];
    const struct observer *o = t->o;
    observe_format_pc(o, e->mode, e->pid, e->pc, where, sizeof where);
    uint32_t pid = e->mode == MODE_USER ? e->pid : 0;
    if (e->vector == VEC_SYSCALL) {
        char n[40];
        observe_syscall_name(e->sysno, n, sizeof n);
        snprintf(name, sizeof name, "system call %s", n);
        observe_syscall_call(e, call, sizeof call);
        instant(t, pid, pid, name, "syscall", e->cycle);
        arg_str(t, "call", call);
    } else {
        snprintf(name, sizeof name, "%s", cpu_vector_name(e->vector));
        instant(t, pid, pid, name, "trap", e->cycle);
        fprintf(t->f, ",\"tval\":\"0x%08" PRIx32 "\"", e->tval);
    }
    arg_str(t, "pc", where);
    fprintf(t->f, ",\"vector\":%u", e->vector);
    end_args(t);
}

static void process_tracks(struct tl *t)
{
    const struct observer *o = t->o;
    meta(t, 0, 0, "process_name", "name", "lde machine", 0);
    meta(t, 0, 0, "process_sort_index", "sort_index", NULL, 0);
    meta(t, 0, 0, "thread_name", "name", "kernel", 0);
    meta(t, 0, 1, "thread_name", "name", "idle", 0);
    uint32_t maxpid = o->maxpid;
    for (unsigned i = 0; i < o->nprocs; i++)
        if (o->procs[i].pid > maxpid && o->procs[i].pid < OBS_PIDS)
            maxpid = o->procs[i].pid;
    for (uint32_t pid = 1; pid <= maxpid; pid++) {
        char name[LDE_NAME_MAX + 1], label[64];
        observe_proc_name(o, pid, name, sizeof name);
        snprintf(label, sizeof label, "%s (pid %" PRIu32 ")", name, pid);
        meta(t, pid, pid, "process_name", "name", label, 0);
        meta(t, pid, pid, "process_sort_index", "sort_index", NULL, pid);
        meta(t, pid, pid, "thread_name", "name", name, 0);
    }
    /* Exits and kills, as the kernel stamped them. */
    for (unsigned i = 0; i < o->nprocs; i++) {
        const struct lde_procinfo *p = &o->procs[i];
        if (p->ended == 0 || p->pid >= OBS_PIDS)
            continue;
        char how[128];
        kstate_describe(p, how, sizeof how);
        instant(t, p->pid, p->pid, how, "exit", p->ended);
        end_args(t);
    }
}

int observe_chrome_trace(FILE *f, const struct observer *o)
{
    struct tl t = {f, o, true};
    fprintf(f, "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":");
    observe_json_string(f, session_version);
    fprintf(f,
            ",\"clock_hz\":%" PRIu32 ",\"total_cycles\":%" PRIu64
            ",\"ts\":\"microseconds of simulated time: cycle * 1e6 / "
            "clock_hz\"},\n\"traceEvents\":[",
            o->s->opt.clock_hz, o->end_cycle);
    process_tracks(&t);
    /* Walk the windows: user time between an rti into user mode and the
     * next trap, kernel time between a trap out of user mode (or reset)
     * and the rti back. */
    uint64_t kstart = 0, ustart = 0;
    const struct obs_event *opener = NULL; /* the trap, NULL for the boot */
    static const struct obs_event boot_ev = {.kind = OBS_TTR};
    uint32_t upid = 0; /* in user mode: who */
    bool in_user = false;
    uint64_t idle0 = 0;
    int last_runnable = -1;
    for (size_t i = 0; i < o->nev; i++) {
        const struct obs_event *e = &o->ev[i];
        const struct obs_snap *sn = observe_snap(o, e);
        int r = (int)runnable(sn);
        if (e->snap != OBS_NO_SNAP && r != last_runnable) {
            begin(&t, "C", 0, 0, "runnable processes");
            ts(&t, "ts", e->cycle);
            fprintf(f, ",\"args\":{\"runnable\":%d}}", r);
            last_runnable = r;
        }
        if (e->kind == OBS_TRAP) {
            trap_instant(&t, e);
            if (e->mode != MODE_USER)
                continue;
            if (in_user)
                slice(&t, upid, upid, "user", "user", ustart, e->cycle),
                    end_args(&t);
            in_user = false;
            kstart = e->cycle;
            opener = e;
            idle0 = e->idle;
            continue;
        }
        if (!((e->kind == OBS_RTI && e->mode == MODE_USER) ||
              e->kind == OBS_END))
            continue;
        if (in_user) { /* the run ended in user mode */
            slice(&t, upid, upid, "user", "user", ustart, e->cycle);
            end_args(&t);
            break;
        }
        const struct obs_event *op = opener ? opener : &boot_ev;
        uint64_t kend = e->kind == OBS_RTI ? e->cycle + e->hw : e->cycle;
        uint64_t idle = e->idle - idle0;
        if (idle > kend - kstart)
            idle = kend - kstart;
        uint64_t idle_at = e->cycle - (idle < e->cycle ? idle : e->cycle);
        char name[64];
        cause(op, name, sizeof name);
        slice(&t, 0, 0, name, "kernel", kstart, kend);
        fprintf(f, ",\"for_pid\":%" PRIu32 ",\"idle\":%" PRIu64,
                opener ? opener->pid : 0, idle);
        end_args(&t);
        if (opener != NULL && opener->pid != 0) {
            char kname[80];
            snprintf(kname, sizeof kname, "kernel: %s", name);
            slice(&t, opener->pid, opener->pid, kname, "kernel", kstart, kend);
            end_args(&t);
        }
        if (idle > 0) {
            slice(&t, 0, 1, "idle", "idle", idle_at, idle_at + idle);
            end_args(&t);
        }
        if (e->kind == OBS_END)
            break;
        if (opener == NULL || e->pid != opener->pid) {
            char sw[64];
            snprintf(sw, sizeof sw, "switch to pid %" PRIu32, e->pid);
            instant(&t, 0, 0, sw, "switch", e->cycle + e->hw);
            if (opener != NULL)
                fprintf(f, ",\"from_pid\":%" PRIu32, opener->pid);
            fprintf(f, ",\"to_pid\":%" PRIu32, e->pid);
            end_args(&t);
        }
        if (opener != NULL && opener->vector == VEC_SYSCALL &&
            e->pid == opener->pid) {
            char v[24], res[64];
            observe_format_value(e->arg[0], v, sizeof v);
            snprintf(res, sizeof res, "returns %s", v);
            instant(&t, e->pid, e->pid, res, "syscall", e->cycle + e->hw);
            end_args(&t);
        }
        in_user = true;
        upid = e->pid;
        ustart = e->cycle + e->hw;
    }
    fputs("\n]}\n", f);
    return ferror(f) ? -1 : 0;
}
