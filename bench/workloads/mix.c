/*
 * mix: sieve, fib and hash, with multiplication, division and remainder.
 *
 * Each iteration: a sieve of Eratosthenes over a byte array, a recursive
 * Fibonacci (calls and returns), an FNV-1a-style multiplicative hash over
 * a buffer, and number theory that leans on div and rem (gcd by
 * remainders, modular exponentiation, digit sums by division by 10). The
 * same C builds as a static RV32IM guest and natively.
 *
 * usage: mix [ITERATIONS]   prints "mix: iterations N checksum 0x..."
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SIEVE_N 4096
#define HASH_LEN 512

static uint8_t composite[SIEVE_N];
static uint8_t buf[HASH_LEN];

static uint32_t sieve(void)
{
    uint32_t primes = 0;
    for (uint32_t i = 0; i < SIEVE_N; i++)
        composite[i] = 0;
    for (uint32_t i = 2; i < SIEVE_N; i++) {
        if (composite[i])
            continue;
        primes++;
        for (uint32_t j = i * i; j < SIEVE_N; j += i)
            composite[j] = 1;
    }
    return primes;
}

static __attribute__((noinline)) uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint32_t hash(uint32_t seed)
{
    for (uint32_t i = 0; i < HASH_LEN; i++) {
        seed = seed * 1103515245u + 12345u;
        buf[i] = (uint8_t)(seed >> 24);
    }
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < HASH_LEN; i++)
        h = (h ^ buf[i]) * 16777619u;
    return h;
}

static uint32_t gcd(uint32_t a, uint32_t b)
{
    while (b) {
        uint32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static uint32_t modpow(uint32_t b, uint32_t e, uint32_t m)
{
    uint32_t r = 1 % m;
    b %= m;
    while (e) {
        if (e & 1)
            r = (uint32_t)(((uint64_t)r * b) % m);
        b = (uint32_t)(((uint64_t)b * b) % m);
        e >>= 1;
    }
    return r;
}

static uint32_t numbers(uint32_t seed)
{
    uint32_t acc = 0;
    for (uint32_t i = 1; i < 64; i++) {
        uint32_t a = seed * i + 7, b = (seed ^ (i * 2654435761u)) | 1;
        acc += gcd(a, b);
        int32_t s = (int32_t)(a - b);
        acc ^= (uint32_t)(s / (int32_t)(i + 3)) + (uint32_t)(s % 11);
        for (uint32_t v = a; v; v /= 10)
            acc += v % 10;
    }
    acc += modpow(seed | 2, 65537u, 1000000007u);
    return acc;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
    if (n < 1) {
        printf("mix: ITERATIONS must be >= 1\n");
        return 2;
    }
    uint32_t sum = 0;
    for (long it = 0; it < n; it++) {
        uint32_t seed = (uint32_t)it * 2246822519u + 3266489917u;
        sum = sum * 31 + sieve();
        sum = sum * 31 + fib(18 + (uint32_t)(it & 3));
        sum = sum * 31 + hash(seed);
        sum = sum * 31 + numbers(seed);
    }
    printf("mix: iterations %ld checksum 0x%08lx\n", n, (unsigned long)sum);
    return 0;
}
