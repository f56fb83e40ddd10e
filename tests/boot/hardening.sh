#!/usr/bin/env bash
# hardening.sh - issue 10: the isolation proof and the stack guard pages
# catch what they claim to, shown by breaking the kernel on purpose.
#
# The test-hooks kernel (build/test-hooks/ringtrip.elf, `make test-hooks`,
# part of `make all`) is the kernel compiled with -DRINGTRIP_TEST_HOOKS; its
# test= option
#   leak_shadow          maps the SSDT's physical page Ring 3-readable at
#                        USER_CANARY_VA (0x7FFD0000) in the shadow space: the
#                        boot-time walk of the shadow tables and Ring 3's
#                        probe of that page must both report it (exit 1);
#   kstack_overflow      recurses without bound in Ring 0 on the kernel stack,
#   bootstack_overflow   ... on kmain's boot stack,
#   entrystack_overflow  ... on the entry stack (TSS.RSP0): the guard page
#                        below it turns that into #PF -> #DF on IST1 and a
#                        `# panic` naming the stack (exit 2), not a hang or a
#                        reset.
# The default kernel must have none of it. QEMU TCG, -icount, small counts;
# no check is about time.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

work=build/hardening-tests
mkdir -p "$work"
DEF=build/ringtrip.elf
TH=build/test-hooks/ringtrip.elf
SMALL="clock=icount iterations=200 warmup=20 repeat=1"
SHADOW_PATHS="shadow int2e_shadow"     # the shadow paths QEMU TCG can run
HOOKS="leak_shadow kstack_overflow bootstack_overflow entrystack_overflow fault_midline"

# hboot NAME KERNEL CMDLINE TIMEOUT -> $work/NAME.csv, $work/NAME.rc
hboot() {
	rm -f "$work/$1.csv" "$work/$1.rc"
	if [ ! -f "$2" ]; then
		echo 102 > "$work/$1.rc"
		return
	fi
	bash scripts/mkiso.sh "$work/$1.iso" "$2" "$3" || { echo 102 > "$work/$1.rc"; return; }
	bash scripts/qemu-boot.sh "$work/$1.iso" "$work/$1.csv" tcg "$4" bios 2>"$work/$1.err"
	echo $? > "$work/$1.rc"
	rm -f "$work/$1.iso"
	touch "$work/$1.csv"
}
has() { grep -q -- "$2" "$work/$1.csv" || { echo "no line matching '$2' in $work/$1.csv"; tail -3 "$work/$1.csv"; return 1; }; }
# every self-test that failed is one of these (name patterns), and at least
# one did
only_these_fail() {
	local f=$work/$1.csv pat=$2 bad
	grep -q '^# selftest .* fail' "$f" || { echo "no self-test failed"; return 1; }
	bad=$(grep '^# selftest .* fail' "$f" | grep -Ev "^# selftest [a-z0-9_]+/($pat) fail" | head -3)
	[ -z "$bad" ] || { echo "other self-tests failed too: $bad"; return 1; }
}

# --- the builds ------------------------------------------------------------
check "build: the test-hooks kernel and its -efi twin exist (make test-hooks)" \
	test -f "$TH" -a -f "${TH%.elf}-efi.elf"
for h in $HOOKS; do
	check "build: the test-hooks kernel has test=$h" grep -aq "$h" "$TH"
	check "build: the default kernels have no test=$h" \
		bash -c "! grep -aq '$h' '$DEF' && ! grep -aq '$h' '${DEF%.elf}-efi.elf'"
done
check "build: the default kernel has no test-hook code" \
	bash -c "[ -f '$DEF' ] && ! nm '$DEF' | grep -q test_hooks"

# --- the default kernel does not know test= --------------------------------
hboot default "$DEF" "$SMALL test=leak_shadow" 300
check "default: test=leak_shadow is an unknown option there" \
	has default "^# warning: unknown option 'test=leak_shadow'; ignored"
check "default: the run passes every self-test (exit 0)" rc_is default 0
check "default: complete CSV" csv_well_formed "$work/default.csv"
for p in $SHADOW_PATHS; do
	for t in isolation_walk kernel_data_not_mapped kernel_text_not_mapped \
		 entry_text_mapped_supervisor canary_user_page_not_mapped; do
		check "default: $p/$t passes" has default "^# selftest $p/$t pass"
	done
done

# --- the test-hooks kernel without test= is an ordinary kernel -------------
hboot plain "$TH" "$SMALL" 300
check "test-hooks, no test=: every self-test passes (exit 0)" rc_is plain 0
check "test-hooks, no test=: complete CSV" csv_well_formed "$work/plain.csv"
check "test-hooks, no test=: all self-tests pass (at least 150)" \
	selftests_all_pass "$work/plain.csv" 150
check "test-hooks, no test=: no hook armed, no isolation warning" \
	bash -c "! grep -qE '^# warning: (test hook|isolation)' '$work/plain.csv'"
for p in $SHADOW_PATHS; do
	check "test-hooks, no test=: $p/isolation_walk passes with 0 violations" \
		has plain "^# selftest $p/isolation_walk pass got=0x0 want=0x0 .*must_be_absent=7 present_anyway=0"
	check "test-hooks, no test=: $p/canary_user_page_not_mapped passes (#PF, not present)" \
		has plain "^# selftest $p/canary_user_page_not_mapped pass got=0x7ffd0000 want=0x7ffd0000 vector=14 error=0x4"
done

# --- a kernel page leaked into the shadow space -----------------------------
# the SSDT's physical page: its link address minus KERNEL_VMA, page-aligned
ssdt_va=$(nm "$TH" 2>/dev/null | awk '$3 == "service_descriptor_table" { print $1 }')
ssdt_pa=$(printf '0x%x' $(( (0x${ssdt_va:-0} - 0xffffffff80000000) & ~0xfff )))
hboot leak "$TH" "$SMALL test=leak_shadow" 300
check "leak: the hook is armed" has leak "^# warning: test hook armed: test=leak_shadow"
check "leak: the run ends with a failed self-test (exit 1), not a panic" rc_is leak 1
check "leak: the run still completes (trailer, crc32)" csv_well_formed "$work/leak.csv"
check "leak: the kernel's walk names the violation: va=0x7ffd0000, the SSDT's pa=$ssdt_pa, Ring 3-readable" \
	has leak "^# warning: isolation violation in the shadow address space: va=0x7ffd0000 pa=$ssdt_pa kernel .bss, holds the SSDT: not on the allow-list, Ring 3 can read it$"
for p in $SHADOW_PATHS; do
	check "leak: $p/isolation_walk fails, naming va, pa and the SSDT" \
		has leak "^# selftest $p/isolation_walk fail got=0x1 want=0x0 .*present_anyway=1 first_violation va=0x7ffd0000 pa=$ssdt_pa (kernel .bss, holds the SSDT: not on the allow-list, Ring 3 can read it)"
	check "leak: Ring 3's probe on $p reads the page instead of faulting" \
		has leak "^# selftest $p/canary_user_page_not_mapped fail got=0x0 want=0x7ffd0000 no fault: Ring 3 read 0x[0-9a-f]* there"
done
check "leak: nothing but the isolation walk and the canary probe fails" \
	only_these_fail leak "isolation_walk|canary_user_page_not_mapped"
check "leak: a finding, not a crash: no panic" \
	bash -c "! grep -q '^# panic' '$work/leak.csv'"

# --- Ring 0 stack overflows: #PF in the guard -> #DF on IST1 -> report ------
for s in kstack:kernel bootstack:boot entrystack:entry; do
	hook=${s%%:*}_overflow name=${s#*:}
	full="the $name stack"
	[ "$name" = entry ] && full="the entry stack (TSS.RSP0)"
	hboot "$hook" "$TH" "$SMALL test=$hook" 60
	check "$hook: ends with the panic exit code 2 (no hang, no reset)" rc_is "$hook" 2
	check "$hook: the report names the overflowed stack and its guard page" \
		has "$hook" "^# panic: $name stack overflow: rsp=0x[0-9a-f]\{16\} cr2=0x[0-9a-f]\{16\} in the guard page below $full \[0x[0-9a-f]\{16\}, 0x[0-9a-f]\{16\})$"
	check "$hook: cr2 lies in the guard page it names" \
		bash -c "l=\$(grep -m1 '^# panic: $name stack overflow' '$work/$hook.csv') &&
			 [[ \$l =~ cr2=(0x[0-9a-f]+).*\[(0x[0-9a-f]+),\ (0x[0-9a-f]+)\) ]] &&
			 (( \${BASH_REMATCH[1]} >= \${BASH_REMATCH[2]} && \${BASH_REMATCH[1]} < \${BASH_REMATCH[3]} ))"
	check "$hook: a #DF in Ring 0" \
		has "$hook" "^# panic: unexpected exception vector=8 (#DF double fault) error=0x0 in Ring 0$"
	check "$hook: handled on IST1, a stack of its own" has "$hook" "^# panic: handled on IST1 (#DF)$"
	check "$hook: registers reported" has "$hook" "^# panic: rax=0x"
done

# --- an exception in the middle of a serial line ---------------------------
# (an injected NMI can land inside a print): the report starts a line of its own
hboot midline "$TH" "$SMALL test=fault_midline" 300
check "midline: the fault ends the run with the panic code" rc_is midline 2
check "midline: the half line is ended before the report" \
	has midline '^# half a line, then$'
check "midline: the report starts its own line" \
	has midline '^# panic: unexpected exception vector=6 (#UD'
