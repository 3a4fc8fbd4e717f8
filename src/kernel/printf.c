/*
 * printf.c: a tiny formatter for the kernel's messages (%d %u %x %s %c %p,
 * with ll for 64-bit, a field width for numbers, %.*s), kprintf() to the
 * console's stderr stream, and panic().
 */
#include <stdarg.h>
#include <stdint.h>

#include "defs.h"
#include "riscv.h"

/* Where formatted bytes go: the console, or a buffer (panic's reason). */
struct sink {
    char *buf;    /* 0: the console's stderr */
    uint32_t len; /* bytes stored in buf */
    uint32_t cap; /* buf's size, the terminating NUL included */
};

static void sink_put(struct sink *s, char c)
{
    if (!s->buf)
        console_putc(2, c);
    else if (s->len + 1 < s->cap)
        s->buf[s->len++] = c;
}

static void put_number(struct sink *s, uint64_t v, unsigned base, int neg,
                       int width, char pad)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        digits[n++] = '-';
    for (int i = n; i < width; i++)
        sink_put(s, pad);
    while (n)
        sink_put(s, digits[--n]);
}

static void vformat(struct sink *s, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            sink_put(s, *fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0, longs = 0, prec = -1;
        if (*fmt == '0')
            pad = '0';
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        if (*fmt == '.') {
            fmt++;
            prec = 0;
            if (*fmt == '*') {
                prec = va_arg(ap, int);
                fmt++;
            }
            while (*fmt >= '0' && *fmt <= '9')
                prec = prec * 10 + (*fmt++ - '0');
        }
        while (*fmt == 'l') {
            longs++;
            fmt++;
        }
        switch (*fmt) {
        case 'd': {
            int64_t v = longs >= 2 ? va_arg(ap, int64_t) : va_arg(ap, int32_t);
            uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
            put_number(s, u, 10, v < 0, width, pad);
            break;
        }
        case 'u':
        case 'x': {
            uint64_t v =
                longs >= 2 ? va_arg(ap, uint64_t) : va_arg(ap, uint32_t);
            put_number(s, v, *fmt == 'u' ? 10 : 16, 0, width, pad);
            break;
        }
        case 'p':
            sink_put(s, '0');
            sink_put(s, 'x');
            put_number(s, (uintptr_t)va_arg(ap, void *), 16, 0, 8, '0');
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            for (str = str ? str : "(null)"; *str && prec != 0; str++, prec--)
                sink_put(s, *str);
            break;
        }
        case 'c': sink_put(s, (char)va_arg(ap, int)); break;
        case '%': sink_put(s, '%'); break;
        case '\0': return;
        default:
            sink_put(s, '%');
            sink_put(s, *fmt);
            break;
        }
    }
}

void kprintf(const char *fmt, ...)
{
    struct sink s = {0, 0, 0};
    va_list ap;
    va_start(ap, fmt);
    vformat(&s, fmt, ap);
    va_end(ap);
}

int ksnprintf(char *buf, uint32_t size, const char *fmt, ...)
{
    struct sink s = {buf, 0, size};
    va_list ap;
    va_start(ap, fmt);
    vformat(&s, fmt, ap);
    va_end(ap);
    if (size)
        buf[s.len] = '\0';
    return (int)s.len;
}

/* A broken invariant or a fault in kernel mode: hand the reason to the
 * power device, which halts the machine and reports "kernel panic:
 * <reason>". Never returns, never loops. */
static char panic_reason[200];

void panic(const char *fmt, ...)
{
    struct sink s = {panic_reason, 0, sizeof panic_reason};
    va_list ap;
    va_start(ap, fmt);
    vformat(&s, fmt, ap);
    va_end(ap);
    panic_reason[s.len] = '\0';
    mmio_write(POWER_BASE + POWER_PANIC, (uint32_t)(uintptr_t)panic_reason);
    /* Only reached if the power device is missing: stop with a double
     * fault rather than run on (TTR 0 makes any trap undeliverable). */
    csr_write(CSR_TTR, 0);
    for (;;)
        __asm__ volatile("ebreak");
}
