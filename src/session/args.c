/*
 * args.c: the options shared by `lde run` and `lde debug`, and the
 * split of what follows them into programs and their arguments.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "schedopt.h"
#include "session.h"

const char session_options_help[] =
    "  --quantum N|TIME   time slice in cycles, or a time at the clock\n"
    "                     (100000, 50k, 1ms, 500us; default 100000)\n"
    "  --cooperative      no timer preemption (kernel preempt=0)\n"
    "  --trap-divzero     integer division by zero traps and kills the\n"
    "                     process (kernel divzero=trap; default: the\n"
    "                     RISC-V result, as on hardware)\n"
    "  --sched LIST       scheduling policy, or policies to compare:\n"
    "                     rr (default) fifo sjf stcf mlfq lottery stride,\n"
    "                     with parameters: mlfq:quanta=10k/20k/40k,boost=1M\n"
    "                     ('--sched help' lists them; docs/scheduling.md)\n"
    "  --tickets T,T,...  each program's tickets (lottery, stride)\n"
    "  --arrival T,T,...  the cycle (or time) each program arrives at\n"
    "  --ram SIZE         RAM in bytes, K, M or G (default 64M); the kernel\n"
    "                     needs 4M per process above its own data\n"
    "  --clock HZ         nominal clock, K, M, G, Hz (default 100MHz)\n"
    "  --costs FILE       cycle table: 'class cost' lines (docs/isa.md)\n"
    "  --kernel FILE      boot this kernel ELF instead of the built-in one\n"
    "  --jit N|off        native code for a block on its Nth run (default\n"
    "                     16), or none; only host time differs\n"
    "  --file HOST[:GUEST]  a host file that programs can execve at GUEST\n"
    "                     (default: HOST as written; built-ins are /bin/NAME)\n"
    "  --max-cycles N|TIME  stop after this many cycles (exit 124)\n"
    "  --stats            print the accounting report on stderr at the end\n"
    "  --trace [LIST]     lde run: lines on stderr as the run goes; LIST is\n"
    "                     traps (the default), syscalls, switches, insn or\n"
    "                     all, comma-separated\n"
    "  --trace-format F   insn lines as lde (default) or spike (commit log)\n"
    "  --lde-table[=md]   OSTEP's Figure 6.2/6.3 from the run, on stderr\n"
    "  --states           process states per slice and the scheduling\n"
    "                     figures (response, turnaround, wait), on stderr\n"
    "  --timeline FILE    the run as a picture (.svg, .html) or a Chrome\n"
    "                     trace for Perfetto (.json)\n"
    "  --json FILE        the end-of-run report as JSON ('-': stdout; the\n"
    "                     programs' output then goes to stderr); one per\n"
    "                     policy with several --sched\n"
    "  --window SPEC      what the table, states and trace show: A..B\n"
    "                     (cycles or times), pid=P, first=N, comma-separated\n"
    "  --gdb [HOST:]PORT  serve gdb's remote protocol there (loopback\n"
    "                     unless HOST is given; port 0: any free port)\n"
    "  --history SIZE     memory for going back in time (lde debug and\n"
    "                     --gdb; default 256M, 0 = off)\n"
    "  -h, --help         this help\n"
    "      --version      lde's version\n";

enum {
    OPT_QUANTUM = 256,
    OPT_RAM,
    OPT_COOPERATIVE,
    OPT_TRAP_DIVZERO,
    OPT_MAX_CYCLES,
    OPT_COSTS,
    OPT_CLOCK,
    OPT_KERNEL,
    OPT_FILE,
    OPT_SCHED,
    OPT_TICKETS,
    OPT_ARRIVAL,
    OPT_STATS,
    OPT_TRACE,
    OPT_TRACE_FORMAT,
    OPT_LDE_TABLE,
    OPT_STATES,
    OPT_TIMELINE,
    OPT_JSON,
    OPT_WINDOW,
    OPT_GDB,
    OPT_HISTORY,
    OPT_VERSION,
    OPT_JIT,
};

static const struct option long_options[] = {
    {"quantum", required_argument, NULL, OPT_QUANTUM},
    {"ram", required_argument, NULL, OPT_RAM},
    {"cooperative", no_argument, NULL, OPT_COOPERATIVE},
    {"trap-divzero", no_argument, NULL, OPT_TRAP_DIVZERO},
    {"max-cycles", required_argument, NULL, OPT_MAX_CYCLES},
    {"costs", required_argument, NULL, OPT_COSTS},
    {"clock", required_argument, NULL, OPT_CLOCK},
    {"kernel", required_argument, NULL, OPT_KERNEL},
    {"file", required_argument, NULL, OPT_FILE},
    {"sched", required_argument, NULL, OPT_SCHED},
    {"tickets", required_argument, NULL, OPT_TICKETS},
    {"arrival", required_argument, NULL, OPT_ARRIVAL},
    {"stats", no_argument, NULL, OPT_STATS},
    {"trace", optional_argument, NULL, OPT_TRACE},
    {"trace-format", required_argument, NULL, OPT_TRACE_FORMAT},
    {"lde-table", optional_argument, NULL, OPT_LDE_TABLE},
    {"states", no_argument, NULL, OPT_STATES},
    {"timeline", required_argument, NULL, OPT_TIMELINE},
    {"json", required_argument, NULL, OPT_JSON},
    {"window", required_argument, NULL, OPT_WINDOW},
    {"gdb", required_argument, NULL, OPT_GDB},
    {"history", required_argument, NULL, OPT_HISTORY},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"jit", required_argument, NULL, OPT_JIT},
    {NULL, 0, NULL, 0},
};

void session_defaults(struct session_options *o)
{
    *o = (struct session_options){
        .quantum = SESSION_DEFAULT_QUANTUM,
        .ram_size = SESSION_DEFAULT_RAM,
        .clock_hz = SESSION_DEFAULT_HZ,
        .nsched = 1,
        .history = SESSION_DEFAULT_HISTORY,
        .jit_hot = CPU_JIT_HOT_DEFAULT,
    };
    observe_defaults(&o->observe);
    schedopt_plain(&o->sched[0], "rr");
}

static int usage_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int usage_error(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return SESSION_EXIT_USAGE;
}

/* Cycle counts given as times wait for the clock, which may come later;
 * so do the scheduling options, which may hold times. */
#define MAX_SCHED_ARGS 8
struct pending {
    uint64_t quantum_ps, max_ps;
    const char *quantum_arg, *max_arg;
    bool trace_format_given;
    const char *sched_args[MAX_SCHED_ARGS];
    unsigned nsched_args;
    const char *arrival_arg;
};

/* --trace [LIST]: the list may be the next word (`--trace insn`) when it
 * names categories only; otherwise that word is the program. */
static int trace_option(int argc, char **argv, struct observe_options *ob,
                        char *err, size_t errlen)
{
    if (optarg != NULL)
        return observe_parse_trace(optarg, &ob->trace, err, errlen)
                   ? SESSION_EXIT_USAGE
                   : 0;
    unsigned bits = 0;
    char ignored[160];
    if (optind < argc && observe_parse_trace(argv[optind], &bits, ignored,
                                             sizeof ignored) == 0) {
        ob->trace |= bits;
        optind++;
        return 0;
    }
    ob->trace |= OBS_TRACE_TRAPS; /* plain --trace, as it always was */
    return 0;
}

/* The options that observe a run (observe.h). */
static int observe_option(int c, struct session_options *o, struct pending *pd,
                          char *err, size_t errlen)
{
    struct observe_options *ob = &o->observe;
    switch (c) {
    case OPT_TRACE_FORMAT:
        pd->trace_format_given = true;
        return observe_parse_trace_format(optarg, &ob->trace_format, err,
                                          errlen)
                   ? SESSION_EXIT_USAGE
                   : 0;
    case OPT_LDE_TABLE:
        return observe_parse_table(optarg, &ob->lde_table, err, errlen)
                   ? SESSION_EXIT_USAGE
                   : 0;
    case OPT_STATES: ob->states = true; return 0;
    case OPT_TIMELINE:
        ob->timeline = optarg;
        return observe_check_timeline(optarg, err, errlen) ? SESSION_EXIT_USAGE
                                                           : 0;
    case OPT_JSON: ob->json = optarg; return 0;
    case OPT_WINDOW:
        return window_parse(optarg, &ob->window, err, errlen)
                   ? SESSION_EXIT_USAGE
                   : 0;
    default: return usage_error(err, errlen, "unexpected option %d", c);
    }
}

static int option(int c, struct session_options *o, struct pending *pd,
                  char *err, size_t errlen)
{
    uint64_t v;
    switch (c) {
    case OPT_QUANTUM:
        pd->quantum_arg = optarg;
        return parse_cycles_or_time("--quantum", optarg, &o->quantum,
                                    &pd->quantum_ps, err, errlen)
                   ? SESSION_EXIT_USAGE
                   : 0;
    case OPT_MAX_CYCLES:
        pd->max_arg = optarg;
        return parse_cycles_or_time("--max-cycles", optarg, &o->max_cycles,
                                    &pd->max_ps, err, errlen)
                   ? SESSION_EXIT_USAGE
                   : 0;
    case OPT_RAM:
        if (parse_size("--ram", optarg, &v, err, errlen) != 0)
            return SESSION_EXIT_USAGE;
        if (v < (1u << 20) || v > DEV_BASE || v % BOOT_PAGE != 0)
            return usage_error(err, errlen,
                               "--ram: %s: RAM must be a multiple of 4K "
                               "from 1M to 3840M",
                               optarg);
        o->ram_size = (uint32_t)v;
        return 0;
    case OPT_CLOCK:
        if (parse_hz("--clock", optarg, &v, err, errlen) != 0)
            return SESSION_EXIT_USAGE;
        if (v == 0 || v > UINT32_MAX)
            return usage_error(err, errlen,
                               "--clock: %s: the clock must be from 1 Hz to "
                               "4294967295 Hz",
                               optarg);
        o->clock_hz = (uint32_t)v;
        return 0;
    case OPT_JIT: {
        if (strcmp(optarg, "off") == 0) {
            o->jit_hot = 0;
            return 0;
        }
        char *end;
        errno = 0;
        unsigned long long n = strtoull(optarg, &end, 10);
        if (optarg[0] < '0' || optarg[0] > '9' || *end != '\0' || errno != 0 ||
            n == 0 || n > UINT32_MAX)
            return usage_error(err, errlen,
                               "--jit: '%s': give off, or a count of runs "
                               "from 1 to 4294967295",
                               optarg);
        o->jit_hot = (uint32_t)n;
        return 0;
    }
    case OPT_COOPERATIVE: o->cooperative = true; return 0;
    case OPT_TRAP_DIVZERO: o->trap_divzero = true; return 0;
    case OPT_COSTS: o->costs_file = optarg; return 0;
    case OPT_KERNEL: o->kernel_file = optarg; return 0;
    case OPT_FILE:
        if (o->nfiles == IMAGE_MAX_FILE_OPTS)
            return usage_error(err, errlen,
                               "too many --file options (at "
                               "most %u)",
                               IMAGE_MAX_FILE_OPTS);
        o->files[o->nfiles++] = optarg;
        return 0;
    case OPT_SCHED:
        if (strcmp(optarg, "help") == 0) {
            o->sched_help = true;
            return 0;
        }
        if (pd->nsched_args == MAX_SCHED_ARGS)
            return usage_error(err, errlen, "--sched: given more than %d times",
                               MAX_SCHED_ARGS);
        pd->sched_args[pd->nsched_args++] = optarg;
        o->sched_given = true;
        return 0;
    case OPT_TICKETS: return schedopt_tickets(optarg, o, err, errlen);
    case OPT_ARRIVAL: pd->arrival_arg = optarg; return 0;
    case OPT_STATS: o->stats = true; return 0;
    case OPT_GDB: o->gdb = optarg; return 0;
    case OPT_HISTORY:
        if (parse_size("--history", optarg, &v, err, errlen) != 0)
            return SESSION_EXIT_USAGE;
        o->history = v;
        return 0;
    case 'h': o->help = true; return 0;
    case OPT_VERSION: o->version = true; return 0;
    default: return observe_option(c, o, pd, err, errlen);
    }
}

static int finish(struct session_options *o, const struct pending *pd,
                  char *err, size_t errlen)
{
    if (pd->quantum_ps != 0)
        o->quantum = parse_ps_to_cycles(pd->quantum_ps, o->clock_hz);
    if (pd->max_ps != 0)
        o->max_cycles = parse_ps_to_cycles(pd->max_ps, o->clock_hz);
    if (pd->quantum_arg != NULL &&
        (o->quantum < SESSION_MIN_QUANTUM || o->quantum > UINT32_MAX)) {
        char n[32];
        snprintf(n, sizeof n, "%llu", (unsigned long long)o->quantum);
        return usage_error(err, errlen,
                           "--quantum: %s is %s cycles: the quantum must be "
                           "from 1000 to 4294967295 cycles",
                           pd->quantum_arg, n);
    }
    if (pd->max_arg != NULL && o->max_cycles == 0)
        return usage_error(err, errlen,
                           "--max-cycles: %s: the limit must be at least "
                           "one cycle",
                           pd->max_arg);
    struct observe_options *ob = &o->observe;
    window_resolve(&ob->window, o->clock_hz);
    if (pd->trace_format_given && ob->trace == 0)
        ob->trace = OBS_TRACE_INSN; /* the format is that of insn lines */
    if (pd->trace_format_given && !(ob->trace & OBS_TRACE_INSN))
        return usage_error(err, errlen,
                           "--trace-format is the format of --trace insn "
                           "lines: add insn to --trace");
    if (ob->window.given && ob->trace == 0 && !ob->states &&
        ob->lde_table == OBS_TABLE_OFF)
        return usage_error(err, errlen,
                           "--window chooses what --lde-table, --states or "
                           "--trace show: give one of them");
    for (unsigned i = 0; i < pd->nsched_args; i++) {
        int rc = schedopt_policies(pd->sched_args[i], o->clock_hz, i == 0, o,
                                   err, errlen);
        if (rc != 0)
            return rc;
    }
    if (pd->arrival_arg != NULL)
        return schedopt_arrivals(pd->arrival_arg, o->clock_hz, o, err, errlen);
    return 0;
}

/* Split argv[first..] into programs separated by "--". */
static int programs(int argc, char **argv, int first, struct session_options *o,
                    char *err, size_t errlen)
{
    int i = first;
    while (i < argc) {
        if (strcmp(argv[i], "--") == 0 || argv[i][0] == '\0')
            return usage_error(err, errlen, "expected a program after '%s'",
                               argv[i - 1]);
        if (o->nprogs == BOOT_MAX_PROGS) {
            snprintf(err, errlen, "too many programs (at most %d)",
                     BOOT_MAX_PROGS);
            return SESSION_EXIT_USAGE;
        }
        struct session_prog *p = &o->progs[o->nprogs++];
        p->spec = argv[i];
        p->argv = &argv[i];
        p->argc = 0;
        while (i < argc && strcmp(argv[i], "--") != 0) {
            p->argc++;
            i++;
        }
        if (i < argc) /* skip the "--"; a last one ends the list */
            i++;
    }
    return 0;
}

int session_parse_args(int argc, char **argv, struct session_options *o,
                       char *err, size_t errlen)
{
    session_defaults(o);
    struct pending pd = {0};
    /* "+": stop at the first program; ":": report errors ourselves. */
    optind = 0;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "+:h", long_options, NULL)) != -1) {
        if (c == '?') {
            if (optopt != 0)
                snprintf(err, errlen, "unknown option '-%c'", optopt);
            else
                snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
            return SESSION_EXIT_USAGE;
        }
        if (c == ':') {
            snprintf(err, errlen, "option '%s' needs a value",
                     argv[optind - 1]);
            return SESSION_EXIT_USAGE;
        }
        int rc = c == OPT_TRACE
                     ? trace_option(argc, argv, &o->observe, err, errlen)
                     : option(c, o, &pd, err, errlen);
        if (rc != 0)
            return rc;
    }
    int rc = finish(o, &pd, err, errlen);
    if (rc == 0)
        rc = programs(argc, argv, optind, o, err, errlen);
    if (rc == 0 && o->nprogs && o->ntickets > o->nprogs)
        rc = usage_error(err, errlen, "--tickets: %u values for %u program%s",
                         o->ntickets, o->nprogs, o->nprogs == 1 ? "" : "s");
    if (rc == 0 && o->nprogs && o->narrival > o->nprogs)
        rc = usage_error(err, errlen, "--arrival: %u values for %u program%s",
                         o->narrival, o->nprogs, o->nprogs == 1 ? "" : "s");
    return rc;
}
