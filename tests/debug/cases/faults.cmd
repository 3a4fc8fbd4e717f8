# lde debug fault device -- fault csr_status
catch trap memfault
catch trap privileged
c
info frame
bt
c
info frame
delete
ps
c
