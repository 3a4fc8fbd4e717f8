/*
 * cost.c: the cycle model's one table: defaults, and the text format that
 * replaces it from the command line (docs/isa.md, "Cycle model").
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"

const char *const cost_class_names[NCOST] = {
    [COST_ALU] = "alu",
    [COST_LOAD] = "load",
    [COST_STORE] = "store",
    [COST_BRANCH] = "branch",
    [COST_BRANCH_TAKEN] = "branch_taken",
    [COST_JUMP] = "jump",
    [COST_MUL] = "mul",
    [COST_DIV] = "div",
    [COST_CSR] = "csr",
    [COST_FENCE] = "fence",
    [COST_TRAP] = "trap",
    [COST_RTI] = "rti",
    [COST_WFI] = "wfi",
};

/* A simple in-order pipeline's figures: one cycle per ALU operation, two
 * for memory and for control transfers that refill the fetch, an iterative
 * divider. Trap entry and rti add their frame's memory traffic to these
 * fixed parts (see cpu_set_costs). */
const uint32_t cost_defaults[NCOST] = {
    [COST_ALU] = 1,    [COST_LOAD] = 2,         [COST_STORE] = 2,
    [COST_BRANCH] = 1, [COST_BRANCH_TAKEN] = 2, [COST_JUMP] = 2,
    [COST_MUL] = 3,    [COST_DIV] = 34,         [COST_CSR] = 2,
    [COST_FENCE] = 1,  [COST_TRAP] = 8,         [COST_RTI] = 8,
    [COST_WFI] = 1,
};

/* Largest cost accepted for one class: keeps sums far from overflow. */
#define COST_MAX 1000000u

/* Every instruction costs at least one cycle, so simulated time always
 * advances: with a free instruction a loop could run forever without the
 * timer, a budget or --max-cycles ever coming due. Only the fixed parts of
 * trap entry and rti may be 0 (their frame traffic still costs). */
uint32_t cost_min(int cls)
{
    return cls == COST_TRAP || cls == COST_RTI ? 0 : 1;
}

static int cost_lookup(const char *name, size_t len)
{
    for (int i = 0; i < NCOST; i++)
        if (strlen(cost_class_names[i]) == len &&
            strncmp(cost_class_names[i], name, len) == 0)
            return i;
    return -1;
}

int cost_parse(const char *text, uint32_t costs[NCOST], char *err,
               size_t errlen)
{
    uint32_t out[NCOST];
    memcpy(out, costs, sizeof out);
    int lineno = 0;
    const char *p = text;
    while (*p) {
        lineno++;
        const char *eol = strchr(p, '\n');
        size_t linelen = eol ? (size_t)(eol - p) : strlen(p);
        char line[256];
        if (linelen >= sizeof line) {
            snprintf(err, errlen, "line %d: too long", lineno);
            return -1;
        }
        memcpy(line, p, linelen);
        line[linelen] = '\0';
        p += linelen + (eol ? 1 : 0);

        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = line;
        while (isspace((unsigned char)*s))
            s++;
        if (*s == '\0')
            continue;
        char *name = s;
        while (*s && !isspace((unsigned char)*s) && *s != '=')
            s++;
        size_t namelen = (size_t)(s - name);
        while (isspace((unsigned char)*s) || *s == '=')
            s++;
        int cls = cost_lookup(name, namelen);
        if (cls < 0) {
            snprintf(err, errlen, "line %d: unknown cost class '%.*s'", lineno,
                     (int)namelen, name);
            return -1;
        }
        char *end;
        errno = 0;
        unsigned long v = strtoul(s, &end, 10);
        while (isspace((unsigned char)*end))
            end++;
        if (s == end || *s == '-' || *end != '\0' || errno || v > COST_MAX ||
            v < cost_min(cls)) {
            snprintf(err, errlen,
                     "line %d: '%s' needs a whole number from %u to %u%s",
                     lineno, cost_class_names[cls], cost_min(cls), COST_MAX,
                     cost_min(cls) ? " (every instruction takes a cycle)" : "");
            return -1;
        }
        out[cls] = (uint32_t)v;
    }
    memcpy(costs, out, sizeof out);
    return 0;
}
