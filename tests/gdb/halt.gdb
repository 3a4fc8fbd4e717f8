# lde run --gdb 0 hello
# status 0
# The machine halts: gdb stops there first (to look and go back), then a
# continue ends it. Going back to the start and detaching: lde runs the
# recorded past again, and prints hello's line once.
set pagination off
set confirm off
continue
printf "CHECK halted: inferior %d, in poweroff %d\n", $_inferior, $pc >= (long)&poweroff && $pc < (long)&poweroff + 64
reverse-stepi
printf "CHECK one step back: mode %d\n", $mode
reverse-continue
printf "CHECK start: cycle %d\n", $cycle
continue
continue
pipe info inferiors | grep -c "process 1" | sed 's/^/CHECK inferior 1 gone: /'
