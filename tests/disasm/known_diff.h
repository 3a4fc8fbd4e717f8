/*
 * known_diff.h: the known differences between disasm() and llvm-objdump 14
 * (`-d -M no-aliases`), each tied to the words it applies to. The test
 * rewrites llvm's line through this table and then wants disasm()'s text
 * to be exactly the result; any other difference is a failure.
 *
 * Besides these, two things are not differences of text: llvm writes a tab
 * after the mnemonic (and after a lone mnemonic), which disasm_vs_llvm
 * reads as one space; and after a word it cannot decode whose bits 1:0 are
 * not 11, llvm steps 2 bytes (a 16-bit length) and prints a second
 * "<unknown>" for the upper half, which must be an illegal word of ours.
 */
#ifndef LDE_KNOWN_DIFF_H
#define LDE_KNOWN_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kd {
    KD_NONE,           /* none: llvm's text must be ours as it is */
    KD_RTI,            /* 0x30200073: llvm "mret", ours "rti" */
    KD_ILLEGAL,        /* llvm "<unknown>", ours ".word 0x%08x" */
    KD_LLVM_ONLY,      /* an instruction llvm knows and our machine does not
                          (llvm_only[] in known_diff.c, and shifts by 32..63
                          that llvm 14 wrongly takes on RV32): ours ".word" */
    KD_FENCE_RESERVED, /* fence/fence.i with reserved fields set: llvm
                          "<unknown>", ours the fence it runs as (fm, rd,
                          rs1 and fence.i's immediate not shown) */
    KD_FENCE_EMPTY,    /* empty fence set: llvm 14 "unknown", ours "0" */
    KD_CSR_OURS,       /* our custom CSRs: llvm the decimal number, ours
                          the name (llvm_csr_numbers[] in known_diff.c) */
    KD_CSR_HEX,        /* CSRs no one names: llvm decimal, ours 0x-hex */
    KD_OUTSIDE,        /* a branch or jal target outside the instruction's
                          section: llvm 14 still names it after some other
                          symbol (e.g. <corpus.o+0x7ff00030>, the file
                          symbol); the test's symbolizer names none */
    NKD
};

extern const char *const kd_name[NKD];

/*
 * llvm's text for word, rewritten through the table into the text disasm()
 * must give, in want. target_outside: the word is a branch or jal whose
 * target lies outside its section. Returns the entry used, or KD_NONE when
 * llvm's text stands as it is. The rewriting is mandatory: where llvm 14
 * prints "mret", ours must be "rti", not "mret".
 */
enum kd known_diff(uint32_t word, bool target_outside, const char *llvm,
                   char *want, size_t len);

/* Check the tables against disasm's CSR names; 0 if they agree, else -1
 * after a message on stderr (the table must follow lde/machine.h). */
int known_diff_check(void);

#endif /* LDE_KNOWN_DIFF_H */
