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
# Print formats, as gdb's (Output Formats): an int, a negative int, a
# char, a negative char, a pointer, an array element by element, a
# struct member by member.
p/x counter
p/d counter
p/u counter
p/o counter
p/t counter
p/c counter
p/a counter
p/z counter
p/x table[1]
p/d table[1]
p/u table[1]
p/o table[1]
p/t table[1]
p/c table[1]
p/z table[1]
p/x box.name[1]
p/d box.name[1]
p/o box.name[1]
p/t box.name[1]
p/c box.name[1]
p/x (signed char)-1
p/u (signed char)-1
p/c (signed char)-1
p (char)-1
p/d (char)-1
p/x box.name
p/d box.name
p/a box.name
p/a &table[2]
p/a main
p/x table
p/t table
p/c table
p/x box
p/d box
p/c 65
p/d 0xffffffff
display/x counter
display/t table[0]
si
info display
undisplay
# sizeof: of types and of expressions (unsigned long, 4 bytes on RV32).
p sizeof(int)
p sizeof(long long)
p sizeof(char *)
p sizeof(struct shape)
p sizeof(enum color)
p sizeof box
p sizeof(box.corner)
p sizeof table / sizeof table[0]
p sizeof box.name[0] + 1
whatis sizeof(int)
# Types: whatis names them, ptype spells structs and enums out.
whatis box
ptype box
whatis &box
ptype &box
whatis box.name
ptype box.name
whatis table
ptype table
whatis &table
whatis box.corner
ptype box.corner
whatis box.color
ptype box.color
ptype enum color
ptype struct point
whatis hidden
ptype hidden
whatis counter * 2ll
whatis 0x80000000
ptype unsigned char
# A breakpoint with a condition: stops only when it holds.
delete
b vars.c:49 if i == 2
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
p/q counter
p/2x counter
p/w counter
display/ counter
p sizeof *hidden
p sizeof(struct secret)
p sizeof(struct nosuch)
p (struct nosuch *)0
ptype struct nosuch
whatis nosuch
ptype
