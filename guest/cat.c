/*
 * cat: copies standard input to standard output, as cat(1) does with no
 * arguments, so that it can sit in a pipeline. Reading the console
 * blocks the process in the kernel until input arrives (lde feeds the
 * console one line at a time from its own stdin) and returns 0 at the
 * end of input.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    char buf[256];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0)
        if (write(1, buf, (size_t)n) != n)
            return 1;
    if (n < 0) {
        fprintf(stderr, "cat: read failed: %zd\n", n);
        return 1;
    }
    return 0;
}
