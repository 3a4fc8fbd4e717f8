/* symtab.c: read and search an ELF symbol table (see symtab.h). */
#include "symtab.h"

#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader_error.h"

/* Lower is better when several symbols share an address. */
static int rank(const struct sym *s)
{
    int r = s->kind * 4; /* functions, then objects, then labels */
    if (s->size == 0)
        r += 2;
    if (!s->global)
        r += 1;
    return r;
}

static int cmp_addr(const void *pa, const void *pb)
{
    const struct sym *a = pa, *b = pb;
    if (a->addr != b->addr)
        return a->addr < b->addr ? -1 : 1;
    int ra = rank(a), rb = rank(b);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    return strcmp(a->name, b->name);
}

static int cmp_name(const void *pa, const void *pb)
{
    const struct sym *a = *(struct sym *const *)pa;
    const struct sym *b = *(struct sym *const *)pb;
    int c = strcmp(a->name, b->name);
    if (c != 0)
        return c;
    if (a->global != b->global)
        return a->global ? -1 : 1;
    return a->addr < b->addr ? -1 : a->addr > b->addr;
}

/* Keep sym? Sets *kind. */
static bool wanted(const GElf_Sym *gs, const char *name, uint8_t *kind)
{
    if (name == NULL || name[0] == '\0' || name[0] == '$' ||
        strncmp(name, ".L", 2) == 0)
        return false;
    if (gs->st_shndx == SHN_UNDEF || gs->st_shndx == SHN_COMMON)
        return false;
    switch (GELF_ST_TYPE(gs->st_info)) {
    case STT_FUNC: *kind = SYM_FUNC; return true;
    case STT_OBJECT: *kind = SYM_OBJECT; return true;
    case STT_NOTYPE:
        *kind = SYM_LABEL;
        return gs->st_shndx < SHN_LORESERVE; /* not SHN_ABS constants */
    default: return false;
    }
}

static Elf_Scn *find_symtab(Elf *elf, GElf_Shdr *sh)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(elf, scn)) != NULL) {
        if (gelf_getshdr(scn, sh) != NULL && sh->sh_type == SHT_SYMTAB)
            return scn;
    }
    return NULL;
}

/* Fill t from the section: count and size the names, then copy them. */
static int collect(struct sym_table *t, Elf *elf, Elf_Data *d, size_t strndx,
                   size_t count)
{
    size_t pool = 0, n = 0;
    for (size_t i = 0; i < count; i++) {
        GElf_Sym gs;
        uint8_t kind;
        if (gelf_getsym(d, (int)i, &gs) == NULL)
            return -1;
        const char *nm = elf_strptr(elf, strndx, gs.st_name);
        if (!wanted(&gs, nm, &kind))
            continue;
        pool += strlen(nm) + 1;
        n++;
    }
    t->by_addr = calloc(n ? n : 1, sizeof *t->by_addr);
    /* an array of pointers: sizeof a pointer is meant */
    t->by_name = calloc(n ? n : 1, sizeof *t->by_name); /* NOLINT */
    t->names = malloc(pool ? pool : 1);
    if (t->by_addr == NULL || t->by_name == NULL || t->names == NULL)
        return -1;
    char *p = t->names;
    for (size_t i = 0; i < count && t->n < n; i++) {
        GElf_Sym gs;
        uint8_t kind;
        if (gelf_getsym(d, (int)i, &gs) == NULL)
            return -1;
        const char *nm = elf_strptr(elf, strndx, gs.st_name);
        if (!wanted(&gs, nm, &kind))
            continue;
        size_t len = strlen(nm) + 1;
        memcpy(p, nm, len);
        int bind = GELF_ST_BIND(gs.st_info);
        t->by_addr[t->n++] = (struct sym){
            .name = p,
            .addr = (uint32_t)gs.st_value,
            .size = (uint32_t)gs.st_size,
            .kind = kind,
            .global = bind == STB_GLOBAL || bind == STB_WEAK,
        };
        p += len;
    }
    qsort(t->by_addr, t->n, sizeof *t->by_addr, cmp_addr);
    for (size_t i = 0; i < t->n; i++)
        t->by_name[i] = &t->by_addr[i];
    qsort(t->by_name, t->n, sizeof *t->by_name, cmp_name); /* NOLINT: ditto */
    return 0;
}

/* ef's SHT_SYMTAB and its data: 1, 0 if there is none, -1 if it is
 * malformed. */
static int symtab_data(const struct elf_file *ef, GElf_Shdr *sh, Elf_Data **d)
{
    Elf_Scn *scn = find_symtab(ef->elf, sh);
    if (scn == NULL)
        return 0;
    *d = elf_getdata(scn, NULL);
    if (*d == NULL || sh->sh_entsize != sizeof(Elf32_Sym) ||
        (*d)->d_size % sizeof(Elf32_Sym) != 0 ||
        (*d)->d_size / sizeof(Elf32_Sym) > INT32_MAX)
        return -1;
    return 1;
}

struct sym_table *sym_load(const struct elf_file *ef, char *err, size_t errlen)
{
    struct sym_table *t = calloc(1, sizeof *t);
    if (t == NULL) {
        loader_error(err, errlen, ef->name, "out of memory");
        return NULL;
    }
    GElf_Shdr sh;
    Elf_Data *d = NULL;
    int found = symtab_data(ef, &sh, &d);
    if (found == 0)
        return t; /* stripped: an empty table */
    if (found < 0) {
        loader_error(err, errlen, ef->name, "malformed symbol table");
        sym_free(t);
        return NULL;
    }
    if (collect(t, ef->elf, d, sh.sh_link, d->d_size / sizeof(Elf32_Sym)) !=
        0) {
        loader_error(err, errlen, ef->name,
                     "malformed symbol table, or out of memory");
        sym_free(t);
        return NULL;
    }
    return t;
}

/* Is (global g, value v) a better match than want's so far? sym_by_name's
 * order: a global symbol first, then the lowest address. */
static bool better(const struct sym_want *w, bool g, uint32_t v)
{
    return !w->found || (g && !w->global) || (g == w->global && v < w->addr);
}

void sym_lookup(const struct elf_file *ef, struct sym_want *want, size_t n)
{
    for (size_t k = 0; k < n; k++)
        want[k].found = want[k].global = false;
    GElf_Shdr sh;
    Elf_Data *d = NULL;
    if (symtab_data(ef, &sh, &d) <= 0)
        return;
    size_t count = d->d_size / sizeof(Elf32_Sym);
    for (size_t i = 0; i < count; i++) {
        GElf_Sym gs;
        uint8_t kind;
        if (gelf_getsym(d, (int)i, &gs) == NULL) {
            /* sym_load fails here: an empty table, nothing found */
            for (size_t k = 0; k < n; k++)
                want[k].found = false;
            return;
        }
        const char *nm = elf_strptr(ef->elf, sh.sh_link, gs.st_name);
        if (!wanted(&gs, nm, &kind))
            continue;
        int bind = GELF_ST_BIND(gs.st_info);
        bool g = bind == STB_GLOBAL || bind == STB_WEAK;
        for (size_t k = 0; k < n; k++) {
            struct sym_want *w = &want[k];
            if (strcmp(nm, w->name) == 0 &&
                better(w, g, (uint32_t)gs.st_value)) {
                w->addr = (uint32_t)gs.st_value;
                w->global = g;
                w->found = true;
            }
        }
    }
}

void sym_free(struct sym_table *t)
{
    if (t == NULL)
        return;
    free(t->by_addr);
    free(t->by_name);
    free(t->names);
    free(t);
}

const struct sym *sym_by_name(const struct sym_table *t, const char *name)
{
    if (t == NULL)
        return NULL;
    size_t lo = 0, hi = t->n; /* first index whose name >= name */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->by_name[mid]->name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < t->n && strcmp(t->by_name[lo]->name, name) == 0)
        return t->by_name[lo]; /* a global one sorts first */
    return NULL;
}

const struct sym *sym_by_addr(const struct sym_table *t, uint32_t addr,
                              uint32_t *offset)
{
    if (t == NULL || t->n == 0)
        return NULL;
    size_t lo = 0, hi = t->n; /* first index whose addr > addr */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->by_addr[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    size_t i = lo - 1; /* walk back to the best of equal addresses */
    while (i > 0 && t->by_addr[i - 1].addr == t->by_addr[i].addr)
        i--;
    const struct sym *s = &t->by_addr[i];
    if (s->size != 0 && addr - s->addr >= s->size)
        return NULL;
    if (offset != NULL)
        *offset = addr - s->addr;
    return s;
}

const char *sym_format(const struct sym_table *t, uint32_t addr, char *buf,
                       size_t len)
{
    uint32_t off;
    const struct sym *s = sym_by_addr(t, addr, &off);
    if (s == NULL)
        snprintf(buf, len, "0x%08" PRIx32, addr);
    else if (off == 0)
        snprintf(buf, len, "%s", s->name);
    else
        snprintf(buf, len, "%s+0x%" PRIx32, s->name, off);
    return buf;
}
