#!/bin/bash
# run_gdb.sh: gdb-multiarch in batch mode against `lde run --gdb`.
#
#   run_gdb.sh LDE CASES_DIR NAME
#
# A case is NAME.gdb, gdb commands. Its first line "# lde run --gdb 0
# ARGS..." is lde's command line (port 0: a free port, so that tests can
# run in parallel); a line "# status N" is lde's expected exit status.
# The lines gdb prints that start with "CHECK" must equal NAME.expected
# (the cases print facts computed in gdb, e.g. "$pc == (long)&main", not
# raw addresses, so they hold when the kernel or a program changes). If
# NAME.lde exists, each of its lines must appear in lde's own output
# ("once: TEXT": exactly once).
# lde's pid is in $LDE_PID for the case's shell commands.
set -u
lde=$(realpath "$1")
dir=$(realpath "$2")
name=$3
case=$dir/$name.gdb
gdb=${GDB:-gdb-multiarch}
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

args=$(sed -n '1s/^# lde run //p' "$case")
want_status=$(sed -n 's/^# status \([0-9]*\)$/\1/p' "$case")

# shellcheck disable=SC2086  # ARGS is a word list on purpose
"$lde" run $args >"$tmp/lde.out" 2>&1 </dev/null &
pid=$!
export LDE_PID=$pid
port=
for _ in $(seq 100); do
    port=$(sed -n "s/.*target extended-remote localhost:\([0-9]*\)'.*/\1/p" \
        "$tmp/lde.out")
    [ -n "$port" ] && break
    sleep 0.1
done
if [ -z "$port" ]; then
    echo "FAIL: $name: lde printed no port"; cat "$tmp/lde.out"; exit 1
fi

timeout 120 "$gdb" -nx -q -batch -ex 'set osabi none' \
    -ex 'set schedule-multiple on' \
    -ex "target extended-remote localhost:$port" -x "$case" \
    >"$tmp/gdb.out" 2>&1
fail=0
if ! diff -u "$dir/$name.expected" <(grep '^CHECK' "$tmp/gdb.out"); then
    echo "FAIL: $name: gdb's CHECK lines differ; gdb said:"
    cat "$tmp/gdb.out"
    fail=1
fi
# lde must end by itself (kill, detach and run to the end).
status=
for _ in $(seq 300); do
    if ! kill -0 "$pid" 2>/dev/null; then
        wait "$pid"
        status=$?
        break
    fi
    sleep 0.1
done
if [ -z "$status" ]; then
    echo "FAIL: $name: lde did not end"; fail=1
elif [ -n "$want_status" ] && [ "$status" != "$want_status" ]; then
    echo "FAIL: $name: lde exited with $status, not $want_status"; fail=1
fi
if [ -f "$dir/$name.lde" ]; then
    while IFS= read -r line; do
        if [ "${line#once: }" != "$line" ]; then
            n=$(grep -cF -- "${line#once: }" "$tmp/lde.out")
            if [ "$n" != 1 ]; then
                echo "FAIL: $name: '${line#once: }' $n times in lde's output"
                fail=1
            fi
        elif ! grep -qF -- "$line" "$tmp/lde.out"; then
            echo "FAIL: $name: lde's output lacks '$line'"; fail=1
        fi
    done <"$dir/$name.lde"
fi
if grep -q 'ERROR: AddressSanitizer\|runtime error:' "$tmp/lde.out"; then
    echo "FAIL: $name: sanitizer report"; fail=1
fi
if [ $fail -ne 0 ]; then
    echo "--- lde's output:"; cat "$tmp/lde.out"
    exit 1
fi
echo "ok: $name"
