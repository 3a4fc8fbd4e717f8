/*
 * loader_error.h: the one way the loader reports a problem.
 *
 * Writes "<name>: <message>" into err (always NUL-terminated, one line:
 * a control character, from a quoted name say, becomes '?') and returns
 * -1, so that a check reads `return loader_error(...);`.
 */
#ifndef LDE_LOADER_ERROR_H
#define LDE_LOADER_ERROR_H

#include <stddef.h>

#if defined(__GNUC__)
#define LOADER_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define LOADER_PRINTF(f, a)
#endif

int loader_error(char *err, size_t errlen, const char *name, const char *fmt,
                 ...) LOADER_PRINTF(4, 5);

#endif /* LDE_LOADER_ERROR_H */
