/*
 * gdbstub.c: listening for gdb, the command line that attaches it, serving
 * one connection (gdbpkt.c answers each packet), and `lde run --gdb`.
 */
#define _GNU_SOURCE /* mkdtemp */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gdbint.h"
#include "learn.h"
#include "loop.h"
#include "stats.h"
#include "timeline.h"

/* ---- Symbol files and the command line to attach ---------------------- */

/* A built-in image has no file of its own: write it out for gdb. */
static char *image_file(struct gdbstub *g, const char *name,
                        const struct elf_file *ef, const char *spec)
{
    char path[PATH_MAX];
    if (spec != NULL && realpath(spec, path) != NULL)
        return strdup(path);
    if (g->tmpdir[0] == '\0') {
        snprintf(g->tmpdir, sizeof g->tmpdir, "/tmp/lde-gdb-XXXXXX");
        if (mkdtemp(g->tmpdir) == NULL) {
            g->tmpdir[0] = '\0';
            return NULL;
        }
    }
    snprintf(path, sizeof path, "%s/%s.elf", g->tmpdir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return NULL;
    bool ok = fwrite(ef->data, 1, ef->size, f) == ef->size;
    ok &= fclose(f) == 0;
    return ok ? strdup(path) : NULL;
}

static void remove_files(struct gdbstub *g)
{
    for (unsigned i = 0; i < GDB_MAX_IMAGES; i++) {
        if (g->files[i] != NULL && g->tmpdir[0] != '\0' &&
            strncmp(g->files[i], g->tmpdir, strlen(g->tmpdir)) == 0)
            unlink(g->files[i]);
        free(g->files[i]);
        g->files[i] = NULL;
    }
    if (g->tmpdir[0] != '\0')
        rmdir(g->tmpdir);
    g->tmpdir[0] = '\0';
}

static void print_attach(struct gdbstub *g, const char *host, bool loopback)
{
    struct dbg *d = g->d;
    const char *kspec = d->s.opt.kernel_file;
    g->files[0] = image_file(g, "kernel", d->s.kernel, kspec);
    for (unsigned i = 0; i < d->s.nprogs; i++) {
        const char *spec = d->s.opt.progs[i].spec;
        bool is_file = strchr(spec, '/') != NULL || access(spec, F_OK) == 0;
        g->files[1 + i] = image_file(g, session_prog_name(&d->s, i),
                                     d->s.prog[i], is_file ? spec : NULL);
    }
    printf("lde: gdb stub on %s:%u%s\n", host, g->port,
           loopback ? ""
                    : " (NOT loopback: anyone who can reach this "
                      "address can control the machine)");
    /* gdb reads each process's symbol file itself (qXfer:exec-file). */
    /* osabi none: gdb's GNU/Linux ABI would step over an ecall with a
     * breakpoint after it, never stopping in the handler. schedule-
     * multiple: the processes share the one hart, so resuming one moves
     * them all, and gdb must not keep the others' registers. */
    printf("lde: attach with:\n  gdb-multiarch -q -ex 'set osabi none' -ex "
           "'set schedule-multiple on' -ex 'target extended-remote %s:%u'\n",
           loopback ? "localhost" : host, g->port);
    printf("lde: symbol files: kernel %s",
           g->files[0] ? g->files[0] : "(none)");
    for (unsigned i = 0; i < d->s.nprogs; i++)
        printf(", %s %s", session_prog_name(&d->s, i),
               g->files[1 + i] ? g->files[1 + i] : "(none)");
    printf("\n");
    fflush(stdout);
}

/* ---- Listening and serving --------------------------------------------- */

int gdbstub_open(struct dbg *d, char *err, size_t errlen)
{
    struct gdbstub *g = calloc(1, sizeof *g);
    if (g == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    g->d = d;
    g->w.fd = -1;
    bool loopback;
    g->lfd = gdbw_listen(d->s.opt.gdb, &g->port, &loopback, err, errlen);
    if (g->lfd < 0) {
        free(g);
        return -1;
    }
    char host[256] = "127.0.0.1";
    const char *colon = strrchr(d->s.opt.gdb, ':');
    if (colon != NULL && colon != d->s.opt.gdb)
        snprintf(host, sizeof host, "%.*s", (int)(colon - d->s.opt.gdb),
                 d->s.opt.gdb);
    d->gdb = g;
    g->last = (struct gdb_stop){GSTOP_TRAP, 0, 0, 0};
    print_attach(g, host, loopback);
    return 0;
}

void gdbstub_close(struct dbg *d)
{
    struct gdbstub *g = d->gdb;
    if (g == NULL)
        return;
    gdbw_close(&g->w);
    if (g->lfd >= 0)
        close(g->lfd);
    remove_files(g);
    free(g);
    d->gdb = NULL;
}

int gdbstub_listen_fd(const struct dbg *d)
{
    return d->gdb != NULL ? d->gdb->lfd : -1;
}

int gdbstub_serve(struct dbg *d, int timeout_ms)
{
    struct gdbstub *g = d->gdb;
    char peer[128];
    int rc = gdbw_accept(g->lfd, &g->w, timeout_ms, peer, sizeof peer);
    if (rc != 0)
        return 1;
    dbg_sync_output(d);
    printf("lde: gdb connected from %s\n", peer);
    fflush(stdout);
    g->done = false;
    g->multiprocess = g->swbreak = false;
    g->gpid = 0;
    g->detached = 0;
    g->sticky_pid = g->stepped_pid = 0;
    memset(g->bp, 0, sizeof g->bp);
    memset(g->wp, 0, sizeof g->wp);
    while (!g->done) {
        int r = gdbw_read(&g->w, -1);
        if (r < 0) {
            g->done = true;
            g->end = GDB_END_LOST;
        } else if (r == 1) {
            gdb_handle(g);
        }
        /* r == 2: an interrupt while stopped: nothing to stop. */
    }
    /* After W, gdb has nothing left to debug: its going is no loss. */
    if (g->end == GDB_END_LOST && g->last.kind == GSTOP_EXIT)
        g->end = GDB_END_EXIT;
    gdbw_close(&g->w);
    /* gdb's breakpoints go with it; the debugger's come back. */
    while (d->s.cpu->nbreakpoints > 0)
        cpu_break_remove(d->s.cpu, d->s.cpu->breakpoints[0]);
    dbg_attach_hooks(d);
    dbg_sync_output(d);
    static const char *const how[] = {
        [GDB_END_DETACH] = "gdb detached",
        [GDB_END_KILL] = "gdb killed the machine",
        /* (parenthesised: one string on purpose, says clang) */
        [GDB_END_LOST] = ("the connection to gdb was lost; the machine "
                          "stays where it stopped"),
        [GDB_END_EXIT] = "the machine halted; gdb was told",
    };
    printf("lde: %s\n", how[g->end]);
    fflush(stdout);
    return (int)g->end;
}

/* ---- lde run --gdb ------------------------------------------------------ */

#define RUN_SLICE (UINT64_C(1) << 24)

int gdbstub_run_main(const struct session_options *opt)
{
    char err[512];
    int rc;
    struct session_options one = *opt;
    const struct session_options *o = &one;
    if (one.nsched > 1) {
        fprintf(stderr, "lde: --gdb debugs one machine: give one --sched "
                        "(comparing policies is lde run's job)\n");
        return SESSION_EXIT_USAGE;
    }
    /* sjf, stcf: job lengths from a first run, as lde debug does (no
     * console input: stdin stays the guest's). */
    rc = session_learn(&one, NULL, stderr, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "lde: %s\n", err);
        return rc;
    }
    struct dbg *d = dbg_create(o, stdin, stdout, stderr, &rc, err, sizeof err);
    if (d == NULL) {
        fprintf(stderr, "lde: %s\n", err);
        return rc;
    }
    d->stdin_console = true;
    printf("lde: the machine waits before the kernel's first instruction "
           "until gdb connects.\n");
    fflush(stdout);
    /* Ctrl-C stops the machine for gdb; after gdb, it ends the run. */
    session_catch_sigint(SESSION_SIGINT_EVERY);
    int end;
    for (;;) {
        end = gdbstub_serve(d, -1);
        if (end != GDB_END_LOST)
            break;
        printf("lde: waiting for gdb again on port %u (Ctrl-C to quit)\n",
               d->gdb->port);
        fflush(stdout);
        if (session_interrupted()) {
            end = GDB_END_KILL;
            break;
        }
    }
    if (end == GDB_END_KILL) {
        hostcon_flush(&d->hc);
        fprintf(stderr, "lde: killed by gdb at cycle %" PRIu64 "\n",
                d->s.cpu->cycle);
        dbg_destroy(d);
        return SESSION_EXIT_INTERRUPTED;
    }
    /* On without gdb, as `lde run`. At the frontier the past is no longer
     * needed; left in the past, the machine replays it (the console's
     * input from the log, its output printed once) up to the frontier. */
    if (d->s.timeline != NULL && !timeline_replaying(d->s.timeline)) {
        timeline_destroy(d->s.timeline);
        d->s.timeline = NULL;
    }
    session_clear_interrupt();
    session_catch_sigint(SESSION_SIGINT_ONCE);
    dbg_attach_hooks(d);
    enum session_end send;
    double host_s = 0;
    enum cpu_stop why = session_run(&d->s, RUN_SLICE, &send, &host_s);
    hostcon_flush(&d->hc);
    rc = session_report_halt(stderr, &d->s, why, send);
    if (o->stats)
        stats_print(stderr, &d->s, host_s);
    dbg_destroy(d);
    return rc;
}
