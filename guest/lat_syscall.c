/*
 * lat_syscall [N]: the first measurement of OSTEP chapter 6's homework,
 * as the chapter poses it: "measure the cost of a system call ... by
 * repeatedly calling a simple system call (e.g., performing a 0-byte
 * read), and time how long it takes; dividing the time by the number of
 * iterations gives you an estimate". And first, "how precise is the
 * timer": gettimeofday back to back.
 *
 *   1. gettimeofday's precision: many back-to-back calls; the smallest
 *      step the clock takes, and how many calls see the same time.
 *   2. N 0-byte reads (default 100000), timed with gettimeofday.
 *   3. The same loop timed with the cycle counter (rdcycle, readable in
 *      user mode on lde: docs/isa.md §4), and an empty loop to subtract.
 *
 * The clock rate is worked out from the run itself (cycles / microseconds
 * over the timed loop), so nothing here assumes lde's 100 MHz. docs/
 * homework.md explains the figures. Exits 0 (2 on a bad argument).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

#include "lde.h"

static int64_t now_us(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

/* noinline: both loops compile to the same shape, one with the call. */
__attribute__((noinline)) static void reads(long n)
{
    char buf[1];
    for (long i = 0; i < n; i++)
        read(0, buf, 0);
}

__attribute__((noinline)) static void empty(long n)
{
    for (long i = 0; i < n; i++)
        __asm__ volatile("" ::: "memory");
}

/* x / n with two decimals, in integers. */
static void print2(uint64_t x, uint64_t n)
{
    uint64_t h = x * 100 / n;
    printf("%llu.%02llu", (unsigned long long)(h / 100),
           (unsigned long long)(h % 100));
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
    if (n < 1) {
        printf("lat_syscall: N must be >= 1\n");
        return 2;
    }

    /* 1. The timer, back to back. */
    enum { TRIES = 1000 };
    int64_t prev = now_us(), step = 0;
    long same = 0;
    uint64_t c0 = rdcycle64();
    for (int i = 0; i < TRIES; i++) {
        int64_t t = now_us();
        if (t == prev)
            same++;
        else if (step == 0 || t - prev < step)
            step = t - prev;
        prev = t;
    }
    uint64_t per_gtod = (rdcycle64() - c0) / TRIES;
    printf("lat_syscall: gettimeofday back to back, %d times: smallest step "
           "%lld us, %ld calls saw no change; one call takes %llu cycles\n",
           TRIES, (long long)step, same, (unsigned long long)per_gtod);

    /* 2. and 3. The loop, timed both ways at once. */
    /* The clock rate comes from the cycles between the two gettimeofday
     * calls (g0, g1: each read just before its call, so both intervals
     * run between the same points of the two calls); the loop's cost from
     * the cycles around it alone (k0, k1). */
    reads(1); /* warm up */
    uint64_t g0 = rdcycle64();
    int64_t t0 = now_us();
    uint64_t k0 = rdcycle64();
    reads(n);
    uint64_t k1 = rdcycle64();
    uint64_t g1 = rdcycle64();
    int64_t t1 = now_us();
    uint64_t e0 = rdcycle64();
    empty(n);
    uint64_t e1 = rdcycle64();

    uint64_t us = (uint64_t)(t1 - t0), cycles = k1 - k0, loop = e1 - e0;
    printf("lat_syscall: %ld reads of 0 bytes: %llu us by gettimeofday, ", n,
           (unsigned long long)us);
    print2(us * 1000, (uint64_t)n);
    printf(" ns each (the estimate)\n");
    printf("lat_syscall: the cycle counter: %llu cycles, ",
           (unsigned long long)cycles);
    print2(cycles, (uint64_t)n);
    printf(" each; the empty loop ");
    print2(loop, (uint64_t)n);
    printf(", so one call is ");
    print2(cycles - loop, (uint64_t)n);
    printf(" cycles (exact)\n");
    if (us > 0) {
        uint64_t span = g1 - g0; /* cycles between the two clock readings */
        printf("lat_syscall: clock: ");
        print2(span, us);
        printf(" MHz (cycles / us between the readings): one call is ");
        print2((cycles - loop) * 1000 * us / (uint64_t)n, span);
        printf(" ns\n");
    }
    return 0;
}
