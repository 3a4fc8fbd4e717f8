/*
 * bench_compute: the compute-bound guest for measuring the emulator's
 * speed (instructions per host second). SIZE rounds (argv[1], default 100)
 * of an integer mix like ordinary code: a random-number loop (shifts,
 * xor), branches that depend on the data, an 8x8 matrix product (mul,
 * loads), an insertion sort (loads, stores, compares) and some division.
 * No system call inside the timed work, so it measures the interpreter.
 * Prints "bench_compute: size S checksum 0xXXXXXXXX" (the same on any
 * correct RV32IM machine) and exits 0 (2 on a bad argument).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define NDATA 256
#define NSORT 48
#define DIM 8

static uint32_t data[NDATA];
static uint32_t ma[DIM][DIM], mb[DIM][DIM], mc[DIM][DIM];

static uint32_t xorshift32(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/* Data-dependent branches: roughly half taken, unpredictably. */
static uint32_t branchy(const uint32_t *v, unsigned n)
{
    uint32_t acc = 0;
    for (unsigned i = 0; i < n; i++) {
        uint32_t x = v[i];
        if (x & 1)
            acc += x * 3;
        else if (x & 2)
            acc ^= x >> 2;
        else
            acc -= x;
    }
    return acc;
}

static uint32_t matmul(void)
{
    uint32_t trace = 0;
    for (unsigned i = 0; i < DIM; i++) {
        for (unsigned j = 0; j < DIM; j++) {
            uint32_t s = 0;
            for (unsigned k = 0; k < DIM; k++)
                s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
        trace += mc[i][i];
    }
    return trace;
}

static uint32_t sort_prefix(uint32_t *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++) {
        uint32_t x = v[i];
        unsigned j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
    return v[0] ^ v[n / 2] ^ v[n - 1];
}

static uint32_t divisions(const uint32_t *v, unsigned n)
{
    uint32_t acc = 0;
    for (unsigned i = 0; i + 1 < n; i += 8)
        acc += v[i] / (v[i + 1] % 1000 + 1) + v[i] % 7;
    return acc;
}

static uint32_t round_once(uint32_t *seed)
{
    for (unsigned i = 0; i < NDATA; i++)
        data[i] = xorshift32(seed);
    for (unsigned i = 0; i < DIM; i++)
        for (unsigned j = 0; j < DIM; j++) {
            ma[i][j] = data[i * DIM + j] & 0xFFFF;
            mb[i][j] = data[64 + i * DIM + j] >> 16;
        }
    uint32_t sum = branchy(data, NDATA);
    sum = sum * 31 + matmul();
    sum = sum * 31 + sort_prefix(data + 128, NSORT);
    sum = sum * 31 + divisions(data, NDATA);
    return sum;
}

int main(int argc, char **argv)
{
    long size = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
    if (size < 1) {
        printf("bench_compute: SIZE must be >= 1\n");
        return 2;
    }
    uint32_t seed = 2463534242u, checksum = 0;
    for (long r = 0; r < size; r++)
        checksum = (checksum << 1 | checksum >> 31) ^ round_once(&seed);
    printf("bench_compute: size %ld checksum 0x%08lx\n", size,
           (unsigned long)checksum);
    return 0;
}
