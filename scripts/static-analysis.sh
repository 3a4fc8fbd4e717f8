#!/usr/bin/env bash
# scripts/static-analysis.sh [BUILD_DIR]: cppcheck and clang-tidy over the
# host code, both required clean (scripts/test.sh runs this). The compile
# commands come from BUILD_DIR (default build-tidy/), configured here for
# clang, whose options clang-tidy understands; nothing is built. The check
# sets are in the tree: .cppcheck-suppressions and .clang-tidy;
# docs/testing.md explains them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
B=${1:-build-tidy}
jobs=$(nproc)
CC=clang-14 cmake -S . -B "$B" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null

# cppcheck: every host source (the tests too), the classes of finding
# that are bugs or portability problems, not style.
cppcheck --project="$B/compile_commands.json" -i "$B" \
    --enable=warning,performance,portability \
    --inline-suppr --suppressions-list=.cppcheck-suppressions \
    --error-exitcode=1 --quiet -j"$jobs"
echo "static analysis: cppcheck clean"

# clang-tidy: the program's code, the fuzz harnesses and the generator;
# the cmocka tests' longjmp-based asserts confuse its analyser.
run-clang-tidy-14 -quiet -j"$jobs" -p "$B" \
    "^$ROOT/(src|fuzz|bench|guest|tests/difftest)/" \
    >"$B/clang-tidy.log" 2>&1 ||
    {
        grep -E '(warning|error): ' "$B/clang-tidy.log" | sort -u >&2
        echo "static analysis: clang-tidy found problems (log: $B/clang-tidy.log)" >&2
        exit 1
    }
echo "static analysis: clang-tidy clean"
