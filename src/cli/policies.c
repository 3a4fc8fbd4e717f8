/*
 * policies.c: `lde run --sched A,B,...`: the same programs once under
 * each scheduling policy, each in a freshly booted machine with the same
 * console input, then their figures side by side (docs/scheduling.md).
 * One policy is the same loop, once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "learn.h"
#include "loop.h"
#include "schedrep.h"

/* The console input of several runs: each gets the same. From a file or
 * a pipe, stdin is read whole first and replayed; a terminal cannot be
 * replayed, so each run reads it anew (and a first run that learns job
 * lengths gets none). */
struct replay {
    bool on;    /* several runs: replay */
    bool tty;   /* stdin is a terminal */
    char *text; /* all of stdin */
    size_t len;
};

static void replay_init(struct replay *rp, bool several)
{
    *rp = (struct replay){.on = several, .tty = isatty(STDIN_FILENO) == 1};
    if (!rp->on || rp->tty)
        return;
    size_t cap = 0;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
        if (rp->len + n > cap) {
            size_t ncap = cap ? cap * 2 : sizeof chunk;
            while (ncap < rp->len + n)
                ncap *= 2;
            char *t = realloc(rp->text, ncap);
            if (t == NULL)
                break;
            rp->text = t;
            cap = ncap;
        }
        memcpy(rp->text + rp->len, chunk, n);
        rp->len += n;
    }
}

/* The input of one run (learning: of a first run); close it with
 * replay_close. NULL: no input at all. A file of its own, since the
 * console reads its descriptor (hostcon.c). */
static FILE *replay_open(const struct replay *rp, bool learning)
{
    if (!rp->on || rp->tty)
        return learning ? NULL : stdin;
    FILE *f = rp->len ? tmpfile() : NULL;
    if (f != NULL && (fwrite(rp->text, 1, rp->len, f) != rp->len ||
                      fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0)) {
        fclose(f);
        f = NULL;
    }
    return f;
}

static void replay_close(FILE *f)
{
    if (f != NULL && f != stdin)
        fclose(f);
}

/* --json with several policies: one report (observe_json.c's, the same as
 * for a run alone) per policy, in the order of --sched. */
struct reports {
    FILE *f;    /* NULL: no --json, or one policy (the run writes it) */
    unsigned n; /* reports written */
};

static int reports_open(struct reports *rs, const char *file, bool several)
{
    *rs = (struct reports){0};
    if (file == NULL || !several)
        return 0;
    rs->f = strcmp(file, "-") == 0 ? stdout : fopen(file, "w");
    if (rs->f == NULL) {
        fprintf(stderr, "lde: %s: cannot write\n", file);
        return SESSION_EXIT_FILE;
    }
    fputs("{\"schema\":\"lde-sched-compare\",\"schema_version\":1,"
          "\"runs\":[\n",
          rs->f);
    return 0;
}

/* One run, its report kept until the run is over (a run that cannot boot
 * writes none). */
static int run_one(const struct session_options *o, FILE *in, FILE *out,
                   struct schedrep *r, struct reports *rs, bool *booted)
{
    if (rs->f == NULL)
        return run_session(o, in, out, r, NULL, booted);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    int rc = run_session(o, in, out, r, mem, booted);
    if (mem != NULL)
        fclose(mem);
    if (len > 0) {
        fputs(rs->n++ ? ",\n" : "", rs->f);
        fwrite(text, 1, len, rs->f);
    }
    free(text);
    return rc;
}

static int reports_close(struct reports *rs, const char *file)
{
    if (rs->f == NULL)
        return 0;
    fputs("]}\n", rs->f);
    int bad = rs->f == stdout ? fflush(stdout) : fclose(rs->f);
    if (bad != 0) {
        fprintf(stderr, "lde: %s: cannot write\n", file);
        return SESSION_EXIT_FILE;
    }
    return 0;
}

int run_policies(struct session_options *o)
{
    unsigned n = o->nsched;
    bool several = n > 1;
    if (several && o->observe.timeline != NULL) {
        fprintf(stderr, "lde: --timeline draws one run: with several --sched "
                        "policies, draw them one at a time\n");
        return SESSION_EXIT_USAGE;
    }
    struct schedrep *reps = NULL;
    if (o->sched_given) {
        reps = calloc(n, sizeof *reps);
        if (reps == NULL) {
            fprintf(stderr, "lde: out of memory\n");
            return SESSION_EXIT_FILE;
        }
    }
    struct reports rs;
    int status = reports_open(&rs, o->observe.json, several);
    if (status != 0) {
        free(reps);
        return status;
    }
    /* --json -: stdout is the JSON; the programs' output goes to stderr. */
    bool json_stdout = o->observe.json && strcmp(o->observe.json, "-") == 0;
    FILE *out = json_stdout ? stderr : stdout;
    bool learns = false;
    for (unsigned i = 0; i < n; i++)
        learns |= o->sched[i].learn;
    struct replay rp;
    replay_init(&rp, several || learns);
    for (unsigned i = 0; i < n; i++) {
        struct session_options one = *o;
        one.nsched = 1;
        one.sched[0] = o->sched[i];
        if (several)
            fprintf(stderr, "lde: ---- run %u of %u: --sched %s ----\n", i + 1,
                    n, one.sched[0].spec);
        char err[512];
        FILE *in = replay_open(&rp, true);
        int rc = session_learn(&one, in, stderr, err, sizeof err);
        replay_close(in);
        if (rc != 0) {
            fprintf(stderr, "lde: %s\n", err);
            status = status ? status : rc;
            n = i; /* the runs that were made */
            break;
        }
        in = replay_open(&rp, false);
        bool booted;
        rc = run_one(&one, in, out, reps ? &reps[i] : NULL, &rs, &booted);
        replay_close(in);
        fflush(out);
        if (status == 0)
            status = rc;
        if (!booted) { /* the same files fail every run: no figures */
            n = i;
            break;
        }
        if (session_interrupted()) { /* Ctrl-C ends them all */
            n = i + 1;
            break;
        }
    }
    if (several && reps != NULL && n > 0)
        schedrep_compare(stderr, reps, n);
    else if (reps != NULL && n == 1)
        schedrep_print(stderr, &reps[0]);
    int wrc = reports_close(&rs, o->observe.json);
    if (status == 0)
        status = wrc;
    free(reps);
    free(rp.text);
    return status;
}
