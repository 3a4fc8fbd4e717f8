/*
 * symtab.h: an ELF file's symbols, for traces, --stats and the debugger.
 *
 * Built from the file's SHT_SYMTAB: functions, objects and labels
 * (STT_NOTYPE symbols defined in a section, e.g. assembly entry points);
 * section, file and mapping symbols ("$x", ".L...") are left out. Names
 * are copied, so the table outlives the elf_file it came from.
 *
 * Addresses are the file's virtual addresses: for the kernel they are
 * physical addresses too; for a program they are user virtual addresses.
 */
#ifndef LDE_SYMTAB_H
#define LDE_SYMTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf_file.h"

enum sym_kind {
    SYM_FUNC,   /* STT_FUNC */
    SYM_OBJECT, /* STT_OBJECT */
    SYM_LABEL,  /* STT_NOTYPE in a section */
};

struct sym {
    const char *name;
    uint32_t addr;
    uint32_t size; /* 0 for most labels */
    uint8_t kind;  /* enum sym_kind */
    bool global;   /* STB_GLOBAL or STB_WEAK */
};

struct sym_table {
    struct sym *by_addr; /* sorted by address, then best name first */
    size_t n;
    struct sym **by_name; /* the same symbols sorted by name */
    char *names;          /* string pool */
};

/*
 * Read ef's symbol table. A file without one gives an empty table (n == 0);
 * NULL only when out of memory or the table is malformed (err written).
 */
struct sym_table *sym_load(const struct elf_file *ef, char *err, size_t errlen);
void sym_free(struct sym_table *t);

/* A symbol sought by name with sym_lookup(). */
struct sym_want {
    const char *name; /* set by the caller */
    bool found;       /* the rest by sym_lookup */
    bool global;
    uint32_t addr;
};

/* For each of the n wants, the address sym_by_name(sym_load(ef), name)
 * would give (found false where it would give NULL, and for all of them
 * when the symbol table is malformed), read from the file in one scan,
 * without building a table: for a few names, when the whole table may
 * never be needed. */
void sym_lookup(const struct elf_file *ef, struct sym_want *want, size_t n);

/* The symbol called name (a global one if there are several), or NULL. */
const struct sym *sym_by_name(const struct sym_table *t, const char *name);

/*
 * The symbol that contains addr: the nearest one at or below it, when
 * addr is inside its size, or when it has no size (a label). *offset (may
 * be NULL) gets addr - sym->addr. NULL if none.
 */
const struct sym *sym_by_addr(const struct sym_table *t, uint32_t addr,
                              uint32_t *offset);

/* Format "name+0x1c" (or "name", or "0x0001a2b4") into buf; returns buf. */
const char *sym_format(const struct sym_table *t, uint32_t addr, char *buf,
                       size_t len);

#endif /* LDE_SYMTAB_H */
