/*
 * vm.c: memory for processes, by base and bounds (OSTEP 15). RAM above
 * boot_info.free_start is cut into partitions of LDE_USER_SIZE bytes; a
 * process gets one: UBASE = its physical start, UBOUND = LDE_USER_SIZE, so
 * user virtual address va lives at physical UBASE + va. The kernel, which
 * runs on physical addresses, touches user memory only through copyin()
 * and copyout(), which check the range first (OSTEP 6.2: "the kernel must
 * carefully check the arguments of a system call").
 */
#include "defs.h"
#include "proc.h"

#define MAXPART 64 /* 256 MiB of partitions: more than NPROC needs */

static uint32_t part_start;         /* physical address of partition 0 */
static uint32_t npart;              /* partitions that fit in RAM */
static uint8_t part_used[MAXPART];  /* 1: given to a live process */
static uint8_t part_dirty[MAXPART]; /* 1: used before, must be zeroed */

void partition_init(uint32_t free_start, uint32_t ram_size)
{
    part_start = (free_start + PGSIZE - 1) & ~(uint32_t)(PGSIZE - 1);
    npart = part_start < ram_size ? (ram_size - part_start) / LDE_USER_SIZE : 0;
    if (npart > MAXPART)
        npart = MAXPART;
}

uint32_t partition_count(void)
{
    return npart;
}

/* A free partition's physical address, or 0 if none is left. RAM is zero
 * at reset, so a partition is cleared only if a process used it before:
 * no process ever sees another's data (4 MiB of stores: millions of
 * cycles, hence the preference for fresh ones). */
uint32_t partition_alloc(void)
{
    /* Prefer a never-used partition: it needs no clearing. */
    uint32_t i = 0;
    while (i < npart && (part_used[i] || part_dirty[i]))
        i++;
    if (i == npart)
        i = 0;
    for (; i < npart; i++) {
        if (part_used[i])
            continue;
        part_used[i] = 1;
        uint32_t base = part_start + i * LDE_USER_SIZE;
        if (part_dirty[i])
            memset((void *)(uintptr_t)base, 0, LDE_USER_SIZE);
        part_dirty[i] = 1;
        return base;
    }
    return 0;
}

void partition_free(uint32_t base)
{
    uint32_t i = (base - part_start) / LDE_USER_SIZE;
    if (base < part_start || i >= npart || !part_used[i] ||
        base != part_start + i * LDE_USER_SIZE)
        panic("partition_free: 0x%x is not an allocated partition", base);
    part_used[i] = 0;
}

/* Does [va, va+len) lie within what the process may touch, [0x1000,
 * UBOUND), without wrapping? An empty range is always fine. */
int user_range_ok(const struct proc *p, uint32_t va, uint32_t len)
{
    if (len == 0)
        return 1;
    return va >= USER_NULL_GUARD && len <= p->ubound && va <= p->ubound - len;
}

/* The kernel's (physical) address of user va in p. Check first. */
void *user_ptr(const struct proc *p, uint32_t va)
{
    return (void *)(uintptr_t)(p->ubase + va);
}

/* Copy len bytes from user va in p to dst. 0, or -EFAULT. */
int copyin(const struct proc *p, void *dst, uint32_t va, uint32_t len)
{
    if (!user_range_ok(p, va, len))
        return -LDE_EFAULT;
    memcpy(dst, user_ptr(p, va), len);
    return 0;
}

/* Copy len bytes from src to user va in p. 0, or -EFAULT. */
int copyout(const struct proc *p, uint32_t va, const void *src, uint32_t len)
{
    if (!user_range_ok(p, va, len))
        return -LDE_EFAULT;
    memcpy(user_ptr(p, va), src, len);
    return 0;
}
