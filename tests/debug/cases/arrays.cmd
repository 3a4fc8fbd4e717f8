# lde debug @PROGRAMS@/arrays
# Multi-dimensional arrays as gdb prints them (tests/debug/programs/
# arrays.c): DWARF gives int m[2][3] one array type with two dimensions;
# m[1] is an int [3], m[1][2] an int.
b total
c
# A pointer to a row: rows[1] is a row, *rows the first.
whatis rows
p rows[1]
p *rows
p rows[1][0]
whatis &rows[1]
p sizeof *rows
# Back in main, m is on its stack.
finish
p m
p m[1]
p m[1][2]
ptype m
ptype m[1]
whatis m
whatis m[0]
p sizeof m
p sizeof m[1]
p sizeof m[1][2]
p/x m
info locals
p *m
p m[1][2] + m[0][1]
p *(m + 1)
whatis &m
whatis &m[1]
set var m[1][1] = 9
p m[1]
# 3-D: short and char (rows of strings), and 2-D structs and doubles.
p cube
p cube[1]
p cube[1][0]
p cube[1][1][2]
ptype cube
whatis cube[1]
whatis cube[1][0]
p sizeof cube
p sizeof cube[1]
p sizeof cube[1][0]
p words
p words[0]
p words[1][0]
p/x words[0][1]
ptype words[1]
p path
p path[1]
p path[1][1].y
ptype path
whatis path[0]
p sizeof path[1]
p table
p table[1]
p/x table[0]
x/4dw &m
# Out of the dimensions: one line each.
p m[1][2][0]
p cube[0][0][0][0]
# Runs of equal elements are looked for in at most 2^20 elements per
# value: the first row's 600000 zeros are one run, the second row's
# are cut where the budget ends, and the rest shown one by one.
p/x zeros
