/*
 * perfmap.h: a perf map of lde's native code, for profiling lde itself.
 *
 * perf(1) names code it finds no symbols for from /tmp/perf-PID.map, one
 * "START SIZE NAME" line (hex) per region: the convention of JITs. With
 * LDE_PERF_MAP set in the environment, `lde run` writes there a line per
 * block translated to native code, named by the guest pc it starts at
 * and the mode ("lde user 0x00010604"), so that `perf report` shows which
 * guest code the host time went to (bench/profile.sh -t perf).
 */
#ifndef LDE_PERFMAP_H
#define LDE_PERFMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cpu;

/* Open the map if LDE_PERF_MAP asks for one: true if it is open. A map
 * that cannot be written is left out with a one-line warning. */
bool perfmap_open(void);
/* A cpu_hooks.native hook (ctx unused). */
void perfmap_native(void *ctx, struct cpu *cpu, uint32_t pc, const void *code,
                    size_t size);
void perfmap_close(void);

#endif /* LDE_PERFMAP_H */
