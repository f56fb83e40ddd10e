#!/usr/bin/env bash
# qemu_tcg.sh - boot the real ISO under QEMU TCG with -icount shift=0 and
# check what it wrote. Under icount the TSC counts instructions, so exact
# relations hold (identical boots, a NOP baseline that subtracts to 0);
# no check here is about time.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

work=build/boot-tests
mkdir -p "$work"
ELF=build/ringtrip.elf
SERVICES="baseline null args4 args8 args16 win32k_null"

boot() {   # boot NAME CMDLINE -> capture in $work/NAME.csv, kernel exit code in $work/NAME.rc
	bash scripts/mkiso.sh "$work/$1.iso" "$ELF" "$2" || { echo 102 > "$work/$1.rc"; return; }
	bash scripts/qemu-boot.sh "$work/$1.iso" "$work/$1.csv" tcg 600
	echo $? > "$work/$1.rc"
	rm -f "$work/$1.iso"
}
rc_is() { local rc; rc=$(cat "$work/$1.rc"); [ "$rc" = "$2" ] || { echo "exit code $rc, expected $2"; tail -5 "$work/$1.csv"; return 1; }; }

# --- A normal run with small counts ----------------------------------------
N=2000
boot a "clock=icount iterations=$N warmup=200"
f=$work/a.csv
check "boot: kernel exits 0 (all self-tests pass)" rc_is a 0
check "csv: first line, header, column count, trailer row count" csv_well_formed "$f"
for k in cpu_vendor cpu_brand family model stepping hypervisor clock tsc_invariant features cmdline iterations warmup overhead_tsc; do
	check "csv: metadata $k present" test -n "$(meta "$f" $k)"
done
check "csv: clock=icount" test "$(meta "$f" clock)" = icount
check "csv: hypervisor=tcg" test "$(meta "$f" hypervisor)" = tcg
check "csv: iterations=$N from the command line" test "$(meta "$f" iterations)" = $N
check "csv: warmup=200 from the command line" test "$(meta "$f" warmup)" = 200
check "csv: overhead_tsc is a positive integer" grep -qE '^# overhead_tsc=[1-9][0-9]*$' "$f"
check "selftest: all pass (at least 25)" selftests_all_pass "$f" 25
for t in invalid_index_t0_first invalid_index_t1 invalid_table_2 args4_checksum args8_checksum \
	 args16_checksum win32k_null args16_rsp_kernel args16_rsp_unmapped args16_rsp_straddles_probe \
	 args16_after_faults sysret_noncanonical_rip_takes_iret args16_after_sysret_test; do
	check "selftest: syscall/$t passes" grep -q "^# selftest syscall/$t pass" "$f"
done
for t in read_kernel_data_faults write_kernel_data_faults write_shared_page_faults read_unmapped_faults; do
	check "selftest: ring3/$t passes (U/S and R/W enforced by the page tables)" grep -q "^# selftest ring3/$t pass" "$f"
done
check "selftest: control/print_kernel_pointer passes" grep -q '^# selftest control/print_kernel_pointer pass' "$f"
for s in $SERVICES; do
	check "row: syscall,$s is ok" test "$(field "$f" syscall $s status)" = ok
	check "row: syscall,$s has $N samples" test "$(field "$f" syscall $s samples)" = $N
	check "row: syscall,$s is exact under icount (min = max)" \
		test "$(field "$f" syscall $s min)" = "$(field "$f" syscall $s max)"
done
for c in min median max p99; do
	check "row: NOP baseline subtracts to exactly 0 ($c)" test "$(field "$f" syscall baseline $c)" = 0
done
check "row: every data row's overhead is overhead_tsc" \
	test -z "$(data_rows "$f" | awk -F, -v o="$(meta "$f" overhead_tsc)" '$12 != o')"
med() { field "$f" syscall "$1" median; }
check "row: instruction counts grow with the argument count (null < args4 < args8 < args16)" \
	test "$(med null)" -lt "$(med args4)" -a "$(med args4)" -lt "$(med args8)" -a "$(med args8)" -lt "$(med args16)"

# --- The same boot again gives identical numbers ---------------------------
boot b "clock=icount iterations=$N warmup=200"
check "boot: second boot exits 0" rc_is b 0
check "determinism: two icount boots give identical rows" \
	diff <(data_rows "$work/a.csv") <(data_rows "$work/b.csv")

# --- A bad command line is reported, and the run goes on with defaults -----
boot bad "clock=icount iterations=300 warmup=abc bogus=1 frobnicate paths=syscall,nosuchpath"
f=$work/bad.csv
check "cmdline: a bad command line still completes" rc_is bad 0
check "cmdline: complete CSV despite warnings" csv_well_formed "$f"
check "cmdline: warmup=abc is reported" grep -q "^# warning: option 'warmup=abc' is not a number" "$f"
check "cmdline: warmup falls back to the default 10000" test "$(meta "$f" warmup)" = 10000
check "cmdline: unknown key is reported" grep -q "^# warning: unknown option 'bogus=1'" "$f"
check "cmdline: unknown word is reported" grep -q "^# warning: unknown option 'frobnicate'" "$f"
check "cmdline: unknown path name is reported" grep -q "^# warning: unknown path 'nosuchpath'" "$f"
check "cmdline: valid iterations=300 still applies" test "$(meta "$f" iterations)" = 300

# --- An unexpected exception is reported, never a silent reset -------------
boot crashk "clock=icount crash=kernel"
f=$work/crashk.csv
check "panic: a Ring 0 #UD ends the run with the panic exit code" rc_is crashk 2
check "panic: vector named" grep -q '^# panic: unexpected exception vector=6 (#UD invalid opcode) error=0x0 in Ring 0' "$f"
check "panic: rip, cs, rsp, cr2 and registers reported" \
	bash -c "grep -q '^# panic: rip=0xffffffff8' '$f' && grep -q 'cr2=0x' '$f' && grep -q 'r15=0x' '$f'"
boot crashu "clock=icount crash=user iterations=10 warmup=0"
f=$work/crashu.csv
check "panic: a Ring 3 #UD is reported as such" grep -q '^# panic: unexpected exception vector=6 (#UD invalid opcode) error=0x0 in Ring 3' "$f"
check "panic: Ring 3 crash exit code" rc_is crashu 2
check "panic: a crashed run has no trailer (truncation is visible)" bash -c "! grep -q '^# end rows=' '$f'"
