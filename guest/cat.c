/*
 * cat: copies standard input to standard output, then reports how many
 * bytes and lines it saw. Reading the console blocks the process in the
 * kernel until input arrives (lde feeds the console one line at a time
 * from its own stdin) and returns 0 at the end of input.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    char buf[256];
    unsigned long bytes = 0, lines = 0;
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            lines += buf[i] == '\n';
        bytes += (unsigned long)n;
        if (write(1, buf, (size_t)n) != n)
            return 1;
    }
    if (n < 0) {
        printf("cat: read failed: %zd\n", n);
        return 1;
    }
    printf("cat: %lu bytes, %lu lines\n", bytes, lines);
    return 0;
}
