/*
 * cfloat.c: IEEE 754 binary32, binary64 and binary128 values taken apart
 * by hand (cfloat.h): printed as gdb prints them, converted between one
 * another, to and from integers and the host's double.
 *
 * gdb prints a floating value with printf's %g, at the precision that
 * tells every value of the format apart: ceil(1 + p log10 2) significant
 * digits for a p-bit significand (its target-float.c), so %.9g for float
 * (0.1f is 0.100000001), %.17g for double (0.1 is 0.10000000000000001)
 * and %.36g for binary128; an infinity is "inf", a NaN "nan(0x...)" with
 * its mantissa field in hex. Those digits are worked out here exactly,
 * whatever the host's long double is: a finite value is an integer times
 * a power of two, and so an integer times a power of ten (2^-k is
 * 5^k / 10^k), which is computed in base 10^9 and rounded as printf
 * rounds, to nearest with ties to even.
 */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cfloat.h"

/* Values reach the host's arithmetic through its double (ldexp, frexp),
 * which must hold every binary64 value exactly. */
_Static_assert(FLT_RADIX == 2 && DBL_MANT_DIG == 53 && DBL_MAX_EXP == 1024,
               "cfloat.c: the host's double must be IEEE 754 binary64");

/* A format: its size, the widths of its exponent and mantissa fields,
 * and the significant digits gdb prints it with. */
struct ieee {
    uint32_t bytes;
    unsigned exp_bits, man_bits, digits;
};

static const struct ieee formats[] = {
    {4, 8, 23, 9},     /* float: binary32, 24-bit significand */
    {8, 11, 52, 17},   /* double: binary64, 53 bits */
    {16, 15, 112, 36}, /* long double: binary128, 113 bits */
};

static const struct ieee *format_of(uint32_t n)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (formats[i].bytes == n)
            return &formats[i];
    return NULL;
}

bool cfloat_size_ok(uint32_t n)
{
    return format_of(n) != NULL;
}

/* ---- 128-bit integers: a value's bits, a significand ------------------ */

struct u128 {
    uint64_t lo, hi;
};

static struct u128 shl(struct u128 v, unsigned k)
{
    if (k == 0)
        return v;
    if (k >= 128)
        return (struct u128){0, 0};
    if (k >= 64)
        return (struct u128){0, v.lo << (k - 64)};
    return (struct u128){v.lo << k, v.hi << k | v.lo >> (64 - k)};
}

static struct u128 shr(struct u128 v, unsigned k)
{
    if (k == 0)
        return v;
    if (k >= 128)
        return (struct u128){0, 0};
    if (k >= 64)
        return (struct u128){v.hi >> (k - 64), 0};
    return (struct u128){v.lo >> k | v.hi << (64 - k), v.hi >> k};
}

/* The low k bits of v. */
static struct u128 low(struct u128 v, unsigned k)
{
    if (k >= 128)
        return v;
    if (k >= 64)
        return (struct u128){
            v.lo, k == 64 ? 0 : v.hi & ((UINT64_C(1) << (k - 64)) - 1)};
    return (struct u128){k == 0 ? 0 : v.lo & ((UINT64_C(1) << k) - 1), 0};
}

static struct u128 join(struct u128 a, struct u128 b)
{
    return (struct u128){a.lo | b.lo, a.hi | b.hi};
}

static bool is_zero(struct u128 v)
{
    return v.lo == 0 && v.hi == 0;
}

/* The index of v's highest set bit; -1 for zero. */
static int msb(struct u128 v)
{
    int i = 127;
    while (i >= 0 && is_zero(shr(v, (unsigned)i)))
        i--;
    return i;
}

static struct u128 bit(unsigned k)
{
    return shl((struct u128){1, 0}, k);
}

static struct u128 load(const uint8_t *b, uint32_t n)
{
    struct u128 v = {0, 0};
    for (uint32_t i = n; i-- > 0;)
        v = join(shl(v, 8), (struct u128){b[i], 0});
    return v;
}

static void store(struct u128 v, uint32_t n, uint8_t *b)
{
    for (uint32_t i = 0; i < n; i++)
        b[i] = (uint8_t)shr(v, 8 * i).lo;
}

/* ---- Taking a value apart, putting one together ------------------------- */

enum kind { K_ZERO, K_FINITE, K_INF, K_NAN };

struct parts {
    bool neg;
    enum kind kind;
    struct u128 sig; /* K_FINITE: the value is sig * 2^e2 */
    int e2;
    struct u128 man; /* the mantissa field (a NaN's payload) */
};

static int bias(const struct ieee *f)
{
    return (1 << (f->exp_bits - 1)) - 1;
}

static unsigned exp_ones(const struct ieee *f)
{
    return (1u << f->exp_bits) - 1;
}

static struct parts decode(const struct ieee *f, const uint8_t *b)
{
    struct u128 v = load(b, f->bytes);
    struct parts p;
    memset(&p, 0, sizeof p);
    p.neg = !is_zero(shr(v, 8 * f->bytes - 1));
    unsigned e = (unsigned)shr(v, f->man_bits).lo & exp_ones(f);
    p.man = low(v, f->man_bits);
    if (e == exp_ones(f)) {
        p.kind = is_zero(p.man) ? K_INF : K_NAN;
    } else if (e == 0 && is_zero(p.man)) {
        p.kind = K_ZERO;
    } else {
        /* A subnormal (e = 0) has no leading 1 and the exponent of e = 1. */
        p.kind = K_FINITE;
        p.sig = e != 0 ? join(p.man, bit(f->man_bits)) : p.man;
        p.e2 = (e != 0 ? (int)e : 1) - bias(f) - (int)f->man_bits;
    }
    return p;
}

/* Zero, an infinity or a NaN (quiet, man its mantissa field). */
static void special(const struct ieee *f, bool neg, unsigned e, struct u128 man,
                    uint8_t *b)
{
    struct u128 v =
        join(low(man, f->man_bits), shl((struct u128){e, 0}, f->man_bits));
    if (neg)
        v = join(v, bit(8 * f->bytes - 1));
    store(v, f->bytes, b);
}

/* sig (not zero) rounded to keep significant bits, to nearest with ties
 * to even; *e2 grows by the bits dropped. keep <= 0 leaves 0 or 1 (half
 * a unit or less rounds to 0). */
static struct u128 round_to(struct u128 sig, int keep, int *e2)
{
    int drop = msb(sig) + 1 - keep;
    if (drop <= 0)
        return sig;
    struct u128 q = shr(sig, (unsigned)drop);
    bool half = !is_zero(low(shr(sig, (unsigned)drop - 1), 1));
    bool sticky = !is_zero(low(sig, (unsigned)drop - 1));
    if (half && (sticky || (q.lo & 1))) {
        q.lo++;
        q.hi += q.lo == 0;
    }
    *e2 += drop;
    return q;
}

/* (neg ? -1 : 1) * sig * 2^e2, sig not zero, in format f, rounded to
 * nearest with ties to even: subnormal below the normal range, infinite
 * above it. */
static void encode(const struct ieee *f, bool neg, struct u128 sig, int e2,
                   uint8_t *b)
{
    int p = (int)f->man_bits + 1, emin = 1 - bias(f);
    int exp = msb(sig) + e2; /* the leading bit's power of two */
    /* Below the normal range the significand has fewer bits: those
     * above 2^(emin - man_bits). */
    sig = round_to(sig, exp < emin ? p - (emin - exp) : p, &e2);
    if (is_zero(sig)) {
        special(f, neg, 0, sig, b);
        return;
    }
    exp = msb(sig) + e2;
    if (exp > bias(f)) {
        special(f, neg, exp_ones(f), (struct u128){0, 0}, b);
        return;
    }
    if (exp < emin) { /* subnormal: sig * 2^e2 = man * 2^(emin - man_bits) */
        special(f, neg, 0, shl(sig, (unsigned)(e2 - (emin - (int)f->man_bits))),
                b);
        return;
    }
    int shift = (int)f->man_bits - msb(sig);
    struct u128 man =
        shift >= 0 ? shl(sig, (unsigned)shift) : shr(sig, (unsigned)-shift);
    special(f, neg, (unsigned)(exp + bias(f)), man, b);
}

/* ---- Printing ------------------------------------------------------------ */

/* A natural number in base 10^9, least significant limb first: enough for
 * binary128's smallest subnormal, 2^-16494 = 5^16494 / 10^16494, whose
 * 5^16494 has 11,529 digits. */
#define BN_BASE 1000000000u
#define BN_LIMBS 1300

struct bn {
    uint32_t limb[BN_LIMBS];
    size_t n;
};

/* x = x * m + add (m < 2^31, add < BN_BASE). */
static void bn_mul_add(struct bn *x, uint32_t m, uint32_t add)
{
    uint64_t carry = add;
    for (size_t i = 0; i < x->n; i++) {
        uint64_t t = (uint64_t)x->limb[i] * m + carry;
        x->limb[i] = (uint32_t)(t % BN_BASE);
        carry = t / BN_BASE;
    }
    while (carry != 0 && x->n < BN_LIMBS) {
        x->limb[x->n++] = (uint32_t)(carry % BN_BASE);
        carry /= BN_BASE;
    }
}

static const uint32_t pow5[14] = {
    1,     5,      25,      125,     625,      3125,      15625,
    78125, 390625, 1953125, 9765625, 48828125, 244140625, 1220703125};

static const uint32_t pow10[10] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, BN_BASE};

/* The number of decimal digits of the top limb. */
static unsigned top_digits(const struct bn *x)
{
    unsigned k = 1;
    while (k < 9 && x->limb[x->n - 1] >= pow10[k])
        k++;
    return k;
}

/* Decimal digit i of x, counted from its most significant (0). */
static unsigned bn_digit(const struct bn *x, unsigned top, size_t i)
{
    if (i < top)
        return x->limb[x->n - 1] / pow10[top - 1 - i] % 10;
    size_t j = i - top;
    uint32_t limb = x->limb[x->n - 2 - j / 9];
    return limb / pow10[8 - j % 9] % 10;
}

/*
 * sig * 2^e2 (sig not zero) to nd significant decimal digits d[0..nd),
 * rounded to nearest with ties to even, and the power of ten of d[0]:
 * the value is about d[0].d[1]d[2]... * 10^x.
 */
static void decimal(struct u128 sig, int e2, unsigned nd, uint8_t *d, int *x)
{
    struct bn bn = {{0}, 0};
    for (int k = 112; k >= 0; k -= 16) /* sig, 16 bits at a time */
        bn_mul_add(&bn, 1u << 16, (uint32_t)low(shr(sig, (unsigned)k), 16).lo);
    int exp10 = 0; /* the value is bn * 10^exp10 */
    if (e2 >= 0) {
        for (int k = e2; k > 0; k -= 30)
            bn_mul_add(&bn, 1u << (k < 30 ? k : 30), 0);
    } else {
        for (int k = -e2; k > 0; k -= 13) /* 5^13 < 2^31 */
            bn_mul_add(&bn, k < 13 ? pow5[k] : pow5[13], 0);
        exp10 = e2;
    }
    unsigned top = top_digits(&bn);
    size_t total = top + 9 * (bn.n - 1);
    *x = (int)total - 1 + exp10;
    for (unsigned i = 0; i < nd; i++)
        d[i] = (uint8_t)(i < total ? bn_digit(&bn, top, i) : 0);
    if (total <= nd)
        return;
    unsigned next = bn_digit(&bn, top, nd);
    bool sticky = false;
    for (size_t i = nd + 1; i < total && !sticky; i++)
        sticky = bn_digit(&bn, top, i) != 0;
    if (next < 5 || (next == 5 && !sticky && d[nd - 1] % 2 == 0))
        return;
    unsigned i = nd;
    while (i > 0 && d[i - 1] == 9)
        d[--i] = 0;
    if (i == 0) { /* 9.99... rounded up to 10.0... */
        d[0] = 1;
        (*x)++;
    } else {
        d[i - 1]++;
    }
}

/* C's %.{nd}g of -d[0].d[1]...e{x} (neg) or of it unsigned: style e
 * for an exponent below -4 or not below the precision, else style f;
 * trailing zeros of the fraction, and a point left alone, dropped. */
static void put_g(bool neg, const uint8_t *d, unsigned nd, int x, char *out,
                  size_t len)
{
    char buf[CFLOAT_TEXT];
    size_t k = 0;
    unsigned last = nd; /* digits up to the last that is not zero */
    while (last > 1 && d[last - 1] == 0)
        last--;
    if (neg)
        buf[k++] = '-';
    if (x < -4 || x >= (int)nd) {
        buf[k++] = (char)('0' + d[0]);
        if (last > 1)
            buf[k++] = '.';
        for (unsigned i = 1; i < last; i++)
            buf[k++] = (char)('0' + d[i]);
        snprintf(buf + k, sizeof buf - k, "e%c%02d", x < 0 ? '-' : '+',
                 x < 0 ? -x : x);
    } else {
        if (x < 0) {
            buf[k++] = '0';
            buf[k++] = '.';
            for (int i = -1; i > x; i--)
                buf[k++] = '0';
        }
        for (unsigned i = 0; i < last || (x >= 0 && i <= (unsigned)x); i++) {
            if (x >= 0 && i == (unsigned)x + 1)
                buf[k++] = '.';
            buf[k++] = (char)('0' + d[i]);
        }
        buf[k] = '\0';
    }
    snprintf(out, len, "%s", buf);
}

/* A NaN's mantissa field in hex, as gdb writes it: the bits above the
 * last multiple of 32 first, unpadded, then 32 bits at a time in 8
 * digits (a double's 0x8000000000000 is 0x80000, then 00000000). */
static void put_nan(const struct ieee *f, const struct parts *p, char *out,
                    size_t len)
{
    char hex[48];
    unsigned first = f->man_bits % 32 ? f->man_bits % 32 : 32;
    unsigned off = f->man_bits - first;
    int k =
        snprintf(hex, sizeof hex, "%" PRIx64, low(shr(p->man, off), first).lo);
    while (off > 0 && k > 0 && (size_t)k < sizeof hex) {
        off -= 32;
        k += snprintf(hex + k, sizeof hex - (size_t)k, "%08" PRIx64,
                      low(shr(p->man, off), 32).lo);
    }
    snprintf(out, len, "%snan(0x%s)", p->neg ? "-" : "", hex);
}

void cfloat_format(const uint8_t *b, uint32_t n, char *out, size_t len)
{
    const struct ieee *f = format_of(n);
    if (f == NULL) { /* callers ask cfloat_size_ok first */
        snprintf(out, len, "<%" PRIu32 "-byte float>", n);
        return;
    }
    struct parts p = decode(f, b);
    const char *sign = p.neg ? "-" : "";
    uint8_t d[40];
    int x;
    switch (p.kind) {
    case K_INF: snprintf(out, len, "%sinf", sign); return;
    case K_NAN: put_nan(f, &p, out, len); return;
    case K_ZERO: snprintf(out, len, "%s0", sign); return;
    case K_FINITE:
        decimal(p.sig, p.e2, f->digits, d, &x);
        put_g(p.neg, d, f->digits, x, out, len);
        return;
    }
}

/* ---- Conversions ----------------------------------------------------------
 */

bool cfloat_is_zero(const uint8_t *b, uint32_t n)
{
    const struct ieee *f = format_of(n);
    return f != NULL && decode(f, b).kind == K_ZERO;
}

double cfloat_to_double(const uint8_t *b, uint32_t n)
{
    const struct ieee *f = format_of(n);
    if (f == NULL)
        return 0;
    struct parts p = decode(f, b);
    double v = 0;
    switch (p.kind) {
    case K_ZERO: v = 0; break;
    case K_INF: v = HUGE_VAL; break;
    case K_NAN: v = NAN; break;
    case K_FINITE: {
        /* To binary64's precision first (fewer bits below its normal
         * range, 2^-1022), so that ldexp is exact or overflows. */
        int exp = msb(p.sig) + p.e2;
        struct u128 sig =
            round_to(p.sig, exp < -1022 ? 53 - (-1022 - exp) : 53, &p.e2);
        v = ldexp((double)sig.lo, p.e2);
        break;
    }
    }
    return p.neg ? -v : v;
}

void cfloat_from_double(double x, uint32_t n, uint8_t *b)
{
    const struct ieee *f = format_of(n);
    if (f == NULL)
        return;
    bool neg = signbit(x) != 0;
    if (isnan(x)) {
        special(f, neg, exp_ones(f), bit(f->man_bits - 1), b);
    } else if (isinf(x)) {
        special(f, neg, exp_ones(f), (struct u128){0, 0}, b);
    } else if (x == 0) {
        special(f, neg, 0, (struct u128){0, 0}, b);
    } else {
        int e;
        double m = frexp(fabs(x), &e); /* x = m * 2^e, 0.5 <= m < 1 */
        encode(f, neg, (struct u128){(uint64_t)ldexp(m, 53), 0}, e - 53, b);
    }
}

void cfloat_convert(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t m)
{
    const struct ieee *f = format_of(n), *g = format_of(m);
    if (f == NULL || g == NULL)
        return;
    struct parts p = decode(f, in);
    switch (p.kind) {
    case K_ZERO: special(g, p.neg, 0, p.man, out); return;
    case K_INF:
        special(g, p.neg, exp_ones(g), (struct u128){0, 0}, out);
        return;
    case K_NAN: {
        /* The payload's top bits carry over, and the result is quiet. */
        struct u128 man = g->man_bits >= f->man_bits
                              ? shl(p.man, g->man_bits - f->man_bits)
                              : shr(p.man, f->man_bits - g->man_bits);
        special(g, p.neg, exp_ones(g), join(man, bit(g->man_bits - 1)), out);
        return;
    }
    case K_FINITE: encode(g, p.neg, p.sig, p.e2, out); return;
    }
}

void cfloat_from_integer(uint64_t magnitude, bool negative, uint32_t n,
                         uint8_t *b)
{
    const struct ieee *f = format_of(n);
    if (f == NULL)
        return;
    if (magnitude == 0)
        special(f, false, 0, (struct u128){0, 0}, b);
    else
        encode(f, negative, (struct u128){magnitude, 0}, 0, b);
}

uint64_t cfloat_to_integer(const uint8_t *b, uint32_t n, bool sign)
{
    const struct ieee *f = format_of(n);
    if (f == NULL)
        return 0;
    struct parts p = decode(f, b);
    if (p.kind == K_ZERO || p.kind == K_NAN)
        return 0;
    bool over = p.kind == K_INF;
    uint64_t mag = 0;
    if (!over) {
        /* sig * 2^e2, its fraction dropped (truncation toward zero). */
        struct u128 v = p.e2 >= 0 ? shl(p.sig, (unsigned)p.e2)
                                  : shr(p.sig, (unsigned)-p.e2);
        over = (p.e2 >= 0 && msb(p.sig) + p.e2 >= 64) || v.hi != 0;
        mag = v.lo;
    }
    if (!sign && !p.neg)
        return over ? UINT64_MAX : mag;
    if (p.neg)
        return over || mag > (UINT64_C(1) << 63) ? UINT64_C(1) << 63
                                                 : (uint64_t)0 - mag;
    return over || mag > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : mag;
}
