/*
 * arrays.c: multi-dimensional arrays for lde debug to show (tests/debug/
 * cases/arrays.cmd), built by `lde cc` as a student builds a program.
 *
 * DWARF declares int m[2][3] as one array type with two subranges, not
 * as an array of arrays: a 2-D int array on the stack, a 3-D short and
 * a 3-D char array (rows of strings), 2-D arrays of structs and of
 * doubles, and a pointer to a row (int (*)[3]).
 */
#include <stdio.h>

struct point {
    int x, y;
};

short cube[2][2][3] = {{{1, 2, 3}, {4, 5, 6}}, {{7, 8, 9}, {10, 11, 12}}};
char words[2][2][4] = {{"ab", "cd"}, {"efg", ""}};
struct point path[2][2] = {{{0, 0}, {1, 2}}, {{3, 4}, {5, 6}}};
double table[2][2] = {{0.5, 1.5}, {-2.25, 1e10}};
/* 1.2 million equal elements: printing compares at most 2^20 of them in
 * all to find runs, whatever the nesting (cprint.c, REPEAT_SCAN). */
unsigned char zeros[2][600000];

__attribute__((noinline)) static int total(int (*rows)[3], int n)
{
    int sum = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < 3; j++)
            sum += rows[i][j];
    return sum;
}

int main(void)
{
    int m[2][3] = {{1, 2, 3}, {4, 5, 6}};
    int s = total(m, 2);
    s += cube[1][1][2] + words[1][0][2] + path[1][1].y + (int)table[0][1] +
         zeros[1][599999];
    printf("sum %d\n", s);
    return 0;
}
