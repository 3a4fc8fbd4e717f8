b steps:main
c
next
step
next
s
bt
s
s
n
n
step
step
next
next
si
ni
next
b kernel:sys_write
c
next
next
next
delete
n
c
