# lde debug cat
# stdin
# Console input is logged as the guest takes it: going back and forward
# again, the guest reads the same line at the same step without asking,
# and what it echoed is not printed twice; past the recorded end it asks
# for new input again.
catch syscall read
input one
c
c
c
info history
rc
rc
c
c
c
input two
c
input -eof
c
