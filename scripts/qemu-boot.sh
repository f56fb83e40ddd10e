#!/usr/bin/env bash
# qemu-boot.sh ISO CAPTURE ACCEL [TIMEOUT_SECONDS] [FIRMWARE]
# Boot the ISO in QEMU (FIRMWARE bios: SeaBIOS, uefi: OVMF) with COM1
# written to CAPTURE and wait for the kernel to end the run through
# isa-debug-exit. UEFI firmware and GRUB echo their console to COM1 too;
# everything before the kernel's "# ringtrip csv=1" is cut off the capture
# (and kept in CAPTURE.firmware). Prints nothing on success; exits
# with the kernel's EXIT_* code (0 ok, 1 self-test, 2 panic, 3 setup), or
# 100 timeout, 101 QEMU stopped without the kernel's code (reset, triple
# fault), 102 QEMU could not start.
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

rm -f "$capture"
timeout --foreground "$limit" qemu-system-x86_64 "${args[@]}" 2>"$capture.qemu-stderr"
rc=$?
off=$(grep -abo '# ringtrip csv=1' "$capture" 2>/dev/null | head -1 | cut -d: -f1)
if [ -n "$off" ] && [ "$off" -gt 0 ]; then
	head -c "$off" "$capture" > "$capture.firmware"
	tail -c +$((off + 1)) "$capture" > "$capture.tmp" && mv "$capture.tmp" "$capture"
fi
if [ $rc -eq 124 ]; then
	echo "qemu-boot: no result after ${limit}s; stopped QEMU" >&2
	exit 100
fi
if [ $rc -eq 0 ]; then
	echo "qemu-boot: QEMU stopped without the kernel's exit code (reset or triple fault?)" >&2
	exit 101
fi
if [ $((rc % 2)) -eq 0 ]; then
	echo "qemu-boot: QEMU failed (exit $rc):" >&2
	cat "$capture.qemu-stderr" >&2
	exit 102
fi
rm -f "$capture.qemu-stderr"
exit $(((rc - 1) / 2))
