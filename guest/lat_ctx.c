/*
 * lat_ctx [N]: the second measurement of OSTEP chapter 6's homework, the
 * way lmbench does it: "running two processes on a single CPU, and
 * setting up two UNIX pipes between them ... The first process then
 * issues a write to the first pipe, and waits for a read on the second;
 * upon seeing the first process waiting for something to read from the
 * second pipe, the OS puts the first process in the blocked state, and
 * switches to the other process, which reads from the first pipe and then
 * writes to the second. When the second process tries to read from the
 * first pipe again, it blocks, and thus the back-and-forth cycle of
 * communication continues."
 *
 *   1. The overhead: one process writes a byte into a pipe and reads it
 *      back, N times: two system calls and the copies, no switch.
 *   2. Two processes (fork), two pipes, a byte back and forth N times
 *      (default 10000): a round trip is two switches and two overheads.
 *   3. A switch = (round trip - 2 * overhead) / 2, by gettimeofday and by
 *      the cycle counter (exact).
 *
 * lmbench subtracts the overhead the same way. docs/homework.md explains
 * the figures and breaks one switch into its steps. Exits 0 (2 on a bad
 * argument, 1 if a pipe or fork fails).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lde.h"

static int64_t now_us(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

/* Pass one byte: write it to out, wait for it on in. */
static int pass(int out, int in)
{
    char c = 'x';
    return write(out, &c, 1) == 1 && read(in, &c, 1) == 1 ? 0 : -1;
}

struct timing {
    uint64_t cycles, us;
};

/* x / n with two decimals, in integers. */
static void print2(uint64_t x, uint64_t n)
{
    uint64_t h = x * 100 / n;
    printf("%llu.%02llu", (unsigned long long)(h / 100),
           (unsigned long long)(h % 100));
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
    if (n < 1) {
        printf("lat_ctx: N must be >= 1\n");
        return 2;
    }
    int one[2], ping[2], pong[2];
    if (pipe(one) < 0 || pipe(ping) < 0 || pipe(pong) < 0) {
        printf("lat_ctx: pipe failed\n");
        return 1;
    }

    /* 1. The overhead, in one process: a byte to itself. */
    pass(one[1], one[0]); /* warm up */
    struct timing o;
    int64_t t0 = now_us();
    uint64_t c0 = rdcycle64();
    for (long i = 0; i < n; i++)
        pass(one[1], one[0]);
    o.cycles = rdcycle64() - c0;
    o.us = (uint64_t)(now_us() - t0);

    /* 2. Two processes: the child echoes every byte back. */
    fflush(stdout);
    pid_t child = fork();
    if (child < 0) {
        printf("lat_ctx: fork failed\n");
        return 1;
    }
    if (child == 0) {
        char c;
        close(ping[1]); /* or it would never see end of file */
        close(pong[0]);
        while (read(ping[0], &c, 1) == 1)
            write(pong[1], &c, 1);
        _exit(0);
    }
    pass(ping[1], pong[0]); /* warm up: both have run */
    struct timing r;
    t0 = now_us();
    c0 = rdcycle64();
    for (long i = 0; i < n; i++)
        pass(ping[1], pong[0]);
    r.cycles = rdcycle64() - c0;
    r.us = (uint64_t)(now_us() - t0);
    close(ping[1]); /* the child sees end of file and ends */
    waitpid(child, NULL, 0);

    /* 3. The figures. */
    printf("lat_ctx: %ld round trips between 2 processes over 2 pipes\n", n);
    printf("lat_ctx: overhead (write + read of 1 byte, no switch): ");
    print2(o.us * 1000, (uint64_t)n);
    printf(" ns by gettimeofday; ");
    print2(o.cycles, (uint64_t)n);
    printf(" cycles\n");
    printf("lat_ctx: round trip (2 switches + 2 overheads): ");
    print2(r.us * 1000, (uint64_t)n);
    printf(" ns by gettimeofday; ");
    print2(r.cycles, (uint64_t)n);
    printf(" cycles\n");
    printf("lat_ctx: one context switch: ");
    if (r.us > 2 * o.us)
        print2((r.us - 2 * o.us) * 1000, 2 * (uint64_t)n);
    else
        printf("(too small to see)");
    printf(" ns by gettimeofday (the estimate); ");
    if (r.cycles > 2 * o.cycles)
        print2(r.cycles - 2 * o.cycles, 2 * (uint64_t)n);
    else
        printf("?");
    printf(" cycles by the cycle counter (exact)\n");
    return 0;
}
