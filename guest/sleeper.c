/*
 * sleeper [SECONDS [NANOSECONDS]] | sleeper forever: sleeps with
 * clock_nanosleep (default 1 s), then prints how long it slept by
 * clock_gettime. The process is BLOCKED meanwhile; with nothing else to
 * run the kernel waits in wfi, and `lde run --stats` shows the time as
 * idle. "forever" asks for the longest sleep there is: it never ends, so
 * alone it leaves the machine with nothing that can ever happen, which lde
 * reports as a deadlock.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lde.h"

int main(int argc, char **argv)
{
    struct lde_timespec req = {1, 0, 0}, t0, t1;
    if (argc > 1 && strcmp(argv[1], "forever") == 0)
        req.tv_sec = INT64_MAX;
    else if (argc > 1)
        req.tv_sec = strtoll(argv[1], NULL, 0);
    if (argc > 2)
        req.tv_nsec = strtol(argv[2], NULL, 0);
    lde_clock_gettime(LDE_CLOCK_MONOTONIC, &t0);
    long r = lde_nanosleep(LDE_CLOCK_MONOTONIC, 0, &req, NULL);
    lde_clock_gettime(LDE_CLOCK_MONOTONIC, &t1);
    if (r != 0) {
        printf("sleeper: clock_nanosleep failed: %ld\n", r);
        return 1;
    }
    int64_t ns = lde_ts_ns(&t1) - lde_ts_ns(&t0);
    printf("sleeper: slept %lld.%09lld s\n", (long long)(ns / 1000000000),
           (long long)(ns % 1000000000));
    return 0;
}
