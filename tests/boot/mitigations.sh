#!/usr/bin/env bash
# mitigations.sh - the entry mitigations (issue 13): toggles and profiles.
#
# Under QEMU's -icount (and Bochs' fixed-ips clock) the TSC counts
# instructions, so every toggle's cost is exact: each toggle alone must add
# exactly the instructions its sequence declares (the kernel prints them
# per path, entry+exit, as mitigation_insns.<path>) on every path; a
# profile or mitigations=all adds exactly the sum of its toggles';
# mitigations=none runs exactly the minimal rows; a toggle the CPU cannot
# run gets its row with unsupported:<why>, the kernel refuses it, and it is
# never run. The self-tests - the isolation tests of the shadow paths among
# them - pass under every profile. Where each site sits (entry before the
# dispatcher call, exit after it) is checked in the kernel image itself
# (tests/boot/mitig_elf.py). Bochs' Intel tigerlake model runs what TCG
# lacks: SPEC_CTRL (ibrs), PRED_CMD (ibpb), MD_CLEAR (verw). No check is
# about time.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh
work=build/boot-tests/mitigations
rm -rf "$work" && mkdir -p "$work"
ELF=build/ringtrip.elf
BASE="clock=icount iterations=40 warmup=4 repeat=1"

# --- the kernel image: sites where they belong, straight-line counts -------
python3 tests/boot/mitig_elf.py "$ELF" || echo "FAIL elf: tests/boot/mitig_elf.py ended with $?"

# an entry site after the dispatcher call, or an exit site before it, does
# not assemble, and the error names it
for side in entry exit; do
	if [ $side = entry ]; then site="	DISPATCH_CALL
	MITIG lfence_swapgs, entry"; else site="	MITIG verw, exit
	DISPATCH_CALL"; fi
	printf '%%include "common.inc"\n%%macro BAD_BODY 0\n\tswapgs\n\tPUSH_GPRS\n%s\n\tiretq\n%%endmacro\nMITIG_STUB bad_entry, BAD_BODY\n' \
		"$site" > "$work/bad_$side.asm"
	nasm -f elf64 -Ibuild/gen/ -Ikernel/ -Ientry/ -o "$work/bad_$side.o" "$work/bad_$side.asm" \
		> "$work/bad_$side.log" 2>&1
	check "asm: a misplaced $side site does not assemble, and says so" \
		bash -c "! [ -s '$work/bad_$side.o' ] && grep -q 'an $side site .* the dispatcher call' '$work/bad_$side.log'"
done

# --- boots ------------------------------------------------------------------
boot minimal bios "$BASE" &
boot none bios "$BASE mitigations=none" &
wait
boot linux bios "$BASE profile=linux" &
boot windows bios "$BASE profile=windows" &
wait
boot all bios "$BASE mitigations=all" &
boot custom bios "$BASE mitigations=verw,sti,bogus paths=syscall,int2e_shadow services=null,args8" &
wait

# rowv CSV PATH SERVICE PROFILE MITIGATIONS COLUMN: that row's column
# (MITIGATIONS "*": any)
rowv() {
	awk -F, -v p="$2" -v s="$3" -v pr="$4" -v m="$5" -v c="$6" '
		/^#/ { next }
		!h { for (i = 1; i <= NF; i++) col[$i] = i; h = 1; next }
		$1 == p && $2 == s && $col["profile"] == pr && (m == "*" || $col["mitigations"] == m) {
			print $col[c]; exit }' "$1"
}
# insns CSV PATH SET: the instructions the toggles of SET ("a+b", "none")
# add on PATH, entry + exit, as the kernel declares them
insns() {
	meta "$1" "mitigation_insns.$2" | tr ',' '\n' |
		awk -F'[:+]' -v set="+$3+" 'index(set, "+" $1 "+") { n += $2 + $3 } END { print n + 0 }'
}
# the paths with a template (mitigation_insns.<path>) and the toggles
mpaths() { sed -n 's/^# mitigation_insns\.\([a-z0-9_]*\)=.*/\1/p' "$1"; }
TOGGLES=$(meta "$work/minimal.csv" mitigation_insns.syscall | tr ',' '\n' | cut -d: -f1 | tr '\n' ' ')
check "toggles: the kernel names twelve ($TOGGLES)" test "$(wc -w <<< "$TOGGLES")" -eq 12

# added CSV PATH SERVICE PROFILE MITIG: that row's median less the path's
# minimal row's on the same service (the first, main, minimal row)
added() {
	local m b
	m=$(rowv "$1" "$2" "$3" "$4" "$5" median)
	b=$(rowv "$1" "$2" "$3" minimal none median)
	[ -n "$m" ] && [ -n "$b" ] && echo $((m - b))
}
# exact CSV PATH SERVICE PROFILE MITIG: the row is ok and adds exactly what
# its toggles declare
exact() {
	local st got want
	st=$(rowv "$1" "$2" "$3" "$4" "$5" status)
	[ "$st" = ok ] || { echo "status '$st'"; return 1; }
	got=$(added "$@")
	want=$(insns "$1" "$2" "$5")
	[ "$got" = "$want" ] || { echo "adds $got instructions, its toggles declare $want"; return 1; }
}
# unsupported_row CSV PATH TOGGLE: the toggle's row says why, never ran
unsupported_row() {
	local st why
	st=$(rowv "$1" "$2" null toggle "$3" status)
	why=$(meta "$1" mitigations_unsupported | tr ',' '\n' | sed -n "s/^$3:\(unsupported:.*\)/\1/p")
	[ -n "$why" ] || { echo "$3 is not in mitigations_unsupported"; return 1; }
	[ "$st" = "$why" ] || { echo "status '$st', the kernel says '$why'"; return 1; }
	[ "$(rowv "$1" "$2" null toggle "$3" samples)" = 0 ] || { echo "it has samples"; return 1; }
	grep -q "^# selftest mitigations/$3_refused pass " "$1" ||
		{ echo "no passing mitigations/$3_refused self-test"; return 1; }
}

# toggles_exact NAME CSV: every toggle alone, on every path with a template
toggles_exact() {
	local f=$2 p t
	for p in $(mpaths "$f"); do
		[ "$(rowv "$f" "$p" null minimal none status)" = ok ] || continue
		for t in $TOGGLES; do
			if meta "$f" mitigations_supported | tr '+' '\n' | grep -qx "$t"; then
				check "$1: $p: $t alone adds exactly its $(insns "$f" "$p" "$t") declared instructions (entry+exit)" \
					exact "$f" "$p" null toggle "$t"
			else
				check "$1: $p: $t is reported unsupported, refused, never run" \
					unsupported_row "$f" "$p" "$t"
			fi
		done
	done
}

f=$work/minimal.csv
check "default: the run exits 0" rc_is minimal 0
check "default: complete CSV" csv_well_formed "$f"
check "default: every self-test passes" selftests_all_pass "$f" 150
check "default: histograms add up, the matrix rows' included" hist_matches_samples "$f"
check "default: profile=minimal, no mitigations= given" \
	test "$(meta "$f" profile),$(meta "$f" mitigations)" = minimal,profile
check "default: TCG lacks SPEC_CTRL, PRED_CMD, BHI_CTRL, MD_CLEAR: they are unsupported" \
	test "$(meta "$f" mitigations_unsupported)" = \
	"ibrs:unsupported:no-spec-ctrl,ibpb:unsupported:no-pred-cmd,bhi_dis_s:unsupported:no-bhi-ctrl,verw:unsupported:no-md-clear"
check "default: the kernel refuses a set naming no toggle" \
	grep -q '^# selftest mitigations/unknown_bit_refused pass ' "$f"
check "default: every main row is minimal with no toggle" \
	test -z "$(main_rows "$f" | awk -F, -v h="$CSV_HEADER" 'BEGIN { n = split(h, c, ","); for (i = 1; i <= n; i++) col[c[i]] = i }
		$col["profile"] != "minimal" || $col["mitigations"] != "none"')"
check "default: syscall/null under minimal is at most 83 instructions (103 before the asm dispatcher)" \
	test "$(field "$f" syscall null median)" -le 83
toggles_exact default "$f"
# the profiles' rows add exactly their toggles, on null and args4
for p in $(mpaths "$f"); do
	[ "$(rowv "$f" "$p" null minimal none status)" = ok ] || continue
	for pr in linux windows; do
		set=$(rowv "$f" "$p" null "$pr" '*' mitigations)
		for s in null args4; do
			check "default: $p: $pr on $s ($set) adds exactly its toggles' instructions" \
				exact "$f" "$p" "$s" "$pr" "$set"
		done
	done
done
check "default: the screen's tables are the mitigation matrix's (TCG: linux = sti, windows = retpoline+fpu+sti)" \
	test "$(rowv "$f" syscall null linux '*' mitigations),$(rowv "$f" syscall null windows '*' mitigations)" = \
	"sti,retpoline+fpu+sti"

# --- mitigations=none is minimal --------------------------------------------
medians() { main_rows "$1" | awk -F, '{ print $1 "," $2 "," $4 "," $7 }'; }
check "none: the run exits 0, every self-test passes" \
	bash -c "[ \$(cat '$work/none.rc') = 0 ] && ! grep -q '^# selftest .* fail' '$work/none.csv'"
check "none: every main row equals the default run's (path, service, status, median)" \
	diff <(medians "$work/minimal.csv") <(medians "$work/none.csv")
check "none: its rows say minimal" test "$(field "$work/none.csv" syscall null profile)" = minimal
check "none: the same matrix, row for row" \
	diff <(data_rows "$work/minimal.csv" | cut -d, -f1-7) <(data_rows "$work/none.csv" | cut -d, -f1-7)

# --- the profiles: their own runs, self-tests and isolation included --------
for pr in linux windows; do
	f=$work/$pr.csv
	check "profile=$pr: the run exits 0" rc_is "$pr" 0
	check "profile=$pr: complete CSV" csv_well_formed "$f"
	check "profile=$pr: every self-test passes, isolation included" selftests_all_pass "$f" 150
	for p in shadow int2e_shadow; do
		check "profile=$pr: $p's isolation walk passes" grep -q "^# selftest $p/isolation_walk pass" "$f"
	done
	check "profile=$pr: histograms add up (keys with @$pr)" hist_matches_samples "$f"
	check "profile=$pr: metadata profile=$pr" test "$(meta "$f" profile)" = "$pr"
	for p in $(mpaths "$f"); do
		[ "$(field "$f" "$p" null status)" = ok ] || continue
		check "profile=$pr: $p's main rows run $pr's set, as the default run's matrix did" \
			test "$(field "$f" "$p" null mitigations)" = \
			"$(rowv "$work/minimal.csv" "$p" null "$pr" '*' mitigations)"
		check "profile=$pr: $p,null is the default run's $pr row, exactly" \
			test "$(field "$f" "$p" null median)" = \
			"$(rowv "$work/minimal.csv" "$p" null "$pr" '*' median)"
		check "profile=$pr: $p has the minimal rows in its matrix" \
			test "$(rowv "$f" "$p" null minimal none median)" = "$(field "$work/minimal.csv" "$p" null median)"
	done
	check "profile=$pr: exception rows are minimal (no entry macros there)" \
		test "$(field "$f" exc_ud none profile),$(field "$f" exc_ud none mitigations)" = minimal,none
done

# --- mitigations=all: the sum; unsupported ones said and not run ------------
f=$work/all.csv
check "all: the run exits 0" rc_is all 0
check "all: every self-test passes" selftests_all_pass "$f" 150
check "all: runs the supported set" \
	test "$(meta "$f" mitigations)" = "$(meta "$f" mitigations_supported)"
check "all: each unsupported toggle is a warning" \
	test "$(grep -c '^# warning: mitigations=.* on this CPU: not run' "$f")" -eq 4
set=$(meta "$f" mitigations)
for p in $(mpaths "$f"); do
	[ "$(field "$f" "$p" null status)" = ok ] || continue
	check "all: $p,null adds exactly the sum of the supported toggles ($(insns "$f" "$p" "$set"))" \
		exact "$f" "$p" null custom "$set"
done

# --- a custom set, with an unknown name, on two paths and two services ------
f=$work/custom.csv
check "custom: the run exits 0, self-tests pass" rc_is custom 0
check "custom: the unknown name is a warning" grep -q "^# warning: unknown mitigation 'bogus' in mitigations=" "$f"
check "custom: verw is unsupported here: a warning, and sti alone runs" \
	bash -c "grep -q '^# warning: mitigations=verw is unsupported:no-md-clear' '$f' &&
		 [ '$(field "$f" syscall null mitigations)' = sti ] && [ '$(field "$f" syscall null profile)' = custom ]"
check "custom: services=null,args8: the matrix keeps to null (no args4 rows)" \
	test -z "$(data_rows "$f" | awk -F, '$2 == "args4"')"
check "custom: int2e_shadow,args8 under sti is the default run's minimal one plus sti's instructions" \
	test "$(( $(field "$f" int2e_shadow args8 median) - $(field "$work/minimal.csv" int2e_shadow args8 median) ))" = \
	"$(insns "$f" int2e_shadow sti)"
check "custom: the sti toggle row is left out (it is the main set)" \
	test -z "$(rowv "$f" syscall null toggle sti status)"

# --- Bochs' Intel tigerlake: what TCG lacks ---------------------------------
bboot() {   # bboot NAME CMDLINE
	bash scripts/mkiso.sh "$work/$1.iso" "$ELF" "$2 exit=bochs" &&
		bash scripts/bochs-boot.sh "$work/$1.iso" "$work/$1.csv" tigerlake 900
	echo $? > "$work/$1.rc"
	rm -f "$work/$1.iso"
}
bboot bochs "$BASE" &
bboot bochs_linux "$BASE profile=linux" &
wait
bboot bochs_windows "$BASE profile=windows"
f=$work/bochs.csv
check "bochs: the run ends through the shutdown port" rc_is bochs 0
check "bochs: complete CSV" csv_well_formed "$f"
check "bochs: every self-test passes" selftests_all_pass "$f" 150
check "bochs: SPEC_CTRL, PRED_CMD and MD_CLEAR are there: ibrs, ibpb, verw run" \
	bash -c "meta() { sed -n \"s/^# \$2=//p\" \"\$1\" | head -1; }; s=+\$(meta '$f' mitigations_supported)+;
		 [[ \$s == *+ibrs+* && \$s == *+ibpb+* && \$s == *+verw+* ]]"
check "bochs: untrain_ret is AMD's: unsupported:vendor on Intel" \
	test "$(rowv "$f" syscall null toggle untrain_ret status)" = unsupported:vendor
toggles_exact bochs "$f"
for pr in linux windows; do
	g=$work/bochs_$pr.csv
	check "bochs profile=$pr: the run ends through the shutdown port" rc_is "bochs_$pr" 0
	check "bochs profile=$pr: every self-test passes, isolation (PCID too) included" selftests_all_pass "$g" 150
	check "bochs profile=$pr: shadow_pcid's isolation walk passes" \
		grep -q '^# selftest shadow_pcid/isolation_walk pass' "$g"
	for p in syscall int2e shadow_pcid sysenter; do
		check "bochs profile=$pr: $p,null is exactly minimal plus $pr's toggles ($(field "$g" "$p" null mitigations))" \
			test "$(( $(field "$g" "$p" null median) - $(rowv "$g" "$p" null minimal none median) ))" = \
			"$(insns "$g" "$p" "$(field "$g" "$p" null mitigations)")"
	done
done
check "bochs: Linux on this model: eIBRS, no BHI_CTRL, MDS -> bhb_clear+verw (+ the swapgs fence on int gates)" \
	test "$(rowv "$f" syscall null linux '*' mitigations),$(rowv "$f" int2e null linux '*' mitigations)" = \
	"bhb_clear+verw+sti,lfence_swapgs+bhb_clear+verw+sti"
