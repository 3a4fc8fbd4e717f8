/*
 * observe.c: the recorder (see observe.h): events from the trap and rti
 * hooks, the kernel's process states at each, and the phase costs.
 */
#include "observe.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "hostcon.h"
#include "insn_trace.h"
#include "kstate.h"
#include "loader_error.h"
#include "session.h"
#include "trace.h"

/* ---- Options ----------------------------------------------------------- */

void observe_defaults(struct observe_options *o)
{
    *o = (struct observe_options){0};
    window_all(&o->window);
}

int observe_parse_trace(const char *list, unsigned *bits, char *err,
                        size_t errlen)
{
    static const struct {
        const char *word;
        unsigned bit;
    } cats[] = {
#define OBS_TRACE_ROW(flag, word, help) {#word, flag},
        OBS_TRACE_CATS(OBS_TRACE_ROW)
#undef OBS_TRACE_ROW
    };
    unsigned out = 0;
    const char *p = list;
    while (*p != '\0') {
        size_t n = strcspn(p, ",");
        bool found = false;
        if (n == 3 && strncmp(p, "all", 3) == 0) {
            out |= ~0u >> (32 - sizeof cats / sizeof cats[0]);
            found = true;
        }
        for (size_t i = 0; !found && i < sizeof cats / sizeof cats[0]; i++)
            if (strlen(cats[i].word) == n && strncmp(p, cats[i].word, n) == 0) {
                out |= cats[i].bit;
                found = true;
            }
        if (!found) {
            snprintf(err, errlen,
                     "--trace: '%.*s': unknown category (traps, syscalls, "
                     "switches, insn, all)",
                     (int)n, p);
            return -1;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    if (out == 0) {
        snprintf(err, errlen, "--trace: no category given");
        return -1;
    }
    *bits |= out;
    return 0;
}

int observe_parse_trace_format(const char *s, enum obs_trace_format *f,
                               char *err, size_t errlen)
{
    if (strcmp(s, "lde") == 0)
        *f = OBS_FORMAT_LDE;
    else if (strcmp(s, "spike") == 0)
        *f = OBS_FORMAT_SPIKE;
    else {
        snprintf(err, errlen, "--trace-format: '%s': expected lde or spike", s);
        return -1;
    }
    return 0;
}

int observe_parse_table(const char *s, enum obs_table_format *f, char *err,
                        size_t errlen)
{
    if (s == NULL || strcmp(s, "text") == 0)
        *f = OBS_TABLE_TEXT;
    else if (strcmp(s, "md") == 0 || strcmp(s, "markdown") == 0)
        *f = OBS_TABLE_MD;
    else {
        snprintf(err, errlen, "--lde-table: '%s': expected text or md", s);
        return -1;
    }
    return 0;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n > m && strcmp(s + n - m, tail) == 0;
}

int observe_check_timeline(const char *file, char *err, size_t errlen)
{
    if (ends_with(file, ".json") || ends_with(file, ".svg") ||
        ends_with(file, ".html"))
        return 0;
    snprintf(err, errlen,
             "--timeline: '%s': the name must end in .json (Chrome trace), "
             ".svg or .html (picture)",
             file);
    return -1;
}

const char *observe_option_used(const struct observe_options *o)
{
    if (o->trace)
        return "--trace";
    if (o->lde_table != OBS_TABLE_OFF)
        return "--lde-table";
    if (o->states)
        return "--states";
    if (o->timeline)
        return "--timeline";
    if (o->json)
        return "--json";
    if (o->window.given)
        return "--window";
    return NULL;
}

const char *observe_phase_word(unsigned ph)
{
    static const char *const words[] = {
#define OBS_PHASE_WORD(p, word, what) #word,
        OBS_PHASES(OBS_PHASE_WORD)
#undef OBS_PHASE_WORD
    };
    return ph < OBS_NPHASES ? words[ph] : "?";
}

const char *observe_phase_what(unsigned ph)
{
    static const char *const whats[] = {
#define OBS_PHASE_WHAT(p, word, what) what,
        OBS_PHASES(OBS_PHASE_WHAT)
#undef OBS_PHASE_WHAT
    };
    return ph < OBS_NPHASES ? whats[ph] : "?";
}

/* ---- Set up and tear down --------------------------------------------- */

static FILE *open_out(const char *path, const char *opt, char *err,
                      size_t errlen)
{
    if (strcmp(path, "-") == 0)
        return stdout;
    FILE *f = fopen(path, "w");
    if (f == NULL)
        snprintf(err, errlen, "%s: %s: cannot write: %s", opt, path,
                 strerror(errno));
    return f;
}

int observe_open(struct observer *o, struct session *s,
                 const struct observe_options *opt, struct hostcon *hc,
                 char *err, size_t errlen)
{
    *o = (struct observer){.s = s, .opt = *opt, .hc = hc};
    o->log =
        opt->lde_table != OBS_TABLE_OFF || opt->states || opt->timeline != NULL;
    o->states = o->log || opt->json != NULL;
    o->by_syscall = calloc(SESSION_NSYSCALL_SLOTS, sizeof *o->by_syscall);
    o->procs = calloc(LDE_PROCS_MAX, sizeof *o->procs);
    o->out = malloc(sizeof *o->out);
    if (o->by_syscall == NULL || o->procs == NULL || o->out == NULL)
        goto nomem;
    obuf_init(o->out, stderr);
    if (opt->trace & OBS_TRACE_INSN) {
        o->insn = insn_trace_new(o);
        if (o->insn == NULL)
            goto nomem;
    }
    struct kstate_loc loc;
    char why[160];
    if (o->states && kstate_locate_procinfo(s, &loc, why, sizeof why) == 0) {
        o->have_procinfo = true;
        o->procinfo_pa = loc.table_pa;
        o->nprocinfo_pa = loc.count_pa;
    }
    if (opt->timeline != NULL) {
        o->timeline_f = open_out(opt->timeline, "--timeline", err, errlen);
        if (o->timeline_f == NULL)
            goto fail;
    }
    if (opt->json != NULL) {
        o->json_f = open_out(opt->json, "--json", err, errlen);
        if (o->json_f == NULL)
            goto fail;
    }
    return 0;
nomem:
    snprintf(err, errlen, "out of memory");
fail:
    observe_close(o);
    return SESSION_EXIT_FILE;
}

void observe_close(struct observer *o)
{
    if (o->out != NULL)
        obuf_flush(o->out);
    if (o->timeline_f != NULL && o->timeline_f != stdout)
        fclose(o->timeline_f);
    if (o->json_f != NULL && o->json_f != stdout)
        fclose(o->json_f);
    insn_trace_free(o->insn);
    free(o->ev);
    free(o->snap);
    free(o->by_syscall);
    free(o->procs);
    free(o->out);
    *o = (struct observer){0};
}

/* ---- States ------------------------------------------------------------ */

/* Read the kernel's table: the states after this event. (How long each
 * process waited and was blocked is the session's accounting, exact to
 * the cycle: observe_wait, observe_blocked.) */
static void read_states(struct observer *o)
{
    if (o->have_procinfo) {
        static struct lde_procinfo recs[LDE_PROCS_MAX];
        unsigned n;
        struct kstate_loc loc = {o->procinfo_pa, o->nprocinfo_pa};
        if (kstate_procinfo_at(o->s, &loc, recs, LDE_PROCS_MAX, &n) != 0)
            n = 0;
        for (unsigned i = 0; i < n; i++) {
            uint32_t pid = recs[i].pid;
            if (pid == 0 || pid >= OBS_PIDS)
                continue;
            /* Ended is ended: waited for (PS_REAPED) or not yet. */
            uint32_t rs =
                recs[i].state == PS_REAPED ? PS_ZOMBIE : recs[i].state;
            uint8_t st = (uint8_t)(rs <= PS_ZOMBIE ? rs : PS_UNUSED);
            if (st == PS_BLOCKED && o->now.state[pid] != PS_BLOCKED)
                o->now.why[pid] = o->last_sys[pid];
            else if (st != PS_BLOCKED)
                o->now.why[pid] = 0;
            o->now.state[pid] = st;
            if (pid > o->maxpid)
                o->maxpid = pid;
        }
    }
}

static void *grow(void *p, size_t *cap, size_t size)
{
    size_t ncap = *cap ? *cap * 2 : 1024;
    void *np = realloc(p, ncap * size);
    if (np != NULL)
        *cap = ncap;
    return np;
}

/* The snapshot for the event: the last one if nothing changed. */
static uint32_t keep_snap(struct observer *o)
{
    if (o->nsnap > 0 &&
        memcmp(&o->snap[o->nsnap - 1], &o->now, sizeof o->now) == 0)
        return (uint32_t)(o->nsnap - 1);
    if (o->nsnap == o->snap_cap) {
        void *np = grow(o->snap, &o->snap_cap, sizeof *o->snap);
        if (np == NULL)
            return OBS_NO_SNAP;
        o->snap = np;
    }
    o->snap[o->nsnap] = o->now;
    return (uint32_t)o->nsnap++;
}

/* Keep e in the log: always for a timeline, else while it may still fall
 * in the window of the table or the states. */
static void keep_event(struct observer *o, struct obs_event *e)
{
    if (!o->log)
        return;
    if (o->opt.timeline == NULL && e->cycle >= o->opt.window.to)
        return;
    if (o->nev == OBS_MAX_EVENTS) {
        o->truncated = true;
        return;
    }
    if (o->nev == o->cap) {
        void *np = grow(o->ev, &o->cap, sizeof *o->ev);
        if (np == NULL) {
            o->truncated = true;
            return;
        }
        o->ev = np;
    }
    e->snap = o->states ? keep_snap(o) : OBS_NO_SNAP;
    o->ev[o->nev++] = *e;
}

static void record(struct observer *o, struct obs_event *e)
{
    if (o->states)
        read_states(o);
    keep_event(o, e);
}

/* ---- Phases ------------------------------------------------------------ */

static bool is_exit(uint32_t nr)
{
    return nr == SYS_exit || nr == SYS_exit_group;
}

static bool is_interrupt(uint32_t vector)
{
    return vector == VEC_TIMER || vector == VEC_CONSOLE;
}

/* A kernel window closes with an rti into user mode: what it was. */
static void close_window(struct observer *o, const struct obs_event *rti)
{
    const struct obs_event *t = &o->open;
    bool back = rti->pid == t->pid;
    unsigned ph;
    if (t->vector == VEC_SYSCALL)
        ph = back                ? PH_SYSCALL
             : is_exit(t->sysno) ? PH_EXIT
                                 : PH_SWITCH_SYSCALL;
    else if (is_interrupt(t->vector))
        ph = back ? PH_INTERRUPT : PH_SWITCH_INTERRUPT;
    else
        ph = back ? PH_FAULT : PH_KILL;
    uint64_t idle = rti->idle - t->idle;
    uint64_t span = rti->cycle - (t->cycle + t->hw);
    struct obs_cost c = {1, t->hw, span - idle, idle, rti->hw};
    struct obs_cost *sums[2] = {&o->phase[ph], NULL};
    if (ph == PH_SYSCALL)
        sums[1] = &o->by_syscall[session_syscall_slot(t->sysno)];
    for (int i = 0; i < 2 && sums[i] != NULL; i++) {
        sums[i]->count += c.count;
        sums[i]->trap += c.trap;
        sums[i]->kernel += c.kernel;
        sums[i]->idle += c.idle;
        sums[i]->rti += c.rti;
    }
}

/* ---- The hooks ---------------------------------------------------------- */

static void fill(struct observer *o, struct obs_event *e, unsigned kind,
                 uint32_t hw)
{
    const struct cpu *cpu = o->s->cpu;
    *e = (struct obs_event){
        .cycle = cpu->cycle - hw,
        .idle = cpu->idle_cycles,
        .instret = cpu->instret,
        .snap = OBS_NO_SNAP,
        .pid = session_current_pid(o->s),
        .hw = (uint16_t)(hw > UINT16_MAX ? UINT16_MAX : hw),
        .kind = (uint8_t)kind,
    };
}

void observe_trap(struct observer *o, const struct cpu_trap_info *t)
{
    const struct cpu *cpu = o->s->cpu;
    struct obs_event e;
    fill(o, &e, OBS_TRAP, cpu->trap_cost);
    e.mode = (uint8_t)t->from_mode;
    e.vector = (uint8_t)t->vector;
    /* A system call saves the pc after the ecall; the ecall is the event. */
    e.pc = t->vector == VEC_SYSCALL ? t->epc - 4 : t->epc;
    e.tval = t->tval;
    e.frame = t->frame;
    e.handler = t->handler;
    if (t->vector == VEC_SYSCALL) {
        e.sysno = cpu->x[17]; /* trap entry changes only sp and pc */
        for (int i = 0; i < 6; i++)
            e.arg[i] = cpu->x[10 + i];
        if (e.pid < OBS_PIDS)
            o->last_sys[e.pid] = (uint8_t)(session_syscall_slot(e.sysno) + 1);
    }
    if (t->from_mode == MODE_USER) {
        o->open = e;
        o->window_open = true;
    }
    record(o, &e);
    trace_event(o, &e);
    if (o->insn != NULL)
        insn_trace_sync(o->insn);
}

void observe_rti(struct observer *o, uint32_t rti_pc)
{
    const struct cpu *cpu = o->s->cpu;
    if (o->insn != NULL)
        insn_trace_rti(o->insn, rti_pc);
    struct obs_event e;
    fill(o, &e, OBS_RTI, cpu->rti_cost);
    e.mode = (uint8_t)cpu->mode;
    e.pc = cpu->pc;
    e.arg[0] = cpu->x[10];
    e.frame = (cpu->ksp - FRAME_SIZE) & ~15u;
    if (cpu->mode == MODE_USER) {
        if (o->window_open)
            close_window(o, &e);
        o->window_open = false;
    }
    record(o, &e);
    trace_event(o, &e);
    if (cpu->mode == MODE_USER)
        o->last_user_pid = e.pid;
    /* No insn_trace_sync here: rti retires, and its line (from the retire
     * hook, which runs next) needs the registers from before it. */
}

bool observe_wants_retire(const struct observer *o)
{
    return o->insn != NULL;
}

bool observe_retire(struct observer *o, uint32_t pc, uint32_t insn)
{
    if (o->insn == NULL)
        return false;
    insn_trace_retire(o->insn, pc, insn);
    return false;
}

void observe_flush(struct observer *o)
{
    if (o->out != NULL && o->out->n > 0)
        obuf_flush(o->out);
}

/* ---- Boot --------------------------------------------------------------- */

/* Boot steps beyond this many cycles are not looked at one by one: a
 * kernel that never starts a process (bare metal) runs at full speed. */
#define OBS_BOOT_STEP_LIMIT UINT64_C(5000000)

/* Did the instruction just run write TTR or start the timer? Decoded from
 * its bits and the registers before it. */
static void boot_look(struct observer *o, uint32_t word, const uint32_t *x,
                      uint64_t cycle)
{
    const struct cpu *cpu = o->s->cpu;
    struct insn in = decode(word);
    bool csr = in.op >= OP_CSRRW && in.op <= OP_CSRRCI;
    if (csr && (uint32_t)in.imm == CSR_TTR && cpu->ttr != 0 &&
        o->ttr_cycle == 0) {
        struct obs_event e;
        fill(o, &e, OBS_TTR, 0);
        e.cycle = cycle;
        e.tval = cpu->ttr;
        o->ttr_cycle = cycle;
        o->ttr = cpu->ttr;
        record(o, &e);
    }
    if (in.op == OP_SW &&
        x[in.rs1] + (uint32_t)in.imm == TIMER_BASE + TIMER_INTERVAL &&
        x[in.rs2] != 0 && o->timer_cycle == 0) {
        struct obs_event e;
        fill(o, &e, OBS_TIMER, 0);
        e.cycle = cycle;
        e.tval = x[in.rs2];
        o->timer_cycle = cycle;
        o->timer_interval = e.tval;
        record(o, &e);
    }
}

void observe_boot(struct observer *o)
{
    if (!o->log && o->opt.json == NULL)
        return;
    struct cpu *cpu = o->s->cpu;
    uint64_t max = o->s->opt.max_cycles;
    o->boot_stepped = true;
    while (cpu->mode == MODE_KERNEL && !cpu->halted &&
           cpu->cycle < OBS_BOOT_STEP_LIMIT && (max == 0 || cpu->cycle < max)) {
        uint32_t x[32], word = 0, pa;
        uint64_t cycle = cpu->cycle;
        memcpy(x, cpu->x, sizeof x);
        bool have = cpu_translate(cpu, cpu->mode, cpu->pc, 4, &pa) == 0 &&
                    cpu_read_phys(cpu, pa, &word, 4) == 0;
        uint64_t retired = cpu->instret;
        enum cpu_stop why = cpu_step(cpu);
        if (have && cpu->instret != retired)
            boot_look(o, word, x, cycle);
        if (why != STOP_BUDGET)
            break;
    }
}

/* ---- The end ------------------------------------------------------------ */

void observe_end(struct observer *o, int exit_status)
{
    if (o->ended)
        return;
    const struct cpu *cpu = o->s->cpu;
    struct obs_event e;
    fill(o, &e, OBS_END, 0);
    e.tval = (uint32_t)exit_status;
    record(o, &e);
    trace_finish(o);
    if (o->insn != NULL)
        insn_trace_finish(o->insn);
    obuf_flush(o->out);
    o->ended = true;
    o->end_cycle = cpu->cycle;
    o->exit_status = exit_status;
    if (kstate_procinfo(o->s, o->procs, LDE_PROCS_MAX, &o->nprocs, o->procs_err,
                        sizeof o->procs_err) != 0)
        o->nprocs = 0;
}

int observe_write(struct observer *o, double host_seconds)
{
    int rc = 0;
    if (o->opt.lde_table != OBS_TABLE_OFF)
        observe_lde_table(stderr, o);
    if (o->opt.states)
        observe_states_table(stderr, o);
    if (o->timeline_f != NULL) {
        const char *t = o->opt.timeline;
        int w = ends_with(t, ".json")   ? observe_chrome_trace(o->timeline_f, o)
                : ends_with(t, ".html") ? observe_svg(o->timeline_f, o, true)
                                        : observe_svg(o->timeline_f, o, false);
        if (w != 0 || fflush(o->timeline_f) != 0 || ferror(o->timeline_f)) {
            fprintf(stderr, "lde: --timeline: %s: write failed\n", t);
            rc = SESSION_EXIT_FILE;
        }
    }
    if (o->json_f != NULL) {
        if (observe_json(o->json_f, o, host_seconds) != 0 ||
            fflush(o->json_f) != 0 || ferror(o->json_f)) {
            fprintf(stderr, "lde: --json: %s: write failed\n", o->opt.json);
            rc = SESSION_EXIT_FILE;
        }
    }
    fflush(stderr);
    return rc;
}

/* ---- For the outputs ---------------------------------------------------- */

const struct obs_snap *observe_snap(const struct observer *o,
                                    const struct obs_event *e)
{
    if (e->snap != OBS_NO_SNAP && e->snap < o->nsnap)
        return &o->snap[e->snap];
    return &o->now;
}

const struct lde_procinfo *observe_proc(const struct observer *o, uint32_t pid)
{
    for (unsigned i = 0; i < o->nprocs; i++)
        if (o->procs[i].pid == pid)
            return &o->procs[i];
    return NULL;
}

void observe_proc_name(const struct observer *o, uint32_t pid, char *buf,
                       size_t len)
{
    const struct lde_procinfo *p = observe_proc(o, pid);
    if (p != NULL)
        kstate_name(p, buf, len);
    else if (pid >= 1 && pid <= o->s->nprogs)
        snprintf(buf, len, "%s", session_prog_name(o->s, pid - 1));
    else
        snprintf(buf, len, "pid %" PRIu32, pid);
}

void observe_syscall_name(uint32_t nr, char *buf, size_t len)
{
    const char *name = lde_syscall_name(nr);
    if (name != NULL)
        snprintf(buf, len, "%s", name);
    else
        snprintf(buf, len, "syscall %" PRIu32, nr);
}

/* A register as a person reads it: small or negative numbers in decimal,
 * addresses and other large values in hex. */
static int format_value(char *buf, size_t len, uint32_t v)
{
    int32_t s = (int32_t)v;
    if (s >= -4096 && s < 65536)
        return snprintf(buf, len, "%" PRId32, s);
    return snprintf(buf, len, "0x%08" PRIx32, v);
}

void observe_syscall_call(const struct obs_event *e, char *buf, size_t len)
{
    char name[48];
    observe_syscall_name(e->sysno, name, sizeof name);
    int nargs = lde_syscall_nargs(e->sysno);
    if (nargs < 0)
        nargs = 6; /* unknown to the kernel: show every argument register */
    size_t at = (size_t)snprintf(buf, len, "%s(", name);
    for (int i = 0; i < nargs && at < len; i++) {
        if (i > 0)
            at += (size_t)snprintf(buf + at, len - at, ", ");
        if (at < len)
            at += (size_t)format_value(buf + at, len - at, e->arg[i]);
    }
    if (at < len)
        snprintf(buf + at, len - at, ")");
}

void observe_format_value(uint32_t v, char *buf, size_t len)
{
    format_value(buf, len, v);
}

void observe_format_pc(const struct observer *o, uint32_t mode, uint32_t pid,
                       uint32_t pc, char *buf, size_t len)
{
    const struct session *s = o->s;
    const struct sym_table *syms = session_ksyms(s);
    /* pid N runs program N-1: the kernel gives pids in boot order. */
    if (mode == MODE_USER)
        syms = pid >= 1 ? session_psyms(s, pid - 1) : NULL;
    uint32_t off;
    char name[128];
    if (syms == NULL || sym_by_addr(syms, pc, &off) == NULL)
        snprintf(buf, len, "0x%08" PRIx32, pc);
    else
        snprintf(buf, len, "0x%08" PRIx32 " <%s>", pc,
                 sym_format(syms, pc, name, sizeof name));
}

/* Waiting is measured by the session (session.h: from each time the
 * kernel made the process RUNNABLE to its next instruction in user mode,
 * none of its own cycles counted). */
uint64_t observe_wait(const struct observer *o, uint32_t pid)
{
    const struct lde_procinfo *p = observe_proc(o, pid);
    return p != NULL ? session_wait(o->s, p, NULL) : 0;
}

/* The rest of its time, so that turnaround = run + blocked + wait:
 * BLOCKED (asleep, reading, waiting for a child), and being created or
 * ended by the kernel (loading its program; the cycles of its exit
 * after its end stamp count in its run and come off here). */
uint64_t observe_blocked(const struct observer *o, uint32_t pid)
{
    const struct lde_procinfo *p = observe_proc(o, pid);
    if (p == NULL)
        return 0;
    uint64_t end = p->ended != 0 ? p->ended : o->end_cycle;
    if (end < p->created)
        return 0;
    struct session_pid_acct a = session_pid_acct(o->s, pid);
    uint64_t busy = a.user + a.kernel + observe_wait(o, pid);
    uint64_t turn = end - p->created;
    return turn > busy ? turn - busy : 0;
}
