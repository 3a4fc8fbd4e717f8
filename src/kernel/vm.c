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

#define MAXPART NPROC /* partitions used, at most one per process */

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

/* Clear a partition from its first user page up (the null guard page is
 * never written: no user access reaches it and the kernel leaves it). */
void partition_clear(uint32_t base)
{
    memset((void *)(uintptr_t)(base + USER_NULL_GUARD), 0,
           LDE_USER_SIZE - USER_NULL_GUARD);
}

/* A free partition's physical address, or 0 if none is left. RAM is zero
 * at reset, so a never-used partition reads as zero for free, while one a
 * process used before must be cleared (about 3 million cycles of stores)
 * before another may see it:
 *   PART_FRESH   only a never-used one (nothing to clear), else 0;
 *   PART_ZEROED  reads as zero: a fresh one if any, else a used one,
 *                cleared;
 *   PART_ANY     contents undefined, for a caller that clears what it
 *                does not overwrite (fork): a used one first, keeping
 *                the fresh ones. */
uint32_t partition_alloc(enum part_kind kind)
{
    uint32_t pick = npart;
    for (uint32_t i = 0; i < npart; i++) {
        if (part_used[i])
            continue;
        if (pick == npart)
            pick = i; /* the first free one, in case nothing better */
        if (part_dirty[i] == (kind == PART_ANY)) {
            pick = i;
            break;
        }
    }
    if (pick == npart || (kind == PART_FRESH && part_dirty[pick]))
        return 0;
    uint32_t base = part_start + pick * LDE_USER_SIZE;
    part_used[pick] = 1;
    if (part_dirty[pick] && kind == PART_ZEROED)
        partition_clear(base);
    part_dirty[pick] = 1;
    return base;
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

/* Copy a NUL-terminated string from user va in p into dst (max bytes,
 * the NUL included). Its length, -EFAULT if it runs out of the process
 * first, or -ENAMETOOLONG if it is longer than max - 1. */
int32_t copyinstr(const struct proc *p, char *dst, uint32_t va, uint32_t max)
{
    if (va < USER_NULL_GUARD || va >= p->ubound)
        return -LDE_EFAULT;
    uint32_t room = p->ubound - va; /* bytes before the end of the process */
    const char *src = user_ptr(p, va);
    for (uint32_t i = 0; i < max; i++) {
        if (i == room)
            return -LDE_EFAULT;
        dst[i] = src[i];
        if (dst[i] == '\0')
            return (int32_t)i;
    }
    return -LDE_ENAMETOOLONG;
}

/* Copy len bytes from src to user va in p. 0, or -EFAULT. */
int copyout(const struct proc *p, uint32_t va, const void *src, uint32_t len)
{
    if (!user_range_ok(p, va, len))
        return -LDE_EFAULT;
    memcpy(user_ptr(p, va), src, len);
    return 0;
}
