/*
 * badptr: hands the kernel bad pointers and bad numbers, and checks that
 * each call fails cleanly with the Linux error (OSTEP 6.2: the kernel must
 * check every argument a user passes, "a user could pass in a bad address")
 * instead of crashing, reading kernel memory, or killing the caller.
 *
 * It uses the raw ecall stubs of lde.h: a libc wrapper might check the
 * arguments itself, or turn the result into errno.
 * Prints "ok <call> = <result>" or "FAIL <call> = <result>, want <want>"
 * per check; lde-only checks print "skip" when lde_procinfo says ENOSYS (not
 * running under lde). Exit status: the number of failures.
 */
#include <stdio.h>

#include "lde.h"

static int failures;

static void check(const char *call, long got, long want)
{
    if (got == want) {
        printf("ok %s = %ld\n", call, got);
    } else {
        printf("FAIL %s = %ld, want %ld\n", call, got, want);
        failures++;
    }
}

int main(void)
{
    static char buf[16] = "0123456789abcdef";

    /* write: from the null guard, from far above the bound, and from a
     * range that starts inside the user window but ends past its top. */
    check("write(1, NULL, 5)", lde_syscall3(SYS_write, 1, 0, 5), -LDE_EFAULT);
    check("write(1, 0xFFFFF000, 16)",
          lde_syscall3(SYS_write, 1, (long)0xFFFFF000u, 16), -LDE_EFAULT);
    check("write(1, LDE_USER_SIZE - 4, 64)",
          lde_syscall3(SYS_write, 1, (long)(LDE_USER_SIZE - 4), 64),
          -LDE_EFAULT);
    /* A length so large that buf + len wraps around 2^32: a check written
     * as `buf + len <= bound` would pass it. */
    check("write(1, buf, 0xFFFFFFF0)",
          lde_syscall3(SYS_write, 1, (long)buf, (long)0xFFFFFFF0u),
          -LDE_EFAULT);

    /* read: the kernel would write into the null guard. */
    check("read(0, NULL, 5)", lde_syscall3(SYS_read, 0, 0, 5), -LDE_EFAULT);

    check("clock_gettime64(CLOCK_MONOTONIC, NULL)",
          lde_syscall2(SYS_clock_gettime64, LDE_CLOCK_MONOTONIC, 0),
          -LDE_EFAULT);

    check("syscall 999", lde_syscall0(999), -LDE_ENOSYS);

    long r = lde_syscall1(SYS_lde_procinfo, 0);
    if (r == -LDE_ENOSYS)
        printf("skip lde_procinfo(NULL): not under lde\n");
    else
        check("lde_procinfo(NULL)", r, -LDE_EFAULT);

    printf("badptr: %d failed\n", failures);
    return failures;
}
