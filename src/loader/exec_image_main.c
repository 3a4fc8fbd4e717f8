/*
 * exec_image_main.c: the build's lde_exec_image tool. It writes the exec
 * image of a guest program, the bytes a guest's execve reads: the ELF file
 * cut after its last loadable segment (elf_exec_extent). lde_embed_images
 * (cmake/Guest.cmake) builds them into lde page-aligned, so that the boot
 * block can map them into guest RAM instead of copying them.
 *
 *     lde_exec_image IN.elf OUT
 */
#include <stdio.h>
#include <stdlib.h>

#include "exec_extent.h"

/* The whole file at path, or NULL (errno says why). */
static unsigned char *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0, got;
    do {
        if (n == cap) {
            cap = cap ? 2 * cap : 1u << 16;
            unsigned char *more = realloc(buf, cap);
            if (more == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = more;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return NULL;
    }
    *size = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: lde_exec_image IN.elf OUT\n");
        return 2;
    }
    size_t size;
    unsigned char *data = read_all(argv[1], &size);
    if (data == NULL) {
        perror(argv[1]);
        return 1;
    }
    size_t n = elf_exec_extent(data, size);
    FILE *out = fopen(argv[2], "wb");
    int ok = out != NULL && fwrite(data, 1, n, out) == n;
    if (out != NULL && fclose(out) != 0)
        ok = 0;
    if (!ok)
        perror(argv[2]);
    free(data);
    return ok ? 0 : 1;
}
