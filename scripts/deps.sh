#!/usr/bin/env bash
# Install the Debian 12 packages lde needs that are missing. As root it
# installs them; otherwise it prints the exact command and fails.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config       # host build
  libelf-dev libdw-dev                   # ELF loading, DWARF lines
  zlib1g-dev liblzma-dev libbz2-dev      # libdw's own, for the static lde
  libncurses-dev                         # libtinfo.a, for the static lde
  libcmocka-dev                          # unit tests
  libreadline-dev                        # the debugger's REPL
  gcc-riscv64-unknown-elf                # guest kernel and programs
  picolibc-riscv64-unknown-elf           # guest C library
  llvm                                   # llvm-objdump: disassembler test
  qemu-user                              # qemu-riscv32: ABI compatibility test
  tmux                                   # drives the debugger through a pty
  gdb-multiarch                          # attaches to lde run --gdb: tests
  clang-format                           # the format check
  valgrind linux-perf                    # bench/profile.sh
  strace                                 # e2e: the built-ins are mapped
  chromium                               # screenshots of --timeline pictures
  libpng-dev                             # reading those screenshots
  python3-jsonschema                     # --json against its schema
  clang-14 libclang-rt-14-dev            # libFuzzer targets (scripts/fuzz.sh)
  clang-tidy-14 cppcheck                 # scripts/static-analysis.sh
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "lde: missing packages; run as root:" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "lde: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
