#!/usr/bin/env bash
# observe.sh: tests of what lde run draws from a run (docs/observe.md).
#     observe.sh TEST
# with LDE, KERNEL_ELF, TEST_KERNELS (the e2e test kernels), GOLDEN (the
# expected files), SCHEMA (docs/lde-report.schema.json), PYTHON (Debian's
# python3 with python3-jsonschema), CHROMIUM and PNG_COLOURS in the
# environment. UPDATE_GOLDEN=1 rewrites the golden files instead of
# comparing (read the diff before committing it).
set -u

: "${LDE:?}" "${KERNEL_ELF:?}" "${TEST_KERNELS:?}" "${GOLDEN:?}"

T=$(mktemp -d "${TMPDIR:-/tmp}/lde_observe.XXXXXX")
trap 'rm -rf "$T"' EXIT

failed=0
fail() {
    echo "FAIL: $*" >&2
    failed=1
}

# run ARGS...: lde run ARGS, stdout in $T/out, stderr in $T/err.
run() {
    "$LDE" run "$@" >"$T/out" 2>"$T/err" </dev/null
    rc=$?
}

expect_rc() {
    if [ "$rc" != "$1" ]; then
        fail "exit status $rc, want $1 ($2)"
        sed 's/^/    /' "$T/err" | head -20 >&2
    fi
}

# golden NAME FILE: FILE must equal $GOLDEN/NAME.
golden() {
    if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
        cp "$2" "$GOLDEN/$1"
        echo "updated $GOLDEN/$1"
        return
    fi
    if ! diff -u "$GOLDEN/$1" "$2" >"$T/diff"; then
        fail "$1 differs from the golden file:"
        head -60 "$T/diff" >&2
    fi
}

has() { grep -qF -- "$2" "$1"; }

expect_has() {
    if ! has "$1" "$2"; then
        fail "$(basename "$1") lacks '$2'"
    fi
}

# ---- Golden outputs -------------------------------------------------------

# The protocol table of hello: boot, its first return-from-trap, a system
# call, exit and halt.
t_table_hello() {
    run --lde-table hello
    expect_rc 0 "--lde-table hello"
    golden table_hello.txt "$T/err"
    # In Markdown: one system call, chosen with --window.
    run --lde-table=md --window pid=1,first=2 hello
    expect_rc 0 "--lde-table=md"
    golden table_syscall.md "$T/err"
}

# A preemption: the timer takes the CPU from the spinner, and the kernel
# switches to hello.
t_table_preempt() {
    run --lde-table --window 86k..92k,first=1 --quantum 20000 \
        --max-cycles 200000 spinner -- hello
    expect_rc 124 "--lde-table preemption"
    golden table_preempt.txt "$T/err"
    expect_has "$T/err" "call switch(): save regs(1) to"
    expect_has "$T/err" "timer interrupt in pid 1 (spinner)"
}

t_states() {
    run --states --quantum 20000 --max-cycles 200000 spinner -- hello
    expect_rc 124 "--states"
    golden states_preempt.txt "$T/err"
    # A process that sleeps: BLOCKED, and the CPU idles.
    run --states sleeper 1 -- hello
    expect_rc 0 "--states sleeper"
    expect_has "$T/err" "BLOCKED:clock_nanosleep_time64"
    expect_has "$T/err" ", idle "
    # turnaround == run + blocked + wait for every process that ended.
    awk '$1 ~ /^[0-9]+$/ && $NF == "done" && NF == 9 {
             if ($5 != $6 + $7 + $8) { print "bad sum: " $0; bad = 1 }
             n++
         }
         END { exit (bad || n != 2) }' "$T/err" ||
        fail "--states: turnaround != run + blocked + wait"
}

t_trace() {
    run --trace traps,syscalls,switches --quantum 20000 --max-cycles 100000 \
        spinner -- hello
    expect_rc 124 "--trace traps,syscalls,switches"
    golden trace_categories.txt "$T/err"
    # The list may be the next word, or after '='; bare --trace is traps.
    run --trace syscalls hello
    expect_has "$T/err" "write(1, 0x"
    expect_has "$T/err" ") = 22 (returned at cycle "
    expect_has "$T/err" "exit_group(0)"
    if grep -q "U->K" "$T/err"; then fail "--trace syscalls printed traps"; fi
    # One instruction line per instruction, in a window.
    run --trace insn --window pid=1,first=40 hello
    expect_rc 0 "--trace insn"
    golden trace_insn_hello.txt "$T/err"
    [ "$(grep -c '^lde: trace: cycle' "$T/err")" = 40 ] ||
        fail "--window first=40 did not give 40 lines"
}

# The Spike commit log of a bare-metal program, line by line.
t_spike() {
    run --kernel "$TEST_KERNELS/kernel_baremetal.elf" \
        --trace-format spike hello
    expect_rc 7 "--trace-format spike"
    golden baremetal.spike "$T/err"
    grep -v '^core   0: [03] 0x[0-9a-f]\{8\} (0x[0-9a-f]\{8\})\( x[0-9][0-9 ] 0x[0-9a-f]\{8\}\)\?\( mem 0x[0-9a-f]\{8\}\( 0x[0-9a-f]*\)\?\)\?$' \
        "$T/err" >"$T/odd"
    if [ -s "$T/odd" ]; then
        fail "lines not in Spike's commit-log format:"
        head -5 "$T/odd" >&2
    fi
}

# ---- JSON against its schema ---------------------------------------------

t_json() {
    : "${PYTHON:?}" "${SCHEMA:?}"
    local n=0
    check() { # NAME: validate $T/NAME.json
        "$PYTHON" - "$SCHEMA" "$T/$1.json" <<'PY' || fail "--json $1"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.validate(report, schema, cls=jsonschema.Draft202012Validator)
c = report["cycles"]
assert c["user"] + c["kernel"] + c["idle"] == c["total"], c
assert c["total"] == report["end"]["cycle"]
procs = report["processes"]
if procs:
    assert sum(p["user_cycles"] for p in procs) == c["user"]
    assert sum(p["kernel_cycles"] for p in procs) + c["kernel_at_boot"] \
        == c["kernel"]
    for p in procs:
        if p["turnaround"] is not None:
            assert p["turnaround"] == (p["user_cycles"] + p["kernel_cycles"]
                                       + p["blocked"] + p["wait"]), p
assert sum(report["syscalls"].values()) == report["traps"]["syscall"]
PY
        n=$((n + 1))
    }
    "$LDE" run --json "$T/hello.json" hello >/dev/null 2>&1
    check hello
    "$LDE" run --json "$T/mix.json" --quantum 20000 compute 2000 -- yield 3 \
        -- fault null -- sleeper 0 3000000 >/dev/null 2>&1
    check mix
    "$LDE" run --json "$T/limit.json" --max-cycles 1M spinner >/dev/null 2>&1
    check limit
    # -: the report alone on stdout, the programs' output on stderr.
    "$LDE" run --json - hello >"$T/stdout.json" 2>"$T/err"
    check stdout
    expect_has "$T/err" "hello, world from lde"
    "$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1]));
assert d["end"]["how"] == "limit" and d["processes"][0]["status"] == "running"
' "$T/limit.json" || fail "--json: a run stopped by --max-cycles"
    "$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1]));
k = [p for p in d["processes"] if p["name"] == "fault"][0]
assert k["status"] == "killed" and k["killed_by"]["vector"] == "memfault"
assert k["exit_status"] == 139
s = [p for p in d["processes"] if p["name"] == "sleeper"][0]
assert s["blocked"] > 0
assert d["phases"]["switch_interrupt"]["count"] > 0
assert d["phases"]["syscall"]["trap_entry"] > 0
' "$T/mix.json" || fail "--json: processes of the mix"
    [ "$n" = 4 ] || fail "checked $n reports, want 4"
}

# ---- The Chrome trace, parsed back ----------------------------------------

t_chrome() {
    : "${PYTHON:?}"
    "$LDE" run --timeline "$T/t.json" --json "$T/r.json" --quantum 20000 \
        compute 2000 -- yield 3 -- sleeper 0 3000000 >/dev/null 2>&1
    "$PYTHON" - "$T/t.json" "$T/r.json" <<'PY' || fail "Chrome trace"
import json, sys
trace = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
ev = trace["traceEvents"]
hz = trace["otherData"]["clock_hz"]
assert hz == report["machine"]["clock_hz"]
phases = {e["ph"] for e in ev}
assert {"X", "i", "M", "C"} <= phases, phases
for e in ev:
    assert isinstance(e["pid"], int) and isinstance(e["tid"], int)
    assert isinstance(e["name"], str)
    if e["ph"] in "XiC":
        # ts is simulated microseconds: cycle * 1e6 / clock_hz
        if "cycle" in e.get("args", {}):
            assert abs(e["ts"] - e["args"]["cycle"] * 1e6 / hz) < 1e-3, e
    if e["ph"] == "X":
        assert e["dur"] >= 0
        assert abs(e["dur"] - e["args"]["cycles"] * 1e6 / hz) < 1e-3, e
names = {(e["pid"], e["args"]["name"]) for e in ev
         if e["ph"] == "M" and e["name"] == "thread_name"}
assert (0, "kernel") in names and (0, "idle") in names, names
# Each process's user slices add up to its user cycles, exactly.
for p in report["processes"]:
    user = sum(e["args"]["cycles"] for e in ev if e["ph"] == "X"
               and e["pid"] == p["pid"] and e["cat"] == "user")
    assert user == p["user_cycles"], (p["name"], user, p["user_cycles"])
    assert (p["pid"], p["name"]) in names
kernel = sum(e["args"]["cycles"] for e in ev if e["ph"] == "X"
             and e["pid"] == 0 and e["tid"] == 0)
idle = sum(e["args"]["cycles"] for e in ev if e["ph"] == "X"
           and e["pid"] == 0 and e["tid"] == 1)
c = report["cycles"]
assert kernel == c["kernel"] + c["idle"], (kernel, c)
assert idle == c["idle"] and idle > 0, (idle, c)
sys_instants = [e for e in ev if e["ph"] == "i" and e["cat"] == "syscall"
                and "call" in e["args"]]
assert len(sys_instants) == report["traps"]["syscall"]
assert any(e["args"]["call"].startswith("write(1, ") for e in sys_instants)
switches = [e for e in ev if e["ph"] == "i" and e["cat"] == "switch"]
assert len(switches) == report["context_switches"]
PY
}

# ---- The picture, in a real browser ---------------------------------------

# shot FILE PNG: a headless Chromium screenshot of FILE.
shot() {
    mkdir -p "$T/profile"
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
        --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync \
        --user-data-dir="$T/profile" --hide-scrollbars \
        --screenshot="$2" --window-size=1180,420 "file://$1" \
        >"$T/chromium.log" 2>&1
    [ -s "$2" ] || {
        fail "chromium made no screenshot of $1"
        tail -5 "$T/chromium.log" >&2
    }
}

t_picture() {
    : "${CHROMIUM:?}" "${PNG_COLOURS:?}"
    "$LDE" run --timeline "$T/demo.svg" --quantum 20000 compute 2000 \
        -- yield 3 -- spinner 30000 >/dev/null 2>&1
    "$LDE" run --timeline "$T/sleep.html" sleeper 0 3000000 -- hello \
        >/dev/null 2>&1
    grep -q '^<svg ' "$T/demo.svg" || fail "demo.svg is not an SVG"
    grep -q '^<!DOCTYPE html>' "$T/sleep.html" || fail "no HTML page"
    shot "$T/demo.svg" "$T/demo.png"
    shot "$T/sleep.html" "$T/sleep.png"
    # Blue user time, orange kernel time, the marks; grey idle time.
    "$PNG_COLOURS" "$T/demo.png" 3366cc:5000 ff9900:100 2ca02c:10 \
        d62728:10 9467bd:10 || fail "demo.svg: the screenshot lacks colours"
    "$PNG_COLOURS" "$T/sleep.png" 3366cc:100 ff9900:100 aaaaaa:2000 ||
        fail "sleep.html: the screenshot lacks colours"
}

# ---- Bad input -------------------------------------------------------------

t_options() {
    run --timeline out.png hello
    expect_rc 2 "--timeline .png"
    expect_has "$T/err" "the name must end in .json"
    run --window 5..2 --lde-table hello
    expect_rc 2 "empty window"
    run --window pid=x --states hello
    expect_rc 2 "bad pid"
    expect_has "$T/err" "--window: 'pid=x'"
    run --window first=3 hello
    expect_rc 2 "--window alone"
    run --trace=bogus hello
    expect_rc 2 "bad category"
    expect_has "$T/err" "unknown category"
    run --trace traps --trace-format spike hello
    expect_rc 2 "spike format without insn"
    run --trace-format nope hello
    expect_rc 2 "bad format"
    run --json /nonexistent/dir/r.json hello
    expect_rc 1 "unwritable --json"
    expect_has "$T/err" "--json: /nonexistent/dir/r.json: cannot write"
    "$LDE" debug --states hello </dev/null >"$T/out" 2>"$T/err"
    rc=$?
    expect_rc 2 "lde debug --states"
    expect_has "$T/err" "--states is for lde run"
    # Observing changes no cycle count.
    run --stats compute 2000 -- yield 2
    grep -E "^(total|instructions|user|kernel|idle)" "$T/err" >"$T/plain"
    run --stats --lde-table --states --json "$T/r.json" \
        --timeline "$T/t.svg" --trace all compute 2000 -- yield 2
    grep -E "^(total|instructions|user|kernel|idle)" "$T/err" >"$T/observed"
    diff -u "$T/plain" "$T/observed" >&2 || fail "observing changed counts"
}

"t_$1"
exit $failed
