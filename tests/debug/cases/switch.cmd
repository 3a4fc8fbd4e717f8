# lde debug sleeper 0 200000
catch switch
c
bt
c
bt
c
ps
