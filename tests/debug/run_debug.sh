#!/bin/bash
# run_debug.sh: scripted `lde debug` sessions against expected transcripts.
#
#   run_debug.sh LDE CASES_DIR NAME            run one case, diff, exit 0/1
#   run_debug.sh --update LDE CASES_DIR [NAME...]  rewrite the .expected
#
# A case is CASES_DIR/NAME.cmd: debugger commands, one a line. Its first
# line, "# lde debug ARGS...", gives the command line; a second line
# "# stdin" feeds the commands on stdin instead of with -x (the pipe
# mode: no prompt, each command echoed). The transcript (stdout and
# stderr, then "exit status: N") must equal NAME.expected, except the
# host time in `stats`, which is wall time.
#
# @PROGRAMS@/NAME in ARGS runs a test-only guest program (tests/debug/
# programs/NAME.c, built by `lde cc` into the build tree): the case runs
# in their directory, $LDE_DEBUG_PROGRAMS (which ctest sets, else
# tests/debug/programs next to LDE in its build tree), as ./NAME. The
# program's argv[0] is on its stack, so an absolute path would make its
# cycle counts depend on where the build tree is.
#
# The transcripts hold cycle counts and addresses: a deliberate change to
# the kernel, a guest program or the cycle table changes them. Check the
# diff, then regenerate with --update.
set -u
update=0
if [ "${1:-}" = "--update" ]; then
    update=1
    shift
fi
# Absolute paths: each transcript runs inside the cases directory.
lde=$(realpath "$1")
dir=$(realpath "$2")
shift 2
programs=${LDE_DEBUG_PROGRAMS:-$(dirname "$lde")/tests/debug/programs}
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for f in "$dir"/*.cmd; do
        n=$(basename "$f" .cmd)
        names+=("$n")
    done
fi

transcript() {
    local cmd=$1
    local args mode
    args=$(sed -n '1s/^# lde debug //p' "$cmd")
    local here=$dir
    if [[ $args == *@PROGRAMS@* ]]; then
        here=$programs
        args=${args//@PROGRAMS@/.}
    fi
    mode=$(sed -n '2p' "$cmd")
    (
        cd "$here" || exit 1
        # shellcheck disable=SC2086  # ARGS is a word list on purpose
        if [ "$mode" = "# stdin" ]; then
            "$lde" debug $args < "$cmd" 2>&1
        else
            "$lde" debug -x "$cmd" $args < /dev/null 2>&1
        fi
        echo "exit status: $?"
    ) | sed -e 's/^host time: .*/host time: (wall time, not compared)/'
}

status=0
for n in "${names[@]}"; do
    cmd="$dir/$n.cmd"
    exp="$dir/$n.expected"
    if [ $update -eq 1 ]; then
        transcript "$cmd" > "$exp"
        echo "updated $exp"
        continue
    fi
    if ! diff -u "$exp" <(transcript "$cmd"); then
        echo "FAIL: $n: the transcript differs from $exp" >&2
        echo "(if the kernel or a guest changed on purpose: " \
             "tests/debug/run_debug.sh --update $lde $dir $n)" >&2
        status=1
    fi
done
exit $status
