#!/usr/bin/env bash
# bench/run.sh [BUILD_DIR]: print lde's performance figures.
#  1. the bare interpreter: guest MIPS on a kernel-mode loop with no traps;
#  2. a compute-bound user program under the guest kernel (timer on):
#     guest MIPS as `lde run --stats` reports it;
#  3. the OSTEP ch. 6 homework: cycles per null system call and per
#     context switch, measured inside the guest, and a yield-and-switch's
#     kernel instructions by function (yield_breakdown.sh);
#  4. reverse execution: the cost of recording and of going back.
# Figures vary with the host; cycle counts do not (the model is exact).
set -euo pipefail
build=${1:-build}
lde=$build/lde
[ -x "$lde" ] || { echo "bench: build first (cmake --build $build)" >&2; exit 1; }

echo "== interpreter (bare metal, no traps)"
"$build/bench/bench_interp" "$build/bench/interp_mix.elf" 20000000 3 | tail -n 1

echo "== compute-bound guest under the kernel (bench_compute)"
"$lde" run --stats bench_compute 50000 2>&1 |
    grep -E "checksum|MIPS|instructions|cycles:" || true

echo "== null system call (syscost)"
"$lde" run syscost 100000

echo "== context switch (ctxsw, two processes ping-ponging with sched_yield)"
"$lde" run ctxsw 10000 -- ctxsw 10000
"$(dirname "$0")/yield_breakdown.sh" "$build"

echo "== --trace insn: a million instructions (lde and spike formats)"
for fmt in lde spike; do
    /usr/bin/env time -f "$fmt: %U s user, %e s wall" \
        "$lde" run --trace insn --trace-format "$fmt" --window first=1000000 \
        bench_compute 2000 2>&1 >/dev/null | grep -v "^lde: trace\|^core " || true
done

echo "== going back in time (bench_reverse: 10^9 steps, then 10^8 back)"
"$build/bench/bench_reverse" 1000000000 100000000 bench_compute 200000
