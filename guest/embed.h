/*
 * embed.h: guest images built into the host binary.
 *
 * A library made by lde_embed_images() (cmake/Guest.cmake) holds the raw
 * bytes of each ELF file it was given (the guest programs, and the kernel
 * under the name "kernel"), so that `lde run hello` needs no path.
 * The bytes are read-only and 16-byte aligned.
 */
#ifndef LDE_EMBED_H
#define LDE_EMBED_H

struct lde_image {
    const char *name;          /* as given to lde_embed_images, e.g. "hello" */
    const unsigned char *data; /* the file's bytes */
    unsigned long size;        /* in bytes */
    /* Its exec image, if it was named in FILES (else NULL, 0): the file's
     * first exec_size bytes (elf_exec_extent), page-aligned, between
     * lde_files_start and lde_files_end. */
    const unsigned char *exec;
    unsigned long exec_size;
};

extern const struct lde_image lde_images[];
extern const unsigned lde_nimages;

/* The exec images, one after another, each starting on a 4 KiB page and
 * zero-padded to the next: a whole number of pages, which lie at a page
 * boundary of the executable's file too. */
extern const unsigned char lde_files_start[], lde_files_end[];

/* The image called name, or NULL if there is none. */
const struct lde_image *lde_image_find(const char *name);

#endif /* LDE_EMBED_H */
