/*
 * observe_table.c: `--lde-table`: OSTEP's Figures 6.2 and 6.3, the limited
 * direct execution protocol, drawn from the run (docs/observe.md).
 *
 * Three columns as in the book, OS (kernel mode), Hardware and Program
 * (user mode), one row per step, with the cycle at which it happened. The
 * machine stamps what it does itself: trap entry, return-from-trap, the
 * kernel's writes to TTR and to the timer at boot (the boot is stepped),
 * and the kernel stamps process creation and exit in its records. The
 * steps in between, inside the kernel (handling the trap, switch()), have
 * no hook of their own: they are shown, unstamped, between the two stamps
 * that bound them.
 *
 * The rows come in groups: the boot up to the first return-from-trap, then
 * one group per trap out of user mode up to the return into user mode.
 * --window counts and filters groups.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kstate.h"
#include "observe.h"
#include "session.h"

enum col { COL_OS, COL_HW, COL_PROG, COL_SECTION };

struct row {
    uint64_t cycle;
    bool stamped;
    enum col col;
    char text[192];
};

struct rows {
    struct row *r;
    size_t n, cap;
};

static void add(struct rows *rs, enum col col, bool stamped, uint64_t cycle,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add(struct rows *rs, enum col col, bool stamped, uint64_t cycle,
                const char *fmt, ...)
{
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 256;
        struct row *nr = realloc(rs->r, cap * sizeof *nr);
        if (nr == NULL)
            return;
        rs->r = nr;
        rs->cap = cap;
    }
    struct row *r = &rs->r[rs->n++];
    r->cycle = cycle;
    r->stamped = stamped;
    r->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->text, sizeof r->text, fmt, ap);
    va_end(ap);
}

/* ---- Building the rows -------------------------------------------------- */

struct builder {
    const struct observer *o;
    struct rows rows;
    bool *created_shown; /* per record of o->procs */
    bool *ended_shown;
    bool end_shown;
};

/* "1 (compute)" */
static const char *who(const struct observer *o, uint32_t pid, char *buf,
                       size_t len)
{
    char name[LDE_NAME_MAX + 8];
    observe_proc_name(o, pid, name, sizeof name);
    snprintf(buf, len, "%" PRIu32 " (%s)", pid, name);
    return buf;
}

/* Rows the kernel stamped in its records (creation, end) at cycles in
 * [from, to), in order. */
static void kernel_stamps(struct builder *b, uint64_t from, uint64_t to)
{
    const struct observer *o = b->o;
    for (;;) {
        /* The earliest stamp not shown yet. */
        int best = -1;
        bool best_end = false;
        uint64_t at = UINT64_MAX;
        for (unsigned i = 0; i < o->nprocs; i++) {
            const struct lde_procinfo *p = &o->procs[i];
            if (!b->created_shown[i] && p->created >= from && p->created < to &&
                p->created < at) {
                best = (int)i;
                best_end = false;
                at = p->created;
            }
            if (!b->ended_shown[i] && p->ended != 0 && p->ended >= from &&
                p->ended < to && p->ended < at) {
                best = (int)i;
                best_end = true;
                at = p->ended;
            }
        }
        if (best < 0)
            return;
        const struct lde_procinfo *p = &o->procs[best];
        char w[48];
        who(o, p->pid, w, sizeof w);
        if (!best_end) {
            b->created_shown[best] = true;
            add(&b->rows, COL_OS, true, at,
                "create entry for process list: pid %s", w);
            add(&b->rows, COL_OS, false, at,
                "allocate memory for program; load program into memory");
            add(&b->rows, COL_OS, false, at,
                "set up user stack with argv; fill kernel stack with "
                "reg/PC");
            continue;
        }
        b->ended_shown[best] = true;
        char how[128];
        kstate_describe(p, how, sizeof how);
        if (strncmp(how, "killed", 6) == 0)
            add(&b->rows, COL_OS, true, at, "pid %s %s", w, how);
        else
            add(&b->rows, COL_OS, true, at, "pid %s ends (%s)", w, how);
        add(&b->rows, COL_OS, false, at,
            "free memory of process; remove from process list");
    }
}

static void boot_rows(struct builder *b, const struct obs_event *e)
{
    const struct observer *o = b->o;
    if (e->kind == OBS_TTR) {
        uint32_t sys = 0, timer = 0;
        cpu_read_phys(o->s->cpu, e->tval + 4 * VEC_SYSCALL, &sys, 4);
        cpu_read_phys(o->s->cpu, e->tval + 4 * VEC_TIMER, &timer, 4);
        char a[160], t[160];
        observe_format_pc(o, MODE_KERNEL, 0, sys, a, sizeof a);
        observe_format_pc(o, MODE_KERNEL, 0, timer, t, sizeof t);
        add(&b->rows, COL_OS, true, e->cycle,
            "initialize trap table at 0x%08" PRIx32, e->tval);
        add(&b->rows, COL_HW, false, e->cycle,
            "remember address of syscall handler %s", a);
        add(&b->rows, COL_HW, false, e->cycle,
            "remember address of timer handler %s", t);
    } else if (e->kind == OBS_TIMER) {
        double ms = 1e3 * e->tval / o->s->opt.clock_hz;
        add(&b->rows, COL_OS, true, e->cycle, "start interrupt timer");
        add(&b->rows, COL_HW, false, e->cycle,
            "start timer: interrupt CPU every %" PRIu32 " cycles (%g ms)",
            e->tval, ms);
    }
}

/* The trap that opens a group: the program's side and the hardware's. */
static void trap_rows(struct builder *b, const struct obs_event *t)
{
    const struct observer *o = b->o;
    char w[48], where[160], h[160], call[256];
    who(o, t->pid, w, sizeof w);
    observe_format_pc(o, MODE_USER, t->pid, t->pc, where, sizeof where);
    observe_format_pc(o, MODE_KERNEL, 0, t->handler, h, sizeof h);
    if (t->vector == VEC_SYSCALL) {
        observe_syscall_call(t, call, sizeof call);
        add(&b->rows, COL_PROG, true, t->cycle, "pid %s: call %s", w, call);
        add(&b->rows, COL_PROG, false, t->cycle, "trap into OS: ecall at %s",
            where);
    } else if (t->vector == VEC_TIMER || t->vector == VEC_CONSOLE) {
        add(&b->rows, COL_HW, true, t->cycle, "%s in pid %s, before %s",
            cpu_vector_name(t->vector), w, where);
    } else {
        add(&b->rows, COL_HW, true, t->cycle,
            "%s in pid %s at %s, tval 0x%" PRIx32, cpu_vector_name(t->vector),
            w, where, t->tval);
    }
    add(&b->rows, COL_HW, false, t->cycle,
        "save regs(%" PRIu32 ") to k-stack(%" PRIu32 ") at 0x%08" PRIx32,
        t->pid, t->pid, t->frame);
    add(&b->rows, COL_HW, false, t->cycle, "move to kernel mode");
    add(&b->rows, COL_HW, true, t->cycle + t->hw, "jump to trap handler %s", h);
    if (t->vector == VEC_SYSCALL)
        add(&b->rows, COL_OS, false, t->cycle + t->hw,
            "handle trap: do work of syscall %s", call);
    else if (t->vector == VEC_TIMER || t->vector == VEC_CONSOLE)
        add(&b->rows, COL_OS, false, t->cycle + t->hw, "handle the trap: %s",
            cpu_vector_name(t->vector));
    else
        add(&b->rows, COL_OS, false, t->cycle + t->hw,
            "handle the trap: %s: kill the process",
            cpu_vector_name(t->vector));
}

/* The return-from-trap that closes a group (into `r->pid`). */
static void rti_rows(struct builder *b, const struct obs_event *t,
                     const struct obs_event *r, bool first)
{
    const struct observer *o = b->o;
    char w[48], where[160];
    who(o, r->pid, w, sizeof w);
    observe_format_pc(o, MODE_USER, r->pid, r->pc, where, sizeof where);
    bool back = t != NULL && t->pid == r->pid;
    if (!back && !first) {
        add(&b->rows, COL_OS, false, r->cycle,
            "call switch(): save regs(%" PRIu32 ") to proc-struct(%" PRIu32 ")",
            t ? t->pid : 0, t ? t->pid : 0);
        add(&b->rows, COL_OS, false, r->cycle,
            "restore regs(%" PRIu32 ") from proc-struct(%" PRIu32 ")", r->pid,
            r->pid);
        add(&b->rows, COL_OS, false, r->cycle, "switch to k-stack(%" PRIu32 ")",
            r->pid);
    }
    add(&b->rows, COL_OS, true, r->cycle, "return-from-trap into pid %s", w);
    add(&b->rows, COL_HW, false, r->cycle,
        "restore regs(%" PRIu32 ") from k-stack(%" PRIu32 ") at 0x%08" PRIx32,
        r->pid, r->pid, r->frame);
    add(&b->rows, COL_HW, false, r->cycle, "move to user mode");
    uint64_t at = r->cycle + r->hw;
    if (back) {
        add(&b->rows, COL_HW, true, at, "jump to PC after trap %s", where);
    } else {
        add(&b->rows, COL_HW, true, at, "jump to %s", where);
    }
    /* What the program sees. */
    if (back && t->vector == VEC_SYSCALL) {
        char name[48], v[24];
        observe_syscall_name(t->sysno, name, sizeof name);
        observe_format_value(r->arg[0], v, sizeof v);
        add(&b->rows, COL_PROG, false, at, "pid %s: %s returns %s", w, name, v);
    } else if (first || session_pid_acct(o->s, r->pid).first_user == at) {
        add(&b->rows, COL_PROG, false, at, "pid %s: starts at its entry", w);
    } else {
        add(&b->rows, COL_PROG, false, at, "pid %s: runs", w);
    }
}

static void end_rows(struct builder *b, const struct obs_event *e)
{
    const struct cpu *cpu = b->o->s->cpu;
    if (cpu->halted && cpu->halt_kind == STOP_HALT)
        add(&b->rows, COL_OS, true, e->cycle,
            "no process left to run: halt (exit status %d)", cpu->exit_status);
    else if (cpu->halted)
        add(&b->rows, COL_OS, true, e->cycle, "the machine stops: %s",
            cpu->halt_reason[0] ? cpu->halt_reason
                                : cpu_stop_name(cpu->halt_kind));
    else
        add(&b->rows, COL_SECTION, true, e->cycle,
            "the run stops here, at cycle %" PRIu64, e->cycle);
}

/* The window's filters on a group: its start, the pids in it, the count. */
static bool wanted(const struct observer *o, uint64_t start, uint32_t a,
                   uint32_t c, uint64_t groups)
{
    const struct obs_window *w = &o->opt.window;
    return window_has_cycle(w, start) &&
           (w->pid == 0 || w->pid == a || w->pid == c) &&
           (w->first == 0 || groups < w->first);
}

static void build(struct builder *b)
{
    const struct observer *o = b->o;
    uint64_t groups = 0;
    size_t i = 0;
    /* The boot: everything up to the first rti into user mode. */
    size_t first_rti = 0;
    while (first_rti < o->nev && !(o->ev[first_rti].kind == OBS_RTI &&
                                   o->ev[first_rti].mode == MODE_USER))
        first_rti++;
    uint32_t first_pid = first_rti < o->nev ? o->ev[first_rti].pid : 0;
    if (wanted(o, 0, first_pid, first_pid, groups)) {
        groups++;
        add(&b->rows, COL_SECTION, false, 0, "OS @ boot (kernel mode)");
        for (i = 0; i < first_rti; i++) {
            kernel_stamps(b, 0, o->ev[i].cycle);
            boot_rows(b, &o->ev[i]);
        }
        if (first_rti < o->nev) {
            kernel_stamps(b, 0, o->ev[first_rti].cycle);
            add(&b->rows, COL_SECTION, false, 0, "OS @ run (kernel mode)");
            rti_rows(b, NULL, &o->ev[first_rti], true);
        } else {
            kernel_stamps(b, 0, o->end_cycle + 1);
        }
    }
    /* Then a group per trap out of user mode. */
    for (i = first_rti + 1; i < o->nev; i++) {
        const struct obs_event *t = &o->ev[i];
        if (!(t->kind == OBS_TRAP && t->mode == MODE_USER))
            continue;
        size_t j = i + 1;
        while (j < o->nev &&
               !(o->ev[j].kind == OBS_RTI && o->ev[j].mode == MODE_USER) &&
               o->ev[j].kind != OBS_END)
            j++;
        const struct obs_event *r = j < o->nev ? &o->ev[j] : NULL;
        uint32_t to = r && r->kind == OBS_RTI ? r->pid : t->pid;
        if (!wanted(o, t->cycle, t->pid, to, groups))
            continue;
        if (groups == 0 || b->rows.n == 0)
            add(&b->rows, COL_SECTION, false, t->cycle,
                "OS @ run (kernel mode)");
        groups++;
        trap_rows(b, t);
        uint64_t end = r ? r->cycle : o->end_cycle + 1;
        uint64_t idle = (r ? r->idle : o->s->cpu->idle_cycles) - t->idle;
        kernel_stamps(b, t->cycle, end);
        if (idle > 0)
            add(&b->rows, COL_OS, false, t->cycle,
                "no process can run: wait for an interrupt (idle %" PRIu64
                " cycles)",
                idle);
        if (r != NULL && r->kind == OBS_RTI)
            rti_rows(b, t, r, false);
        else if (r != NULL && r->kind == OBS_END)
            end_rows(b, r);
        if (r != NULL && r->kind == OBS_END)
            b->end_shown = true;
    }
    const struct obs_event *last = o->nev ? &o->ev[o->nev - 1] : NULL;
    if (last != NULL && last->kind == OBS_END && !b->end_shown &&
        wanted(o, last->cycle, 0, 0, groups))
        end_rows(b, last);
}

/* ---- Text and Markdown --------------------------------------------------- */

#define W_CYCLE 9
#define W_COL 36

static const char *const headers[3] = {
    "OS @ run (kernel mode)",
    "Hardware",
    "Program (user mode)",
};

/* The longest prefix of s that fits in width, cut at a space if it can
 * be. */
static size_t fit(const char *s, size_t width)
{
    size_t n = strlen(s);
    if (n <= width)
        return n;
    size_t cut = width;
    while (cut > 0 && s[cut] != ' ')
        cut--;
    return cut > width / 3 ? cut : width;
}

static void text_row(FILE *f, const char *cycle, int col, const char *text)
{
    const char *s = text;
    bool first = true;
    do {
        size_t n = fit(s, W_COL);
        char cell[3][W_COL + 1] = {"", "", ""};
        memcpy(cell[col], s, n);
        cell[col][n] = '\0';
        s += n;
        while (*s == ' ')
            s++;
        char line[W_CYCLE + 3 * (W_COL + 3) + 2];
        snprintf(line, sizeof line, "%*s | %-*s | %-*s | %s", W_CYCLE,
                 first ? cycle : "", W_COL, cell[0], W_COL, cell[1], cell[2]);
        size_t len = strlen(line);
        while (len > 0 && line[len - 1] == ' ')
            line[--len] = '\0';
        fprintf(f, "%s\n", line);
        first = false;
    } while (*s != '\0');
}

static void print_text(FILE *f, const struct rows *rs)
{
    char rule[W_COL + 1];
    memset(rule, '-', W_COL);
    rule[W_COL] = '\0';
    fprintf(f, "%*s | %-*s | %-*s | %s\n", W_CYCLE, "cycle", W_COL, headers[0],
            W_COL, headers[1], headers[2]);
    fprintf(f, "%.*s-+-%s-+-%s-+-%.24s\n", W_CYCLE, rule, rule, rule, rule);
    for (size_t i = 0; i < rs->n; i++) {
        const struct row *r = &rs->r[i];
        char cycle[24] = "";
        if (r->stamped)
            snprintf(cycle, sizeof cycle, "%" PRIu64, r->cycle);
        if (r->col == COL_SECTION) {
            fprintf(f, "%*s | == %s ==\n", W_CYCLE, "", r->text);
            continue;
        }
        text_row(f, cycle, (int)r->col, r->text);
    }
}

/* A cell's text for Markdown: | would end the cell and <main> would be
 * taken for HTML. */
static void md_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else
            fputc(*s, f);
    }
}

static void print_md(FILE *f, const struct rows *rs)
{
    fprintf(f, "| cycle | %s | %s | %s |\n|---:|---|---|---|\n", headers[0],
            headers[1], headers[2]);
    for (size_t i = 0; i < rs->n; i++) {
        const struct row *r = &rs->r[i];
        if (r->col == COL_SECTION) {
            fprintf(f, "| | **%s** | | |\n", r->text);
            continue;
        }
        fputs("| ", f);
        if (r->stamped)
            fprintf(f, "%" PRIu64, r->cycle);
        for (int c = 0; c < 3; c++) {
            fputs(" | ", f);
            if (c == (int)r->col)
                md_text(f, r->text);
        }
        fputs(" |\n", f);
    }
}

void observe_lde_table(FILE *f, const struct observer *o)
{
    struct builder b = {.o = o};
    b.created_shown = calloc(o->nprocs + 1, sizeof *b.created_shown);
    b.ended_shown = calloc(o->nprocs + 1, sizeof *b.ended_shown);
    if (b.created_shown == NULL || b.ended_shown == NULL) {
        free(b.created_shown);
        free(b.ended_shown);
        return;
    }
    build(&b);
    fprintf(f,
            "---- lde table: limited direct execution (OSTEP Figures 6.2, "
            "6.3), cycles at %.3f MHz ----\n",
            o->s->opt.clock_hz / 1e6);
    if (o->opt.lde_table == OBS_TABLE_MD)
        print_md(f, &b.rows);
    else
        print_text(f, &b.rows);
    if (b.rows.n == 0)
        fprintf(f, "(nothing in the window)\n");
    if (o->truncated)
        fprintf(f, "(the log kept only the first %u events)\n", OBS_MAX_EVENTS);
    free(b.rows.r);
    free(b.created_shown);
    free(b.ended_shown);
}
