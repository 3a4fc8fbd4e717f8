/*
 * mem.c: memory and protection (docs/isa.md §5).
 *
 * Kernel mode sees physical addresses: RAM from 0 and the device windows.
 * User mode sees base and bounds: va is allowed iff 0x1000 <= va < UBOUND
 * and goes to UBASE + va. The interpreter's fast path handles accesses that
 * fall in the current mode's RAM window (cpu->win_*); everything else comes
 * here, where it becomes a device access or a memory fault.
 */
#include "block.h"
#include "cpu_internal.h"

void mem_update_window(struct cpu *cpu)
{
    uint32_t lo, hi, off;
    if (cpu->mode == MODE_USER) {
        off = cpu->ubase;
        lo = USER_NULL_GUARD;
        /* The bound, clipped to what RAM holds above UBASE. */
        hi = cpu->ubound;
        uint32_t ram_left =
            cpu->ubase < cpu->ram_size ? cpu->ram_size - cpu->ubase : 0;
        if (hi > ram_left)
            hi = ram_left;
    } else {
        off = 0;
        lo = 0;
        hi = cpu->ram_size;
    }
    cpu->win_off = off;
    cpu->win_lo = lo;
    cpu->win_hi = hi > lo ? hi : lo;
    /* Chained blocks were checked against a window: name this one. */
    blocks_window(cpu->blocks, cpu->win_off, cpu->win_lo, cpu->win_hi);
}

static bool is_device(uint32_t paddr)
{
    return paddr >= DEV_BASE;
}

int mem_load(struct cpu *cpu, uint32_t va, uint32_t size, uint32_t *value,
             uint32_t *tval)
{
    *tval = va;
    if (va & (size - 1))
        return VEC_MISALIGNED;
    if (in_window(cpu, va, size)) {
        const uint8_t *p = cpu->ram + cpu->win_off + va;
        *value = size == 4   ? rd32(p)
                 : size == 2 ? (uint32_t)(p[0] | p[1] << 8)
                             : p[0];
        return TRAP_NONE;
    }
    if (cpu->mode == MODE_KERNEL && is_device(va)) {
        uint32_t reg;
        if (dev_load(cpu, va & ~3u, &reg) != TRAP_NONE)
            return VEC_MEMFAULT;
        /* Registers are words; narrower loads see their low-order part. */
        reg >>= 8 * (va & 3);
        *value = size == 4 ? reg : reg & ((1u << (8 * size)) - 1);
        return TRAP_NONE;
    }
    return VEC_MEMFAULT;
}

int mem_store(struct cpu *cpu, uint32_t va, uint32_t size, uint32_t value,
              uint32_t *tval)
{
    *tval = va;
    if (va & (size - 1))
        return VEC_MISALIGNED;
    if (in_window(cpu, va, size)) {
        uint32_t pa = cpu->win_off + va;
        uint8_t *p = cpu->ram + pa;
        if (size == 4)
            wr32(p, value);
        else if (size == 2) {
            p[0] = (uint8_t)value;
            p[1] = (uint8_t)(value >> 8);
        } else
            p[0] = (uint8_t)value;
        blocks_invalidate(cpu, pa, size);
        return TRAP_NONE;
    }
    if (cpu->mode == MODE_KERNEL && is_device(va)) {
        uint32_t mask = size == 4 ? ~0u : (1u << (8 * size)) - 1;
        if (dev_store(cpu, va & ~3u, value & mask) != TRAP_NONE)
            return VEC_MEMFAULT;
        return TRAP_NONE;
    }
    return VEC_MEMFAULT;
}
