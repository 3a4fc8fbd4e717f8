/* window.c: `--window SPEC` (see window.h). */
#include "window.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

void window_all(struct obs_window *w)
{
    *w = (struct obs_window){.to = UINT64_MAX};
}

static int bad(char *err, size_t errlen, const char *item, const char *why)
{
    snprintf(err, errlen, "--window: '%s': %s", item, why);
    return -1;
}

/* "N" with no suffix, at least 1. */
static int positive(const char *s, uint64_t *v)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long long n = strtoull(s, &end, 10);
    if (*end != '\0' || n == 0)
        return -1;
    *v = n;
    return 0;
}

/* One end of A..B: empty, a cycle count or a time. */
static int bound(const char *s, uint64_t *cycles, uint64_t *ps, char *err,
                 size_t errlen)
{
    *cycles = 0;
    *ps = 0;
    if (*s == '\0')
        return 1; /* left open */
    return parse_cycles_or_time("--window", s, cycles, ps, err, errlen);
}

static int range(char *item, struct obs_window *w, char *err, size_t errlen)
{
    char *dots = strstr(item, "..");
    *dots = '\0';
    const char *a = item, *b = dots + 2;
    int ra = bound(a, &w->from, &w->from_ps, err, errlen);
    if (ra < 0)
        return -1;
    uint64_t to, to_ps;
    int rb = bound(b, &to, &to_ps, err, errlen);
    if (rb < 0)
        return -1;
    w->to = rb == 1 ? UINT64_MAX : to;
    w->to_ps = rb == 1 ? 0 : to_ps;
    *dots = '.';
    if (ra == 1 && rb == 1)
        return bad(err, errlen, item, "a range needs at least one end");
    if (rb == 0 && w->to_ps == 0 && w->from_ps == 0 && w->to <= w->from)
        return bad(err, errlen, item, "the range is empty");
    return 0;
}

static int item(char *it, struct obs_window *w, char *err, size_t errlen)
{
    uint64_t v;
    if (strstr(it, "..") != NULL)
        return range(it, w, err, errlen);
    if (strncmp(it, "pid=", 4) == 0) {
        if (positive(it + 4, &v) != 0 || v > UINT32_MAX)
            return bad(err, errlen, it, "a pid is a number from 1");
        w->pid = (uint32_t)v;
        return 0;
    }
    if (strncmp(it, "first=", 6) == 0) {
        if (positive(it + 6, &v) != 0)
            return bad(err, errlen, it, "first= takes a count from 1");
        w->first = v;
        return 0;
    }
    return bad(err, errlen, it,
               "expected A..B (cycles or times), pid=P or first=N");
}

int window_parse(const char *spec, struct obs_window *w, char *err,
                 size_t errlen)
{
    window_all(w);
    w->given = true;
    size_t n = strlen(spec);
    if (n == 0)
        return bad(err, errlen, spec, "empty");
    char *copy = malloc(n + 1);
    if (copy == NULL)
        return bad(err, errlen, spec, "out of memory");
    memcpy(copy, spec, n + 1);
    int rc = 0;
    for (char *save = NULL, *it = strtok_r(copy, ",", &save); it != NULL;
         it = strtok_r(NULL, ",", &save)) {
        rc = item(it, w, err, errlen);
        if (rc != 0)
            break;
    }
    free(copy);
    return rc;
}

void window_resolve(struct obs_window *w, uint64_t hz)
{
    if (w->from_ps != 0)
        w->from = parse_ps_to_cycles(w->from_ps, hz);
    if (w->to_ps != 0)
        w->to = parse_ps_to_cycles(w->to_ps, hz);
    w->from_ps = w->to_ps = 0;
}
