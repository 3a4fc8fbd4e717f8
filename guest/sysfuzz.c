/*
 * sysfuzz [SEED] [N]: hostile system calls, to show that the kernel
 * checks every argument.
 *
 * N calls (default 20000) with numbers drawn from the kernel's table, from
 * unused numbers and from our own range, and arguments drawn from values
 * that break careless kernels: NULL, the null guard, the user bound and
 * just below it, device addresses, kernel-looking addresses, odd and
 * wrapping lengths, negative numbers. Every call must come back with a
 * result (a value or -errno in [-4095, -1]); the process must never be
 * killed and the kernel never panic. exit, exit_group and kill are left
 * out (they would end the test), and nanosleep gets valid pointers to
 * short times only (a random pointer could ask for years), plus bad
 * pointers. What would end or stall the test by the rules rather than by
 * a kernel bug is steered around (sanitize): stdout and stderr stay as
 * they are, clone never gets fork's flags, execve never finds a program,
 * and pipe2 never succeeds (a pipe whose read end a later call closed
 * would kill us with SIGPIPE; one left empty would block a read for
 * ever), so pipes get their bad arguments only. The same SEED gives the
 * same calls.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lde.h"
#include "lde/abi.h"

static uint64_t rng_state;

static uint32_t rng(void)
{
    /* splitmix64, high half: deterministic, and unlike xorshift32 its
     * low bits carry no linear structure (with xorshift32 the share of
     * calls per kind came out nearly the same whatever the seed). */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

/* Valid pointers go into this arena, with room behind buf for whatever
 * length a call was given: base and bounds protects nothing inside the
 * partition, so a call writing through a pointer into our own text or
 * variables would be our bug, not the kernel's. */
static struct {
    char buf[256];
    char spill[8192];
} arena;
#define buf arena.buf

static long pick_arg(void)
{
    const uint32_t special[] = {
        0,
        3,
        0xFFF,
        USER_NULL_GUARD,
        LDE_USER_SIZE - 1,
        LDE_USER_SIZE - 8,
        LDE_USER_SIZE,
        LDE_USER_SIZE + 0x1000,
        0x7FFFFFFF,
        0x80000000,
        0xF0000000, /* the timer's registers */
        0xF0001000, /* the console's */
        0xFFFFFFFF,
        0xFFFFF000,
        (uint32_t)(uintptr_t)buf,
        (uint32_t)(uintptr_t)buf + 1,
        (uint32_t)(uintptr_t)(buf + sizeof buf - 4),
        (uint32_t)-22,
    };
    uint32_t r = rng();
    if (r % 4 == 0)
        return (long)rng(); /* anything at all */
    return (long)special[(r >> 2) % (sizeof special / sizeof special[0])];
}

static long pick_number(void)
{
    const long known[] = {
        17, /* getcwd: not implemented, -ENOSYS */
        SYS_close,
        SYS_read,
        SYS_write,
        SYS_writev,
        SYS_dup,
        SYS_dup3,
        SYS_fcntl64,
        SYS_ioctl,
        SYS_pipe2,
        SYS_waitid,
        SYS_clone,
        SYS_execve,
        SYS_set_tid_address,
        SYS_sched_yield,
        SYS_getpid,
        SYS_getppid,
        SYS_brk,
        SYS_clock_gettime64,
        SYS_lde_procinfo,
        SYS_lde_proctable,
        SYS_lde_proctable + 1,
        0,
        1023,
        -1,
        0x4BFF,
    };
    uint32_t r = rng();
    if (r % 8 != 0)
        return known[(r >> 3) % (sizeof known / sizeof known[0])];
    long nr;
    do /* any number below 1024 but those that end the test */
        nr = (long)(rng() % 1024);
    while (nr == SYS_exit || nr == SYS_exit_group || nr == SYS_kill);
    return nr;
}

/* Is x an address inside our arena (a pointer the kernel will accept)? */
static int in_arena(long x)
{
    uintptr_t a = (uintptr_t)x;
    return a >= (uintptr_t)&arena && a < (uintptr_t)(&arena + 1);
}

/* Keep call nr with arguments a, b, c from ending the test by the rules
 * (see the top of the file); everything else is fair. */
static void sanitize(long nr, long *a, long *b, long *c)
{
    /* Never write to stdout or stderr (random bytes there would only be
     * noise), close them, or copy them to another fd that could. */
    if ((nr == SYS_write || nr == SYS_writev || nr == SYS_close ||
         nr == SYS_dup || nr == SYS_dup3 || nr == SYS_fcntl64) &&
        (*a == 1 || *a == 2))
        *a = 3;
    if (nr == SYS_dup3 && (*b == 1 || *b == 2))
        *b = 3;
    if (nr == SYS_clone && *a == LDE_CLONE_FORK)
        *a = 0;
    if (nr == SYS_execve && in_arena(*a))
        *a = (long)"/no/such/program";
    if (nr == SYS_pipe2 && in_arena(*a))
        *b = 0x7; /* an invalid flag: -EINVAL, after the checks */
    (void)c;
}

/* nanosleep: a valid pointer to a short (or invalid) time, or a bad one. */
static long fuzz_nanosleep(void)
{
    struct {
        int64_t sec;
        int32_t nsec, pad;
    } ts = {(int64_t)(rng() % 2) - (rng() % 8 == 0), (int32_t)rng(), 0};
    long flags = rng() % 4 == 0 ? 1 /* TIMER_ABSTIME */ : 0;
    long clock = rng() % 2;
    switch (rng() % 4) {
    case 0: return lde_syscall4(SYS_clock_nanosleep_time64, clock, flags, 0, 0);
    case 1:
        return lde_syscall4(SYS_clock_nanosleep_time64, clock, flags,
                            (long)LDE_USER_SIZE - 8, 0);
    default:
        return lde_syscall4(SYS_clock_nanosleep_time64, clock, flags,
                            (long)(uintptr_t)&ts, pick_arg());
    }
}

int main(int argc, char **argv)
{
    rng_state = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
    unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 0) : 20000;
    unsigned long ok = 0, efault = 0, enosys = 0, other = 0, bad = 0;
    for (unsigned long i = 0; i < n; i++) {
        long nr = pick_number();
        long r;
        if (rng() % 16 == 0) {
            r = fuzz_nanosleep();
        } else {
            long a = pick_arg(), b = pick_arg(), c = pick_arg();
            sanitize(nr, &a, &b, &c);
            r = lde_syscall4(nr, a, b, c, pick_arg());
        }
        if (r >= 0)
            ok++;
        else if (r == -LDE_EFAULT)
            efault++;
        else if (r == -LDE_ENOSYS)
            enosys++;
        else if (r >= -4095)
            other++;
        else if (nr != SYS_brk && nr != SYS_getpid && nr != SYS_getppid &&
                 nr != SYS_set_tid_address)
            bad++; /* a negative value outside -errno for a call that
                      returns no address */
    }
    printf("sysfuzz: %lu calls: %lu ok, %lu -EFAULT, %lu -ENOSYS, "
           "%lu other errors, %lu malformed\n",
           n, ok, efault, enosys, other, bad);
    return bad != 0 || efault == 0 || enosys == 0;
}
