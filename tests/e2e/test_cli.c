/*
 * test_cli.c: cmocka tests of the CLI's own logic, below the end-to-end
 * runs: number parsing, the split of the command line into options,
 * programs and argv, and the console's line-at-a-time input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cpu.h"
#include "hostcon.h"
#include "parse.h"
#include "schedopt.h"
#include "session.h"

static char err[512];

static void sizes_and_rates(void **state)
{
    (void)state;
    uint64_t v;
    assert_int_equal(parse_size("--ram", "64M", &v, err, sizeof err), 0);
    assert_int_equal(v, 64u << 20);
    assert_int_equal(parse_size("--ram", "4096", &v, err, sizeof err), 0);
    assert_int_equal(v, 4096);
    assert_int_equal(parse_size("--ram", "2KiB", &v, err, sizeof err), 0);
    assert_int_equal(v, 2048);
    assert_int_equal(parse_size("--ram", "1g", &v, err, sizeof err), 0);
    assert_int_equal(v, 1u << 30);
    assert_int_equal(parse_size("--ram", "12Q", &v, err, sizeof err), -1);
    assert_string_equal(err, "--ram: '12Q' is not a size (bytes, or with K, "
                             "M, G: 64M)");
    assert_int_equal(parse_size("--ram", "", &v, err, sizeof err), -1);
    assert_int_equal(parse_size("--ram", "-1", &v, err, sizeof err), -1);
    assert_int_equal(
        parse_size("--ram", "99999999999999999999", &v, err, sizeof err), -1);
    assert_int_equal(parse_size("--ram", "99999999999G", &v, err, sizeof err),
                     -1);

    assert_int_equal(parse_hz("--clock", "100MHz", &v, err, sizeof err), 0);
    assert_int_equal(v, 100000000);
    assert_int_equal(parse_hz("--clock", "1G", &v, err, sizeof err), 0);
    assert_int_equal(v, 1000000000);
    assert_int_equal(parse_hz("--clock", "32768hz", &v, err, sizeof err), 0);
    assert_int_equal(v, 32768);
    assert_int_equal(parse_hz("--clock", "fast", &v, err, sizeof err), -1);
}

static void cycles_and_times(void **state)
{
    (void)state;
    uint64_t c, ps;
    assert_int_equal(
        parse_cycles_or_time("-q", "100000", &c, &ps, err, sizeof err), 0);
    assert_true(c == 100000 && ps == 0);
    assert_int_equal(
        parse_cycles_or_time("-q", "50k", &c, &ps, err, sizeof err), 0);
    assert_int_equal(c, 50000);
    assert_int_equal(
        parse_cycles_or_time("-q", "2.5M", &c, &ps, err, sizeof err), 0);
    assert_int_equal(c, 2500000);
    assert_int_equal(
        parse_cycles_or_time("-q", "1ms", &c, &ps, err, sizeof err), 0);
    assert_true(c == 0 && ps == 1000000000);
    assert_int_equal(
        parse_cycles_or_time("-q", "1.5us", &c, &ps, err, sizeof err), 0);
    assert_int_equal(ps, 1500000);
    assert_int_equal(
        parse_cycles_or_time("-q", "1.5", &c, &ps, err, sizeof err), -1);
    assert_int_equal(
        parse_cycles_or_time("-q", "3 ms", &c, &ps, err, sizeof err), -1);
    assert_int_equal(parse_cycles_or_time("-q", "1h", &c, &ps, err, sizeof err),
                     -1);

    assert_int_equal(parse_ps_to_cycles(1000000000, 100000000), 100000);
    assert_int_equal(parse_ps_to_cycles(10000, 100000000), 1); /* 10 ns */
    assert_int_equal(parse_ps_to_cycles(1000000000000u, 4294967295u),
                     4294967295u);                             /* 1 s */
    assert_int_equal(parse_ps_to_cycles(1500000, 1000000), 2); /* 1.5 rounds */
    /* the largest time at a 4 GHz clock still fits: no overflow */
    assert_int_equal(parse_ps_to_cycles(UINT64_MAX, 4000000000u),
                     UINT64_C(73786976294838206));
}

static int parse(struct session_options *o, int argc, char **argv)
{
    err[0] = '\0';
    return session_parse_args(argc, argv, o, err, sizeof err);
}

#define ARGV(...)                                                              \
    (char *[])                                                                 \
    {                                                                          \
        "run", __VA_ARGS__, NULL                                               \
    }
#define ARGC(...)                                                              \
    ((int)(sizeof((char *[]){"run", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(o, ...) parse(o, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static void options_and_programs(void **state)
{
    (void)state;
    struct session_options o;
    assert_int_equal(PARSE(&o, "--quantum", "1ms", "--clock", "10MHz", "--ram",
                           "8M", "--cooperative", "--stats", "--max-cycles",
                           "2ms", "hello", "-x", "--stats", "--", "args", "a",
                           "--", "compute"),
                     0);
    assert_int_equal(o.clock_hz, 10000000);
    assert_int_equal(o.quantum, 10000); /* the time at the later clock */
    assert_int_equal(o.max_cycles, 20000);
    assert_int_equal(o.ram_size, 8u << 20);
    assert_true(o.cooperative && o.stats);
    assert_int_equal(o.nprogs, 3);
    assert_string_equal(o.progs[0].spec, "hello");
    assert_int_equal(o.progs[0].argc, 3);
    assert_string_equal(o.progs[0].argv[2], "--stats"); /* hello's own */
    assert_int_equal(o.progs[1].argc, 2);
    assert_string_equal(o.progs[1].argv[1], "a");
    assert_int_equal(o.progs[2].argc, 1);
    assert_string_equal(o.progs[2].argv[0], "compute");

    assert_int_equal(PARSE(&o, "--stats"), 0);
    assert_int_equal(o.nprogs, 0);
    assert_int_equal(o.quantum, SESSION_DEFAULT_QUANTUM);
    assert_int_equal(o.ram_size, SESSION_DEFAULT_RAM);
    assert_int_equal(PARSE(&o, "--", "hello"), 0);
    /* A trailing "--" ends the list of programs, harmlessly. */
    assert_int_equal(PARSE(&o, "hello", "--"), 0);
    assert_int_equal(o.nprogs, 1);
    assert_int_equal(o.progs[0].argc, 1);
    assert_int_equal(o.nprogs, 1);
    assert_int_equal(PARSE(&o, "-h"), 0);
    assert_true(o.help);
    assert_int_equal(o.jit_hot, CPU_JIT_HOT_DEFAULT);
    assert_int_equal(PARSE(&o, "--jit", "off", "hello"), 0);
    assert_int_equal(o.jit_hot, 0);
    assert_int_equal(PARSE(&o, "--jit", "1", "hello"), 0);
    assert_int_equal(o.jit_hot, 1);
}

static void usage_errors(void **state)
{
    (void)state;
    struct session_options o;
    const struct {
        int argc;
        char **argv;
        const char *want;
    } cases[] = {
        {ARGC("--frob"), ARGV("--frob"), "unknown option '--frob'"},
        {ARGC("-z"), ARGV("-z"), "unknown option '-z'"},
        {ARGC("--ram"), ARGV("--ram"), "option '--ram' needs a value"},
        {ARGC("--ram", "3"), ARGV("--ram", "3"),
         "--ram: 3: RAM must be a multiple of 4K from 1M to 3840M"},
        {ARGC("--ram", "4G"), ARGV("--ram", "4G"),
         "--ram: 4G: RAM must be a multiple of 4K from 1M to 3840M"},
        {ARGC("--quantum", "10ns"), ARGV("--quantum", "10ns"),
         "--quantum: 10ns is 1 cycles: the quantum must be from 1000 to "
         "4294967295 cycles"},
        {ARGC("--quantum", "5G"), ARGV("--quantum", "5G"),
         "--quantum: 5G is 5000000000 cycles: the quantum must be from 1000 "
         "to 4294967295 cycles"},
        {ARGC("--sched", "frob"), ARGV("--sched", "frob"),
         "--sched: unknown policy 'frob' (known: rr fifo sjf stcf mlfq "
         "lottery stride; --sched help)"},
        {ARGC("--clock", "0"), ARGV("--clock", "0"),
         "--clock: 0: the clock must be from 1 Hz to 4294967295 Hz"},
        {ARGC("--jit", "0"), ARGV("--jit", "0"),
         "--jit: '0': give off, or a count of runs from 1 to 4294967295"},
        {ARGC("--jit", "4x"), ARGV("--jit", "4x"),
         "--jit: '4x': give off, or a count of runs from 1 to 4294967295"},
        {ARGC("--jit", "-1"), ARGV("--jit", "-1"),
         "--jit: '-1': give off, or a count of runs from 1 to 4294967295"},
        {ARGC("--max-cycles", "0"), ARGV("--max-cycles", "0"),
         "--max-cycles: 0: the limit must be at least one cycle"},
        {ARGC("hello", "--", "--", "x"), ARGV("hello", "--", "--", "x"),
         "expected a program after '--'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = parse(&o, cases[i].argc, cases[i].argv);
        if (rc != SESSION_EXIT_USAGE || strcmp(err, cases[i].want) != 0)
            fail_msg("case %zu: rc %d \"%s\", want \"%s\"", i, rc, err,
                     cases[i].want);
    }
    char *many[2 + 2 * BOOT_MAX_PROGS];
    int n = 0;
    many[n++] = "run";
    for (int i = 0; i <= BOOT_MAX_PROGS; i++) {
        if (i > 0)
            many[n++] = "--";
        many[n++] = "hello";
    }
    assert_int_equal(parse(&o, n, many), SESSION_EXIT_USAGE);
    assert_string_equal(err, "too many programs (at most 16)");
}

/* --sched, --tickets, --arrival: checked against lde/sched.h, sizes and
 * times turned into cycles, and the kernel's command line made of them. */
static void scheduling_options(void **state)
{
    (void)state;
    struct session_options o;
    assert_int_equal(PARSE(&o, "hello"), 0);
    assert_int_equal(o.nsched, 1);
    assert_string_equal(o.sched[0].spec, "rr");

    assert_int_equal(
        PARSE(&o, "--sched", "rr,mlfq:quanta=10k/20k/40k,boost=1ms,fifo",
              "--sched", "sjf", "--clock", "10MHz", "--tickets", "100,50",
              "--arrival", "0,2us", "hello", "--", "hello"),
        0);
    assert_int_equal(o.nsched, 4);
    assert_string_equal(o.sched[0].spec, "rr");
    assert_string_equal(o.sched[1].spec,
                        "mlfq:quanta=10000/20000/40000,boost=10000");
    assert_string_equal(o.sched[1].name, "mlfq");
    assert_string_equal(o.sched[2].spec, "fifo");
    assert_string_equal(o.sched[3].spec, "sjf");
    assert_true(o.sched[3].learn && !o.sched[1].learn);
    assert_int_equal(o.ntickets, 2);
    assert_int_equal(o.tickets[1], 50);
    assert_int_equal(o.narrival, 2);
    assert_int_equal(o.arrival[1], 20); /* 2 us at the later 10 MHz */
    char cmd[256];
    schedopt_cmdline(&o, &o.sched[1], cmd, sizeof cmd);
    assert_string_equal(cmd, "sched=mlfq:quanta=10000/20000/40000,boost=10000 "
                             "tickets=100/50 arrive=0/20");
    assert_int_equal(PARSE(&o, "--sched", "stcf:lengths=5/0/7", "hello"), 0);
    assert_false(o.sched[0].learn);
    assert_int_equal(PARSE(&o, "--sched", "help"), 0);
    assert_true(o.sched_help);

    const struct {
        int argc;
        char **argv;
        const char *want;
    } cases[] = {
        {ARGC("--sched", "rr:quantum=1"), ARGV("--sched", "rr:quantum=1"),
         "--sched: rr has no parameter 'quantum' (it has: none)"},
        {ARGC("--sched", "mlfq:quanta"), ARGV("--sched", "mlfq:quanta"),
         "--sched: 'quanta': parameters are KEY=VALUE (mlfq has: queues, "
         "quanta, allot, boost, reset)"},
        {ARGC("--sched", "mlfq:queues=9"), ARGV("--sched", "mlfq:queues=9"),
         "--sched mlfq queues: 9 is 9: the range is 1 to 8"},
        {ARGC("--sched", "mlfq:queues=2,quanta=1k/2k/3k"),
         ARGV("--sched", "mlfq:queues=2,quanta=1k/2k/3k"),
         "--sched mlfq: 3 values of quanta for 2 queues"},
        {ARGC("--sched", "mlfq:boost=1,boost=2"),
         ARGV("--sched", "mlfq:boost=1,boost=2"),
         "--sched: mlfq: 'boost' is given twice"},
        {ARGC("--sched", "boost=1"), ARGV("--sched", "boost=1"),
         "--sched: 'boost=1' comes before any policy"},
        {ARGC("--sched", "rr,,fifo"), ARGV("--sched", "rr,,fifo"),
         "--sched: 'rr,,fifo': an empty policy"},
        {ARGC("--sched", "lottery:seed=1/2"),
         ARGV("--sched", "lottery:seed=1/2"),
         "--sched lottery seed: at most 1 value"},
        {ARGC("--sched", "mlfq:allot=x"), ARGV("--sched", "mlfq:allot=x"),
         "--sched mlfq allot: 'x' is not a cycle count or a time (100000, "
         "50k, 2M, 1ms, 500us, 10ns)"},
        {ARGC("--tickets", "2000000"), ARGV("--tickets", "2000000"),
         "--tickets: 2000000: the range is 1 to 1000000"},
        {ARGC("--tickets", "5,"), ARGV("--tickets", "5,"),
         "--tickets: '5,' is not a comma-separated list"},
        {ARGC("--arrival", "1,2", "hello"), ARGV("--arrival", "1,2", "hello"),
         "--arrival: 2 values for 1 program"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = parse(&o, cases[i].argc, cases[i].argv);
        if (rc != SESSION_EXIT_USAGE || strcmp(err, cases[i].want) != 0)
            fail_msg("case %zu: rc %d \"%s\", want \"%s\"", i, rc, err,
                     cases[i].want);
    }
}

/* The console reads one line per request, and closes input at EOF. */
static void console_input_by_lines(void **state)
{
    (void)state;
    struct cpu *cpu = cpu_create(1u << 20);
    assert_non_null(cpu);
    FILE *in = tmpfile();
    fputs("first line\nsecond\nno newline", in);
    rewind(in);
    FILE *out = tmpfile(), *errf = tmpfile();
    struct hostcon hc;
    hostcon_init(&hc, in, out, errf);

    hostcon_feed(&hc, cpu);
    assert_int_equal(cpu->console.rx_count, 11); /* "first line\n" */
    assert_false(cpu->console.rx_closed);
    hostcon_feed(&hc, cpu); /* another request: the next line queued too */
    assert_int_equal(cpu->console.rx_count, 18);
    hostcon_feed(&hc, cpu);
    assert_int_equal(cpu->console.rx_count, 28);
    assert_false(cpu->console.rx_closed);
    hostcon_feed(&hc, cpu);
    assert_true(cpu->console.rx_closed);

    hostcon_put(&hc, 1, 'o');
    hostcon_put(&hc, 2, 'e');
    hostcon_put(&hc, 1, 'k');
    hostcon_free(&hc);
    char buf[8] = {0};
    rewind(out);
    assert_int_equal(fread(buf, 1, sizeof buf - 1, out), 2);
    assert_string_equal(buf, "ok");
    rewind(errf);
    assert_int_equal(fread(buf, 1, sizeof buf - 1, errf), 1);
    assert_int_equal(hc.bytes_out[1], 2);
    assert_int_equal(hc.bytes_out[2], 1);
    fclose(in);
    fclose(out);
    fclose(errf);
    cpu_destroy(cpu);
}

/* A line longer than the console's buffer is queued in parts. */
static void console_long_line(void **state)
{
    (void)state;
    struct cpu *cpu = cpu_create(1u << 20);
    FILE *in = tmpfile();
    for (int i = 0; i < CONSOLE_RXBUF + 100; i++)
        fputc('a', in);
    fputc('\n', in);
    rewind(in);
    struct hostcon hc;
    hostcon_init(&hc, in, NULL, NULL);
    hostcon_feed(&hc, cpu);
    assert_int_equal(cpu->console.rx_count, CONSOLE_RXBUF);
    assert_int_equal(hc.pending, 0); /* the first HOSTCON_CHUNK bytes */
    cpu->console.rx_count = 0;       /* as if the guest read it all */
    cpu->console.rx_head = 0;
    hostcon_feed(&hc, cpu);
    assert_int_equal(cpu->console.rx_count, 101);
    assert_int_equal(hc.pending, 0);
    hostcon_free(&hc);
    fclose(in);
    cpu_destroy(cpu);
}

/* Input with no newline at all is queued in chunks as the guest asks for
 * it, never held whole: lde's memory does not grow with the line. */
static void console_no_newline(void **state)
{
    (void)state;
    struct cpu *cpu = cpu_create(1u << 20);
    FILE *in = tmpfile();
    const size_t total = 1u << 20;
    for (size_t i = 0; i < total; i++)
        fputc(i % 251 == 0 ? 'x' : 'z', in);
    rewind(in);
    struct hostcon hc;
    hostcon_init(&hc, in, NULL, NULL);
    size_t got = 0;
    int feeds = 0;
    while (!cpu->console.rx_closed && feeds < 1000) {
        hostcon_feed(&hc, cpu);
        feeds++;
        assert_true(cpu->console.rx_count <= HOSTCON_CHUNK);
        assert_true(hc.buf_len <= HOSTCON_CHUNK);
        if (got == 0 && cpu->console.rx_count > 0) /* the first request */
            assert_int_equal(cpu->console.rx_count, HOSTCON_CHUNK);
        got += cpu->console.rx_count;
        cpu->console.rx_count = 0; /* as if the guest read it all */
        cpu->console.rx_head = 0;
    }
    assert_true(cpu->console.rx_closed);
    assert_int_equal(got, total);
    assert_int_equal(feeds, total / HOSTCON_CHUNK + 1); /* + the close */
    hostcon_free(&hc);
    fclose(in);
    cpu_destroy(cpu);
}

/* A failed write of the guest's output is remembered, with its reason. */
static void console_output_error(void **state)
{
    (void)state;
    FILE *full = fopen("/dev/full", "w");
    if (full == NULL)
        skip();
    FILE *err2 = tmpfile();
    struct hostcon hc;
    hostcon_init(&hc, NULL, full, err2);
    char msg[128];
    hostcon_put(&hc, 1, 'x');
    hostcon_put(&hc, 2, 'e'); /* switching streams flushes stdout */
    assert_int_equal(hostcon_error(&hc, msg, sizeof msg), -1);
    assert_string_equal(msg, "stdout: No space left on device");
    hostcon_free(&hc);
    fclose(full);
    fclose(err2);

    FILE *out = tmpfile();
    hostcon_init(&hc, NULL, out, out);
    hostcon_put(&hc, 1, 'x');
    hostcon_flush(&hc);
    assert_int_equal(hostcon_error(&hc, msg, sizeof msg), 0);
    hostcon_free(&hc);
    fclose(out);
}

/* The boot sequence the debugger reuses: open, run to the halt, reboot,
 * and the second run is the same as the first. */
static void session_boot_and_reboot(void **state)
{
    (void)state;
    struct session_options o;
    assert_int_equal(
        PARSE(&o, "--ram", "16M", "hello", "--", "compute", "1000"), 0);
    struct session s;
    if (session_open(&s, &o, err, sizeof err) != 0)
        fail_msg("session_open: %s", err);
    assert_int_equal(s.nprogs, 2);
    assert_string_equal(session_prog_name(&s, 1), "compute");
    assert_string_equal(s.cmdline, "quantum=100000 sched=rr preempt=1");
    assert_int_equal(s.cpu->pc, s.kernel_entry);
    assert_int_equal(cpu_reg(s.cpu, 10), s.boot.info);
    assert_non_null(sym_by_name(session_ksyms(&s), "lde_procinfo"));
    assert_non_null(sym_by_name(session_psyms(&s, 0), "main"));

    FILE *out = tmpfile();
    struct hostcon hc;
    hostcon_init(&hc, NULL, out, out);
    struct cpu_hooks h = {0};
    hostcon_attach(&hc, &h);
    cpu_set_hooks(s.cpu, &h);
    uint64_t cycles[2];
    for (int round = 0; round < 2; round++) {
        enum cpu_stop why;
        while ((why = cpu_run(s.cpu, 1000000)) == STOP_BUDGET)
            ;
        assert_int_equal(why, STOP_HALT);
        assert_int_equal(s.cpu->exit_status, 0);
        cycles[round] = s.cpu->cycle;
        if (round == 0)
            assert_int_equal(session_reboot(&s, err, sizeof err), 0);
    }
    assert_int_equal(cycles[0], cycles[1]);
    hostcon_free(&hc);
    char buf[256] = {0};
    rewind(out);
    assert_true(fread(buf, 1, sizeof buf - 1, out) > 0);
    assert_non_null(strstr(buf, "hello, world from lde\n"));
    const char *second = strstr(strstr(buf, "check ok") + 1, "hello, world");
    assert_non_null(second); /* the same output again after the reboot */
    fclose(out);
    session_close(&s);

    /* A bad image: one line, nothing left open. */
    assert_int_equal(PARSE(&o, "hello", "--", "/nonexistent.elf"), 0);
    assert_int_equal(session_open(&s, &o, err, sizeof err), SESSION_EXIT_FILE);
    assert_string_equal(err, "/nonexistent.elf: No such file or directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sizes_and_rates),
        cmocka_unit_test(cycles_and_times),
        cmocka_unit_test(options_and_programs),
        cmocka_unit_test(usage_errors),
        cmocka_unit_test(scheduling_options),
        cmocka_unit_test(console_input_by_lines),
        cmocka_unit_test(console_long_line),
        cmocka_unit_test(console_no_newline),
        cmocka_unit_test(console_output_error),
        cmocka_unit_test(session_boot_and_reboot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
