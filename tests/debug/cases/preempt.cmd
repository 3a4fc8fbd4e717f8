# lde debug --quantum 20000 spinner -- compute 1000
info traptable
catch trap timer
c
info timer
info traptable
info frame
ps
delete
catch switch
c
bt
c
bt
finish
ps
delete
watch lde_current_pid
watch 0x3
watch
c
info break
delete
catch mode
c
c
delete
catch trap 16
c
si
info break
stats
