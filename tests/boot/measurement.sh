#!/usr/bin/env bash
# measurement.sh - the timed region and the clocks (issue 12): the fences
# around every clock read, as the disassembled stubs show them; batch=K and
# the three TSC timers giving exactly the batch=1 rdtscp counts under
# -icount; the clock's step, LFENCE serialization, core clock, SMI and turbo
# metadata; and bad values for the new options. No check is about time.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh
work=build/boot-tests/measurement
rm -rf "$work" && mkdir -p "$work"
ELF=build/ringtrip.elf

# --- the stubs, as objdump disassembles them: each clock's reads are fenced
objdump -D -j .user --no-show-raw-insn "$ELF" > "$work/user.dis"
# global stubs by address (nm: only real symbols, no ..@ labels)
nm -n "$ELF" | awk '$2 == "T" || $2 == "t"' | grep -v ' \.\.@' > "$work/syms"
# mnemonics of stub SYM, one line, from its address up to its first ret
stub_ops() {
	local range
	range=$(awk -v s="$1" '$3 == s { a = $1; getline; print a, $1; exit }' "$work/syms")
	[ -n "$range" ] || return 0
	awk -v lo="${range% *}" -v hi="${range#* }" '
		function num(h) { return strtonum("0x" h) }
		/^ +[0-9a-f]+:/ {
			a = $1; sub(/:$/, "", a)
			if (num(a) < num(lo) || num(a) >= num(hi)) next
			sub(/^ +[0-9a-f]+:[ \t]+/, ""); split($0, w, /[ \t]/)
			printf "%s ", w[1]
			if (w[1] == "ret") exit
		}' "$work/user.dis"
}
# fenced SYM REGEX: the stub's mnemonic sequence matches
fenced() {
	local ops
	ops=$(stub_ops "$1")
	[ -n "$ops" ] || { echo "no stub $1 in the disassembly"; return 1; }
	[[ $ops =~ $2 ]] || { echo "$1: $ops"; return 1; }
}
paths=$(sed -n 's/^[0-9a-f]* [TtDd] \(.*\)_invoke_cpuid$/\1/p' <(nm "$ELF") | sort -u)
check "stubs: every path has cpuid stubs ($(echo $paths | wc -w) paths)" test "$(echo $paths | wc -w)" -ge 10
for p in $paths; do
	for kind in invoke baseline; do
		check "stubs: ${p}_$kind: lfence; rdtsc; lfence ... rdtscp; lfence" \
			fenced "${p}_$kind" '^.*lfence rdtsc lfence .* dec jne mov rdtscp lfence .*ret $'
		check "stubs: ${p}_${kind}_lf: lfence; rdtsc; lfence at both ends" \
			fenced "${p}_${kind}_lf" '^.*lfence rdtsc lfence .* dec jne mov lfence rdtsc lfence .*ret $'
		check "stubs: ${p}_${kind}_cpuid: cpuid; rdtsc ... rdtscp; ...; cpuid" \
			fenced "${p}_${kind}_cpuid" '^.*xor cpuid rdtsc .* dec jne mov rdtscp shl or mov xor cpuid .*ret $'
		check "stubs: ${p}_${kind}_pmc: lfence; rdpmc; lfence at both ends" \
			fenced "${p}_${kind}_pmc" '^.*lfence rdpmc lfence .* dec jne mov mov lfence rdpmc lfence .*ret $'
	done
done
check "stubs: the crossing is inside the timed loop (syscall_invoke)" \
	fenced syscall_invoke 'lfence rdtsc lfence shl or mov( mov)+ syscall dec jne mov rdtscp'

# --- boots under -icount: every count is exact
BASE="clock=icount iterations=40 warmup=4 repeat=1 services=null,args4"
boot plain bios "$BASE" &
boot batch bios "$BASE batch=16" &
wait
boot cpuid bios "$BASE timer=cpuid" &
boot lfence bios "$BASE timer=lfence batch=3" &
wait
boot badopt bios "$BASE batch=0 batch=5000 timer=bogus"

for b in plain batch cpuid lfence badopt; do
	check "$b: the run exits 0" rc_is "$b" 0
	check "$b: complete CSV" csv_well_formed "$work/$b.csv"
done
# ok rows' path,service,median
medians() { data_rows "$1" | awk -F, '$4 == "ok" { print $1 "," $2 "," $7 }'; }
same_medians() {
	local d
	d=$(diff <(medians "$work/plain.csv") <(medians "$work/$1.csv")) || { echo "$d" | head -5; return 1; }
	[ "$(medians "$work/plain.csv" | wc -l)" -ge 10 ] || { echo "too few ok rows"; return 1; }
}
check "batch=16: the metadata says batch=16" test "$(meta "$work/batch.csv" batch)" = 16
check "batch=16: every row's per-crossing median equals batch=1's exactly" same_medians batch
check "batch=16: exc_pf runs one crossing per sample and says so" \
	test "$(meta "$work/batch.csv" batch.exc_pf)" = 1
check "timer=cpuid: the metadata says cpuid-rdtscp" test "$(meta "$work/cpuid.csv" timer)" = cpuid-rdtscp
check "timer=cpuid: every median equals rdtscp's exactly" same_medians cpuid
check "timer=lfence batch=3: the metadata says lfence-rdtsc" \
	test "$(meta "$work/lfence.csv" timer)" = lfence-rdtsc
check "timer=lfence batch=3: every median equals rdtscp batch=1's exactly" same_medians lfence
check "default: timer=rdtscp (TCG has RDTSCP), batch=1" \
	test "$(meta "$work/plain.csv" timer),$(meta "$work/plain.csv" batch)" = rdtscp,1

# the clock and the counters the CPU has or has not
check "icount: tsc_step=1 (the TSC counts every instruction)" test "$(meta "$work/plain.csv" tsc_step)" = 1
for k in lfence_serializing core_clock smi_count turbo; do
	check "metadata: $k= is there ($(meta "$work/plain.csv" $k))" test -n "$(meta "$work/plain.csv" $k)"
done
check "TCG: no APERF/MPERF, said why, and the core-clock columns stay empty" \
	bash -c "[[ '$(meta "$work/plain.csv" core_clock)' == unavailable:* ]] &&
		 [ -z '$(field "$work/plain.csv" syscall null median_core_cycles)' ] &&
		 [ -z '$(field "$work/plain.csv" syscall null core_mhz)' ]"
check "TCG (an AMD family 0Fh model): LFENCE serializes without DE_CFG" \
	test "$(meta "$work/plain.csv" lfence_serializing)" = yes:family-without-de_cfg
check "TCG: no SMI counter (not Intel), the smis column empty" \
	bash -c "[ '$(meta "$work/plain.csv" smi_count)' = unavailable:not-intel ] &&
		 [ -z '$(field "$work/plain.csv" syscall null smis)' ]"

# bad values keep the defaults, with a warning each
check "batch=0: warned" grep -q "^# warning: option 'batch=0'" "$work/badopt.csv"
check "batch=5000: warned (1..1000)" grep -q "^# warning: option 'batch=5000'" "$work/badopt.csv"
check "timer=bogus: warned" grep -q "^# warning: option 'timer=bogus'" "$work/badopt.csv"
check "bad values: batch=1 and timer=rdtscp kept" \
	test "$(meta "$work/badopt.csv" batch),$(meta "$work/badopt.csv" timer)" = 1,rdtscp

# each service's own cost in Ring 0 (SVC_SERVICE_COST): the same on every
# path, growing with the arguments it checksums, empty where there is none
svc_costs() { data_rows "$1" | awk -F, -v s="$2" '$2 == s && $4 == "ok" { print $23 }' | sort -u; }
check "service_cost: the header names it as column 23" \
	test "$(grep -v '^#' "$work/plain.csv" | head -1 | cut -d, -f23)" = service_cost
check "service_cost: null's is one value on every path ($(svc_costs "$work/plain.csv" null | tr '\n' ' '))" \
	test "$(svc_costs "$work/plain.csv" null | wc -l)" = 1
check "service_cost: args4's is one value on every path" test "$(svc_costs "$work/plain.csv" args4 | wc -l)" = 1
check "service_cost: args4 costs more than null" \
	test "$(svc_costs "$work/plain.csv" args4)" -gt "$(svc_costs "$work/plain.csv" null)"
check "service_cost: empty on baseline and exception rows" \
	bash -c "[ -z '$(field "$work/plain.csv" syscall baseline service_cost)' ] &&
		 [ -z '$(field "$work/plain.csv" exc_ud none service_cost)' ]"

# clock=icount with counts left open: far smaller ones, and the metadata says which
boot icdef bios "clock=icount warmup=3 paths=syscall services=null"
check "icount defaults: the run exits 0" rc_is icdef 0
check "icount defaults: iterations and repeat lowered, warmup as given, and said so" \
	test "$(meta "$work/icdef.csv" icount_defaults) $(meta "$work/icdef.csv" iterations) $(meta "$work/icdef.csv" warmup) $(meta "$work/icdef.csv" repeat)" = "iterations:100,repeat:2 100 3 2"
check "icount defaults: with every count given, nothing is lowered (no icount_defaults line)" \
	bash -c "! grep -q '^# icount_defaults=' '$work/plain.csv'"

# the paths the entry mitigations do not reach are named, not left out
check "mitigations: the paths without mitigation sites are named (exceptions, FRED)" \
	bash -c "grep -q '^# mitigations_not_applied=exc_bp,.*exc_pf' '$work/plain.csv' &&
		 grep -q '^# mitigations_not_applied=.*fred_syscall' '$work/plain.csv'"
