#!/usr/bin/env bash
# qemu_tcg.sh - boot the real ISO under QEMU TCG with -icount shift=0 and
# check what it wrote. Under icount the TSC counts instructions, so exact
# relations hold (identical boots, a NOP baseline that subtracts to 0);
# no check here is about time.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh
check "services: the list is read from kernel/abi.h ($SERVICES)" test "$(wc -w <<< "$SERVICES")" -ge 4

work=build/boot-tests
mkdir -p "$work"
ELF=build/ringtrip.elf
# what QEMU TCG (-cpu max: AMD vendor, no PCID) can run, and what it cannot
TCG_PATHS="syscall syscall_iret int2e trapgate shadow int2e_shadow callgate int_ist"
TCG_UNSUPPORTED="shadow_pcid:unsupported:no-pcid sysenter:unsupported:vendor"
# FRED (issue 14): TCG has none; its paths get rows that say so, nothing else
FRED_PATHS="fred_syscall fred_int2e"
FRED_EXC_PATHS="fred_exc_bp fred_exc_ud fred_exc_de fred_exc_gp fred_exc_pf"


# --- A normal run with small counts ----------------------------------------
N=2000 R=2
boot a bios "clock=icount iterations=$N warmup=200 repeat=$R"
f=$work/a.csv
check "boot: kernel exits 0 (all self-tests pass)" rc_is a 0
check "csv: first line, header, column count, trailer row count" csv_well_formed "$f"
for k in cpu_vendor cpu_brand family model stepping hypervisor clock tsc_invariant tsc_hz tsc_hz_source microcode pmu smep smap features cmdline iterations warmup repeat timer overhead_tsc; do
	check "csv: metadata $k present" test -n "$(meta "$f" $k)"
done
check "csv: clock=icount" test "$(meta "$f" clock)" = icount
check "csv: hypervisor=tcg" test "$(meta "$f" hypervisor)" = tcg
check "csv: iterations=$N from the command line" test "$(meta "$f" iterations)" = $N
check "csv: warmup=200 from the command line" test "$(meta "$f" warmup)" = 200
check "csv: repeat=$R from the command line" test "$(meta "$f" repeat)" = $R
check "csv: tsc_hz is a number, with its source" \
	bash -c "[[ '$(meta "$f" tsc_hz)' =~ ^[0-9]+$ ]] && [[ '$(meta "$f" tsc_hz_source)' =~ ^(cpuid15|cpuid16|hypervisor|pit|none)$ ]]"
check "csv: no PMU under TCG, and the CSV says why" bash -c "[[ '$(meta "$f" pmu)' == unavailable:* ]]"
check "csv: every ok row has a histogram that adds up to its samples" hist_matches_samples "$f"
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
for p in $TCG_PATHS; do
	for s in $SERVICES; do
		check "row: $p,$s is ok" test "$(field "$f" $p $s status)" = ok
		check "row: $p,$s has $R x $N samples" test "$(field "$f" $p $s samples)" = $((R * N))
		check "row: $p,$s summarises $R ensembles, identical under icount" \
			test "$(field "$f" $p $s ensembles),$(field "$f" $p $s median_spread),$(field "$f" $p $s min_spread)" = "$R,0,0"
		check "row: $p,$s has no ns or cycles under icount / without a PMU" \
			test "$(field "$f" $p $s median_ns)$(field "$f" $p $s median_cycles)" = ""
		check "row: $p,$s is exact under icount (min = max)" \
			test "$(field "$f" $p $s min)" = "$(field "$f" $p $s max)"
	done
	for c in min median max p99; do
		check "row: $p NOP baseline subtracts to exactly 0 ($c)" test "$(field "$f" $p baseline $c)" = 0
	done
	check "selftest: $p runs the foundation self-tests (16 at least)" \
		test "$(grep -c "^# selftest $p/.* pass" "$f")" -ge 16
done
for pu in $TCG_UNSUPPORTED; do
	p=${pu%%:*} why=${pu#*:}
	for s in $SERVICES; do
		check "row: $p,$s is present with status $why" test "$(field "$f" $p $s status)" = "$why"
	done
done
for p in shadow int2e_shadow; do
	for t in isolation_walk kernel_data_not_mapped kernel_text_not_mapped entry_text_mapped_supervisor; do
		check "isolation: $p/$t passes" grep -q "^# selftest $p/$t pass" "$f"
	done
done
check "selftest: shadow leaves by iretq for a non-canonical RIP too" \
	grep -q '^# selftest shadow/sysret_noncanonical_rip_takes_iret pass' "$f"
check "csv: one main row per (path, service): 12 paths x 6 + 10 exception paths x 2" \
	test "$(main_rows "$f" | wc -l)" = 92
check "csv: and the mitigation matrix: 16 more rows per path with a template (linux and windows on null and args4, 12 toggles on null; not the FRED paths)" \
	test "$(data_rows "$f" | wc -l)" = $((92 + 10 * 16))
for p in $FRED_PATHS; do
	for s in $SERVICES; do
		check "fred: $p,$s is present with status unsupported:no-fred" \
			test "$(field "$f" $p $s status)" = unsupported:no-fred
	done
done
for p in $FRED_EXC_PATHS; do
	for s in baseline none; do
		check "fred: $p,$s is present with status unsupported:no-fred" \
			test "$(field "$f" $p $s status)" = unsupported:no-fred
	done
done
check "fred: no FRED path ran, so no self-test names one" \
	bash -c "! grep -q '^# selftest fred_' '$f'"
check "fred: features= does not claim FRED or LKGS on TCG" \
	bash -c "! grep -qE '^# features=(.*,)?(fred|lkgs)(,|$)' '$f'"
for p in exc_bp exc_ud exc_de exc_gp exc_pf; do
	check "exceptions: $p,none is ok (every handler check held)" test "$(field "$f" $p none status)" = ok
	check "exceptions: $p,none is exact under icount" \
		test "$(field "$f" $p none min)" = "$(field "$f" $p none max)"
	check "exceptions: $p baseline subtracts to 0" test "$(field "$f" $p baseline max)" = 0
	check "exceptions: $p self-tests pass" grep -q "^# selftest $p/handler_checks_vector_error_rip pass" "$f"
done
check "exceptions: the #PF round trip (map + re-execute) costs more than the #UD one (skip)" \
	test "$(field "$f" exc_pf none median)" -gt "$(field "$f" exc_ud none median)"
for s in ${SERVICES#baseline }; do
	check "int_ist: $s ok" test "$(field "$f" int_ist $s status)" = ok
done
for t in cli_gp hlt_gp mov_cr3_gp rdmsr_gp wrmsr_gp int_dpl0_gate_gp int_dpl3_gate_handled; do
	check "privilege: priv/$t passes" grep -q "^# selftest priv/$t pass" "$f"
done
check "privilege: SMEP is on and Ring 0 executing a user page faults" \
	bash -c "[ '$(meta "$f" smep)' = on ] && grep -q '^# selftest kernel/smep_blocks_user_exec pass' '$f'"
check "privilege: SMAP is on and Ring 0 reading a user page faults" \
	bash -c "[ '$(meta "$f" smap)' = on ] && grep -q '^# selftest kernel/smap_blocks_user_read pass' '$f'"
check "row: every ok row's overhead is its path's overhead_tsc.<path>" \
	test -z "$(data_rows "$f" | while IFS=, read -r p s a st n mn md mean sd p99 mx ovh rest; do
		[ "$st" = ok ] && [ "$ovh" != "$(meta "$f" "overhead_tsc.$p")" ] && echo "$p,$s"; done)"
med() { field "$f" syscall "$1" median; }
check "row: instruction counts grow with the argument count (null < args4 < args8 < args16)" \
	test "$(med null)" -lt "$(med args4)" -a "$(med args4)" -lt "$(med args8)" -a "$(med args8)" -lt "$(med args16)"
check "row: the shadow CR3 switch costs instructions (shadow > syscall)" \
	test "$(field "$f" shadow null median)" -gt "$(field "$f" syscall null median)"

# --- The same boot again gives identical numbers ---------------------------
boot b bios "clock=icount iterations=$N warmup=200 repeat=$R"
check "boot: second boot exits 0" rc_is b 0
check "determinism: two icount boots give identical rows" \
	diff <(data_rows "$work/a.csv") <(data_rows "$work/b.csv")
check "compare: two icount boots are 'same' on every ok row" \
	bash -c "python3 results/compare '$work/a.csv' '$work/b.csv' --fail-above 0 > '$work/compare.txt' &&
		 ! grep -qE ' (slower|faster|noise)$' '$work/compare.txt'"
check "reference: results/qemu-tcg-icount.csv still matches this build (else: make run, copy latest.csv there)" \
	bash -c "python3 results/compare results/qemu-tcg-icount.csv '$work/a.csv' > '$work/reference.txt' &&
		 ! grep -qE ' (slower|faster|noise)$' '$work/reference.txt'"
head -n -3 "$work/a.csv" > "$work/truncated.csv"
check "compare: a truncated capture is rejected (exit 2, says truncated)" \
	bash -c "python3 results/compare '$work/a.csv' '$work/truncated.csv' 2>&1 >/dev/null | grep -qi truncated;
		 python3 results/compare '$work/a.csv' '$work/truncated.csv' >/dev/null 2>&1; [ \$? -eq 2 ]"

# the trailer's crc32 covers every line before it (CSV version 2): an edit
# of the metadata or the header is refused like a damaged row
check "selftest: control/output_crc_tracks_serial passes (the trailer's CRC follows serial)" \
	grep -q '^# selftest control/output_crc_tracks_serial pass' "$work/a.csv"
sed 's/^# clock=icount$/# clock=tsc/' "$work/a.csv" > "$work/edited-meta.csv"
sed 's/^\(path,service,args,status,samples,min,\)median\(,mean,stdev,\)p99,/\1p99\2median,/' \
	"$work/a.csv" > "$work/edited-header.csv"
for e in meta header; do
	check "compare: a capture with an edited $e line is rejected (exit 2, crc32 mismatch)" \
		bash -c "! cmp -s '$work/a.csv' '$work/edited-$e.csv' &&
			 python3 results/compare '$work/a.csv' '$work/edited-$e.csv' 2>&1 >/dev/null | grep -q 'crc32 mismatch';
			 python3 results/compare '$work/a.csv' '$work/edited-$e.csv' >/dev/null 2>&1; [ \$? -eq 2 ]"
done

# --- A bad command line is reported, and the run goes on with defaults -----
boot bad bios "clock=icount iterations=300 warmup=abc bogus=1 frobnicate paths=syscall,nosuchpath"
check "cmdline: paths=syscall,nosuchpath runs only syscall" \
	test "$(data_rows "$work/bad.csv" | cut -d, -f1 | sort -u)" = syscall
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
boot crashk bios "clock=icount crash=kernel"
f=$work/crashk.csv
check "panic: a Ring 0 #UD ends the run with the panic exit code" rc_is crashk 2
check "panic: vector named" grep -q '^# panic: unexpected exception vector=6 (#UD invalid opcode) error=0x0 in Ring 0' "$f"
check "panic: rip, cs, rsp, cr2 and registers reported" \
	bash -c "grep -q '^# panic: rip=0xffffffff8' '$f' && grep -q 'cr2=0x' '$f' && grep -q 'r15=0x' '$f'"
boot crashu bios "clock=icount crash=user iterations=10 warmup=0"
f=$work/crashu.csv
check "panic: a Ring 3 #UD is reported as such" grep -q '^# panic: unexpected exception vector=6 (#UD invalid opcode) error=0x0 in Ring 3' "$f"
check "panic: Ring 3 crash exit code" rc_is crashu 2
check "panic: a crashed run has no trailer (truncation is visible)" bash -c "! grep -q '^# end rows=' '$f'"

# --- dump=: the CPU's tables, decoded ---------------------------------------
boot dump bios "clock=icount iterations=50 warmup=5 repeat=1 paths=syscall dump=idt,gdt,tss,msr,cr"
f=$work/dump.csv
check "dump: the run completes" rc_is dump 0
check "dump: CSV still complete" csv_well_formed "$f"
check "dump: int 0x2e is a DPL 3 64-bit interrupt gate" \
	grep -q '^# dump idt vector=0x2e .*type=0xe (64-bit interrupt gate) dpl=3 p=1' "$f"
check "dump: 0x2b is a DPL 3 trap gate" grep -q '^# dump idt vector=0x2b .*type=0xf (64-bit trap gate) dpl=3 p=1' "$f"
check "dump: NMI and #DF gates use IST 2 and 1" \
	bash -c "grep -q '^# dump idt vector=0x02 .*ist=2 ' '$f' && grep -q '^# dump idt vector=0x08 .*ist=1 ' '$f'"
check "dump: 0x40 is a DPL 0 gate (Ring 3 gets #GP)" grep -q '^# dump idt vector=0x40 .* dpl=0 p=1' "$f"
check "dump: GDT in SYSRET order, TSS and call gate" \
	bash -c "grep -q '^# dump gdt sel=0x0020 .*dpl=3' '$f' && grep -q '^# dump gdt sel=0x0030 .*dpl=3 p=1 l=1' '$f' &&
		 grep -q '^# dump gdt sel=0x0040 .*64-bit TSS' '$f' && grep -q '^# dump gdt sel=0x0050 .*64-bit call gate) dpl=3' '$f'"
check "dump: TSS RSP0 and IST1-4 set" bash -c "grep -q '^# dump tss rsp0=0xffffffff8' '$f' && grep -q 'ist4=0xffffffff8' '$f'"
check "dump: STAR as Windows writes it, SFMASK, EFER" \
	bash -c "grep -q '^# dump msr STAR=0x0023001000000000' '$f' && grep -q '^# dump msr SFMASK=.*(TF IF DF NT' '$f' &&
		 grep -q '^# dump msr EFER=.*(SCE LME LMA NXE)' '$f'"
check "dump: CR0 and CR4 flags named" \
	bash -c "grep -q '^# dump cr CR0=.*(PE .*WP PG)' '$f' && grep -q '^# dump cr CR4=.*PAE.*SMEP SMAP' '$f'"
