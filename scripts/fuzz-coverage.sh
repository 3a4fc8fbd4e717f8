#!/usr/bin/env bash
# scripts/fuzz-coverage.sh [TARGET...]: the line coverage that each fuzz
# target's corpus reaches in the code it is for. Builds build-cov/ (gcc
# --coverage), replays build-fuzz/fuzz/corpus/TARGET, the seeds and
# tests/fuzz/TARGET through fuzz_replay_TARGET, and prints per source file
# the lines executed, as gcov counts them. Run after scripts/fuzz.sh (with
# the same LDE_FUZZ_BUILD, if it was set).
# (kernel_elf's guest kernel runs inside the emulator: gcov sees only the
# host side of it, the emulator and the loader's checks.)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
all=(exec engine elf boot kernel_elf debug gdbproto)
targets=("${@:-${all[@]}}")
B=$ROOT/build-cov
F=$(realpath -m "${LDE_FUZZ_BUILD:-$ROOT/build-fuzz}")/fuzz

# The sources each target is meant to exercise.
declare -A files=(
    [exec]="src/cpu/interp.c src/cpu/block.c src/cpu/trap.c src/cpu/mem.c src/cpu/csr.c src/cpu/devices.c src/cpu/decode.c"
    [engine]="src/cpu/interp.c src/cpu/block.c src/cpu/jit.c src/cpu/trap.c src/cpu/mem.c src/cpu/csr.c src/cpu/devices.c"
    [elf]="src/loader/elf_file.c src/loader/elf_load.c src/loader/symtab.c"
    [boot]="src/loader/boot_block.c"
    [kernel_elf]="src/loader/elf_file.c src/cpu/interp.c src/cpu/trap.c"
    [gdbproto]="src/debug/gdbwire.c src/debug/gdbpkt.c src/debug/gdbregs.c src/debug/gdbresume.c"
    [debug]="src/debug/cmds.c src/debug/expr.c src/debug/data.c src/debug/break.c src/debug/exec.c src/debug/view.c src/debug/stack.c"
)

cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS=--coverage \
    -DCMAKE_EXE_LINKER_FLAGS=--coverage >/dev/null
cmake --build "$B" -j"$(nproc)" --target "${targets[@]/#/fuzz_replay_}" >/dev/null

for t in "${targets[@]}"; do
    find "$B" -name '*.gcda' -delete
    dirs=()
    for d in "$F/corpus/$t" "$F/seeds/$t" "tests/fuzz/$t"; do
        [ -d "$d" ] && [ -n "$(ls -A "$d")" ] && dirs+=("$d")
    done
    "$B/fuzz/fuzz_replay_$t" "${dirs[@]}" >/dev/null 2>"$B/replay-$t.log" || {
        echo "coverage: $t: replay failed (see $B/replay-$t.log)" >&2
        exit 1
    }
    n=$(grep -o '[0-9]* inputs replayed' "$B/replay-$t.log" | cut -d' ' -f1)
    echo "coverage: $t ($n inputs):"
    for f in ${files[$t]}; do
        gcda=$(find "$B" -name "$(basename "$f").gcda" -path "*$(basename "$(dirname "$f")")*" | head -n 1)
        if [ -z "$gcda" ]; then
            echo "  $f: not reached"
            continue
        fi
        (cd "$B" && gcov -n "$gcda" 2>/dev/null) |
            awk -v want="$ROOT/$f" '$1 == "File" { gsub("\x27", "", $2); file = $2 }
                 /^Lines executed/ && file == want { sub("executed:", "", $2); print "  " want ": " $2 " of " $4 " lines"; exit }' |
            sed "s|$ROOT/||"
    done
done
