#!/usr/bin/env bash
# fred.sh - `make test-fred`, also part of `make test`: boot the ISO on a
# FRED-capable Bochs (Bochs' development tree, `make bochs-fred`) with its
# wildcat_lake CPU model, which enumerates FRED and LKGS
# (CPUID.(EAX=7,ECX=1):EAX[17] and [18]): a complete CSV, every self-test
# passing and every row ok on that model - the FRED paths (fred_syscall,
# fred_int2e, fred_exc_*) included, their self-tests run through FRED, the
# ones FRED cannot hold skipped with a reason - and the same rows from a
# second boot. Counts are Bochs' instruction counts (clock: sync=none, a
# fixed ips): no check here is about time.
#
# Which Bochs: BOCHS_FRED=<binary>, else build/tools/bin/bochs. Where there
# is none (or it has no FRED), the script says so on one line and passes:
# a machine without the FRED Bochs is not a failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

bochs=${BOCHS_FRED:-build/tools/bin/bochs}
skip() { echo "skipped: no FRED-capable Bochs (make bochs-fred)${1:+: $1}"; exit 0; }
if [ -n "${BOCHS_FRED:-}" ]; then
	# asked for by name: a wrong one is a failure, not a skip
	check "fred: BOCHS_FRED=$bochs is an executable" test -x "$bochs"
	[ -x "$bochs" ] || exit 0
elif [ ! -x "$bochs" ]; then
	skip
fi
# FRED-capable: the wildcat_lake model is in its list, and FRED is compiled
# in (the model exists without --enable-fred too, then without FRED; only a
# FRED build carries fred.cc's messages)
models=$("$bochs" --help cpu 2>&1 < /dev/null || true)
has_model() { grep -qx wildcat_lake <<< "$models"; }
has_fred() { grep -qa 'FRED Event Delivery' "$bochs"; }
if [ -z "${BOCHS_FRED:-}" ] && ! { has_model && has_fred; }; then
	skip "$bochs lacks the wildcat_lake model or FRED"
fi
check "fred: $bochs has the wildcat_lake CPU model" has_model
check "fred: $bochs has FRED compiled in (--enable-fred)" has_fred
has_model && has_fred || exit 0

work=build/boot-tests
mkdir -p "$work"
f=$work/fred.csv
log=$work/fred-bochs.log
N=200
bash scripts/mkiso.sh "$work/fred.iso" build/ringtrip.elf "clock=icount iterations=$N warmup=20 repeat=1 exit=bochs"
BOCHS=$bochs BOCHS_DISPLAY=nogui BOCHS_LOG=$log bash scripts/bochs-boot.sh "$work/fred.iso" "$f" wildcat_lake 900
rc=$?
rm -f "$work/fred.iso"

check "fred: the kernel ended the run through the shutdown port" test $rc -eq 0
check "fred: Bochs ran the wildcat_lake model" grep -q 'initialized CPU model wildcat_lake' "$log"
check "fred: complete CSV (header, columns, trailer)" csv_well_formed "$f"
check "fred: an Intel CPU" test "$(meta "$f" cpu_vendor)" = GenuineIntel
check "fred: every self-test passes" selftests_all_pass "$f" 150
paths=$(data_rows "$f" | cut -d, -f1 | uniq)
check "fred: rows for every path the kernel measures" test "$(wc -w <<< "$paths")" -ge 10
rows_ok() {   # rows_ok PATH: every row of PATH has status ok, else name them
	local bad
	bad=$(rows_not_ok "$f" "$1" | head -3)
	[ -z "$bad" ] || { echo "$bad"; return 1; }
}
for p in $paths; do
	check "fred: every $p row is ok" rows_ok "$p"
	check "fred: $p NOP baseline subtracts to 0" test "$(field "$f" "$p" baseline max)" = 0
done

# --- the FRED paths -----------------------------------------------------------
FRED_PATHS="fred_syscall fred_int2e"
FRED_EXC_PATHS="fred_exc_bp fred_exc_ud fred_exc_de fred_exc_gp fred_exc_pf"
check "fred: features= names fred and lkgs" grep -qE '^# features=(.*,)?fred,lkgs(,|$)' "$f"
for p in $FRED_PATHS; do
	for s in $SERVICES; do
		check "fred: $p,$s is ok with $N samples" \
			test "$(field "$f" $p $s status),$(field "$f" $p $s samples)" = "ok,$N"
	done
	check "fred: $p,args16 > $p,null (the arguments cost instructions)" \
		test "$(field "$f" $p args16 median)" -gt "$(field "$f" $p null median)"
	# the dispatcher's self-tests, through FRED
	for t in null args4_checksum args8_checksum args16_checksum win32k_null \
		 win32k_args4_checksum invalid_index_t0_first invalid_index_t0_max \
		 invalid_index_t1 invalid_table_2 invalid_table_3 args16_rsp_kernel \
		 args16_rsp_unmapped args16_rsp_noncanonical args16_rsp_straddles_probe \
		 args16_after_faults; do
		check "fred: selftest $p/$t passes" grep -q "^# selftest $p/$t pass" "$f"
	done
	# faults FRED delivers, caught by Ring 3's recovery point; the control
	# gate's copy faulting in Ring 0 (FRED's kernel entry, ERETS)
	for t in cli_gp hlt_gp mov_cr3_gp rdmsr_gp wrmsr_gp int_0x2e_reaches_dispatcher \
		 read_kernel_data_faults write_kernel_data_faults write_shared_page_faults \
		 read_unmapped_faults print_kernel_pointer print_unmapped_pointer; do
		check "fred: selftest $p/$t passes" grep -q "^# selftest $p/$t pass" "$f"
	done
	check "fred: $p: int 0x40 is #GP(0) past the int (no gate DPL under FRED)" \
		grep -q "^# selftest $p/int_unoffered_vector_gp0 pass got=0x0 want=0x0 vector=13 rip=past-the-int$" "$f"
	check "fred: $p: the gate-DPL test is skipped, with its reason" \
		grep -q "^# selftest $p/int_dpl0_gate_gp skip fred-has-no-gate-dpl-check$" "$f"
	check "fred: $p: the SYSRET test is skipped, with its reason" \
		grep -q "^# selftest $p/sysret_noncanonical_rip_takes_iret skip fred-has-no-sysret$" "$f"
done
for p in $FRED_EXC_PATHS; do
	check "fred: $p,none is ok (every handler check held)" \
		test "$(field "$f" $p none status),$(field "$f" $p none samples)" = "ok,$N"
	check "fred: $p's handler checks pass" \
		grep -q "^# selftest $p/handler_checks_vector_error_rip pass" "$f"
done
# the IDT's own tests still hold between the FRED paths: FRED is off there
check "fred: priv/int_dpl0_gate_gp still passes with FRED off (the SDM's (n << 3) | 2)" \
	grep -q '^# selftest priv/int_dpl0_gate_gp pass got=0x202 want=0x202 vector=13$' "$f"
check "fred: syscall's SYSRET test still passes with FRED off" \
	grep -q '^# selftest syscall/sysret_noncanonical_rip_takes_iret pass' "$f"

# --- a second boot: the same counts -----------------------------------------
# a different mix (FRED paths between IDT ones, FRED first), so every switch
# between FRED and the IDT is crossed again; its rows of a path must equal
# the first boot's
f2=$work/fred2.csv
bash scripts/mkiso.sh "$work/fred2.iso" build/ringtrip.elf \
	"clock=icount iterations=$N warmup=20 repeat=2 exit=bochs paths=fred_syscall,int2e,fred_exc_pf,shadow,fred_int2e,exc_gp,fred_exc_gp"
BOCHS=$bochs BOCHS_DISPLAY=nogui bash scripts/bochs-boot.sh "$work/fred2.iso" "$f2" wildcat_lake 900
rc=$?
rm -f "$work/fred2.iso"
check "fred: second boot (FRED and IDT paths mixed) ends through the shutdown port" test $rc -eq 0
check "fred: second boot's CSV is complete" csv_well_formed "$f2"
check "fred: second boot's self-tests all pass" selftests_all_pass "$f2" 100
same_counts() {   # PATH: its rows' counts (columns 5-12) in both captures
	diff <(data_rows "$f" | awk -F, -v p="$1" '$1 == p' | cut -d, -f1-3,6-12) \
	     <(data_rows "$f2" | awk -F, -v p="$1" '$1 == p' | cut -d, -f1-3,6-12)
}
for p in fred_syscall fred_int2e fred_exc_pf fred_exc_gp; do
	check "fred: $p's counts are the same in both boots" same_counts "$p"
	check "fred: $p's two ensembles agree (median_spread 0)" \
		test -z "$(data_rows "$f2" | awk -F, -v p="$p" '$1 == p && $15 != 0')"
done
