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

# Zeros are not a trap frame, and no code is not a place to stop: both
# warn. At boot sp is 0, so `info frame` finds no frame at all.
check frame-zeros 0 'all zeros, no trap has pushed a frame here' -- \
    bash -c "printf 'info frame 0\n' | '$lde' debug hello"
check frame-none 0 '^info frame: no trap frame at sp or KSP' -- \
    bash -c "printf 'info frame\n' | '$lde' debug hello"
check break-no-code 0 '^warning: no code at 0x00000000 in kernel' -- \
    bash -c "printf 'break 0\n' | '$lde' debug hello"
check break-code 0 '^Breakpoint 1 at 0x00010074 <main> in hello' -- \
    bash -c "printf 'b hello:main\n' | '$lde' debug hello"
if grep -q warning "$tmp/out"; then
    echo "FAIL: break-code: a warning for a breakpoint on code"
    cat "$tmp/out"
    fail=1
fi

# ps: the running process's user pc is the pc now, not the one its frame
# saved when it last entered the kernel; the others' come from their
# frames. Stop in hello (spinner preempted), step into puts, compare.
printf 'b hello:main\nc\nsi 5\nps\n' |
    "$lde" debug spinner -- hello > "$tmp/out" 2>&1
pc=$(sed -n 's/^=> \(0x[0-9a-f]*\) .*/\1/p' "$tmp/out" | tail -n 1)
ps_pc=$(awk '$1 == "*" && $4 == "hello" { print $6 }' "$tmp/out")
spin_pc=$(awk '$3 == "spinner" { print $5 }' "$tmp/out")
if [ -z "$pc" ] || [ "$ps_pc" != "$pc" ]; then
    echo "FAIL: ps shows the running hello at '$ps_pc', the pc is '$pc'"
    cat "$tmp/out"
    fail=1
fi
case $spin_pc in
0x000100[0-9a-f][0-9a-f]) ;;
*)
    echo "FAIL: ps shows the preempted spinner at '$spin_pc'"
    cat "$tmp/out"
    fail=1
    ;;
esac

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
