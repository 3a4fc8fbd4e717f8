#!/usr/bin/env bash
# difftest.sh FIRST COUNT: differential testing of lde against qemu-riscv32.
# For each seed FIRST .. FIRST+COUNT-1, rvgen writes a random RV32IM
# program (tests/difftest/rvgen.c), the cross compiler assembles it into a
# static ELF, and the ELF runs under `lde run` (user mode, under the real
# kernel) and under qemu-riscv32. Both must exit 0 and print the same
# bytes: the registers and the data area at exit. The programs' own count
# of retired instructions (rdinstret under lde, with --cooperative so no
# timer interrupt runs kernel code in between) is summed and reported.
#
# Environment: LDE, RVGEN, QEMU (qemu-riscv32), CROSS_CC
# (riscv64-unknown-elf-gcc); RVGEN_FLAGS (e.g. --no-div-by-zero);
# LDE_FLAGS: options for `lde run` (e.g. --jit 1);
# DIFFTEST_MIN_INSNS: fail unless at least this many ran under lde;
# DIFFTEST_KEEP=DIR: keep every failing program's .S and .elf there.
set -u
: "${LDE:?}" "${RVGEN:?}" "${QEMU:?}" "${CROSS_CC:?}"
first=${1:?usage: difftest.sh FIRST COUNT}
count=${2:?usage: difftest.sh FIRST COUNT}
flags=${RVGEN_FLAGS:-}
keep=${DIFFTEST_KEEP:-}

T=$(mktemp -d "${TMPDIR:-/tmp}/lde_difftest.XXXXXX")
trap 'rm -rf "$T"' EXIT

# Dump layout (rvgen.c): 32 words, word r = xr; then the data area.
show_diff() {
    local a=$1 b=$2
    paste <(od -An -v -tx4 -w4 "$a") <(od -An -v -tx4 -w4 "$b") |
        awk '$1 != $2 {
                 w = NR - 1
                 where = w < 32 ? sprintf("x%d", w) : sprintf("data+%d", 4 * (w - 32))
                 printf "  %-9s lde %s  qemu %s\n", where, $1, $2
                 if (++n == 8) exit
             }' >&2
}

failed=0
total=0
for ((seed = first; seed < first + count; seed++)); do
    # shellcheck disable=SC2086
    "$RVGEN" $flags "$seed" >"$T/p.S" || { failed=1; continue; }
    # --no-relax: no gp-relative addressing (nothing sets gp here)
    if ! "$CROSS_CC" -march=rv32im -misa-spec=2.2 -mabi=ilp32 -nostdlib \
        -static -Wl,--no-relax -Wl,-Ttext=0x10000 -o "$T/p.elf" "$T/p.S"; then
        echo "difftest: seed $seed: does not assemble" >&2
        failed=1
        continue
    fi
    # shellcheck disable=SC2086 # LDE_FLAGS are words
    "$LDE" run ${LDE_FLAGS:-} --cooperative "$T/p.elf" >"$T/lde.out" 2>"$T/lde.err" </dev/null
    lrc=$?
    "$QEMU" "$T/p.elf" >"$T/qemu.out" 2>"$T/qemu.err" </dev/null
    qrc=$?
    bad=""
    [ "$lrc" = 0 ] || bad="lde exit status $lrc ($(head -c 300 "$T/lde.err" | tr -d '\0' | grep -a '^lde' | head -n 1))"
    [ "$qrc" = 0 ] || bad="$bad qemu exit status $qrc"
    if [ -z "$bad" ] && ! cmp -s "$T/lde.out" "$T/qemu.out"; then
        bad="registers or memory differ at exit"
    fi
    if [ -n "$bad" ]; then
        echo "difftest: seed $seed ($flags): $bad" >&2
        [ "$lrc" = 0 ] && [ "$qrc" = 0 ] && show_diff "$T/lde.out" "$T/qemu.out"
        echo "  reproduce: rvgen $flags $seed > p.S (see tests/difftest/difftest.sh)" >&2
        if [ -n "$keep" ]; then
            mkdir -p "$keep"
            cp "$T/p.S" "$keep/seed-$seed.S"
            cp "$T/p.elf" "$keep/seed-$seed.elf"
        fi
        failed=1
        continue
    fi
    n=$(od -An -tu4 -N4 "$T/lde.err" | tr -d ' ')
    total=$((total + ${n:-0}))
done

echo "difftest: seeds $first..$((first + count - 1))${flags:+ ($flags)}: $total instructions executed under lde, registers and memory compared at exit"
if [ -n "${DIFFTEST_MIN_INSNS:-}" ] && [ "$total" -lt "$DIFFTEST_MIN_INSNS" ]; then
    echo "difftest: only $total instructions ran (at least $DIFFTEST_MIN_INSNS wanted)" >&2
    failed=1
fi
if [ "$failed" = 0 ]; then
    echo "difftest: $count passed, 0 failed"
fi
exit $failed
