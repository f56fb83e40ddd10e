#!/usr/bin/env bash
# bochs-boot.sh ISO CAPTURE [CPU_MODEL] [TIMEOUT_SECONDS]
# Boot the ISO in Bochs (an Intel CPU model: PCID, 64-bit SYSENTER, Intel's
# SYSRET/IRET rules) with COM1 written to CAPTURE. The kernel must be booted
# with exit=bochs: Bochs has no isa-debug-exit, so the kernel ends it through
# the shutdown port, and the verdict is in the capture, not the exit status.
# Debian's Bochs is built with its debugger, which waits for "c" on stdin;
# it has no headless display but rfb with timeout=0 does not wait for a
# viewer. clock: sync=none with a fixed ips makes the run deterministic and
# the TSC count instructions.
set -uo pipefail
iso=$1 capture=$2 model=${3:-tigerlake} limit=${4:-900}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/bochsrc" <<CFG
megs: 256
cpu: model=$model, count=1, ips=100000000, reset_on_triple_fault=0
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0-master: type=cdrom, path=$(realpath "$iso"), status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$(realpath -m "$capture")
display_library: rfb, options="timeout=0"
log: $dir/bochs.log
panic: action=fatal
error: action=report
clock: sync=none, time0=1
CFG
rm -f "$capture"
echo c | timeout "$limit" bochs -q -f "$dir/bochsrc" >"$dir/out.txt" 2>&1
rc=$?
if [ $rc -eq 124 ]; then
	echo "bochs-boot: no result after ${limit}s" >&2
	tail -20 "$dir/bochs.log" >&2
	exit 100
fi
if ! grep -q 'Shutdown port: shutdown requested' "$dir/out.txt"; then
	echo "bochs-boot: Bochs stopped without the kernel's shutdown (exit $rc):" >&2
	tail -20 "$dir/out.txt" >&2
	exit 101
fi
exit 0
