#!/usr/bin/env bash
# cc.sh: `lde cc` as a student uses it: build student.c (argv, malloc,
# string functions, stdio) into a program, run it under lde and under
# qemu-riscv32, and check what the command does around that (warnings
# without -Werror, gcc's errors and status, --print-flags, -c, a missing
# compiler). One test per call:
#     cc.sh build_tree     with the lde of the build tree
#     cc.sh install        with lde installed by `cmake --install` into a
#                          temporary prefix
#     cc.sh stack_room     the host's and the kernel's stack limit agree
#     cc.sh debug_steps    lde debug's step and next on it
#     cc.sh debug_vars     lde debug's C variables on it
#     cc.sh teaching       docs/teaching.md's exercise, end to end
# Environment: LDE (the lde binary), BUILD_DIR (for install), SOURCE_DIR
# and KERNEL_ELF (for teaching), QEMU
# (qemu-riscv32; scripts/deps.sh installs it, its absence is a failure).
set -u

: "${LDE:?}"
QEMU=${QEMU:-}
SRC=$(cd "$(dirname "$0")" && pwd)

T=$(mktemp -d "${TMPDIR:-/tmp}/lde_cc.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

failed=0
fail() {
    echo "FAIL: $*" >&2
    failed=1
}
show() {
    echo "--- stdout:" >&2
    cat "$T/out" >&2
    echo "--- stderr:" >&2
    cat "$T/err" >&2
    echo "---" >&2
}
# cmd ARGS...: run, stdout in out, stderr in err, status in rc.
cmd() {
    "$@" >"$T/out" 2>"$T/err" </dev/null
    rc=$?
}
expect_rc() {
    if [ "$rc" != "$1" ]; then
        fail "exit status $rc, want $1 ($2)"
        show
    fi
}
has() { grep -qF -- "$2" "$T/$1"; }
expect_has() {
    if ! has "$1" "$2"; then
        fail "$1 lacks '$2'"
        show
    fi
}

# The whole story with one lde: build, run, compare with qemu.
student() {
    local lde=$1
    cmd "$lde" cc "$SRC/student.c" -o student
    expect_rc 0 "lde cc student.c"
    [ -s student ] || { fail "no program built"; return; }
    cmd "$lde" run ./student pear apple "fig tree"
    expect_rc 0 "lde run ./student"
    cat >want <<'EOF'
sorted: apple fig tree pear
3 words, 19 bytes, first apple
APPLE FIG TREE PEAR
EOF
    diff -u want out >&2 || fail "student's output under lde"
    cp out lde_out
    # A non-zero status comes back as the run's status.
    cmd "$lde" run ./student xylophone
    expect_rc 1 "student's own status"
    cmd "$lde" run ./student
    expect_rc 2 "student without arguments"
    expect_has err "usage: ./student WORD..."
    # Its usage goes to the guest's stderr: where that cannot be written,
    # lde fails with 125 (docs/usage.md) instead of the guest's 2.
    "$lde" run ./student 2>/dev/full
    rc=$?
    expect_rc 125 "the guest's stderr is /dev/full"

    if [ -z "$QEMU" ]; then
        fail "qemu-riscv32 not found (apt-get install qemu-user)"
    else
        cmd "$QEMU" ./student pear apple "fig tree"
        expect_rc 0 "the same file under qemu-riscv32"
        diff -u lde_out out >&2 || fail "output differs under qemu-riscv32"
    fi

    # Warnings on, -Werror off: an unused parameter warns, and links.
    printf 'int main(int argc, char **argv) { return 3; }\n' >warn.c
    cmd "$lde" cc warn.c -o warn
    expect_rc 0 "a warning is not an error"
    expect_has err "unused parameter 'argc' [-Wunused-parameter]"
    cmd "$lde" run ./warn
    expect_rc 3 "warn's status"

    # OSTEP's p3.c, as the book has it (but echo for wc): fork, execvp,
    # wait, with the C library's names; the exec'd program is /bin/echo.
    cat >p3.c <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    printf("hello world (pid:%d)\n", (int)getpid());
    fflush(stdout);
    int rc = fork();
    if (rc < 0) {
        fprintf(stderr, "fork failed\n");
        exit(1);
    } else if (rc == 0) {
        printf("hello, I am child (pid:%d)\n", (int)getpid());
        fflush(stdout);
        char *myargs[3];
        myargs[0] = strdup("echo");
        myargs[1] = strdup("p3.c");
        myargs[2] = NULL;
        execvp(myargs[0], myargs);
        printf("this shouldn't print out");
    } else {
        int rc_wait = wait(NULL);
        printf("hello, I am parent of %d (rc_wait:%d) (pid:%d)\n", rc,
               rc_wait, (int)getpid());
    }
    return 0;
}
EOF
    cmd "$lde" cc p3.c -o p3
    expect_rc 0 "lde cc p3.c"
    cmd "$lde" run ./p3
    expect_rc 0 "lde run ./p3"
    cat >want <<'EOF'
hello world (pid:1)
hello, I am child (pid:2)
p3.c
hello, I am parent of 2 (rc_wait:2) (pid:1)
EOF
    diff -u want out >&2 || fail "p3's output under lde"

    # gcc's errors pass through, with gcc's status.
    printf 'int main(void) { return x; }\n' >bad.c
    cmd "$lde" cc bad.c -o bad
    expect_rc 1 "a compile error"
    expect_has err "'x' undeclared"
    [ -e bad ] && fail "a program was written despite the error"

    # Separate compilation: -c links nothing, the objects link later.
    cmd "$lde" cc -c "$SRC/student.c" -o student.o
    expect_rc 0 "lde cc -c"
    cmd "$lde" cc student.o -o student2
    expect_rc 0 "lde cc student.o"
    cmd "$lde" run ./student2 b a
    expect_has out "sorted: a b"

    # The command, for a Makefile of one's own; the user's options come
    # after the defaults, so -O2 wins over -Og.
    cmd "$lde" cc --print-flags -O2 x.c -o x
    expect_rc 0 "--print-flags"
    local f
    for f in "riscv64-unknown-elf-gcc " " -march=rv32im -misa-spec=2.2 -mabi=ilp32 " \
        " --specs=picolibc.specs " " -g -Og -Wall -Wextra " " -O2 x.c -o x " \
        " -nostartfiles " "/user.ld " "/lib/crt0.o "; do
        expect_has out "$f"
    done
    has out "-Werror" && fail "--print-flags shows -Werror"
    # The printed command works by itself.
    cmd "$lde" cc --print-flags "$SRC/student.c" -o student3
    sh -c "$(cat out)" >/dev/null 2>&1 || fail "the printed command fails"
    cmd "$lde" run ./student3 q
    expect_has out "sorted: q"

    # No cross compiler: one line, 127.
    cmd env PATH=/nonexistent "$lde" cc "$SRC/student.c" -o nope
    expect_rc 127 "no compiler"
    [ "$(wc -l <err)" -eq 1 ] || { fail "no compiler: not one line"; show; }
    expect_has err "lde: cc: riscv64-unknown-elf-gcc not found"
}

# The demo and `lde run --help` tell a user how to run a program of their
# own: do exactly what they say.
told() {
    local where=$1 cc run
    cc=$(grep -o "'lde cc [^']*'" "$T/$where" | head -n 1 | tr -d "'")
    run=$(grep -o "'lde run ./[^']*'" "$T/$where" | head -n 1 | tr -d "'")
    if [ "$cc" != "lde cc prog.c -o prog" ] || [ "$run" != "lde run ./prog" ]; then
        fail "$where does not say 'lde cc prog.c -o prog' and 'lde run ./prog'"
        show
        return
    fi
    rm -f prog
    cp "$SRC/student.c" prog.c
    cmd "$LDE" ${cc#lde }
    expect_rc 0 "$cc, as $where says"
    cmd "$LDE" ${run#lde } told
    expect_rc 0 "$run, as $where says"
    expect_has out "sorted: told"
}

t_build_tree() {
    student "$LDE"
    cmd "$LDE" run
    told err
    cmd "$LDE" run --help
    told out
}

t_install() {
    : "${BUILD_DIR:?}"
    cmd cmake --install "$BUILD_DIR" --prefix "$T/prefix"
    expect_rc 0 "cmake --install"
    [ -x "$T/prefix/bin/lde" ] || { fail "no installed lde"; return; }
    # Nothing of the build tree may be used: move the prefix after
    # installing, as a relocated install would be.
    mv "$T/prefix" "$T/moved"
    student "$T/moved/bin/lde"
    cmd "$T/moved/bin/lde" cc --print-flags x.c
    expect_has out "$T/moved/share/lde/user.ld"
    has out "$BUILD_DIR" && fail "the installed lde uses the build tree"
    # A runtime that is gone: one line, status 1.
    rm -rf "$T/moved/share/lde"
    cmd "$T/moved/bin/lde" cc x.c
    expect_rc 1 "no runtime"
    expect_has err "lde: cc: lde's runtime is missing"
}

# The kernel refuses a program whose stack would come within 4 KiB of its
# break, and the host refuses it first (elf_check_args): find the longest
# argument the host accepts for a program that nearly fills its
# partition; the kernel must run it (not refuse it with 126), and one
# byte more must be refused before boot (exit 1).
t_stack_room() {
    # The biggest array user.ld lets fit (it keeps 64 KiB for the stack):
    # the program then ends within a page of 0x3f0000.
    local kib built=""
    for kib in $(seq 3964 -4 3900); do
        printf '%s\n' '#include <stdio.h>' \
            "static char big[$kib * 1024];" \
            'int main(int c, char **v) { (void)v; big[0] = 1; printf("ok %d\n", c); return big[0] - 1; }' \
            >big.c
        if "$LDE" cc big.c -o big 2>err; then
            built=$kib
            break
        fi
    done
    [ -n "$built" ] || { fail "big.c does not link"; cat err >&2; return; }
    local lo=0 hi=65000 mid
    cmd "$LDE" run ./big ""
    expect_rc 0 "big with an empty argument"
    cmd "$LDE" run ./big "$(head -c $hi /dev/zero | tr '\0' x)"
    expect_rc 1 "big with $hi bytes of argument"
    expect_has err "no room for the stack"
    while [ $((hi - lo)) -gt 1 ]; do
        mid=$(((lo + hi) / 2))
        cmd "$LDE" run ./big "$(head -c $mid /dev/zero | tr '\0' x)"
        case $rc in
        0) lo=$mid ;;
        1) hi=$mid ;;
        *) fail "big with $mid bytes: status $rc"; show; return ;;
        esac
    done
    cmd "$LDE" run ./big "$(head -c $lo /dev/zero | tr '\0' x)"
    expect_rc 0 "the longest argument the host accepts ($lo bytes)"
    expect_has out "ok 2"
    cmd "$LDE" run ./big "$(head -c $hi /dev/zero | tr '\0' x)"
    expect_rc 1 "one byte more ($hi bytes)"
    [ "$(wc -l <err)" -eq 1 ] || { fail "not one line"; show; }
}

# A program built by lde cc (-g -Og), stepped by source line: step goes
# into functions (recursion too), next runs over calls, system calls and
# the timer interrupts of a long loop; si and ni still step instructions;
# in the kernel, next steps its C lines. The transcript must equal
# steps.expected (regenerate: cc.sh debug_steps --update, after reading
# the diff).
t_debug_steps() {
    cmd "$LDE" cc "$SRC/steps.c" -o steps
    expect_rc 0 "lde cc steps.c"
    "$LDE" debug -x "$SRC/steps.cmd" ./steps </dev/null >transcript 2>&1
    echo "exit status: $?" >>transcript
    if [ "${2:-}" = "--update" ]; then
        cp transcript "$SRC/steps.expected"
        return
    fi
    diff -u "$SRC/steps.expected" transcript >&2 ||
        fail "the step/next transcript differs from steps.expected"
}

# debug_vars: lde debug on a program lde cc built (its -g -Og): locals,
# arguments, globals, structs, arrays and pointers through DWARF, finish
# with its return value, set var and set $reg, a conditional breakpoint.
# The transcript must equal vars.expected (regenerate: cc.sh debug_vars
# --update, after reading the diff).
t_debug_vars() {
    cmd "$LDE" cc "$SRC/vars.c" -o vars
    expect_rc 0 "lde cc vars.c"
    "$LDE" debug -x "$SRC/vars.cmd" ./vars </dev/null >transcript 2>&1
    echo "exit status: $?" >>transcript
    if [ "${2:-}" = "--update" ]; then
        cp transcript "$SRC/vars.expected"
        return
    fi
    diff -u "$SRC/vars.expected" transcript >&2 ||
        fail "the variables transcript differs from vars.expected"
}

# docs/teaching.md's exercise, as a student does it: in a copy of the
# sources, add the system call with the page's own code blocks, rebuild the
# kernel and the runtime alone, build the page's test program with lde cc,
# run it on the new kernel and on the built-in one, grade both kernels
# with the page's grade.sh, and run the page's debugger script.
# doc_block FILE N LANG: the Nth ```LANG block of FILE.
doc_block() {
    awk -v want="$2" -v lang="$3" '
        /^ *```/ {
            if (fence) { fence = 0; inb = 0; if (n == want) exit; next }
            fence = 1
            tag = $0; sub(/^ *```/, "", tag)
            if (tag == lang) { n++; inb = 1; indent = index($0, "`") - 1 }
            next
        }
        inb && n == want { print substr($0, indent + 1) }
    ' "$1"
}

t_teaching() {
    : "${SOURCE_DIR:?}" "${KERNEL_ELF:?}"
    local doc="$SOURCE_DIR/docs/teaching.md" tree="$T/tree"
    mkdir -p "$tree"
    cp -r "$SOURCE_DIR"/{CMakeLists.txt,cmake,src,include,guest,tests,bench,fuzz} \
        "$tree"/ || { fail "cannot copy the sources"; return; }
    # 1. The number: the page's LDE_OWN_SYSCALLS in place of the list.
    doc_block "$doc" 1 c >own.h
    grep -q 'X(0x4C04, lde_nsyscalls, sys_lde_nsyscalls, 0)' own.h ||
        { fail "teaching.md: no LDE_OWN_SYSCALLS block"; cat own.h >&2; return; }
    awk -v f=own.h '
        /^#define LDE_OWN_SYSCALLS\(X\)/ { while ((getline l < f) > 0) print l; skip = 1; next }
        skip && /\\$/ { next }
        skip { skip = 0; next }
        { print }
    ' "$tree/include/lde/syscalls.h" >syscalls.h && cp syscalls.h "$tree/include/lde/syscalls.h"
    # 2. The state, and the count in syscall().
    doc_block "$doc" 2 c >field.h
    sed -i "/int xstatus; /r field.h" "$tree/src/kernel/proc.h"
    sed -i 's/^\(    syscall_fn fn = 0;\)$/\1\n    myproc()->nsyscalls++;/' \
        "$tree/src/kernel/syscall.c"
    # 3. The handler, and its declaration.
    doc_block "$doc" 3 c >>"$tree/src/kernel/sysproc.c"
    sed -i 's/^\(int32_t sys_lde_divzero(struct trapframe \*tf);\)$/\1\nint32_t sys_lde_nsyscalls(struct trapframe *tf);/' \
        "$tree/src/kernel/syscall.h"
    # 5. Rebuild the kernel and lde cc's runtime, nothing else.
    if ! cmake -S "$tree" -B "$tree/build" >cmake.log 2>&1 ||
        ! cmake --build "$tree/build" -j2 --target lde_kernel guest_sdk \
            >>cmake.log 2>&1; then
        fail "the exercise's kernel does not build"
        cat cmake.log >&2
        return
    fi
    # The student's lde finds the student's runtime next to it.
    cp "$LDE" "$tree/build/lde"
    # 4. The test program.
    doc_block "$doc" 4 c >"$tree/count.c"
    cd "$tree" || return
    cmd build/lde cc count.c -o count
    expect_rc 0 "lde cc count.c"
    cmd build/lde run --kernel build/src/kernel/kernel.elf ./count
    expect_rc 0 "count on the new kernel"
    expect_has out "system calls: 1 before, 4 after"
    cmd build/lde run ./count
    expect_rc 1 "count on the built-in kernel"
    expect_has out "system calls: -38 before, -38 after"

    # Grading: the page's script, on the new kernel and the stock one.
    mkdir -p kernels
    cp build/src/kernel/kernel.elf kernels/student.elf
    cp "$KERNEL_ELF" kernels/stock.elf
    local n=1 script=""
    while :; do
        script=$(doc_block "$doc" "$n" sh)
        [ -z "$script" ] && break
        case $script in '#!/bin/sh'*) break ;; esac
        n=$((n + 1))
    done
    [ -n "$script" ] || { fail "teaching.md: no grade.sh"; cd "$T"; return; }
    printf '%s\n' "$script" >grade.sh
    cmd sh grade.sh
    expect_rc 0 "grade.sh"
    expect_has out "stock: 2/3"
    expect_has out "student: 3/3"

    # The debugger script: the handler is reached, its result is 1 (the
    # first call).
    printf 'b kernel:sys_lde_nsyscalls\nc\np $a0\nfinish\np $a0\n' >want.gdb
    n=1
    while :; do
        script=$(doc_block "$doc" "$n" "")
        [ -z "$script" ] && { script=""; break; }
        [ "$script" = "$(cat want.gdb)" ] && break
        n=$((n + 1))
    done
    [ -n "$script" ] || fail "teaching.md: the debugger script is not there"
    cmd build/lde debug -x want.gdb --kernel build/src/kernel/kernel.elf ./count
    expect_rc 0 "the debugger script"
    expect_has out "Breakpoint 1 at "
    expect_has out "Run till exit from"
    [ "$(grep -c '^\$a0 = ' "$T/out")" -eq 2 ] ||
        { fail "the debugger script: not two values of a0"; show; }
    expect_has out '$a0 = 0x00000001 (1)'
    cd "$T" || return
}

test=${1:?usage: cc.sh TEST}
if ! declare -F "t_$test" >/dev/null; then
    echo "cc.sh: no test '$test'" >&2
    exit 2
fi
"t_$test" "$@"
exit $failed
