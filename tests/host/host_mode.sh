#!/usr/bin/env bash
# host_mode.sh - `make host-run`'s program on this Linux machine: the same
# CSV contract and metadata as the bare kernel, self-tests passing, every
# row ok or honestly unsupported, and results/compare accepting two runs.
# Times are real here, so nothing about them is asserted.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

work=build/host-tests
mkdir -p "$work"
bin=build/host/ringtrip-host
for run in 1 2; do
	"$bin" iterations=2000 warmup=200 repeat=2 > "$work/host$run.csv" 2>/dev/null
	echo $? > "$work/host$run.rc"
done
f=$work/host1.csv
check "host: exits 0" test "$(cat "$work/host1.rc")" = 0
check "host: complete CSV (header, columns, trailer, crc32)" csv_well_formed "$f"
for k in cpu_vendor cpu_brand hypervisor clock tsc_invariant tsc_hz tsc_hz_source microcode pmu features iterations warmup repeat timer overhead_tsc mode os cpu; do
	check "host: metadata $k present" test -n "$(meta "$f" $k)"
done
check "host: clock=tsc" test "$(meta "$f" clock)" = tsc
check "host: self-tests pass" selftests_all_pass "$f" 1
check "host: linux_syscall getppid is ok" test "$(field "$f" linux_syscall getppid status)" = ok
check "host: linux_vdso clock_gettime is ok" test "$(field "$f" linux_vdso clock_gettime status)" = ok
check "host: linux_int80 is ok or says why not" \
	bash -c "[[ '$(field "$f" linux_int80 getppid status)' =~ ^(ok|unsupported:.*)$ ]]"
check "host: median_ns present (real TSC at tsc_hz)" test -n "$(field "$f" linux_syscall getppid median_ns)"
check "host: histograms add up" hist_matches_samples "$f"
check "host: results/compare reads two host runs" \
	python3 results/compare "$work/host1.csv" "$work/host2.csv"
