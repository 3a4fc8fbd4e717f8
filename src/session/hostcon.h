/*
 * hostcon.h: the machine's console on the host's stdio.
 *
 * Output: stream 1 (CONSOLE_TX) to out, stream 2 (CONSOLE_TXERR) to err,
 * buffered; when the guest switches streams the other one is flushed
 * first, so `2>&1` keeps the guest's order.
 * Input: when the guest wants a byte and none is queued, ONE line is read
 * from in and queued (what does not fit is kept for the next request); at
 * end of file the console's input is closed. Reading by lines, only on
 * demand, makes a run depend on its input text alone, not on timing.
 */
#ifndef LDE_HOSTCON_H
#define LDE_HOSTCON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu.h"

struct hostcon {
    FILE *in, *out, *err;
    int last_stream; /* 1 or 2: the one that may hold unflushed bytes */
    char *line;      /* getline's buffer */
    size_t line_cap;
    size_t pending; /* bytes of line not yet queued */
    size_t pending_at;
    bool eof;
    uint64_t bytes_out[3]; /* per stream, for tests and reports */
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

#endif /* LDE_HOSTCON_H */
