/*
 * png_colours.c: does a screenshot show the picture? Reads a PNG (libpng)
 * and checks that it is not blank and that each colour asked for covers
 * at least a number of pixels:
 *
 *     png_colours shot.png 3366cc:2000 ff9900:50
 *
 * Prints the count of every colour asked for and of the pixels that are
 * not white; exits 0 if all is there, 1 if not, 2 if the file cannot be
 * read.
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct want {
    unsigned r, g, b;
    unsigned long min, seen;
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: png_colours FILE.png [RRGGBB:MIN]...\n");
        return 2;
    }
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, argv[1])) {
        fprintf(stderr, "png_colours: %s: %s\n", argv[1], img.message);
        return 2;
    }
    img.format = PNG_FORMAT_RGB;
    size_t size = PNG_IMAGE_SIZE(img);
    unsigned char *px = malloc(size);
    if (px == NULL || !png_image_finish_read(&img, NULL, px, 0, NULL)) {
        fprintf(stderr, "png_colours: %s: cannot decode\n", argv[1]);
        free(px);
        return 2;
    }
    int n = argc - 2;
    struct want *w = calloc((size_t)n + 1, sizeof *w);
    for (int i = 0; i < n; i++) {
        unsigned rgb;
        if (w == NULL || sscanf(argv[i + 2], "%6x:%lu", &rgb, &w[i].min) != 2) {
            fprintf(stderr, "png_colours: bad colour '%s'\n", argv[i + 2]);
            return 2;
        }
        w[i].r = rgb >> 16;
        w[i].g = (rgb >> 8) & 0xff;
        w[i].b = rgb & 0xff;
    }
    unsigned long total = (unsigned long)img.width * img.height, other = 0;
    for (unsigned long p = 0; p < total; p++) {
        const unsigned char *c = px + 3 * p;
        if (c[0] != 255 || c[1] != 255 || c[2] != 255)
            other++;
        for (int i = 0; i < n; i++)
            if (c[0] == w[i].r && c[1] == w[i].g && c[2] == w[i].b)
                w[i].seen++;
    }
    int ok = other > total / 100; /* more than 1% drawn: not blank */
    printf("%s: %ux%u, %lu pixels not white\n", argv[1], img.width, img.height,
           other);
    for (int i = 0; i < n; i++) {
        printf("  #%02x%02x%02x: %lu pixels (want %lu)\n", w[i].r, w[i].g,
               w[i].b, w[i].seen, w[i].min);
        if (w[i].seen < w[i].min)
            ok = 0;
    }
    free(px);
    free(w);
    return ok ? 0 : 1;
}
