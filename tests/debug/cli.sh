#!/bin/bash
# cli.sh: `lde debug`'s command line, the pipe mode, and robustness: no
# input a user can type crashes it; each bad command costs one line.
#   cli.sh LDE
set -u
lde=$1
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # check NAME EXPECTED_STATUS PATTERN -- command...
    local name=$1 want=$2 pat=$3
    shift 4
    "$@" > "$tmp/out" 2>&1
    local got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $name: exit status $got, expected $want"
        cat "$tmp/out"
        fail=1
    elif ! grep -q -e "$pat" "$tmp/out"; then
        echo "FAIL: $name: no line matches '$pat'"
        cat "$tmp/out"
        fail=1
    fi
}

check help 0 '^usage: lde debug' -- "$lde" debug --help
check bad-option 2 "^Try 'lde debug --help'" -- "$lde" debug --bogus hello
check bad-program 1 '^lde: ' -- "$lde" debug /nonexistent/prog.elf
# A script that cannot be read: one line, status 1, nothing booted.
check missing-script 1 '^lde: -x /nonexistent/s.cmd: No such file or directory$' -- \
    "$lde" debug -x /nonexistent/s.cmd hello < /dev/null
if [ "$(wc -l < "$tmp/out")" -ne 1 ]; then
    echo "FAIL: missing-script: not one line"
    cat "$tmp/out"
    fail=1
fi
check pipe-echo 0 '^(lde) si$' -- bash -c "echo si | '$lde' debug hello"
# A -x after the program is the program's argument, not a script.
check x-after-program 0 '^argv\[1\]=-x$' -- \
    bash -c "printf 'c\n' | '$lde' debug args -x nothing"
# Options before -x still reach session_parse_args.
echo "c" > "$tmp/c.cmd"
check x-between-options 0 'halted: exit status 0' -- \
    "$lde" debug --quantum 50000 -x "$tmp/c.cmd" hello < /dev/null

# Garbage: every line must give at most a line or two, never a crash.
long=$(printf 'p %05000d' 1)
cat > "$tmp/bad.cmd" <<CMDS
x/99999999xw 0
x/0xw 0
x/s -p 0x3fffffe
x/4xw -p 0xfffffffc
x/i 0xfffffffc
p \$
p (((((1
p 99999999999999999999
p 1 + + 2
p -\$pc
p kernel:
p :main
p nosuch:main
b *
b :
b nofile.c:
b hello.c:99999
b kernel:trap_vector+2
until 0xfffffffc
tbreak
delete abc
enable 1 2 3
disable 99
info frame 0xffffffff
info frame 0
info reg \$pc \$nosuch
watch 0xffffffff
watch \$sp + 0x7fffffff
catch syscall 99999999
catch trap 32
catch trap -1
list 0
list hello.c:0
list hello.c:99999
disas 0xfffffffc 5
disas main 0
disas main 99999
display \$nosuch
undisplay 7
input
$long
si 99999999999999999999
ni -1
finish
finish
info timer
info traptable
ps
x/2i \$pc
x
c
c
finish
ni
bt
info frame
stats
CMDS
"$lde" debug -x "$tmp/bad.cmd" hello < /dev/null > "$tmp/out" 2>&1
st=$?
if [ $st -ne 0 ] || ! grep -q 'halted: exit status 0' "$tmp/out"; then
    echo "FAIL: garbage commands: exit status $st"
    cat "$tmp/out"
    fail=1
fi
exit $fail
