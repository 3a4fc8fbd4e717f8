#!/usr/bin/env bash
# bench/profile.sh [-t callgrind|perf] [WORKLOAD [ITERATIONS]]
#
# A profile of lde running one of the comparison workloads (bench/workloads,
# default cmark) or a built-in program (e.g. bench_compute). It configures
# and builds build-prof/: the Release build with debug information and
# frame pointers, so that both tools can name source lines and callers.
#
#   -t callgrind (default)  valgrind --tool=callgrind: exact host
#                           instruction counts per function and per source
#                           line; prints the top functions and the hottest
#                           lines of src/cpu/, and keeps
#                           build-prof/callgrind.out for kcachegrind or
#                           callgrind_annotate. Slow (~50x): a few million
#                           guest instructions are enough.
#   -t perf                 perf record -g at full speed: sampled time per
#                           symbol (perf.data in build-prof/). Needs
#                           perf_event_paranoid <= 2, or root.
#
# Host instructions per guest instruction = the callgrind total divided by
# the instret that `lde run --stats` prints for the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=callgrind
while getopts "t:" opt; do
    case $opt in
    t) tool=$OPTARG ;;
    *) echo "usage: bench/profile.sh [-t callgrind|perf] [WORKLOAD [ITERATIONS]]" >&2
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

cmake -S . -B build-prof -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS="-g -fno-omit-frame-pointer" >/dev/null
cmake --build build-prof -j2 >/dev/null 2>&1 ||
    { echo "profile: build-prof failed (cmake --build build-prof)" >&2; exit 1; }
prog=build-prof/bench/rv32/bench_$workload.elf
[ -f "$prog" ] || prog=$workload # a built-in program (bench_compute ...)

build-prof/lde run --stats "$prog" "$iters" 2>&1 | grep -E "^(instructions|host time):"
case $tool in
callgrind)
    out=build-prof/callgrind.out
    valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file="$out" \
        build-prof/lde run "$prog" "$iters" >/dev/null 2>build-prof/callgrind.log
    grep -E "refs" build-prof/callgrind.log | sed 's/^==[0-9]*== /host /'
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
    perf record -q -g -o build-prof/perf.data build-prof/lde run "$prog" "$iters" >/dev/null
    perf report -i build-prof/perf.data --stdio --no-children --percent-limit 1 2>/dev/null |
        grep -v '^#' | grep -v '^$' | head -n 40 || true
    ;;
esac
