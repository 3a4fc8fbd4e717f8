/*
 * crt0.S: the entry point of every lde user program.
 *
 * The kernel (or Linux, under qemu-riscv32) starts us with sp pointing at
 * the initial stack of the RISC-V Linux ABI (docs/isa.md §10):
 *
 *     sp -> argc
 *           argv[0] .. argv[argc-1], NULL
 *           envp[0] .. , NULL
 *           auxv pairs (type, value) .. , AT_NULL (0, 0)
 *           ... the strings, above
 *
 * Nothing else is promised: registers other than sp are garbage, so gp
 * and tp are ours to set before any C runs.
 */

    .section .text.start, "ax"
    .globl _start
    .type _start, @function
_start:
    /* gp first: compiled code may reach small data through it. With
     * relaxation on, ld would turn this very `la` into `mv gp, gp`. */
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop

    /* A zero frame pointer ends a debugger's backtrace here. */
    li s0, 0

    /* argc, argv and envp from the initial stack, kept in callee-saved
     * registers across the calls below. */
    lw s1, 0(sp)            /* s1 = argc */
    addi s2, sp, 4          /* s2 = argv */
    slli t0, s1, 2
    add s3, s2, t0
    addi s3, s3, 4          /* s3 = envp = &argv[argc + 1] */

    /* auxv starts after envp's NULL; usertests checks that it ends with
     * AT_NULL, so remember where it is. */
    mv t1, s3
1:  lw t0, 0(t1)
    addi t1, t1, 4
    bnez t0, 1b
    la t0, __lde_auxv
    sw t1, 0(t0)

    /* getenv() reads picolibc's environ. */
    la t0, environ
    sw s3, 0(t0)

    /* The ABI wants sp 16-byte aligned at every call. */
    andi sp, sp, -16

    /* TLS before any libc call: picolibc's errno is thread-local, so tp
     * must point at a block laid out like the .tdata/.tbss template.
     * _init_tls copies .tdata into it and zeroes the .tbss part. */
    la tp, __lde_tls_block
    mv a0, tp
    call _init_tls

    /* Constructors (none of ours, but libc may have some). */
    call __libc_init_array

    mv a0, s1
    mv a1, s2
    mv a2, s3
    call main

    /* exit runs destructors (which flush stdout) and then _exit. */
    call exit
    unimp                   /* not reached */
    .size _start, . - _start

    .section .sbss.__lde_auxv, "aw", @nobits
    .balign 4
    .globl __lde_auxv
    .type __lde_auxv, @object
__lde_auxv:
    .zero 4
    .size __lde_auxv, 4

    .section .note.GNU-stack, "", @progbits
