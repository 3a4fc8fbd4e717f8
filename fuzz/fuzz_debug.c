/*
 * fuzz_debug.c: the debugger's command parser and expression evaluator
 * (`lde debug`, src/debug/) on any text.
 *
 * The input is a script, one command per line (at most MAX_LINES lines of
 * MAX_LINE bytes), as `lde debug` reads from a pipe. The machine is the
 * one `lde debug hello` boots, booted afresh for every input, with a cycle
 * limit so that no command runs for long. Each line goes to the command
 * interpreter (dbg_execute), and also to the expression evaluator
 * (dbg_eval) and the location parser (dbg_parse_location) directly,
 * whose errors must be one line. The debugger prints on stdout, sent to
 * /dev/null here; ASan, UBSan and the invariants after each command
 * (x0 is 0, the machine's mode legal) catch what goes wrong.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbg.h"
#include "fuzz_dbg.h"

#define MAX_LINES 32 /* a si to the end takes ~0.3 s under ASan */
#define MAX_LINE 512
#define MAX_CYCLES 3000000u /* continue and friends stop there */

static struct dbg *d;

static void fail(const char *what, const char *line)
{
    fprintf(stderr, "fuzz_debug: %s (after \"%s\")\n", what, line);
    abort();
}

#define CHECK(cond, line)                                                      \
    do {                                                                       \
        if (!(cond))                                                           \
            fail(#cond, line);                                                 \
    } while (0)

static void check_error(const char *err, const char *line)
{
    size_t n = strlen(err);
    CHECK(n > 0 && n < DBG_MSG_MAX, line);
    CHECK(strchr(err, '\n') == NULL, line);
}

static void one_line(const char *line)
{
    /* The evaluator and the location parser on their own. */
    char err[DBG_MSG_MAX];
    struct dbg_value v;
    err[0] = '\0';
    if (dbg_eval(d, line, &v, err, sizeof err) != 0)
        check_error(err, line);
    struct dbg_loc l;
    err[0] = '\0';
    if (dbg_parse_location(d, line, &l, err, sizeof err) != 0)
        check_error(err, line);

    /* Then as a command, as the REPL would run it. */
    dbg_execute(d, line);
    const struct cpu *cpu = d->s.cpu;
    CHECK(cpu->x[0] == 0, line);
    CHECK(cpu->mode == MODE_USER || cpu->mode == MODE_KERNEL, line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    d = fuzz_dbg_open(MAX_CYCLES);
    char line[MAX_LINE];
    size_t at = 0;
    for (int n = 0; n < MAX_LINES && at < size && !d->quit; n++) {
        size_t len = 0;
        while (at < size && data[at] != '\n') {
            if (len + 1 < sizeof line)
                line[len++] = (char)(data[at] ? data[at] : ' ');
            at++;
        }
        at++; /* the newline */
        line[len] = '\0';
        const char *p = dbg_skip(line);
        if (*p != '\0')
            one_line(p);
    }
    fflush(stdout);
    fuzz_dbg_close(d);
    d = NULL;
    return 0;
}
