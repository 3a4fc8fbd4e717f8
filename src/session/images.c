/* images.c: resolve a program or kernel to its ELF bytes (see images.h). */
#include "images.h"

#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "embed.h"
#include "loader_error.h"

#define KERNEL_IMAGE "kernel"

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
    return elf_open(spec, im->data, im->size, err, errlen);
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
    return elf_open("(built-in kernel)", im->data, im->size, err, errlen);
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
