#!/usr/bin/env bash
# bench/yield_breakdown.sh [BUILD_DIR [KERNEL_ELF]]: where the kernel
# instructions of a yield-and-switch go, by kernel function.
#
# Runs `lde run --trace insn ctxsw 3 -- ctxsw 3` and takes the last two
# sched_yield system calls (the bare-ecall loop of ctxsw): one from pid 1
# to pid 2, one back. For each, from the trap handler's first instruction
# to the rti into the other process, it prints the kernel functions in
# the order they ran, with the instructions retired in each stretch
# (a function that calls another appears again after it), then the total.
# A function is the kernel symbol at or below the pc (`nm -n`). The
# instruction counts are exact and the same on every host; KERNEL_ELF
# (default: the built one) lets the same count be made for another kernel
# (`lde run --kernel`).
set -euo pipefail
build=${1:-build}
kernel=${2:-$build/src/kernel/kernel.elf}
lde=$build/lde
nm=${NM:-riscv64-unknown-elf-nm}
[ -x "$lde" ] || { echo "yield_breakdown: build first" >&2; exit 1; }
command -v "$nm" >/dev/null || { echo "yield_breakdown: $nm not found" >&2; exit 1; }

"$nm" -n "$kernel" | awk '$2 ~ /^[tT]$/ { print $1, $3 }' >"${TMPDIR:-/tmp}/yb.syms.$$"
trap 'rm -f "${TMPDIR:-/tmp}/yb.syms.$$"' EXIT

"$lde" run --kernel "$kernel" --trace insn ctxsw 3 -- ctxsw 3 2>&1 >/dev/null |
    awk -v syms="${TMPDIR:-/tmp}/yb.syms.$$" '
    function hex(h,   v, i) {
        sub(/^0x/, "", h); v = 0
        for (i = 1; i <= length(h); i++)
            v = v * 16 + index("0123456789abcdef", tolower(substr(h, i, 1))) - 1
        return v
    }
    BEGIN {
        while ((getline l < syms) > 0) {
            split(l, w, " "); n++; addr[n] = hex(w[1]); name[n] = w[2]
            if (w[2] == "trap_vector") vec = addr[n]
        }
    }
    function fn(pc,   lo, hi, mid) {
        lo = 1; hi = n
        while (lo < hi) { mid = int((lo + hi + 1) / 2); if (addr[mid] <= pc) lo = mid; else hi = mid - 1 }
        return name[lo]
    }
    /^lde: trace: cycle / {
        pid = $6; mode = $7; pc = hex($8)
        m++; P[m] = pid; M[m] = mode; PC[m] = pc
        # The yield: a7 = 124 (sched_yield) set in user mode just before.
        if (mode == "U" && index($0, "a7=0x0000007c")) y = m
        if (mode == "K" && M[m - 1] == "U" && pc == vec && y && m - y < 8) { s[++ns] = m; y = 0 }
    }
    END {
        for (k = ns - 1; k <= ns; k++) {
            i = s[k]; out = ""; cnt = ""; last = ""; c = 0; tot = 0
            for (j = i; M[j] == "K"; j++) {
                g = fn(PC[j])
                if (g != last && last != "") { out = out " " last; cnt = cnt " " c; c = 0 }
                last = g; c++; tot++
            }
            out = out " " last; cnt = cnt " " c
            printf "pid %s -> pid %s: %d kernel instructions\n", P[i], P[j], tot
            nf = split(out, a, " "); split(cnt, b, " ")
            for (q = 1; q <= nf; q++) printf "  %-18s %4d\n", a[q], b[q]
        }
    }'
