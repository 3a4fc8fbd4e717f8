/*
 * stdio.c: stdin, stdout and stderr for picolibc's stdio (tinystdio
 * leaves them to the platform: a FILE with put/get functions).
 *
 * stdout is line-buffered: one write(1) per line, not per character, so
 * that lines of processes that share the console stay whole when the
 * scheduler switches between them, and a printf costs one system call
 * per line in the kernel's counts. stderr is unbuffered, as in C.
 */
#include <stdio.h>

#include "lde.h"

#define OUT_BUF 256

static char out_buf[OUT_BUF];
static unsigned out_len;

static void write_all(int fd, const char *p, unsigned long n)
{
    while (n > 0) {
        long r = lde_write(fd, p, n);
        if (r <= 0)
            return; /* nothing sensible to do: drop the output */
        p += r;
        n -= (unsigned long)r;
    }
}

static int out_flush(FILE *f)
{
    (void)f;
    write_all(1, out_buf, out_len);
    out_len = 0;
    return 0;
}

static int out_put(char c, FILE *f)
{
    out_buf[out_len++] = c;
    if (c == '\n' || out_len == OUT_BUF)
        out_flush(f);
    return (unsigned char)c;
}

static int err_put(char c, FILE *f)
{
    (void)f;
    write_all(2, &c, 1);
    return (unsigned char)c;
}

static int in_get(FILE *f)
{
    unsigned char c;

    (void)f;
    out_flush(NULL); /* show a prompt before waiting for its answer */
    long r = lde_read(0, &c, 1);
    if (r == 1)
        return c;
    return r == 0 ? _FDEV_EOF : _FDEV_ERR;
}

static FILE lde_stdin = FDEV_SETUP_STREAM(NULL, in_get, NULL, _FDEV_SETUP_READ);
static FILE lde_stdout =
    FDEV_SETUP_STREAM(out_put, NULL, out_flush, _FDEV_SETUP_WRITE);
static FILE lde_stderr =
    FDEV_SETUP_STREAM(err_put, NULL, NULL, _FDEV_SETUP_WRITE);

FILE *const stdin = &lde_stdin;
FILE *const stdout = &lde_stdout;
FILE *const stderr = &lde_stderr;

/* exit() runs destructors before _exit: a last line without '\n' is not
 * lost. (_exit and a fatal trap do lose it, as on any Unix.) */
__attribute__((destructor)) static void flush_at_exit(void)
{
    out_flush(NULL);
}
