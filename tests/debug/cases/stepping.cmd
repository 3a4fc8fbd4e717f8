# lde debug --quantum 20000 spinner -- compute 1000
catch trap timer
c
delete
si 4
until kernel:swtch
si 16
ni
si 16
catch rti
c
info reg
bt
delete
catch trap timer
si 100000
si 3
delete
ni 1000
info timer
