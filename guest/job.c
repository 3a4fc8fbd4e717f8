/*
 * job UNITS [burst=B] [sleep=TIME | yield] [tickets=T]: a job for the
 * scheduling examples of OSTEP 7-9 (docs/scheduling.md). It computes
 * UNITS units of work and exits; a unit is a loop of exactly 10,000 user
 * cycles with the default cycle table, so a job's length is known before
 * it runs. With burst=B it pauses after every B units: sleep=TIME sleeps
 * (an interactive job that waits for its user: 1ms, 500us, 2s), yield
 * gives the CPU away (sched_yield). tickets=T first sets its own tickets
 * with lde_tickets (lottery, stride). At the end it prints
 *     job: pid P done, U units
 * Exit 0; 2 on a bad argument.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lde.h"

/* units * 10,000 - 1 cycles (default costs): per unit, li (2 cycles:
 * lui + addi), 3,332 rounds of addi + taken bnez (3 each; the last bnez
 * is not taken: 1), then addi + bnez back (1 + 2; the last not taken). */
static void work(uint32_t units)
{
    if (units == 0)
        return;
    __asm__ volatile("1: li t0, 3332\n"
                     "2: addi t0, t0, -1\n"
                     "   bnez t0, 2b\n"
                     "   addi %0, %0, -1\n"
                     "   bnez %0, 1b\n"
                     : "+r"(units)
                     :
                     : "t0");
}

/* "1ms", "500us", "20ns", "2s" (or a bare number: ns); -1 if none. */
static int64_t parse_ns(const char *s)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || v < 0)
        return -1;
    if (strcmp(end, "s") == 0)
        return v * 1000000000;
    if (strcmp(end, "ms") == 0)
        return v * 1000000;
    if (strcmp(end, "us") == 0)
        return v * 1000;
    if (strcmp(end, "ns") == 0 || *end == '\0')
        return v;
    return -1;
}

static int usage(const char *why)
{
    printf("job: %s\nusage: job UNITS [burst=B] [sleep=TIME | yield] "
           "[tickets=T]\n",
           why);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage("how many units?");
    long units = strtol(argv[1], NULL, 10);
    long burst = 0, tickets = 0;
    int64_t sleep_ns = -1;
    int yields = 0;
    if (units < 0)
        return usage("UNITS must be >= 0");
    for (int i = 2; i < argc; i++) {
        if (strncmp(argv[i], "burst=", 6) == 0)
            burst = strtol(argv[i] + 6, NULL, 10);
        else if (strncmp(argv[i], "sleep=", 6) == 0 &&
                 (sleep_ns = parse_ns(argv[i] + 6)) < 0)
            return usage("sleep=TIME: 1ms, 500us, 2s");
        else if (strncmp(argv[i], "sleep=", 6) == 0)
            continue;
        else if (strcmp(argv[i], "yield") == 0)
            yields = 1;
        else if (strncmp(argv[i], "tickets=", 8) == 0)
            tickets = strtol(argv[i] + 8, NULL, 10);
        else
            return usage(argv[i]);
    }
    if (burst < 0 || (burst == 0 && (yields || sleep_ns >= 0)))
        return usage("burst=B (B > 0) goes with sleep=TIME or yield");
    if (tickets && lde_tickets(tickets) < 0)
        return usage("tickets=T: 1 to 1000000");
    if (burst == 0)
        burst = units ? units : 1;
    struct lde_timespec pause = {sleep_ns / 1000000000,
                                 (int32_t)(sleep_ns % 1000000000), 0};
    for (long left = units; left > 0;) {
        long b = left < burst ? left : burst;
        work((uint32_t)b);
        left -= b;
        if (left == 0)
            break;
        if (sleep_ns >= 0)
            lde_nanosleep(LDE_CLOCK_MONOTONIC, 0, &pause, NULL);
        else if (yields)
            sched_yield();
    }
    printf("job: pid %d done, %ld units\n", getpid(), units);
    return 0;
}
