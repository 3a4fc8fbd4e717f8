# lde debug cat
# stdin
input first line
c
c
input second
input -eof
input too late
c
