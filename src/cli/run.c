/*
 * run.c: `lde run`: boot the kernel with the programs, run the machine to
 * its halt (or --max-cycles), and exit with the guest's status.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "hostcon.h"
#include "images.h"
#include "kstate.h"
#include "session.h"
#include "trace.h"
#include "stats.h"

#define RUN_SLICE (UINT64_C(1) << 24) /* cycles per cpu_run call */
#define RUN_EXIT_INTERRUPTED 130      /* 128 + SIGINT, as a shell reports it */

/* Ctrl-C ends the run between two slices, with the report; a second one
 * kills lde at once (SA_RESETHAND). */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void catch_sigint(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

/* With no program: the demo (session_demo), with its report. All three
 * jobs end by themselves; the cycle limit is only a safety net. */
#define DEMO_MAX_CYCLES UINT64_C(100000000)

static void usage(FILE *f)
{
    fprintf(f, "usage: lde run [options] PROGRAM [ARGS...] [-- PROGRAM "
               "[ARGS...]]...\n"
               "Boot the guest kernel and time-share the programs in user "
               "mode.\n"
               "PROGRAM is an ELF file, or a built-in program: ");
    image_list_programs(f);
    fprintf(f,
            ".\nEverything after a program up to '--' is its argv.\n"
            "Without a program: a demo (compute, yield and spinner).\n\n"
            "options (before the first program):\n%s\n"
            "exit status: the guest's; 1 file error, 2 usage error, 121 "
            "kernel panic,\n"
            "122 double fault, 123 deadlock, 124 --max-cycles reached, 130 "
            "Ctrl-C.\n",
            session_options_help);
}

static void demo(struct session_options *o)
{
    session_demo(o);
    o->stats = true;
    if (o->max_cycles == 0)
        o->max_cycles = DEMO_MAX_CYCLES;
    fprintf(stderr,
            "lde: no program given: a demo of limited direct execution.\n"
            "lde: compute (CPU-bound), yield (gives the CPU away) and "
            "spinner (never\n"
            "lde: gives it back: only the timer takes it, until it stops "
            "after\n"
            "lde: " SESSION_DEMO_SPINS
            " spins) share the CPU. 'lde run --help' "
            "shows how to run your own.\n");
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "spinner (pid 3), hello (pid 4)": processes that have not ended. */
static void still_running(const struct session *s, char *buf, size_t len)
{
    static struct lde_procinfo acct[LDE_PROCS_MAX];
    unsigned n;
    char err[160];
    buf[0] = '\0';
    if (kstate_procinfo(s, acct, LDE_PROCS_MAX, &n, err, sizeof err) != 0)
        return;
    size_t at = 0;
    for (unsigned i = 0; i < n && at < len; i++) {
        if (acct[i].ended != 0 || acct[i].state == PS_ZOMBIE ||
            acct[i].state == PS_UNUSED)
            continue;
        char name[LDE_NAME_MAX + 1];
        kstate_name(&acct[i], name, sizeof name);
        int w = snprintf(buf + at, len - at, "%s%s (pid %" PRIu32 ")",
                         at ? ", " : "", name, acct[i].pid);
        if (w < 0)
            break;
        at += (size_t)w;
    }
}

/* What the machine's hooks reach during a run. */
struct run_ctx {
    struct session *s;
    struct hostcon *hc;
    struct trace *trace; /* NULL without --trace */
};

static void on_tx(void *ctx, int stream, uint8_t byte)
{
    struct run_ctx *r = ctx;
    hostcon_put(r->hc, stream, byte);
}

static void on_rx_wanted(void *ctx, struct cpu *cpu)
{
    struct run_ctx *r = ctx;
    hostcon_feed(r->hc, cpu);
}

static bool on_trap(void *ctx, struct cpu *cpu, const struct cpu_trap_info *t)
{
    struct run_ctx *r = ctx;
    if (r->trace)
        trace_trap(r->trace, cpu, t);
    return false;
}

static bool on_rti(void *ctx, struct cpu *cpu, uint32_t rti_pc)
{
    struct run_ctx *r = ctx;
    (void)rti_pc;
    if (r->trace)
        trace_rti(r->trace, cpu);
    return false;
}

/* Every mode switch closes a stretch of the per-process accounting. */
static bool on_mode(void *ctx, struct cpu *cpu, uint32_t old_mode,
                    uint32_t new_mode)
{
    struct run_ctx *r = ctx;
    (void)cpu;
    session_note_mode(r->s, old_mode, new_mode);
    return false;
}

/* Why the host, not the machine, ended a run. */
enum run_end { RUN_MACHINE, RUN_LIMIT, RUN_INTERRUPT };

/* Run to a stop; *end says whether --max-cycles or Ctrl-C ended it. */
static enum cpu_stop run_loop(struct session *s, enum run_end *end)
{
    *end = RUN_MACHINE;
    for (;;) {
        if (interrupted) {
            *end = RUN_INTERRUPT;
            return STOP_BUDGET;
        }
        uint64_t slice = session_next_slice(s, RUN_SLICE);
        if (slice == 0) {
            *end = RUN_LIMIT;
            return STOP_BUDGET;
        }
        enum cpu_stop why = cpu_run(s->cpu, slice);
        if (why != STOP_BUDGET)
            return why;
    }
}

static int report_stop(const struct session *s, enum cpu_stop why,
                       enum run_end end)
{
    const struct cpu *cpu = s->cpu;
    char who[512];
    if (end == RUN_INTERRUPT) {
        still_running(s, who, sizeof who);
        fprintf(stderr, "lde: interrupted at cycle %" PRIu64 "%s%s\n",
                cpu->cycle, who[0] ? "; still running: " : "", who);
        return RUN_EXIT_INTERRUPTED;
    }
    if (end == RUN_LIMIT) {
        still_running(s, who, sizeof who);
        fprintf(stderr,
                "lde: stopped at cycle %" PRIu64 " (--max-cycles %" PRIu64
                ")%s%s\n",
                cpu->cycle, s->opt.max_cycles,
                who[0] ? "; still running: " : "", who);
        return SESSION_EXIT_LIMIT;
    }
    if (why == STOP_HALT)
        return cpu->exit_status & 0xff;
    fprintf(stderr, "lde: %s\n",
            cpu->halt_reason[0] ? cpu->halt_reason : cpu_stop_name(why));
    fprintf(stderr, "lde: pc 0x%08" PRIx32 ", %s mode, cycle %" PRIu64 "\n",
            cpu->pc, cpu->mode == MODE_USER ? "user" : "kernel", cpu->cycle);
    if (why == STOP_DEADLOCK || why == STOP_WAIT_INPUT) {
        /* Who waits for something that cannot come. */
        still_running(s, who, sizeof who);
        if (who[0])
            fprintf(stderr, "lde: blocked for ever: %s\n", who);
    }
    switch (why) {
    case STOP_PANIC: return SESSION_EXIT_PANIC;
    case STOP_DOUBLE_FAULT: return SESSION_EXIT_DFAULT;
    case STOP_DEADLOCK: return SESSION_EXIT_DEADLOCK;
    /* The console hook always supplies a line or closes the input, so
     * the guest cannot be left waiting; if it is, nothing will come. */
    case STOP_WAIT_INPUT: return SESSION_EXIT_DEADLOCK;
    default: return SESSION_EXIT_FILE; /* no hook asks to stop */
    }
}

int run_main(int argc, char **argv)
{
    struct session_options o;
    char err[512];
    int rc = session_parse_args(argc, argv, &o, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "lde: %s\nTry 'lde run --help'.\n", err);
        return rc;
    }
    if (o.help) {
        usage(stdout);
        return 0;
    }
    if (o.version) {
        printf("%s\n", session_version);
        return 0;
    }
    if (o.nprogs == 0)
        demo(&o);

    struct session s;
    rc = session_open(&s, &o, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "lde: %s\n", err);
        return rc;
    }
    struct hostcon hc;
    hostcon_init(&hc, stdin, stdout, stderr);
    struct trace tr;
    trace_init(&tr, &s, &hc, stderr);
    struct run_ctx ctx = {&s, &hc, o.trace ? &tr : NULL};
    struct cpu_hooks hooks = {
        .ctx = &ctx,
        .console_tx = on_tx,
        .console_rx_wanted = on_rx_wanted,
        .trap = on_trap,
        .rti = on_rti,
        .mode = on_mode,
    };
    cpu_set_hooks(s.cpu, &hooks);

    double t0 = now();
    enum run_end end;
    catch_sigint();
    enum cpu_stop why = run_loop(&s, &end);
    double host_s = now() - t0;
    hostcon_flush(&hc);

    rc = report_stop(&s, why, end);
    if (o.stats)
        stats_print(stderr, &s, host_s);
    hostcon_free(&hc);
    session_close(&s);
    return rc;
}
