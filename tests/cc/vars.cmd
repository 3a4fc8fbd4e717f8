# lde debug ./vars (built by lde cc, -g -Og): C variables through DWARF.
b area
c
info args
info locals
p *s
p s->corner[1].x - s->corner[0].x
p scale * 10 + 1
finish
b widen
c
info args
finish
p box
p box.name
p table
p &table[2]
p *&table[2]
p counter
p kernel:lde_current_pid
p (char)box.name[1]
p counter > 3 && table[0] == 1
p 0 && *(int *)0
# Changing the machine: a variable, an element, memory through a pointer,
# a register.
set var counter = 42
p counter
set var table[1] = -7
set var *(int *)&table[3] = 9
p table
set $a5 = 3
p $a5
# A breakpoint with a condition: stops only when it holds.
delete
b vars.c:45 if i == 2
info break
run
c
p i
p total
p word
info locals
# Errors: one line each, and the session goes on.
p nosuch
p box.nosuch
p *counter
set var 3 = 4
set $mode = 0
set $zero = 1
p *(int *)0
