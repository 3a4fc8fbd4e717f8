/*
 * insn_trace.h: `--trace insn`, one line per retired instruction, from the
 * machine's retire hook (docs/observe.md). Two formats:
 *
 *  lde (default): the cycle at which the instruction began, the kernel's
 *  current pid, the mode (U or K), pc, the raw bits, the disassembly, and
 *  what it wrote: a register, a CSR, or memory (loads name the address):
 *    lde: trace: cycle 13245 pid 1 U 0x00010010 0x00c12503 lw a0, 12(sp)
 *        a0=0x00000001 load 0x003ffefc (4)
 *  (one line).
 *
 *  spike: Spike's commit log (riscv-isa-sim --log-commits), so that a run
 *  can be diffed with Spike or another simulator that writes it:
 *    core   0: 0 0x00010010 (0x00c12503) x10 0x00000001 mem 0x003ffefc
 *  The privilege field is 0 in user mode and 3 in kernel mode (the
 *  machine's only privileged mode, as M is Spike's); rti, which restores
 *  every register from the trap frame, is shown as a line of its own with
 *  no register write. An instruction that traps (ecall included) does not
 *  retire, so it has no line, as in Spike.
 *
 * The registers before each instruction are kept from the last one (and
 * from each trap and rti), which is how a store's address and data and a
 * load's address are known after it ran.
 */
#ifndef LDE_INSN_TRACE_H
#define LDE_INSN_TRACE_H

#include <stdint.h>

struct observer;
struct insn_trace;

struct insn_trace *insn_trace_new(struct observer *o);
void insn_trace_free(struct insn_trace *t);
/* The registers changed outside an instruction (a trap entry, an rti). */
void insn_trace_sync(struct insn_trace *t);
/* From the rti hook: the rti's own line, before the rti's events. */
void insn_trace_rti(struct insn_trace *t, uint32_t rti_pc);
void insn_trace_retire(struct insn_trace *t, uint32_t pc, uint32_t word);
void insn_trace_finish(struct insn_trace *t);

#endif /* LDE_INSN_TRACE_H */
