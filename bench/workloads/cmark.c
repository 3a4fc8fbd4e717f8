/*
 * cmark: a CoreMark-like mix, written for lde (not CoreMark itself).
 *
 * Each iteration does the four kinds of work CoreMark is known for, on
 * small data that stays in cache: a linked list (find, reverse, an
 * insertion sort by key), a 16-bit matrix (multiply by a constant, by a
 * vector, by a matrix, bit extraction), a state machine that scans text
 * for numbers, and a CRC-16 over the results of the three. The same C
 * builds as a static RV32IM guest and natively; all arithmetic is
 * 32-bit, so every machine prints the same checksum.
 *
 * usage: cmark [ITERATIONS]   prints "cmark: iterations N checksum 0x..."
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define NLIST 64
#define DIM 12
#define TEXT_LEN 256

struct node {
    struct node *next;
    int16_t key;
    int16_t value;
};

static struct node pool[NLIST];
static int16_t ma[DIM * DIM], mb[DIM * DIM];
static int32_t mc[DIM * DIM];
static char text[TEXT_LEN + 1];

static uint16_t crc16_byte(uint8_t data, uint16_t crc)
{
    for (int i = 0; i < 8; i++) {
        uint8_t x16 = (uint8_t)((data & 1) ^ (crc & 1));
        data >>= 1;
        if (x16)
            crc = (uint16_t)((crc ^ 0x4002) >> 1 | 0x8000);
        else
            crc >>= 1;
    }
    return crc;
}

static uint16_t crc16_word(uint32_t v, uint16_t crc)
{
    for (int i = 0; i < 4; i++)
        crc = crc16_byte((uint8_t)(v >> (8 * i)), crc);
    return crc;
}

/* ---- list ---------------------------------------------------------------- */

static struct node *list_build(uint32_t seed)
{
    struct node *head = NULL;
    for (int i = 0; i < NLIST; i++) {
        seed = seed * 1103515245u + 12345u;
        pool[i].key = (int16_t)((seed >> 16) & 0x7FFF);
        pool[i].value = (int16_t)i;
        pool[i].next = head;
        head = &pool[i];
    }
    return head;
}

static struct node *list_reverse(struct node *l)
{
    struct node *prev = NULL;
    while (l) {
        struct node *next = l->next;
        l->next = prev;
        prev = l;
        l = next;
    }
    return prev;
}

static struct node *list_find(struct node *l, int16_t value)
{
    while (l && l->value != value)
        l = l->next;
    return l;
}

static struct node *list_sort(struct node *l)
{
    struct node *sorted = NULL;
    while (l) {
        struct node *n = l;
        l = l->next;
        struct node **p = &sorted;
        while (*p && (*p)->key < n->key)
            p = &(*p)->next;
        n->next = *p;
        *p = n;
    }
    return sorted;
}

static uint32_t list_work(uint32_t seed)
{
    struct node *l = list_build(seed);
    uint32_t acc = 0;
    for (int i = 0; i < 8; i++) {
        struct node *f = list_find(l, (int16_t)(i * 7 % NLIST));
        acc += f ? (uint32_t)f->key : 0;
        l = list_reverse(l);
    }
    l = list_sort(l);
    for (int i = 0; l && i < NLIST; i += 5, l = l->next)
        acc = acc * 3 + (uint32_t)l->key;
    return acc;
}

/* ---- matrix -------------------------------------------------------------- */

static uint32_t matrix_work(uint32_t seed)
{
    for (int i = 0; i < DIM * DIM; i++) {
        seed = seed * 1664525u + 1013904223u;
        ma[i] = (int16_t)(seed >> 20);
        mb[i] = (int16_t)((seed >> 8) & 0xFFF);
    }
    int16_t c = (int16_t)(seed & 0xFF);
    uint32_t acc = 0;
    for (int i = 0; i < DIM * DIM; i++) /* matrix times constant */
        acc += (uint32_t)(ma[i] * c);
    for (int i = 0; i < DIM; i++) { /* matrix times vector */
        int32_t s = 0;
        for (int j = 0; j < DIM; j++)
            s += ma[i * DIM + j] * mb[j];
        acc ^= (uint32_t)s;
    }
    for (int i = 0; i < DIM; i++) /* matrix times matrix */
        for (int j = 0; j < DIM; j++) {
            int32_t s = 0;
            for (int k = 0; k < DIM; k++)
                s += ma[i * DIM + k] * mb[k * DIM + j];
            mc[i * DIM + j] = s;
        }
    for (int i = 0; i < DIM * DIM; i++) /* bit extraction */
        acc += ((uint32_t)mc[i] >> 3) & 0x7F;
    return acc;
}

/* ---- state machine --------------------------------------------------------
 */

enum state { S_START, S_INT, S_FLOAT, S_EXP, S_INVALID, NSTATES };

static void text_build(uint32_t seed)
{
    static const char alphabet[] = "0123456789.,+-eE x";
    for (int i = 0; i < TEXT_LEN; i++) {
        seed = seed * 22695477u + 1u;
        text[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
    }
    text[TEXT_LEN] = '\0';
}

static uint32_t state_work(uint32_t seed)
{
    text_build(seed);
    uint32_t counts[NSTATES] = {0};
    enum state s = S_START;
    for (const char *p = text; *p; p++) {
        char ch = *p;
        if (ch == ',' || ch == ' ') {
            counts[s]++;
            s = S_START;
            continue;
        }
        switch (s) {
        case S_START:
            s = (ch >= '0' && ch <= '9') || ch == '+' || ch == '-' ? S_INT
                : ch == '.'                                        ? S_FLOAT
                                                                   : S_INVALID;
            break;
        case S_INT:
            if (ch == '.')
                s = S_FLOAT;
            else if (ch < '0' || ch > '9')
                s = S_INVALID;
            break;
        case S_FLOAT:
            if (ch == 'e' || ch == 'E')
                s = S_EXP;
            else if (ch < '0' || ch > '9')
                s = S_INVALID;
            break;
        case S_EXP:
            if (ch < '0' || ch > '9')
                s = S_INVALID;
            break;
        default: break;
        }
    }
    counts[s]++;
    uint32_t acc = 0;
    for (int i = 0; i < NSTATES; i++)
        acc = acc * 257 + counts[i];
    return acc;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
    if (n < 1) {
        printf("cmark: ITERATIONS must be >= 1\n");
        return 2;
    }
    uint16_t crc = 0;
    for (long it = 0; it < n; it++) {
        uint32_t seed = (uint32_t)it * 2654435761u + 1;
        crc = crc16_word(list_work(seed), crc);
        crc = crc16_word(matrix_work(seed), crc);
        crc = crc16_word(state_work(seed), crc);
    }
    printf("cmark: iterations %ld checksum 0x%04x\n", n, (unsigned)crc);
    return 0;
}
