/*
 * disasm_vs_llvm.c: disasm() against llvm-objdump, word for word.
 *
 * usage: disasm_vs_llvm [--all-ops] LLVM_OBJDUMP FILE...
 *
 * FILE is a RISC-V ELF32 file (object or linked) or an ar archive of them.
 * For each, LLVM_OBJDUMP runs with LLVM_FLAGS below; every instruction line
 * it prints is compared with disasm() of the word at that address, read
 * from the ELF file with libelf: llvm's line, rewritten through the table
 * of known differences (known_diff.h), must be exactly disasm()'s text. Every
 * word of every executable section must be compared: a member, section or
 * word llvm left out fails the test, and so does an llvm that cannot run.
 * --all-ops: fail unless the words used every op of OP_LIST and every CSR
 * name (this is how corpus.S is held to "every instruction").
 */
#define _POSIX_C_SOURCE 200809L /* popen */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "decode.h"
#include "disasm.h"
#include "known_diff.h"

/* -z: also zero words; --mattr=+m: objects without a .riscv.attributes
 * section would otherwise decode mul/div as <unknown>. */
#define LLVM_FLAGS "-d -z --no-show-raw-insn -M no-aliases --mattr=+m"
#define MAX_REPORTS 25

/* ---- The ELF side ------------------------------------------------------ */
struct sym {
    uint32_t value;
    size_t shndx;
    const char *name;
};

struct section {
    const char *name;
    uint32_t addr, size;
    const uint8_t *bytes;
    bool exec;
    uint32_t compared; /* words compared so far */
};

struct object {
    Elf *elf;
    char label[512]; /* for messages: file or file(member) */
    size_t nsec;
    struct section *sec;
    size_t nsym;
    struct sym *sym;
};

static int load_symbols(struct object *o, Elf_Scn *scn, GElf_Shdr *sh)
{
    Elf_Data *d = elf_getdata(scn, NULL);
    size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;
    o->sym = calloc(n ? n : 1, sizeof *o->sym);
    if (!d || !o->sym)
        return -1;
    for (size_t i = 0; i < n; i++) {
        GElf_Sym s;
        if (!gelf_getsym(d, (int)i, &s))
            return -1;
        int type = GELF_ST_TYPE(s.st_info);
        /* Only symbols that name a place in a section can name a target. */
        if (type == STT_SECTION || type == STT_FILE ||
            s.st_shndx == SHN_UNDEF || s.st_shndx >= o->nsec)
            continue;
        o->sym[o->nsym++] =
            (struct sym){(uint32_t)s.st_value, s.st_shndx,
                         elf_strptr(o->elf, sh->sh_link, s.st_name)};
    }
    return 0;
}

static int load_object(struct object *o)
{
    GElf_Ehdr eh;
    size_t shstr;
    if (elf_kind(o->elf) != ELF_K_ELF || !gelf_getehdr(o->elf, &eh) ||
        eh.e_machine != EM_RISCV || gelf_getclass(o->elf) != ELFCLASS32 ||
        elf_getshdrnum(o->elf, &o->nsec) || elf_getshdrstrndx(o->elf, &shstr))
        return -1;
    o->sec = calloc(o->nsec, sizeof *o->sec);
    if (!o->sec)
        return -1;
    for (size_t i = 1; i < o->nsec; i++) {
        Elf_Scn *scn = elf_getscn(o->elf, i);
        GElf_Shdr sh;
        if (!scn || !gelf_getshdr(scn, &sh))
            return -1;
        struct section *s = &o->sec[i];
        s->name = elf_strptr(o->elf, shstr, sh.sh_name);
        s->addr = (uint32_t)sh.sh_addr;
        s->size = (uint32_t)sh.sh_size;
        s->exec = (sh.sh_flags & SHF_EXECINSTR) && sh.sh_type == SHT_PROGBITS &&
                  sh.sh_size > 0;
        if (s->exec) {
            Elf_Data *d = elf_getdata(scn, NULL);
            if (!d || d->d_size != sh.sh_size)
                return -1;
            s->bytes = d->d_buf;
        }
        if (sh.sh_type == SHT_SYMTAB && load_symbols(o, scn, &sh))
            return -1;
    }
    return 0;
}

static void free_object(struct object *o)
{
    free(o->sec);
    free(o->sym);
    o->sec = NULL;
    o->sym = NULL;
    o->nsec = o->nsym = 0;
}

/*
 * The symbolizer handed to disasm(), naming targets as llvm-objdump 14
 * does inside the instruction's own section: the symbol with the greatest
 * address <= target, and of several there the greatest name in strcmp
 * order (llvm sorts by address, then name). Mapping symbols ($x, $d) count,
 * as they do for llvm 14. Targets outside the section get no name: see
 * KD_OUTSIDE in known_diff.h.
 */
struct lookup_ctx {
    const struct object *o;
    size_t sec;
};

static const char *lookup(void *ctx, uint32_t addr, uint32_t *off)
{
    const struct lookup_ctx *c = ctx;
    const struct section *s = &c->o->sec[c->sec];
    if (addr < s->addr || addr - s->addr >= s->size)
        return NULL;
    const struct sym *best = NULL;
    for (size_t i = 0; i < c->o->nsym; i++) {
        const struct sym *y = &c->o->sym[i];
        if (y->shndx != c->sec || y->value > addr)
            continue;
        if (!best || y->value > best->value ||
            (y->value == best->value && strcmp(y->name, best->name) > 0))
            best = y;
    }
    if (!best)
        return NULL;
    *off = addr - best->value;
    return best->name;
}

/* ---- Comparison ------------------------------------------------------- */
static uint32_t word_at(const struct section *s, uint32_t off)
{
    return (uint32_t)s->bytes[off] | (uint32_t)s->bytes[off + 1] << 8 |
           (uint32_t)s->bytes[off + 2] << 16 |
           (uint32_t)s->bytes[off + 3] << 24;
}

struct totals {
    unsigned long words, same, by_rule[NKD];
    unsigned long failures;
    bool seen_op[NOPS];
    bool seen_csr[0x1000];
};

static void report(struct totals *t, const struct object *o,
                   const struct section *s, uint32_t addr, const char *what)
{
    if (++t->failures <= MAX_REPORTS)
        fprintf(stderr, "%s: %s+0x%x (0x%08x): %s\n", o->label, s->name,
                addr - s->addr, addr, what);
}

/* One llvm instruction line, already trimmed, for the word at addr. */
static void compare_word(struct totals *t, const struct object *o, size_t sec,
                         uint32_t addr, const char *llvm)
{
    struct section *s = &o->sec[sec];
    uint32_t word = word_at(s, addr - s->addr);
    struct lookup_ctx c = {o, sec};
    struct disasm_symbols syms = {&c, lookup};
    char ours[512];
    disasm(addr, word, ours, sizeof ours, &syms);

    struct insn in = decode(word);
    t->words++;
    s->compared++;
    t->seen_op[in.op] = true;
    if (op_format[in.op] == FMT_CSR || op_format[in.op] == FMT_CSRI)
        t->seen_csr[in.imm & 0xFFF] = true;

    bool outside = false;
    if (op_format[in.op] == FMT_B || op_format[in.op] == FMT_J)
        outside = addr + (uint32_t)in.imm - s->addr >= s->size;
    char want[512];
    enum kd rule = known_diff(word, outside, llvm, want, sizeof want);
    if (strcmp(ours, want) == 0) {
        if (rule == KD_NONE)
            t->same++;
        else
            t->by_rule[rule]++;
        return;
    }
    char msg[1600];
    if (rule == KD_NONE)
        snprintf(msg, sizeof msg, "word %08x: ours \"%s\", llvm \"%s\"", word,
                 ours, llvm);
    else
        snprintf(msg, sizeof msg,
                 "word %08x: ours \"%s\", llvm \"%s\" (as %s: \"%s\")", word,
                 ours, llvm, kd_name[rule], want);
    report(t, o, s, addr, msg);
}

/* ---- Walking llvm's output and the file together ----------------------- */
struct walk {
    struct totals *t;
    const char *path;
    int fd;
    Elf *file;   /* the file, or the archive */
    bool ar;     /* file is an archive: one object per member */
    bool opened; /* an object is current */
    bool done;   /* a plain ELF file's one object was used */
    struct object obj;
    size_t sec; /* current section, 0 = none yet */
    unsigned long halfsteps;
};

static int fail(struct walk *w, const char *what, const char *detail)
{
    if (++w->t->failures <= MAX_REPORTS)
        fprintf(stderr, "%s: %s%s%s\n", w->opened ? w->obj.label : w->path,
                what, detail ? ": " : "", detail ? detail : "");
    return -1;
}

/* Every word of every executable section must have been compared. */
static int finish_object(struct walk *w)
{
    int rc = 0;
    if (!w->opened)
        return 0;
    for (size_t i = 1; i < w->obj.nsec; i++) {
        const struct section *s = &w->obj.sec[i];
        if (!s->exec)
            continue;
        char msg[160];
        if (s->size % 4)
            snprintf(msg, sizeof msg, "%s: size %u is not whole words", s->name,
                     (unsigned)s->size);
        else if (s->compared != s->size / 4)
            snprintf(msg, sizeof msg, "%s: %u of %u words compared", s->name,
                     (unsigned)s->compared, (unsigned)(s->size / 4));
        else
            continue;
        rc = fail(w, "llvm left words out", msg);
    }
    free_object(&w->obj);
    if (w->ar) {
        elf_next(w->obj.elf);
        elf_end(w->obj.elf);
    }
    w->opened = false;
    return rc;
}

/* The archive's next ELF member, past its symbol table ("/") and long
 * name table ("//"), which libelf hands out as members too. */
static Elf *next_member(struct walk *w)
{
    Elf *m;
    while ((m = elf_begin(w->fd, ELF_C_READ, w->file)) != NULL) {
        if (elf_kind(m) == ELF_K_ELF)
            return m;
        elf_next(m);
        elf_end(m);
    }
    return NULL;
}

/* llvm starts an object: "path:\tfile format ..." or "path(member):...". */
static int start_object(struct walk *w, char *line)
{
    if (finish_object(w))
        return -1;
    char *end = strstr(line, ":\tfile format ");
    *end = '\0';
    const char *member = NULL;
    if (w->ar) {
        char *open = strrchr(line, '(');
        if (!open || end[-1] != ')')
            return fail(w, "no member name in", line);
        end[-1] = '\0';
        member = open + 1;
        Elf *m = next_member(w);
        Elf_Arhdr *h = m ? elf_getarhdr(m) : NULL;
        if (!h || strcmp(h->ar_name, member) != 0) {
            if (m)
                elf_end(m);
            return fail(w, "llvm's next member is not the archive's", member);
        }
        w->obj.elf = m;
        snprintf(w->obj.label, sizeof w->obj.label, "%s(%s)", w->path, member);
    } else {
        if (w->done)
            return fail(w, "llvm printed a second object", line);
        w->done = true;
        w->obj.elf = w->file;
        snprintf(w->obj.label, sizeof w->obj.label, "%s", w->path);
    }
    w->opened = true;
    w->sec = 0;
    if (load_object(&w->obj))
        return fail(w, "not a readable RISC-V ELF32 object", elf_errmsg(-1));
    return 0;
}

/* "Disassembly of section NAME:": the next executable section so named. */
static int start_section(struct walk *w, const char *name)
{
    if (!w->opened)
        return fail(w, "section before any object", name);
    for (size_t i = w->sec + 1; i < w->obj.nsec; i++)
        if (w->obj.sec[i].exec && strcmp(w->obj.sec[i].name, name) == 0) {
            w->sec = i;
            return 0;
        }
    return fail(w, "llvm disassembles an unexpected section", name);
}

/* "  addr:  \tmnemonic\toperands" */
static int instruction_line(struct walk *w, uint32_t addr, char *text)
{
    if (!w->opened || w->sec == 0)
        return fail(w, "instruction outside a section", text);
    /* Trim, and make llvm's tab after the mnemonic one space. */
    text += strspn(text, " \t");
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        text[--n] = '\0';
    char *tab = strchr(text, '\t');
    if (tab)
        *tab = ' ';

    const struct section *s = &w->obj.sec[w->sec];
    uint32_t off = addr - s->addr;
    if (off >= s->size || s->size - off < 2)
        return fail(w, "llvm address outside its section", text);
    if (off % 4 == 0 && s->size - off >= 4) {
        compare_word(w->t, &w->obj, w->sec, addr, text);
        return 0;
    }
    /* The upper half of a word llvm took as 16 bits long (known_diff.h). */
    uint32_t word = off % 4 == 2 ? word_at(s, off - 2) : 0;
    if (off % 4 == 2 && strcmp(text, "<unknown>") == 0 && (word & 3) != 3 &&
        decode(word).op == OP_ILLEGAL) {
        w->halfsteps++;
        return 0;
    }
    return fail(w, "llvm is out of step with the words", text);
}

static int parse_line(struct walk *w, char *line)
{
    line[strcspn(line, "\n")] = '\0';
    if (line[strspn(line, " \t")] == '\0')
        return 0;
    if (strstr(line, ":\tfile format "))
        return start_object(w, line);
    const char *dis = "Disassembly of section ";
    if (strncmp(line, dis, strlen(dis)) == 0) {
        char *name = line + strlen(dis);
        size_t n = strlen(name);
        if (n == 0 || name[n - 1] != ':')
            return fail(w, "unexpected line from llvm-objdump", line);
        name[n - 1] = '\0';
        return start_section(w, name);
    }
    char *p = line + strspn(line, " ");
    char *end;
    unsigned long addr = strtoul(p, &end, 16);
    if (end != p && *end == ':')
        return instruction_line(w, (uint32_t)addr, end + 1);
    if (end != p && strncmp(end, " <", 2) == 0) /* a label: "80000000 <f>:" */
        return 0;
    return fail(w, "unexpected line from llvm-objdump", line);
}

static int run_file(struct totals *t, const char *objdump, const char *path)
{
    struct walk w = {.t = t, .path = path};
    if (strchr(objdump, '\'') || strchr(path, '\''))
        return fail(&w, "quote in a path", NULL);
    w.fd = open(path, O_RDONLY);
    if (w.fd < 0)
        return fail(&w, "cannot open (was it built? see CMakeLists.txt)", NULL);
    w.file = elf_begin(w.fd, ELF_C_READ, NULL);
    w.ar = w.file && elf_kind(w.file) == ELF_K_AR;

    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' %s '%s'", objdump, LLVM_FLAGS, path);
    FILE *p = popen(cmd, "r");
    unsigned long before = t->words, bad = t->failures;
    if (p) {
        char line[4096];
        while (fgets(line, sizeof line, p))
            parse_line(&w, line);
        int status = pclose(p);
        if (status != 0) {
            snprintf(line, sizeof line,
                     "'%s' exited with status %d (is "
                     "llvm-objdump installed? scripts/deps.sh)",
                     objdump, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            fail(&w, line, NULL);
        }
    } else {
        fail(&w, "cannot run", cmd);
    }
    finish_object(&w);
    if (w.ar) {
        Elf *extra = next_member(&w);
        if (extra) {
            Elf_Arhdr *h = elf_getarhdr(extra);
            fail(&w, "llvm skipped member", h ? h->ar_name : "?");
            elf_end(extra);
        }
    }
    if (t->words == before)
        fail(&w, "no instruction compared", NULL);
    elf_end(w.file);
    close(w.fd);
    printf("%s: %lu words compared, %lu failures, %lu llvm half-word "
           "steps\n",
           path, t->words - before, t->failures - bad, w.halfsteps);
    return 0;
}

/* --all-ops: the corpus must use every op and every CSR name. */
static void check_coverage(struct totals *t)
{
    for (int op = 0; op < NOPS; op++)
        if (!t->seen_op[op]) {
            fprintf(stderr, "corpus: no %s\n", op_mnemonic[op]);
            t->failures++;
        }
    for (uint32_t csr = 0; csr < 0x1000; csr++)
        if (disasm_csr_name(csr) && !t->seen_csr[csr]) {
            fprintf(stderr, "corpus: no CSR %s\n", disasm_csr_name(csr));
            t->failures++;
        }
}

int main(int argc, char **argv)
{
    bool all_ops = argc > 1 && strcmp(argv[1], "--all-ops") == 0;
    int first = all_ops ? 2 : 1;
    if (argc - first < 2) {
        fprintf(stderr, "usage: disasm_vs_llvm [--all-ops] LLVM_OBJDUMP "
                        "FILE...\n");
        return 2;
    }
    if (elf_version(EV_CURRENT) == EV_NONE || known_diff_check())
        return 1;
    static struct totals t;
    for (int i = first + 1; i < argc; i++)
        run_file(&t, argv[first], argv[i]);
    if (all_ops && t.words > 0) /* else the failure is already said */
        check_coverage(&t);

    printf("%lu words: %lu identical", t.words, t.same);
    for (int k = 1; k < NKD; k++)
        printf(", %s %lu", kd_name[k], t.by_rule[k]);
    printf("\n");
    if (t.failures) {
        fprintf(stderr, "disasm_vs_llvm: %lu failures%s\n", t.failures,
                t.failures > MAX_REPORTS ? " (first ones shown)" : "");
        return 1;
    }
    return 0;
}
