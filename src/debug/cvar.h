/*
 * cvar.h: C values for the debugger (p, info locals, set var, break ...
 * if, finish's return value), shared by the two files that make them:
 *
 *   ctypes.c  C types from DWARF DIEs
 *   cdecl.c   types written as C declares them (whatis, ptype)
 *   vars.c    what DWARF says (through libdw): the scopes at pc, the
 *             variables in them and the globals, their types, and where
 *             a variable is at pc (its location expression evaluated
 *             against the registers, the frame's CFA, memory)
 *   cexpr.c   C expressions on such values (sizeof too), and casts
 *   cprint.c  printing them as gdb does (p/FMT), assignment
 *
 * A type is a DWARF type DIE of one image (typedefs and qualifiers
 * looked through when needed), or one of a few built-in arithmetic types
 * (literals, registers, casts), with pointer levels added on top (&x).
 * Floating types are IEEE 754 binary32, binary64 and binary128 (float,
 * double, long double in RV32's ilp32 ABI, soft float). A value
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
    CK_FLOAT, /* float, double, long double: 4, 8, 16 bytes */
    CK_PTR,
    CK_ARRAY,
    CK_STRUCT,
    CK_UNION,
    CK_FUNC,
};

struct ctype {
    int image;     /* whose DWARF die belongs to; -1: built in */
    bool has_die;  /* false: a built-in integer, floating type or void */
    Dwarf_Die die; /* the type as declared */
    unsigned ptr;  /* pointer levels added on top of it */
    /* An array die: how many of its leading dimensions are already
     * subscripted away (int m[2][3]: m[1] is m's die with 1 taken, an
     * int [3]). Then die is the array die itself, typedefs looked
     * through. 0 (as memset leaves it): the whole array. */
    uint8_t dims_taken;
    uint8_t bsize; /* built in: bytes (0: void) */
    bool bsigned, bchar, bfloat;
    const char *bname; /* built in: its name as written ("long"), or NULL */
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

/* The print formats of p/F and display/F, gdb's letters and meanings
 * (its manual, "Output Formats"): X(letter, function suffix, meaning).
 * A struct or an array is printed member by member, element by element,
 * in the format. */
#define CFORMAT_LIST(X)                                                        \
    X('x', hex, "hexadecimal, the value's bits")                               \
    X('z', zhex, "hexadecimal, zero-padded to the type's size")                \
    X('d', dec, "signed decimal, the value's bits")                            \
    X('u', udec, "unsigned decimal, the value's bits")                         \
    X('o', oct, "octal, with a leading 0")                                     \
    X('t', bin, "binary")                                                      \
    X('c', chr, "the value cast to char: number and character")                \
    X('a', addr, "an address, and the symbol at or before it (<sym+off>)")     \
    X('f', flt, "the bits as a floating value of the same size (4, 8, 16)")

/* Text built piece by piece into a fixed buffer, cut at its end. */
struct cbuf {
    char *buf;
    size_t len, n;
    /* Array elements a value's printing may still compare to find runs
     * of equal ones (cprint.c): one budget for the whole value, so that
     * nested huge arrays cannot make a print run on for long. */
    uint32_t scan_left;
};
void cbuf_put(struct cbuf *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

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
/* An array type's element count (its first dimension not yet taken) and
 * element type: the same array with one more dimension taken, or, when
 * none is left, the type its die names. */
int ctype_array(const struct ctype *t, uint32_t *count, struct ctype *elem);
/* Built-in types for literals and registers: an integer type, and the
 * floating type of size bytes (4 float, 8 double, 16 long double). */
struct ctype ctype_builtin(uint8_t size, bool sign, bool chr);
struct ctype ctype_builtin_float(uint8_t size);
/* A type by name in an image: a base type, a typedef, "struct X",
 * "union X", "enum X" (its definition, else a declaration: an
 * incomplete type). 0 or -1. */
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

/* ---- cdecl.c ------------------------------------------------------------ */
/* The name of a type, as C writes it ("const struct point *",
 * "int (*)[4]"): whatis. */
void ctype_name(const struct ctype *t, char *buf, size_t len);
/* The type with its struct, union or enum spelled out, typedefs looked
 * through (gdb's ptype, "struct point {\n    int x;\n ...} *"). */
void ctype_describe(const struct ctype *t, char *buf, size_t len);

/* ---- cexpr.c ------------------------------------------------------------ */
/* Evaluate a C expression. 0, or -1 with err. */
int cexpr_eval(struct dbg *d, const char *expr, struct cval *out, char *err,
               size_t errlen);
/* The type of a C expression, parsed but not evaluated (nothing is
 * read). 0, or -1 with err. */
int cexpr_typeof(struct dbg *d, const char *expr, struct ctype *out, char *err,
                 size_t errlen);
/* The whole of text as a type name ("unsigned long", "struct point *",
 * a typedef): 1, 0 if it is not one, -1 with err if it names a struct,
 * union or enum the program does not have. */
int cexpr_type(struct dbg *d, const char *text, struct ctype *out, char *err,
               size_t errlen);
/* v converted to type t as C converts (a cast, an assignment): between
 * integers, pointers and floating types. 0, or -1 with err. */
int cexpr_convert(struct dbg *d, const struct cval *v, const struct ctype *t,
                  struct cval *out, char *err, size_t errlen);
/* The value's bytes (at most 16), read from where it is. 0, or -1. */
int cval_load(struct dbg *d, const struct cval *v, uint8_t *b, uint32_t n,
              char *err, size_t errlen);
/* Print a value as gdb would (42, 0x11024 <buf> "text", {x = 1, ...});
 * format: 0 for the value's own type's way, else a CFORMAT_LIST letter. */
void cval_format(struct dbg *d, const struct cval *v, char format, char *buf,
                 size_t len);

#endif /* LDE_CVAR_H */
