/*
 * embed.c: lookup in the image table that lde_embed_images() generates
 * (host code; the table itself is in the generated <lib>_images.S).
 */
#include <stddef.h>
#include <string.h>

#include "embed.h"

const struct lde_image *lde_image_find(const char *name)
{
    for (unsigned i = 0; i < lde_nimages; i++)
        if (strcmp(lde_images[i].name, name) == 0)
            return &lde_images[i];
    return NULL;
}
