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

#include "elf_file.h" /* ELF_MAX_SIZE, elf_exec_extent */
#include "read_file.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: lde_exec_image IN.elf OUT\n");
        return 2;
    }
    char err[512];
    size_t size;
    unsigned char *data = (unsigned char *)read_file(argv[1], ELF_MAX_SIZE,
                                                     &size, err, sizeof err);
    if (data == NULL) {
        fprintf(stderr, "lde_exec_image: %s\n", err);
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
