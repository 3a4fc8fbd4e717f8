/*
 * perfmap.c: /tmp/perf-PID.map for native code (perfmap.h).
 */
#include "perfmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cpu.h"

static FILE *map;

bool perfmap_open(void)
{
    const char *want = getenv("LDE_PERF_MAP");
    if (want == NULL || *want == '\0' || map != NULL)
        return map != NULL;
    char path[64];
    snprintf(path, sizeof path, "/tmp/perf-%ld.map", (long)getpid());
    map = fopen(path, "w");
    if (map == NULL)
        fprintf(stderr, "lde: LDE_PERF_MAP: cannot write %s: no perf map\n",
                path);
    return map != NULL;
}

void perfmap_native(void *ctx, struct cpu *cpu, uint32_t pc, const void *code,
                    size_t size)
{
    (void)ctx;
    if (map != NULL)
        fprintf(map, "%lx %zx lde %s 0x%08x\n", (unsigned long)(uintptr_t)code,
                size, cpu->mode == MODE_USER ? "user" : "kernel", pc);
}

void perfmap_close(void)
{
    if (map != NULL && fclose(map) != 0)
        fprintf(stderr, "lde: LDE_PERF_MAP: the perf map is incomplete\n");
    map = NULL;
}
