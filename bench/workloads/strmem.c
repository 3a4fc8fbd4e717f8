/*
 * strmem: memcpy, memset, memmove and string work through the C library
 * (picolibc in the guest, the host's libc natively) and through plain
 * byte loops: copying, clearing, searching, comparing, measuring. The
 * same C builds as a static RV32IM guest and natively.
 *
 * usage: strmem [ITERATIONS]   prints "strmem: iterations N checksum 0x..."
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF 8192
#define NSTR 32
#define STRLEN 60

static uint8_t src[BUF], dst[BUF];
static char strs[NSTR][STRLEN + 1];

/* A byte loop the compiler must keep (no memcpy call in its place). */
static void copy_bytes(volatile uint8_t *d, const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        d[i] = s[i];
}

static uint32_t words_sum(const uint8_t *p, size_t n)
{
    uint32_t acc = 0;
    for (size_t i = 0; i + 4 <= n; i += 4) {
        uint32_t w;
        memcpy(&w, p + i, 4);
        acc += w ^ (acc >> 7);
    }
    return acc;
}

static uint32_t strings(uint32_t seed)
{
    for (int i = 0; i < NSTR; i++) {
        int len = 20 + (int)((seed >> 3) % (STRLEN - 20));
        for (int j = 0; j < len; j++) {
            seed = seed * 1664525u + 1013904223u;
            strs[i][j] = (char)('a' + (seed >> 28));
        }
        strs[i][len] = '\0';
    }
    uint32_t acc = 0;
    for (int i = 0; i < NSTR; i++) {
        acc += (uint32_t)strlen(strs[i]);
        const char *c = strchr(strs[i], 'e');
        acc += c ? (uint32_t)(c - strs[i]) : 0;
        for (int j = i + 1; j < NSTR; j += 7)
            acc += (uint32_t)(strcmp(strs[i], strs[j]) > 0);
    }
    char joined[NSTR * 7 + 1];
    size_t at = 0;
    for (int i = 0; i < NSTR; i++) {
        size_t k = strlen(strs[i]);
        memcpy(joined + at, strs[i], k < 7 ? k : 7);
        at += k < 7 ? k : 7;
    }
    joined[at] = '\0';
    acc ^= (uint32_t)strlen(joined) * 2654435761u;
    return acc;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
    if (n < 1) {
        printf("strmem: ITERATIONS must be >= 1\n");
        return 2;
    }
    uint32_t sum = 0;
    for (long it = 0; it < n; it++) {
        uint32_t seed = (uint32_t)it * 747796405u + 2891336453u;
        for (size_t i = 0; i < BUF; i += 4) {
            seed = seed * 1103515245u + 12345u;
            memcpy(src + i, &seed, 4);
        }
        memcpy(dst, src, BUF);
        memmove(dst + 3, dst, BUF - 3);
        sum += words_sum(dst, BUF);
        memset(dst, (int)(it & 0xFF), BUF / 2);
        copy_bytes(dst + BUF / 2, src, BUF / 4);
        sum = sum * 31 + words_sum(dst, BUF);
        int cmp = memcmp(src, dst + BUF / 2, BUF / 4); /* only its sign */
        sum = sum * 31 + (uint32_t)((cmp > 0) - (cmp < 0));
        sum = sum * 31 + strings(seed);
    }
    printf("strmem: iterations %ld checksum 0x%08lx\n", n, (unsigned long)sum);
    return 0;
}
