/*
 * student.c: what a first program of one's own looks like: argv, malloc,
 * string functions and stdio. tests/cc/cc.sh builds it with `lde cc` and
 * runs it under lde and under qemu-riscv32: the output must be the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s WORD...\n", argv[0]);
        return 2;
    }
    /* The words, sorted, joined into one malloc'd string. */
    char **words = malloc((size_t)(argc - 1) * sizeof *words);
    size_t total = 0;
    for (int i = 1; i < argc; i++) {
        words[i - 1] = argv[i];
        total += strlen(argv[i]) + 1;
    }
    qsort(words, (size_t)(argc - 1), sizeof *words, by_name);
    char *joined = malloc(total);
    joined[0] = '\0';
    for (int i = 0; i < argc - 1; i++) {
        if (i > 0)
            strcat(joined, " ");
        strcat(joined, words[i]);
    }
    printf("sorted: %s\n", joined);
    printf("%d words, %zu bytes, first %s\n", argc - 1, strlen(joined),
           words[0]);
    char *upper = strdup(joined);
    for (char *p = upper; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    printf("%s\n", upper);
    free(upper);
    free(joined);
    free(words);
    return strchr(argv[1], 'x') != NULL ? 1 : 0;
}
