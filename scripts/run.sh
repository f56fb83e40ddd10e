#!/usr/bin/env bash
# run.sh CMDLINE ACCEL FIRMWARE - what `make run` does: boot the suite once,
# save the serial capture under results/local/, print a readable table.
set -uo pipefail
cmdline=$1
accel=$(bash scripts/accel.sh "${2:-}") || exit 1
firmware=${3:-bios}
[ "$accel" = tcg ] && cmdline="clock=icount $cmdline"

mkdir -p results/local build
bash scripts/mkiso.sh build/run.iso build/ringtrip.elf "$cmdline" || exit 1
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=results/local/$stamp-$accel-$firmware.csv
echo "ringtrip: booting build/run.iso under QEMU/$accel ($firmware), command line: '$cmdline'"
bash scripts/qemu-boot.sh build/run.iso "$out" "$accel" 1800 "$firmware"
rc=$?
cp -f "$out" results/local/latest.csv 2>/dev/null

bash scripts/table.sh "$out"
case $rc in
	0) echo "ringtrip: ok; CSV saved to $out (and results/local/latest.csv)" ;;
	1) echo "ringtrip: a self-test FAILED (see '# selftest ... fail' in $out)" ;;
	2) echo "ringtrip: the kernel hit an unexpected exception (see '# panic' in $out)" ;;
	3) echo "ringtrip: setup failed (see '# error' in $out)" ;;
	*) echo "ringtrip: the run did not complete (code $rc); partial capture in $out" ;;
esac
exit $rc
