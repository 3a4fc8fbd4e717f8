/*
 * compute: a CPU-bound job with a result that can be checked: the sieve of
 * Eratosthenes up to N (argv[1], default 100000). It prints the number of
 * primes <= N and their sum, then checks the sieve against the known
 * prime counts pi(10^k) for every power of ten <= N.
 * Exit status: 0 if the check passes, 1 if not, 2 on a bad argument.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_N 100000
#define MAX_N 2000000 /* the sieve (one byte per number) must fit the heap */

/* pi(10^k) for k = 1..6. */
static const unsigned known_pi[] = {4, 25, 168, 1229, 9592, 78498};

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : DEFAULT_N;
    if (n < 2 || n > MAX_N) {
        printf("compute: N must be in [2, %d]\n", MAX_N);
        return 2;
    }

    /* composite[i] != 0 once a smaller prime divides i. */
    unsigned char *composite = calloc((size_t)n + 1, 1);
    if (composite == NULL) {
        printf("compute: out of memory for N=%ld\n", n);
        return 2;
    }
    for (long p = 2; p * p <= n; p++)
        if (!composite[p])
            for (long m = p * p; m <= n; m += p)
                composite[m] = 1;

    unsigned count = 0;
    uint64_t sum = 0;
    int failed = 0;
    long next_power = 10;
    unsigned k = 0;
    for (long i = 2; i <= n; i++) {
        if (!composite[i]) {
            count++;
            sum += (uint64_t)i;
        }
        if (i == next_power && k < sizeof known_pi / sizeof known_pi[0]) {
            if (count != known_pi[k]) {
                printf("compute: pi(%ld) = %u, want %u\n", i, count,
                       known_pi[k]);
                failed = 1;
            }
            k++;
            next_power *= 10;
        }
    }
    free(composite);

    printf("compute: %u primes <= %ld, sum %llu\n", count, n,
           (unsigned long long)sum);
    printf("compute: check %s\n", failed ? "FAILED" : "ok");
    return failed;
}
