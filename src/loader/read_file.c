/*
 * read_file.c: see read_file.h.
 */
#include "read_file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader_error.h"

char *read_file(const char *path, size_t max, size_t *size, char *err,
                size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        loader_error(err, errlen, path, "%s", strerror(errno));
        return NULL;
    }
    /* Grow by doubling; one byte is always kept for the NUL. */
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - 1 - n, f);
        if (n < cap - 1)
            break;
        if (n > max) {
            free(buf);
            fclose(f);
            loader_error(err, errlen, path, "file too large");
            return NULL;
        }
        char *nb = realloc(buf, cap * 2);
        if (nb == NULL)
            free(buf);
        buf = nb;
        cap *= 2;
    }
    bool bad = buf == NULL || ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        loader_error(err, errlen, path, "cannot read");
        return NULL;
    }
    if (n > max) {
        free(buf);
        loader_error(err, errlen, path, "file too large");
        return NULL;
    }
    buf[n] = '\0';
    *size = n;
    return buf;
}
