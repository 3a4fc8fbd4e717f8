/*
 * images.h: where the kernel and program images come from: a file, or an
 * image built into lde (guest/embed.h: every guest program, and the
 * kernel under the name "kernel").
 */
#ifndef LDE_IMAGES_H
#define LDE_IMAGES_H

#include <stddef.h>
#include <stdio.h>

#include "elf_file.h"

/* A program: spec is a path if it contains '/' or names an existing file,
 * otherwise a built-in program's name. Opened, not yet role-checked. */
struct elf_file *image_open_program(const char *spec, char *err, size_t errlen);

/* The kernel: the file at path, or the built-in one if path is NULL. */
struct elf_file *image_open_kernel(const char *path, char *err, size_t errlen);

/* Print the built-in programs' names, comma-separated, on f. */
void image_list_programs(FILE *f);

#endif /* LDE_IMAGES_H */
