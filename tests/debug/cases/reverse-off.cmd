# lde debug --history 0 hello
# Without a recorded past, going back says so, in one line each.
si 3
rsi
rsi 0
rni
rc
reverse-finish
info history
rsi abc
si
