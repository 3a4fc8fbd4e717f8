/*
 * cc.c: `lde cc [gcc options] FILE... -o PROG`: compile and link C
 * programs for lde with the cross compiler, in one command.
 *
 * The command is riscv64-unknown-elf-gcc with
 *   - the machine: -march=rv32im -misa-spec=2.2 -mabi=ilp32 (ISA spec 2.2
 *     keeps the CSR instructions in the base ISA, so GCC picks its
 *     rv32im/ilp32 multilib of libgcc and picolibc);
 *   - defaults a debugger can follow and a student can read: -g -Og -Wall
 *     -Wextra, and no -Werror; the user's options come after them, so
 *     -O2, -g0 or -Wno-... override them;
 *   - picolibc (--specs=picolibc.specs) for libc, and lde's runtime
 *     instead of picolibc's startup: crt0, the system calls, stdio, and
 *     the link script user.ld (docs/isa.md §10), from the runtime
 *     directory (below);
 *   - the include path of lde.h and the contract headers (lde/abi.h, ...).
 * With -c, -S or -E nothing is linked, so `CC = lde cc` works in a
 * Makefile. `--print-flags` prints the command instead of running it.
 *
 * The runtime directory (share/lde) is found from lde's own path
 * (/proc/self/exe): <bindir>/LDE_CC_DATA_REL after `cmake --install`, or
 * <build>/share/lde in the build tree, where lde itself is <build>/lde.
 * lde then becomes gcc (execvp), so gcc's messages and exit status are
 * the command's.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#ifndef LDE_CC_DATA_REL
#define LDE_CC_DATA_REL "../share/lde" /* from bindir, as GNUInstallDirs */
#endif

/* As a shell reports a command it cannot find or cannot execute. */
#define CC_EXIT_NO_COMPILER 127
#define CC_EXIT_CANNOT_EXEC 126
#define CC_EXIT_NO_RUNTIME 1

/* The compiler, unless LDE_CROSS_CC names another. */
#define CC_DEFAULT_GCC "riscv64-unknown-elf-gcc"

/* Before the user's arguments. */
static const char *const cc_arch[] = {"-march=rv32im", "-misa-spec=2.2",
                                      "-mabi=ilp32", "--specs=picolibc.specs"};
static const char *const cc_defaults[] = {"-g", "-Og", "-Wall", "-Wextra"};

/* After them, when linking: our crt0 and link script instead of
 * picolibc's, a static image with 4 KiB pages (segments on page
 * boundaries, as user.ld lays them out). */
static const char *const cc_link[] = {"-nostartfiles", "-static",
                                      "-Wl,-z,max-page-size=4096"};

/* The runtime, as objects: linked as objects, not an archive, so that our
 * sbrk wins over the one inside libc.a. */
static const char *const cc_runtime[] = {"crt0.o", "lde.o", "posix.o",
                                         "process.o", "stdio.o"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void usage(FILE *f)
{
    fprintf(f,
            "usage: lde cc [gcc options] FILE.c... [-o PROG]\n"
            "Compile and link C programs for lde (RV32IM, picolibc, lde's "
            "runtime) with\nriscv64-unknown-elf-gcc; run them with "
            "'lde run ./PROG' (docs/programs.md).\n\n"
            "Defaults, overridden by your own options: -g -Og -Wall "
            "-Wextra (no -Werror).\n"
            "With -c, -S or -E nothing is linked (CC = lde cc in a "
            "Makefile).\n\n"
            "  --print-flags  print the gcc command instead of running "
            "it\n"
            "  -h, --help     this help\n\n"
            "environment: LDE_CROSS_CC, the compiler (default "
            "%s).\n"
            "exit status: gcc's; %d if the compiler is not found, %d if "
            "lde's runtime is missing.\n",
            CC_DEFAULT_GCC, CC_EXIT_NO_COMPILER, CC_EXIT_NO_RUNTIME);
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The runtime directory, or "" (with the places looked at in `looked`). */
static int find_runtime(char *dir, size_t len, char *looked, size_t looklen)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        snprintf(looked, looklen, "/proc/self/exe: %s", strerror(errno));
        return -1;
    }
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash != NULL)
        *slash = '\0';
    static const char *const rel[] = {LDE_CC_DATA_REL, "share/lde"};
    looked[0] = '\0';
    for (size_t i = 0; i < NELEM(rel); i++) {
        char ld[PATH_MAX];
        int w = snprintf(dir, len, "%s/%s", exe, rel[i]);
        if (w > 0 && (size_t)w < len &&
            (size_t)snprintf(ld, sizeof ld, "%s/user.ld", dir) < sizeof ld &&
            is_file(ld)) {
            /* bin/../share/lde -> share/lde, for --print-flags */
            char real[PATH_MAX];
            if (realpath(dir, real) != NULL && strlen(real) < len)
                strcpy(dir, real);
            return 0;
        }
        size_t at = strlen(looked);
        snprintf(looked + at, looklen - at, "%s%s", at ? ", " : "", dir);
    }
    dir[0] = '\0';
    return -1;
}

/* Does this command only compile (or preprocess), without a link? */
static bool compile_only(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "-S") == 0 ||
            strcmp(argv[i], "-E") == 0 || strcmp(argv[i], "-M") == 0 ||
            strcmp(argv[i], "-MM") == 0 ||
            strcmp(argv[i], "-fsyntax-only") == 0)
            return true;
    return false;
}

/* A word as a POSIX shell reads it back. */
static void put_quoted(FILE *f, const char *w)
{
    if (w[0] != '\0' && strspn(w, "abcdefghijklmnopqrstuvwxyz"
                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789-_=+,./:@%") == strlen(w)) {
        fputs(w, f);
        return;
    }
    fputc('\'', f);
    for (; *w; w++) {
        if (*w == '\'')
            fputs("'\\''", f);
        else
            fputc(*w, f);
    }
    fputc('\'', f);
}

struct cmd {
    char **argv;
    int n, cap;
};

static int add(struct cmd *c, const char *w)
{
    if (c->n + 2 > c->cap) {
        int cap = c->cap ? c->cap * 2 : 64;
        char **nv = realloc(c->argv, (size_t)cap * sizeof *nv);
        if (nv == NULL)
            return -1;
        c->argv = nv;
        c->cap = cap;
    }
    char *copy = strdup(w);
    if (copy == NULL)
        return -1;
    c->argv[c->n++] = copy;
    c->argv[c->n] = NULL;
    return 0;
}

static int addf(struct cmd *c, const char *a, const char *b)
{
    char w[PATH_MAX + 64];
    snprintf(w, sizeof w, "%s%s", a, b);
    return add(c, w);
}

static void cmd_free(struct cmd *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->argv[i]);
    free(c->argv);
}

/* gcc's argv: the defaults, the user's words (argv[1..], without ours),
 * then the link inputs. */
static int build(struct cmd *c, const char *gcc, const char *rt, int argc,
                 char **argv)
{
    int rc = add(c, gcc);
    for (size_t i = 0; i < NELEM(cc_arch); i++)
        rc |= add(c, cc_arch[i]);
    for (size_t i = 0; i < NELEM(cc_defaults); i++)
        rc |= add(c, cc_defaults[i]);
    /* lde.h, and the contract headers as "lde/abi.h", ... */
    char inc[PATH_MAX + 16];
    snprintf(inc, sizeof inc, "%s/include", rt);
    rc |= addf(c, "-I", inc);
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--print-flags") != 0)
            rc |= add(c, argv[i]);
    if (!compile_only(argc, argv)) {
        for (size_t i = 0; i < NELEM(cc_link); i++)
            rc |= add(c, cc_link[i]);
        char path[PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/user.ld", rt);
        rc |= add(c, "-T");
        rc |= add(c, path);
        for (size_t i = 0; i < NELEM(cc_runtime); i++) {
            snprintf(path, sizeof path, "%s/lib/%s", rt, cc_runtime[i]);
            rc |= add(c, path);
        }
    }
    return rc ? -1 : 0;
}

int cc_main(int argc, char **argv)
{
    bool print = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--print-flags") == 0)
            print = true;
        else if (i == 1 && (strcmp(argv[i], "-h") == 0 ||
                            strcmp(argv[i], "--help") == 0)) {
            usage(stdout);
            return 0;
        }
    }
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    char rt[PATH_MAX], looked[2 * PATH_MAX + 64];
    if (find_runtime(rt, sizeof rt, looked, sizeof looked) != 0) {
        fprintf(stderr,
                "lde: cc: lde's runtime is missing (looked in %s): rebuild "
                "or reinstall lde\n",
                looked);
        return CC_EXIT_NO_RUNTIME;
    }
    const char *gcc = getenv("LDE_CROSS_CC");
    if (gcc == NULL || gcc[0] == '\0')
        gcc = CC_DEFAULT_GCC;

    struct cmd c = {0};
    if (build(&c, gcc, rt, argc, argv) != 0) {
        cmd_free(&c);
        fprintf(stderr, "lde: cc: out of memory\n");
        return 1;
    }
    if (print) {
        for (int i = 0; i < c.n; i++) {
            if (i)
                putchar(' ');
            put_quoted(stdout, c.argv[i]);
        }
        putchar('\n');
        cmd_free(&c);
        return fflush(stdout) == 0 ? 0 : 1;
    }
    fflush(NULL);
    execvp(c.argv[0], c.argv);
    int e = errno;
    if (e == ENOENT)
        fprintf(stderr,
                "lde: cc: %s not found: install it (Debian/Ubuntu: apt-get "
                "install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf)"
                " or name it in LDE_CROSS_CC\n",
                c.argv[0]);
    else
        fprintf(stderr, "lde: cc: cannot run %s: %s\n", c.argv[0], strerror(e));
    cmd_free(&c);
    return e == ENOENT ? CC_EXIT_NO_COMPILER : CC_EXIT_CANNOT_EXEC;
}
