# lde debug hello
# Going back: rsi to the exact state of a step before, rni over a system
# call, rc to the last breakpoint, catchpoint or watchpoint hit, and
# reverse-finish to the call; output already printed is not printed again.
b lde_write
c
info reg a0 a7 sp ra
si 2
info reg a0 a7 sp ra
rsi 2
info reg a0 a7 sp ra
info csr
# One step back over the ecall's trap, then forward again.
si 2
rsi
rsi
si
# rni from after a system call: back to the ecall, not into the kernel.
until kernel:trap_vector + 8
si
rni
# reverse-finish: from inside lde_write back to its call in out_put.
reverse-finish
bt
# The console: run to the end (hello's line is printed), back before the
# write, and forward again (not printed a second time).
c
c
rc
c
# Catchpoints and watchpoints going back.
catch syscall exit_group
watch kernel:lde_current_pid
rc
rc
rc
rc
info history
rsi 1000000000
