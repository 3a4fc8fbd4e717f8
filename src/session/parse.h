/*
 * parse.h: numbers on the command line: sizes, clock rates and cycle
 * counts that may be given as a time at the nominal clock.
 *
 * Each returns 0 and stores the value, or -1 with one line in err that
 * names the option ("--ram: 12Q is not a size (try 64M)").
 */
#ifndef LDE_PARSE_H
#define LDE_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Bytes: N, NK, NM, NG (binary: 1K = 1024), optional trailing 'B'/'iB'. */
int parse_size(const char *opt, const char *s, uint64_t *out, char *err,
               size_t errlen);

/* A rate: N, NK, NM, NG (decimal), optional trailing "Hz". */
int parse_hz(const char *opt, const char *s, uint64_t *out, char *err,
             size_t errlen);

/*
 * Cycles or a time. Cycles: N, Nk, NM, NG (decimal multipliers). A time:
 * a number (decimals allowed) with s, ms, us or ns, kept as picoseconds in
 * *ps so that it can be turned into cycles once the clock is known.
 * Exactly one of *cycles, *ps is set non-zero (or both zero for "0").
 */
int parse_cycles_or_time(const char *opt, const char *s, uint64_t *cycles,
                         uint64_t *ps, char *err, size_t errlen);

/* Picoseconds at hz to cycles, rounded to nearest; UINT64_MAX on overflow. */
uint64_t parse_ps_to_cycles(uint64_t ps, uint64_t hz);

#endif /* LDE_PARSE_H */
