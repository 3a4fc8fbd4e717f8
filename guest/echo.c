/*
 * echo: its arguments, separated by spaces, and a newline (none with -n
 * first). The line goes out in one write, so that through a pipe it
 * arrives whole (up to PIPE_BUF bytes, 4096, a pipe write is atomic).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int newline = 1, first = 1;
    if (argc > 1 && strcmp(argv[1], "-n") == 0) {
        newline = 0;
        first = 2;
    }
    size_t len = 1;
    for (int i = first; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *line = malloc(len);
    if (line == NULL)
        return 1;
    size_t at = 0;
    for (int i = first; i < argc; i++) {
        if (i > first)
            line[at++] = ' ';
        memcpy(line + at, argv[i], strlen(argv[i]));
        at += strlen(argv[i]);
    }
    if (newline)
        line[at++] = '\n';
    return at && write(1, line, at) != (ssize_t)at;
}
