/*
 * elf_file.c: read an ELF file and check its headers (see elf_file.h).
 *
 * The identification bytes are checked by hand first, so that the common
 * mistakes (not an ELF file, ELF64, big-endian) get a precise message and
 * libelf only ever sees native-order ELF32 data, which it never rewrites.
 * libelf then reads the ELF and program headers; every offset and size it
 * hands back is checked here in 64-bit arithmetic before it is used.
 */
#include "elf_file.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lde/abi.h" /* not -I src/kernel: its headers may shadow system ones */
#include "lde/machine.h"
#include "loader_error.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif
#ifndef EF_RISCV_RVC /* RISC-V psABI, "ELF Object Files: File Header" */
#define EF_RISCV_RVC 0x0001
#define EF_RISCV_FLOAT_ABI 0x0006
#define EF_RISCV_FLOAT_ABI_SINGLE 0x0002
#define EF_RISCV_FLOAT_ABI_DOUBLE 0x0004
#endif

/* How to build a program lde can run: the end of every "cannot run" line. */
#define REBUILD "rebuild with -march=rv32im -mabi=ilp32 (as 'lde cc' does)"

static const char *machine_name(unsigned m)
{
    switch (m) {
    case EM_386: return "x86";
    case EM_ARM: return "ARM";
    case EM_X86_64: return "x86-64";
    case EM_AARCH64: return "AArch64";
    case EM_MIPS: return "MIPS";
    case EM_PPC: return "PowerPC";
    default: return NULL;
    }
}

static const char *type_name(unsigned t)
{
    switch (t) {
    case ET_NONE: return "ET_NONE";
    case ET_REL: return "a relocatable object (ET_REL)";
    case ET_DYN: return "a shared object or PIE (ET_DYN)";
    case ET_CORE: return "a core dump (ET_CORE)";
    default: return NULL;
    }
}

/* e_ident: magic, class, byte order, version, on the raw bytes. */
static int check_ident(const char *name, const unsigned char *b, size_t size,
                       char *err, size_t errlen)
{
    if (size < SELFMAG || memcmp(b, ELFMAG, SELFMAG) != 0)
        return loader_error(err, errlen, name, "not an ELF file");
    if (size < EI_NIDENT)
        return loader_error(err, errlen, name,
                            "truncated ELF header (%zu bytes)", size);
    /* e_machine sits at byte 18 in both classes. */
    if (b[EI_CLASS] == ELFCLASS64 && size >= 20 && b[EI_DATA] == ELFDATA2LSB &&
        (b[18] | b[19] << 8) == EM_RISCV)
        return loader_error(err, errlen, name,
                            "an RV64 program (ELF64), and lde runs RV32: "
                            "%s",
                            REBUILD);
    if (b[EI_CLASS] == ELFCLASS64)
        return loader_error(err, errlen, name, "ELF64, expected ELF32 RISC-V");
    if (b[EI_CLASS] != ELFCLASS32)
        return loader_error(err, errlen, name,
                            "bad ELF class %u, expected ELF32 RISC-V",
                            b[EI_CLASS]);
    if (b[EI_DATA] == ELFDATA2MSB)
        return loader_error(err, errlen, name,
                            "big-endian, expected little-endian RISC-V");
    if (b[EI_DATA] != ELFDATA2LSB)
        return loader_error(err, errlen, name, "bad ELF byte order %u",
                            b[EI_DATA]);
    if (b[EI_VERSION] != EV_CURRENT)
        return loader_error(err, errlen, name, "bad ELF version %u",
                            b[EI_VERSION]);
    if (size < sizeof(Elf32_Ehdr))
        return loader_error(err, errlen, name,
                            "truncated ELF header (%zu of %zu bytes)", size,
                            sizeof(Elf32_Ehdr));
    return 0;
}

static int check_ehdr(const struct elf_file *ef, const Elf32_Ehdr *eh,
                      char *err, size_t errlen)
{
    const char *name = ef->name;
    if (eh->e_machine != EM_RISCV) {
        const char *m = machine_name(eh->e_machine);
        if (m != NULL)
            return loader_error(err, errlen, name,
                                "%s executable, expected RISC-V", m);
        return loader_error(err, errlen, name,
                            "machine %u, expected RISC-V (%u)", eh->e_machine,
                            EM_RISCV);
    }
    if (eh->e_type != ET_EXEC) {
        const char *t = type_name(eh->e_type);
        if (t != NULL)
            return loader_error(err, errlen, name,
                                "%s, expected an executable (ET_EXEC)", t);
        return loader_error(err, errlen, name,
                            "ELF type %u, expected an executable (ET_EXEC)",
                            eh->e_type);
    }
    if (eh->e_version != EV_CURRENT)
        return loader_error(err, errlen, name,
                            "bad ELF version %u in the header (e_version), "
                            "expected 1",
                            eh->e_version);
    if (eh->e_phnum == 0)
        return loader_error(err, errlen, name, "no program headers");
    if (eh->e_phnum > ELF_MAX_SEGS)
        return loader_error(err, errlen, name,
                            "too many program headers (%u, at most %u)",
                            eh->e_phnum, ELF_MAX_SEGS);
    if (eh->e_phentsize != sizeof(Elf32_Phdr))
        return loader_error(err, errlen, name,
                            "program header size %u, expected %zu",
                            eh->e_phentsize, sizeof(Elf32_Phdr));
    uint64_t end =
        (uint64_t)eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr);
    if (end > ef->size)
        return loader_error(err, errlen, name,
                            "program headers at offset 0x%x run past the "
                            "end of the file (%zu bytes)",
                            eh->e_phoff, ef->size);
    return 0;
}

/* Checks on one program header that hold whatever the file is for. */
static int check_seg(const struct elf_file *ef, const struct elf_seg *s,
                     char *err, size_t errlen)
{
    const char *name = ef->name;
    if (s->type == PT_INTERP)
        return loader_error(err, errlen, name,
                            "dynamically linked (PT_INTERP), expected a "
                            "static executable");
    if (s->type == PT_DYNAMIC)
        return loader_error(err, errlen, name,
                            "dynamically linked (PT_DYNAMIC), expected a "
                            "static executable");
    if ((uint64_t)s->offset + s->filesz > ef->size)
        return loader_error(err, errlen, name,
                            "segment %u: file bytes at offset 0x%x (0x%x "
                            "bytes) run past the end of the file (%zu "
                            "bytes)",
                            s->index, s->offset, s->filesz, ef->size);
    if (s->type != PT_LOAD)
        return 0;
    if (s->filesz > s->memsz)
        return loader_error(err, errlen, name,
                            "segment %u: file size 0x%x is larger than its "
                            "memory size 0x%x",
                            s->index, s->filesz, s->memsz);
    if ((uint64_t)s->vaddr + s->memsz > UINT64_C(0x100000000))
        return loader_error(err, errlen, name,
                            "segment %u at 0x%x: size 0x%x wraps around the "
                            "address space",
                            s->index, s->vaddr, s->memsz);
    if ((uint64_t)s->paddr + s->memsz > UINT64_C(0x100000000))
        return loader_error(err, errlen, name,
                            "segment %u at physical 0x%x: size 0x%x wraps "
                            "around the address space",
                            s->index, s->paddr, s->memsz);
    return 0;
}

/* Two PT_LOADs must not share a byte: the later copy would overwrite (or
 * its bss would clear) the earlier one. A program is checked by virtual
 * address; a kernel, loaded by physical address, by physical address too
 * (phys), whatever its virtual addresses. */
static int check_overlap(const struct elf_file *ef, bool phys, char *err,
                         size_t errlen)
{
    for (uint32_t i = 0; i < ef->nsegs; i++) {
        const struct elf_seg *a = &ef->segs[i];
        if (a->type != PT_LOAD || a->memsz == 0)
            continue;
        for (uint32_t j = i + 1; j < ef->nsegs; j++) {
            const struct elf_seg *b = &ef->segs[j];
            if (b->type != PT_LOAD || b->memsz == 0)
                continue;
            uint64_t a0 = phys ? a->paddr : a->vaddr, a1 = a0 + a->memsz;
            uint64_t b0 = phys ? b->paddr : b->vaddr, b1 = b0 + b->memsz;
            if (a0 < b1 && b0 < a1)
                return loader_error(
                    err, errlen, ef->name, "segments %u and %u overlap%s",
                    a->index, b->index, phys ? " in physical memory" : "");
        }
    }
    return 0;
}

static int read_headers(struct elf_file *ef, char *err, size_t errlen)
{
    static bool version_set;
    if (!version_set) {
        if (elf_version(EV_CURRENT) == EV_NONE)
            return loader_error(err, errlen, ef->name, "libelf is out of date");
        version_set = true;
    }
    /* elf_memory() takes char *, but reads only (ELF_C_READ): native-order
     * headers are used in place and copied when misaligned, never
     * converted or written back, and lde calls no libelf function that
     * updates a header or compresses a section. So a borrowed image
     * (elf_open_in_place) may be read-only. */
    ef->elf = elf_memory((char *)ef->data, ef->size);
    if (ef->elf == NULL || elf_kind(ef->elf) != ELF_K_ELF)
        return loader_error(err, errlen, ef->name, "not an ELF file (%s)",
                            elf_errmsg(-1));
    Elf32_Ehdr *eh = elf32_getehdr(ef->elf);
    if (eh == NULL)
        return loader_error(err, errlen, ef->name, "bad ELF header (%s)",
                            elf_errmsg(-1));
    if (check_ehdr(ef, eh, err, errlen) != 0)
        return -1;
    ef->entry = eh->e_entry;
    ef->type = eh->e_type;
    ef->flags = eh->e_flags;
    ef->nsegs = eh->e_phnum;

    /* gelf_getphdr copies: the table may sit at an unaligned offset, where
     * elf32_getphdr would hand back a misaligned pointer into the file. */
    for (uint32_t i = 0; i < ef->nsegs; i++) {
        GElf_Phdr ph;
        if (gelf_getphdr(ef->elf, (int)i, &ph) == NULL)
            return loader_error(err, errlen, ef->name,
                                "cannot read program header %u (%s)", i,
                                elf_errmsg(-1));
        struct elf_seg *s = &ef->segs[i];
        s->index = i;
        s->type = ph.p_type;
        s->flags = ph.p_flags;
        s->offset = (uint32_t)ph.p_offset;
        s->vaddr = (uint32_t)ph.p_vaddr;
        s->paddr = (uint32_t)ph.p_paddr;
        s->filesz = (uint32_t)ph.p_filesz;
        s->memsz = (uint32_t)ph.p_memsz;
        if (check_seg(ef, s, err, errlen) != 0)
            return -1;
    }
    return check_overlap(ef, false, err, errlen);
}

/* How open_bytes holds the bytes it is given. */
enum hold {
    HOLD_BORROW, /* read in place: the caller keeps them alive */
    HOLD_COPY,   /* copied, once they look like an ELF file */
    HOLD_TAKE,   /* malloc'd by the caller, freed by elf_close (or now) */
};

/* The common part of the three ways in: check, hold, read the headers. */
static struct elf_file *open_bytes(const char *name, const unsigned char *bytes,
                                   size_t size, enum hold hold, char *err,
                                   size_t errlen)
{
    unsigned char *owned = hold == HOLD_TAKE ? (unsigned char *)bytes : NULL;
    if (name == NULL)
        name = "(image)";
    if (check_ident(name, bytes, size, err, errlen) != 0) {
        free(owned);
        return NULL;
    }
    if (size > ELF_MAX_SIZE) {
        loader_error(err, errlen, name, "file too large (%zu bytes)", size);
        free(owned);
        return NULL;
    }
    if (hold == HOLD_COPY) {
        /* check_ident made sure size holds an ELF header */
        owned =
            malloc(size); /* NOLINT(clang-analyzer-optin.portability.UnixAPI) */
        if (owned != NULL)
            memcpy(owned, bytes, size);
        bytes = owned;
    }
    struct elf_file *ef = bytes != NULL ? calloc(1, sizeof *ef) : NULL;
    if (ef == NULL) {
        loader_error(err, errlen, name, "out of memory");
        free(owned);
        return NULL;
    }
    ef->owned = owned;
    ef->data = bytes;
    ef->size = size;
    ef->name = strdup(name);
    if (ef->name == NULL) {
        loader_error(err, errlen, name, "out of memory");
        elf_close(ef);
        return NULL;
    }
    if (read_headers(ef, err, errlen) != 0) {
        elf_close(ef);
        return NULL;
    }
    return ef;
}

struct elf_file *elf_open(const char *name, const void *bytes, size_t size,
                          char *err, size_t errlen)
{
    return open_bytes(name, bytes, size, HOLD_COPY, err, errlen);
}

struct elf_file *elf_open_in_place(const char *name, const void *bytes,
                                   size_t size, char *err, size_t errlen)
{
    return open_bytes(name, bytes, size, HOLD_BORROW, err, errlen);
}

void elf_close(struct elf_file *ef)
{
    if (ef == NULL)
        return;
    if (ef->elf != NULL)
        elf_end(ef->elf);
    free(ef->owned);
    free(ef->name);
    free(ef);
}

struct elf_file *elf_read_file(const char *path, const char *name, char *err,
                               size_t errlen)
{
    if (name == NULL)
        name = path;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        loader_error(err, errlen, name, "%s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        loader_error(err, errlen, name, "%s", strerror(errno));
        close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        loader_error(err, errlen, name, "is a directory");
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        loader_error(err, errlen, name, "not a regular file");
        close(fd);
        return NULL;
    }
    if ((uint64_t)st.st_size > ELF_MAX_SIZE) {
        loader_error(err, errlen, name, "file too large (%lld bytes)",
                     (long long)st.st_size);
        close(fd);
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    unsigned char *buf = malloc(size ? size : 1);
    if (buf == NULL) {
        loader_error(err, errlen, name, "out of memory");
        close(fd);
        return NULL;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            loader_error(err, errlen, name, "read error: %s", strerror(errno));
            free(buf);
            close(fd);
            return NULL;
        }
        if (n == 0)
            break; /* shrank while we read: check what we have */
        got += (size_t)n;
    }
    close(fd);
    return open_bytes(name, buf, got, HOLD_TAKE, err, errlen);
}

static const struct elf_seg *exec_seg_of(const struct elf_file *ef,
                                         uint32_t addr)
{
    for (uint32_t i = 0; i < ef->nsegs; i++) {
        const struct elf_seg *s = &ef->segs[i];
        if (s->type == PT_LOAD && (s->flags & PF_X) && addr >= s->vaddr &&
            addr - s->vaddr < s->filesz)
            return s;
    }
    return NULL;
}

static uint32_t count_loads(const struct elf_file *ef)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < ef->nsegs; i++)
        n += ef->segs[i].type == PT_LOAD;
    return n;
}

/* What the header says the code needs, against what this machine has
 * (RV32IM, no C, no F/D: docs/isa.md §3), and where it starts. */
static int check_isa(const struct elf_file *ef, char *err, size_t errlen)
{
    /* EF_RISCV_RVC: the code may hold 16-bit instructions (the C
     * extension), and relaxation may have made more of them. */
    if (ef->flags & EF_RISCV_RVC)
        return loader_error(err, errlen, ef->name,
                            "built with compressed instructions (the C "
                            "extension, as for rv32imac), which lde does not "
                            "run: %s",
                            REBUILD);
    switch (ef->flags & EF_RISCV_FLOAT_ABI) {
    case 0: break; /* soft float: integer registers only */
    case EF_RISCV_FLOAT_ABI_SINGLE:
        return loader_error(err, errlen, ef->name,
                            "built for the ilp32f float ABI, and lde has no "
                            "floating-point registers: %s",
                            REBUILD);
    case EF_RISCV_FLOAT_ABI_DOUBLE:
        return loader_error(err, errlen, ef->name,
                            "built for the ilp32d float ABI, and lde has no "
                            "floating-point registers: %s",
                            REBUILD);
    default:
        return loader_error(err, errlen, ef->name,
                            "built for the quad-precision float ABI, and lde "
                            "has no floating-point registers: %s",
                            REBUILD);
    }
    if (ef->entry & 3)
        return loader_error(err, errlen, ef->name,
                            "entry point 0x%x is not 4-byte aligned",
                            ef->entry);
    return 0;
}

int elf_check_program(const struct elf_file *ef, char *err, size_t errlen)
{
    const uint32_t low = USER_NULL_GUARD, high = LDE_USER_SIZE;
    if (check_isa(ef, err, errlen) != 0)
        return -1;
    if (count_loads(ef) == 0)
        return loader_error(err, errlen, ef->name, "no loadable segment");
    for (uint32_t i = 0; i < ef->nsegs; i++) {
        const struct elf_seg *s = &ef->segs[i];
        if (s->type != PT_LOAD)
            continue;
        if (s->vaddr < low)
            return loader_error(err, errlen, ef->name,
                                "segment %u at 0x%x is below 0x%x", s->index,
                                s->vaddr, low);
        if ((uint64_t)s->vaddr + s->memsz > high)
            return loader_error(err, errlen, ef->name,
                                "segment %u at 0x%x (0x%x bytes) ends beyond "
                                "the user address space (0x%x)",
                                s->index, s->vaddr, s->memsz, high);
    }
    if (exec_seg_of(ef, ef->entry) == NULL)
        return loader_error(err, errlen, ef->name,
                            "entry point 0x%x is not in an executable "
                            "segment",
                            ef->entry);
    return 0;
}

/* The end of the highest non-empty PT_LOAD: the kernel's initial break,
 * before rounding (src/kernel/elf.c skips empty segments too). */
static uint32_t image_end(const struct elf_file *ef)
{
    uint32_t end = 0;
    for (uint32_t i = 0; i < ef->nsegs; i++) {
        const struct elf_seg *s = &ef->segs[i];
        if (s->type == PT_LOAD && s->memsz != 0 && s->vaddr + s->memsz > end)
            end = s->vaddr + s->memsz;
    }
    return end;
}

int elf_check_args(const struct elf_file *ef, int argc, char *const *argv,
                   char *err, size_t errlen)
{
    if (argc < 0 || (unsigned)argc > LDE_ARGS_MAX)
        return loader_error(err, errlen, ef->name,
                            "too many arguments (%d, at most %u)", argc,
                            LDE_ARGS_MAX);
    uint64_t bytes = 0;
    for (int a = 0; a < argc; a++)
        bytes += strlen(argv[a]) + 1;
    if (bytes > LDE_ARG_BYTES_MAX)
        return loader_error(err, errlen, ef->name,
                            "arguments too long (%llu bytes, at most %u)",
                            (unsigned long long)bytes, LDE_ARG_BYTES_MAX);
    /* Checked above: the segments end within LDE_USER_SIZE, and bytes is
     * at most 64 KiB, so nothing below wraps. */
    uint64_t brk = ((uint64_t)image_end(ef) + LDE_USER_PAGE - 1) /
                   LDE_USER_PAGE * LDE_USER_PAGE;
    uint32_t sp =
        lde_ustack_sp(LDE_USER_SIZE - (uint32_t)bytes, (uint32_t)argc);
    if (brk + LDE_USER_STACK_ROOM > sp)
        return loader_error(err, errlen, ef->name,
                            "no room for the stack: the program's memory ends "
                            "at 0x%llx and its stack of arguments starts at "
                            "0x%x, less than %u bytes above",
                            (unsigned long long)brk, sp, LDE_USER_STACK_ROOM);
    return 0;
}

int elf_check_kernel(const struct elf_file *ef, uint32_t ram_size, char *err,
                     size_t errlen)
{
    if (check_isa(ef, err, errlen) != 0)
        return -1;
    if (count_loads(ef) == 0)
        return loader_error(err, errlen, ef->name, "no loadable segment");
    for (uint32_t i = 0; i < ef->nsegs; i++) {
        const struct elf_seg *s = &ef->segs[i];
        if (s->type != PT_LOAD)
            continue;
        if ((uint64_t)s->paddr + s->memsz > ram_size)
            return loader_error(err, errlen, ef->name,
                                "segment %u at physical 0x%x (0x%x bytes) "
                                "does not fit in RAM (0x%x bytes)",
                                s->index, s->paddr, s->memsz, ram_size);
    }
    if (check_overlap(ef, true, err, errlen) != 0)
        return -1;
    uint32_t pentry;
    if (exec_seg_of(ef, ef->entry) == NULL ||
        elf_vaddr_to_paddr(ef, ef->entry, &pentry) != 0)
        return loader_error(err, errlen, ef->name,
                            "entry point 0x%x is not in an executable "
                            "segment",
                            ef->entry);
    return 0;
}

int elf_has_code_at(const struct elf_file *ef, uint32_t addr)
{
    return exec_seg_of(ef, addr) != NULL;
}

uint32_t elf_phys_end(const struct elf_file *ef)
{
    uint32_t end = 0;
    for (uint32_t i = 0; i < ef->nsegs; i++) {
        const struct elf_seg *s = &ef->segs[i];
        if (s->type == PT_LOAD && s->paddr + s->memsz > end)
            end = s->paddr + s->memsz;
    }
    return end;
}

int elf_vaddr_to_paddr(const struct elf_file *ef, uint32_t vaddr,
                       uint32_t *paddr)
{
    for (uint32_t i = 0; i < ef->nsegs; i++) {
        const struct elf_seg *s = &ef->segs[i];
        if (s->type == PT_LOAD && vaddr >= s->vaddr &&
            vaddr - s->vaddr < s->memsz) {
            *paddr = s->paddr + (vaddr - s->vaddr);
            return 0;
        }
    }
    return -1;
}
