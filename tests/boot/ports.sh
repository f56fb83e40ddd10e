#!/usr/bin/env bash
# ports.sh - issue 10: the kernel reads a port before it writes it. COM1 is
# probed (line status, then the scratch register) before a configuration
# register is written; the PIT only where port 0x61's refresh bit toggles;
# QEMU's exit port only where QEMU's fw_cfg device answered (under a
# hypervisor) or with exit=qemu.
#
# QEMU's own trace (serial_read/serial_write, fw_cfg_select and, where every
# port is wanted, memory_region_ops_read/write) records the guest's port
# accesses in order. The firmware and GRUB touch COM1, the PIT and fw_cfg
# too; the kernel's part of a trace is everything after the last IDE command
# (ide_exec_cmd / ide_atapi_cmd): GRUB reads the kernel from the CD through
# the firmware, and the kernel itself never touches the disk. QEMU TCG,
# -icount, small counts; nothing here is about time.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

work=build/boot-tests
mkdir -p "$work"
ELF=${ELF:-build/ringtrip.elf}
SMALL="clock=icount iterations=200 warmup=20 repeat=1 paths=syscall"
LIMIT=600

# tboot NAME FIRMWARE CMDLINE [QEMU ARGS...] - boot the ISO with that command
# line as scripts/qemu-boot.sh does (its arguments, plus the QEMU ARGS: the
# -trace events), the trace in $work/ports-NAME.trace, COM1 (firmware
# chatter included) in $work/ports-NAME.csv. Environment: CPU (default max),
# MACHINE (pc), SERIAL=none (no COM1), SHIFT (icount shift, 0; a larger
# shift makes a 50 ms PIT wait fewer instructions, so a trace of every port
# read stays small), HALT=1 (the kernel is to halt: once the capture has the
# trailer and the CPU is halted, the monitor quits QEMU).
# $work/ports-NAME.rc: exit:N (the kernel's code through isa-debug-exit),
# halted (the CPU halted in Ring 0 with interrupts off after the trailer,
# QEMU still running), timeout, or qemu:N.
tboot() {
	local name=$1 fw=$2 cmdline=$3
	shift 3
	local base=$work/ports-$name
	local iso=$base.iso cap=$base.csv sock=$base.sock
	rm -f "$cap" "$base.trace" "$base.rc" "$sock"
	bash scripts/mkiso.sh "$iso" "$ELF" "$cmdline" || { echo "qemu:mkiso" > "$base.rc"; return; }
	local serial=(-serial "file:$cap") monitor=(-monitor none) firmware=()
	[ "${SERIAL:-}" = none ] && serial=(-serial none)
	[ -n "${HALT:-}" ] && monitor=(-monitor "unix:$sock,server,nowait")
	[ "$fw" = uefi ] && firmware=(-bios /usr/share/ovmf/OVMF.fd)
	timeout "$LIMIT" qemu-system-x86_64 -M "${MACHINE:-pc}" -m 512M -no-reboot -display none \
		"${monitor[@]}" -parallel none "${serial[@]}" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive "file=$iso,media=cdrom,format=raw,readonly=on" -boot d "${firmware[@]}" \
		-accel tcg -cpu "${CPU:-max}" -icount "shift=${SHIFT:-0}" \
		-trace ide_exec_cmd -trace ide_atapi_cmd -D "$base.trace" "$@" \
		</dev/null 2>"$base.qemu-stderr" &
	local qpid=$! verdict=
	if [ -n "${HALT:-}" ]; then
		verdict=$(python3 tests/boot/monitor.py halted "$sock" "$cap" "$LIMIT" "$qpid")
	fi
	wait "$qpid"
	local rc=$?
	if [ "$verdict" = halted ] && [ $rc -eq 0 ]; then
		echo halted
	elif [ $rc -eq 124 ]; then
		echo timeout
	elif [ $((rc % 2)) -eq 1 ] && [ $rc -lt 128 ] && [ -z "$verdict" -o "$verdict" = qemu-ended ] &&
	     [ -z "$(grep -v 'warning:' "$base.qemu-stderr")" ]; then
		echo "exit:$(((rc - 1) / 2))"
	else
		echo "qemu:$rc${verdict:+ ($verdict)}"
	fi > "$base.rc"
	rm -f "$iso" "$sock"
}

is() { [ "$1" = "$2" ] || { echo "got '$1', expected '$2'"; return 1; }; }

rc_was() {
	local got
	got=$(cat "$work/ports-$1.rc" 2>/dev/null)
	[ "$got" = "$2" ] || { echo "QEMU ended '$got', expected '$2'; stderr: $(head -c 300 "$work/ports-$1.qemu-stderr")"; return 1; }
}

# kernel_ports NAME: the kernel's port accesses, one a line: "R 0x3fd 0x60",
# "W 0x3ff 0x55", "S 0x0000" (fw_cfg selected that key) - every traced event
# after the trace's last IDE command, the port absolute, values as QEMU
# prints them (lower case hex, no leading zeros)
kernel_ports() {
	local t=$work/ports-$1.trace last
	last=$(grep -n '^ide_' "$t" | tail -1 | cut -d: -f1)
	[ -n "$last" ] || { echo "no IDE command in the trace: cannot tell the firmware's part from the kernel's" >&2; return 1; }
	tail -n +$((last + 1)) "$t" | awk '
		function port(a) { return a == "0x00" ? "0x3f8" : a == "0x01" ? "0x3f9" : a == "0x02" ? "0x3fa" : \
				   a == "0x03" ? "0x3fb" : a == "0x04" ? "0x3fc" : a == "0x05" ? "0x3fd" : \
				   a == "0x06" ? "0x3fe" : "0x3ff" }
		function hexv(v) { sub(/^0x0*/, "0x", v); return v == "0x" ? "0x0" : v }
		$1 == "serial_read"  { print "R", port($4), hexv($6); next }
		$1 == "serial_write" { print "W", port($4), hexv($6); next }
		$1 == "fw_cfg_select" { print "S", $4; next }
		$1 == "memory_region_ops_read"  { print "R", $7, $9; next }
		$1 == "memory_region_ops_write" { print "W", $7, $9; next }'
}
# the kernel's accesses to these ports (an extended regex on the port)
on_ports() { kernel_ports "$1" | awk -v re="^($2)\$" '$1 != "S" && $2 ~ re'; }

# COM1 was probed before it was configured: the first write is to the
# scratch register, after a read of the line status register, and two
# patterns read back from it before 0x3F9-0x3FC are written. (Under OVMF the
# firmware's serial driver may still read COM1's status registers after the
# last disk command; it writes nothing there.)
com1_probed_first() {
	local ev
	ev=$(on_ports "$1" '0x3f[89a-f]') || return 1
	[ -n "$ev" ] || { echo "no COM1 access after the last disk command"; return 1; }
	awk '
		$1 == "R" && $2 == "0x3fd" { lsr = 1 }
		$1 == "W" && !w++ && $2 != "0x3ff" { print "first COM1 write is " $0 ", not the scratch register 0x3ff"; bad = 1; exit }
		$1 == "W" && w == 1 && !lsr { print "first COM1 write (" $0 ") before any read of 0x3fd"; bad = 1; exit }
		$1 == "W" && $2 == "0x3ff" { pending = $3; next }
		$1 == "R" && $2 == "0x3ff" && $3 == pending { patterns[pending] = 1; next }
		$1 == "W" && $2 ~ /^0x3f[9abc]$/ {
			n = 0; for (p in patterns) n++
			if (n < 2) { print "wrote " $2 " before the scratch register read back two patterns"; bad = 1 }
			exit
		}
		END { if (!bad && !w) { print "no COM1 write at all"; bad = 1 }; exit bad }' <<< "$ev"
}

# the kernel selected fw_cfg's signature key, after its last COM1 byte: at
# the end of the run, to decide on the exit port
fwcfg_probed_at_exit() {
	local ev
	ev=$(kernel_ports "$1") || return 1
	awk '
		$1 == "W" && $2 ~ /^0x3f8$/ { lastw = NR }
		$1 == "S" && $2 == "0x0000" { sel = NR }
		END { if (!sel) { print "the kernel never selected fw_cfg key 0x0000"; exit 1 }
		      if (sel < lastw) { print "fw_cfg selected before the last COM1 byte (event " sel " < " lastw ")"; exit 1 } }' <<< "$ev"
}

# nothing written to these ports (regex) by the kernel
no_writes() {
	local ev
	ev=$(on_ports "$1" "$2") || return 1
	ev=$(grep '^W' <<< "$ev")
	[ -z "$ev" ] || { echo "the kernel wrote: $(head -3 <<< "$ev" | tr '\n' ' ')"; return 1; }
}
no_fwcfg_select() {
	local ev
	ev=$(kernel_ports "$1") || return 1
	ev=$(grep '^S' <<< "$ev")
	[ -z "$ev" ] || { echo "the kernel selected fw_cfg key(s): $(head -3 <<< "$ev" | tr '\n' ' ')"; return 1; }
}

# the kernel read this port and got all ones (QEMU prints an unassigned
# port's value as 64 bits of them)
read_all_ones() {
	local ev
	ev=$(on_ports "$1" "$2") || return 1
	grep -qE "^R $2 0x(ff)+\$" <<< "$ev" || { echo "the kernel's accesses to $2: $(head -3 <<< "$ev" | tr '\n' ' ')"; return 1; }
}

# the PIT: port 0x61 read at least twice, its refresh bit (4) seen both
# ways and never 0xff, before the first write to 0x42, 0x43 or 0x61
pit_probed_first() {
	local ev
	ev=$(on_ports "$1" '0x4[0-3]|0x61') || return 1
	[ -n "$ev" ] || { echo "the kernel never touched the PIT"; return 1; }
	awk '
		function hex(s,   i, n, c) { n = 0; s = tolower(substr(s, 3))
			for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)); n = n * 16 + c - 1 }
			return n }
		$1 == "R" && $2 == "0x61" { reads++; v = hex($3); if (v == 255) ff = 1; bit[int(v / 16) % 2] = 1; next }
		$1 == "W" { first = $0; exit }
		END { if (!first) { print "no PIT write at all"; exit 1 }
		      if (reads < 2 || !(0 in bit) || !(1 in bit) || ff) {
			print "first PIT write (" first ") after " reads " read(s) of 0x61" (ff ? ", one read 0xff" : "") \
			      ", refresh bit seen " ((0 in bit) ? "0" : "") ((1 in bit) ? "1" : ""); exit 1 } }' <<< "$ev"
}

# QEMU's exit port: fw_cfg's signature read, "QEMU", then the code
exit_port_after_signature() {
	local ev
	ev=$(on_ports "$1" '0x51[01]|0xf4') || return 1
	[ "$(echo $ev)" = "W 0x510 0x0 R 0x511 0x51 R 0x511 0x45 R 0x511 0x4d R 0x511 0x55 W 0xf4 $2" ] ||
		{ echo "the kernel's fw_cfg / exit port accesses: $(echo $ev | head -c 300)"; return 1; }
}

LIGHT=(-trace serial_read -trace serial_write -trace fw_cfg_select)
ALLPORTS=(-trace serial_write -trace fw_cfg_select -trace 'memory_region_ops_*')

# --- SeaBIOS and OVMF with COM1: probe first; exit=auto finds QEMU ---------
for fw in bios uefi; do
	tboot auto-$fw $fw "$SMALL" "${LIGHT[@]}"
	check "$fw: exit=auto under QEMU TCG ends through isa-debug-exit with the kernel's code 0" rc_was auto-$fw exit:0
	check "$fw: the run is complete (trailer on COM1)" grep -q '^# end rows=' "$work/ports-auto-$fw.csv"
	check "$fw: COM1: a read of 0x3FD first, then the scratch register 0x3FF, before 0x3F9-0x3FC are written" \
		com1_probed_first auto-$fw
	check "$fw: exit=auto reads fw_cfg's signature (key 0x0000) at the end, after the last COM1 byte" \
		fwcfg_probed_at_exit auto-$fw
done

# --- every port: the PIT probed before written; the exit port after "QEMU" --
SHIFT=10 tboot pit bios "$SMALL" "${ALLPORTS[@]}"
check "pit: the run ends with exit code 0" rc_was pit exit:0
check "pit: TCG -cpu max has no CPUID frequency: tsc_hz_source=pit" \
	is "$(meta "$work/ports-pit.csv" tsc_hz_source)" pit
check "pit: port 0x61 read, its refresh bit toggling, before 0x42/0x43/0x61 are written" \
	pit_probed_first pit
check "pit: 0xF4 written (the code, 0) only after fw_cfg read back \"QEMU\"" \
	exit_port_after_signature pit 0x0

# --- no PIT: QEMU's pc machine with pit=off (ports 0x40-0x43, 0x61 float) --
MACHINE=pc,pit=off tboot nopit bios "$SMALL" -trace memory_region_ops_write
check "no PIT: the run completes (exit 0)" rc_was nopit exit:0
check "no PIT: tsc_hz_source=none:no-pit, tsc_hz=0" \
	is "$(meta "$work/ports-nopit.csv" tsc_hz_source),$(meta "$work/ports-nopit.csv" tsc_hz)" none:no-pit,0
check "no PIT: the kernel writes none of 0x40-0x43, 0x61" no_writes nopit '0x4[0-3]|0x61'

# --- no COM1 at all ----------------------------------------------------------
SERIAL=none SHIFT=10 tboot nocom1 bios "$SMALL" "${ALLPORTS[@]}"
check "no COM1: the run completes, exit 0 through isa-debug-exit" rc_was nocom1 exit:0
check "no COM1: the kernel read 0x3FD and found nothing there (all ones)" read_all_ones nocom1 0x3fd
check "no COM1: the kernel writes nothing to 0x3F8-0x3FF" no_writes nocom1 '0x3f[89a-f]'

# --- exit=halt: halts, exit port and fw_cfg untouched ----------------------
HALT=1 tboot halt bios "$SMALL exit=halt" -trace memory_region_ops_write -trace fw_cfg_select
check "exit=halt: after the trailer the CPU halts in Ring 0 (QEMU still running)" rc_was halt halted
check "exit=halt: the kernel writes neither 0xF4 nor fw_cfg's selector 0x510" no_writes halt '0xf4|0x510'
check "exit=halt: no fw_cfg key selected by the kernel" no_fwcfg_select halt

# --- no hypervisor bit (-cpu max,-hypervisor): exit=auto must not guess ----
CPU=max,-hypervisor HALT=1 tboot nohv bios "$SMALL" -trace memory_region_ops_write -trace fw_cfg_select
check "no hypervisor bit: metadata hypervisor=none" is "$(meta "$work/ports-nohv.csv" hypervisor)" none
check "no hypervisor bit: exit=auto halts after the trailer (QEMU still running)" rc_was nohv halted
check "no hypervisor bit: the kernel writes neither 0xF4 nor 0x510" no_writes nohv '0xf4|0x510'
check "no hypervisor bit: no fw_cfg key selected by the kernel" no_fwcfg_select nohv

# --- exit=qemu writes the exit port without asking fw_cfg ------------------
tboot qemu bios "$SMALL exit=qemu" "${LIGHT[@]}"
check "exit=qemu: ends through isa-debug-exit with code 0" rc_was qemu exit:0
check "exit=qemu: no fw_cfg key selected by the kernel" no_fwcfg_select qemu

# the traces are large (every port read of a boot); KEEP_TRACES=1 keeps them
[ -n "${KEEP_TRACES:-}" ] || rm -f "$work"/ports-*.trace
