/*
 * hostcon.h: the machine's console on the host's stdio.
 *
 * Output: stream 1 (CONSOLE_TX) to out, stream 2 (CONSOLE_TXERR) to err,
 * buffered; when the guest switches streams the other one is flushed
 * first, so `2>&1` keeps the guest's order. A failed write is remembered
 * (hostcon_error) so that the run can say so and fail.
 * Input: when the guest wants a byte and none is queued, ONE line is read
 * from in and queued, or the first HOSTCON_CHUNK bytes of a longer one
 * (the rest comes with the next requests), so input with no newline never
 * grows lde's memory; what does not fit in the console is kept for the
 * next request; at end of file the console's input is closed. Reading by
 * lines, only on demand, makes a run depend on its input text alone, not
 * on timing. The wait for input ends at once, with nothing queued, when
 * Ctrl-C comes (session_interrupted(): the run loop then stops).
 */
#ifndef LDE_HOSTCON_H
#define LDE_HOSTCON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu.h"

#define HOSTCON_CHUNK                                                          \
    4096 /* the most input held at once: one console's worth */

struct hostcon {
    FILE *in, *out, *err; /* in is read through its file descriptor */
    int last_stream;      /* 1 or 2: the one that may hold unflushed bytes */
    unsigned char buf[HOSTCON_CHUNK]; /* input read, not yet queued */
    size_t buf_len;                   /* bytes in buf, from buf[0] */
    size_t pending; /* bytes of buf[0..] in the line being queued */
    bool eof;
    uint64_t bytes_out[3]; /* per stream, for tests and reports */
    int out_errno[3];      /* per stream: the first failed write, or 0 */
};

void hostcon_init(struct hostcon *hc, FILE *in, FILE *out, FILE *err);
void hostcon_free(struct hostcon *hc);

/* Set h->ctx = hc and the two console hooks (others untouched). */
void hostcon_attach(struct hostcon *hc, struct cpu_hooks *h);

/* The hooks' bodies, for a host that has its own ctx and wraps them. */
void hostcon_put(struct hostcon *hc, int stream, uint8_t byte);
void hostcon_feed(struct hostcon *hc, struct cpu *cpu);

/* Flush both output streams (at exit, at a halt, before a host message). */
void hostcon_flush(struct hostcon *hc);

/* After a flush: 0 if every byte of the guest's output was written, or
 * -1 with one line in msg naming the stream and the error ("stdout: No
 * space left on device"). */
int hostcon_error(const struct hostcon *hc, char *msg, size_t len);

#endif /* LDE_HOSTCON_H */
