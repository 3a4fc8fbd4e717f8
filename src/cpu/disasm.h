/*
 * disasm.h: one instruction word as assembler text, and register and CSR
 * names both ways for the debugger.
 *
 * The text is that of `llvm-objdump -d -M no-aliases` (tests/disasm checks
 * it word for word against it): the mnemonic from decode.h's OP_LIST, one
 * space, then the operands separated by ", ", with ABI register names and
 * decimal immediates:
 *
 *     addi a0, zero, 1          lw a0, -4(sp)          lui a0, 74565
 *     jal ra, 0x10074 <main+0x8>                       csrrs a0, cycle, zero
 *     fence rw, w               csrrw zero, status, a0  rti
 *     .word 0xffffffff          (anything decode() calls illegal)
 *
 * Our own names where llvm has none: the LDE CSRs (status ttr ksp ubase
 * ubound), other CSRs without a name in hex, and `rti` for 0x30200073.
 * No I/O here: the caller prints the buffer.
 */
#ifndef LDE_DISASM_H
#define LDE_DISASM_H

#include <stddef.h>
#include <stdint.h>

/* Optional symbolizer for branch and jal targets. */
struct disasm_symbols {
    void *ctx;
    /* The symbol addr belongs to, with *offset = addr - its start; NULL if
     * none. The name is printed as "<name>" or "<name+0xoff>". */
    const char *(*lookup)(void *ctx, uint32_t addr, uint32_t *offset);
};

/* A buffer this large holds any instruction unless a symbol name is long. */
#define DISASM_BUF 96

/*
 * Format the instruction `word` fetched at `pc` into buf (always
 * NUL-terminated when len > 0). Returns the length of the whole text, as
 * snprintf does: a value >= len means it was cut short. syms may be NULL.
 */
int disasm(uint32_t pc, uint32_t word, char *buf, size_t len,
           const struct disasm_symbols *syms);

/* "zero", "ra", ... "t6"; NULL if n > 31. */
const char *disasm_reg_name(unsigned n);
/* "cycle", "status", ...; NULL for a CSR the machine does not name. */
const char *disasm_csr_name(uint32_t csr);

/* Register number for x0..x31, an ABI name or "fp" (case ignored); -1 if
 * the name is none of these. */
int disasm_reg_number(const char *name);
/* CSR number for a name disasm_csr_name() gives (case ignored) or a number
 * 0..0xfff written in decimal or 0x-hex; -1 otherwise. */
int disasm_csr_number(const char *name);

#endif /* LDE_DISASM_H */
