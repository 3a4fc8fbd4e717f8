/*
 * loop.c: the run loop shared by `lde run` and `lde debug`, with its
 * Ctrl-C handling and host clock (loop.h).
 */
#include "loop.h"

#include <signal.h>
#include <string.h>
#include <time.h>

#include "timeline.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

void session_catch_sigint(enum session_sigint how)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    /* lde run: SA_RESETHAND, so that a second Ctrl-C kills lde at once
     * (docs/usage.md). The debugger keeps the handler: every Ctrl-C
     * stops the machine and comes back to the prompt. */
    if (how == SESSION_SIGINT_ONCE)
        sa.sa_flags = SA_RESETHAND | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

bool session_interrupted(void)
{
    return interrupted != 0;
}

void session_clear_interrupt(void)
{
    interrupted = 0;
}

double session_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum cpu_stop session_run(struct session *s, uint64_t slice,
                          enum session_end *end, double *host_seconds)
{
    *end = SESSION_END_MACHINE;
    for (;;) {
        if (interrupted) {
            *end = SESSION_END_INTERRUPT;
            return STOP_BUDGET;
        }
        uint64_t budget = session_next_slice(s, slice);
        if (budget == 0) {
            *end = SESSION_END_LIMIT;
            return STOP_BUDGET;
        }
        if (s->step_limit != 0) {
            /* A step costs a cycle at least: a budget of the steps left
             * goes at most a step or two past the limit (cpu.h). */
            uint64_t steps = cpu_steps(s->cpu);
            if (steps >= s->step_limit) {
                *end = SESSION_END_STEPS;
                return STOP_BUDGET;
            }
            if (s->step_limit - steps < budget)
                budget = s->step_limit - steps;
        }
        double t0 = session_now();
        enum cpu_stop why = cpu_run(s->cpu, budget);
        *host_seconds += session_now() - t0;
        if (s->timeline != NULL)
            timeline_tick(s->timeline);
        /* Ctrl-C while the guest waited for console input: the console
         * gave up waiting (hostcon.c) and the machine stopped for want of
         * input. That is the interrupt's doing, not a deadlock. */
        if (why == STOP_WAIT_INPUT && interrupted) {
            *end = SESSION_END_INTERRUPT;
            return STOP_BUDGET;
        }
        if (why != STOP_BUDGET)
            return why;
        /* The slice ended right before a breakpoint: the next would step
         * over it. */
        if (s->cpu->nbreakpoints && cpu_at_breakpoint(s->cpu))
            return STOP_BREAKPOINT;
    }
}
