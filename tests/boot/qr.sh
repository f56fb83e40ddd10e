#!/usr/bin/env bash
# qr.sh - issue 15: the results as QR codes on a machine without COM1.
# QEMU TCG with -icount and small counts; screendumps through QEMU's
# monitor, read by Debian's zbarimg, paged with QEMU's sendkey (the PS/2
# keyboard), turned back into a CSV by results/qr-import. Nothing here is
# about time (the waits are bounded only so a broken kernel cannot hang it).
#
# The "same boot" comparison: with serial=off there is no serial capture
# to compare with, so one boot keeps COM1 and forces the codes (qr=on):
# its codes must rebuild exactly its own serial capture minus the `# hist`
# lines, and name that capture's crc32. The codes are built from the same
# byte stream whether or not a UART is there (console.c feeds both). The
# serial=off boot (codes by default) is then checked on its own: complete,
# starting with the first line and boot metadata it still wrote to COM1,
# and - under icount, where two boots give identical rows - `results/compare`
# calls every row the same as the qr=on boot's capture.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

work=build/boot-tests/qr
rm -rf "$work"
mkdir -p "$work"
SMALL="clock=icount iterations=200 warmup=20 repeat=1"
LIMIT=900
IMPORT=results/qr-import

# qboot NAME FIRMWARE CMDLINE [--back] [--no-capture]: boot in the background
# with a monitor, page through the codes (qr_pages.py), then QEMU is quit.
# $work/NAME.csv: COM1; $work/NAME/: page PNGs and scans.txt; $work/NAME.pages:
# the helper's summary line.
qboot() {
	local name=$1 fw=$2 cmdline=$3 cap=$work/$1.csv
	shift 3
	local flags=()
	for a in "$@"; do
		case $a in
		--no-capture) cap= ;;
		*) flags+=("$a") ;;
		esac
	done
	rm -f "$work/$name.sock" "$work/$name.csv"
	# QEMU is quit through the monitor: qemu-boot.sh's "stopped without
	# the kernel's exit code" is expected, kept in NAME.boot-stderr
	QEMU_MONITOR=$work/$name.sock boot "$name" "$fw" "$cmdline" 2> "$work/$name.boot-stderr" &
	local qpid=$!
	python3 tests/boot/qr_pages.py pages "$work/$name.sock" "$work/$name" "$LIMIT" \
		${cap:+"$cap"} "${flags[@]}" > "$work/$name.pages" 2>&1
	wait $qpid
}

# summary NAME KEY: a value of qr_pages.py's summary line
summary() { sed -n "s/.*\b$2=\([^ ]*\).*/\1/p" "$work/$1.pages" | head -1; }

# every code of the screen was read: seen = codes, more than one page
all_codes_read() {
	local p c s
	p=$(summary "$1" pages) c=$(summary "$1" codes) s=$(summary "$1" seen)
	[ -n "$c" ] && [ "$c" = "$s" ] && [ "$(summary "$1" runs)" = 1 ] ||
		{ echo "$(cat "$work/$1.pages")"; return 1; }
	[ "${p:-0}" -ge "${2:-1}" ] || { echo "only $p page(s): $(cat "$work/$1.pages")"; return 1; }
}

# qr_import_scans NAME: the scans -> $work/NAME.import.csv (rc in .import.rc)
qr_import_scans() {
	$IMPORT "$work/$1/scans.txt" -o "$work/$1.import.csv" 2> "$work/$1.import.err"
	echo $? > "$work/$1.import.rc"
}
imported() {
	[ "$(cat "$work/$1.import.rc")" = 0 ] || { cat "$work/$1.import.err"; return 1; }
	csv_well_formed "$work/$1.import.csv"
}

# the capture without `# hist` lines and trailer = the import without its
# qr_ lines and trailer; same rows= in both trailers
equals_capture() {
	local cap=$work/$1.csv imp=$work/$1.import.csv
	diff <(grep -v '^# hist ' "$cap" | head -n -1) <(grep -v '^# qr_' "$imp" | head -n -1) |
		head -5 | grep . && { echo "the import differs from the capture (above)"; return 1; }
	[ "$(tail -1 "$cap" | cut -d' ' -f3)" = "$(tail -1 "$imp" | cut -d' ' -f3)" ] ||
		{ echo "trailers: '$(tail -1 "$cap")' vs '$(tail -1 "$imp")'"; return 1; }
}
# the import names its serial capture: its crc32 and its # hist line count
names_capture() {
	local cap=$work/$1.csv imp=$work/$1.import.csv
	local want_crc want_hist
	want_crc=$(tail -1 "$cap" | sed -n 's/.* crc32=//p')
	want_hist=$(grep -c '^# hist ' "$cap")
	[ "$want_hist" -gt 0 ] || { echo "the capture has no # hist lines"; return 1; }
	[ "$(meta "$imp" qr_serial_crc32)" = "$want_crc" ] ||
		{ echo "qr_serial_crc32=$(meta "$imp" qr_serial_crc32), capture crc32=$want_crc"; return 1; }
	[ "$(meta "$imp" qr_hist_lines_omitted)" = "$want_hist" ] ||
		{ echo "qr_hist_lines_omitted=$(meta "$imp" qr_hist_lines_omitted), capture has $want_hist"; return 1; }
	! grep -q '^# hist ' "$imp" || { echo "# hist lines in the import"; return 1; }
}
# the run id in the codes is the CRC-32 of the whole imported file
run_id_is_crc() {
	local f=$work/$1.import.csv run got
	run=$(sed -n '1s/^ringtrip \([0-9a-f]\{8\}\) .*/\1/p' "$work/$1/scans.txt")
	got=$(gzip -c "$f" | tail -c 8 | head -c 4 | od -An -tx4 | tr -d ' \n')
	[ -n "$run" ] && [ "$run" = "$got" ] || { echo "run id '$run', file CRC-32 $got"; return 1; }
}
# results/compare A B: accepted, every row "same"
compare_same() {
	local out
	out=$(python3 results/compare "$1" "$2" 2>&1) || { echo "$out" | tail -3; return 1; }
	echo "$out" | grep -qE ' (noise|slower|faster)$' && { echo "$out" | grep -E ' (noise|slower|faster)$' | head -3; return 1; }
	[ "$(echo "$out" | grep -c ' same$')" -ge 10 ] || { echo "$out" | tail -3; return 1; }
}

# --- UEFI, COM1 kept, codes forced: the same boot's serial capture --------
qboot uefi uefi "$SMALL qr=on exit=halt" --back &
# --- UEFI, serial=off: the codes by default --------------------------------
qboot off uefi "$SMALL serial=off exit=halt" --no-capture &
wait

check "uefi qr=on: complete serial capture" csv_well_formed "$work/uefi.csv"
check "uefi qr=on: zbarimg read every code from screendumps, over several pages ($(cat "$work/uefi.pages"))" \
	all_codes_read uefi 2
check "uefi qr=on: Backspace (PS/2, sendkey) shows the previous page again" \
	test "$(summary uefi back)" = ok
qr_import_scans uefi
check "uefi qr=on: qr-import rebuilds a complete csv=2 file (trailer, rows, crc32)" imported uefi
check "uefi qr=on: the import equals the serial capture of the same boot without # hist lines" \
	equals_capture uefi
check "uefi qr=on: the import names the capture's crc32 and # hist line count" names_capture uefi
check "uefi qr=on: the run id is the CRC-32 of the imported file" run_id_is_crc uefi
check "uefi qr=on: results/compare accepts the import, every row the same as the capture" \
	compare_same "$work/uefi.csv" "$work/uefi.import.csv"

f=$work/off.csv
check "serial=off: COM1 got only the first line and boot metadata" \
	bash -c "[ \"\$(head -1 '$f')\" = '# ringtrip csv=2' ] && ! grep -qE '^(path,|# end rows=)' '$f'"
check "serial=off: zbarimg read every code, over several pages ($(cat "$work/off.pages"))" \
	all_codes_read off 2
qr_import_scans off
check "serial=off: qr-import rebuilds a complete csv=2 file" imported off
check "serial=off: the import starts with exactly what COM1 got" \
	bash -c "[ -s '$f' ] && cmp -s '$f' <(head -c \$(stat -c %s '$f') '$work/off.import.csv')"
check "serial=off: boot_cmdline in the import says serial=off" \
	bash -c "grep -q '^# boot_cmdline=.*serial=off' '$work/off.import.csv'"
check "serial=off: qr_serial_crc32 still given (the serial stream's CRC runs without a UART)" \
	grep -qE '^# qr_serial_crc32=[0-9a-f]{8}$' "$work/off.import.csv"
check "serial=off: every row as in the qr=on boot's serial capture (icount)" \
	compare_same "$work/uefi.csv" "$work/off.import.csv"

# --- the importer refuses what is not one whole run ------------------------
refused() {   # refused NAME SCANS WORDS...: exit 1 and the message names it
	local name=$1 scans=$2 out rc
	shift 2
	out=$($IMPORT "$scans" -o "$work/$name.csv" 2>&1)
	rc=$?
	[ $rc = 1 ] || { echo "exit $rc: $out"; return 1; }
	[ ! -e "$work/$name.csv" ] || { echo "it wrote $work/$name.csv"; return 1; }
	for w in "$@"; do
		echo "$out" | grep -q -- "$w" || { echo "no '$w' in: $out"; return 1; }
	done
}
s1=$work/uefi/scans.txt s2=$work/off/scans.txt
n1=$(summary uefi codes)
grep -v " 2/$n1 " "$s1" > "$work/missing.txt"
check "qr-import: a missing code is refused, by number" refused r-missing "$work/missing.txt" missing "2 (the"
{ cat "$s1"; grep -m1 '^ringtrip ' "$s2"; } > "$work/mixed.txt"
check "qr-import: a code of another run is refused" refused r-mixed "$work/mixed.txt" "codes of 2 runs" --run
# one character of code 3's text changed (each scan of it)
c3="^(ringtrip [0-9a-f]{8} 3\/$n1 [0-9a-f]{8} .{4})"
sed -E -e "s/$c3~/\1^/;t" -e "s/$c3./\1~/" "$s1" > "$work/damaged.txt"
check "qr-import: a damaged code is refused, by number" refused r-damaged "$work/damaged.txt" \
	"code 3 of $n1 is damaged" "scan it again"
shuf "$s1" "$s1" > "$work/shuffled.txt" 2>/dev/null || tac "$s1" "$s1" > "$work/shuffled.txt"
check "qr-import: any order, each code twice: the same CSV" \
	bash -c "$IMPORT '$work/shuffled.txt' 2>/dev/null | cmp -s - '$work/uefi.import.csv'"

# --- BIOS: VGA text says what to do; the framebuffer menu entry draws codes --
rm -f "$work/text.sock"
QEMU_MONITOR=$work/text.sock boot text bios "$SMALL qr=on exit=halt" 2> "$work/text.boot-stderr" &
qpid=$!
python3 tests/boot/qr_pages.py vgatext "$work/text.sock" "$work/text.csv" "$work/text.screen" "$LIMIT" > /dev/null
wait $qpid
check "bios VGA text, qr=on: the screen says codes need a framebuffer" \
	grep -q 'QR codes need a graphics framebuffer' "$work/text.screen"
entry=$(sed -n 's/^menuentry "\(ringtrip: full suite with QR codes on a framebuffer[^"]*\)" {$/\1/p' grub.cfg)
check "bios VGA text: the screen names the GRUB entry that asks for a framebuffer" \
	bash -c "[ -n '$entry' ] && grep -qF '  $entry' '$work/text.screen'"

# grub.cfg's framebuffer entry as the default, small counts, halting
idx=$(grep '^menuentry ' grub.cfg | grep -n 'QR codes on a framebuffer' | cut -d: -f1)
sed -e 's/^set timeout=.*/set timeout=0/' -e "s/^set default=.*/set default=$((${idx:-1} - 1))/" \
    -e "s/multiboot2 \$kernel/multiboot2 \$kernel $SMALL exit=halt/" grub.cfg > "$work/menu.cfg"
GRUB_CFG=$work/menu.cfg bash scripts/mkiso.sh "$work/menu.iso" build/ringtrip.elf
rm -f "$work/menu.sock"
QEMU_MONITOR=$work/menu.sock bash scripts/qemu-boot.sh "$work/menu.iso" "$work/menu.csv" tcg "$LIMIT" bios \
	2> "$work/menu.boot-stderr" &
qpid=$!
python3 tests/boot/qr_pages.py pages "$work/menu.sock" "$work/menu" "$LIMIT" "$work/menu.csv" > "$work/menu.pages" 2>&1
wait $qpid
rm -f "$work/menu.iso"
check "bios framebuffer entry: GRUB on SeaBIOS gave an RGB framebuffer" \
	grep -q '^# framebuffer=rgb ' "$work/menu.csv"
check "bios framebuffer entry: zbarimg read every code ($(cat "$work/menu.pages"))" all_codes_read menu 1
qr_import_scans menu
imported_equals() { imported "$1" && equals_capture "$1"; }
check "bios framebuffer entry: the import equals the capture without # hist lines" \
	imported_equals menu
