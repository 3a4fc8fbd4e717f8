/*
 * bench_interp: guest MIPS of the bare interpreter.
 *
 * Loads interp_mix.elf (a bare-metal kernel-mode loop, no traps) and runs
 * it to completion a few times, reporting the best run: instructions per
 * host second, and the simulated cycles per instruction the cost table
 * gives. A benchmark, not a test: it asserts nothing about time.
 *
 * usage: bench_interp FILE.elf [ITERATIONS] [RUNS]
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cpu.h"
#include "elf_file.h"
#include "elf_load.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_interp FILE.elf [ITERATIONS] [RUNS]\n");
        return 2;
    }
    uint32_t iterations =
        argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : 20000000u;
    int runs = argc > 3 ? atoi(argv[3]) : 3;
    char err[ELF_ERR_MAX];
    struct elf_file *ef = elf_read_file(argv[1], NULL, err, sizeof err);
    struct cpu *cpu = cpu_create(1u << 20);
    if (!ef || !cpu) {
        fprintf(stderr, "bench_interp: %s\n", ef ? "out of memory" : err);
        return 1;
    }
    double best = 0;
    for (int r = 0; r < runs; r++) {
        uint32_t entry, end;
        if (elf_load_kernel(cpu, ef, &entry, &end, err, sizeof err) != 0) {
            fprintf(stderr, "bench_interp: %s\n", err);
            return 1;
        }
        cpu_reset(cpu, entry, iterations);
        double t0 = now();
        enum cpu_stop why;
        while ((why = cpu_run(cpu, 1000000000u)) == STOP_BUDGET)
            ;
        double secs = now() - t0;
        if (why != STOP_HALT) {
            fprintf(stderr, "bench_interp: stopped: %s\n", cpu->halt_reason);
            return 1;
        }
        double mips = (double)cpu->instret / secs / 1e6;
        if (mips > best)
            best = mips;
        printf("run %d: %llu instructions, %llu cycles, %.3f s, %.1f MIPS "
               "(checksum %d)\n",
               r + 1, (unsigned long long)cpu->instret,
               (unsigned long long)cpu->cycle, secs, mips, cpu->exit_status);
    }
    printf("interpreter: %.1f guest MIPS (best of %d), %.2f cycles per "
           "instruction\n",
           best, runs, (double)cpu->cycle / (double)cpu->instret);
    cpu_destroy(cpu);
    elf_close(ef);
    return 0;
}
