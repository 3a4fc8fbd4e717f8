# lde debug hello
catch syscall write
catch syscall nosuch
catch trap nosuch
catch nosuch
catch mode extra
catch
c
info frame
bt
si
si
info reg
delete 1
until kernel:trap_vector + 8
si
p $a0
info frame
run
b lde_write
c
si
si
si
delete
catch rti
c
delete
ni
p $a0
run
c
ni
ni
ni
info break
delete
catch syscall exit_group
c
p $a7
p $a0
bt
delete
c
stats
c
si
