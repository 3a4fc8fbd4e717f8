/*
 * corpus.S: every instruction of OP_LIST (decode.h), with registers from
 * x0 to x31 and immediates at both ends of their ranges, every CSR form on
 * every CSR the machine names and on unnamed numbers, the fence variants,
 * and words that must print as .word. disasm_vs_llvm --all-ops checks that
 * nothing in OP_LIST is missing here.
 *
 * Linked at 0x80000000 (CMakeLists.txt) so that branches to the most
 * negative offsets do not wrap around address 0.
 */
#include "lde/machine.h"

    .option norelax
    .text
    .globl _start
_start:
/* ---- U and J formats ---------------------------------------------------- */
    lui     zero, 0
    lui     ra, 1
    lui     sp, 0x80000
    lui     t6, 0xfffff
    lui     a0, 0x12345
    auipc   gp, 0
    auipc   tp, 0x7ffff
    auipc   s11, 0xfffff
    jal     ra, target_a
    jal     zero, _start
    jal     t6, target_a + 8
    jal     ra, . + 0xffffe         /* largest forward offset */
    jal     zero, . - 0x100000      /* most negative offset */
    jal     a0, .
    jalr    zero, 0(ra)
    jalr    ra, -2048(t0)
    jalr    t6, 2047(x31)
    jalr    s0, -1(s1)

/* ---- Branches: every condition, both ends of the 13-bit offset --------- */
    beq     a0, a1, target_a
    beq     zero, zero, . + 4094
    bne     t0, t1, . - 4096
    bne     x31, x30, _start
    blt     s2, s3, target_a + 4
    blt     a7, zero, .
    bge     s4, s5, target_b
    bge     zero, t6, . - 2
    bltu    a2, a3, target_b
    bltu    s10, s11, . + 2
    bgeu    tp, gp, _start
    bgeu    sp, ra, . + 2048
target_a:
/* ---- Loads and stores -------------------------------------------------- */
    lb      a0, 0(sp)
    lb      t6, -2048(zero)
    lh      s0, 2047(s1)
    lh      ra, -1(t2)
    lw      a5, 4(sp)
    lw      x31, -4(x31)
    lbu     a4, 2047(a3)
    lbu     zero, 1(a0)
    lhu     t3, -2048(t4)
    lhu     s8, 16(s9)
    sb      a0, 0(sp)
    sb      zero, -2048(t6)
    sh      s10, 2047(s11)
    sh      ra, -1(gp)
    sw      t5, 8(tp)
    sw      x31, -4(x30)

/* ---- Register-immediate ----------------------------------------------- */
    addi    zero, zero, 0
    addi    a0, a0, -2048
    addi    t6, x31, 2047
    addi    sp, sp, -16
    slti    s0, s1, -1
    slti    a6, a7, 2047
    sltiu   t0, t1, -2048
    sltiu   s2, s3, 1
    xori    s4, s5, -1
    xori    s6, s7, 1365
    ori     s8, s9, -2048
    ori     a1, a2, 0
    andi    a3, a4, 255
    andi    t2, t3, -256
    slli    a0, a1, 0
    slli    t4, t5, 31
    srli    s10, s11, 1
    srli    ra, sp, 31
    srai    gp, tp, 0
    srai    x31, x31, 31
target_b:
/* ---- Register-register, M extension ----------------------------------- */
    add     a0, a1, a2
    add     zero, x31, x30
    sub     t0, zero, t1
    sub     s11, s10, s9
    sll     a3, a4, a5
    slt     a6, a7, s2
    sltu    s3, zero, s4
    xor     s5, s6, s7
    srl     s8, t3, t4
    sra     t5, t6, ra
    or      sp, gp, tp
    and     s0, s1, a0
    mul     a0, a1, a2
    mul     x31, zero, x31
    mulh    t0, t1, t2
    mulhsu  s0, s1, s2
    mulhu   a3, a4, a5
    div     a6, a7, s3
    divu    s4, s5, s6
    rem     s7, s8, s9
    remu    t6, s11, gp

/* ---- Fences ------------------------------------------------------------ */
    fence
    fence   iorw, iorw
    fence   rw, rw
    fence   r, w
    fence   w, r
    fence   i, o
    fence   io, rw
    fence   ow, ir
    fence.tso
    fence.i
    .word   0x0000000f              /* fence 0, 0 (empty sets) */
    .word   0x0f00000f              /* fence iorw, 0 */
    .word   0x0030000f              /* fence 0, rw */

/* ---- System: traps, our privileged instructions, CSRs ------------------ */
    ecall
    ebreak
    mret                            /* rti on this machine */
    wfi
    csrrs   a0, cycle, zero
    csrrs   a1, cycleh, zero
    csrrs   a2, instret, zero
    csrrs   a3, instreth, zero
    csrrc   t6, cycle, x31
    csrrw   zero, CSR_STATUS, a0
    csrrs   t0, CSR_STATUS, t1
    csrrc   zero, CSR_STATUS, s0
    csrrwi  zero, CSR_STATUS, 31
    csrrsi  a0, CSR_STATUS, 2
    csrrci  ra, CSR_STATUS, 0
    csrrw   s1, CSR_TTR, s2
    csrrsi  zero, CSR_TTR, 1
    csrrw   zero, CSR_KSP, sp
    csrrc   sp, CSR_KSP, zero
    csrrw   a4, CSR_UBASE, a5
    csrrci  zero, CSR_UBASE, 16
    csrrs   a6, CSR_UBOUND, zero
    csrrwi  a7, CSR_UBOUND, 7
    csrrw   t0, 0x123, t1           /* numbers no one names: hex */
    csrrs   zero, 0x7bf, zero
    csrrc   s3, 0x7c5, s4
    csrrwi  s5, 0x7ff, 31
    csrrsi  s6, 0x800, 0
    csrrci  x31, 0xfff, 17

/* ---- Words that are not instructions of this machine: .word ----------- *
 * Each has low bits 11 or a zero upper half, so llvm (which steps 2 bytes
 * past a word it cannot decode unless bits 1:0 are 11) stays in step.    */
    .word   0xffffffff
    .word   0x00000000
    .word   0x00004501              /* a compressed encoding */
    .word   0x0000005b              /* custom-2 opcode */
    .word   0x00004067              /* jalr with funct3 4 */
    .word   0x00002063              /* branch funct3 2 */
    .word   0x0000b503              /* ld (RV64) */
    .word   0x00a13023              /* sd (RV64) */
    .word   0x0015051b              /* addiw (RV64) */
    .word   0x04b50533              /* OP with funct7 2 */
    .word   0x40b51533              /* sll with funct7 0x20 */
    .word   0x04051513              /* slli with funct7 2 */
    .word   0x02051513              /* slli a0, a0, 32 (RV64 only) */
    .word   0x02055513              /* srli a0, a0, 32 */
    .word   0x42055513              /* srai a0, a0, 32 */
    .word   0x00000173              /* ecall with rd != 0 */
    .word   0x00004073              /* csr funct3 4 */
    .word   0x00200073              /* uret */
    .word   0x10200073              /* sret */
    .word   0x7b200073              /* dret */
    .word   0x12000073              /* sfence.vma */
/* Fences with reserved fields set: decode() runs them as fences. */
    .word   0x1330000f              /* fm 1 */
    .word   0xf000000f              /* fm 15, empty sets */
    .word   0x0ff0008f              /* rd = ra */
    .word   0x0ff5000f              /* rs1 = a0 */
    .word   0x0010100f              /* fence.i with imm 1 */
    .word   0x0000108f              /* fence.i with rd = ra */
    jalr    zero, 0(ra)
