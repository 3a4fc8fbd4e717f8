#!/usr/bin/env bash
# e2e.sh: end-to-end tests of `lde run` with the real kernel and guest
# programs. One test per call:
#     e2e.sh TEST
# with LDE (the lde binary), GUEST_DIR (the built guest/*.elf) and
# KERNEL_ELF, TEST_KERNELS (the halting kernels of kernels/) in the
# environment, and QEMU (qemu-riscv32), STRIP (riscv64-unknown-elf-strip)
# and CROSS_CC (riscv64-unknown-elf-gcc), which scripts/deps.sh installs: a
# test that needs one fails when it is missing.
set -u

: "${LDE:?}" "${GUEST_DIR:?}" "${KERNEL_ELF:?}" "${TEST_KERNELS:?}"
QEMU=${QEMU:-}
STRIP=${STRIP:-}
CROSS_CC=${CROSS_CC:-}

T=$(mktemp -d "${TMPDIR:-/tmp}/lde_e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT

failed=0
# A failure is noted in a file too: a check at the end of a pipeline
# (printf ... | expect_out) runs in a subshell, whose variables are lost.
fail() {
    echo "FAIL: $*" >&2
    failed=1
    : >"$T/failed"
}
show() {
    echo "--- stdout:" >&2
    cat "$T/out" >&2
    echo "--- stderr:" >&2
    cat "$T/err" >&2
    echo "---" >&2
}

# run ARGS...: lde run ARGS, stdout in $T/out, stderr in $T/err, status in rc.
run() {
    "$LDE" run "$@" >"$T/out" 2>"$T/err" </dev/null
    rc=$?
}

expect_rc() {
    if [ "$rc" != "$1" ]; then
        fail "exit status $rc, want $1 ($2)"
        show
    fi
}

# expect_out: stdout must equal stdin.
expect_out() {
    if ! diff -u - "$T/out" >"$T/diff"; then
        fail "stdout differs ($1):"
        cat "$T/diff" >&2
    fi
}

has() { grep -qF -- "$2" "$T/$1"; }

expect_has() {
    if ! has "$1" "$2"; then
        fail "$1 lacks '$2'"
        show
    fi
}

expect_lacks() {
    if has "$1" "$2"; then
        fail "$1 has '$2'"
        show
    fi
}

# stat NAME: the number after "NAME:" in the --stats report in $T/err.
stat() {
    sed -n "s/^$1: *\([0-9][0-9]*\).*/\1/p" "$T/err" | head -n 1
}

# ---- the guest programs ---------------------------------------------------

t_hello() {
    run hello
    expect_rc 0 "hello"
    expect_out hello <<'EOF'
hello, world from lde
EOF
    # The same program by path.
    run "$GUEST_DIR/hello.elf"
    expect_rc 0 "hello by path"
    expect_has out "hello, world from lde"
}

t_args() {
    run args one "two words" "" -x --stats
    expect_rc 0 "args"
    expect_out args <<'EOF'
argc=6
argv[0]=args
argv[1]=one
argv[2]=two words
argv[3]=
argv[4]=-x
argv[5]=--stats
EOF
    # Two programs, each with its own argv.
    run args a -- args b c
    expect_rc 0 "two args"
    expect_out "two args" <<'EOF'
argc=2
argv[0]=args
argv[1]=a
argc=3
argv[0]=args
argv[1]=b
argv[2]=c
EOF
}

t_compute() {
    run compute 1000
    expect_rc 0 "compute 1000"
    expect_out compute <<'EOF'
compute: 168 primes <= 1000, sum 76127
compute: check ok
EOF
    run compute 1
    expect_rc 2 "compute with a bad argument"
}

t_yield() {
    run yield 3 -- yield 3
    expect_rc 0 "yield"
    expect_out "two yields alternate" <<'EOF'
yield: pid 1 iteration 0
yield: pid 2 iteration 0
yield: pid 1 iteration 1
yield: pid 2 iteration 1
yield: pid 1 iteration 2
yield: pid 2 iteration 2
EOF
}

t_usertests() {
    # exec_noexec needs a file that is not a program at /data/notelf.
    printf 'just text\n' >"$T/notelf"
    run --file "$T/notelf:/data/notelf" usertests
    expect_rc 0 "usertests"
    expect_has out "0 failed, 0 skipped"
}

# The fork bomb: every process forks until the kernel refuses (ENOMEM when
# the partitions run out, EAGAIN when the process table is full); then
# kill(-1, SIGKILL) ends them all and fork works again. With three bombs
# in one boot the kernel recycles the records of reaped processes, and
# the report still adds up.
t_forkbomb() {
    run --stats usertests forkbomb
    expect_rc 0 "fork bomb, 64M: partitions run out"
    expect_has out "refused with ENOMEM"
    expect_has out "ok forkbomb"
    # Under sh, which adopts the orphans as pid 1 and reaps them.
    run --stats --ram 300M sh -c 'usertests forkbomb; usertests forkbomb;
                                  usertests forkbomb'
    expect_rc 0 "fork bombs, 300M: the process table fills"
    [ "$(grep -c "refused with EAGAIN" "$T/out")" = 3 ] ||
        fail "three bombs did not each end in EAGAIN"
    [ "$(grep -c "usertests: 1 passed, 0 failed" "$T/out")" = 3 ] ||
        fail "a bomb failed"
    if has err "panic"; then
        fail "the kernel panicked"
        show
    fi
    local created user pusers
    created=$(stat "processes")
    [ -n "$created" ] && [ "$created" -gt 128 ] ||
        fail "only $created processes: records were not recycled"
    expect_has err "reaped earlier, records recycled"
    # The recycled ones' line ("...  -  (N more)  user kernel") counts too.
    user=$(stat "user cycles")
    pusers=$(awk '$1 ~ /^[0-9]+$/ && NF >= 8 { s += $4 }
                  $1 == "..." { s += $5 } END { print s+0 }' "$T/err")
    [ "$pusers" = "$user" ] ||
        fail "per-process user cycles add up to $pusers, not $user"
}

# Division by zero: RISC-V's results by default (as on hardware and under
# qemu-riscv32); --trap-divzero makes it trap and kill with SIGFPE.
t_divzero() {
    run usertests divzero
    expect_rc 0 "usertests divzero: RISC-V results by default"
    expect_has out "ok divzero"
    run --trap-divzero --stats usertests divzero -- hello
    expect_rc 136 "usertests divzero with --trap-divzero: killed, 128 + SIGFPE"
    expect_lacks out "ok divzero"
    expect_has out "hello, world from lde"
    if ! grep -Eq "^ +1 +0 usertests .*killed: divide by zero at pc 0x" "$T/err"; then
        fail "--trap-divzero: usertests not killed by 'divide by zero'"
        show
    fi
}

t_badptr() {
    run badptr
    expect_rc 0 "badptr: the number of failed checks"
    expect_lacks out "FAIL"
}

t_measure() {
    run syscost 1000
    expect_rc 0 "syscost"
    expect_has out "per call"
    run lat_syscall 2000
    expect_rc 0 "lat_syscall"
    expect_has out "lat_syscall: 2000 reads of 0 bytes: "
    expect_has out " cycles (exact)"
    # The clock the program works out is lde's 100 MHz, to within the
    # microseconds of gettimeofday.
    grep -Eq "^lat_syscall: clock: (99\.9[5-9]|100\.0[0-4]) MHz" "$T/out" ||
        fail "lat_syscall: the clock is not 100 MHz: $(cat "$T/out")"
    run lat_ctx 500
    expect_rc 0 "lat_ctx"
    expect_has out "lat_ctx: 500 round trips between 2 processes over 2 pipes"
    expect_has out " cycles by the cycle counter (exact)"
    expect_lacks out "too small"
    run ctxsw 100 -- ctxsw 100
    expect_rc 0 "ctxsw"
    expect_has out "ctxsw: pid 1: 100 yields, "
    expect_has out " per yield and switch"
    # The kernel's part, trap to rti, is less than the whole round.
    grep -Eq "^ctxsw: pid 2: kernel \(trap to rti\): [1-9][0-9]*\.[0-9]{2} instructions per round, [1-9][0-9]*\.[0-9]{2} per yield and switch$" "$T/out" ||
        fail "ctxsw: no kernel figure: $(cat "$T/out")"
    run bench_compute 2
    expect_rc 0 "bench_compute"
    expect_has out "bench_compute: size 2 checksum 0x"
}

# ---- the protocol -----------------------------------------------------------

# The timer takes the CPU back from a program that never gives it up.
t_preempt() {
    run --max-cycles 5M spinner -- hello
    expect_rc 124 "spinner never ends: --max-cycles"
    expect_out "hello runs beside the spinner" <<'EOF'
spinner: spinning
hello, world from lde
EOF
    # The first instruction boundary at or past the limit.
    if ! grep -Eq "^lde: stopped at cycle 50000[0-9]{2} \(--max-cycles 5000000\); still running: spinner \(pid 1\)\$" "$T/err"; then
        fail "no --max-cycles message naming the spinner"
        show
    fi
    expect_lacks err "hello (pid 2)"
}

# Without preemption the spinner keeps the CPU: hello never runs.
t_cooperative() {
    run --cooperative --max-cycles 5M spinner -- hello
    expect_rc 124 "cooperative spinner: --max-cycles"
    expect_out "hello never gets the CPU" <<'EOF'
spinner: spinning
EOF
    expect_has err "still running: spinner (pid 1), hello (pid 2)"
    # Yielding jobs still share it.
    run --cooperative yield 2 -- yield 2
    expect_rc 0 "cooperative yield"
    expect_has out "yield: pid 2 iteration 1"
}

# Each fault kind kills the faulting process with its trap, and a sibling
# still completes. The kinds and their vectors come from fault's usage.
vector_name() {
    case $1 in
    0) echo "illegal instruction" ;;
    1) echo "privileged instruction" ;;
    2) echo "memory fault" ;;
    3) echo "misaligned access" ;;
    4) echo "breakpoint" ;;
    5) echo "divide by zero" ;;
    *) echo "vector $1" ;;
    esac
}

t_faults() {
    run fault
    expect_rc 2 "fault without a kind"
    local kinds
    kinds=$(sed -n 's/^  \([a-z_]*\) .*(\([0-9]*\)).*/\1:\2/p' "$T/out")
    if [ -z "$kinds" ]; then
        fail "no fault kinds in fault's usage"
        show
        return
    fi
    local n=0 kv kind vec want
    for kv in $kinds; do
        kind=${kv%%:*}
        vec=${kv##*:}
        want=$(vector_name "$vec")
        run --stats fault "$kind" -- hello
        n=$((n + 1))
        if [ "$rc" -lt 128 ]; then
            fail "fault $kind: exit status $rc, want 128 + a signal"
        fi
        expect_has out "hello, world from lde"
        expect_lacks out "survived"
        if ! grep -Eq "^ +1 +0 fault .*killed: $want at pc 0x" "$T/err"; then
            fail "fault $kind: not killed by '$want' in the stats"
            show
        fi
        if ! grep -Eq "^ +2 +0 hello .* exit 0$" "$T/err"; then
            fail "fault $kind: hello did not exit 0"
            show
        fi
    done
    [ "$n" -ge 10 ] || fail "only $n fault kinds"
}

# sh: pipelines, lists, status, background jobs, quoting; scripted with
# -c and interactive from the console.
t_shell() {
    run sh -c 'echo a b | cat; echo one | cat | cat'
    expect_rc 0 "pipelines"
    expect_out "pipelines" <<'EOF'
a b
one
EOF
    run sh -c 'false; echo $?; true && echo and; false && echo no || echo or;
               nosuch; echo $?; echo "a  b" '"'"'c $?'"'"' d\ e'
    expect_rc 0 "lists and status"
    expect_out "lists and status" <<'EOF'
1
and
or
127
a  b c $? d e
EOF
    expect_has err "sh: nosuch: not found"
    # Background jobs and wait; $! is the job's pid.
    run sh -c 'echo bg & wait $!; echo status $?; sleeper 0 1000 & wait;
               echo done'
    expect_rc 0 "background"
    expect_has out "bg"
    expect_has out "status 0"
    expect_has out "sleeper: slept 0.0000"
    [ "$(tail -n 1 "$T/out")" = done ] || fail "background: no 'done' at the end"
    # The shell's status is lde's; a killed command's is 128 + signal.
    run sh -c 'exit 5'
    expect_rc 5 "exit 5"
    run sh -c 'kill -TERM $$'
    expect_rc 143 "sh killed by SIGTERM"
    run sh -c 'spinner & kill -KILL $!; wait $!; echo $?'
    expect_rc 0 "kill a job"
    expect_has out "137"
    # ps sees the pipeline: sh (blocked in waitpid, or not there yet: a
    # fork's copy takes longer than a quantum, so the timer often hands
    # the CPU to the child first), and ps itself, a child of sh.
    run sh -c 'ps | cat'
    expect_rc 0 "ps | cat"
    expect_has out "  PID  PPID STATE          NAME"
    grep -Eq "^    1     0 (blocked:wait|runnable) +sh$" "$T/out" ||
        fail "ps: no line for sh"
    if ! grep -Eq "^ +[0-9]+ +1 running +ps$" "$T/out"; then
        fail "ps does not list itself as sh's child"
        show
    fi
    run sh -c 'echo |'
    expect_rc 2 "syntax error"
    expect_has err "sh: syntax error"
    # exec finds command-line programs at their argv[0], and --file ones.
    run sh -c "$GUEST_DIR/args.elf x" -- "$GUEST_DIR/args.elf" y
    expect_rc 0 "argv[0] in the namespace"
    expect_has out "argv[1]=x"
    expect_has out "argv[1]=y"
    run --file "$GUEST_DIR/hello.elf:/usr/bin/hi" sh -c '/usr/bin/hi'
    expect_rc 0 "--file"
    expect_out "--file" <<'EOF'
hello, world from lde
EOF
    # Interactive: a prompt (the console is a terminal), one line each.
    printf 'echo hi | cat\nexit 3\n' | "$LDE" run sh >"$T/out" 2>"$T/err"
    rc=$?
    expect_rc 3 "interactive"
    printf '$ hi\n$ ' | expect_out "interactive"
}

# The same input gives the same output and the same cycles.
t_determinism() {
    local args=(--stats --quantum 20000 compute 20000 -- yield 4 -- hello
                -- spinner)
    run --max-cycles 3M "${args[@]}"
    grep -v '^host time:' "$T/err" >"$T/err1"
    cp "$T/out" "$T/out1"
    run --max-cycles 3M "${args[@]}"
    grep -v '^host time:' "$T/err" >"$T/err2"
    cmp -s "$T/out1" "$T/out" || fail "stdout differs between two runs"
    if ! diff -u "$T/err1" "$T/err2" >&2; then
        fail "stats differ between two runs"
    fi
    grep -Eq "^total cycles: +30000[0-9]{2} " "$T/err" ||
        fail "the run did not stop at --max-cycles 3M"

    # Many processes: forks, pipes, exec, waits, kills.
    args=(--stats sh -c 'echo a | cat | cat; usertests fork pipe_big kill &
          lat_ctx 200; wait')
    run "${args[@]}"
    expect_rc 0 "multi-process run"
    grep -v '^host time:' "$T/err" >"$T/err1"
    cp "$T/out" "$T/out1"
    run "${args[@]}"
    grep -v '^host time:' "$T/err" >"$T/err2"
    cmp -s "$T/out1" "$T/out" || fail "multi-process: stdout differs"
    if ! diff -u "$T/err1" "$T/err2" >&2; then
        fail "multi-process: stats differ between two runs"
    fi
    # Native code changes nothing but host time: from a block's first
    # run, or never.
    local jit
    for jit in 1 off; do
        run --jit "$jit" "${args[@]}"
        grep -v '^host time:' "$T/err" >"$T/err2"
        cmp -s "$T/out1" "$T/out" || fail "--jit $jit: stdout differs"
        if ! diff -u "$T/err1" "$T/err2" >&2; then
            fail "--jit $jit: stats differ from the default's"
        fi
    done

    # The same machine driven by the debugger, straight through and with
    # a breakpoint and single steps on the way, ends at the same cycle
    # with the same instruction count: stepping and slicing change nothing.
    local progs=(yield 3 -- yield 2 -- hello) cycles insns script
    run --stats "${progs[@]}"
    cycles=$(stat "total cycles")
    insns=$(stat "instructions")
    for script in 'c\nstats\nquit\n' \
        'b hello:main\nc\nsi 500\nc\nstats\nquit\n'; do
        # shellcheck disable=SC2059  # the script is a printf format
        printf "$script" | "$LDE" debug "${progs[@]}" >"$T/err" 2>&1
        [ "$(stat "total cycles")" = "$cycles" ] &&
            [ "$(stat "instructions")" = "$insns" ] ||
            fail "lde debug ($script) ends at other counts than lde run" \
                "($cycles cycles, $insns instructions)"
    done
}

# LDE_PERF_MAP: perf's map of native code, a line per translated block,
# "START SIZE lde MODE PC" in hex, for the process that wrote it.
t_perfmap() {
    LDE_PERF_MAP=1 "$LDE" run compute 20000 >"$T/out" 2>"$T/err" </dev/null &
    local pid=$!
    wait "$pid"
    rc=$?
    expect_rc 0 "LDE_PERF_MAP=1 lde run compute"
    local map=/tmp/perf-$pid.map
    if [ ! -s "$map" ]; then
        fail "no perf map at $map"
        return
    fi
    grep -Evq '^[0-9a-f]+ [0-9a-f]+ lde (user|kernel) 0x[0-9a-f]{8}$' "$map" &&
        fail "a perf map line is not 'START SIZE lde MODE PC'"
    grep -q ' lde user 0x' "$map" || fail "no user block in the perf map"
    grep -q ' lde kernel 0x' "$map" || fail "no kernel block in the perf map"
    rm -f "$map"
    run --jit off compute 20000
    expect_rc 0 "lde run --jit off compute"
}

# user + kernel + idle == total, with and without idle time.
t_accounting() {
    local total user kernel idle
    for args in "hello -- compute 5000 -- yield 3" "--max-cycles 2M spinner" \
        "usertests"; do
        # shellcheck disable=SC2086
        run --stats $args
        total=$(stat "total cycles")
        user=$(stat "user cycles")
        kernel=$(stat "kernel cycles")
        idle=$(stat "idle cycles")
        if [ -z "$total" ] || [ -z "$user" ] || [ -z "$kernel" ] ||
            [ -z "$idle" ]; then
            fail "$args: no cycle counts in the stats"
            show
            continue
        fi
        if [ $((user + kernel + idle)) -ne "$total" ]; then
            fail "$args: user $user + kernel $kernel + idle $idle != $total"
        fi
        # Per process, the machine's measurements: the user columns add up
        # to the user total, the kernel columns and boot to the kernel's.
        local boot pusers pkernels
        boot=$(stat "kernel at boot")
        pusers=$(awk '$1 ~ /^[0-9]+$/ && NF >= 8 { s += $4 } END { print s+0 }' "$T/err")
        pkernels=$(awk '$1 ~ /^[0-9]+$/ && NF >= 8 { s += $5 } END { print s+0 }' "$T/err")
        if [ "$pusers" -ne "$user" ]; then
            fail "$args: per-process user cycles add up to $pusers, not $user"
            show
        fi
        if [ $((boot + pkernels)) -ne "$kernel" ]; then
            fail "$args: boot $boot + per-process kernel $pkernels != $kernel"
            show
        fi
        expect_has err "instructions:"
        expect_has err "context switches:"
        expect_has err "system calls:"
    done
}

# The stats report lists every process with its end.
t_stats() {
    run --stats hello -- compute 1000
    expect_rc 0 "stats"
    expect_has err "---- lde stats ----"
    expect_has err "processes:        2"
    if ! grep -Eq "^ +1 +0 hello +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+  exit 0$" \
        "$T/err"; then
        fail "no line for hello in the stats"
        show
    fi
    expect_has err "write "
    expect_has err "exit_group "
    # A kernel without symbols: the report says what it cannot show.
    if [ -z "$STRIP" ]; then
        fail "riscv64-unknown-elf-strip not found"
    else
        "$STRIP" -o "$T/kernel.stripped" "$KERNEL_ELF"
        run --stats --kernel "$T/kernel.stripped" hello
        expect_rc 0 "stripped kernel"
        expect_has err "the kernel has no symbol"
        expect_has err "total cycles:"
    fi
}

# With no program: the demo. All three jobs end by themselves (the
# spinner after its count), so the run ends with compute's exit status.
t_demo() {
    run
    expect_rc 0 "demo"
    expect_has out "compute: check ok"
    expect_has out "spinner: spinning"
    expect_has out "spinner: done after 2000000 spins"
    expect_has err "---- lde stats ----"
    if has err "still running"; then
        fail "demo: a job was still running at the end"
        show
    fi
}

# Console input: lde feeds its stdin to the guest a line at a time; a read
# blocks in the kernel until input comes and returns 0 at its end.
t_stdin() {
    printf 'first line\nsecond\n' | "$LDE" run cat >"$T/out" 2>"$T/err"
    rc=$?
    expect_rc 0 "cat with two lines"
    expect_out "cat with two lines" <<'OUT'
first line
second
OUT
    # Input that ends without a newline, then input closed from the start.
    printf 'no newline' | "$LDE" run cat >"$T/out" 2>"$T/err"
    rc=$?
    expect_rc 0 "cat without a final newline"
    printf 'no newline' | expect_out "cat without a final newline"
    run cat
    expect_rc 0 "cat with no input"
    expect_out "cat with no input" </dev/null
    # stdin not even open: no input either. Whatever lde opens for itself
    # (its own file, to map the built-in programs) must not take fd 0.
    "$LDE" run cat >"$T/out" 2>"$T/err" <&-
    rc=$?
    expect_rc 0 "cat with stdin closed"
    expect_out "cat with stdin closed" </dev/null
    # A reader beside a spinner still gets its input and ends.
    printf 'x\n' | "$LDE" run --max-cycles 5000000 cat -- spinner \
        >"$T/out" 2>"$T/err"
    rc=$?
    expect_rc 124 "cat beside a spinner"
    printf 'x\nspinner: spinning\n' | expect_out "cat beside a spinner"
}

# The built-in programs' file table is mapped from lde's own file, not
# copied (docs/isa.md §9): one mmap of a descriptor over guest RAM, which
# is what keeps start-up under a millisecond. Were it copied, every run
# would still be right, only slower; this is the test that notices, on
# the real lde (static, not a PIE).
t_maps_builtins() {
    if ! command -v strace >/dev/null; then
        fail "strace is missing (scripts/deps.sh installs it)"
        return
    fi
    # LeakSanitizer cannot run under ptrace (the sanitizer build): off.
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        strace -e trace=openat,mmap -o "$T/trace" "$LDE" run hello \
        >"$T/out" 2>"$T/err" </dev/null
    rc=$?
    expect_rc 0 "lde run hello under strace"
    expect_out "lde run hello under strace" <<'OUT'
hello, world from lde
OUT
    # openat(..., "/proc/self/exe", ...) = FD, then an mmap of FD with
    # MAP_FIXED at a page-aligned offset.
    local fd
    fd=$(sed -n 's|^openat(.*"/proc/self/exe".*) = \([0-9][0-9]*\)$|\1|p' \
        "$T/trace" | head -1)
    if [ -z "$fd" ]; then
        fail "lde did not open its own file"
        cat "$T/trace" >&2
        return
    fi
    if ! grep -qE "^mmap\(0x[0-9a-f]+, [0-9]+, PROT_READ\|PROT_WRITE, [A-Z_|]*MAP_FIXED[A-Z_|]*, $fd, 0x[0-9a-f]*000\) = 0x" \
        "$T/trace"; then
        fail "the built-in programs were not mapped from fd $fd"
        cat "$T/trace" >&2
    fi
}

# Input that never ends and has no newline (/dev/zero) is fed to the guest
# in chunks as it asks: the run goes on, lde's memory does not grow with
# the line, and the bytes arrive (before, lde read a whole line first and
# never got to the end of it).
t_endless_input() {
    timeout 120 "$LDE" run --stats --max-cycles 20M cat </dev/zero \
        >"$T/out" 2>"$T/err"
    rc=$?
    expect_rc 124 "cat </dev/zero stops at --max-cycles"
    local bytes reads
    bytes=$(wc -c <"$T/out")
    reads=$(sed -n 's/^system calls:.* read \([0-9]*\).*/\1/p' "$T/err")
    if [ "$bytes" -lt 100000 ] || [ -z "$reads" ] || [ "$reads" -lt 100 ]; then
        fail "cat </dev/zero: $bytes bytes copied in ${reads:-no} reads"
        show
    fi
}

# A failed write of the guest's output is one line and status 125, after
# the run (docs/usage.md).
t_output_error() {
    "$LDE" run hello >/dev/full 2>"$T/err"
    rc=$?
    expect_rc 125 "stdout is /dev/full"
    if [ "$(cat "$T/err")" != "lde: cannot write the guest's output: stdout: No space left on device" ]; then
        fail "stdout is /dev/full: not the one line expected"
        show
    fi
    # (The guest's stderr: tests/cc/cc.sh, with a program that uses it.)
}

# One Ctrl-C at a terminal while the guest waits for console input stops
# the run at once: the output so far, the report, status 130 (before, the
# blocked read restarted and only a second Ctrl-C, which kills lde, ended
# it). tmux gives lde a real terminal and sends the keys.
t_interrupt() {
    if ! command -v tmux >/dev/null; then
        fail "tmux not found (apt-get install tmux)"
        return
    fi
    local sock="lde-e2e-$$" i screen
    printf '%s\n' "\"$LDE\" run --stats cat 2>\"$T/err\"" \
        "echo \$? >\"$T/rc\"" 'sleep 60' >"$T/go.sh"
    tmux -L "$sock" new-session -d -s t -x 150 -y 40 "bash $T/go.sh"
    if true; then
        # The terminal keeps what is typed until cat reads it.
        tmux -L "$sock" send-keys -t t 'first line' Enter
        # Typed, then echoed by cat: twice on the screen.
        for i in $(seq 200); do
            [ "$(tmux -L "$sock" capture-pane -p -t t | grep -c 'first line')" -ge 2 ] && break
            sleep 0.1
        done
        tmux -L "$sock" send-keys -t t C-c
        for i in $(seq 200); do
            [ -s "$T/rc" ] && break
            sleep 0.1
        done
        screen=$(tmux -L "$sock" capture-pane -p -t t)
        if [ ! -s "$T/rc" ]; then
            fail "one Ctrl-C did not end lde run"
        else
            rc=$(cat "$T/rc")
            expect_rc 130 "Ctrl-C while cat waits for input"
            [ "$(grep -c 'first line' <<<"$screen")" -ge 2 ] ||
                fail "cat's output before Ctrl-C was lost"
            expect_has err "lde: interrupted at cycle"
            expect_has err "still running: cat (pid 1, console)"
            expect_has err "---- lde stats ----"
        fi
    fi
    tmux -L "$sock" kill-server 2>/dev/null
}

# Options that change the machine.
t_options() {
    # The run stops at the first instruction boundary at or past the limit.
    run --max-cycles 1ms --stats spinner
    expect_rc 124 "--max-cycles 1ms"
    local total
    total=$(stat "total cycles")
    if [ -z "$total" ] || [ "$total" -lt 100000 ] || [ "$total" -gt 100100 ]; then
        fail "--max-cycles 1ms: $total cycles, want 100000 (or a few more)"
    fi
    run --clock 1MHz --max-cycles 1ms --stats spinner
    total=$(stat "total cycles")
    if [ -z "$total" ] || [ "$total" -lt 1000 ] || [ "$total" -gt 1100 ]; then
        fail "--clock 1MHz --max-cycles 1ms: $total cycles, want 1000"
    fi
    run --quantum 1ms --ram 8M hello
    expect_rc 0 "--quantum 1ms --ram 8M"
    printf 'div 50\n' >"$T/costs"
    run --stats --costs "$T/costs" compute 1000
    expect_rc 0 "--costs"
    printf 'nonsense here\n' >"$T/costs"
    run --costs "$T/costs" hello
    expect_rc 1 "bad --costs file"
    # A free instruction would let a loop run without time passing, so
    # no --max-cycles or timer could ever stop it: refused, not a hang.
    printf 'alu 0\njump 0\n' >"$T/costs"
    run --costs "$T/costs" --max-cycles 1M spinner
    expect_rc 1 "zero-cost instructions"
    expect_has err "'alu' needs a whole number from 1 to 1000000"
    run --version
    expect_rc 0 "--version"
    expect_has out "lde "
    run --help
    expect_rc 0 "--help"
    expect_has out "usage: lde run"
}

# Bad input: one line (plus a usage hint for usage errors), the right status.
one_line() {
    local lines
    lines=$(wc -l <"$T/err")
    if [ "$lines" -ne "$1" ]; then
        fail "$2: $lines lines on stderr, want $1"
        show
    fi
    if ! head -n 1 "$T/err" | grep -q '^lde: '; then
        fail "$2: stderr does not start with 'lde: '"
        show
    fi
}

t_bad_input() {
    run "$T/nosuch.elf"
    expect_rc 1 "missing file"
    one_line 1 "missing file"
    expect_has err "nosuch.elf: No such file or directory"

    run nosuch
    expect_rc 1 "unknown built-in"
    one_line 1 "unknown built-in"

    printf 'not an elf\n' >"$T/text.elf"
    run "$T/text.elf"
    expect_rc 1 "text file"
    one_line 1 "text file"
    expect_has err "text.elf: not an ELF file"

    head -c 40 "$GUEST_DIR/hello.elf" >"$T/trunc.elf"
    run hello -- "$T/trunc.elf"
    expect_rc 1 "truncated ELF"
    one_line 1 "truncated ELF"
    expect_has err "trunc.elf: truncated ELF header"
    expect_lacks out "hello"

    # An x86-64 executable of the host.
    run /bin/sh
    expect_rc 1 "host executable"
    one_line 1 "host executable"
    expect_has err "ELF64, expected ELF32 RISC-V"

    run --kernel "$T/text.elf" hello
    expect_rc 1 "bad kernel"
    one_line 1 "bad kernel"

    run --frobnicate hello
    expect_rc 2 "bad flag"
    one_line 2 "bad flag"
    run --ram lots hello
    expect_rc 2 "bad --ram"
    one_line 2 "bad --ram"
    run --quantum 5 hello
    expect_rc 2 "tiny quantum"
    # Eight copies of a 150 KB program do not fit in 1M with the kernel.
    local many=(usertests) i
    for i in $(seq 7); do many+=(-- usertests); done
    run --ram 1M "${many[@]}"
    expect_rc 2 "RAM too small"
    one_line 1 "RAM too small"
    expect_has err "--ram 1024K is too small: the kernel and the boot data take"
    # With another kernel, lde cannot know how it shares RAM: only that
    # the kernel and the boot data must fit.
    run --ram 1M --kernel "$KERNEL_ELF" "${many[@]}"
    expect_rc 1 "RAM too small for the boot data"
    one_line 1 "RAM too small for the boot data"
    expect_has err "RAM too small: the kernel and 8 program images (with the files for exec) need"

    # The smallest --ram the message names runs; 4K less is refused before
    # boot (before, it booted and the kernel refused the program, 126).
    run --ram 4M hello
    expect_rc 2 "--ram 4M"
    one_line 1 "--ram 4M"
    local least
    least=$(sed -n 's/.*at least --ram \([0-9]*\)K$/\1/p' "$T/err")
    if [ -z "$least" ]; then
        fail "--ram 4M: no minimum named"
    else
        run --ram "${least}K" hello
        expect_rc 0 "--ram ${least}K, the minimum named"
        expect_has out "hello, world from lde"
        run --ram "$((least - 4))K" hello
        expect_rc 2 "--ram $((least - 4))K, below the minimum"
    fi
    # A trailing -- ends the list, harmlessly; an empty program between
    # two is still an error.
    run hello --
    expect_rc 0 "trailing --"
    expect_out "trailing --" <<'OUT'
hello, world from lde
OUT
    run hello -- -- hello
    expect_rc 2 "empty program between two --"
    expect_has err "expected a program after '--'"
    run --file "$T/nosuch:/x" hello
    expect_rc 1 "--file of a missing file"
    one_line 1 "--file of a missing file"
    expect_has err "nosuch: No such file or directory"
    run --file "$T/text.elf:" hello
    expect_rc 1 "--file with an empty guest name"
    one_line 1 "--file with an empty guest name"
    "$LDE" frob >"$T/out" 2>"$T/err"
    rc=$?
    expect_rc 2 "unknown command"
    expect_has err "unknown command 'frob'"
    "$LDE" >"$T/out" 2>"$T/err"
    rc=$?
    expect_rc 2 "no command"
}

# What lde cannot run is refused before boot, in one line, exit 1: real
# toolchain output for other ISAs and ABIs, and headers the kernel would
# refuse (before, the kernel did, with exit 126 after boot).
patch_byte() { # FILE OFFSET BYTE(octal)
    printf "\\$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

t_cannot_run() {
    if [ -z "$CROSS_CC" ]; then
        fail "riscv64-unknown-elf-gcc not found"
        return
    fi
    printf 'void _start(void) { for (;;) ; }\n' >"$T/s.c"
    local flags want
    while IFS='|' read -r flags want; do
        # shellcheck disable=SC2086
        "$CROSS_CC" $flags -nostdlib -static -O2 "$T/s.c" -o "$T/s.elf" ||
            { fail "cannot build with $flags"; continue; }
        run "$T/s.elf"
        expect_rc 1 "$flags"
        one_line 1 "$flags"
        expect_has err "$want"
        expect_has err "rebuild with -march=rv32im -mabi=ilp32"
    done <<'CASES'
-march=rv32imac -mabi=ilp32|built with compressed instructions (the C extension, as for rv32imac)
-march=rv32imf -mabi=ilp32f|built for the ilp32f float ABI
-march=rv32imafd -mabi=ilp32d|built for the ilp32d float ABI
-march=rv64imac -mabi=lp64|an RV64 program (ELF64), and lde runs RV32
CASES

    cp "$GUEST_DIR/hello.elf" "$T/v2.elf"
    patch_byte "$T/v2.elf" 20 002 # e_version = 2
    run hello -- "$T/v2.elf"
    expect_rc 1 "e_version 2"
    one_line 1 "e_version 2"
    expect_has err "v2.elf: bad ELF version 2 in the header (e_version)"
    expect_lacks out "hello"

    cp "$GUEST_DIR/hello.elf" "$T/entry.elf"
    patch_byte "$T/entry.elf" 24 002 # e_entry = 0x10002
    run "$T/entry.elf"
    expect_rc 1 "misaligned entry"
    one_line 1 "misaligned entry"
    expect_has err "entry.elf: entry point 0x10002 is not 4-byte aligned"

    # The kernel takes at most 1024 arguments, argv[0] included.
    # shellcheck disable=SC2046
    run args $(seq 1023)
    expect_rc 0 "1024 arguments"
    expect_has out "argc=1024"
    # shellcheck disable=SC2046
    run args $(seq 1024)
    expect_rc 1 "1025 arguments"
    one_line 1 "1025 arguments"
    expect_has err "args: too many arguments (1025, at most 1024)"
    run args "$(head -c 70000 /dev/zero | tr '\0' x)"
    expect_rc 1 "70000 bytes of arguments"
    one_line 1 "70000 bytes of arguments"
    expect_has err "args: arguments too long (70006 bytes, at most 65536)"
}

# A machine that stops without a halt: a user program booted as the kernel
# makes a system call with no trap table, a double fault (exit 122).
t_halts() {
    run --stats --kernel "$GUEST_DIR/hello.elf" hello
    expect_rc 122 "double fault"
    expect_has err "lde: double fault: "
    expect_has err "kernel mode, cycle "
    expect_has err "total cycles:"
    expect_has err "the kernel has no symbol"

    # A kernel that panics: its reason, the state, status 121.
    run --kernel "$TEST_KERNELS/kernel_panic.elf" hello
    expect_rc 121 "kernel panic"
    expect_has err "lde: kernel panic: the test kernel gives up on purpose"
    expect_has err "kernel mode, cycle "

    # A kernel that waits for an interrupt that cannot come: status 123.
    run --kernel "$TEST_KERNELS/kernel_deadlock.elf" hello
    expect_rc 123 "deadlock"
    expect_has err "lde: deadlock: wfi at pc 0x00010000 with no interrupt"
    expect_has err "timer off, console input interrupt disabled"

    # A bare-metal program as the kernel: console output, its own status.
    run --kernel "$TEST_KERNELS/kernel_baremetal.elf" hello
    expect_rc 7 "bare-metal program"
    expect_out "bare-metal program" <<'OUT'
bare metal: hello from kernel mode
OUT
}

# --trace: a line per trap and rti. A context switch shows as a timer
# interrupt from one pid followed by an rti into another; a fault shows
# its cause, pc and tval.
t_trace() {
    run --trace --quantum 20000 --max-cycles 200000 spinner -- hello
    expect_rc 124 "--trace"
    expect_has out "hello, world from lde"
    expect_has err "pid 1 K->U rti to 0x00010000 <_start>"
    expect_has err "pid 2 K->U rti to 0x00010000 <_start>"
    expect_has err "pid 2 U->K system call write (64) at "
    expect_has err "pid 2 U->K system call exit_group (94) at "
    expect_has err "pid 1 U->K timer interrupt before "
    grep -A1 "pid 1 U->K timer interrupt" "$T/err" |
        grep -q "pid 2 K->U rti to" ||
        fail "--trace shows no switch from pid 1 to pid 2"
    run --trace fault null
    expect_rc 139 "--trace fault null"
    expect_has err "U->K memory fault at 0x"
    expect_has err "<null+0x"
    expect_has err ", tval 0x00000000"
    # Every line of the trace is one event.
    if grep "^lde: trace:" "$T/err" | grep -qv " pid [0-9-]* [UK]->[UK] "; then
        fail "a --trace line has no pid and direction"
    fi
    "$LDE" debug --trace hello </dev/null >"$T/out" 2>"$T/err"
    rc=$?
    expect_rc 2 "lde debug --trace"
    expect_has err "--trace is for lde run"
}

# Sleeping: the time passes as idle cycles; a sleep past the end of the
# cycle counter never ends, so alone it is a deadlock, reported at once.
t_sleep() {
    run --stats sleeper 1
    expect_rc 0 "sleeper 1"
    expect_has out "sleeper: slept 1.0"
    local idle
    idle=$(stat "idle cycles")
    if [ -z "$idle" ] || [ "$idle" -lt 99000000 ]; then
        fail "sleeper 1: $idle idle cycles, want about 100000000"
    fi
    run sleeper forever -- hello
    expect_rc 123 "sleeper forever"
    expect_has out "hello, world from lde"
    expect_has err "lde: deadlock: wfi at pc"
    expect_has err "lde: blocked for ever: sleeper (pid 1, sleep)"
    run sleeper -1
    expect_rc 1 "sleeper -1"
    expect_has out "clock_nanosleep failed: -22"
}

# Hostile system calls: bad pointers, wrapping lengths, device and kernel
# addresses, unknown numbers. The kernel must answer every call, never
# kill the caller for it and never panic.
t_sysfuzz() {
    local seed
    for seed in 1 20261121; do
        run --stats sysfuzz "$seed" 20000
        expect_rc 0 "sysfuzz seed $seed"
        expect_has out "sysfuzz: 20000 calls:"
        expect_has out ", 0 malformed"
        if has err "killed" || has err "panic"; then
            fail "sysfuzz seed $seed: the process was killed or the kernel panicked"
            show
        fi
    done
}

# Differential conformance: isadiff runs every RV32IM computational,
# branch and sub-word load instruction over corner values and prints a
# checksum per instruction. isadiff.expected was produced by qemu-riscv32,
# an independent implementation of the spec; lde must match it, and so
# must the qemu installed here.
t_isadiff() {
    local expected
    expected="$(dirname "$0")/isadiff.expected"
    run isadiff
    expect_rc 0 "isadiff under lde"
    expect_out "isadiff under lde" <"$expected"
    if [ -z "$QEMU" ]; then
        fail "qemu-riscv32 not found (apt-get install qemu-user)"
        return
    fi
    "$QEMU" "$GUEST_DIR/isadiff.elf" >"$T/out" 2>"$T/err" </dev/null
    rc=$?
    expect_rc 0 "isadiff under qemu"
    expect_out "isadiff under qemu" <"$expected"
}

# ABI compatibility: the same binaries under qemu-riscv32 (Linux ABI).
t_qemu() {
    # scripts/deps.sh installs qemu-user: its absence is a failure here.
    if [ -z "$QEMU" ]; then
        fail "qemu-riscv32 not found (apt-get install qemu-user)"
        return
    fi
    local spec prog
    # fork, pipe, waitid (under waitpid), kill, SIGPIPE and execve: qemu-user
    # cannot execve a RISC-V program itself (no binfmt_misc here), so the
    # cat that procapi runs is, under qemu, a host script running cat.elf.
    printf '#!/bin/sh\nexec "%s" -0 cat "%s/cat.elf"\n' "$QEMU" "$GUEST_DIR" \
        >"$T/cat"
    chmod +x "$T/cat"
    run procapi /bin/cat
    local lde_rc=$rc
    cp "$T/out" "$T/lde_out"
    expect_has out "procapi: ok"
    "$QEMU" -0 procapi "$GUEST_DIR/procapi.elf" "$T/cat" \
        >"$T/out" 2>"$T/err" </dev/null
    rc=$?
    if ! diff -u "$T/lde_out" "$T/out" >&2; then
        fail "procapi: output differs between lde and qemu"
    fi
    [ "$rc" = "$lde_rc" ] ||
        fail "procapi: exit status $lde_rc under lde, $rc under qemu"

    for spec in "hello" "args one two" "compute 1000" "compute 1" \
        "echo a b" "true" "false"; do
        # shellcheck disable=SC2086
        set -- $spec
        prog=$1
        shift
        run "$prog" "$@"
        local lde_rc=$rc
        cp "$T/out" "$T/lde_out"
        "$QEMU" -0 "$prog" "$GUEST_DIR/$prog.elf" "$@" \
            >"$T/out" 2>"$T/err" </dev/null
        rc=$?
        if ! diff -u "$T/lde_out" "$T/out" >&2; then
            fail "$spec: output differs between lde and qemu"
        fi
        [ "$rc" = "$lde_rc" ] ||
            fail "$spec: exit status $lde_rc under lde, $rc under qemu"
    done
}

# ---- scheduling policies (docs/scheduling.md; the rules: test_sched.c) ----

# record FILE N: report N (from 1) of a --json file (a run's report, or
# one per policy: "runs"), as written, without the host's time.
record() {
    awk -v n="$2" '/^\{"schema":"lde-report"/ { k++ }
        k == n && /^"processes_error"/ { print; exit }
        k == n && !/^"host":/ { print }' "$1"
}

# procs FILE N: "pid response turnaround wait cpu" per process of report N.
procs() {
    record "$1" "$2" | awk '
        function field(k,   m) {
            if (!match($0, "\"" k "\":[0-9a-z]+")) return "?"
            m = substr($0, RSTART, RLENGTH); sub(/^"[a-z_]+":/, "", m); return m
        }
        /^  \{"pid":/ {
            print field("pid"), field("response"), field("turnaround"),
                field("wait"), field("user_cycles") + field("kernel_cycles")
        }'
}

# table POLICY: the same columns from the comparison table in $T/err.
table() {
    awk -v p="$1" '$0 == "---- sched " p " ----" { on = 1; next }
        on && /^ +[0-9]+ / { print $1, $3, $4, $5, $7 } on && /^total/ { exit }' "$T/err"
}

# The comparison runs each policy in a fresh session: its figures are the
# ones a run of that policy alone gives, in the table and in the JSON.
t_sched_compare() {
    local progs=(job 20 -- job 10 -- job 15 burst=5 yield)
    local list=fifo,rr,mlfq:quanta=20k/40k/80k
    run --sched "$list" --json "$T/all.json" "${progs[@]}"
    expect_rc 0 "--sched $list"
    [ "$(grep -c 'done' "$T/out")" = 9 ] || fail "three runs of three jobs"
    expect_has err "---- sched: 3 policies, the same programs ----"
    [ "$(grep -c '^{"schema":"lde-report"' "$T/all.json")" = 3 ] ||
        fail "--json: want one report per policy"
    head -n 1 "$T/all.json" | grep -q '^{"schema":"lde-sched-compare"' ||
        fail "--json: not a comparison"
    cp "$T/err" "$T/tables"
    local i=1 p
    for p in fifo rr mlfq:quanta=20000/40000/80000; do
        run --sched "$p" --json "$T/one.json" "${progs[@]}"
        expect_rc 0 "--sched $p alone"
        [ -n "$(record "$T/one.json" 1)" ] || fail "$p: no report"
        if ! diff <(record "$T/all.json" "$i") <(record "$T/one.json" 1) >&2; then
            fail "$p: the comparison's report differs from a run alone"
        fi
        cp "$T/tables" "$T/err"
        [ -n "$(table "$p")" ] || fail "$p: no table"
        if ! diff <(table "$p") <(procs "$T/one.json" 1) >&2; then
            fail "$p: the comparison's table differs from a run alone"
        fi
        i=$((i + 1))
    done
    # The summary line has each run's totals (here the last one's).
    local total switches
    total=$(record "$T/one.json" 1 | sed -n 's/^"end":{"how":"[a-z]*","cycle":\([0-9]*\).*/\1/p')
    switches=$(record "$T/one.json" 1 | sed -n 's/^"context_switches":\([0-9]*\).*/\1/p')
    if ! grep -Eq "^mlfq:quanta=20000/4... +[0-9]+ +[0-9]+ +[0-9]+ +$total +$switches " "$T/tables"; then
        fail "mlfq summary: want $total cycles, $switches switches"
        cat "$T/tables" >&2
    fi
}

t_sched_cli() {
    run --sched help
    expect_rc 0 "--sched help"
    expect_has out "mlfq     multi-level feedback queue"
    expect_has out "quanta"
    # sjf learns the lengths in a first run it does not show.
    run --sched sjf job 5 -- job 2
    expect_rc 0 "sjf"
    expect_has err "lde: sjf: job lengths learned from a first run of the same programs under fifo"
    printf 'job: pid 2 done, 2 units\njob: pid 1 done, 5 units\n' |
        expect_out "sjf: the short job first, the first run not shown"
    # Every run of a comparison reads the same input.
    printf 'one\ntwo\n' >"$T/in"
    "$LDE" run --sched fifo,rr cat <"$T/in" >"$T/out" 2>"$T/err"
    rc=$?
    expect_rc 0 "cat twice"
    [ "$(grep -c '^one$' "$T/out")" = 2 ] || fail "the input replayed"
    # --json -: stdout is the JSON alone.
    run --sched stride --json - job 1
    expect_rc 0 "--json -"
    [ "$(head -c 1 "$T/out")" = "{" ] || fail "--json -: stdout is not JSON"
    expect_has err "job: pid 1 done"
    expect_has out '"sched":"stride"'
    # Arrivals: a program that arrives later is created then.
    run --sched fifo --arrival 0,1ms --json - job 1 -- job 1
    grep -q '"pid":2,"ppid":0,"name":"job",.*"created":100000,' "$T/out" ||
        fail "--arrival: pid 2 not created at cycle 100000"
    # A timeline draws one run.
    run --sched fifo,rr --timeline "$T/t.svg" hello
    expect_rc 2 "--timeline with two policies"
    one_line 1 "--timeline with two policies"
    # Usage errors: one line and the hint, status 2.
    local bad
    for bad in "--sched frob" "--sched mlfq:quanta=10" "--sched rr:quanta=10k" \
        "--sched mlfq:queues=2,quanta=1k/2k/3k" "--sched ,rr" \
        "--sched lottery:seed=x" "--tickets 0" "--tickets 1,,2" \
        "--arrival soon" "--tickets 1,2"; do
        # shellcheck disable=SC2086
        run $bad hello
        expect_rc 2 "$bad"
        one_line 2 "$bad"
    done
    run --sched mlfq:quanta=10 hello
    expect_has err "--sched mlfq quanta: 10 is 10: the range is 1000 to 4294967295"
    run --tickets 1,2 hello
    expect_has err "--tickets: 2 values for 1 program"
    # A missing program stops the comparison at its first run.
    run --sched fifo,rr "$T/nosuch.elf"
    expect_rc 1 "a missing program, two policies"
    expect_has err "nosuch.elf: No such file or directory"
    expect_lacks err "run 2 of 2"
    run --sched fifo --json "$T/no/such/dir.json" hello
    expect_rc 1 "--json into a missing directory"
    # lde debug runs one policy.
    "$LDE" debug --sched rr,fifo hello </dev/null >"$T/out" 2>"$T/err"
    rc=$?
    expect_rc 2 "lde debug with two policies"
    printf 'c\n' | "$LDE" debug --sched sjf job 2 -- job 1 >"$T/out" 2>"$T/err"
    rc=$?
    expect_rc 0 "lde debug --sched sjf"
    expect_has out "job lengths learned"
}

test=${1:?usage: e2e.sh TEST}
if ! declare -F "t_$test" >/dev/null; then
    echo "e2e.sh: no test '$test'" >&2
    exit 2
fi
"t_$test"
[ -e "$T/failed" ] && failed=1
exit $failed
