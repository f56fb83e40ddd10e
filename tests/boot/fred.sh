#!/usr/bin/env bash
# fred.sh - `make test-fred`, also part of `make test`: boot the ISO on a
# FRED-capable Bochs (Bochs' development tree, `make bochs-fred`) with its
# wildcat_lake CPU model, which enumerates FRED and LKGS
# (CPUID.(EAX=7,ECX=1):EAX[17] and [18]). Issue 14's FRED rows do not exist
# yet: for now this proves the boot, a complete CSV, every self-test and
# every row ok on that model. Counts are instructions (clock: sync=none).
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
