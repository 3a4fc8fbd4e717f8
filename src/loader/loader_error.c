/* loader_error.c: format one error line (see loader_error.h). */
#include "loader_error.h"

#include <stdarg.h>
#include <stdio.h>

int loader_error(char *err, size_t errlen, const char *name, const char *fmt,
                 ...)
{
    if (err == NULL || errlen == 0)
        return -1;
    int n = 0;
    if (name != NULL)
        n = snprintf(err, errlen, "%s: ", name);
    if (n < 0)
        n = 0;
    if ((size_t)n < errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    /* One line, whatever names it quotes: a file or guest path may hold
     * a newline or another control character. */
    for (char *p = err; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    return -1;
}
