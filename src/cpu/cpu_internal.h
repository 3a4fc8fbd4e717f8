/*
 * cpu_internal.h: what the files of src/cpu/ share and the outside does not.
 *
 * A trap is a value: functions that may fault return the vector (>= 0) or
 * TRAP_NONE, and put the trap value in *tval. Only trap.c acts on it.
 */
#ifndef LDE_CPU_INTERNAL_H
#define LDE_CPU_INTERNAL_H

#include "cpu.h"

#define TRAP_NONE (-1)
#define MUST_CHECK __attribute__((warn_unused_result))
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

/* trap.c: docs/isa.md §6, in order. epc is the pc saved in the frame. */
void trap_enter(struct cpu *cpu, uint32_t vector, uint32_t epc, uint32_t tval);
/* rti in kernel mode: pop the frame at sp. May fault reading it. */
MUST_CHECK int trap_rti(struct cpu *cpu, uint32_t *tval);
/* The interrupt that would be taken now, or TRAP_NONE. */
int trap_interrupt_deliverable(const struct cpu *cpu);
int trap_interrupt_pending(const struct cpu *cpu);

/* mem.c: accesses the fast path in interp.c did not handle. */
MUST_CHECK int mem_load(struct cpu *cpu, uint32_t va, uint32_t size,
                        uint32_t *value, uint32_t *tval);
MUST_CHECK int mem_store(struct cpu *cpu, uint32_t va, uint32_t size,
                         uint32_t value, uint32_t *tval);
/* Recompute the current mode's window after mode, UBASE or UBOUND change. */
void mem_update_window(struct cpu *cpu);

/* devices.c: register reads and writes, kernel mode only (mem.c checks). */
MUST_CHECK int dev_load(struct cpu *cpu, uint32_t paddr, uint32_t *value);
MUST_CHECK int dev_store(struct cpu *cpu, uint32_t paddr, uint32_t value);
/* Bring the timer up to the current cycle (pending, next deadline). */
void timer_update(struct cpu *cpu);
void devices_reset(struct cpu *cpu);
/* wfi: wait for an interrupt; may halt the machine (deadlock). */
enum wfi_end {
    WFI_WOKEN,  /* an interrupt is pending (or the machine halted) */
    WFI_BUDGET, /* the run budget ended first: resume the wait next run */
    WFI_INPUT,  /* only console input can end it, and the host has none */
};
enum wfi_end dev_wfi_wait(struct cpu *cpu);

/* csr.c: one csr instruction. old gets the value read (for rd). */
MUST_CHECK int csr_access(struct cpu *cpu, uint32_t csr, uint32_t op,
                          uint32_t operand, bool writes, uint32_t *old);

/* Does [va, va+size) lie in the current mode's RAM window (cpu.h)? The
 * interpreter's fast path and mem.c's slow path ask the same question. */
static inline bool in_window(const struct cpu *cpu, uint32_t va, uint32_t size)
{
    return va >= cpu->win_lo && (uint64_t)va + size <= cpu->win_hi;
}

/* Is there a breakpoint at pc? */
static inline bool cpu_at(const struct cpu *cpu, uint32_t pc)
{
    for (unsigned i = 0; i < cpu->nbreakpoints; i++)
        if (cpu->breakpoints[i] == pc)
            return true;
    return false;
}

/* hostmem.c: zeroed memory reserved from the host, committed page by page
 * as it is touched (NULL on failure); and giving pages back as zeros. */
void *host_map(size_t size);
void host_unmap(void *p, size_t size);
void host_zero(void *p, size_t size);
/* [p, p + size) reads the file's bytes from off, copy on write: 0; -1
 * with the range as it was; or HOST_MAP_ZEROED, a failure that left
 * zeros there. Page-aligned arguments (host_page_size). */
#define HOST_MAP_ZEROED (-2)
int host_map_file(void *p, size_t size, int fd, uint64_t off);
/* host_zero() for pages that may be a file's: anonymous zeros again
 * (true), or, if the host could not, the file's pages written over with
 * zeros (false: they are still the file's, copied). */
bool host_zero_remap(void *p, size_t size);
size_t host_page_size(void);
/* Commit [p, p + size) now, ahead of writing it all (best effort). */
void host_commit(void *p, size_t size);

/* cpu.c */
void cpu_halt(struct cpu *cpu, enum cpu_stop kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Something changed that the run loop must look at before the next
 * instruction (interrupt enable, a pending device, a stop request). */
static inline void cpu_recheck(struct cpu *cpu)
{
    cpu->check_at = 0;
}

static inline uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}
static inline void wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

#endif /* LDE_CPU_INTERNAL_H */
