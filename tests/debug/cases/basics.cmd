# lde debug hello
help
help x
help nosuch
frobnicate
si

si 3
info reg
info reg a0 $sp bogus
info csr
p $pc
p $a0 + 4 - 2
p (3 - 5)
# C's undefined cases wrap, as the machine does, and never trap lde
p (-9223372036854775807 - 1) / -1
p (-9223372036854775807 - 1) % -1
p -(-9223372036854775807 - 1)
p 9223372036854775807 + 1
p 3037000500 * 3037000500
p 1 << -1
p -8 >> 70
p 1 +
p nosuch
p $nosuch
p 0x1g
x/4xw $sp
x/8xb -p 0x10000
x/2dw -p 0x100
x/3i $pc

x/q 0
x -z 0
x/xw 0xfffffff0
disas
disas 0x10008 2
disas nosuch
display $sp
display $t0 + 1
si
undisplay 2
si
undisplay
info break
b
b 0x10002
b nosuch
b nofile.c:3
tbreak hello:main
b lde_write
info break
disable 3
c
info break
p $pc
p main
p hello:main
p kernel:kmain
x/4xw $sp
disas
list
list
bt
delete 99
enable 3
c
finish
until main
delete
u main
si 3
x/s $a0
x/s -u $a0
x/2xw -u $sp
x/2xw -p $sp
p $sp
info reg
list
bt
disas
u _exit
bt
run
si 0
si abc
quit
