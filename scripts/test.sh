#!/usr/bin/env bash
# README command 2: the whole test suite. Release build, then the same
# tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
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

# Last, so a layout slip never hides a test result.
scripts/check-format.sh
echo "lde: all tests passed (release and sanitizer builds), format clean"
