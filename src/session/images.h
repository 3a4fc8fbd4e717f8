/*
 * images.h: where the kernel and program images come from: a file, or an
 * image built into lde (guest/embed.h: every guest program, and the
 * kernel under the name "kernel").
 */
#ifndef LDE_IMAGES_H
#define LDE_IMAGES_H

#include <stddef.h>
#include <stdio.h>

#include "boot_block.h"
#include "elf_file.h"

/* A program: spec is a path if it contains '/' or names an existing file,
 * otherwise a built-in program's name. Opened, not yet role-checked. */
struct elf_file *image_open_program(const char *spec, char *err, size_t errlen);

/* The kernel: the file at path, or the built-in one if path is NULL. */
struct elf_file *image_open_kernel(const char *path, char *err, size_t errlen);

/* Print the built-in programs' names, comma-separated, on f. */
void image_list_programs(FILE *f);

/* The kernel's file namespace, for exec (docs/isa.md §9): first the
 * files of `--file HOST[:GUEST]` (their bytes read here and owned), then
 * each program of the command line at its argv[0], then every built-in
 * program at /bin/NAME. The kernel takes the first file of a path. */
#define IMAGE_MAX_FILE_OPTS 64
struct image_files {
    unsigned n;
    struct boot_file_spec f[BOOT_MAX_FILES];
    unsigned nowned;
    unsigned char *owned[IMAGE_MAX_FILE_OPTS]; /* the --file contents */
    /* The built-in programs' exec images, where /bin/NAME points: with
     * lde's own file open (region.fd, or -1) so that the boot block can
     * map them, on every boot of the session. */
    struct boot_region region;
};

/* specs[i] is "HOST" or "HOST:GUEST" (GUEST defaults to HOST). progs and
 * argv0s: the command line's programs, already opened. Returns 0, or -1
 * with one line in err (an unreadable file, too many files). */
int image_files_open(struct image_files *t, const char *const *specs,
                     unsigned nspecs, struct elf_file *const *progs,
                     const char *const *argv0s, unsigned nprogs, char *err,
                     size_t errlen);
void image_files_close(struct image_files *t);

/* A built-in program's exec image (in the region), or NULL if ef is not
 * a built-in one. */
const unsigned char *image_exec(const struct elf_file *ef);

#endif /* LDE_IMAGES_H */
