/*
 * fuzz_gdbproto.c: the gdb stub (src/debug/gdb*.c) on any bytes from gdb: the
 * wire (packet framing, checksums, escapes, acknowledgements, the 0x03
 * interrupt, packets too long) and every packet handler behind it.
 *
 * The input is what gdb would send, byte for byte. It goes into one end
 * of a socket pair; the stub reads the other end as it reads gdb's
 * connection, on the machine of `lde debug hello` (booted for each input,
 * a cycle limit set), and handles each packet as gdbstub_serve does until
 * the input runs out or a packet ends the session (D, k). Its replies are
 * drained after each packet. ASan, UBSan and LeakSanitizer judge; a reply
 * must also be a well-formed packet: '$', data, '#', two hex digits.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz_dbg.h"
#include "gdbint.h"

#define MAX_CYCLES 3000000u
#define MAX_INPUT 65536u /* fits in the socket's buffer */

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_gdbproto: %s\n", what);
    abort();
}

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond))                                                           \
            fail(#cond);                                                       \
    } while (0)

/* Read every reply byte waiting at fd; each reply is '+'/'-' or a packet
 * whose checksum digits are hex. */
static void drain(int fd)
{
    static char buf[1 << 16];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) {
            CHECK(n == 0 || errno == EAGAIN || errno == EWOULDBLOCK);
            return;
        }
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] == '#' && i + 2 < n)
                CHECK(strchr("0123456789abcdef", buf[i + 1]) &&
                      strchr("0123456789abcdef", buf[i + 2]));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    /* gdb's side: the input, then end of stream. */
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(sv[1], data + done, size - done);
        CHECK(n > 0);
        done += (size_t)n;
    }
    CHECK(shutdown(sv[1], SHUT_WR) == 0);
    CHECK(fcntl(sv[1], F_SETFL, O_NONBLOCK) == 0); /* for drain() */
    struct dbg *d = fuzz_dbg_open(MAX_CYCLES);
    struct gdbstub *g = calloc(1, sizeof *g);
    CHECK(g != NULL);
    g->d = d;
    g->lfd = -1;
    g->w.fd = sv[0];
    g->last = (struct gdb_stop){GSTOP_TRAP, 0, 0, 0};
    d->gdb = g;

    /* gdbstub_serve's loop, reading without waiting. */
    while (!g->done) {
        int r = gdbw_read(&g->w, 0);
        if (getenv("LDE_FUZZ_VERBOSE"))
            fprintf(stderr, "fuzz_gdbproto: read %d: %.60s\n", r, g->w.pkt);
        if (r <= 0)
            break;
        if (r == 1)
            gdb_handle(g);
        drain(sv[1]);
    }
    gdbw_close(&g->w);
    while (d->s.cpu->nbreakpoints > 0)
        cpu_break_remove(d->s.cpu, d->s.cpu->breakpoints[0]);
    d->gdb = NULL;
    free(g);
    close(sv[1]);
    fuzz_dbg_close(d);
    return 0;
}
