/*
 * parse.c: reading the kernel command line's values (main.c's own keys,
 * sched.c's scheduling keys). The line is not NUL-terminated word by
 * word: every value is a pointer and a length.
 */
#include "defs.h"

int parse_uint(const char *s, uint32_t len, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (len == 0)
        return -1;
    for (uint32_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        uint32_t d = (uint32_t)(s[i] - '0');
        if (v > (max - d) / 10) /* v * 10 + d would pass max */
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int parse_is(const char *s, uint32_t len, const char *word)
{
    return strlen(word) == len && strncmp(s, word, len) == 0;
}
