#!/usr/bin/env bash
# README command 2: the whole test suite. Release build, then the same
# tests again under AddressSanitizer + UndefinedBehaviorSanitizer, then
# static analysis and a short run of every fuzz target (docs/testing.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")

cmake -S . -B build-san -DCMAKE_BUILD_TYPE=Debug -DLDE_SANITIZE=ON >/dev/null
cmake --build build-san -j"$jobs"
(cd build-san && ctest --output-on-failure -j"$jobs")

# cppcheck and clang-tidy (their own clang build directory, build-tidy/).
scripts/static-analysis.sh

# Each libFuzzer target for a short while, two at a time, with a fixed
# seed (the long runs are scripts/fuzz.sh SECONDS).
LDE_FUZZ_JOBS=2 LDE_FUZZ_SEED=1 scripts/fuzz.sh 20

# Last, so a layout slip never hides a test result.
scripts/check-format.sh
echo "lde: all tests passed (release and sanitizer builds, static analysis, fuzz smoke), format clean"
