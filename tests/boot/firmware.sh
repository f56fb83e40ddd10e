#!/usr/bin/env bash
# firmware.sh - ready for real machines: the ISO under UEFI (OVMF) as well
# as BIOS, the framebuffer screen showing the results table, and the run
# surviving what real machines lack: RDTSCP, a serial port; plus help and
# exit=reboot. QEMU TCG with -icount; nothing here is about time.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

work=build/boot-tests
mkdir -p "$work"
ELF=build/ringtrip.elf
SMALL="clock=icount iterations=200 warmup=20 repeat=1"


# --- UEFI: OVMF, GRUB's EFI image, the framebuffer kernel, a screendump -----
rm -f "$work/uefi.sock" "$work/uefi.csv"   # a stale capture would end the wait early
QEMU_MONITOR=$work/uefi.sock boot uefi uefi "$SMALL exit=halt" &
qpid=$!
shot=$(python3 tests/boot/monitor.py screendump "$work/uefi.sock" "$work/uefi.csv" "$work/uefi-screen.png" 600)
wait $qpid
f=$work/uefi.csv
check "uefi: the ISO boots under OVMF and writes a complete CSV" csv_well_formed "$f"
check "uefi: every self-test passes" selftests_all_pass "$f" 100
check "uefi: GRUB handed over a linear framebuffer" bash -c "grep -q '^# framebuffer=rgb ' '$f'"
check "uefi: firmware chatter was cut off the capture" test "$(head -1 "$f")" = "# ringtrip csv=2"
check "uefi: syscall,args16 ok" test "$(field "$f" syscall args16 status)" = ok
check "uefi: the screen shows the results (screendump, lit pixels: ${shot:-none})" \
	bash -c "[[ '$shot' =~ lit=([0-9]+) ]] && [ \${BASH_REMATCH[1]} -gt 5000 ]"

# --- BIOS: the same ISO through SeaBIOS keeps VGA text --------------------
boot bios bios "$SMALL"
check "bios: complete CSV" csv_well_formed "$work/bios.csv"
check "bios: VGA text mode kept" grep -q '^# framebuffer=ega-text 80x25' "$work/bios.csv"

# --- a CPU without RDTSCP --------------------------------------------------
QEMU_CPU=max,-rdtscp boot nordtscp bios "$SMALL paths=syscall,int2e"
f=$work/nordtscp.csv
check "no-rdtscp: the run completes" rc_is nordtscp 0
check "no-rdtscp: metadata says the timer fell back" test "$(meta "$f" timer)" = lfence-rdtsc
check "no-rdtscp: features lack rdtscp" bash -c "! grep -q '^# features=.*rdtscp' '$f'"
check "no-rdtscp: rows still ok" test "$(field "$f" syscall args16 status),$(field "$f" int2e null status)" = ok,ok
check "with rdtscp: timer=rdtscp" test "$(meta "$work/bios.csv" timer)" = rdtscp

# --- no serial port at all, and serial=off ---------------------------------
QEMU_SERIAL=none boot noserial bios "$SMALL paths=syscall"
check "no COM1: the run completes screen-only (exit 0)" rc_is noserial 0
boot serialoff bios "$SMALL paths=syscall serial=off"
check "serial=off: the run completes" rc_is serialoff 0
check "serial=off: no rows on COM1" bash -c "! grep -q '^syscall,' '$work/serialoff.csv'"

# --- help, garbage, reboot -------------------------------------------------
boot help bios "help"
check "help: exits 0" rc_is help 0
check "help: the trailer (rows=0) has the crc32 of every line before it" trailer_crc_ok "$work/help.csv"
for k in iterations= warmup= repeat= paths= services= exit= serial= clock= help; do
	check "help: lists $k" grep -q "^# help:   $k" "$work/help.csv"
done
boot garbage uefi "$SMALL paths=syscall iterations=lots @@@ services=null,bogus exit=sometimes"
f=$work/garbage.csv
check "garbage: a garbage command line completes under UEFI" rc_is garbage 0
check "garbage: complete CSV" csv_well_formed "$f"
check "garbage: each problem is a warning" test "$(grep -c '^# warning: ' "$f")" -ge 4
check "garbage: services=null,bogus keeps null only" \
	test "$(data_rows "$f" | cut -d, -f2 | sort -u | tr '\n' ' ')" = "baseline null "
boot reboot bios "$SMALL paths=syscall exit=reboot"
check "exit=reboot: the machine resets after the trailer" \
	bash -c "[ \$(cat '$work/reboot.rc') = 101 ] && tail -1 '$work/reboot.csv' | grep -q '^# end rows='"

# --- an NMI is reported from its IST stack, not a reset --------------------
rm -f "$work/nmi.sock" "$work/nmi.csv"
# the full suite at the TSC defaults (icount's own are far smaller): long
# enough that the NMI surely lands inside it
QEMU_MONITOR=$work/nmi.sock boot nmi bios "clock=icount iterations=100000 warmup=10000 repeat=5" &
qpid=$!
python3 tests/boot/monitor.py nmi "$work/nmi.sock" "$work/nmi.csv" 300
wait $qpid
check "nmi: an injected NMI ends the run with the panic code" rc_is nmi 2
check "nmi: reported by name" grep -q '^# panic: unexpected exception vector=2 (NMI)' "$work/nmi.csv"
check "nmi: handled on the IST2 stack" grep -q '^# panic: handled on IST2 (NMI)' "$work/nmi.csv"
