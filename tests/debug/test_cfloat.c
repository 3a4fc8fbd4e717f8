/*
 * test_cfloat.c: the debugger's floating-point values (src/debug/
 * cfloat.c) against gdb's documented output and against the host.
 *
 * gdb prints a float with %.9g, a double with %.17g and a binary128 long
 * double with %.36g (the digits that tell every value apart), an
 * infinity as inf and a NaN as nan(0x<mantissa field>). cfloat.c works
 * the digits out by itself; the host's printf (glibc: exact, ties to
 * even) is the reference for sweeps of random binary32 and binary64 bit
 * patterns, and for binary128 values that a double holds (widening is
 * exact). binary128 values with all 113 bits are checked against strings
 * that libquadmath's quadmath_snprintf("%.36Qg") printed. Conversions
 * are checked against the host's own (its float and double are IEEE 754
 * binary32 and binary64: this test reads their bits with memcpy).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "cfloat.h"

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void bytes64(uint64_t v, uint8_t *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        b[i] = (uint8_t)(i < 8 ? v >> (8 * i) : 0);
}

static void check_text(const uint8_t *b, uint32_t n, const char *want)
{
    char got[CFLOAT_TEXT];
    cfloat_format(b, n, got, sizeof got);
    if (strcmp(got, want) != 0)
        fail_msg("%u-byte value: got %s, want %s", n, got, want);
}

static void check_bits(uint64_t bits, uint32_t n, const char *want)
{
    uint8_t b[16];
    bytes64(bits, b, n);
    check_text(b, n, want);
}

/* binary128 from its two halves. */
static void check_quad(uint64_t hi, uint64_t lo, const char *want)
{
    uint8_t b[16];
    bytes64(lo, b, 8);
    bytes64(hi, b + 8, 8);
    check_text(b, 16, want);
}

static void gdb_examples(void **state)
{
    (void)state;
    check_bits(0x3dcccccd, 4, "0.100000001");                 /* 0.1f */
    check_bits(0x3fb999999999999a, 8, "0.10000000000000001"); /* 0.1 */
    check_bits(0x3ff8000000000000, 8, "1.5");
    check_bits(0x3fc00000, 4, "1.5");
    check_bits(0x3ff0000000000000, 8, "1");
    check_bits(0x4059000000000000, 8, "100");
    check_bits(0x3fd5555555555555, 8, "0.33333333333333331");
    check_bits(0xdeadbeef, 4, "-6.2598534e+18"); /* gdb's p/f 0xdeadbeef */
    check_bits(0xdeadbeefcafebabe, 8, "-1.1885958788264018e+148");
    check_bits(0x0000000000000001, 8, "4.9406564584124654e-324");
    check_bits(0x7fefffffffffffff, 8, "1.7976931348623157e+308");
    check_bits(0x00000001, 4, "1.40129846e-45");
    check_bits(0x7f7fffff, 4, "3.40282347e+38");
    check_bits(0x3f1a36e2eb1c432d, 8, "0.0001"); /* style f down to 1e-4 */
    check_bits(0x3ee4f8b588e368f1, 8, "1.0000000000000001e-05");
    check_bits(0x4341c37937e08000, 8, "10000000000000000"); /* 1e16: f */
    check_bits(0x4376345785d8a000, 8, "1e+17");             /* 1e17: e */
    check_bits(0x00000000, 4, "0");
    check_bits(0x80000000, 4, "-0");
    check_bits(0x8000000000000000, 8, "-0");
    check_bits(0x7f800000, 4, "inf");
    check_bits(0xff800000, 4, "-inf");
    check_bits(0x7ff0000000000000, 8, "inf");
    check_bits(0xfff0000000000000, 8, "-inf");
    /* NaNs: the mantissa field, its bits above the last multiple of 32
     * unpadded, then 32 bits at a time in 8 digits. */
    check_bits(0x7fc00000, 4, "nan(0x400000)");
    check_bits(0xffc00000, 4, "-nan(0x400000)");
    check_bits(0x7f800001, 4, "nan(0x1)");
    check_bits(0x7ff8000000000000, 8, "nan(0x8000000000000)");
    check_bits(0xfff0000000000001, 8, "-nan(0x000000001)");
    check_bits(0x7ff00000deadbeef, 8, "nan(0x0deadbeef)");
    check_quad(0x7fff800000000000, 0, "nan(0x8000000000000000000000000000)");
    check_quad(0xffff000000000000, 0, "-inf");
}

/* Random bit patterns, and the host's printf for the same values. */
static void sweep_binary32(void **state)
{
    (void)state;
    for (int i = 0; i < 200000; i++) {
        uint32_t bits = (uint32_t)next();
        if (i % 4 == 0) /* subnormals too */
            bits &= 0x807fffffu;
        float f;
        memcpy(&f, &bits, 4);
        if (f != f || f - f != 0) /* NaN, infinity: not printf's way */
            continue;
        char want[64];
        snprintf(want, sizeof want, "%.9g", (double)f);
        check_bits(bits, 4, want);
    }
}

static void sweep_binary64(void **state)
{
    (void)state;
    for (int i = 0; i < 200000; i++) {
        uint64_t bits = next();
        if (i % 4 == 0)
            bits &= 0x800fffffffffffffu;
        else if (i % 4 == 1) /* near 1: short decimals, ties */
            bits = (bits & 0x800fffffffffffffu) |
                   ((uint64_t)(1013 + next() % 30) << 52);
        double x;
        memcpy(&x, &bits, 8);
        if (x != x || x - x != 0)
            continue;
        char want[64];
        snprintf(want, sizeof want, "%.17g", x);
        check_bits(bits, 8, want);
    }
}

/* binary128 values that a double holds: cfloat_from_double widens
 * exactly, and the host's long double holds the value exactly too. */
static void sweep_binary128_from_double(void **state)
{
    (void)state;
    for (int i = 0; i < 20000; i++) {
        uint64_t bits = next();
        double x;
        memcpy(&x, &bits, 8);
        if (x != x || x - x != 0)
            continue;
        uint8_t q[16];
        cfloat_from_double(x, 16, q);
        char want[80];
        snprintf(want, sizeof want, "%.36Lg", (long double)x);
        check_text(q, 16, want);
        assert_true(cfloat_to_double(q, 16) == x);
    }
}

/* Full 113-bit values, as quadmath_snprintf("%.36Qg") prints them. */
static void binary128_full(void **state)
{
    (void)state;
    check_quad(0x3ffb999999999999, 0x999999999999999a,
               "0.100000000000000000000000000000000005"); /* 0.1L */
    check_quad(0x3ffd555555555555, 0x5555555555555555,
               "0.333333333333333333333333333333333317"); /* 1/3.0L */
    check_quad(0x4000921fb54442d1, 0x8469898cc51701b8,
               "3.1415926535897932384626433832795028"); /* pi */
    check_quad(0x7ffeffffffffffff, 0xffffffffffffffff,
               "1.18973149535723176508575932662800702e+4932");
    check_quad(0x0000000000000000, 0x0000000000000001,
               "6.47517511943802511092443895822764655e-4966");
    check_quad(0x0001000000000000, 0x0000000000000000,
               "3.3621031431120935062626778173217526e-4932");
    check_quad(0x3fff000000000000, 0x0000000000000001,
               "1.00000000000000000000000000000000019");
    check_quad(0xc00e000000000000, 0, "-32768");
}

static void to_and_from_double(void **state)
{
    (void)state;
    for (int i = 0; i < 100000; i++) {
        uint64_t bits = next();
        if (i % 3 == 0) /* the float's subnormal and overflow edges */
            bits = (bits & 0x800fffffffffffffu) |
                   ((uint64_t)(1023 - 160 + next() % 300) << 52);
        double x;
        memcpy(&x, &bits, 8);
        uint8_t b[8], q[16];
        cfloat_from_double(x, 8, b);
        if (x == x)
            assert_memory_equal(b, &bits, 8);
        /* double -> float: the host rounds to nearest, ties to even */
        float want = (float)x;
        cfloat_from_double(x, 4, b);
        if (x == x) {
            assert_memory_equal(b, &want, 4);
            assert_true(cfloat_to_double(b, 4) == (double)want);
        }
        /* the same through binary128, and binary128 -> double */
        cfloat_from_double(x, 16, q);
        cfloat_convert(q, 16, b, 4);
        if (x == x) {
            assert_memory_equal(b, &want, 4);
            cfloat_convert(q, 16, b, 8);
            assert_memory_equal(b, &bits, 8);
        }
    }
    /* binary128 -> double rounds: 1 + 2^-53 is a tie (to 1, even), a bit
     * below 2^-100 more breaks it (to 1 + 2^-52). */
    uint8_t q[16], b[8];
    bytes64(UINT64_C(1) << (112 - 53), q, 8);
    bytes64(0x3fff000000000000, q + 8, 8);
    assert_true(cfloat_to_double(q, 16) == 1.0);
    q[1] = 1; /* 2^-104 */
    assert_true(cfloat_to_double(q, 16) == 1.0 + 0x1p-52);
    cfloat_convert(q, 16, b, 8);
    uint64_t one_ulp = 0x3ff0000000000001;
    assert_memory_equal(b, &one_ulp, 8);
    /* a NaN keeps its sign and stays a NaN; zero keeps its sign */
    cfloat_from_double(-(double)NAN, 4, b);
    check_text(b, 4, "-nan(0x400000)");
    cfloat_from_double(-0.0, 16, q);
    check_text(q, 16, "-0");
    assert_true(cfloat_is_zero(q, 16));
    cfloat_from_double((double)NAN, 8, b);
    assert_false(cfloat_is_zero(b, 8));
}

static void integers(void **state)
{
    (void)state;
    for (int i = 0; i < 100000; i++) {
        int64_t v = (int64_t)next() >> (next() % 64);
        uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        uint8_t b[8];
        double d = (double)v;
        float f = (float)v;
        cfloat_from_integer(mag, v < 0, 8, b);
        assert_memory_equal(b, &d, 8);
        cfloat_from_integer(mag, v < 0, 4, b);
        assert_memory_equal(b, &f, 4);
        /* and back, truncated toward zero */
        double x = (double)v / 3;
        cfloat_from_double(x, 8, b);
        assert_int_equal((int64_t)cfloat_to_integer(b, 8, true), (int64_t)x);
    }
    uint8_t b[8];
    cfloat_from_double(-2.9, 8, b);
    assert_int_equal((int64_t)cfloat_to_integer(b, 8, true), -2);
    cfloat_from_double(1e30, 8, b);
    assert_int_equal((int64_t)cfloat_to_integer(b, 8, true), INT64_MAX);
    cfloat_from_double(-1e30, 8, b);
    assert_int_equal((int64_t)cfloat_to_integer(b, 8, true), INT64_MIN);
    cfloat_from_double(1.8e19, 8, b);
    assert_true(cfloat_to_integer(b, 8, false) ==
                UINT64_C(18000000000000000000));
    cfloat_from_double(-1.0, 8, b);
    assert_true(cfloat_to_integer(b, 8, false) == UINT64_MAX);
    cfloat_from_double((double)NAN, 8, b);
    assert_true(cfloat_to_integer(b, 8, true) == 0);
    cfloat_from_double(-(double)INFINITY, 4, b);
    assert_int_equal((int64_t)cfloat_to_integer(b, 4, true), INT64_MIN);
    assert_true(cfloat_size_ok(4) && cfloat_size_ok(8) && cfloat_size_ok(16));
    assert_false(cfloat_size_ok(2) || cfloat_size_ok(10) || cfloat_size_ok(0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gdb_examples),
        cmocka_unit_test(sweep_binary32),
        cmocka_unit_test(sweep_binary64),
        cmocka_unit_test(sweep_binary128_from_double),
        cmocka_unit_test(binary128_full),
        cmocka_unit_test(to_and_from_double),
        cmocka_unit_test(integers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
