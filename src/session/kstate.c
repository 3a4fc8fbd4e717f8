/*
 * kstate.c: copy the kernel's tables out of RAM (see kstate.h).
 *
 * struct lde_procinfo has one layout for the 32-bit
 * guest and the host (lde/abi.h asserts their sizes; the fields are fixed
 * width and naturally aligned), and both ends are little-endian, so a
 * record is copied as is.
 */
#include "kstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader_error.h"

/* Physical address of the kernel symbol's object, checked to hold len
 * bytes of RAM. */
static int locate(const struct session *s, const char *name, uint64_t len,
                  uint32_t *pa, char *err, size_t errlen)
{
    uint32_t addr;
    if (session_ksym_addr(s, name, &addr) != 0)
        return loader_error(err, errlen, NULL, "the kernel has no symbol %s",
                            name);
    if (elf_vaddr_to_paddr(s->kernel, addr, pa) != 0 ||
        (uint64_t)*pa + len > s->cpu->ram_size)
        return loader_error(err, errlen, NULL,
                            "the kernel's %s (0x%x) is not in RAM", name, addr);
    return 0;
}

int kstate_u32(const struct session *s, const char *sym, uint32_t *v, char *err,
               size_t errlen)
{
    uint32_t pa = 0;
    if (locate(s, sym, 4, &pa, err, errlen) != 0)
        return -1;
    return cpu_read_phys(s->cpu, pa, v, 4);
}

/* count = min(*count_sym, max), then count records of size each. */
static int read_table(const struct session *s, const char *table,
                      const char *count_sym, void *out, size_t size,
                      unsigned max, unsigned *n, char *err, size_t errlen)
{
    uint32_t count = 0, pa = 0;
    *n = 0;
    if (kstate_u32(s, count_sym, &count, err, errlen) != 0)
        return -1;
    if (count > max)
        count = max;
    if (locate(s, table, (uint64_t)count * size, &pa, err, errlen) != 0)
        return -1;
    if (count > 0 && cpu_read_phys(s->cpu, pa, out, count * size) != 0)
        return -1;
    *n = count;
    return 0;
}

static int by_pid(const void *a, const void *b)
{
    uint32_t x = ((const struct lde_procinfo *)a)->pid;
    uint32_t y = ((const struct lde_procinfo *)b)->pid;
    return x < y ? -1 : x > y;
}

int kstate_procinfo(const struct session *s, struct lde_procinfo *out,
                    unsigned max, unsigned *n, char *err, size_t errlen)
{
    if (read_table(s, LDE_SYM_PROCINFO, LDE_SYM_NPROCINFO, out, sizeof *out,
                   max, n, err, errlen) != 0)
        return -1;
    /* The kernel reuses the records of reaped processes. */
    qsort(out, *n, sizeof *out, by_pid);
    return 0;
}

uint32_t kstate_nprocs(const struct session *s, unsigned nrecords)
{
    uint32_t n;
    char err[160];
    if (kstate_u32(s, LDE_SYM_NPROCS, &n, err, sizeof err) != 0 || n < nrecords)
        return nrecords;
    return n;
}

int kstate_locate_procinfo(const struct session *s, struct kstate_loc *loc,
                           char *err, size_t errlen)
{
    if (locate(s, LDE_SYM_NPROCINFO, 4, &loc->count_pa, err, errlen) != 0)
        return -1;
    return locate(s, LDE_SYM_PROCINFO,
                  (uint64_t)LDE_PROCS_MAX * sizeof(struct lde_procinfo),
                  &loc->table_pa, err, errlen);
}

int kstate_procinfo_at(const struct session *s, const struct kstate_loc *loc,
                       struct lde_procinfo *out, unsigned max, unsigned *n)
{
    uint32_t count;
    *n = 0;
    if (cpu_read_phys(s->cpu, loc->count_pa, &count, 4) != 0)
        return -1;
    if (count > max)
        count = max;
    if (count > LDE_PROCS_MAX)
        count = LDE_PROCS_MAX;
    if (count > 0 &&
        cpu_read_phys(s->cpu, loc->table_pa, out, count * sizeof *out) != 0)
        return -1;
    *n = count;
    return 0;
}

int kstate_user_pc(const struct session *s, const struct lde_procinfo *a,
                   uint32_t *pc)
{
    const struct cpu *cpu = s->cpu;
    if (cpu->mode == MODE_USER && a->state == PS_RUNNING) {
        *pc = cpu->pc;
        return 0;
    }
    if (a->kstack < FRAME_SIZE)
        return -1;
    return cpu_read_phys(cpu, a->kstack - FRAME_SIZE + FRAME_PC, pc, 4);
}

const char *kstate_state_name(uint32_t state)
{
    switch (state) {
#define STATE_NAME(st, number, name)                                           \
    case st: return name;
        LDE_PROC_STATES(STATE_NAME)
#undef STATE_NAME
    }
    return "?";
}

const char *kstate_block_name(uint32_t reason)
{
    switch (reason) {
#define REASON_NAME(r, number, name)                                           \
    case r: return name;
        LDE_BLOCK_REASONS(REASON_NAME)
#undef REASON_NAME
    }
    return "?";
}

void kstate_state(const struct lde_procinfo *a, char *buf, size_t len)
{
    if (a->state == PS_BLOCKED)
        snprintf(buf, len, "blocked:%s", kstate_block_name(a->blocked));
    else
        snprintf(buf, len, "%s", kstate_state_name(a->state));
}

void kstate_describe(const struct lde_procinfo *a, char *buf, size_t len)
{
    const char *zombie = a->state == PS_ZOMBIE ? "zombie, " : "";
    if (a->ended == 0 && a->state != PS_ZOMBIE && a->state != PS_REAPED)
        kstate_state(a, buf, len);
    else if (a->kill_vector != LDE_KILLED_NONE)
        snprintf(buf, len, "%skilled: %s at pc 0x%08x (tval 0x%x)", zombie,
                 cpu_vector_name(a->kill_vector), a->kill_pc, a->kill_tval);
    else if (a->kill_signal != 0)
        snprintf(
            buf, len, "%skilled: signal %u (SIG%s)", zombie, a->kill_signal,
            lde_signal_name(a->kill_signal) ? lde_signal_name(a->kill_signal)
                                            : "RT");
    else
        snprintf(buf, len, "%sexit %d", zombie, a->exit_status);
}

void kstate_name(const struct lde_procinfo *a, char *buf, size_t len)
{
    size_t n = strnlen(a->name, sizeof a->name);
    if (n >= len)
        n = len - 1;
    memcpy(buf, a->name, n);
    buf[n] = '\0';
}
