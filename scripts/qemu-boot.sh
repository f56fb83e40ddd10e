#!/usr/bin/env bash
# qemu-boot.sh ISO CAPTURE ACCEL [TIMEOUT_SECONDS] [FIRMWARE]
# Boot the ISO in QEMU (FIRMWARE bios: SeaBIOS, uefi: OVMF) with COM1
# written to CAPTURE and wait for the kernel to end the run through
# isa-debug-exit. UEFI firmware and GRUB echo their console to COM1 too;
# everything before the kernel's "# ringtrip csv=N" is cut off the capture
# (and kept in CAPTURE.firmware). QEMU's stderr goes to CAPTURE.qemu-stderr
# (removed when the kernel's exit code came through). Prints nothing on
# success; exit status:
#     0 ok, 1 a self-test failed, 2 panic, 3 setup failed  (the kernel's EXIT_*)
#   100 no result after TIMEOUT_SECONDS (default 900); QEMU stopped
#   101 QEMU stopped without the kernel's exit code (reset, triple fault,
#       QEMU killed by a signal)
#   102 QEMU could not start (bad arguments, missing ISO or firmware)
#   103 KVM could not run the kernel: QEMU reported "KVM internal error" /
#       "emulation failure" (or a failed KVM entry/run) and paused the
#       guest; QEMU stopped at once (e.g. /dev/kvm of PVM, a software
#       hypervisor). ACCEL=tcg works everywhere.
set -uo pipefail
iso=$1 capture=$2 accel=$3 limit=${4:-900} firmware=${5:-bios}

# environment for the tests: QEMU_CPU (default max) under TCG, QEMU_SERIAL=none
# for a machine without COM1, QEMU_MONITOR=<unix socket path> for screendumps
serial=(-serial "file:$capture")
[ "${QEMU_SERIAL:-}" = none ] && serial=(-serial none)
monitor=(-monitor none)
[ -n "${QEMU_MONITOR:-}" ] && monitor=(-monitor "unix:$QEMU_MONITOR,server,nowait")
args=(-M pc -m 512M -no-reboot -display none "${monitor[@]}" -parallel none
      "${serial[@]}"
      -device isa-debug-exit,iobase=0xf4,iosize=0x04
      -drive "file=$iso,media=cdrom,format=raw,readonly=on" -boot d)
case $firmware in
	bios) ;;
	uefi) args+=(-bios /usr/share/ovmf/OVMF.fd) ;;
	*) echo "qemu-boot: FIRMWARE must be bios or uefi, not '$firmware'" >&2; exit 102 ;;
esac
case $accel in
	kvm) args+=(-accel kvm -cpu host) ;;
	tcg) args+=(-accel tcg -cpu "${QEMU_CPU:-max}" -icount shift=0) ;;
	*) echo "qemu-boot: unknown accel '$accel'" >&2; exit 102 ;;
esac

# QEMU runs in the background while this script watches its stderr: when
# KVM cannot run the guest, QEMU prints "KVM internal error" / "emulation
# failure" and pauses the VM instead of exiting (no -action covers it), so
# without the watch a run would sit there until the time limit.
KVM_FATAL='KVM internal error|emulation failure|KVM: entry failed|kvm run failed'
err=$capture.qemu-stderr
rm -f "$capture" "$capture.firmware"
: > "$err"
qemu-system-x86_64 "${args[@]}" </dev/null 2>"$err" &
qpid=$!
stop_qemu() {   # TERM, then KILL after 5 s; reaps it
	kill -TERM "$qpid" 2>/dev/null || return 0
	for _ in $(seq 50); do
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
}
trap 'stop_qemu; exit 130' INT
trap 'stop_qemu; exit 143' TERM HUP
start=$SECONDS verdict=
while kill -0 "$qpid" 2>/dev/null; do
	if grep -qE "$KVM_FATAL" "$err" 2>/dev/null; then
		verdict=kvm
		break
	fi
	if [ $((SECONDS - start)) -ge "$limit" ]; then
		verdict=timeout
		break
	fi
	sleep 0.2
done
if [ -n "$verdict" ]; then
	stop_qemu
	rc=-1
else
	wait "$qpid"
	rc=$?
	grep -qE "$KVM_FATAL" "$err" 2>/dev/null && verdict=kvm
fi
trap - INT TERM HUP

off=$(grep -abo '# ringtrip csv=[0-9]' "$capture" 2>/dev/null | head -1 | cut -d: -f1)
if [ -n "$off" ] && [ "$off" -gt 0 ]; then
	head -c "$off" "$capture" > "$capture.firmware"
	tail -c +$((off + 1)) "$capture" > "$capture.tmp" && mv "$capture.tmp" "$capture"
fi
if [ "$verdict" = kvm ]; then
	{
		echo "qemu-boot: KVM cannot run this kernel: QEMU reported a KVM failure after $((SECONDS - start))s and paused the guest; stopped QEMU."
		grep -m3 -E "$KVM_FATAL|^RIP=" "$err" | sed 's/^/qemu-boot:   /'
		echo "qemu-boot: this host's /dev/kvm cannot run ringtrip (e.g. PVM, a software hypervisor, runs"
		echo "qemu-boot: guest Ring 0 in Ring 3, where sysretq, swapgs and mov cr3 fault)."
		echo "qemu-boot: use ACCEL=tcg (or leave ACCEL unset). QEMU's full report: $err"
	} >&2
	exit 103
fi
if [ "$verdict" = timeout ]; then
	echo "qemu-boot: no result after ${limit}s; stopped QEMU" >&2
	exit 100
fi
if [ $rc -eq 0 ]; then
	echo "qemu-boot: QEMU stopped without the kernel's exit code (reset or triple fault?)" >&2
	exit 101
fi
# isa-debug-exit makes QEMU exit with (code << 1) | 1, and the kernel's codes
# are 0-3; QEMU itself exits 1 when it cannot start - then with an error
# (not a warning) on stderr
if [ $rc -eq 1 ] && grep -v 'warning:' "$err" | grep -q .; then
	echo "qemu-boot: QEMU could not start:" >&2
	cat "$err" >&2
	exit 102
fi
if [ $rc -gt 128 ] && [ $rc -le 192 ]; then
	echo "qemu-boot: QEMU was killed by signal $((rc - 128)) before the kernel's exit code" >&2
	exit 101
fi
if [ $((rc % 2)) -eq 0 ]; then
	echo "qemu-boot: QEMU failed (exit $rc):" >&2
	cat "$err" >&2
	exit 102
fi
rm -f "$err"
exit $(((rc - 1) / 2))
