/*
 * entry.S: the first instructions after reset (docs/isa.md §2): kernel
 * mode, interrupts off, a0 = physical address of struct boot_info. Set up
 * a stack, clear the bss (boot data lies above the image, so this cannot
 * touch it; the stacks, in .noinit, need no clearing), and call
 * kmain(boot_info) in C. OSTEP Figure 6.2 "at boot".
 */
    .section .text.entry
    .globl _start
_start:
    la sp, boot_stack_top
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f          /* both ends are 16-byte aligned */
    sw zero, 0(t0)
    sw zero, 4(t0)
    sw zero, 8(t0)
    sw zero, 12(t0)
    addi t0, t0, 16
    j 1b
2:  call kmain
    /* kmain never returns; if it did, stop with a breakpoint in kernel
     * mode, which panics. */
    ebreak

    .section .noinit.bootstack, "aw", @nobits
    .balign 16
boot_stack:
    .space 8192             /* BOOTSTACKSIZE: the scheduler runs here */
    .globl boot_stack_top
boot_stack_top:
