/*
 * riscv.h: the few instructions and device accesses C cannot express:
 * CSR reads and writes, the 64-bit cycle counter, wfi, MMIO.
 */
#ifndef RISCV_H
#define RISCV_H

#include <stdint.h>

#include "lde/machine.h"

/* csrr/csrw with the CSR number as an immediate ("i"), so that the
 * numbers come from lde/machine.h and are never spelled twice. */
#define csr_read(csr)                                                          \
    ({                                                                         \
        uint32_t v_;                                                           \
        __asm__ volatile("csrr %0, %1" : "=r"(v_) : "i"(csr));                 \
        v_;                                                                    \
    })
#define csr_write(csr, val)                                                    \
    __asm__ volatile("csrw %0, %1"                                             \
                     :                                                         \
                     : "i"(csr), "r"((uint32_t)(val))                          \
                     : "memory")

/* The 64-bit cycle counter: re-read the high half if the low one wrapped
 * between the two reads. */
static inline uint64_t rdcycle64(void)
{
    uint32_t hi, lo, hi2;
    do {
        hi = csr_read(CSR_CYCLEH);
        lo = csr_read(CSR_CYCLE);
        hi2 = csr_read(CSR_CYCLEH);
    } while (hi != hi2);
    return (uint64_t)hi << 32 | lo;
}

/* Wait until an interrupt is pending (even a masked one); docs/isa.md §7. */
static inline void wfi(void)
{
    __asm__ volatile(".word 0x10500073" ::: "memory");
}

/* Make instructions the kernel wrote (a loaded program) visible to fetch. */
static inline void fence_i(void)
{
    __asm__ volatile("fence.i" ::: "memory");
}

static inline uint32_t mmio_read(uint32_t addr)
{
    return *(volatile uint32_t *)(uintptr_t)addr;
}

static inline void mmio_write(uint32_t addr, uint32_t val)
{
    *(volatile uint32_t *)(uintptr_t)addr = val;
}

#endif /* RISCV_H */
