/*
 * test_timeline.c: reverse execution's promise, checked on the real
 * kernel and programs: a moment reached by going back (restore a
 * snapshot, replay) is the moment the machine went through the first
 * time: registers, privileged registers, counters, devices, RAM, the
 * per-process accounting; console output is printed once, whatever the
 * back and forth; console input comes back at the same steps; and a
 * change in the past starts a new history without touching the old one.
 *
 * Each scenario runs the machine once without a timeline (the
 * reference), then again with one: forward to a list of moments,
 * fingerprinting each, on to the end, then back to each moment in a
 * scrambled order. The snapshot limits are small, so that the thinning
 * of old snapshots is exercised too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu.h"
#include "session.h"
#include "timeline.h"

#define MAX_OUT (1 << 16)
#define NMOMENTS 12

struct ctx {
    struct session s;
    struct timeline *t; /* NULL: the reference run */
    char out[MAX_OUT];  /* what was printed */
    size_t printed;
    const char *const *lines; /* console input, then end of input */
    size_t next_line;
};

static void tx(void *c, int stream, uint8_t b)
{
    struct ctx *x = c;
    (void)stream;
    if ((x->t == NULL || timeline_output(x->t)) && x->printed < MAX_OUT)
        x->out[x->printed++] = (char)b;
}

static void feed(void *c, struct cpu *cpu)
{
    struct ctx *x = c;
    if (x->lines == NULL || x->lines[x->next_line] == NULL) {
        cpu_console_close(cpu);
        return;
    }
    const char *l = x->lines[x->next_line++];
    cpu_console_input(cpu, l, strlen(l));
}

static void rx(void *c, struct cpu *cpu)
{
    struct ctx *x = c;
    if (x->t != NULL)
        timeline_input(x->t, cpu, feed, c);
    else
        feed(c, cpu);
}

static bool mode(void *c, struct cpu *cpu, uint32_t o, uint32_t n)
{
    struct ctx *x = c;
    (void)cpu;
    session_note_mode(&x->s, o, n);
    return false;
}

static void open_session(struct ctx *x, char **argv, int argc)
{
    struct session_options o;
    char err[512];
    memset(x, 0, sizeof *x);
    if (session_parse_args(argc, argv, &o, err, sizeof err) != 0)
        fail_msg("args: %s", err);
    o.ram_size = 16u << 20;
    if (session_open(&x->s, &o, err, sizeof err) != 0)
        fail_msg("session_open: %s", err);
    struct cpu_hooks h = {
        .ctx = x, .console_tx = tx, .console_rx_wanted = rx, .mode = mode};
    cpu_set_hooks(x->s.cpu, &h);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

/* Everything the machine's future depends on, and the host's figures. */
struct print {
    uint32_t x[32], pc, mode, status, ttr, ksp, ubase, ubound;
    uint64_t cycle, instret, user, idle, mode_since, steps;
    uint64_t traps, timer, console, ram, acct;
    bool halted, in_wfi;
};

static struct print fingerprint(const struct ctx *x)
{
    const struct cpu *c = x->s.cpu;
    struct print p;
    memset(&p, 0, sizeof p);
    memcpy(p.x, c->x, sizeof p.x);
    p.pc = c->pc;
    p.mode = c->mode;
    p.status = c->status;
    p.ttr = c->ttr;
    p.ksp = c->ksp;
    p.ubase = c->ubase;
    p.ubound = c->ubound;
    p.cycle = c->cycle;
    p.instret = c->instret;
    p.user = c->user_cycles;
    p.idle = c->idle_cycles;
    p.mode_since = c->mode_since;
    p.steps = cpu_steps(c);
    p.traps = fnv(14695981039346656037ull, c->traps, sizeof c->traps);
    uint64_t h = 14695981039346656037ull;
    h = fnv(h, &c->timer.interval, sizeof c->timer.interval);
    h = fnv(h, &c->timer.deadline, sizeof c->timer.deadline);
    h = fnv(h, &c->timer.pending, sizeof c->timer.pending);
    h = fnv(h, &c->timer.count_hi_latch, sizeof c->timer.count_hi_latch);
    p.timer = h;
    h = 14695981039346656037ull;
    h = fnv(h, &c->console.rx_head, sizeof c->console.rx_head);
    h = fnv(h, &c->console.rx_count, sizeof c->console.rx_count);
    for (uint32_t i = 0; i < c->console.rx_count; i++)
        h = fnv(h, &c->console.rx[(c->console.rx_head + i) % CONSOLE_RXBUF], 1);
    h = fnv(h, &c->console.rx_closed, sizeof c->console.rx_closed);
    h = fnv(h, &c->console.rx_eof_event, sizeof c->console.rx_eof_event);
    h = fnv(h, &c->console.ctrl, sizeof c->console.ctrl);
    p.console = h;
    p.ram = fnv(14695981039346656037ull, c->ram, c->ram_size);
    /* The accounting: its scalars (the table pointer aside) and table. */
    struct session_acct a = x->s.acct;
    a.pid = NULL;
    h = fnv(14695981039346656037ull, &a, sizeof a);
    if (x->s.acct.npid > 0)
        h = fnv(h, x->s.acct.pid, x->s.acct.npid * sizeof *x->s.acct.pid);
    p.acct = h;
    p.halted = c->halted;
    p.in_wfi = c->in_wfi;
    return p;
}

static void assert_same(const struct print *a, const struct print *b)
{
    assert_int_equal(a->steps, b->steps);
    assert_int_equal(a->cycle, b->cycle);
    assert_int_equal(a->instret, b->instret);
    assert_int_equal(a->pc, b->pc);
    assert_memory_equal(a->x, b->x, sizeof a->x);
    assert_int_equal(a->mode, b->mode);
    assert_int_equal(a->status, b->status);
    assert_int_equal(a->ttr, b->ttr);
    assert_int_equal(a->ksp, b->ksp);
    assert_int_equal(a->ubase, b->ubase);
    assert_int_equal(a->ubound, b->ubound);
    assert_int_equal(a->user, b->user);
    assert_int_equal(a->idle, b->idle);
    assert_int_equal(a->mode_since, b->mode_since);
    assert_int_equal(a->traps, b->traps);
    assert_int_equal(a->timer, b->timer);
    assert_int_equal(a->console, b->console);
    assert_int_equal(a->ram, b->ram);
    assert_int_equal(a->acct, b->acct);
    assert_int_equal(a->halted, b->halted);
    assert_int_equal(a->in_wfi, b->in_wfi);
}

/* Forward to step `when` exactly, as a front end would (ticking). */
static void forward_to(struct ctx *x, uint64_t when)
{
    struct cpu *cpu = x->s.cpu;
    uint64_t cur;
    while ((cur = cpu_steps(cpu)) < when) {
        uint64_t rem = when - cur;
        enum cpu_stop why = rem > 64 ? cpu_run(cpu, rem - 32) : cpu_step(cpu);
        if (x->t != NULL)
            timeline_tick(x->t);
        if (!(cpu_steps(cpu) > cur || why == STOP_BUDGET))
            fail_msg("stuck at step %llu (%s: %s), going to %llu",
                     (unsigned long long)cur, cpu_stop_name(why),
                     cpu->halt_reason, (unsigned long long)when);
    }
    assert_int_equal(cpu_steps(cpu), when);
}

static uint64_t run_to_halt(struct ctx *x)
{
    while (!x->s.cpu->halted) {
        enum cpu_stop why = cpu_run(x->s.cpu, 100000);
        if (x->t != NULL)
            timeline_tick(x->t);
        assert_true(why == STOP_BUDGET || why == STOP_HALT);
    }
    return cpu_steps(x->s.cpu);
}

static void seek(struct ctx *x, uint64_t when)
{
    char err[300];
    if (timeline_seek(x->t, when, err, sizeof err) != 0)
        fail_msg("seek %llu: %s", (unsigned long long)when, err);
}

/* The scenario: reference run, then forward, back and forth. */
static void back_and_forth(char **argv, int argc, const char *const *lines,
                           const struct timeline_limits *lim)
{
    static struct ctx ref, run;
    open_session(&ref, argv, argc);
    ref.lines = lines;
    uint64_t end = run_to_halt(&ref);
    assert_true(end > 1000);

    open_session(&run, argv, argc);
    run.lines = lines;
    run.t = timeline_create(&run.s, lim);
    assert_non_null(run.t);
    run.s.timeline = run.t;

    uint64_t at[NMOMENTS];
    struct print fp[NMOMENTS];
    for (int i = 0; i < NMOMENTS; i++)
        at[i] = 1 + (end - 2) * (uint64_t)(i * i + 1) / (NMOMENTS * NMOMENTS);
    for (int i = 0; i < NMOMENTS; i++) {
        forward_to(&run, at[i]);
        fp[i] = fingerprint(&run);
    }
    assert_int_equal(run_to_halt(&run), end);
    struct print last = fingerprint(&run);
    struct timeline_stats st;
    timeline_stats(run.t, &st);
    assert_true(st.snaps <= lim->max_snaps);

    /* Back to each moment, in a scrambled order, and to the end. */
    for (int k = 0; k < NMOMENTS; k++) {
        int i = (k * 7 + 3) % NMOMENTS;
        seek(&run, at[i]);
        struct print p = fingerprint(&run);
        assert_same(&p, &fp[i]);
    }
    seek(&run, end);
    struct print p = fingerprint(&run);
    assert_same(&p, &last);

    /* One step back, one step forward: the same state. */
    seek(&run, at[3] - 1);
    cpu_step(run.s.cpu);
    p = fingerprint(&run);
    assert_same(&p, &fp[3]);

    /* Forward again from the past to the end: nothing printed twice,
     * nothing missing. */
    seek(&run, at[1]);
    run_to_halt(&run);
    assert_int_equal(run.printed, ref.printed);
    assert_memory_equal(run.out, ref.out, ref.printed);
    p = fingerprint(&run);
    assert_same(&p, &last);

    /* A change in the past: a new history from there, the old one
     * before it untouched. */
    seek(&run, at[6]);
    run.s.cpu->x[5] ^= 1;
    timeline_fork(run.t);
    assert_int_equal(timeline_frontier(run.t), at[6]);
    /* The change may well crash the machine (t0 in a loop): the new
     * history is what it is, up to 500 steps or a halt. */
    for (int i = 0; i < 500 && !run.s.cpu->halted; i++) {
        cpu_step(run.s.cpu);
        timeline_tick(run.t);
    }
    uint64_t after = cpu_steps(run.s.cpu);
    struct print changed = fingerprint(&run);
    seek(&run, at[5]);
    p = fingerprint(&run);
    assert_same(&p, &fp[5]);
    seek(&run, after);
    p = fingerprint(&run);
    assert_same(&p, &changed);

    session_close(&ref.s);
    session_close(&run.s); /* frees the timeline */
}

static void demo_programs(void **state)
{
    (void)state;
    /* Timer preemption, system calls, context switches, exits. */
    char *argv[] = {"run", "compute", "20000",   "--",    "yield",
                    "3",   "--",      "spinner", "40000", NULL};
    struct timeline_limits lim = {20000, 1u << 20, 12};
    back_and_forth(argv, 9, NULL, &lim);
}

static void console_input(void **state)
{
    (void)state;
    /* Blocking reads: the input must come back at the same steps. */
    static const char *const lines[] = {"one\n", "two two\n", "three\n", NULL};
    char *argv[] = {"run", "cat", "--", "spinner", "30000", NULL};
    struct timeline_limits lim = {5000, 4u << 20, 64};
    back_and_forth(argv, 5, lines, &lim);
}

static void processes(void **state)
{
    (void)state;
    /* fork, exec, pipes, wait, kill: the accounting table grows with the
     * pids and must come back with the rest. */
    char *argv[] = {"run", "procapi", "/bin/cat", NULL};
    struct timeline_limits lim = {30000, 2u << 20, 16};
    back_and_forth(argv, 3, NULL, &lim);
}

static void shell_pipeline(void **state)
{
    (void)state;
    static const char *const lines[] = {"echo one two | cat\n", "ps\n", NULL};
    char *argv[] = {"run", "sh", NULL};
    struct timeline_limits lim = {20000, 2u << 20, 16};
    back_and_forth(argv, 2, lines, &lim);
}

static void out_of_range(void **state)
{
    (void)state;
    static struct ctx x;
    char *argv[] = {"run", "hello", NULL};
    open_session(&x, argv, 2);
    x.t = timeline_create(&x.s, NULL);
    assert_non_null(x.t);
    x.s.timeline = x.t;
    forward_to(&x, 1000);
    char err[300];
    assert_int_equal(timeline_seek(x.t, 1001, err, sizeof err), -1);
    assert_non_null(strstr(err, "outside the recorded history"));
    assert_int_equal(timeline_seek(x.t, 0, err, sizeof err), 0);
    assert_int_equal(cpu_steps(x.s.cpu), 0);
    assert_int_equal(x.s.cpu->cycle, 0);
    assert_int_equal(timeline_frontier(x.t), 1000);
    assert_true(timeline_replaying(x.t));
    session_close(&x.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(demo_programs), cmocka_unit_test(console_input),
        cmocka_unit_test(processes),     cmocka_unit_test(shell_pipeline),
        cmocka_unit_test(out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
