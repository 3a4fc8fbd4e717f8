#!/usr/bin/env bash
# bench/profile.sh [-t callgrind|perf] [-j N|off] [WORKLOAD [ITERATIONS]]
#
# A profile of lde running one of the comparison workloads (bench/workloads,
# default cmark) or a built-in program (e.g. bench_compute). It configures
# and builds the Release build with debug information: build-callgrind/
# for callgrind (-g only: the very code of the Release build, so its counts
# are the shipped interpreter's), build-prof/ for perf (with frame pointers
# too, which cost the run loop a register, for call graphs).
#
#   -t callgrind (default)  valgrind --tool=callgrind: exact host
#                           instruction counts per function and per source
#                           line; prints the top functions and the hottest
#                           lines of src/cpu/, and keeps
#                           build-callgrind/callgrind.out for kcachegrind or
#                           callgrind_annotate. Slow (~50x): a few million
#                           guest instructions are enough. Prints host
#                           instructions per guest instruction.
#   -t perf                 perf record -g at full speed: sampled time per
#                           symbol (perf.data in build-prof/); native code
#                           by guest pc and function, through a perf map
#                           (LDE_PERF_MAP). Needs perf_event_paranoid <= 2,
#                           or root.
#
#   -j N|off                lde's --jit: native code for hot blocks (the
#                           default) is one anonymous region to callgrind
#                           ("???:0x..."); -j off profiles the run loop
#                           alone, by function and source line.
#
# Host instructions per guest instruction = the callgrind total divided by
# the instret that `lde run --stats` prints for the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=callgrind
jit=()
while getopts "t:j:" opt; do
    case $opt in
    t) tool=$OPTARG ;;
    j) jit=(--jit "$OPTARG") ;;
    *) echo "usage: bench/profile.sh [-t callgrind|perf] [-j N|off] [WORKLOAD [ITERATIONS]]" >&2
       exit 2 ;;
    esac
done
shift $((OPTIND - 1))
workload=${1:-cmark}
case $tool in
callgrind) iters=${2:-100} ;;
perf) iters=${2:-4000} ;;
*) echo "profile: unknown tool '$tool' (callgrind or perf)" >&2; exit 2 ;;
esac

if [ "$tool" = callgrind ]; then
    dir=build-callgrind flags="-g"
else
    dir=build-prof flags="-g -fno-omit-frame-pointer"
fi
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS="$flags" >/dev/null
cmake --build "$dir" -j2 >/dev/null 2>&1 ||
    { echo "profile: $dir failed (cmake --build $dir)" >&2; exit 1; }
prog=$dir/bench/rv32/bench_$workload.elf
[ -f "$prog" ] || prog=$workload # a built-in program (bench_compute ...)

stats=$("$dir"/lde run "${jit[@]}" --stats "$prog" "$iters" 2>&1 | grep -E "^(instructions|host time):")
echo "$stats"
case $tool in
callgrind)
    out=$dir/callgrind.out
    valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file="$out" \
        "$dir"/lde run "${jit[@]}" "$prog" "$iters" >/dev/null 2>"$dir"/callgrind.log
    grep -E "refs" "$dir"/callgrind.log | sed 's/^==[0-9]*== /host /'
    guest=$(echo "$stats" | awk '/^instructions/ { gsub(",", "", $2); print $2 }')
    host=$(awk '/refs/ { gsub(",", "", $NF); print $NF }' "$dir"/callgrind.log)
    awk -v h="$host" -v g="$guest" 'BEGIN { if (g > 0)
        printf "host instructions per guest instruction: %.2f\n", h / g }'
    # (|| true: head closing the pipe early is not a failure)
    callgrind_annotate "$out" | sed -n '/^Ir/,$p' | head -n 12 || true
    echo "-- hottest source lines in src/cpu/"
    callgrind_annotate --auto=yes "$out" 2>/dev/null |
        awk '/^-- Auto-annotated source: .*src\/cpu\// { keep = 1; next }
             /^-- Auto-annotated source:/ { keep = 0 }
             /=>|events annotated/ { next }
             keep && $1 ~ /^[0-9,]+$/ { n = $1; gsub(",", "", n); $1 = "";
                                         printf "%12d %s\n", n, $0 }' |
        sort -g -r | head -n 25 || true
    ;;
perf)
    # Native code is named through a perf map (LDE_PERF_MAP, bench/README.md):
    # "lde user 0x00010604", to which the guest's function is added here.
    LDE_PERF_MAP=1 perf record -q -g -o "$dir"/perf.data \
        "$dir"/lde run "${jit[@]}" "$prog" "$iters" >/dev/null
    addr2line=$(command -v riscv64-unknown-elf-addr2line || true)
    perf report -i "$dir"/perf.data --stdio --no-children --percent-limit 1 2>/dev/null |
        grep -v '^#' | grep -v '^$' | head -n 40 |
        while IFS= read -r line; do
            pc=$(echo "$line" | grep -o 'lde user 0x[0-9a-f]*' | awk '{ print $3 }')
            if [ -n "$pc" ] && [ -n "$addr2line" ] && [ -f "$prog" ]; then
                line="$line ($("$addr2line" -f -e "$prog" "$pc" | head -n 1))"
            fi
            echo "$line"
        done || true
    rm -f /tmp/perf-*.map
    ;;
esac
