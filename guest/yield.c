/*
 * yield: a cooperative job. N times (argv[1], default 5) it prints its pid
 * and the iteration, then gives the CPU away with sched_yield. Run two or
 * three of them to watch the scheduler alternate:
 *     yield: pid 1 iteration 0
 *     yield: pid 2 iteration 0
 *     ...
 * Exits 0 (2 on a bad argument).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lde.h"

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 5;
    if (n < 0) {
        printf("yield: N must be >= 0\n");
        return 2;
    }
    int pid = getpid();
    for (long i = 0; i < n; i++) {
        printf("yield: pid %d iteration %ld\n", pid, i);
        sched_yield();
    }
    return 0;
}
