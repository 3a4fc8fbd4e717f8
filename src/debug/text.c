/*
 * text.c: the debugger's words in and out, below every other file of
 * src/debug: blanks and numbers in a command's arguments, the one-line
 * error, and ending the guest's partial line before the debugger prints.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "dbg.h"

const char *dbg_skip(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

int dbg_parse_uint(const char *s, uint64_t *v)
{
    s = dbg_skip(s);
    if (!isdigit((unsigned char)*s))
        return -1;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno != 0 || *dbg_skip(end) != '\0')
        return -1;
    *v = x;
    return 0;
}

void dbg_err(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

void dbg_sync_output(struct dbg *d)
{
    if (d->guest_midline) {
        putchar('\n');
        d->guest_midline = false;
    }
    fflush(stdout);
}
