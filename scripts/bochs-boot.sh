#!/usr/bin/env bash
# bochs-boot.sh ISO CAPTURE [CPU_MODEL] [TIMEOUT_SECONDS]
# Boot the ISO in Bochs (an Intel CPU model: PCID, 64-bit SYSENTER, Intel's
# SYSRET/IRET rules) with COM1 written to CAPTURE. The kernel must be booted
# with exit=bochs: Bochs has no isa-debug-exit, so the kernel ends it through
# the shutdown port, and the verdict is in the capture, not the exit status.
# Debian's Bochs is built with its debugger, which waits for "c" on stdin.
# Its only display without X or a terminal is rfb (timeout=0: it does not
# wait for a viewer), which listens on a TCP port: Bochs runs in a network
# namespace of its own, so that port is private - no other program can hold
# it and two runs at once cannot collide. Its sound plugin is the dummy one:
# the default ALSA plugin aborts ("buffer overflow detected") on a machine
# with no sound card, before the kernel runs. clock: sync=none with a fixed
# ips makes the run deterministic and the TSC count instructions.
#
# BOCHS=<binary> boots another Bochs than Debian's, e.g. the FRED-capable one
# `make bochs-fred` builds (build/tools/bin/bochs): its own BIOS images are
# used where they sit beside it (../share/bochs/), and BOCHS_DISPLAY says its
# display line (that build has only nogui; Debian's default is rfb).
set -uo pipefail
iso=$1 capture=$2 model=${3:-tigerlake} limit=${4:-900}
bochs=${BOCHS:-bochs}
display=${BOCHS_DISPLAY:-rfb, options=\"timeout=0\"}
share=
[ "$bochs" != bochs ] && share=$(dirname "$(realpath "$bochs")")/../share/bochs
rom=/usr/share/bochs/BIOS-bochs-latest vgarom=/usr/share/vgabios/vgabios.bin
[ -n "$share" ] && [ -f "$share/BIOS-bochs-latest" ] && rom=$(realpath "$share/BIOS-bochs-latest")
[ -n "$share" ] && [ -f "$share/VGABIOS-lgpl-latest.bin" ] && vgarom=$(realpath "$share/VGABIOS-lgpl-latest.bin")
# the sound line only where Bochs has sound to configure: one built without
# any sound device (like `make bochs-fred`'s) refuses `sound:` outright ("not
# compiled with lowlevel sound support"); when its feature list cannot be
# read the line stays, as Debian's needs it
sound="sound: driver=dummy"
features=$("$bochs" --help features 2>&1 < /dev/null || true)
if grep -q '^Supported features:' <<< "$features" && ! grep -qxE 'sb16|es1370' <<< "$features"; then
	sound="# no sound device compiled in: no sound line"
fi
dir=$(mktemp -d)
# BOCHS_LOG=<file> keeps Bochs' own log (its CPUID dump, its errors) there
trap '[ -n "${BOCHS_LOG:-}" ] && cp "$dir/bochs.log" "$BOCHS_LOG"; rm -rf "$dir"' EXIT
cat > "$dir/bochsrc" <<CFG
megs: 256
cpu: model=$model, count=1, ips=100000000, reset_on_triple_fault=0
romimage: file=$rom
vgaromimage: file=$vgarom
ata0-master: type=cdrom, path=$(realpath "$iso"), status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$(realpath -m "$capture")
display_library: $display
$sound
log: $dir/bochs.log
panic: action=fatal
error: action=report
clock: sync=none, time0=1
CFG
# root: a plain network namespace; otherwise one inside a user namespace
if unshare -n true 2>/dev/null; then
	private=(unshare -n)
elif unshare -rn true 2>/dev/null; then
	private=(unshare -rn)
else
	echo "bochs-boot: cannot make a private network namespace (unshare -n);" \
		"Bochs' rfb display will listen on a shared TCP port (590x)" >&2
	private=()
fi
rm -f "$capture"
echo c | timeout "$limit" "${private[@]}" "$bochs" -q -f "$dir/bochsrc" >"$dir/out.txt" 2>&1
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
