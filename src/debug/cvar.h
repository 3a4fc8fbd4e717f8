/*
 * cvar.h: C values for the debugger (p, info locals, set var, break ...
 * if, finish's return value), shared by the two files that make them:
 *
 *   ctypes.c  C types from DWARF DIEs
 *   vars.c    what DWARF says (through libdw): the scopes at pc, the
 *             variables in them and the globals, their types, and where
 *             a variable is at pc (its location expression evaluated
 *             against the registers, the frame's CFA, memory)
 *   cexpr.c   C expressions on such values, assignment, and printing
 *
 * A type is a DWARF type DIE of one image (typedefs and qualifiers
 * looked through when needed), or one of a few built-in integer types
 * (literals, registers), with pointer levels added on top (&x). A value
 * says where it is: in memory (an address in a space: dbg.h), in a
 * register, computed (bytes), or optimized out.
 */
#ifndef LDE_CVAR_H
#define LDE_CVAR_H

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <stdbool.h>
#include <stdint.h>

#include "dbg.h"

enum ckind {
    CK_VOID,
    CK_INT, /* integers, characters, booleans */
    CK_ENUM,
    CK_FLOAT, /* shown as raw bits: the machine has no FPU */
    CK_PTR,
    CK_ARRAY,
    CK_STRUCT,
    CK_UNION,
    CK_FUNC,
};

struct ctype {
    int image;     /* whose DWARF die belongs to; -1: built in */
    bool has_die;  /* false: a built-in integer (or void) */
    Dwarf_Die die; /* the type as declared */
    unsigned ptr;  /* pointer levels added on top of it */
    uint8_t bsize; /* built in: bytes (0: void) */
    bool bsigned, bchar;
};

/* What a type is, qualifiers and typedefs looked through. */
struct cinfo {
    enum ckind kind;
    uint32_t size;
    bool sign, chr, boolean;
    Dwarf_Die die; /* the stripped DIE (struct, array, enum, base...) */
    bool has_die;
    const char *name; /* of a base type or tag, or NULL */
};

enum cwhere { CV_VALUE, CV_MEM, CV_REG, CV_OPT };

struct cval {
    struct ctype t;
    enum cwhere where;
    struct dbg_loc mem; /* CV_MEM */
    unsigned reg;       /* CV_REG: x0-x31 */
    uint8_t b[16];      /* CV_VALUE: the bytes, little-endian */
    int space;          /* where the pointers it holds point */
    const char *why;    /* CV_OPT: why it has no value here */
};

/* ---- vars.c, ctypes.c ---------------------------------------------------- */
Dwarf *dbg_dwarf_handle(struct dbg_dwarf *dw); /* dwarf.c */
/* Image im's DWARF, or NULL. */
Dwarf *cvar_image_dwarf(struct dbg *d, int image);
/* The DIE that die's DW_AT_type names (abstract origins followed). */
bool cvar_die_type(Dwarf_Die *die, Dwarf_Die *out);

void ctype_info(const struct ctype *t, struct cinfo *ci);
/* The type a pointer (or an array's element) refers to. -1 if t is
 * neither. */
int ctype_target(const struct ctype *t, struct ctype *out);
/* An array type's element count (first dimension) and element type. */
int ctype_array(const struct ctype *t, uint32_t *count, struct ctype *elem);
/* Built-in types for literals and registers. */
struct ctype ctype_builtin(uint8_t size, bool sign, bool chr);
/* The name of a type, as C writes it ("struct point *"). */
void ctype_name(const struct ctype *t, char *buf, size_t len);
/* A type by name in an image: a base type, a typedef, "struct X",
 * "union X", "enum X". 0 or -1. */
int ctype_lookup(struct dbg *d, int image, const char *name, struct ctype *out);
/* A member of a struct or union value, by name (anonymous members are
 * searched). 0, or -1 with err. */
int cval_member(struct dbg *d, const struct cval *v, const char *name,
                struct cval *out, char *err, size_t errlen);

/* A variable by name: a local or argument in scope at pc (the frame
 * that runs), else a global of the current image, else of any image;
 * "PROG:name" and "kernel:name" name the image. 1 found, 0 not, -1 with
 * err (found, but its location cannot be followed). */
int cvar_lookup(struct dbg *d, const char *name, struct cval *out, char *err,
                size_t errlen);
/* Each local (args false) or argument (true) in scope at pc, innermost
 * first: fn(ctx, name, value). -1 if there is no debug information for
 * pc. */
int cvar_each(struct dbg *d, bool args,
              void (*fn)(void *ctx, const char *name, const struct cval *v),
              void *ctx);
/* The function containing addr in image im, and its return type (void:
 * has_die false, bsize 0). 0 or -1. */
int cvar_function(struct dbg *d, int image, uint32_t addr, const char **name,
                  struct ctype *ret);

/* ---- cexpr.c ------------------------------------------------------------ */
/* Evaluate a C expression. 0, or -1 with err. */
int cexpr_eval(struct dbg *d, const char *expr, struct cval *out, char *err,
               size_t errlen);
/* The value's bytes (at most 8), read from where it is. 0, or -1. */
int cval_load(struct dbg *d, const struct cval *v, uint8_t *b, uint32_t n,
              char *err, size_t errlen);
/* Print a value as gdb would (42, 0x11024 <buf> "text", {x = 1, ...}). */
void cval_format(struct dbg *d, const struct cval *v, char *buf, size_t len);

#endif /* LDE_CVAR_H */
