/* images.c: resolve a program or kernel to its ELF bytes (see images.h). */
#include "images.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embed.h"
#include "loader_error.h"
#include "read_file.h"
#include "self_file.h"

#define KERNEL_IMAGE "kernel"
#define LDE_BIN_PATH_MAX 64 /* "/bin/" and a built-in's name */

static bool is_path(const char *spec)
{
    return strchr(spec, '/') != NULL || access(spec, F_OK) == 0;
}

struct elf_file *image_open_program(const char *spec, char *err, size_t errlen)
{
    if (is_path(spec))
        return elf_read_file(spec, spec, err, errlen);
    const struct lde_image *im = lde_image_find(spec);
    if (im == NULL || strcmp(spec, KERNEL_IMAGE) == 0) {
        loader_error(err, errlen, spec,
                     "no such file or built-in program (lde run --help "
                     "lists them)");
        return NULL;
    }
    return elf_open_in_place(spec, im->data, im->size, err, errlen);
}

struct elf_file *image_open_kernel(const char *path, char *err, size_t errlen)
{
    if (path != NULL)
        return elf_read_file(path, path, err, errlen);
    const struct lde_image *im = lde_image_find(KERNEL_IMAGE);
    if (im == NULL) {
        loader_error(err, errlen, NULL,
                     "this lde has no built-in kernel: use --kernel FILE");
        return NULL;
    }
    return elf_open_in_place("(built-in kernel)", im->data, im->size, err,
                             errlen);
}

void image_list_programs(FILE *f)
{
    const char *sep = "";
    for (unsigned i = 0; i < lde_nimages; i++) {
        if (strcmp(lde_images[i].name, KERNEL_IMAGE) == 0)
            continue;
        fprintf(f, "%s%s", sep, lde_images[i].name);
        sep = ", ";
    }
    if (*sep == '\0')
        fprintf(f, "(none)");
}

/* The built-in programs' exec images, and lde's file where they lie too
 * (or -1: they are copied then, RAM reads the same). */
static void open_region(struct boot_region *r)
{
    /* Two symbols of one run of bytes (the assembler's, not C's). */
    size_t size =
        (size_t)((uintptr_t)lde_files_end - (uintptr_t)lde_files_start);
    *r = (struct boot_region){lde_files_start, size, -1, 0};
    if (size > 0)
        r->fd = self_file_open(lde_files_start, size, &r->off);
}

static int add_file(struct image_files *t, const char *path,
                    const unsigned char *data, size_t size, char *err,
                    size_t errlen)
{
    if (t->n == BOOT_MAX_FILES)
        return loader_error(err, errlen, NULL,
                            "too many files for exec (at most %u)",
                            BOOT_MAX_FILES);
    t->f[t->n++] = (struct boot_file_spec){path, data, size};
    return 0;
}

int image_files_open(struct image_files *t, const char *const *specs,
                     unsigned nspecs, struct elf_file *const *progs,
                     const char *const *argv0s, unsigned nprogs, char *err,
                     size_t errlen)
{
    *t = (struct image_files){0};
    open_region(&t->region);
    if (nspecs > IMAGE_MAX_FILE_OPTS)
        return loader_error(err, errlen, NULL,
                            "too many --file options (at most %u)",
                            IMAGE_MAX_FILE_OPTS);
    for (unsigned i = 0; i < nspecs; i++) {
        /* HOST[:GUEST]: the last colon splits, so a host path may hold
         * colons as long as a guest name follows. */
        const char *colon = strrchr(specs[i], ':');
        const char *guest = colon != NULL ? colon + 1 : specs[i];
        size_t hostlen =
            colon != NULL ? (size_t)(colon - specs[i]) : strlen(specs[i]);
        char host[4096];
        if (hostlen == 0 || hostlen >= sizeof host || guest[0] == '\0')
            return loader_error(err, errlen, NULL,
                                "--file %s: expected HOST or HOST:GUEST",
                                specs[i]);
        memcpy(host, specs[i], hostlen);
        host[hostlen] = '\0';
        size_t size;
        unsigned char *data =
            (unsigned char *)read_file(host, ELF_MAX_SIZE, &size, err, errlen);
        if (data == NULL)
            return -1;
        t->owned[t->nowned++] = data;
        if (add_file(t, guest, data, size, err, errlen) != 0)
            return -1;
    }
    /* Programs as exec needs them (elf_exec_extent): the same bytes as
     * their boot images, which the boot block then writes once. */
    for (unsigned i = 0; i < nprogs; i++) {
        const unsigned char *exec = image_exec(progs[i]);
        if (add_file(t, argv0s[i], exec ? exec : progs[i]->data,
                     elf_exec_extent(progs[i]->data, progs[i]->size), err,
                     errlen) != 0)
            return -1;
    }
    static char paths[BOOT_MAX_FILES][LDE_BIN_PATH_MAX];
    for (unsigned i = 0; i < lde_nimages && i < BOOT_MAX_FILES; i++) {
        const struct lde_image *im = &lde_images[i];
        if (strcmp(im->name, KERNEL_IMAGE) == 0)
            continue;
        snprintf(paths[i], sizeof paths[i], "/bin/%s", im->name);
        int rc =
            im->exec != NULL
                ? add_file(t, paths[i], im->exec, im->exec_size, err, errlen)
                : add_file(t, paths[i], im->data,
                           elf_exec_extent(im->data, im->size), err, errlen);
        if (rc != 0)
            return -1;
    }
    return 0;
}

void image_files_close(struct image_files *t)
{
    for (unsigned i = 0; i < t->nowned; i++)
        free(t->owned[i]);
    if (t->region.data != NULL && t->region.fd >= 0)
        close(t->region.fd);
    *t = (struct image_files){0};
}

const unsigned char *image_exec(const struct elf_file *ef)
{
    for (unsigned i = 0; i < lde_nimages; i++)
        if (lde_images[i].data == ef->data)
            return lde_images[i].exec;
    return NULL;
}
