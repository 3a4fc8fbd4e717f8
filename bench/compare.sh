#!/usr/bin/env bash
# bench/compare.sh [-r RUNS] [-w "WORKLOAD..."] [BUILD_DIR]
#
# lde against qemu-riscv32 and native code on the project's own workloads
# (bench/workloads/*.c): each is built once as a static RV32IM program
# (build/bench/rv32/bench_W.elf) and once for the host (build/bench/native/W)
# from the same C at -O2. In one pass, alternating lde, qemu and native for
# each workload, RUNS times (default 5), it times whole processes (start-up
# included) and prints a Markdown table of median wall times, guest MIPS
# and the ratios lde/qemu and lde/native (CPU-time figures in brackets:
# bench/timeit reports both). Every run's output must carry the same
# checksum on all three, or the script stops.
#
# Guest MIPS = instructions retired / wall time, with the instruction count
# lde reports (--stats; the kernel's share is a few thousand of hundreds of
# millions) used for qemu too: the user program is the same binary.
# A benchmark, not a test: nothing here runs under ctest.
set -euo pipefail
runs=5
workloads="cmark dhry mix strmem"
while getopts "r:w:" opt; do
    case $opt in
    r) runs=$OPTARG ;;
    w) workloads=$OPTARG ;;
    *) echo "usage: bench/compare.sh [-r RUNS] [-w \"WORKLOAD...\"] [BUILD_DIR]" >&2
       exit 2 ;;
    esac
done
shift $((OPTIND - 1))
build=${1:-build}
lde=$build/lde
qemu=$(command -v qemu-riscv32 || true)
[ -x "$lde" ] || { echo "compare: build first (cmake --build $build)" >&2; exit 1; }
[ -n "$qemu" ] || { echo "compare: qemu-riscv32 not found (scripts/deps.sh installs qemu-user)" >&2; exit 1; }

# Iterations per workload: ~400 million guest instructions each.
declare -A iters=([cmark]=8000 [dhry]=1000000 [mix]=1500 [strmem]=2500)

elf() { echo "$build/bench/rv32/bench_$1.elf"; }
native() { echo "$build/bench/native/$1"; }

# One timed run: prints "wall cpu" in seconds (cpu = user + system, of
# the process and its children); the program's output goes to $out.
timeit=$build/bench/timeit
[ -x "$timeit" ] || { echo "compare: $timeit not built" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
timed() {
    "$timeit" "$out" "$@" | awk '{ printf "%.6f %.6f\n", $1, $2 + $3 }'
}
check() { # workload engine expected
    local got
    got=$(grep -o "checksum 0x[0-9a-f]*" "$out" || true)
    if [ "$got" != "$3" ]; then
        echo "compare: $1 under $2 printed '${got:-nothing}', expected '$3'" >&2
        cat "$out" >&2
        exit 1
    fi
}

declare -A expect insns times cpus
for w in $workloads; do
    [ -n "${iters[$w]:-}" ] || { echo "compare: unknown workload $w" >&2; exit 2; }
    [ -f "$(elf "$w")" ] && [ -x "$(native "$w")" ] ||
        { echo "compare: $w not built (cmake --build $build)" >&2; exit 1; }
    "$(native "$w")" "${iters[$w]}" >"$out"
    expect[$w]=$(grep -o "checksum 0x[0-9a-f]*" "$out")
    insns[$w]=$("$lde" run --stats "$(elf "$w")" "${iters[$w]}" 2>&1 |
        awk '/^instructions:/ { print $2 }')
done

for ((r = 1; r <= runs; r++)); do
    for w in $workloads; do
        n=${iters[$w]}
        for e in lde qemu native; do
            case $e in
            lde) cmd=("$lde" run "$(elf "$w")" "$n") ;;
            qemu) cmd=("$qemu" "$(elf "$w")" "$n") ;;
            native) cmd=("$(native "$w")" "$n") ;;
            esac
            read -r wall cpu < <(timed "${cmd[@]}")
            check "$w" "$e" "${expect[$w]}"
            times[$w.$e]+="$wall "
            cpus[$w.$e]+="$cpu "
        done
    done
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 }
    END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $("$qemu" --version | head -n1)"
echo "median of $runs runs each; wall time of the whole process, and in"
echo "brackets its CPU time (user + system), which a busy host inflates less"
echo
echo "| workload | guest instructions | lde s | qemu s | native s | lde MIPS | qemu MIPS | lde/qemu | lde/native |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for w in $workloads; do
    args=()
    for e in lde qemu native; do
        args+=(-v "${e}w=$(echo "${times[$w.$e]}" | median)"
               -v "${e}c=$(echo "${cpus[$w.$e]}" | median)")
    done
    awk -v w="$w" -v i="${insns[$w]}" "${args[@]}" 'BEGIN {
        printf "| %s | %.0f M | %.3f (%.3f) | %.3f (%.3f) | %.3f (%.3f) | %.0f | %.0f | %.2f (%.2f) | %.1f (%.1f) |\n",
            w, i / 1e6, ldew, ldec, qemuw, qemuc, nativew, nativec,
            i / ldew / 1e6, i / qemuw / 1e6, ldew / qemuw, ldec / qemuc,
            ldew / nativew, ldec / nativec }'
done
