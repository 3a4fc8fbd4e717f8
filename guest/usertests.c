/*
 * usertests: in-process checks of the user ABI, in the spirit of xv6's
 * usertests. Each test returns PASS, FAIL (after saying why) or SKIP, and
 * none of them may kill the process. lde-only checks skip, saying so,
 * exactly when lde_procinfo returns -ENOSYS (e.g. under qemu-riscv32).
 * `usertests NAME...` runs only the named tests.
 * Prints "ok NAME", "FAIL NAME: why" or "skip NAME: why" per test, then
 * "usertests: P passed, F failed, S skipped"; exit status = F.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lde.h"
#include "usertests.h"

extern char **environ;
extern char __lde_tls_block[], _end[];

static int g_argc;
static char **g_argv;
int under_lde;
const char *current;

enum result skip(const char *why)
{
    printf("skip %s: %s\n", current, why);
    return SKIP;
}

enum result fail(const char *fmt, ...)
{
    va_list ap;
    printf("FAIL %s: ", current);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    return FAIL;
}

/* ---- Memory ------------------------------------------------------------ */

/* Many sizes, each filled and checked, freed in an order unlike the
 * allocation one; then a block large enough to move brk. */
static enum result t_malloc(void)
{
    enum { N = 64 };
    unsigned char *p[N];

    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < N; i++) {
            size_t size = (size_t)1 << (i % 16);
            size += (size_t)(i * 7 + round);
            p[i] = malloc(size);
            CHECK(p[i] != NULL, "malloc(%u) = NULL", (unsigned)size);
            CHECK(((uintptr_t)p[i] & 7) == 0, "%p not 8-aligned", (void *)p[i]);
            memset(p[i], i, size);
        }
        for (int i = 0; i < N; i++) {
            int j = (i * 37 + round) % N; /* 37 is prime to N: a permutation */
            size_t size = ((size_t)1 << (j % 16)) + (size_t)(j * 7 + round);
            for (size_t k = 0; k < size; k++)
                CHECK(p[j][k] == (unsigned char)j,
                      "block %d byte %u overwritten", j, (unsigned)k);
            free(p[j]);
        }
    }

    void *before = sbrk(0);
    size_t big = 1u << 20;
    unsigned char *q = malloc(big);
    CHECK(q != NULL, "1 MiB failed");
    q[0] = 1;
    q[big - 1] = 2;
    /* Freed blocks may be reused, so the break need not move by a full
     * MiB; but it moved, and the block lies below it. */
    char *after = sbrk(0);
    CHECK(after > (char *)before && (char *)q + big <= after,
          "1 MiB at %p: break %p -> %p", (void *)q, before, (void *)after);
    free(q);
    return PASS;
}

/* The break starts at or after the end of the program's data. */
static enum result t_brk(void)
{
    long cur = lde_brk(0);
    CHECK(cur >= (long)(uintptr_t)_end, "brk(0) = 0x%lx below _end %p", cur,
          (void *)_end);
    long up = lde_brk((unsigned long)cur + 4096);
    CHECK(up == cur + 4096, "growing by 4096 gave 0x%lx", up);
    ((volatile char *)(uintptr_t)cur)[4095] = 1; /* the new page is usable */
    CHECK(lde_brk((unsigned long)cur) == cur, "shrinking back failed");
    if (!under_lde) {
        printf("skip brk_bound: not under lde\n");
        return PASS; /* the portable part passed */
    }
    /* lde: the heap may not reach the stack (LDE_USER_STACK_MIN below
     * sp), let alone leave the partition. A refusal returns the old
     * break, as on Linux. */
    long r = lde_brk(LDE_USER_SIZE);
    CHECK(r == cur, "brk(LDE_USER_SIZE) = 0x%lx, want 0x%lx (refused)", r, cur);
    return PASS;
}

/* ---- Processes --------------------------------------------------------- */

static enum result t_getpid(void)
{
    pid_t pid = getpid(), ppid = getppid();
    CHECK(pid > 0, "getpid() = %d", (int)pid);
    CHECK(ppid >= 0, "getppid() = %d", (int)ppid);
    CHECK(pid != ppid, "pid == ppid == %d", (int)pid);
    CHECK(getpid() == pid && lde_getpid() == pid, "getpid() not stable");
    CHECK(lde_getppid() == ppid, "getppid() not stable");
    return PASS;
}

static enum result t_yield(void)
{
    for (int i = 0; i < 3; i++)
        CHECK(lde_yield() == 0, "sched_yield() != 0");
    return PASS;
}

/* ---- Time -------------------------------------------------------------- */

static enum result t_clock(void)
{
    struct lde_timespec prev = {0, 0, 0}, ts = {0, 0, 0};
    CHECK(lde_clock_gettime(LDE_CLOCK_MONOTONIC, &prev) == 0,
          "clock_gettime64: failed");
    for (int i = 0; i < 1000; i++) {
        CHECK(lde_clock_gettime(LDE_CLOCK_MONOTONIC, &ts) == 0,
              "clock_gettime64: failed");
        CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < LDE_NSEC_PER_SEC,
              "clock_gettime64: tv_nsec = %ld", (long)ts.tv_nsec);
        CHECK(lde_ts_ns(&ts) >= lde_ts_ns(&prev),
              "clock_gettime64: went back from %lld to %lld ns",
              (long long)lde_ts_ns(&prev), (long long)lde_ts_ns(&ts));
        prev = ts;
    }
    CHECK(lde_clock_gettime(LDE_CLOCK_REALTIME, &ts) == 0,
          "clock_gettime64(CLOCK_REALTIME): failed");
    return PASS;
}

/* Sleeping 1 ms advances the clock by at least 1 ms (simulated time under
 * lde: cycles at the nominal clock, idle time included). */
static enum result t_nanosleep(void)
{
    struct lde_timespec t0, t1, req = {0, 1000000, 0};
    CHECK(lde_clock_gettime(LDE_CLOCK_MONOTONIC, &t0) == 0,
          "clock_gettime64 failed");
    long r = lde_nanosleep(LDE_CLOCK_MONOTONIC, 0, &req, NULL);
    CHECK(r == 0, "clock_nanosleep_time64: %ld", r);
    CHECK(lde_clock_gettime(LDE_CLOCK_MONOTONIC, &t1) == 0,
          "clock_gettime64 failed");
    int64_t slept = lde_ts_ns(&t1) - lde_ts_ns(&t0);
    CHECK(slept >= 1000000, "clock advanced %lld ns only", (long long)slept);
    return PASS;
}

static enum result t_counters(void)
{
    uint64_t c0 = rdcycle64(), i0 = rdinstret64();
    volatile uint32_t x = 0;
    for (int i = 0; i < 1000; i++)
        x += (uint32_t)i;
    uint64_t c1 = rdcycle64(), i1 = rdinstret64();
    CHECK(c1 > c0, "rdcycle64: %llu then %llu", (unsigned long long)c0,
          (unsigned long long)c1);
    CHECK(i1 > i0, "rdinstret64: %llu then %llu", (unsigned long long)i0,
          (unsigned long long)i1);
    if (under_lde) /* a real count: the loop alone retires >= 4000 */
        CHECK(i1 - i0 >= 4000, "rdinstret64: only %llu for 1000 iterations",
              (unsigned long long)(i1 - i0));
    return PASS;
}

/* ---- I/O --------------------------------------------------------------- */

static enum result t_write0(void)
{
    static const char buf[] = "x";
    CHECK(lde_write(1, buf, 0) == 0, "write(1, buf, 0) != 0");
    return PASS;
}

/* ---- The initial stack ------------------------------------------------- */

static enum result t_argv(void)
{
    CHECK(g_argc >= 1, "argc = %d", g_argc);
    CHECK(g_argv[g_argc] == NULL, "argv[argc] is not NULL");
    CHECK(g_argv[0][0] != '\0', "argv[0] is empty");
    CHECK(strstr(g_argv[0], "usertests") != NULL,
          "argv[0] = '%s', want usertests", g_argv[0]);
    /* argc sits right below argv on the stack, then envp follows. */
    CHECK(((int *)g_argv)[-1] == g_argc, "argc not just below argv");
    CHECK(environ == g_argv + g_argc + 1, "envp not after argv's NULL");
    /* The strings live above the pointer arrays, inside the user window. */
    for (int i = 0; i < g_argc; i++)
        CHECK((char *)g_argv[i] > (char *)&g_argv[g_argc],
              "argv[%d] below the argv array", i);
    return PASS;
}

/* After envp's NULL: (type, value) pairs ending with AT_NULL (type 0). */
static enum result t_auxv(void)
{
    char **e = environ;
    while (*e != NULL)
        e++;
    const uint32_t *aux = lde_auxv();
    CHECK(aux == (const uint32_t *)(e + 1), "not right after envp");
    for (int i = 0; i < 64; i++, aux += 2)
        if (aux[0] == 0)
            return PASS;
    return fail("no AT_NULL in the first 64 entries");
}

/* ---- libc on top of the kernel ----------------------------------------- */

/* errno lives in TLS: this checks crt0's tp and the -errno convention. */
static enum result t_errno(void)
{
    errno = 0;
    long v = strtol("99999999999999999999", NULL, 10);
    CHECK(v == LONG_MAX && errno == ERANGE, "strtol overflow: %d", errno);
    errno = 0;
    CHECK(write(1, NULL, 1) == -1 && errno == EFAULT,
          "write(1, NULL, 1): errno %d, want EFAULT", errno);
    errno = 0;
    volatile size_t huge = (size_t)-64; /* hidden from GCC's size check */
    CHECK(malloc(huge) == NULL && errno == ENOMEM,
          "huge malloc: errno %d, want ENOMEM", errno);
    /* errno must be inside the TLS block tp points at. */
    void *tp;
    __asm__("mv %0, tp" : "=r"(tp));
    CHECK(tp == __lde_tls_block, "tp = %p, want %p", tp,
          (void *)__lde_tls_block);
    CHECK((char *)&errno >= __lde_tls_block &&
              (char *)&errno < __lde_tls_block + 64,
          "&errno = %p outside the TLS block", (void *)&errno);
    return PASS;
}

/* 64-bit printf needs libgcc's 64-bit division (the rv32im multilib). */
static enum result t_printf64(void)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%llu %lld %llx", 18446744073709551615ull,
             -9223372036854775807ll, 0x123456789abcdefull);
    CHECK(strcmp(buf, "18446744073709551615 -9223372036854775807 "
                      "123456789abcdef") == 0,
          "'%s'", buf);
    return PASS;
}

/* Division by zero and overflow give RISC-V's results (the unprivileged
 * spec, "Division Operations"), not a trap: the default under lde as on
 * hardware and qemu-riscv32. In asm: in C the compiler may assume it never
 * happens. */
#define RV_OP(op, a, b)                                                        \
    ({                                                                         \
        uint32_t r_;                                                           \
        __asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"(a), "r"(b));        \
        r_;                                                                    \
    })

static enum result t_divzero(void)
{
    uint32_t x = 42, zero = 0, min = 0x80000000u, m1 = 0xFFFFFFFFu;
    CHECK(RV_OP("div", x, zero) == 0xFFFFFFFFu, "div by 0");
    CHECK(RV_OP("divu", x, zero) == 0xFFFFFFFFu, "divu by 0");
    CHECK(RV_OP("rem", x, zero) == 42, "rem by 0");
    CHECK(RV_OP("remu", x, zero) == 42, "remu by 0");
    CHECK(RV_OP("div", min, m1) == min, "div overflow");
    CHECK(RV_OP("rem", min, m1) == 0, "rem overflow");
    return PASS;
}

/* ---- lde only ---------------------------------------------------------- */

static enum result t_procinfo(void)
{
    struct lde_procinfo a;
    if (!under_lde) {
        printf("skip procinfo: not under lde\n");
        return SKIP;
    }
    CHECK(lde_procinfo(&a) == 0, "lde_procinfo failed");
    CHECK(a.pid == (uint32_t)getpid(), "pid %lu", (unsigned long)a.pid);
    CHECK(a.ppid == (uint32_t)getppid(), "ppid %lu", (unsigned long)a.ppid);
    CHECK(a.state == PS_RUNNING, "state %lu", (unsigned long)a.state);
    CHECK(strncmp(a.name, "usertests", LDE_NAME_MAX) == 0, "name '%.16s'",
          a.name);
    CHECK(a.created > 0 && a.created < rdcycle64() && a.ended == 0,
          "times: created %llu ended %llu", (unsigned long long)a.created,
          (unsigned long long)a.ended);
    CHECK(a.kill_vector == LDE_KILLED_NONE, "kill_vector set");
    CHECK(a.ubound == LDE_USER_SIZE, "ubound 0x%lx", (unsigned long)a.ubound);
    return PASS;
}

static const struct test {
    const char *name;
    enum result (*fn)(void);
} tests[] = {{"malloc", t_malloc},       {"brk", t_brk},
             {"getpid", t_getpid},       {"yield", t_yield},
             {"clock", t_clock},         {"nanosleep", t_nanosleep},
             {"counters", t_counters},   {"write0", t_write0},
             {"argv", t_argv},           {"auxv", t_auxv},
             {"errno", t_errno},         {"printf64", t_printf64},
             {"divzero", t_divzero},     {"procinfo", t_procinfo},
#define PROC_TEST_ENTRY(name) {#name, t_##name},
             PROC_TESTS(PROC_TEST_ENTRY)
#undef PROC_TEST_ENTRY
};

static int wanted(const char *name)
{
    if (g_argc < 2)
        return 1;
    for (int i = 1; i < g_argc; i++)
        if (strcmp(g_argv[i], name) == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    struct lde_procinfo probe;
    int passed = 0, failed = 0, skipped = 0;

    if (argc > 1 && strcmp(argv[1], "--report") == 0)
        return exec_report(argc, argv);
    g_argc = argc;
    g_argv = argv;
    under_lde = lde_procinfo(&probe) != -LDE_ENOSYS;

    for (unsigned i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (!wanted(tests[i].name))
            continue;
        current = tests[i].name;
        switch (tests[i].fn()) {
        case PASS:
            printf("ok %s\n", tests[i].name);
            passed++;
            break;
        case FAIL: failed++; break;
        case SKIP: skipped++; break;
        }
    }
    printf("usertests: %d passed, %d failed, %d skipped\n", passed, failed,
           skipped);
    return failed;
}
