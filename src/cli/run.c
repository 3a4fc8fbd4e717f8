/*
 * run.c: `lde run`: boot the kernel with the programs, run the machine to
 * its halt (or --max-cycles), and exit with the guest's status.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "gdbstub.h"
#include "hostcon.h"
#include "images.h"
#include "loop.h"
#include "observe.h"
#include "perfmap.h"
#include "schedopt.h"
#include "schedrep.h"
#include "session.h"
#include "stats.h"

#define RUN_SLICE (UINT64_C(1) << 24) /* cycles per cpu_run call */

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
            ".\nYour own C program: 'lde cc prog.c -o prog', then "
            "'lde run ./prog' (docs/programs.md).\n"
            "Everything after a program up to '--' is its argv.\n"
            "Without a program: a demo (compute, yield and spinner).\n\n"
            "options (before the first program):\n%s\n"
            "exit status: the guest's; 1 file error, 2 usage error, 121 "
            "kernel panic,\n"
            "122 double fault, 123 deadlock, 124 --max-cycles reached, 125 "
            "output not\nwritten, 130 Ctrl-C.\n",
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
            " spins) share the CPU. Your own program: "
            "'lde cc prog.c -o prog',\n"
            "lde: then 'lde run ./prog' (see 'lde run --help').\n");
}

/* What the machine's hooks reach during a run. */
struct run_ctx {
    struct session *s;
    struct hostcon *hc;
    struct observer *obs; /* the recorder: traces, tables, timeline */
};

static void on_tx(void *ctx, int stream, uint8_t byte)
{
    struct run_ctx *r = ctx;
    observe_flush(r->obs);
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
    (void)cpu;
    observe_trap(r->obs, t);
    return false;
}

static bool on_rti(void *ctx, struct cpu *cpu, uint32_t rti_pc)
{
    struct run_ctx *r = ctx;
    (void)cpu;
    observe_rti(r->obs, rti_pc);
    return false;
}

/* Only with --trace insn: it makes cpu_run step one by one. */
static bool on_retire(void *ctx, struct cpu *cpu, uint32_t pc, uint32_t insn)
{
    struct run_ctx *r = ctx;
    (void)cpu;
    return observe_retire(r->obs, pc, insn);
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

/* Why a run ended, for the scheduling figures. */
static const char *end_name(enum cpu_stop why, enum session_end end)
{
    if (end == SESSION_END_LIMIT)
        return "max-cycles";
    if (end == SESSION_END_INTERRUPT)
        return "interrupted";
    return cpu_stop_name(why);
}

int run_session(const struct session_options *o, FILE *in, FILE *out,
                struct schedrep *r, FILE *record, bool *booted)
{
    char err[512];
    struct session s;
    *booted = false;
    int rc = session_open(&s, o, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "lde: %s\n", err);
        return rc;
    }
    *booted = true;
    struct hostcon hc;
    hostcon_init(&hc, in, out, stderr);
    /* With a record to write, the report goes there, not to --json. */
    struct observe_options ob = o->observe;
    if (record != NULL)
        ob.json = NULL;
    static struct observer obs;
    rc = observe_open(&obs, &s, &ob, &hc, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "lde: %s\n", err);
        hostcon_free(&hc);
        session_close(&s);
        return rc;
    }
    struct run_ctx ctx = {&s, &hc, &obs};
    struct cpu_hooks hooks = {
        .ctx = &ctx,
        .console_tx = on_tx,
        .console_rx_wanted = on_rx_wanted,
        .trap = on_trap,
        .rti = on_rti,
        .mode = on_mode,
        .retire = observe_wants_retire(&obs) ? on_retire : NULL,
        .native = perfmap_open() ? perfmap_native : NULL,
    };
    cpu_set_hooks(s.cpu, &hooks);

    enum session_end end;
    double host_s = 0;
    observe_boot(&obs);
    enum cpu_stop why = session_run(&s, RUN_SLICE, &end, &host_s);
    hostcon_flush(&hc);
    observe_flush(&obs);

    rc = session_report_halt(stderr, &s, why, end);
    /* Output that never arrived is worth more than the guest's status. */
    char lost[160];
    if (hostcon_error(&hc, lost, sizeof lost) != 0) {
        fprintf(stderr, "lde: cannot write the guest's output: %s\n", lost);
        rc = SESSION_EXIT_OUTPUT;
    }
    observe_end(&obs, rc);
    if (o->stats) {
        stats_print(stderr, &s, host_s);
        observe_print_phases(stderr, &obs);
    }
    perfmap_close();
    int wrc = observe_write(&obs, host_s);
    if (wrc != 0 && rc == 0)
        rc = wrc;
    if (record != NULL)
        observe_json(record, &obs, host_s);
    if (r != NULL &&
        schedrep_collect(&s, rc, end_name(why, end), r, err, sizeof err) != 0)
        fprintf(stderr, "lde: no scheduling figures: %s\n", err);
    observe_close(&obs);
    hostcon_free(&hc);
    session_close(&s);
    return rc;
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
    if (o.sched_help) {
        schedopt_help(stdout);
        return 0;
    }
    if (o.nprogs == 0)
        demo(&o);
    if (o.gdb != NULL)
        return gdbstub_run_main(&o);

    /* Ctrl-C ends the run between two slices, with the report; a second
     * one kills lde at once. */
    session_catch_sigint(SESSION_SIGINT_ONCE);
    return run_policies(&o);
}
