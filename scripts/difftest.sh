#!/usr/bin/env bash
# scripts/difftest.sh [N] [FIRST]: differential testing of lde against
# qemu-riscv32 on N random programs (default 200), seeds FIRST.. (default:
# a random start, printed so a failure can be rerun). Builds build/ first.
# RVGEN_FLAGS passes options to the generator (tests/difftest/rvgen.c):
# the default is the one ctest uses (see tests/difftest/CMakeLists.txt).
# Failing programs are kept in build/difftest-failures/.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
first=${2:-$(( (RANDOM << 15 | RANDOM) + 1000 ))}
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target lde rvgen
flags=${RVGEN_FLAGS-$(sed -n 's/^set(LDE_DIFFTEST_FLAGS "*\([^")]*\)"*)$/\1/p' \
    tests/difftest/CMakeLists.txt)}
echo "difftest: $n programs from seed $first"
LDE=build/lde RVGEN=build/tests/difftest/rvgen QEMU=$(command -v qemu-riscv32) \
    CROSS_CC=$(command -v riscv64-unknown-elf-gcc) RVGEN_FLAGS=$flags \
    DIFFTEST_KEEP=build/difftest-failures \
    exec bash tests/difftest/difftest.sh "$first" "$n"
