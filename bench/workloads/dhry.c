/*
 * dhry: a Dhrystone-like integer mix, written for lde (not Dhrystone
 * itself): record assignment through pointers, small procedure calls,
 * enumerations, character and string comparison and copying, one- and
 * two-dimensional arrays, integer arithmetic with a division. The same C
 * builds as a static RV32IM guest and natively.
 *
 * usage: dhry [ITERATIONS]   prints "dhry: iterations N checksum 0x..."
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum color { RED, GREEN, BLUE, YELLOW, WHITE };

struct record {
    struct record *next;
    enum color color;
    int32_t num;
    int32_t weight;
    char name[40];
};

static struct record rec_a, rec_b;
static int32_t arr1[50];
static int32_t arr2[50][50];
static char ch_glob_1, ch_glob_2;
static int32_t int_glob;
static int bool_glob;

/* noinline: calls are part of the mix, as in the original's spirit. */
#define NOINLINE __attribute__((noinline))

static NOINLINE enum color color_of(char c1, char c2)
{
    char c = c1;
    if (c != c2)
        return RED;
    ch_glob_1 = c;
    return GREEN;
}

static NOINLINE int string_cmp(const char *s1, const char *s2)
{
    int32_t i = 2;
    char c = 'A';
    while (i <= 2)
        if (color_of(s1[i], s2[i + 1]) == RED) {
            c = 'A';
            i++;
        }
    if (c >= 'W' && c < 'Z')
        i = 7;
    if (c == 'R')
        return 1;
    if (strcmp(s1, s2) > 0) {
        i += 7;
        int_glob = i;
        return 1;
    }
    return 0;
}

static NOINLINE int is_bright(enum color c)
{
    return c == YELLOW || c == WHITE;
}

static NOINLINE void proc_arith(int32_t a, int32_t b, int32_t *out)
{
    int32_t l = a + 2;
    *out = b + l;
}

static NOINLINE void proc_arrays(int32_t *a1, int32_t (*a2)[50], int32_t i1,
                                 int32_t i2)
{
    int32_t loc = i1 + 5;
    a1[loc] = i2;
    a1[loc + 1] = a1[loc];
    a1[loc + 30] = loc;
    for (int32_t i = loc; i <= loc + 1; i++)
        a2[loc][i] = loc;
    a2[loc][loc - 1] += 1;
    a2[loc + 20][loc] = a1[loc];
    int_glob = 5;
}

static NOINLINE void proc_record(struct record *r)
{
    struct record *next = r->next;
    *next = *r;
    r->num = 5;
    next->num = r->num;
    next->next = r->next;
    if (next->color == RED) {
        next->num = 6;
        next->color = is_bright(r->color) ? BLUE : YELLOW;
        next->next = &rec_a;
        proc_arith(next->num, 10, &next->num);
    } else {
        *r = *next;
    }
}

static NOINLINE void proc_char(void)
{
    bool_glob = ch_glob_1 == 'A';
    ch_glob_2 = 'B';
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
    if (n < 1) {
        printf("dhry: ITERATIONS must be >= 1\n");
        return 2;
    }
    char str1[40], str2[40];
    rec_a.next = &rec_b;
    rec_a.color = RED;
    rec_a.num = 40;
    strcpy(rec_a.name, "DHRYSTONE-LIKE PROGRAM, SOME STRING");
    strcpy(str1, "DHRYSTONE-LIKE PROGRAM, 1'ST STRING");
    uint32_t sum = 0;
    for (long run = 1; run <= n; run++) {
        proc_char();
        int32_t i1 = 2, i2 = 3, i3;
        strcpy(str2, "DHRYSTONE-LIKE PROGRAM, 2'ND STRING");
        bool_glob = !string_cmp(str1, str2);
        while (i1 < i2) {
            i3 = 5 * i1 - i2;
            proc_arith(i1, i2, &i3);
            i1++;
        }
        proc_arrays(arr1, arr2, i1, i3);
        rec_a.color = (enum color)(run % 3 == 0 ? RED : GREEN);
        proc_record(&rec_a);
        for (char c = 'A'; c <= ch_glob_2; c++)
            if (color_of(c, 'C') == GREEN)
                i3 = (int32_t)run;
        i2 = i2 * i1;
        i1 = i2 / i3;
        i2 = 7 * (i2 - i3) - i1;
        sum = sum * 33 + (uint32_t)(i1 + i2 + i3 + int_glob + bool_glob +
                                    rec_b.num + (int32_t)rec_a.color);
    }
    sum += (uint32_t)arr1[8] + (uint32_t)arr2[8][7];
    printf("dhry: iterations %ld checksum 0x%08lx\n", n, (unsigned long)sum);
    return 0;
}
