/*
 * syscall.c: system call dispatch (OSTEP Figure 6.2, "Handle trap: do work
 * of syscall"). The number in a7 selects a handler from a table; the
 * process cannot name an address in the kernel, only a number, so it can
 * only reach what the table offers. Unknown numbers return -ENOSYS. Each
 * call is counted in lde_sysstat (by name, for `lde run --stats`) and in
 * the caller's accounting record.
 */
#include "defs.h"
#include "proc.h"
#include "syscall.h"

struct syscall_def {
    const char *name; /* as lde_sysstat reports it */
    syscall_fn fn;
};

/* The dispatch tables, generated from the lists in lde/syscalls.h: Linux's
 * riscv32 numbers indexed directly, lde's own from LDE_SYSCALL_BASE. */
#define SYSCALL_ENTRY(nr, name, fn) [nr] = {#name, fn},
static const struct syscall_def linux_calls[] = {LDE_SYSCALLS(SYSCALL_ENTRY)};
#undef SYSCALL_ENTRY

#define LDE_CALL_BASE LDE_SYSCALL_BASE
#define SYSCALL_ENTRY(nr, name, fn) [nr - LDE_CALL_BASE] = {#name, fn},
static const struct syscall_def lde_calls[] = {LDE_OWN_SYSCALLS(SYSCALL_ENTRY)};
#undef SYSCALL_ENTRY

/* Per-call counts, read by the host by symbol (lde/abi.h). The last entry
 * counts the numbers no handler knows. */
#define NSYSSTAT 32
struct lde_sysstat lde_sysstat[NSYSSTAT];
uint32_t lde_nsysstat;
static uint8_t linux_stat[NELEM(linux_calls)]; /* number -> lde_sysstat[] */
static uint8_t lde_stat[NELEM(lde_calls)];
static uint32_t unknown_stat;

static uint8_t stat_add(uint32_t number, const char *name)
{
    if (lde_nsysstat >= NSYSSTAT)
        panic("lde_sysstat is too small");
    struct lde_sysstat *s = &lde_sysstat[lde_nsysstat];
    s->number = number;
    s->count = 0;
    safestrcpy(s->name, name, sizeof s->name);
    return (uint8_t)lde_nsysstat++;
}

void syscall_init(void)
{
    for (uint32_t n = 0; n < NELEM(linux_calls); n++)
        if (linux_calls[n].fn)
            linux_stat[n] = stat_add(n, linux_calls[n].name);
    for (uint32_t n = 0; n < NELEM(lde_calls); n++)
        if (lde_calls[n].fn)
            lde_stat[n] = stat_add(LDE_CALL_BASE + n, lde_calls[n].name);
    unknown_stat = stat_add(0xFFFFFFFFu, "(unknown)");
}

void syscall(struct trapframe *tf)
{
    uint32_t num = tf->a7;
    const struct syscall_def *def = 0;
    uint32_t stat = unknown_stat;

    if (num < NELEM(linux_calls) && linux_calls[num].fn) {
        def = &linux_calls[num];
        stat = linux_stat[num];
    } else if (num - LDE_CALL_BASE < NELEM(lde_calls) &&
               lde_calls[num - LDE_CALL_BASE].fn) {
        def = &lde_calls[num - LDE_CALL_BASE];
        stat = lde_stat[num - LDE_CALL_BASE];
    }
    lde_sysstat[stat].count++;
    myproc()->acct->syscalls++;
    /* The result goes in a0 of the frame: rti hands it to the process. */
    tf->a0 = def ? (uint32_t)def->fn(tf) : (uint32_t)-LDE_ENOSYS;
}
