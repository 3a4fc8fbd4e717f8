/*
 * hello: the smallest program that exercises the whole path: crt0, printf
 * through picolibc's stdio and our stdout, write(1) and exit.
 * Expected: "hello, world from lde" and exit status 0.
 */
#include <stdio.h>

int main(void)
{
    printf("hello, world from lde\n");
    return 0;
}
