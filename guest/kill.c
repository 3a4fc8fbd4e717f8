/*
 * kill: send a signal to processes (OSTEP 5.5's "kill() system call").
 *
 *     kill [-SIGNAL] PID...     SIGNAL: a number or a name (TERM, KILL,
 *                               INT, SIGTERM, ...); default TERM
 *     kill -l                   the signal names and numbers
 *
 * PID -1 is every process but pid 1 and the caller. Numbers and names
 * are Linux's (the kernel's). Exit status: 0 if every PID was signalled,
 * 1 otherwise (with a line on stderr for each failure), 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lde.h"

/* A signal given as a number or a name (with or without SIG); -1 if it
 * is neither. */
static int parse_signal(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (*s && *end == '\0')
        return n >= 0 && n <= LDE_NSIG ? (int)n : -1;
    if (strncmp(s, "SIG", 3) == 0)
        s += 3;
    for (int sig = 1; sig <= LDE_NSIG; sig++)
        if (lde_signal_name((uint32_t)sig) &&
            strcmp(lde_signal_name((uint32_t)sig), s) == 0)
            return sig;
    return -1;
}

static int usage(void)
{
    fprintf(stderr, "usage: kill [-SIGNAL] PID... | kill -l\n");
    return 2;
}

int main(int argc, char **argv)
{
    int sig = LDE_SIGNAL_TERM, i = 1;
    if (argc == 2 && strcmp(argv[1], "-l") == 0) {
        for (int s = 1; s <= LDE_NSIG; s++)
            if (lde_signal_name((uint32_t)s))
                printf("%2d %s\n", s, lde_signal_name((uint32_t)s));
        return 0;
    }
    if (argc > 1 && argv[1][0] == '-' && strcmp(argv[1], "-1") != 0) {
        sig = parse_signal(argv[1] + 1);
        if (sig < 0) {
            fprintf(stderr, "kill: unknown signal '%s'\n", argv[1] + 1);
            return 2;
        }
        i = 2;
    }
    if (i == argc)
        return usage();
    int failed = 0;
    for (; i < argc; i++) {
        char *end;
        long pid = strtol(argv[i], &end, 10);
        if (argv[i][0] == '\0' || *end != '\0')
            return usage();
        long r = lde_kill(pid, sig);
        if (r < 0) {
            fprintf(stderr, "kill: %s: %s\n", argv[i],
                    r == -LDE_ESRCH    ? "no such process"
                    : r == -LDE_EINVAL ? "invalid pid or signal"
                                       : "failed");
            failed = 1;
        }
    }
    return failed;
}
