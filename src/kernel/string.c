/*
 * string.c: the few memory and string routines the kernel uses. GCC may
 * also call memcpy/memset/memmove/memcmp itself (struct copies, zeroing),
 * so they carry their standard names. Word-at-a-time when aligned: zeroing
 * bss and copying program segments are the kernel's biggest loops.
 */
#include <stddef.h>
#include <stdint.h>

#include "defs.h"

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    uint8_t b = (uint8_t)c;
    while (n && ((uintptr_t)d & 3)) {
        *d++ = b;
        n--;
    }
    uint32_t w = b * 0x01010101u;
    for (; n >= 16; n -= 16, d += 16) {
        ((uint32_t *)d)[0] = w;
        ((uint32_t *)d)[1] = w;
        ((uint32_t *)d)[2] = w;
        ((uint32_t *)d)[3] = w;
    }
    for (; n >= 4; n -= 4, d += 4)
        *(uint32_t *)d = w;
    while (n--)
        *d++ = b;
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
        for (; n >= 16; n -= 16, d += 16, s += 16) {
            uint32_t a = ((const uint32_t *)s)[0];
            uint32_t b = ((const uint32_t *)s)[1];
            uint32_t c = ((const uint32_t *)s)[2];
            uint32_t e = ((const uint32_t *)s)[3];
            ((uint32_t *)d)[0] = a;
            ((uint32_t *)d)[1] = b;
            ((uint32_t *)d)[2] = c;
            ((uint32_t *)d)[3] = e;
        }
        for (; n >= 4; n -= 4, d += 4, s += 4)
            *(uint32_t *)d = *(const uint32_t *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (uint8_t)*a - (uint8_t)*b;
        if (*a == '\0')
            return 0;
    }
    return 0;
}

/* Copy at most size-1 bytes and always terminate (xv6's safestrcpy). */
char *safestrcpy(char *dst, const char *src, size_t size)
{
    if (size == 0)
        return dst;
    size_t i = 0;
    for (; i + 1 < size && src[i]; i++)
        dst[i] = src[i];
    dst[i] = '\0';
    return dst;
}
