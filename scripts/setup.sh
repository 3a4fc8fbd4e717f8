#!/usr/bin/env bash
# README command 1: install what is missing, build everything, run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
echo
echo "=== lde run (the demo: limited direct execution, with --stats) ==="
build/lde run
