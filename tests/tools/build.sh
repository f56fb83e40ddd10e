#!/usr/bin/env bash
# build.sh - the build never trusts a half-made target: a recipe that fails
# removes what it wrote (.DELETE_ON_ERROR), so the next make rebuilds it.
# The console font is the case that bit: a failed zcat left a 0-byte font
# that later builds embedded without a word.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

b=build/build-tests
rm -rf "$b"
font=$b/gen/console-font.psf
make -s BUILD=$b "$font" CONSOLE_FONT=/nonexistent/font.psf.gz >"$b.log" 2>&1
rc=$?
check "build: a font that cannot be read fails the build" test $rc -ne 0
check "build: ... and leaves no font behind for the next make" test ! -e "$font"
make -s BUILD=$b "$font" CONSOLE_FONT=/dev/null >"$b.log" 2>&1
rc=$?
check "build: an empty font fails the build, and none is left" bash -c "[ $rc -ne 0 ] && [ ! -e '$font' ]"
make -s BUILD=$b "$font" >"$b.log" 2>&1
check "build: the next make builds the real font" test -s "$font"
rm -rf "$b" "$b.log"

# NASM dependencies: editing an .inc rebuilds every .asm that includes it
# (make -W pretends the file changed; nothing is touched or rebuilt here)
make -s all >/dev/null 2>&1
nasm_after() { make -n -W "$1" all 2>/dev/null | grep -o "NASM *[a-z]*/[a-z_0-9]*\.asm" | sort -u; }
check "build: an edited entry/syscall_entry.inc rebuilds entry/syscall.asm" \
	grep -q 'entry/syscall\.asm' <(nasm_after entry/syscall_entry.inc)
check "build: an edited kernel/trapframe.inc rebuilds kernel/isr.asm" \
	grep -q 'kernel/isr\.asm' <(nasm_after kernel/trapframe.inc)
check "build: an edited kernel/trapframe.inc leaves kernel/font.asm alone" \
	bash -c "! grep -q 'kernel/font\.asm' <(make -n -W kernel/trapframe.inc all 2>/dev/null)"

# the entry stubs are code: objdump -d disassembles them
check "build: .entry.text is flagged as code (objdump -d shows syscall_entry)" \
	grep -q '<syscall_entry>:' <(objdump -d build/ringtrip.elf)
