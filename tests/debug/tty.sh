#!/bin/bash
# tty.sh: the real REPL through a pseudo-terminal (tmux): the prompt
# shows cycle, mode and pid; up-arrow recalls history; tab completes
# commands and symbols; Ctrl-C stops a run and the session goes on.
#   tty.sh LDE
set -u
lde=$1
sock="lde-debug-test-$$"
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null' EXIT
fail=0

# wait_for PATTERN: poll the screen until a line matches (10 s at most).
wait_for() {
    for _ in $(seq 100); do
        if tm capture-pane -p -t t | grep -q -e "$1"; then
            return 0
        fi
        sleep 0.1
    done
    echo "FAIL: the screen never showed '$1'; it shows:"
    tm capture-pane -p -t t
    fail=1
    return 1
}

# start CMD: a new tmux session running CMD. tmux's server start can fail
# for reasons of its own ("server exited unexpectedly" while other tmux
# servers start on a loaded machine): try a few times before giving up.
start() {
    for _ in 1 2 3 4 5; do
        tm new-session -d -s t -x 160 -y 50 "$1" && return 0
        sleep 0.5
    done
    echo "FAIL: tmux could not start a session"
    return 1
}

start "$lde debug hello; sleep 30" || exit 1
wait_for '^(lde 0 K -) *$' || exit 1

tm send-keys -t t 'si' Enter
wait_for '^(lde 1 K -) *$'
# Up-arrow brings si back; running it again moves one more cycle.
tm send-keys -t t Up Enter
wait_for '^(lde 2 K -) *$'
# An empty line repeats the last step.
tm send-keys -t t Enter
wait_for '^(lde 3 K -) *$'

# Tab completes a command ...
tm send-keys -t t 'disas' Tab
wait_for '^(lde 3 K -) disassemble *$'
tm send-keys -t t C-u
# ... a program's symbol, with or without the program's name ...
tm send-keys -t t 'b lde_wri' Tab Enter
wait_for '^Breakpoint 1 at 0x[0-9a-f]* <lde_write> in hello'
tm send-keys -t t 'b hello:mai' Tab Enter
wait_for '^Breakpoint 2 at 0x[0-9a-f]* <main> in hello'
# ... a kernel symbol and a register.
tm send-keys -t t 'p kernel:lde_curr' Tab Enter
wait_for '^kernel:lde_current_pid = '
tm send-keys -t t 'p $sp' Enter
wait_for '^\$sp = 0x'

tm send-keys -t t 'c' Enter
wait_for '^(lde [0-9]* U 1) *$'
tm send-keys -t t 'q' Enter
tm kill-session -t t 2>/dev/null

# Ctrl-C stops a program that never ends.
start "$lde debug spinner; sleep 30" ||
    exit 1
wait_for '^(lde 0 K -) *$' || exit 1
tm send-keys -t t 'c' Enter
wait_for 'spinner: spinning'
sleep 0.5
tm send-keys -t t C-c
wait_for 'Interrupted\.$'
wait_for '^(lde [0-9]* [UK] [-0-9]*) *$'
tm send-keys -t t 'ps' Enter
wait_for 'spinner'
tm send-keys -t t 'q' Enter
exit $fail
