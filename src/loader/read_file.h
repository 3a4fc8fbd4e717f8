/*
 * read_file.h: read a whole host file into memory, for the files lde takes
 * from its command line besides ELF images (a cycle table, `--file`).
 */
#ifndef LDE_READ_FILE_H
#define LDE_READ_FILE_H

#include <stddef.h>

/* The bytes of path, NUL-terminated (the NUL is not counted in *size), in
 * a buffer the caller frees. NULL with one line in err ("PATH: No such
 * file or directory", "PATH: file too large") if it cannot be opened or
 * read, or holds more than max bytes. Works on pipes too (no stat). */
char *read_file(const char *path, size_t max, size_t *size, char *err,
                size_t errlen);

#endif /* LDE_READ_FILE_H */
