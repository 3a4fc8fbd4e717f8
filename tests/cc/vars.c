/*
 * vars.c: a program whose variables lde debug shows (tests/cc/cc.sh
 * debug_vars): locals and arguments in registers and on the stack at
 * lde cc's -Og, globals, a struct with an array and an enum, pointers, a
 * string, a 64-bit value, a function's return value, a pointer to a
 * struct whose members this program never sees (an incomplete type).
 */
#include <stdio.h>

enum color { RED, GREEN, BLUE };

struct point {
    int x, y;
};

struct shape {
    const char *name;
    struct point corner[2];
    int sides;
    enum color color;
};

struct secret;

int counter = 5;
struct secret *hidden;
static int table[4] = {1, 2, 3, 4};
struct shape box = {"box", {{1, 2}, {3, 4}}, 4, GREEN};

__attribute__((noinline)) static int area(const struct shape *s, int scale)
{
    int w = s->corner[1].x - s->corner[0].x;
    int h = s->corner[1].y - s->corner[0].y;
    int a = w * h * scale;
    return a;
}

__attribute__((noinline)) static long long widen(long long v, unsigned char c)
{
    long long r = v * c;
    return r;
}

int main(int argc, char **argv)
{
    char word[8] = "lde";
    int total = 0;
    for (int i = 0; i < 4; i++)
        total += table[i];
    counter += total;
    int a = area(&box, 2);
    long long b = widen(1LL << 33, 3);
    printf("%s %d %d %d %s %d\n", word, total, a, (int)(b >> 32), argv[0],
           argc);
    return a == 8 ? 0 : 1;
}
