# lde run --gdb 0 spinner
# status 130
# Ctrl-C: gdb's (0x03 on the wire) and lde's own (SIGINT) both stop the
# machine, which never stops by itself here, and both say SIGINT.
set pagination off
set confirm off
shell (sleep 1; kill -INT $PPID) &
continue
pipe info program | grep -o "signal SIGINT" | sed 's/^/CHECK gdb: /'
inferior 1
# The whole 64-bit counter: at a few thousand guest MIPS the low word
# (cycle) wraps within seconds.
set $c1 = ((unsigned long long)$cycleh << 32) | (unsigned)$cycle
shell (sleep 1; kill -INT $LDE_PID) &
continue
pipe info program | grep -o "signal SIGINT" | sed 's/^/CHECK lde: /'
inferior 1
printf "CHECK the machine ran between: %d\n", (((unsigned long long)$cycleh << 32) | (unsigned)$cycle) > $c1
kill inferiors 1 2
