/*
 * cfloat.h: the guest's floating-point values, as bytes. RV32's ilp32 ABI
 * (soft float) stores float, double and long double as IEEE 754
 * binary32, binary64 and binary128, little-endian; the debugger prints
 * them as gdb does and computes with them for C expressions. The bits
 * are taken apart by hand (cfloat.c), so what is printed never depends
 * on the host's own formats; the host's double (binary64 on every C17
 * host lde builds on, checked there) only carries values through
 * arithmetic.
 */
#ifndef LDE_CFLOAT_H
#define LDE_CFLOAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for any value's text: "-nan(0x" and 28 hex digits, or 36 digits,
 * a point and "e-4966". */
#define CFLOAT_TEXT 64

/* Whether n bytes is the size of a floating type (4, 8, 16). */
bool cfloat_size_ok(uint32_t n);

/* The n-byte value at b as gdb prints it: %g with as many significant
 * digits as tell every value of the format apart (9, 17, 36), "inf",
 * "-inf", "nan(0xMANTISSA)", "-nan(0x...)". */
void cfloat_format(const uint8_t *b, uint32_t n, char *out, size_t len);

/* Whether the value is zero (either sign): false for a NaN. */
bool cfloat_is_zero(const uint8_t *b, uint32_t n);

/* The value as the host's double, rounded to nearest (ties to even). */
double cfloat_to_double(const uint8_t *b, uint32_t n);

/* x as an n-byte value, rounded to nearest (ties to even). */
void cfloat_from_double(double x, uint32_t n, uint8_t *b);

/* The n-byte value at in as an m-byte value at out, rounded to nearest
 * (ties to even): C's conversion between floating types. */
void cfloat_convert(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t m);

/* An integer (its magnitude and sign) as an n-byte value, rounded to
 * nearest (ties to even), as C converts an integer to a floating type. */
void cfloat_from_integer(uint64_t magnitude, bool negative, uint32_t n,
                         uint8_t *b);

/* The value truncated toward zero, as C converts a floating value to an
 * integer: the bits of an int64 (sign) or a uint64 (!sign). Where C
 * leaves it undefined: out of range saturates, a negative value for an
 * unsigned type goes through int64 (-1.0 is all ones), a NaN is 0. */
uint64_t cfloat_to_integer(const uint8_t *b, uint32_t n, bool sign);

#endif /* LDE_CFLOAT_H */
