/*
 * cpu.c: creating, resetting and inspecting a machine. Everything here is
 * free of side effects on the guest except where the name says otherwise.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "cpu_internal.h"
#include "decode.h"

struct cpu *cpu_create(uint32_t ram_size)
{
    if (ram_size == 0 || ram_size > DEV_BASE)
        return NULL;
    struct cpu *cpu = calloc(1, sizeof *cpu);
    if (!cpu)
        return NULL;
    cpu->ram_size = ram_size;
    cpu->ram = host_map(ram_size);
    cpu->blocks = cpu->ram ? blocks_create(cpu->ram, ram_size) : NULL;
    if (!cpu->ram || !cpu->blocks) {
        cpu_destroy(cpu);
        return NULL;
    }
    (void)cpu_set_costs(cpu, cost_defaults); /* valid by construction */
    cpu_reset(cpu, 0, 0);
    return cpu;
}

void cpu_destroy(struct cpu *cpu)
{
    if (!cpu)
        return;
    host_unmap(cpu->ram, cpu->ram_size);
    blocks_destroy(cpu->blocks);
    free(cpu->written);
    free(cpu);
}

void cpu_reset(struct cpu *cpu, uint32_t entry, uint32_t a0)
{
    memset(cpu->x, 0, sizeof cpu->x);
    cpu->x[10] = a0;
    cpu->pc = entry;
    cpu->mode = MODE_KERNEL;
    cpu->status = STATUS_MODE;
    cpu->ttr = cpu->ksp = cpu->ubase = cpu->ubound = 0;
    cpu->cycle = cpu->instret = 0;
    cpu->user_cycles = cpu->idle_cycles = cpu->mode_since = 0;
    memset(cpu->traps, 0, sizeof cpu->traps);
    cpu->halted = false;
    cpu->exit_status = 0;
    cpu->halt_reason[0] = '\0';
    cpu->in_wfi = false;
    cpu->stop_requested = false;
    devices_reset(cpu);
    mem_update_window(cpu);
    /* Hosts may have rewritten RAM without cpu_load(): decode afresh. */
    blocks_flush(cpu);
    cpu_recheck(cpu);
}

static size_t npages(const struct cpu *cpu);

bool cpu_set_jit(struct cpu *cpu, unsigned hot)
{
    cpu->blocks->jit_hot = hot;
    return cpu->blocks->jit != NULL;
}

/* Zero whole host pages [lo, hi) of RAM, giving them back to the host. */
static void zero_pages(struct cpu *cpu, uint32_t lo, uint32_t hi)
{
    if (lo < cpu->file_hi && hi > cpu->file_lo) {
        /* Some may be a file's (cpu_map_file): replace them all. Only if
         * they were replaced is no file left under [file_lo, file_hi). */
        if (host_zero_remap(cpu->ram + lo, hi - lo) && lo <= cpu->file_lo &&
            hi >= cpu->file_hi)
            cpu->file_lo = cpu->file_hi = 0;
    } else {
        host_zero(cpu->ram + lo, hi - lo);
    }
}

void cpu_clear_ram(struct cpu *cpu)
{
    zero_pages(cpu, 0, cpu->ram_size);
    blocks_flush(cpu);
    if (cpu->written != NULL) { /* all zeros: nothing written yet */
        memset(cpu->written, 1, npages(cpu));
        cpu_clear_written(cpu);
    }
}

void cpu_set_hooks(struct cpu *cpu, const struct cpu_hooks *hooks)
{
    cpu->hooks = *hooks;
}

void cpu_halt(struct cpu *cpu, enum cpu_stop kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cpu->halt_reason, sizeof cpu->halt_reason, fmt, ap);
    va_end(ap);
    cpu->halted = true;
    cpu->halt_kind = kind;
    cpu_recheck(cpu);
}

int cpu_set_costs(struct cpu *cpu, const uint32_t costs[NCOST])
{
    for (int i = 0; i < NCOST; i++)
        if (costs[i] < cost_min(i))
            return -1; /* a free instruction could stop time */
    memcpy(cpu->costs, costs, sizeof cpu->costs);
    for (int op = 0; op < NOPS; op++)
        cpu->op_cost[op] = costs[op_cost_class[op]];
    /* Trap entry stores the 36-word frame; rti loads x1..x31, pc, STATUS. */
    cpu->trap_cost = costs[COST_TRAP] + FRAME_WORDS * costs[COST_STORE];
    cpu->rti_cost = costs[COST_RTI] + 33 * costs[COST_LOAD];
    blocks_flush(cpu); /* their cycle sums came from the old table */
    return 0;
}

int cpu_load(struct cpu *cpu, uint32_t paddr, const void *src, size_t len)
{
    if (paddr > cpu->ram_size || len > cpu->ram_size - paddr)
        return -1;
    if (len >= 4 * 4096) /* a program's image, the boot's file table */
        host_commit(cpu->ram + paddr, len);
    memcpy(cpu->ram + paddr, src, len);
    blocks_invalidate(cpu, paddr, len);
    return 0;
}

int cpu_zero(struct cpu *cpu, uint32_t paddr, size_t len)
{
    if (paddr > cpu->ram_size || len > cpu->ram_size - paddr)
        return -1;
    /* Whole host pages go back to the host as zero pages: a large bss
     * costs nothing until the guest touches it. */
    uint32_t page = (uint32_t)host_page_size(), end = paddr + (uint32_t)len;
    uint32_t lo = (paddr + page - 1) & ~(page - 1), hi = end & ~(page - 1);
    if (lo < hi) {
        memset(cpu->ram + paddr, 0, lo - paddr);
        zero_pages(cpu, lo, hi);
        memset(cpu->ram + hi, 0, end - hi);
    } else {
        memset(cpu->ram + paddr, 0, len);
    }
    blocks_invalidate(cpu, paddr, len);
    return 0;
}

int cpu_map_file(struct cpu *cpu, uint32_t paddr, int fd, uint64_t off,
                 size_t len)
{
    if (paddr > cpu->ram_size || len > cpu->ram_size - paddr || len == 0)
        return -1;
    int rc = host_map_file(cpu->ram + paddr, len, fd, off);
    if (rc == HOST_MAP_ZEROED) /* failed, and RAM there reads as zeros */
        blocks_invalidate(cpu, paddr, len);
    if (rc != 0)
        return -1;
    uint32_t end = paddr + (uint32_t)len;
    if (cpu->file_lo == cpu->file_hi) {
        cpu->file_lo = paddr;
        cpu->file_hi = end;
    } else {
        cpu->file_lo = paddr < cpu->file_lo ? paddr : cpu->file_lo;
        cpu->file_hi = end > cpu->file_hi ? end : cpu->file_hi;
    }
    blocks_invalidate(cpu, paddr, len);
    return 0;
}

int cpu_read_phys(const struct cpu *cpu, uint32_t paddr, void *dst, size_t len)
{
    if (paddr > cpu->ram_size || len > cpu->ram_size - paddr)
        return -1;
    memcpy(dst, cpu->ram + paddr, len);
    return 0;
}

int cpu_translate(const struct cpu *cpu, uint32_t mode, uint32_t va,
                  uint32_t len, uint32_t *paddr)
{
    uint64_t end = (uint64_t)va + len;
    if (mode == MODE_USER) {
        if (va < USER_NULL_GUARD || end > cpu->ubound ||
            (uint64_t)cpu->ubase + end > cpu->ram_size)
            return -1;
        *paddr = cpu->ubase + va;
        return 0;
    }
    if (end > cpu->ram_size)
        return -1;
    *paddr = va;
    return 0;
}

uint32_t cpu_reg(const struct cpu *cpu, unsigned n)
{
    return n < 32 ? cpu->x[n] : 0;
}

void cpu_set_reg(struct cpu *cpu, unsigned n, uint32_t value)
{
    if (n > 0 && n < 32)
        cpu->x[n] = value;
}

int cpu_set_pc(struct cpu *cpu, uint32_t pc)
{
    if (pc & 3)
        return -1;
    if (pc != cpu->pc)
        cpu->in_wfi = false;
    cpu->pc = pc;
    cpu_recheck(cpu);
    return 0;
}

int cpu_csr_peek(const struct cpu *cpu, uint32_t csr, uint32_t *value)
{
    switch (csr) {
    case CSR_CYCLE: *value = (uint32_t)cpu->cycle; return 0;
    case CSR_CYCLEH: *value = (uint32_t)(cpu->cycle >> 32); return 0;
    case CSR_INSTRET: *value = (uint32_t)cpu->instret; return 0;
    case CSR_INSTRETH: *value = (uint32_t)(cpu->instret >> 32); return 0;
    case CSR_STATUS: *value = cpu->status; return 0;
    case CSR_TTR: *value = cpu->ttr; return 0;
    case CSR_KSP: *value = cpu->ksp; return 0;
    case CSR_UBASE: *value = cpu->ubase; return 0;
    case CSR_UBOUND: *value = cpu->ubound; return 0;
    default: return -1;
    }
}

int cpu_csr_poke(struct cpu *cpu, uint32_t csr, uint32_t value)
{
    uint32_t old;
    uint32_t saved_mode = cpu->mode;
    /* csr_access checks privilege against the current mode: the host
     * acts as kernel code here. */
    cpu->mode = MODE_KERNEL;
    int trap = csr_access(cpu, csr, 1 /* write */, value, true, &old);
    cpu->mode = saved_mode;
    mem_update_window(cpu);
    return trap == TRAP_NONE ? 0 : -1;
}

uint64_t cpu_kernel_cycles(const struct cpu *cpu)
{
    return cpu->cycle - cpu_user_cycles(cpu) - cpu->idle_cycles;
}

uint64_t cpu_user_cycles(const struct cpu *cpu)
{
    uint64_t user = cpu->user_cycles;
    if (cpu->mode == MODE_USER)
        user += cpu->cycle - cpu->mode_since;
    return user;
}

size_t cpu_console_input(struct cpu *cpu, const void *bytes, size_t n)
{
    const uint8_t *b = bytes;
    size_t done = 0;
    while (done < n && cpu->console.rx_count < CONSOLE_RXBUF) {
        uint32_t tail =
            (cpu->console.rx_head + cpu->console.rx_count) % CONSOLE_RXBUF;
        cpu->console.rx[tail] = b[done++];
        cpu->console.rx_count++;
    }
    cpu_recheck(cpu);
    return done;
}

void cpu_console_close(struct cpu *cpu)
{
    /* The end of input is news too: a reader blocked in the kernel must
     * be woken to see it. */
    if (!cpu->console.rx_closed)
        cpu->console.rx_eof_event = true;
    cpu->console.rx_closed = true;
    cpu_recheck(cpu);
}

int cpu_break_add(struct cpu *cpu, uint32_t pc)
{
    for (unsigned i = 0; i < cpu->nbreakpoints; i++)
        if (cpu->breakpoints[i] == pc)
            return 0;
    if (cpu->nbreakpoints == MAX_BREAKPOINTS)
        return -1;
    cpu->breakpoints[cpu->nbreakpoints++] = pc;
    blocks_breakpoints_changed(cpu->blocks);
    return 0;
}

int cpu_break_remove(struct cpu *cpu, uint32_t pc)
{
    for (unsigned i = 0; i < cpu->nbreakpoints; i++)
        if (cpu->breakpoints[i] == pc) {
            cpu->breakpoints[i] = cpu->breakpoints[--cpu->nbreakpoints];
            blocks_breakpoints_changed(cpu->blocks);
            return 0;
        }
    return -1;
}

/* ---- Snapshots ---------------------------------------------------------- */

static size_t npages(const struct cpu *cpu)
{
    return ((size_t)cpu->ram_size + CPU_PAGE_SIZE - 1) >> CPU_PAGE_SHIFT;
}

int cpu_track_writes(struct cpu *cpu, bool on)
{
    if (!on) {
        if (cpu->written != NULL)
            blocks_unwatch_all(cpu->blocks);
        free(cpu->written);
        cpu->written = NULL;
        return 0;
    }
    if (cpu->written == NULL) {
        cpu->written = malloc(npages(cpu));
        if (cpu->written == NULL)
            return -1;
    }
    /* Nothing is known of what happened before: all of it is news (and
     * no line needs watching until cpu_clear_written). */
    memset(cpu->written, 1, npages(cpu));
    blocks_unwatch_all(cpu->blocks);
    return 0;
}

void cpu_clear_written(struct cpu *cpu)
{
    if (cpu->written == NULL)
        return;
    size_t n = npages(cpu);
    for (size_t p = 0; p < n; p++)
        if (cpu->written[p]) {
            cpu->written[p] = 0;
            blocks_watch_page(cpu->blocks, (uint32_t)p, true);
        }
}

size_t cpu_state_size(void)
{
    return sizeof(struct cpu);
}

void cpu_state_save(const struct cpu *cpu, void *state)
{
    memcpy(state, cpu, sizeof *cpu);
}

void cpu_state_restore(struct cpu *cpu, const void *state)
{
    /* What belongs to the host, not to the machine's history, stays. */
    struct cpu keep = *cpu;
    memcpy(cpu, state, sizeof *cpu);
    cpu->ram = keep.ram;
    cpu->ram_size = keep.ram_size;
    cpu->file_lo = keep.file_lo; /* how the host holds RAM, not history */
    cpu->file_hi = keep.file_hi;
    cpu->written = keep.written;
    cpu->blocks = keep.blocks;
    cpu->hooks = keep.hooks;
    memcpy(cpu->breakpoints, keep.breakpoints, sizeof cpu->breakpoints);
    cpu->nbreakpoints = keep.nbreakpoints;
    memcpy(cpu->costs, keep.costs, sizeof cpu->costs);
    memcpy(cpu->op_cost, keep.op_cost, sizeof cpu->op_cost);
    cpu->trap_cost = keep.trap_cost;
    cpu->rti_cost = keep.rti_cost;
    cpu->win_base = keep.win_base;
    cpu->stop_requested = false;
    /* The caller rewrote RAM (cpu_load invalidates what it overwrote);
     * the window may differ: chains made under the old one are stale. */
    mem_update_window(cpu);
    cpu_recheck(cpu);
}

uint64_t cpu_steps(const struct cpu *cpu)
{
    uint64_t traps = 0;
    for (unsigned v = 0; v < NVECTORS; v++)
        traps += cpu->traps[v];
    return cpu->instret + traps;
}

#define VECTOR_NAME(v, word, name, signal) [v] = name,
static const char *const vector_names[NVECTORS] = {LDE_VECTORS(VECTOR_NAME)};
#undef VECTOR_NAME
#define VECTOR_WORD(v, word, name, signal) [v] = #word,
static const char *const vector_words[NVECTORS] = {LDE_VECTORS(VECTOR_WORD)};
#undef VECTOR_WORD

const char *cpu_vector_name(uint32_t vector)
{
    if (vector < NVECTORS && vector_names[vector])
        return vector_names[vector];
    return "unknown vector";
}

const char *cpu_vector_word(uint32_t vector)
{
    return vector < NVECTORS ? vector_words[vector] : NULL;
}

const char *cpu_stop_name(enum cpu_stop why)
{
    switch (why) {
    case STOP_BUDGET: return "budget";
    case STOP_BREAKPOINT: return "breakpoint";
    case STOP_HOOK: return "hook";
    case STOP_HALT: return "halt";
    case STOP_PANIC: return "kernel panic";
    case STOP_DOUBLE_FAULT: return "double fault";
    case STOP_DEADLOCK: return "deadlock";
    case STOP_WAIT_INPUT: return "waiting for input";
    }
    return "unknown";
}
