#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] [TARGET...]: build the libFuzzer targets (clang,
# ASan, UBSan) in build-fuzz/ and run each for SECONDS (default 60), from
# its corpus (build-fuzz/fuzz/corpus/TARGET, kept between runs), its seeds
# (made here from the guest programs, the kernel, the test kernels and the
# debugger transcripts) and its regression inputs (tests/fuzz/TARGET).
# Targets: exec engine elf boot kernel_elf debug gdbproto (default: all); docs/testing.md
# says what each one checks.
#
# LDE_FUZZ_JOBS=N runs N targets at once (default 1); LDE_FUZZ_BUILD=DIR
# builds and works in DIR instead of build-fuzz/; LDE_FUZZ_SEED=N fixes
# libFuzzer's random seed (CI does, so its smoke explores the same inputs
# on every run, up to how many fit in the time). A crash leaves its
# input in build-fuzz/fuzz/crashes/TARGET/ and makes the script fail; to
# keep it as a regression test, copy it to tests/fuzz/TARGET/crash-NAME
# (ctest replays that directory in every build) and fix the bug.
# The last line per target, "fuzz: TARGET: N runs, cov C, ft F, corpus K,
# crashes X", is also appended to build-fuzz/fuzz/summary.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
secs=${1:-60}
[ $# -gt 0 ] && shift
all=(exec engine elf boot kernel_elf debug gdbproto)
targets=("${@:-${all[@]}}")
jobs=${LDE_FUZZ_JOBS:-1}
B=$(realpath -m "${LDE_FUZZ_BUILD:-$ROOT/build-fuzz}")
F=$B/fuzz

scripts/deps.sh
CC=clang-14 cmake -S . -B "$B" -DLDE_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# The fuzzers, and the images their seeds come from.
cmake --build "$B" -j"$(nproc)" --target fuzzers guest_programs lde_kernel \
    e2e_kernel_baremetal e2e_kernel_panic e2e_kernel_deadlock

OBJCOPY=riscv64-unknown-elf-objcopy
images=("$B"/guest/*.elf "$B"/src/kernel/kernel.elf "$B"/tests/e2e/kernel_*.elf)

# ---- seeds ------------------------------------------------------------------
seeds_exec() { # each image's code, run in user and in kernel mode
    local img n
    for img in "${images[@]}"; do
        n=$(basename "$img" .elf)
        "$OBJCOPY" -O binary -j .text "$img" "$1/$n.text"
        # setup bytes: mode flags, timer interval (500), budget seed
        { printf '\001\364\001\007'; head -c 16384 "$1/$n.text"; } >"$1/user-$n"
        { printf '\004\364\001\011'; head -c 16384 "$1/$n.text"; } >"$1/kernel-$n"
        rm "$1/$n.text"
    done
}
seeds_engine() { :; } # tests/fuzz/engine holds them
seeds_elf() { cp "${images[@]}" "$1/"; }
seeds_boot() { :; } # tests/fuzz/boot holds them
seeds_kernel_elf() { # each base program's own first 512 bytes
    # fuzz_kernel_elf.c's BASES, in its order: byte 0 is the index
    local bases=(hello compute yield badptr fault isadiff sysfuzz syscost ctxsw)
    local i
    for i in "${!bases[@]}"; do
        { printf "\\$(printf %03o "$i")\\000"
          head -c 512 "$B/guest/${bases[$i]}.elf"; } >"$1/${bases[$i]}"
    done
}
seeds_debug() { cp tests/debug/cases/*.cmd "$1/"; }
seeds_gdbproto() { :; } # tests/fuzz/gdbproto holds a session

# ---- one target -------------------------------------------------------------
run_target() {
    local t=$1 log=$F/logs/$1.log
    rm -rf "$F/seeds/$t"
    mkdir -p "$F/seeds/$t" "$F/corpus/$t" "$F/crashes/$t" "$F/logs"
    "seeds_$t" "$F/seeds/$t"
    local status=0
    local seed=()
    [ -n "${LDE_FUZZ_SEED:-}" ] && seed=(-seed="$LDE_FUZZ_SEED")
    (cd "$F/crashes/$t" && "$F/fuzz_$t" -max_total_time="$secs" "${seed[@]}" \
        -timeout=20 -print_final_stats=1 -artifact_prefix="$F/crashes/$t/" \
        "$F/corpus/$t" "$F/seeds/$t" "$ROOT/tests/fuzz/$t") >"$log" 2>&1 ||
        status=$?
    local runs cov ft corp crashes
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    # (a crash while loading the corpus leaves no cov: line)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2 || true)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2 || true)
    corp=$(find "$F/corpus/$t" -type f | wc -l)
    crashes=$(find "$F/crashes/$t" -type f \( -name 'crash-*' -o \
        -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    local line="fuzz: $t: ${runs:-0} runs in ${secs} s, cov ${cov:-0}, ft ${ft:-0}, corpus $corp, crashes $crashes"
    echo "$line"
    echo "$(date -u +%FT%TZ) $line" >>"$F/summary.txt"
    if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
        echo "fuzz: $t FAILED (exit $status); log: $log" >&2
        grep -E '^(fuzz_|==[0-9]+==ERROR|SUMMARY)' "$log" | head -n 5 >&2 || true
        ls "$F/crashes/$t" >&2
        return 1
    fi
}

failed=0
pids=()
for t in "${targets[@]}"; do
    if ! declare -F "seeds_$t" >/dev/null; then
        echo "fuzz: no target '$t' (targets: ${all[*]})" >&2
        exit 2
    fi
    run_target "$t" &
    pids+=($!)
    if [ ${#pids[@]} -ge "$jobs" ]; then
        wait "${pids[0]}" || failed=1
        pids=("${pids[@]:1}")
    fi
done
for p in "${pids[@]}"; do
    wait "$p" || failed=1
done
exit $failed
