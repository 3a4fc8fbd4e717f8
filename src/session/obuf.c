/* obuf.c: see obuf.h. */
#include "obuf.h"

#include <stdlib.h>
#include <string.h>

void obuf_init(struct obuf *b, FILE *f)
{
    b->f = f;
    b->n = 0;
}

void obuf_flush(struct obuf *b)
{
    if (b->n > 0 && b->f != NULL) {
        fwrite(b->buf, 1, b->n, b->f);
        fflush(b->f);
    }
    b->n = 0;
}

void obuf_write(struct obuf *b, const char *s, size_t len)
{
    if (b->n + len > sizeof b->buf)
        obuf_flush(b);
    if (len > sizeof b->buf) {
        fwrite(s, 1, len, b->f);
        return;
    }
    memcpy(b->buf + b->n, s, len);
    b->n += len;
}

void obuf_puts(struct obuf *b, const char *s)
{
    obuf_write(b, s, strlen(s));
}

void obuf_printf(struct obuf *b, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof line) { /* rare: a long symbol name */
        char *big = malloc((size_t)n + 1);
        if (big == NULL)
            return;
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        obuf_write(b, big, (size_t)n);
        free(big);
        return;
    }
    obuf_write(b, line, (size_t)n);
}
