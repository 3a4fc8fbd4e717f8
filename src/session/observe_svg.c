/*
 * observe_svg.c: `--timeline FILE.svg` or `.html`: the run as a Gantt chart
 * over cycles, a self-contained picture that prints well (docs/observe.md,
 * "Timeline").
 *
 * One row per process (blue where it runs in user mode, orange where the
 * kernel runs for it), a row for the kernel (every kernel window, orange),
 * a row for idle time (grey; placed at the end of its kernel window, see
 * observe_timeline.c), marks under each process's row for its system calls
 * (green), interrupts (red) and faults (black), a mark on the kernel row at
 * each context switch (purple), an axis in cycles and in time at the
 * nominal clock, and a legend. Slices closer than a pixel are drawn as one,
 * and a kernel window is never thinner than a pixel, so that every trap
 * shows at any zoom. The .html file is the same picture in a page with a
 * table of the processes.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kstate.h"
#include "observe.h"
#include "session.h"

#define C_USER "#3366cc"
#define C_KERNEL "#ff9900"
#define C_IDLE "#aaaaaa"
#define C_SYSCALL "#2ca02c"
#define C_INTR "#d62728"
#define C_FAULT "#000000"
#define C_SWITCH "#9467bd"

#define LEFT 150  /* labels */
#define PLOT 1000 /* plot width in px */
#define RIGHT 30
#define TOP 56 /* title */
#define ROW_H 26
#define ROW_GAP 14 /* room for marks under a row */

/* One drawn rectangle per row and colour, merged while the next slice
 * starts within half a pixel of the last one's end. */
struct run_rect {
    double x0, x1;
    const char *color;
    bool open;
};

struct svg {
    FILE *f;
    const struct observer *o;
    uint64_t total;
    uint32_t nrows; /* processes + kernel + idle */
    uint32_t maxpid;
    struct run_rect *open; /* per row */
    double *last_mark;     /* per row: x of the last mark, to skip repeats */
};

static double xpos(const struct svg *g, uint64_t cycle)
{
    return LEFT + (double)PLOT * (double)cycle / (double)g->total;
}

static double row_y(uint32_t row)
{
    return TOP + row * (ROW_H + ROW_GAP);
}

static uint32_t row_of_pid(const struct svg *g, uint32_t pid)
{
    (void)g;
    return pid - 1;
}

static uint32_t kernel_row(const struct svg *g)
{
    return g->maxpid;
}

static void flush_rect(struct svg *g, uint32_t row)
{
    struct run_rect *r = &g->open[row];
    if (!r->open)
        return;
    fprintf(g->f,
            "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" "
            "fill=\"%s\"/>\n",
            r->x0, row_y(row), r->x1 - r->x0, ROW_H, r->color);
    r->open = false;
}

static void rect(struct svg *g, uint32_t row, uint64_t from, uint64_t to,
                 const char *color, double min_px)
{
    double x0 = xpos(g, from), x1 = xpos(g, to);
    if (x1 - x0 < min_px)
        x1 = x0 + min_px;
    struct run_rect *r = &g->open[row];
    if (r->open && r->color == color && x0 <= r->x1 + 0.5) {
        if (x1 > r->x1)
            r->x1 = x1;
        return;
    }
    flush_rect(g, row);
    *r = (struct run_rect){x0, x1, color, true};
}

/* A tick under a row at cycle c. */
static void mark(struct svg *g, uint32_t row, uint64_t c, const char *color)
{
    double x = xpos(g, c);
    if (fabs(x - g->last_mark[row]) < 1.0)
        return;
    g->last_mark[row] = x;
    double y = row_y(row) + ROW_H + 1;
    fprintf(g->f,
            "<rect x=\"%.2f\" y=\"%.1f\" width=\"2\" height=\"8\" "
            "fill=\"%s\"/>\n",
            x - 1, y, color);
}

/* Text with the characters XML reserves escaped. */
static void esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else
            fputc(*s, f);
    }
}

static void text(FILE *f, double x, double y, const char *anchor,
                 const char *style, const char *s)
{
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>", x, y,
            anchor, style);
    esc(f, s);
    fputs("</text>\n", f);
}

/* "21.76M", "500k", "1200". */
static void short_cycles(char *buf, size_t len, double v)
{
    if (v >= 1e9)
        snprintf(buf, len, "%gG", v / 1e9);
    else if (v >= 1e6)
        snprintf(buf, len, "%gM", v / 1e6);
    else if (v >= 1e3)
        snprintf(buf, len, "%gk", v / 1e3);
    else
        snprintf(buf, len, "%g", v);
}

static void short_time(char *buf, size_t len, double s)
{
    if (s == 0)
        snprintf(buf, len, "0");
    else if (s >= 1)
        snprintf(buf, len, "%g s", s);
    else if (s >= 1e-3)
        snprintf(buf, len, "%g ms", s * 1e3);
    else if (s >= 1e-6)
        snprintf(buf, len, "%g us", s * 1e6);
    else
        snprintf(buf, len, "%g ns", s * 1e9);
}

static void axis(struct svg *g, double y)
{
    FILE *f = g->f;
    /* A step of 1, 2 or 5 times a power of ten: 5 to 10 ticks. */
    double raw = (double)g->total / 8, p = pow(10, floor(log10(raw)));
    double step = raw / p < 2 ? p : raw / p < 5 ? 2 * p : 5 * p;
    if (step < 1)
        step = 1;
    double bottom = y;
    fprintf(f,
            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
            "stroke=\"#333333\"/>\n",
            LEFT, bottom, LEFT + PLOT, bottom);
    /* A whole number of steps: a double counter would gather rounding. */
    for (unsigned k = 0; k * step <= (double)g->total; k++) {
        double c = k * step;
        double x = xpos(g, (uint64_t)c);
        char a[32], t[32];
        short_cycles(a, sizeof a, c);
        short_time(t, sizeof t, c / g->o->s->opt.clock_hz);
        fprintf(f,
                "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%.1f\" "
                "stroke=\"#dddddd\"/>\n",
                x, TOP - 4, x, bottom + 4);
        text(f, x, bottom + 18, "middle", "", a);
        text(f, x, bottom + 34, "middle", " fill=\"#555555\"", t);
    }
    text(f, LEFT - 20, bottom + 18, "end", "", "cycles");
    text(f, LEFT - 20, bottom + 34, "end", " fill=\"#555555\"", "time");
}

static void legend(FILE *f, double y)
{
    static const struct {
        const char *color, *label;
        bool tick;
    } items[] = {
        {C_USER, "user mode", false},       {C_KERNEL, "kernel", false},
        {C_IDLE, "idle (wfi)", false},      {C_SYSCALL, "system call", true},
        {C_INTR, "interrupt", true},        {C_FAULT, "fault", true},
        {C_SWITCH, "context switch", true},
    };
    double x = LEFT;
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        if (items[i].tick)
            fprintf(f,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"4\" height=\"14\" "
                    "fill=\"%s\"/>\n",
                    x + 5, y - 12, items[i].color);
        else
            fprintf(f,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" "
                    "fill=\"%s\"/>\n",
                    x, y - 12, items[i].color);
        text(f, x + 20, y, "start", "", items[i].label);
        x += 24 + 8.0 * (double)strlen(items[i].label);
    }
}

static const char *mark_color(const struct obs_event *e)
{
    if (e->vector == VEC_SYSCALL)
        return C_SYSCALL;
    if (e->vector == VEC_TIMER || e->vector == VEC_CONSOLE)
        return C_INTR;
    return C_FAULT;
}

static void chart(struct svg *g)
{
    const struct observer *o = g->o;
    uint64_t kstart = 0, ustart = 0, idle0 = 0;
    const struct obs_event *opener = NULL;
    bool in_user = false;
    uint32_t upid = 0;
    for (size_t i = 0; i < o->nev; i++) {
        const struct obs_event *e = &o->ev[i];
        if (e->kind == OBS_TRAP) {
            if (e->mode != MODE_USER)
                continue;
            if (e->pid >= 1 && e->pid <= g->maxpid)
                mark(g, row_of_pid(g, e->pid), e->cycle, mark_color(e));
            if (in_user && upid >= 1 && upid <= g->maxpid)
                rect(g, row_of_pid(g, upid), ustart, e->cycle, C_USER, 0);
            in_user = false;
            kstart = e->cycle;
            opener = e;
            idle0 = e->idle;
            continue;
        }
        if (!((e->kind == OBS_RTI && e->mode == MODE_USER) ||
              e->kind == OBS_END))
            continue;
        if (in_user) {
            if (upid >= 1 && upid <= g->maxpid)
                rect(g, row_of_pid(g, upid), ustart, e->cycle, C_USER, 0);
            break;
        }
        uint64_t kend = e->kind == OBS_RTI ? e->cycle + e->hw : e->cycle;
        uint64_t idle = e->idle - idle0;
        if (idle > kend - kstart)
            idle = kend - kstart;
        /* The idle part of the window is drawn at its end (see
         * observe_timeline.c), on the idle row only. */
        uint64_t at = e->cycle - idle;
        bool mine =
            opener != NULL && opener->pid >= 1 && opener->pid <= g->maxpid;
        rect(g, kernel_row(g), kstart, at, C_KERNEL, 1.0);
        if (mine)
            rect(g, row_of_pid(g, opener->pid), kstart, at, C_KERNEL, 1.0);
        if (idle > 0) {
            rect(g, kernel_row(g) + 1, at, at + idle, C_IDLE, 1.0);
            if (kend > at + idle) {
                rect(g, kernel_row(g), at + idle, kend, C_KERNEL, 1.0);
                if (mine)
                    rect(g, row_of_pid(g, opener->pid), at + idle, kend,
                         C_KERNEL, 1.0);
            }
        }
        if (e->kind == OBS_END)
            break;
        if (opener == NULL || e->pid != opener->pid)
            mark(g, kernel_row(g), e->cycle + e->hw, C_SWITCH);
        in_user = true;
        upid = e->pid;
        ustart = e->cycle + e->hw;
    }
    for (uint32_t r = 0; r < g->nrows; r++)
        flush_rect(g, r);
}

static void summary_table(FILE *f, const struct observer *o)
{
    fputs("<table>\n<tr><th>pid</th><th>name</th><th>user cycles</th>"
          "<th>kernel cycles</th><th>created</th><th>ended</th>"
          "<th>status</th></tr>\n",
          f);
    for (unsigned i = 0; i < o->nprocs; i++) {
        const struct lde_procinfo *p = &o->procs[i];
        struct session_pid_acct a = session_pid_acct(o->s, p->pid);
        char name[LDE_NAME_MAX + 1], how[128];
        kstate_name(p, name, sizeof name);
        kstate_describe(p, how, sizeof how);
        fprintf(f, "<tr><td>%" PRIu32 "</td><td>", p->pid);
        esc(f, name);
        fprintf(f,
                "</td><td>%" PRIu64 "</td><td>%" PRIu64 "</td><td>%" PRIu64
                "</td><td>",
                a.user, a.kernel, p->created);
        if (p->ended)
            fprintf(f, "%" PRIu64, p->ended);
        fputs("</td><td>", f);
        esc(f, how);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

int observe_svg(FILE *f, const struct observer *o, bool html)
{
    struct svg g = {.f = f, .o = o, .total = o->end_cycle ? o->end_cycle : 1};
    g.maxpid = o->maxpid;
    for (unsigned i = 0; i < o->nprocs; i++)
        if (o->procs[i].pid > g.maxpid && o->procs[i].pid < OBS_PIDS)
            g.maxpid = o->procs[i].pid;
    g.nrows = g.maxpid + 2;
    g.open = calloc(g.nrows, sizeof *g.open);
    g.last_mark = calloc(g.nrows, sizeof *g.last_mark);
    if (g.open == NULL || g.last_mark == NULL) {
        free(g.open);
        free(g.last_mark);
        return -1;
    }
    for (uint32_t r = 0; r < g.nrows; r++)
        g.last_mark[r] = -10;
    double axis_y = row_y(g.nrows) + 4;
    int height = (int)axis_y + 80;
    int width = LEFT + PLOT + RIGHT;
    char title[256], t[32];
    short_time(t, sizeof t, (double)o->end_cycle / o->s->opt.clock_hz);
    snprintf(title, sizeof title,
             "lde run: %" PRIu64 " cycles (%s at %.0f MHz), %u processes",
             o->end_cycle, t, o->s->opt.clock_hz / 1e6, o->nprocs);
    if (html) {
        fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
              "<title>",
              f);
        esc(f, title);
        fputs("</title>\n<style>body{font-family:sans-serif;margin:16px;"
              "background:#fff;color:#000}table{border-collapse:collapse;"
              "margin-top:12px}td,th{border:1px solid #999;padding:2px 8px;"
              "text-align:right}@media print{body{margin:0}}</style>\n"
              "</head><body>\n",
              f);
    }
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
            "font-size=\"13\">\n",
            width, height, width, height);
    fprintf(f,
            "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
            "fill=\"#ffffff\"/>\n",
            width, height);
    text(f, LEFT, 22, "start", " font-size=\"16\" font-weight=\"bold\"", title);
    legend(f, 44);
    for (uint32_t pid = 1; pid <= g.maxpid; pid++) {
        char name[LDE_NAME_MAX + 1], label[48];
        observe_proc_name(o, pid, name, sizeof name);
        snprintf(label, sizeof label, "%s (pid %" PRIu32 ")", name, pid);
        text(f, LEFT - 8, row_y(row_of_pid(&g, pid)) + 18, "end", "", label);
    }
    text(f, LEFT - 8, row_y(kernel_row(&g)) + 18, "end", "", "kernel");
    text(f, LEFT - 8, row_y(kernel_row(&g) + 1) + 18, "end", "", "idle");
    axis(&g, axis_y);
    fputs("<g shape-rendering=\"crispEdges\">\n", f);
    chart(&g);
    fputs("</g>\n</svg>\n", f);
    if (html) {
        summary_table(f, o);
        fputs("</body></html>\n", f);
    }
    free(g.open);
    free(g.last_mark);
    return ferror(f) ? -1 : 0;
}
