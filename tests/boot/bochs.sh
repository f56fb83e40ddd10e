#!/usr/bin/env bash
# bochs.sh - `make test-bochs`: boot the ISO on Bochs' Intel Tiger Lake model
# and check what TCG cannot show: shadow_pcid (PCID, no-flush CR3 writes)
# and sysenter (64-bit SYSENTER/SYSEXIT) run, every path is ok, the shadow
# isolation holds, and Intel's rule that IRET to a non-canonical RIP faults
# in Ring 0 is met by the sysret fallback. Counts are instructions.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh
check "services: the list is read from kernel/abi.h ($SERVICES)" test "$(wc -w <<< "$SERVICES")" -ge 4

work=build/boot-tests
mkdir -p "$work"
f=$work/bochs.csv
N=200
bash scripts/mkiso.sh "$work/bochs.iso" build/ringtrip.elf "clock=icount iterations=$N warmup=20 repeat=1 exit=bochs"
bash scripts/bochs-boot.sh "$work/bochs.iso" "$f" tigerlake 900
rc=$?
rm -f "$work/bochs.iso"
ALL_PATHS="syscall syscall_iret int2e trapgate shadow shadow_pcid int2e_shadow sysenter callgate int_ist"

check "bochs: the kernel ended the run through the shutdown port" test $rc -eq 0
check "bochs: complete CSV (header, columns, trailer)" csv_well_formed "$f"
check "bochs: an Intel CPU model" test "$(meta "$f" cpu_vendor)" = GenuineIntel
check "bochs: the CPU has PCID" bash -c "grep -q '^# features=.*pcid' '$f'"
check "bochs: every self-test passes" selftests_all_pass "$f" 150
for p in $ALL_PATHS; do
	for s in $SERVICES; do
		check "bochs: $p,$s is ok" test "$(field "$f" $p $s status)" = ok
	done
	check "bochs: $p NOP baseline subtracts to 0" test "$(field "$f" $p baseline max)" = 0
done
for p in shadow_pcid sysenter; do
	check "bochs: $p,args16 has $N samples and checksums" test "$(field "$f" $p args16 samples)" = $N
done
for p in shadow shadow_pcid int2e_shadow; do
	for t in isolation_walk kernel_data_not_mapped kernel_text_not_mapped entry_text_mapped_supervisor; do
		check "bochs: $p/$t passes" grep -q "^# selftest $p/$t pass" "$f"
	done
done
for p in syscall shadow shadow_pcid; do
	check "bochs: $p's non-canonical return faults in Ring 0 at iretq (Intel), and is survived" \
		grep -q "^# selftest $p/sysret_noncanonical_rip_takes_iret pass .*raised_in_ring=0 iret_exits=1" "$f"
done
for p in exc_bp exc_ud exc_de exc_gp exc_pf; do
	check "bochs: $p,none is ok (handler checks hold on Intel's rules)" test "$(field "$f" $p none status)" = ok
done
check "bochs: #GP for int n on a DPL 0 gate carries the SDM's (n << 3) | 2" \
	grep -q '^# selftest priv/int_dpl0_gate_gp pass got=0x202 want=0x202 vector=13$' "$f"
# Debian's Bochs 2.7 has no FRED: those paths have rows, each saying so
no_fred_rows() {   # PATH
	local st
	st=$(data_rows "$f" | awk -F, -v p="$1" '$1 == p { print $4 }' | sort -u)
	[ "$st" = unsupported:no-fred ] || { echo "statuses: '${st:-no rows}'"; return 1; }
}
for p in fred_syscall fred_int2e fred_exc_bp fred_exc_ud fred_exc_de fred_exc_gp fred_exc_pf; do
	check "bochs: $p's rows are there, unsupported:no-fred" no_fred_rows "$p"
done
check "bochs: SMEP and SMAP probes fault" \
	bash -c "grep -q '^# selftest kernel/smep_blocks_user_exec pass' '$f' && grep -q '^# selftest kernel/smap_blocks_user_read pass' '$f'"
