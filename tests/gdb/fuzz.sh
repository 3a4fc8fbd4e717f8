#!/bin/bash
# fuzz.sh LDE FUZZ_GDB [COUNT]: fuzz_gdb.c against `lde run --gdb 0 hello`:
# lde must answer to the end, then end (status 130, killed by gdb), with
# no sanitizer report.
set -u
lde=$1
fuzz=$2
count=${3:-2000}
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
"$lde" run --gdb 0 hello >"$tmp/lde.out" 2>&1 </dev/null &
pid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n "s/.*target extended-remote localhost:\([0-9]*\)'.*/\1/p" \
        "$tmp/lde.out")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "FAIL: no port"; cat "$tmp/lde.out"; exit 1; }
fail=0
timeout 300 "$fuzz" "$port" "$count" || fail=1
status=
for _ in $(seq 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
        wait "$pid"
        status=$?
        break
    fi
    sleep 0.1
done
if [ "$status" != 130 ]; then
    echo "FAIL: lde's exit status is '${status:-still running}', not 130"
    fail=1
fi
if grep -q 'AddressSanitizer\|runtime error:' "$tmp/lde.out"; then
    echo "FAIL: sanitizer report"
    fail=1
fi
if [ $fail -ne 0 ]; then
    tail -40 "$tmp/lde.out"
    exit 1
fi
echo "ok: fuzz ($count packets)"
