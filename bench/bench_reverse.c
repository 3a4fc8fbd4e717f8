/*
 * bench_reverse.c: what going back in time costs (bench/README.md).
 *
 *   bench_reverse STEPS BACK PROGRAM [ARGS...]
 *
 * Boots the kernel with PROGRAM as `lde run` does and runs STEPS steps
 * (cpu_steps: instructions plus traps) twice: once plain, once recording
 * the past with the debugger's default limits (a snapshot every 2^22
 * steps, 256 MiB). Then, from there: back BACK steps, one step back, and
 * back to the start, each timed, and the snapshots' count and memory.
 * Prints one line per figure. Times are the process's CPU time, which a
 * shared machine disturbs less than wall time.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "session.h"
#include "timeline.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct session s;
static struct timeline *tl;

static void tx(void *ctx, int stream, uint8_t b)
{
    (void)ctx, (void)stream, (void)b;
    if (tl != NULL)
        timeline_output(tl);
}

static bool mode(void *ctx, struct cpu *cpu, uint32_t o, uint32_t n)
{
    (void)ctx, (void)cpu;
    session_note_mode(&s, o, n);
    return false;
}

static void boot(int argc, char **argv)
{
    struct session_options o;
    char err[512];
    argv[0] = "run";
    if (session_parse_args(argc, argv, &o, err, sizeof err) != 0 ||
        session_open(&s, &o, err, sizeof err) != 0) {
        fprintf(stderr, "bench_reverse: %s\n", err);
        exit(1);
    }
    struct cpu_hooks h = {.console_tx = tx, .mode = mode};
    cpu_set_hooks(s.cpu, &h);
}

/* Forward to `steps` (or a halt), in slices as session_run runs. */
static void forward(uint64_t steps)
{
    while (!s.cpu->halted && cpu_steps(s.cpu) < steps) {
        cpu_run(s.cpu, UINT64_C(1) << 20);
        if (tl != NULL)
            timeline_tick(tl);
    }
}

static double seek(uint64_t when)
{
    char err[300];
    double t0 = now();
    if (timeline_seek(tl, when, err, sizeof err) != 0) {
        fprintf(stderr, "bench_reverse: %s\n", err);
        exit(1);
    }
    double t = now() - t0;
    if (cpu_steps(s.cpu) != when) {
        fprintf(stderr,
                "bench_reverse: went to step %" PRIu64 " instead of %" PRIu64
                "\n",
                cpu_steps(s.cpu), when);
        exit(1);
    }
    return t;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_reverse STEPS BACK PROGRAM [ARGS...]\n");
        return 2;
    }
    uint64_t steps = strtoull(argv[1], NULL, 0);
    uint64_t back = strtoull(argv[2], NULL, 0);

    boot(argc - 2, argv + 2);
    double t0 = now();
    forward(steps);
    double plain = now() - t0;
    uint64_t reached = cpu_steps(s.cpu);
    session_close(&s);

    boot(argc - 2, argv + 2);
    tl = timeline_create(&s, NULL);
    s.timeline = tl;
    t0 = now();
    forward(steps);
    double recorded = now() - t0;
    struct timeline_stats st;
    timeline_stats(tl, &st);
    uint64_t end = cpu_steps(s.cpu);
    if (back > end)
        back = end;

    printf("steps run:            %" PRIu64 "\n", reached);
    printf("forward, plain:       %.3f s (%.0f M steps/s)\n", plain,
           (double)reached / plain / 1e6);
    printf("forward, recording:   %.3f s (%.0f M steps/s, %+.1f%%)\n", recorded,
           (double)end / recorded / 1e6, 100.0 * (recorded - plain) / plain);
    printf("snapshots:            %u (steps %" PRIu64 " to %" PRIu64
           "), %zu RAM pages, %.1f MiB\n",
           st.snaps, st.oldest, st.newest, st.pages,
           (double)st.bytes / (1 << 20));
    printf("back %" PRIu64 " steps:   %.3f s\n", back, seek(end - back));
    printf("forward to the end:   %.3f s\n", seek(end));
    printf("one step back:        %.3f s\n", seek(end - 1));
    printf("back to the start:    %.3f s\n", seek(0));
    printf("to the end again:     %.3f s\n", seek(end));
    session_close(&s);
    return 0;
}
