/*
 * schedopt.c: --sched, --tickets and --arrival (schedopt.h), checked
 * against lde/sched.h's lists.
 */
#include "schedopt.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "lde/sched.h"
#include "parse.h"

static const struct policy_def {
    const char *name, *summary;
} policies[] = {
#define POLICY_DEF(name, summary) {#name, summary},
    LDE_SCHED_POLICIES(POLICY_DEF)
#undef POLICY_DEF
};
#define NPOLICIES (sizeof policies / sizeof policies[0])

static const struct param_def {
    const char *policy, *key;
    uint32_t max_values;
    uint64_t min, max;
    const char *help;
} params[] = {
#define PARAM_DEF(policy, key, n, min, max, help)                              \
    {#policy, #key, n, min, max, help},
    LDE_SCHED_PARAMS(PARAM_DEF)
#undef PARAM_DEF
};
#define NPARAMS (sizeof params / sizeof params[0])

static int usage(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int usage(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return SESSION_EXIT_USAGE;
}

static const struct policy_def *find_policy(const char *name, size_t len)
{
    for (size_t i = 0; i < NPOLICIES; i++)
        if (strlen(policies[i].name) == len &&
            strncmp(policies[i].name, name, len) == 0)
            return &policies[i];
    return NULL;
}

static int find_param(const char *policy, const char *key, size_t len)
{
    for (size_t i = 0; i < NPARAMS; i++)
        if (strcmp(params[i].policy, policy) == 0 &&
            strlen(params[i].key) == len &&
            strncmp(params[i].key, key, len) == 0)
            return (int)i;
    return -1;
}

/* "queues, quanta, allot" for a policy; "none" if it has none. */
static void param_names(const char *policy, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NPARAMS && at < len; i++)
        if (strcmp(params[i].policy, policy) == 0)
            at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? ", " : "",
                                   params[i].key);
    if (at == 0)
        snprintf(buf, len, "none");
}

/* A cycle count or a time at the clock (parse.h). */
static int cycles(const char *opt, const char *s, uint32_t hz, uint64_t *out,
                  char *err, size_t errlen)
{
    uint64_t ps;
    if (parse_cycles_or_time(opt, s, out, &ps, err, errlen) != 0)
        return SESSION_EXIT_USAGE;
    if (ps != 0)
        *out = parse_ps_to_cycles(ps, hz);
    return 0;
}

/* Append to sp->spec; an error if it does not fit. */
static int append(struct session_sched *sp, char *err, size_t errlen,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int append(struct session_sched *sp, char *err, size_t errlen,
                  const char *fmt, ...)
{
    size_t at = strlen(sp->spec);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(sp->spec + at, sizeof sp->spec - at, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof sp->spec - at)
        return usage(err, errlen, "--sched: the parameters of %s are too long",
                     sp->name);
    return 0;
}

void schedopt_plain(struct session_sched *sp, const char *name)
{
    memset(sp, 0, sizeof *sp);
    snprintf(sp->name, sizeof sp->name, "%s", name);
    snprintf(sp->spec, sizeof sp->spec, "%s", name);
}

/* What the parameters of the policy being parsed said so far. */
struct given {
    unsigned nkeys;          /* KEY=V words so far */
    uint32_t count[NPARAMS]; /* values given per parameter; 0 = not given */
    uint64_t first[NPARAMS]; /* the first of them */
};

/* KEY=V[/V...] for policy sp. */
static int param(struct session_sched *sp, const char *tok, uint32_t hz,
                 struct given *g, char *err, size_t errlen)
{
    const char *eq = strchr(tok, '=');
    if (eq == NULL) {
        char names[128];
        param_names(sp->name, names, sizeof names);
        return usage(err, errlen,
                     "--sched: '%s': parameters are KEY=VALUE (%s has: %s)",
                     tok, sp->name, names);
    }
    int id = find_param(sp->name, tok, (size_t)(eq - tok));
    if (id < 0) {
        char names[128];
        param_names(sp->name, names, sizeof names);
        return usage(err, errlen,
                     "--sched: %s has no parameter '%.*s' (it has: %s)",
                     sp->name, (int)(eq - tok), tok, names);
    }
    const struct param_def *d = &params[id];
    if (g->count[id])
        return usage(err, errlen, "--sched: %s: '%s' is given twice", sp->name,
                     d->key);
    char opt[64];
    snprintf(opt, sizeof opt, "--sched %s %s", sp->name, d->key);
    int rc = append(sp, err, errlen, "%c%s=", g->nkeys++ ? ',' : ':', d->key);
    const char *v = eq + 1;
    uint32_t n = 0;
    while (rc == 0) {
        const char *end = strchr(v, '/');
        size_t len = end ? (size_t)(end - v) : strlen(v);
        char one[64];
        if (len == 0 || len >= sizeof one)
            return usage(err, errlen, "%s: '%s' is not a list of values", opt,
                         eq + 1);
        memcpy(one, v, len);
        one[len] = '\0';
        uint64_t x;
        if (cycles(opt, one, hz, &x, err, errlen) != 0)
            return SESSION_EXIT_USAGE;
        if (++n > d->max_values)
            return usage(err, errlen, "%s: at most %" PRIu32 " value%s", opt,
                         d->max_values, d->max_values == 1 ? "" : "s");
        if (x < d->min || x > d->max)
            return usage(err, errlen,
                         "%s: %s is %" PRIu64 ": the range is %" PRIu64
                         " to %" PRIu64,
                         opt, one, x, d->min, d->max);
        if (n == 1)
            g->first[id] = x;
        rc = append(sp, err, errlen, "%s%" PRIu64, n > 1 ? "/" : "", x);
        if (end == NULL)
            break;
        v = end + 1;
    }
    g->count[id] = n;
    return rc;
}

/* After a policy's parameters: what only the whole can tell. */
static int finish_policy(struct session_sched *sp, const struct given *g,
                         char *err, size_t errlen)
{
    int lengths = find_param(sp->name, "lengths", 7);
    sp->learn = lengths >= 0 && g->count[lengths] == 0;
    int q = find_param(sp->name, "queues", 6);
    if (q < 0)
        return 0;
    /* mlfq: one value per level at most, as the kernel reads no more. */
    uint64_t queues = g->count[q] ? g->first[q] : 3;
    for (size_t i = 0; i < NPARAMS; i++)
        if (strcmp(params[i].policy, sp->name) == 0 &&
            params[i].max_values == LDE_SCHED_MAX_LEVELS &&
            g->count[i] > queues)
            return usage(err, errlen,
                         "--sched %s: %" PRIu32 " values of %s for %" PRIu64
                         " queues",
                         sp->name, g->count[i], params[i].key, queues);
    return 0;
}

int schedopt_policies(const char *arg, uint32_t clock_hz, bool fresh,
                      struct session_options *o, char *err, size_t errlen)
{
    if (fresh)
        o->nsched = 0;
    char list[4096];
    if (snprintf(list, sizeof list, "%s", arg) >= (int)sizeof list)
        return usage(err, errlen, "--sched: argument too long");
    struct session_sched *cur = NULL;
    struct given g;
    char *save = NULL;
    int rc = 0;
    if (list[0] == '\0' || list[0] == ',' || list[strlen(list) - 1] == ',' ||
        strstr(list, ",,") != NULL)
        return usage(err, errlen, "--sched: '%s': an empty policy", arg);
    for (char *t = strtok_r(list, ",", &save); t != NULL && rc == 0;
         t = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(t, ':'), *eq = strchr(t, '=');
        if (eq != NULL && (colon == NULL || colon > eq)) {
            /* KEY=V: a parameter of the policy before it. */
            if (cur == NULL)
                return usage(err, errlen,
                             "--sched: '%s' comes before any policy", t);
            rc = param(cur, t, clock_hz, &g, err, errlen);
            continue;
        }
        if (cur != NULL) {
            rc = finish_policy(cur, &g, err, errlen);
            if (rc != 0)
                break;
        }
        size_t nlen = colon ? (size_t)(colon - t) : strlen(t);
        const struct policy_def *p = find_policy(t, nlen);
        if (p == NULL)
            return usage(err, errlen,
                         "--sched: unknown policy '%.*s' (known: rr fifo sjf "
                         "stcf mlfq lottery stride; --sched help)",
                         (int)nlen, t);
        if (o->nsched == SESSION_SCHED_MAX)
            return usage(err, errlen, "--sched: at most %d policies",
                         SESSION_SCHED_MAX);
        cur = &o->sched[o->nsched++];
        schedopt_plain(cur, p->name);
        memset(&g, 0, sizeof g);
        if (colon != NULL) {
            if (colon[1] == '\0')
                return usage(err, errlen,
                             "--sched: '%s' needs KEY=VALUE after the colon",
                             t);
            rc = param(cur, colon + 1, clock_hz, &g, err, errlen);
        }
    }
    if (rc == 0 && cur != NULL)
        rc = finish_policy(cur, &g, err, errlen);
    return rc;
}

/* "A,B,C": each through one(), at most BOOT_MAX_PROGS. */
static int per_program(const char *opt, const char *arg, uint32_t hz,
                       uint64_t min, uint64_t max, uint64_t *out, unsigned *n,
                       char *err, size_t errlen)
{
    const char *v = arg;
    *n = 0;
    for (;;) {
        const char *end = strchr(v, ',');
        size_t len = end ? (size_t)(end - v) : strlen(v);
        char one[64];
        if (len == 0 || len >= sizeof one)
            return usage(err, errlen, "%s: '%s' is not a comma-separated list",
                         opt, arg);
        if (*n == BOOT_MAX_PROGS)
            return usage(err, errlen, "%s: at most %d values (one a program)",
                         opt, BOOT_MAX_PROGS);
        memcpy(one, v, len);
        one[len] = '\0';
        if (cycles(opt, one, hz, &out[*n], err, errlen) != 0)
            return SESSION_EXIT_USAGE;
        if (out[*n] < min || out[*n] > max)
            return usage(err, errlen,
                         "%s: %s: the range is %" PRIu64 " to %" PRIu64, opt,
                         one, min, max);
        ++*n;
        if (end == NULL)
            return 0;
        v = end + 1;
    }
}

int schedopt_tickets(const char *arg, struct session_options *o, char *err,
                     size_t errlen)
{
    uint64_t v[BOOT_MAX_PROGS];
    unsigned n;
    /* hz 1: a time makes no sense here, and 1 Hz keeps it tiny. */
    int rc = per_program("--tickets", arg, 1, 1, LDE_TICKETS_MAX, v, &n, err,
                         errlen);
    if (rc != 0)
        return rc;
    for (unsigned i = 0; i < n; i++)
        o->tickets[i] = (uint32_t)v[i];
    o->ntickets = n;
    return 0;
}

int schedopt_arrivals(const char *arg, uint32_t clock_hz,
                      struct session_options *o, char *err, size_t errlen)
{
    return per_program("--arrival", arg, clock_hz, 0, UINT64_MAX, o->arrival,
                       &o->narrival, err, errlen);
}

void schedopt_cmdline(const struct session_options *o,
                      const struct session_sched *sp, char *buf, size_t len)
{
    size_t at = (size_t)snprintf(buf, len, "sched=%s", sp->spec);
    for (unsigned i = 0; i < o->ntickets && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, "%s%" PRIu32,
                               i ? "/" : " tickets=", o->tickets[i]);
    for (unsigned i = 0; i < o->narrival && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, "%s%" PRIu64,
                               i ? "/" : " arrive=", o->arrival[i]);
}

void schedopt_help(FILE *f)
{
    fprintf(f, "Scheduling policies (--sched NAME[:KEY=V,...][,NAME...]; "
               "docs/scheduling.md):\n");
    for (size_t i = 0; i < NPOLICIES; i++) {
        fprintf(f, "  %-8s %s\n", policies[i].name, policies[i].summary);
        for (size_t k = 0; k < NPARAMS; k++)
            if (strcmp(params[k].policy, policies[i].name) == 0)
                fprintf(f, "    %-8s %s\n", params[k].key, params[k].help);
    }
    fprintf(f,
            "Values are cycles or times (10k, 2M, 1ms); several, one per "
            "level or pid,\nare separated by '/': "
            "mlfq:queues=3,quanta=10k/20k/40k,boost=1M.\n"
            "--cooperative turns the timer off for any of them. --tickets "
            "T,T,... gives\neach program its tickets (default %d); "
            "--arrival C,C,... the cycle (or time)\nit arrives at.\n",
            LDE_TICKETS_DEFAULT);
}
