/*
 * args: prints argc and then each argument on its own line, to check the
 * initial stack the kernel builds (docs/isa.md §10).
 * `lde run args -- a "b c"` prints:
 *     argc=3
 *     argv[0]=args
 *     argv[1]=a
 *     argv[2]=b c
 * and exits 0.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    return 0;
}
