/*
 * break.c: breakpoints, watchpoints and catchpoints, numbered
 * together as gdb numbers them.
 *
 * A breakpoint is an address in a space (dbg.h). The cpu only knows
 * addresses (cpu_break_add), and the kernel and every process share them,
 * so when the cpu stops at one, dbg_breakpoint_hit() decides whether the
 * machine is in the right space; if not, the run goes on.
 *
 * Catchpoints come from the cpu's hooks (trap, rti, mode) and, for a
 * context switch, from the entry of the kernel's swtch (swtch.S, OSTEP
 * Figure 6.4): every switch runs it once, from one process straight to
 * the next, from a process to the scheduler (nobody else can run, or a
 * child of the kernel ended) and from the scheduler to a process.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lde/abi.h"
#include "dbg.h"
#include "kstate.h"

#define SWITCH_SYMBOL "swtch"

/* ---- Names ------------------------------------------------------------- */

/* Words accepted besides each vector's own (LDE_VECTORS): the names of
 * the instructions that raise two of them. */
static const struct {
    const char *name;
    int vector;
} vector_aliases[] = {
    {"ebreak", VEC_BREAKPOINT},
    {"ecall", VEC_SYSCALL},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The system calls the kernel implements: lde/syscalls.h's lists. */
static const struct {
    const char *name;
    int number;
} syscalls[] = {
#define SYSCALL_ROW(nr, name, fn, nargs) {#name, nr},
    LDE_SYSCALLS(SYSCALL_ROW) LDE_OWN_SYSCALLS(SYSCALL_ROW)
#undef SYSCALL_ROW
};

/* A system call's number, for `catch syscall NAME` (or a number). */
static int syscall_number(const char *name)
{
    for (size_t i = 0; i < NELEM(syscalls); i++)
        if (strcmp(syscalls[i].name, name) == 0)
            return syscalls[i].number;
    uint64_t n;
    if (dbg_parse_uint(name, &n) == 0 && n < 0x10000)
        return (int)n;
    return -1;
}

/* " illegal privileged ...": every vector's word, for messages. */
static const char *vector_word_list(void)
{
    static char list[256];
    if (!list[0])
        for (uint32_t v = 0; v < NVECTORS; v++)
            if (cpu_vector_word(v)) {
                size_t n = strlen(list);
                snprintf(list + n, sizeof list - n, " %s", cpu_vector_word(v));
            }
    return list;
}

static int vector_number(const char *w)
{
    for (uint32_t v = 0; v < NVECTORS; v++)
        if (cpu_vector_word(v) && strcmp(cpu_vector_word(v), w) == 0)
            return (int)v;
    for (size_t i = 0; i < NELEM(vector_aliases); i++)
        if (strcmp(vector_aliases[i].name, w) == 0)
            return vector_aliases[i].vector;
    uint64_t n;
    if (dbg_parse_uint(w, &n) == 0 && n < NVECTORS)
        return (int)n;
    return -1;
}

/* ---- The table --------------------------------------------------------- */

static struct dbg_point *new_point(struct dbg *d, enum dbg_point_type type)
{
    unsigned used = 0;
    for (int i = 0; i < DBG_MAX_POINTS; i++)
        used += d->pts[i].used;
    /* Leave the cpu room for the goal and swtch besides ours. */
    for (int i = 0; i < DBG_MAX_POINTS && used < MAX_BREAKPOINTS - 4; i++) {
        if (d->pts[i].used)
            continue;
        struct dbg_point *p = &d->pts[i];
        memset(p, 0, sizeof *p);
        p->used = p->enabled = true;
        p->type = (uint8_t)type;
        p->num = ++d->next_num;
        p->arg = -1;
        return p;
    }
    dbg_err("too many breakpoints, watchpoints and catchpoints");
    return NULL;
}

static struct dbg_point *point_by_num(struct dbg *d, uint64_t num)
{
    for (int i = 0; i < DBG_MAX_POINTS; i++)
        if (d->pts[i].used && (uint64_t)d->pts[i].num == num)
            return &d->pts[i];
    return NULL;
}

static void describe_loc(struct dbg *d, struct dbg_loc l, char *buf, size_t len)
{
    char a[96]; /* sized so the description fits p->what */
    const char *file;
    int line, im = dbg_space_image(d, l.space);
    dbg_format_addr(d, l, a, sizeof a);
    if (im >= 0 && dbg_dwarf_line(d->img[im].dw, l.addr, &file, &line) == 0) {
        const char *base = strrchr(file, '/');
        snprintf(buf, len, "%s in %s (%s:%d)", a, dbg_space_name(d, l.space),
                 base ? base + 1 : file, line);
    } else {
        snprintf(buf, len, "%s in %s", a, dbg_space_name(d, l.space));
    }
}

/* Is there code at l in the image (or, for any process, some image)? */
static bool has_code(const struct dbg *d, struct dbg_loc l)
{
    int im = dbg_space_image(d, l.space);
    if (im >= 0)
        return elf_has_code_at(d->img[im].ef, l.addr);
    for (unsigned i = 1; i < d->nimages; i++)
        if (elf_has_code_at(d->img[i].ef, l.addr))
            return true;
    return false;
}

static int add_break(struct dbg *d, const char *args, bool temp)
{
    struct dbg_loc l;
    char err[200], spec[256];
    /* "LOCATION if CONDITION": the condition is C, evaluated at the hit. */
    const char *cond = "";
    bool has_if = false;
    snprintf(spec, sizeof spec, "%s", dbg_skip(args));
    for (char *p = spec; !has_if && (p = strstr(p, "if")) != NULL; p += 2)
        if ((p == spec || p[-1] == ' ' || p[-1] == '\t') &&
            (p[2] == ' ' || p[2] == '\t' || p[2] == '\0')) {
            has_if = true;
            cond = dbg_skip(p + 2);
            for (*p = '\0'; p > spec && (p[-1] == ' ' || p[-1] == '\t');)
                *--p = '\0';
        }
    if (has_if && *cond == '\0') {
        dbg_err("%s: a condition is missing after 'if'",
                temp ? "tbreak" : "break");
        return -1;
    }
    if (strlen(cond) >= DBG_EXPR_MAX) {
        dbg_err("%s: condition too long", temp ? "tbreak" : "break");
        return -1;
    }
    args = spec;
    if (*args == '\0')
        l = (struct dbg_loc){d->s.cpu->pc, dbg_current_space(d)};
    else if (dbg_parse_location(d, args, &l, err, sizeof err) != 0) {
        dbg_err("%s: %s", temp ? "tbreak" : "break", err);
        return -1;
    }
    if (l.addr & 3) {
        dbg_err("%s: 0x%08" PRIx32 " is not a multiple of 4",
                temp ? "tbreak" : "break", l.addr);
        return -1;
    }
    /* A number in user mode: any process (the space of the mode). */
    struct dbg_point *p = new_point(d, PT_BREAK);
    if (p == NULL)
        return -1;
    p->temp = temp;
    p->loc = l;
    snprintf(p->cond, sizeof p->cond, "%s", cond);
    describe_loc(d, l, p->what, sizeof p->what);
    printf("%s %d at %s%s%s\n", temp ? "Temporary breakpoint" : "Breakpoint",
           p->num, p->what, cond[0] ? " if " : "", cond);
    if (!has_code(d, l))
        printf("warning: no code at 0x%08" PRIx32 " in %s (no executable "
               "segment of %s holds it): the breakpoint can only be hit if "
               "code is put there\n",
               l.addr, dbg_space_name(d, l.space),
               l.space == DBG_KERNEL ? "the kernel's image"
                                     : "a program's image");
    return 0;
}

int dbg_cmd_break(struct dbg *d, const char *args)
{
    return add_break(d, args, false);
}

int dbg_cmd_tbreak(struct dbg *d, const char *args)
{
    return add_break(d, args, true);
}

/* Apply fn to each number in args; every point when args is empty. */
static int for_points(struct dbg *d, const char *args, const char *cmd,
                      void (*fn)(struct dbg *d, struct dbg_point *p))
{
    args = dbg_skip(args);
    if (*args == '\0') {
        for (int i = 0; i < DBG_MAX_POINTS; i++)
            if (d->pts[i].used)
                fn(d, &d->pts[i]);
        return 0;
    }
    char buf[256];
    snprintf(buf, sizeof buf, "%s", args);
    int rc = 0;
    for (char *save, *w = strtok_r(buf, " \t", &save); w != NULL;
         w = strtok_r(NULL, " \t", &save)) {
        uint64_t n;
        struct dbg_point *p = NULL;
        if (dbg_parse_uint(w, &n) != 0 || (p = point_by_num(d, n)) == NULL) {
            dbg_err("%s: no breakpoint number %s", cmd, w);
            rc = -1;
            continue;
        }
        fn(d, p);
    }
    return rc;
}

static void do_delete(struct dbg *d, struct dbg_point *p)
{
    (void)d;
    p->used = false;
}

static void do_disable(struct dbg *d, struct dbg_point *p)
{
    (void)d;
    p->enabled = false;
}

static void do_enable(struct dbg *d, struct dbg_point *p)
{
    (void)d;
    p->enabled = true;
}

int dbg_cmd_delete(struct dbg *d, const char *args)
{
    return for_points(d, args, "delete", do_delete);
}

int dbg_cmd_disable(struct dbg *d, const char *args)
{
    return for_points(d, args, "disable", do_disable);
}

int dbg_cmd_enable(struct dbg *d, const char *args)
{
    return for_points(d, args, "enable", do_enable);
}

int dbg_cmd_info_break(struct dbg *d, const char *args)
{
    (void)args;
    bool any = false;
    for (int i = 0; i < DBG_MAX_POINTS; i++) {
        const struct dbg_point *p = &d->pts[i];
        if (!p->used)
            continue;
        if (!any)
            printf("Num  Type        Enb Hits  What\n");
        any = true;
        const char *type = p->type == PT_BREAK   ? "breakpoint"
                           : p->type == PT_WATCH ? "watchpoint"
                                                 : "catchpoint";
        printf("%-4d %-11s %-3s %4u  %s%s\n", p->num, type,
               p->enabled ? "y" : "n", p->hits, p->what,
               p->temp ? " (temporary)" : "");
        if (p->cond[0] != '\0')
            printf("                           stop only if %s\n", p->cond);
    }
    if (!any)
        printf("No breakpoints, watchpoints or catchpoints.\n");
    return 0;
}

int dbg_cmd_watch(struct dbg *d, const char *args)
{
    struct dbg_value v;
    char err[200];
    args = dbg_skip(args);
    if (*args == '\0') {
        dbg_err("usage: watch ADDR  (a word: symbol, number, $reg + ...)");
        return -1;
    }
    if (strlen(args) >= 64) {
        dbg_err("watch: expression too long");
        return -1;
    }
    if (dbg_eval(d, args, &v, err, sizeof err) != 0) {
        dbg_err("watch: %s", err);
        return -1;
    }
    uint32_t pa, word;
    struct dbg_loc l = {v.v, v.space};
    if (dbg_to_phys(d, l, 4, &pa, err, sizeof err) != 0 ||
        cpu_read_phys(d->s.cpu, pa, &word, 4) != 0) {
        dbg_err("watch: %s", err);
        return -1;
    }
    struct dbg_point *p = new_point(d, PT_WATCH);
    if (p == NULL)
        return -1;
    p->paddr = pa;
    p->value = word;
    snprintf(p->what, sizeof p->what, "%s (word at physical 0x%08" PRIx32 ")",
             args, pa);
    printf("Watchpoint %d: %s = 0x%08" PRIx32 "\n", p->num, p->what, word);
    return 0;
}

int dbg_cmd_catch(struct dbg *d, const char *args)
{
    char kind[32] = "", arg[64] = "";
    if (sscanf(dbg_skip(args), "%31s %63s", kind, arg) < 1) {
        dbg_err("usage: catch trap [CAUSE] | syscall [NAME] | mode | rti | "
                "switch");
        return -1;
    }
    int k, a = -1;
    if (strcmp(kind, "trap") == 0) {
        k = CATCH_TRAP;
        if (arg[0] && (a = vector_number(arg)) < 0) {
            dbg_err("catch trap: unknown cause '%s' (a vector 0-31, or"
                    "%s)",
                    arg, vector_word_list());
            return -1;
        }
    } else if (strcmp(kind, "syscall") == 0) {
        k = CATCH_SYSCALL;
        if (arg[0] && (a = syscall_number(arg)) < 0) {
            dbg_err("catch syscall: unknown system call '%s'", arg);
            return -1;
        }
    } else if (strcmp(kind, "mode") == 0) {
        k = CATCH_MODE;
    } else if (strcmp(kind, "rti") == 0) {
        k = CATCH_RTI;
    } else if (strcmp(kind, "switch") == 0) {
        k = CATCH_SWITCH;
        if (sym_by_name(session_ksyms(&d->s), SWITCH_SYMBOL) == NULL) {
            dbg_err("catch switch: the kernel has no symbol " SWITCH_SYMBOL);
            return -1;
        }
    } else {
        dbg_err("catch: unknown event '%s' (trap syscall mode rti switch)",
                kind);
        return -1;
    }
    if (k >= CATCH_MODE && arg[0]) {
        dbg_err("catch %s: takes no argument", kind);
        return -1;
    }
    struct dbg_point *p = new_point(d, PT_CATCH);
    if (p == NULL)
        return -1;
    p->catch_kind = (uint8_t)k;
    p->arg = a;
    if (k == CATCH_TRAP && a >= 0)
        snprintf(p->what, sizeof p->what, "trap %d (%s)", a,
                 cpu_vector_name((uint32_t)a));
    else if (k == CATCH_SYSCALL && a >= 0) {
        const char *n = lde_syscall_name((uint32_t)a);
        snprintf(p->what, sizeof p->what, "syscall %s (%d)", n ? n : "?", a);
    } else
        snprintf(p->what, sizeof p->what, "%s%s", kind,
                 k == CATCH_SWITCH ? " (entry of " SWITCH_SYMBOL ")" : "");
    printf("Catchpoint %d (%s)\n", p->num, p->what);
    return 0;
}

/* ---- While running ----------------------------------------------------- */

void dbg_sync_breakpoints(struct dbg *d)
{
    struct cpu *cpu = d->s.cpu;
    while (cpu->nbreakpoints > 0)
        cpu_break_remove(cpu, cpu->breakpoints[0]);
    const struct sym *sw = sym_by_name(session_ksyms(&d->s), SWITCH_SYMBOL);
    for (int i = 0; i < DBG_MAX_POINTS; i++) {
        struct dbg_point *p = &d->pts[i];
        if (!p->used || !p->enabled)
            continue;
        if (p->type == PT_BREAK)
            cpu_break_add(cpu, p->loc.addr);
        else if (p->type == PT_CATCH && p->catch_kind == CATCH_SWITCH && sw)
            cpu_break_add(cpu, sw->addr);
        else if (p->type == PT_WATCH)
            cpu_read_phys(cpu, p->paddr, &p->value, 4);
    }
    if (d->goal.active)
        cpu_break_add(cpu, d->goal.loc.addr);
}

bool dbg_have_watchpoints(const struct dbg *d)
{
    for (int i = 0; i < DBG_MAX_POINTS; i++)
        if (d->pts[i].used && d->pts[i].enabled && d->pts[i].type == PT_WATCH)
            return true;
    return false;
}

/* The stop message starts with the first point hit; later ones count. */
static void note_hit(struct dbg *d, struct dbg_point *p, const char *fmt,
                     const char *text)
{
    p->hits++;
    if (d->hit != 0)
        return;
    d->hit = p->num;
    snprintf(d->hit_msg, sizeof d->hit_msg, fmt, p->num, text);
}

/* The pid whose kernel stack holds sp: the live record with the lowest
 * stack top at or above sp (each record's kstack is its stack's top). 0
 * if none: sp is on the boot stack, the scheduler's. */
static uint32_t pid_on_stack(struct dbg *d, uint32_t sp)
{
    static struct lde_procinfo acct[LDE_PROCS_MAX];
    unsigned n;
    char err[160];
    uint32_t pid = 0, top = UINT32_MAX;
    if (kstate_procinfo(&d->s, acct, LDE_PROCS_MAX, &n, err, sizeof err) != 0)
        return 0;
    for (unsigned i = 0; i < n; i++) {
        const struct lde_procinfo *a = &acct[i];
        if (a->state != PS_REAPED && a->state != PS_UNUSED && a->kstack >= sp &&
            a->kstack <= top) {
            top = a->kstack;
            pid = a->pid;
        }
    }
    return pid;
}

/* At the entry of swtch(old, new) (OSTEP Figure 6.4's switch(A, B)): a0
 * is where the old thread's kernel registers go, a1 where the new one's
 * come from (struct context: ra, then sp). Either is the scheduler's
 * context (the symbol cpu) or a process's. Which process: the one whose
 * kernel stack holds the thread's sp, now for the old thread, saved in
 * its context for the new one. The kernel changes the current pid only
 * on the new thread's side. */
static void describe_switch(struct dbg *d, char *buf, size_t len)
{
    const struct cpu *cpu = d->s.cpu;
    uint32_t a0 = cpu->x[10], a1 = cpu->x[11], ra = cpu->x[1], off, sp = 0;
    const struct sym *caller = sym_by_addr(session_ksyms(&d->s), ra, &off);
    const struct sym *old_sym = sym_by_addr(session_ksyms(&d->s), a0, &off);
    const struct sym *new_sym = sym_by_addr(session_ksyms(&d->s), a1, &off);
    char from[96], to[96]; /* long names are cut: the text must fit */
    sym_format(session_ksyms(&d->s), a0, from, sizeof from);
    sym_format(session_ksyms(&d->s), a1, to, sizeof to);
    bool old_sched = old_sym != NULL && strcmp(old_sym->name, "cpu") == 0;
    bool new_sched = new_sym != NULL && strcmp(new_sym->name, "cpu") == 0;
    uint32_t old = old_sched ? 0 : pid_on_stack(d, cpu->x[2]);
    uint32_t new = 0;
    if (!new_sched && cpu_read_phys(cpu, a1 + 4, &sp, sizeof sp) == 0)
        new = pid_on_stack(d, sp);
    const char *via = caller ? caller->name : "?";
    if (old_sched)
        snprintf(buf, len,
                 "the scheduler switches to pid %" PRIu32
                 ": swtch saves the scheduler's kernel registers at "
                 "0x%08" PRIx32 " <%s> and loads pid %" PRIu32
                 "'s from 0x%08" PRIx32 " <%s>",
                 new, a0, from, new, a1, to);
    else if (new_sched)
        snprintf(buf, len,
                 "pid %" PRIu32 " gives up the CPU (from %s) to the "
                 "scheduler: swtch saves its kernel registers at 0x%08" PRIx32
                 " <%s> and loads the scheduler's from 0x%08" PRIx32 " <%s>",
                 old, via, a0, from, a1, to);
    else
        snprintf(buf, len,
                 "pid %" PRIu32 " switches to pid %" PRIu32
                 " (from %s): swtch saves pid %" PRIu32
                 "'s kernel registers at 0x%08" PRIx32 " <%s> and loads pid "
                 "%" PRIu32 "'s from 0x%08" PRIx32 " <%s>",
                 old, new, via, old, a0, from, new, a1, to);
}

/* A breakpoint's condition at its hit. One that cannot be evaluated
 * stops the machine, and says why (as gdb does). */
static bool condition_holds(struct dbg *d, struct dbg_point *p)
{
    bool truth;
    char err[200];
    if (p->cond[0] == '\0')
        return true;
    if (dbg_c_truth(d, p->cond, &truth, err, sizeof err) == 0)
        return truth;
    dbg_sync_output(d);
    printf("Error in the condition of breakpoint %d (%s): %s\n", p->num,
           p->cond, err);
    return true;
}

bool dbg_breakpoint_hit(struct dbg *d)
{
    const struct cpu *cpu = d->s.cpu;
    bool stop = false;
    const struct dbg_goal *g = &d->goal;
    if (g->active && dbg_loc_matches(d, &g->loc) &&
        (g->ubase == DBG_ANY_UBASE || cpu->mode == MODE_KERNEL ||
         cpu->ubase == g->ubase) &&
        (!g->check_sp || cpu->x[2] >= g->min_sp) &&
        (!g->check_pid || dbg_current_pid(d) == g->pid))
        stop = d->goal_hit = true;
    const struct sym *sw = sym_by_name(session_ksyms(&d->s), SWITCH_SYMBOL);
    for (int i = 0; i < DBG_MAX_POINTS; i++) {
        struct dbg_point *p = &d->pts[i];
        if (!p->used || !p->enabled)
            continue;
        if (p->type == PT_BREAK && dbg_loc_matches(d, &p->loc) &&
            condition_holds(d, p)) {
            note_hit(d, p,
                     p->temp ? "Temporary breakpoint %d%s" : "Breakpoint %d%s",
                     "");
            stop = true;
        } else if (p->type == PT_CATCH && p->catch_kind == CATCH_SWITCH &&
                   sw != NULL && cpu->pc == sw->addr &&
                   cpu->mode == MODE_KERNEL) {
            char text[400]; /* fits two symbols; fits in hit_msg */
            describe_switch(d, text, sizeof text);
            note_hit(d, p, "Catchpoint %d (switch): context switch: %s", text);
            stop = true;
        }
    }
    return stop;
}

bool dbg_check_watchpoints(struct dbg *d)
{
    bool stop = false;
    for (int i = 0; i < DBG_MAX_POINTS; i++) {
        struct dbg_point *p = &d->pts[i];
        uint32_t now;
        if (!p->used || !p->enabled || p->type != PT_WATCH ||
            cpu_read_phys(d->s.cpu, p->paddr, &now, 4) != 0 || now == p->value)
            continue;
        char text[200];
        snprintf(text, sizeof text,
                 ": %s\nOld value = 0x%08" PRIx32 " (%" PRIu32
                 ")\nNew value = 0x%08" PRIx32 " (%" PRIu32 ")",
                 p->what, p->value, p->value, now, now);
        p->value = now;
        note_hit(d, p, "Watchpoint %d%s", text);
        if (d->hit == p->num)
            d->watch_hit = true;
        stop = true;
    }
    return stop;
}

bool dbg_catch_trap(struct dbg *d, const struct cpu_trap_info *t)
{
    bool stop = false;
    char text[DBG_MSG_MAX];
    text[0] = '\0';
    for (int i = 0; i < DBG_MAX_POINTS; i++) {
        struct dbg_point *p = &d->pts[i];
        if (!p->used || !p->enabled || p->type != PT_CATCH)
            continue;
        bool match = false;
        if (p->catch_kind == CATCH_TRAP)
            match = p->arg < 0 || (uint32_t)p->arg == t->vector;
        else if (p->catch_kind == CATCH_SYSCALL)
            match = t->vector == VEC_SYSCALL &&
                    (p->arg < 0 || (uint32_t)p->arg == d->s.cpu->x[17]);
        if (!match)
            continue;
        if (text[0] == '\0' && !d->verbose) {
            text[0] = ':';
            text[1] = ' ';
            dbg_describe_trap(d, t, text + 2, sizeof text - 2);
        }
        note_hit(d, p,
                 p->catch_kind == CATCH_TRAP ? "Catchpoint %d (trap)%s"
                                             : "Catchpoint %d (syscall)%s",
                 text);
        stop = true;
    }
    return stop;
}

bool dbg_catch_rti(struct dbg *d, uint32_t rti_pc)
{
    bool stop = false;
    char text[DBG_MSG_MAX];
    text[0] = '\0';
    for (int i = 0; i < DBG_MAX_POINTS; i++) {
        struct dbg_point *p = &d->pts[i];
        if (!p->used || !p->enabled || p->type != PT_CATCH ||
            p->catch_kind != CATCH_RTI)
            continue;
        if (text[0] == '\0' && !d->verbose) {
            uint32_t frame;
            bool known = dbg_rti_frame(d, &frame);
            text[0] = ':';
            text[1] = ' ';
            dbg_describe_rti(d, rti_pc, frame, known, text + 2,
                             sizeof text - 2);
        }
        note_hit(d, p, "Catchpoint %d (rti)%s", text);
        stop = true;
    }
    return stop;
}

bool dbg_catch_mode(struct dbg *d, uint32_t old_mode, uint32_t new_mode)
{
    bool stop = false;
    const char *text = old_mode == MODE_USER && new_mode == MODE_KERNEL
                           ? ": user mode -> kernel mode"
                           : ": kernel mode -> user mode";
    for (int i = 0; i < DBG_MAX_POINTS; i++) {
        struct dbg_point *p = &d->pts[i];
        if (!p->used || !p->enabled || p->type != PT_CATCH ||
            p->catch_kind != CATCH_MODE)
            continue;
        note_hit(d, p, "Catchpoint %d (mode)%s", text);
        stop = true;
    }
    return stop;
}

void dbg_after_stop(struct dbg *d)
{
    for (int i = 0; i < DBG_MAX_POINTS; i++) {
        struct dbg_point *p = &d->pts[i];
        if (p->used && p->temp && p->hits > 0)
            p->used = false;
    }
}
