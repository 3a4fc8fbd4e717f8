# lde debug sh -c echo|cat
catch syscall waitid
c
ps
delete
catch syscall exit_group
c
ps
c
ps
delete
c
stats
