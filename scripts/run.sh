#!/usr/bin/env bash
# run.sh CMDLINE ACCEL FIRMWARE - what `make run` does: boot the suite once,
# save the serial capture under $RESULTS_DIR (default results/local) as
# STAMP-ACCEL-FIRMWARE.csv, print a readable table. QEMU is stopped after
# $RUN_TIMEOUT seconds (default 1800).
#
# The command line reaches the kernel verbatim or not at all (issue 9):
# words are split at blanks (the kernel sees them joined by one space),
# every other byte is passed through GRUB literally (scripts/mkiso.sh
# single-quotes each word), except what GRUB cannot pass - ' " \ (its
# multiboot2 loader puts a backslash in front of them) and control
# characters - which are refused before anything boots. After the boot the
# kernel's "# boot_cmdline=" must equal the line asked for.
#
# $RESULTS_DIR/latest.csv (what `make compare` reads) is replaced - through
# a temporary file and mv - only by a run that completed: exit code 0, the
# command line the kernel saw is the one asked for, and the capture loads
# as a complete CSV (trailer as the last line, row count and crc32 right)
# with at least one row. A help run (rows=0) or a failed run leaves it
# alone; its capture stays under its own name.
#
# Exit status: qemu-boot.sh's (0 ok, 1 self-test failed, 2 panic, 3 setup
# failed, 100 timeout, 101 no exit code from the kernel, 102 QEMU could not
# start or the ISO could not be built, 103 KVM cannot run the kernel), and
#   104 refused before booting: CMDLINE has a character GRUB cannot pass,
#       or is too long; or ACCEL, FIRMWARE or RUN_TIMEOUT is not valid
#   105 the kernel's boot_cmdline differs from the command line asked for
#   106 the kernel exited 0 but the capture is not a complete CSV
set -uo pipefail
export LC_ALL=C
results=${RESULTS_DIR:-results/local}
want=${1:-} firmware=${3:-bios}
limit=${RUN_TIMEOUT:-1800}
CMDLINE_MAX=511       # kernel/multiboot.h and shared_page.h: 512 with the NUL

refuse() {
	local line
	for line in "$@"; do echo "ringtrip: $line" >&2; done
	echo "ringtrip: refused before booting (exit 104); $results/latest.csv is unchanged" >&2
	exit 104
}

accel=$(bash scripts/accel.sh "${2:-}") || refuse "ACCEL must be kvm, tcg or empty (auto)"
[[ $limit =~ ^[1-9][0-9]*$ ]] || refuse "RUN_TIMEOUT must be a number of seconds, not '$limit'"
case $firmware in
	bios|uefi) ;;
	*) refuse "FIRMWARE must be bios or uefi, not '$firmware'" ;;
esac

# ' " \ : GRUB's multiboot2 loader escapes them (x'y reaches the kernel as
# x\'y, a\ as a\\); no ringtrip option takes them
bad=$(printf '%s' "$want" | tr -cd "'\"\\\\" | fold -w1 | sort -u | tr '\n' ' ')
[ -z "$bad" ] || refuse "CMDLINE contains ${bad}- GRUB cannot hand ' \" or \\ to the kernel as they are:" \
	"its multiboot2 loader puts a backslash in front of each (x'y would arrive as x\\'y)." \
	"No ringtrip option uses them; leave them out. CMDLINE was: $want"
# control characters other than the blanks that separate words: the kernel
# prints its command line as one CSV metadata line
ctl=$(printf '%s' "$want" | tr -d ' \t\n\041-\176\200-\377' | od -An -c | tr -s ' ')
[ -z "$ctl" ] || refuse "CMDLINE contains control characters ($ctl) - the kernel writes its command line on one line of the CSV; leave them out"

# words at blanks, joined by one space: what GRUB hands the kernel
set -f
# shellcheck disable=SC2206  # the split is the point
IFS=$' \t\n' words=($want)
set +f
cmdline="${words[*]}"
[ "$cmdline" = "$want" ] || echo "ringtrip: blanks in CMDLINE only separate options; asking for '$cmdline'"
[ "$accel" = tcg ] && cmdline="clock=icount${cmdline:+ $cmdline}"
[ ${#cmdline} -le $CMDLINE_MAX ] || refuse "the command line is ${#cmdline} bytes; the kernel keeps $CMDLINE_MAX"

mkdir -p "$results" build || exit 102
bash scripts/mkiso.sh build/run.iso build/ringtrip.elf "$cmdline" \
	|| { echo "ringtrip: could not build build/run.iso (exit 102)" >&2; exit 102; }
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$results/$stamp-$accel-$firmware.csv
n=1
while [ -e "$out" ]; do        # two runs in one second keep both captures
	n=$((n + 1))
	out=$results/$stamp-$accel-$firmware-$n.csv
done
echo "ringtrip: booting build/run.iso under QEMU/$accel ($firmware), command line: '$cmdline'"
bash scripts/qemu-boot.sh build/run.iso "$out" "$accel" "$limit" "$firmware"
rc=$?

[ -s "$out" ] && bash scripts/table.sh "$out"

# did the kernel get the command line asked for?
cmdline_ok=1
if grep -q '^# boot_cmdline=' "$out" 2>/dev/null; then
	got=$(sed -n 's/^# boot_cmdline=//p' "$out" | head -1)
	if [ "$got" != "$cmdline" ]; then
		cmdline_ok=0
		echo "ringtrip: the kernel received a different command line than asked for:" >&2
		echo "ringtrip:   asked:    '$cmdline'" >&2
		echo "ringtrip:   received: '$got'" >&2
	fi
fi

# is the capture a complete result? Asked of the loader make compare uses
# (results/ringtrip_csv.py: trailer last, row count and crc32 right).
# A capture that ends "# end rows=0" (help) is complete but no result.
result=$(python3 - "$out" <<'PY' 2>&1
import re, sys
sys.path.insert(0, "results")
import ringtrip_csv
try:
    cap = ringtrip_csv.load(sys.argv[1])
except ringtrip_csv.CaptureError as e:
    try:
        with open(sys.argv[1], "rb") as f:
            lines = f.read().rstrip(b"\r\n").split(b"\n")
    except OSError:
        lines = [b""]
    if re.match(rb"# end rows=0( |\Z)", lines[-1]):
        print("none")
    else:
        print("not a complete CSV: %s" % e)
    sys.exit(0)
if not cap.crc:
    print("not a complete CSV: the trailer carries no crc32")
elif not cap.rows:
    print("none")
else:
    print("ok")
PY
)

grep -q '^# boot_cmdline=' "$out" 2>/dev/null || [ "$result" != ok ] \
	|| result="not a complete result: it has no '# boot_cmdline=' line, so what the kernel was asked is unknown"

kept="capture in $out; $results/latest.csv is unchanged"
if [ $rc -eq 0 ] && [ $cmdline_ok -eq 1 ] && [ "$result" = ok ]; then
	tmp=$results/.latest.csv.$$
	if cp "$out" "$tmp" && mv -f "$tmp" "$results/latest.csv"; then
		echo "ringtrip: ok; CSV saved to $out (and $results/latest.csv)"
		exit 0
	fi
	rm -f "$tmp"
	echo "ringtrip: ok; CSV saved to $out, but $results/latest.csv could not be replaced" >&2
	exit 0
fi
case $rc in
	0)  if [ $cmdline_ok -eq 0 ]; then
		echo "ringtrip: the run measured another command line than asked for (exit 105); $kept" >&2
		exit 105
	    fi
	    if [ "$result" = none ]; then
		echo "ringtrip: ok, but the run has no result rows (help, or nothing selected); $kept"
		exit 0
	    fi
	    echo "ringtrip: the kernel exited 0 but the capture is $result (exit 106); $kept" >&2
	    exit 106 ;;
	1)  echo "ringtrip: a self-test FAILED (see '# selftest ... fail'); $kept" >&2 ;;
	2)  echo "ringtrip: the kernel hit an unexpected exception (see '# panic'); $kept" >&2 ;;
	3)  echo "ringtrip: setup failed (see '# error'); $kept" >&2 ;;
	103) echo "ringtrip: KVM cannot run the kernel on this host: run again with ACCEL=tcg (exit 103); $kept" >&2 ;;
	*)  if [ -s "$out" ]; then
		echo "ringtrip: the run did not complete (exit $rc); partial $kept" >&2
	    else
		echo "ringtrip: the run did not complete (exit $rc) and the kernel wrote nothing (it never started?); empty $kept" >&2
	    fi ;;
esac
exit $rc
