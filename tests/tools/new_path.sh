#!/usr/bin/env bash
# new_path.sh - adding a path is one new file in entry/ and nothing else.
# A copy of the tree gets entry/zz_syscall_new.asm (a SYSCALL path of its
# own, declared with PATH_BEGIN ... PATH_END), is built untouched otherwise,
# and boots: the kernel's help lists the path, its rows come last in the
# CSV (its order, 990, is the highest), are ok, and its self-tests pass.
# Also: a declaration that leaves out PATH_INSTALL fails the assembly with a
# message that says so.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tree=$work/tree
mkdir -p "$tree"
if git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files -z -co --exclude-standard | xargs -0 cp --parents -t "$tree"
else
	tar -cf - --exclude=./build . | tar -xf - -C "$tree"
fi
mkdir -p "$tree/build" && cp -p build/.deps-ok "$tree/build/" 2>/dev/null

cat > "$tree/entry/zz_syscall_new.asm" <<'ASM'
; zz_syscall_new.asm - written by tests/tools/new_path.sh: a path added as
; one file. SYSCALL in, SYSRETQ out, through an entry of its own.
%include "common.inc"

section ENTRY_TEXT
SYSCALL_ENTRY syscall_new_entry, sysret, 0

INVOKE_STUBS syscall_new, {db 0x66, 0x90}, syscall

PATH_BEGIN syscall_new, 990
PATH_MIRRORS "the syscall path again, added as one file"
PATH_INSTALL LSTAR, syscall_new_entry
PATH_FLAGS PATH_SYSRET_EXIT
PATH_END
ASM

make -C "$tree" -s -j2 build/ringtrip.elf build/ringtrip-efi.elf > "$work/build.log" 2>&1
rc=$?
check "new path: a tree with one extra file in entry/ builds" \
	bash -c "[ $rc -eq 0 ] || { tail -20 '$work/build.log'; exit 1; }"

ELF=$tree/build/ringtrip.elf boot help bios "help"
check "new path: the kernel's help lists it, last" \
	bash -c "sed -n 's/^# help: paths: //p' '$work/help.csv' | grep -qE ' syscall_new$'"
check "new path: help says what it mirrors" \
	grep -q '^# help:   syscall_new: the syscall path again' "$work/help.csv"

ELF=$tree/build/ringtrip.elf boot run bios "iterations=200 warmup=20 repeat=1"
check "new path: the run exits 0" rc_is run 0
check "new path: the CSV is well formed" csv_well_formed "$work/run.csv"
ok_rows=$(main_rows "$work/run.csv" 2>/dev/null | awk -F, '$1 == "syscall_new" && $4 == "ok"' | wc -l)
check "new path: a row per service, each ok ($ok_rows)" test "$ok_rows" -eq "$(echo $SERVICES | wc -w)"
last_path=$(data_rows "$work/run.csv" 2>/dev/null | tail -1 | cut -d, -f1)
check "new path: its rows come last (order 990; last row: $last_path)" test "$last_path" = syscall_new
check "new path: its self-tests ran and pass" \
	bash -c "grep -q '^# selftest .*syscall_new.* pass' '$work/run.csv' &&
		 ! grep -q '^# selftest .* fail' '$work/run.csv'"

# a declaration without PATH_INSTALL is an assembly error that names it
sed '/^PATH_INSTALL/d' "$tree/entry/zz_syscall_new.asm" > "$work/bad.asm"
nasm -f elf64 -I"$tree/build/gen/" -Ikernel/ -Ientry/ -o "$work/bad.o" "$work/bad.asm" \
	> "$work/bad.log" 2>&1
rc=$?
check "new path: a declaration without PATH_INSTALL does not assemble" test $rc -ne 0
check "new path: ... and the error says PATH_INSTALL is missing" grep -q 'PATH_INSTALL missing' "$work/bad.log"
