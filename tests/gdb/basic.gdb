# lde run --gdb 0 hello
# status 130
# lde run --gdb hello: the kernel and hello are two inferiors; each
# breakpoint stops in the space it was set in.
set pagination off
set confirm off
break main
continue
printf "CHECK main: inferior %d, at main %d\n", $_inferior, $pc == (long)&main
delete
# Step into a system call: the ecall's step stops at the handler that the
# trap table names for vector 8, in the kernel, with the frame pushed.
break lde_write
continue
stepi
printf "CHECK before ecall: inferior %d, a7 %d\n", $_inferior, $a7
set $ecall = $pc
stepi
printf "CHECK after ecall: inferior %d, mode %d, at handler %d\n", $_inferior, $mode, $pc == *(unsigned *)($ttr + 4 * 8)
printf "CHECK frame: cause %d, pc after the ecall %d\n", *(unsigned *)((long)$sp + 132), *(unsigned *)((long)$sp + 124) == $ecall + 4
delete
# A kernel function: the C handler of the same trap.
break trap
continue
printf "CHECK trap: inferior %d, at trap %d, tf = sp %d\n", $_inferior, $pc == (long)&trap, $a0 == $sp
x/2xw $sp
delete
# Step over rti: back in user code, where the frame said.
tbreak *((long)&trap_vector + 8)
continue
set $resume = *(unsigned *)((long)$sp + 124)
set $ra0 = *(unsigned *)((long)$sp + 36)
stepi
printf "CHECK after rti: inferior %d, at the frame's pc %d, a0 from the frame %d (%d)\n", $_inferior, $pc == $resume, $a0 == $ra0, $a0
# reverse-stepi: the exact previous pc and registers.
set $p0 = $pc
set $s0 = (long)$sp
set $a00 = $a0
set $ra00 = (long)$ra
stepi
stepi
reverse-stepi
reverse-stepi
printf "CHECK two forward, two back: pc %d sp %d a0 %d ra %d\n", $pc == $p0, (long)$sp == $s0, $a0 == $a00, (long)$ra == $ra00
reverse-stepi
printf "CHECK one more back: inferior %d, at the rti %d\n", $_inferior, $pc == (long)&trap_vector + 8
# A watchpoint on hello's output buffer: going back stops before the
# store of its first byte, going forward after it.
inferior 2
watch out_buf[0]
reverse-continue
printf "CHECK back to the store: byte %d\n", out_buf[0]
continue
printf "CHECK forward over it: byte %d\n", out_buf[0]
delete
# Back to the start of the history.
reverse-continue
printf "CHECK start: inferior %d, at _start %d, cycle %d\n", $_inferior, $pc == (long)&_start, $cycle
kill
