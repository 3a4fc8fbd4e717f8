/*
 * main.c: `lde debug`: boot the machine as `lde run` does, stopped
 * before the kernel's first instruction, and read commands: from -x
 * files, then from a terminal with GNU readline (prompt, history, tab
 * completion of commands and symbols), or from a pipe or file without a
 * prompt, each command echoed as "(lde) si" so that a transcript reads
 * like a session.
 */
#define _GNU_SOURCE /* readline's headers use POSIX and GNU types */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "debug.h"
#include "dbg.h"
#include "gdbstub.h"
#include "disasm.h"
#include "images.h"
#include "learn.h"
#include "loop.h"
#include "schedopt.h"

#define MAX_SCRIPTS 8

static void usage(FILE *f)
{
    fprintf(f, "usage: lde debug [-x FILE] [options] PROGRAM [ARGS...] [-- "
               "PROGRAM [ARGS...]]...\n"
               "Boot the guest kernel with the programs, as 'lde run' does, "
               "stopped before\nthe kernel's first instruction, under a "
               "debugger that knows the machine\nand the kernel "
               "(docs/debugger.md). 'help' at its prompt lists the "
               "commands.\n"
               "PROGRAM is an ELF file, or a built-in program: ");
    image_list_programs(f);
    fprintf(f,
            ".\n\n  -x FILE            run the commands in FILE first "
            "(echoed), then read\n"
            "                     stdin: a terminal gets a prompt, "
            "anything else is\n"
            "                     read as a script; end of input quits\n"
            "%s\n",
            session_options_help);
}

/* Copy argv without the "-x FILE" pairs at indexes before `limit`.
 * Returns the new argc; map[j] is the argv index of out[j]. */
static int drop_scripts(int argc, char **argv, int limit, char **out, int *map,
                        const char **scripts, unsigned *nscripts)
{
    int n = 0;
    *nscripts = 0;
    for (int i = 0; i < argc; i++) {
        if (i > 0 && i < limit && strcmp(argv[i], "-x") == 0 && i + 1 < argc &&
            *nscripts < MAX_SCRIPTS) {
            scripts[(*nscripts)++] = argv[++i];
            continue;
        }
        map[n] = i;
        out[n++] = argv[i];
    }
    out[n] = NULL;
    return n;
}

/* session_parse_args knows the run options; -x is ours. Options come
 * before the first program, so a -x after it belongs to the program:
 * take every -x out, parse, and if one was after the first program,
 * parse again with only those before it taken out. */
static int parse_args(int argc, char **argv, char **av, int *map,
                      struct session_options *o, const char **scripts,
                      unsigned *nscripts, char *err, size_t errlen)
{
    int ac = drop_scripts(argc, argv, argc, av, map, scripts, nscripts);
    int rc = session_parse_args(ac, av, o, err, errlen);
    if (rc != 0 || o->nprogs == 0 || *nscripts == 0)
        return rc;
    int first = map[o->progs[0].argv - av];
    for (int i = first; i < argc; i++)
        if (strcmp(argv[i], "-x") == 0) {
            ac = drop_scripts(argc, argv, first, av, map, scripts, nscripts);
            return session_parse_args(ac, av, o, err, errlen);
        }
    return 0;
}

static void open_images(struct dbg *d)
{
    struct session *s = &d->s;
    d->img[0] = (struct dbg_image){"kernel", s->kernel, session_ksyms(s),
                                   dbg_dwarf_open(s->kernel)};
    for (unsigned i = 0; i < s->nprogs; i++)
        d->img[1 + i] =
            (struct dbg_image){session_prog_name(s, i), s->prog[i],
                               session_psyms(s, i), dbg_dwarf_open(s->prog[i])};
    d->nimages = 1 + s->nprogs;
}

struct dbg *dbg_create(const struct session_options *o, FILE *in, FILE *out,
                       FILE *err_out, int *rc, char *err, size_t errlen)
{
    struct dbg *d = calloc(1, sizeof *d);
    if (d == NULL) {
        snprintf(err, errlen, "out of memory");
        *rc = SESSION_EXIT_FILE;
        return NULL;
    }
    struct session_options so = *o;
    so.record = o->history > 0; /* note RAM's writes from the boot on */
    *rc = session_open(&d->s, &so, err, errlen);
    if (*rc != 0) {
        free(d);
        return NULL;
    }
    open_images(d);
    hostcon_init(&d->hc, in, out, err_out);
    if (dbg_start_history(d) != 0) {
        snprintf(err, errlen, "out of memory for --history");
        *rc = SESSION_EXIT_FILE;
        dbg_destroy(d);
        return NULL;
    }
    if (o->gdb != NULL && gdbstub_open(d, err, errlen) != 0) {
        *rc = SESSION_EXIT_USAGE;
        dbg_destroy(d);
        return NULL;
    }
    dbg_attach_hooks(d);
    d->x_fmt = 'x';
    d->x_unit = 'w';
    memcpy(d->shown_regs, d->s.cpu->x, sizeof d->shown_regs);
    return d;
}

void dbg_destroy(struct dbg *d)
{
    if (d == NULL)
        return;
    gdbstub_close(d);
    hostcon_free(&d->hc);
    for (unsigned i = 0; i < d->nimages; i++)
        dbg_dwarf_close(d->img[i].dw);
    session_close(&d->s);
    free(d);
}

/* ---- Reading commands -------------------------------------------------- */

static struct dbg *completing; /* readline's callbacks have no context */

static char *cmd_gen(const char *text, int state)
{
    static unsigned i;
    static size_t len;
    if (state == 0) {
        i = 0;
        len = strlen(text);
    }
    for (const char *n; (n = dbg_cmd_name(i)) != NULL;) {
        i++;
        if (strncmp(n, text, len) == 0)
            return strdup(n);
    }
    return NULL;
}

/* Registers, then every image's symbols; PROG:sym once PROG: is typed. */
static char *sym_gen(const char *text, int state)
{
    static unsigned im, k;
    static size_t len;
    if (state == 0) {
        im = 0;
        k = 0;
        len = strlen(text);
    }
    const struct dbg *d = completing;
    if (text[0] == '$') {
        for (; k < 33; k++) {
            const char *n = k < 32 ? disasm_reg_name(k) : "pc";
            if (strncmp(n, text + 1, len - 1) == 0) {
                k++;
                char *r = malloc(strlen(n) + 2);
                if (r != NULL)
                    sprintf(r, "$%s", n);
                return r;
            }
        }
        return NULL;
    }
    const char *colon = strchr(text, ':');
    size_t plen = colon ? (size_t)(colon - text) + 1 : 0;
    for (; im < d->nimages; im++, k = 0) {
        const struct dbg_image *g = &d->img[im];
        if (colon && (strlen(g->name) != plen - 1 ||
                      strncmp(g->name, text, plen - 1) != 0))
            continue;
        for (; k < g->syms->n; k++) {
            const char *n = g->syms->by_name[k]->name;
            if (strncmp(n, text + plen, len - plen) != 0)
                continue;
            /* Skip a name repeated under another address. */
            if (k > 0 && strcmp(n, g->syms->by_name[k - 1]->name) == 0)
                continue;
            k++;
            char *r = malloc(plen + strlen(n) + 1);
            if (r != NULL)
                sprintf(r, "%.*s%s", (int)plen, text, n);
            return r;
        }
    }
    return NULL;
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    rl_attempted_completion_over = 1; /* never file names */
    const char *line = rl_line_buffer;
    int i = 0;
    while (i < start && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == start)
        return rl_completion_matches(text, cmd_gen);
    return rl_completion_matches(text, sym_gen);
}

static void prompt(const struct dbg *d, char *buf, size_t len)
{
    uint32_t pid = dbg_current_pid(d);
    char p[16] = "-";
    if (pid != 0)
        snprintf(p, sizeof p, "%" PRIu32, pid);
    snprintf(buf, len, "(lde %" PRIu64 " %c %s) ", d->s.cpu->cycle,
             d->s.cpu->mode == MODE_USER ? 'U' : 'K', p);
}

/* One line from the user or a script; an empty line repeats. */
static void handle_line(struct dbg *d, const char *line, char *last,
                        size_t lastlen)
{
    const char *p = dbg_skip(line);
    if (*p == '\0') {
        if (last[0] != '\0')
            dbg_execute(d, last);
        return;
    }
    if (p[0] == 'x' && (p[1] == '/' || p[1] == ' ' || p[1] == '\0'))
        snprintf(last, lastlen, "x"); /* goes on where it stopped */
    else if (dbg_cmd_repeats(p))
        snprintf(last, lastlen, "%s", p);
    else
        last[0] = '\0';
    dbg_execute(d, p);
}

static void read_stream(struct dbg *d, FILE *f, char *last, size_t lastlen)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (!d->quit && (n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        printf("(lde) %s\n", line);
        handle_line(d, line, last, lastlen);
    }
    free(line);
}

static void remember(const char *line)
{
    if (*dbg_skip(line) == '\0')
        return;
    HIST_ENTRY *h = history_length > 0
                        ? history_get(history_base + history_length - 1)
                        : NULL;
    if (h == NULL || strcmp(h->line, line) != 0)
        add_history(line);
}

/* With --gdb the terminal and the gdb socket are both listened to:
 * readline's callback interface takes a character at a time, and a gdb
 * that connects is served at once (the prompt comes back after). */
struct line_ctx {
    struct dbg *d;
    char *last;
    size_t lastlen;
    bool eof;
};
static struct line_ctx cb;

static void on_line(char *line)
{
    if (line == NULL) {
        printf("\n");
        cb.eof = true;
        return;
    }
    remember(line);
    handle_line(cb.d, line, cb.last, cb.lastlen);
    free(line);
    char pr[64];
    prompt(cb.d, pr, sizeof pr);
    rl_set_prompt(pr);
}

static void read_terminal_and_gdb(struct dbg *d, char *last, size_t lastlen)
{
    char pr[64];
    cb = (struct line_ctx){d, last, lastlen, false};
    prompt(d, pr, sizeof pr);
    rl_callback_handler_install(pr, on_line);
    while (!d->quit && !cb.eof) {
        struct pollfd pf[2] = {{STDIN_FILENO, POLLIN, 0},
                               {gdbstub_listen_fd(d), POLLIN, 0}};
        if (poll(pf, 2, -1) < 0)
            continue; /* a signal: Ctrl-C at the prompt */
        if (pf[1].revents & POLLIN) {
            rl_callback_handler_remove();
            printf("\n");
            gdbstub_serve(d, 0);
            dbg_report_stop(d);
            prompt(d, pr, sizeof pr);
            rl_callback_handler_install(pr, on_line);
        }
        if (pf[0].revents & (POLLIN | POLLHUP))
            rl_callback_read_char();
    }
    rl_callback_handler_remove();
}

static void read_terminal(struct dbg *d, char *last, size_t lastlen)
{
    completing = d;
    rl_readline_name = "lde";
    rl_attempted_completion_function = complete;
    /* '$' and ':' belong to words here ($a0, hello:main). */
    rl_completer_word_break_characters = " \t\n*+-()";
    if (d->gdb != NULL) {
        read_terminal_and_gdb(d, last, lastlen);
        return;
    }
    char pr[64];
    while (!d->quit) {
        prompt(d, pr, sizeof pr);
        char *line = readline(pr);
        if (line == NULL) {
            printf("\n");
            break;
        }
        remember(line);
        handle_line(d, line, last, lastlen);
        free(line);
    }
}

int debug_main(int argc, char **argv)
{
    char err[512];
    char **av = calloc((size_t)argc + 1, sizeof *av);
    int *map = calloc((size_t)argc + 1, sizeof *map);
    const char *scripts[MAX_SCRIPTS];
    unsigned nscripts;
    struct session_options o;
    if (av == NULL || map == NULL) {
        free(av);
        free(map);
        return SESSION_EXIT_FILE;
    }
    int rc = parse_args(argc, argv, av, map, &o, scripts, &nscripts, err,
                        sizeof err);
    free(map);
    const char *observing = rc == 0 ? observe_option_used(&o.observe) : NULL;
    if (observing != NULL) {
        if (strcmp(observing, "--trace") == 0)
            snprintf(err, sizeof err,
                     "--trace is for lde run: here 'catch trap' "
                     "and 'catch rti' stop at each one");
        else
            snprintf(err, sizeof err, "%s is for lde run", observing);
        rc = SESSION_EXIT_USAGE;
    }
    if (rc == 0 && o.nsched > 1) {
        snprintf(err, sizeof err,
                 "lde debug runs one scheduling policy (comparing them is "
                 "for lde run)");
        rc = SESSION_EXIT_USAGE;
    }
    if (rc != 0) {
        fprintf(stderr, "lde: %s\nTry 'lde debug --help'.\n", err);
        free(av);
        return rc;
    }
    if (o.help || o.version || o.sched_help) {
        if (o.help)
            usage(stdout);
        else if (o.version)
            printf("%s\n", session_version);
        else
            schedopt_help(stdout);
        free(av);
        return 0;
    }
    /* A script that cannot be read is a file error, before anything
     * boots: its commands were meant to run, and none of them will. */
    FILE *script_files[MAX_SCRIPTS];
    for (unsigned i = 0; i < nscripts; i++) {
        script_files[i] = fopen(scripts[i], "r");
        if (script_files[i] == NULL) {
            fprintf(stderr, "lde: -x %s: %s\n", scripts[i], strerror(errno));
            while (i-- > 0)
                fclose(script_files[i]);
            free(av);
            return SESSION_EXIT_FILE;
        }
    }
    if (o.nprogs == 0)
        session_demo(&o);
    /* sjf, stcf: job lengths from a first run, with no console input. */
    rc = session_learn(&o, NULL, stdout, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "lde: %s\n", err);
        for (unsigned i = 0; i < nscripts; i++)
            fclose(script_files[i]);
        free(av);
        return rc;
    }
    struct dbg *d = dbg_create(&o, NULL, stdout, stdout, &rc, err, sizeof err);
    if (d == NULL) {
        fprintf(stderr, "lde: %s\n", err);
        for (unsigned i = 0; i < nscripts; i++)
            fclose(script_files[i]);
        free(av);
        return rc;
    }
    /* Ctrl-C stops a run (between two slices) and comes back here. */
    session_catch_sigint(SESSION_SIGINT_EVERY);

    printf("lde debug: the kernel and %u program%s booted; stopped before "
           "the first instruction.\n'help' lists the commands.\n",
           d->s.nprogs, d->s.nprogs == 1 ? "" : "s");
    if (d->gdb != NULL)
        printf("gdb may attach whenever lde waits at its prompt ('gdb' "
               "waits for it).\n");
    dbg_report_stop(d);

    char last[1024] = "";
    for (unsigned i = 0; i < nscripts; i++) {
        if (!d->quit)
            read_stream(d, script_files[i], last, sizeof last);
        fclose(script_files[i]);
    }
    if (!d->quit) {
        if (isatty(STDIN_FILENO))
            read_terminal(d, last, sizeof last);
        else
            read_stream(d, stdin, last, sizeof last);
    }

    dbg_destroy(d);
    free(av);
    return 0;
}
