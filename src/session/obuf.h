/*
 * obuf.h: a large output buffer in front of a FILE, for traces that write
 * a line per instruction (stderr is unbuffered: a write per line would
 * cost more than the instruction). The owner flushes it before anything
 * else reaches the same terminal, so lines keep their order.
 */
#ifndef LDE_OBUF_H
#define LDE_OBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define OBUF_SIZE (1u << 16)

struct obuf {
    FILE *f;
    size_t n;
    char buf[OBUF_SIZE];
};

void obuf_init(struct obuf *b, FILE *f);
void obuf_flush(struct obuf *b);
void obuf_write(struct obuf *b, const char *s, size_t len);
void obuf_puts(struct obuf *b, const char *s);
void obuf_printf(struct obuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* LDE_OBUF_H */
