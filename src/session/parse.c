/* parse.c: command-line numbers (see parse.h). */
#include "parse.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Leading decimal digits of s as a 64-bit integer; *end after them.
 * -1 if there are none or they overflow. */
static int digits(const char *s, uint64_t *v, const char **end)
{
    uint64_t n = 0;
    const char *p = s;
    if (!isdigit((unsigned char)*p))
        return -1;
    for (; isdigit((unsigned char)*p); p++) {
        unsigned d = (unsigned)(*p - '0');
        if (n > (UINT64_MAX - d) / 10)
            return -1;
        n = n * 10 + d;
    }
    *v = n;
    *end = p;
    return 0;
}

static int mul(uint64_t v, uint64_t m, uint64_t *out)
{
    if (m != 0 && v > UINT64_MAX / m)
        return -1;
    *out = v * m;
    return 0;
}

static int bad(char *err, size_t errlen, const char *opt, const char *s,
               const char *what)
{
    snprintf(err, errlen, "%s: '%s' is not %s", opt, s, what);
    return -1;
}

/* A K, M or G after a number: multiply by k, k^2 or k^3 (k is 1024 for
 * sizes, 1000 for rates). Returns p past the letter; *m = 1 if none. */
static const char *scale_suffix(const char *p, uint64_t k, uint64_t *m)
{
    static const char letters[] = "KMG";
    const char *at = *p ? strchr(letters, toupper((unsigned char)*p)) : NULL;
    *m = 1;
    if (at == NULL)
        return p;
    for (const char *l = letters; l <= at; l++)
        *m *= k;
    return p + 1;
}

int parse_size(const char *opt, const char *s, uint64_t *out, char *err,
               size_t errlen)
{
    static const char what[] = "a size (bytes, or with K, M, G: 64M)";
    uint64_t v, m;
    const char *p;
    if (digits(s, &v, &p) != 0)
        return bad(err, errlen, opt, s, what);
    p = scale_suffix(p, 1024, &m);
    if (m != 1 && strcmp(p, "iB") == 0)
        p += 2;
    else if (*p == 'B' || *p == 'b')
        p++;
    if (*p != '\0' || mul(v, m, out) != 0)
        return bad(err, errlen, opt, s, what);
    return 0;
}

int parse_hz(const char *opt, const char *s, uint64_t *out, char *err,
             size_t errlen)
{
    static const char what[] = "a clock rate (Hz, or with K, M, G: 100MHz)";
    uint64_t v, m;
    const char *p;
    if (digits(s, &v, &p) != 0)
        return bad(err, errlen, opt, s, what);
    p = scale_suffix(p, 1000, &m);
    if ((p[0] == 'H' || p[0] == 'h') && (p[1] == 'z' || p[1] == 'Z'))
        p += 2;
    if (*p != '\0' || mul(v, m, out) != 0)
        return bad(err, errlen, opt, s, what);
    return 0;
}

int parse_cycles_or_time(const char *opt, const char *s, uint64_t *cycles,
                         uint64_t *ps, char *err, size_t errlen)
{
    static const char what[] =
        "a cycle count or a time (100000, 50k, 2M, 1ms, 500us, 10ns)";
    uint64_t whole, frac = 0, frac_scale = 1;
    const char *p;
    *cycles = 0;
    *ps = 0;
    if (digits(s, &whole, &p) != 0)
        return bad(err, errlen, opt, s, what);
    bool has_frac = *p == '.';
    if (has_frac) {
        p++;
        for (; isdigit((unsigned char)*p); p++) {
            if (frac_scale >= 1000000000000u)
                continue; /* beyond a picosecond of a second: ignore */
            frac = frac * 10 + (uint64_t)(*p - '0');
            frac_scale *= 10;
        }
    }
    uint64_t unit_ps = 0; /* picoseconds per unit; 0 = not a time */
    uint64_t m = 1;
    if (strcmp(p, "s") == 0)
        unit_ps = 1000000000000u;
    else if (strcmp(p, "ms") == 0)
        unit_ps = 1000000000u;
    else if (strcmp(p, "us") == 0)
        unit_ps = 1000000u;
    else if (strcmp(p, "ns") == 0)
        unit_ps = 1000u;
    else if (strcmp(p, "k") == 0 || strcmp(p, "K") == 0)
        m = 1000;
    else if (strcmp(p, "M") == 0)
        m = 1000000;
    else if (strcmp(p, "G") == 0)
        m = 1000000000;
    else if (*p != '\0')
        return bad(err, errlen, opt, s, what);
    if (unit_ps != 0) {
        uint64_t w, f;
        if (mul(whole, unit_ps, &w) != 0)
            return bad(err, errlen, opt, s, what);
        f = frac * (unit_ps / frac_scale); /* unit_ps >= frac_scale here */
        if (unit_ps < frac_scale || w > UINT64_MAX - f)
            return bad(err, errlen, opt, s, what);
        *ps = w + f;
        return 0;
    }
    if (has_frac) {
        /* 1.5M cycles is fine, 1.5 cycles is not. */
        if (m == 1 || frac_scale > m)
            return bad(err, errlen, opt, s, what);
        uint64_t w;
        if (mul(whole, m, &w) != 0 || w > UINT64_MAX - frac * (m / frac_scale))
            return bad(err, errlen, opt, s, what);
        *cycles = w + frac * (m / frac_scale);
        return 0;
    }
    if (mul(whole, m, cycles) != 0)
        return bad(err, errlen, opt, s, what);
    return 0;
}

uint64_t parse_ps_to_cycles(uint64_t ps, uint64_t hz)
{
    /* cycles = ps * hz / 1e12, in 128-bit-free steps: split ps. */
    const uint64_t tera = 1000000000000u;
    uint64_t whole_s = ps / tera, rest_ps = ps % tera;
    uint64_t a;
    if (mul(whole_s, hz, &a) != 0)
        return UINT64_MAX;
    /* rest_ps < 1e12 and hz < 2^32 (checked by callers) fit in 2^72... so
     * split hz too: rest_ps * hz = rest_ps * (hz_hi * 1e6 + hz_lo). */
    uint64_t hz_hi = hz / 1000000, hz_lo = hz % 1000000;
    /* rest_ps * hz_hi * 1e6 / 1e12 = rest_ps * hz_hi / 1e6 */
    uint64_t b_num;
    if (mul(rest_ps, hz_hi, &b_num) != 0)
        return UINT64_MAX;
    uint64_t b = b_num / 1000000, b_rem = b_num % 1000000; /* units 1e-6 */
    /* rest_ps * hz_lo < 1e12 * 1e6 = 1e18 < 2^64 */
    uint64_t c_num = rest_ps * hz_lo;               /* units 1e-12 cycles */
    uint64_t frac = b_rem * 1000000 + c_num % tera; /* units 1e-12 */
    uint64_t total = a + b + c_num / tera + frac / tera;
    if ((frac % tera) * 2 >= tera)
        total++;
    return total < a ? UINT64_MAX : total;
}
