#!/usr/bin/env bash
# make_run.sh - `make run` itself (issue 9), through the Makefile so that
# make's and the shell's parsing are covered: the command line reaches the
# kernel verbatim or is refused at once, latest.csv moves only for a
# completed run, and a KVM that cannot run the guest is noticed at once.
# Small TCG boots only; captures go to $work/results (RESULTS_DIR), never
# to results/local, and QEMU is stopped after RUN_TIMEOUT seconds. A fake
# qemu-system-x86_64 on PATH stands in for KVM failures and for captures
# the real kernel would not write.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/boot/lib.sh

work=build/make-run-tests
rm -rf "$work"
mkdir -p "$work/fakebin"
export RESULTS_DIR=$work/results
export RUN_TIMEOUT=180     # a boot that hangs (GRUB at its prompt) fails in minutes, not 30
touch "$work/marker"
SMALL="iterations=500 warmup=50 repeat=1 paths=syscall"

# mkrun NAME [VAR=value...]: make run -> $work/NAME.out (stdout+stderr),
# make's exit status in $work/NAME.rc, seconds taken in $work/NAME.secs
mkrun() {
	local name=$1 t0=$SECONDS
	shift
	# a make of its own even under make test: no CMDLINE=... or -j from there
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory run "$@" > "$work/$name.out" 2>&1
	echo $? > "$work/$name.rc"
	echo $((SECONDS - t0)) > "$work/$name.secs"
}
said() { grep -qF -- "$2" "$work/$1.out" || { echo "output lacks '$2':"; tail -5 "$work/$1.out"; return 1; }; }
make_ok() { [ "$(cat "$work/$1.rc")" = 0 ] || { echo "make exited $(cat "$work/$1.rc"):"; tail -5 "$work/$1.out"; return 1; }; }
run_code() {   # make reports run.sh's status as "[Makefile:N: run] Error CODE"
	[ "$(cat "$work/$1.rc")" != 0 ] && grep -qE "\] Error $2\$" "$work/$1.out" \
		|| { echo "make exited $(cat "$work/$1.rc"), want run.sh's $2:"; tail -3 "$work/$1.out"; return 1; }
}
capture_of() { sed -n 's/.*capture in \([^;]*\);.*/\1/p' "$work/$1.out" | head -1; }
latest_is() { cmp -s "$RESULTS_DIR/latest.csv" "$1" || { echo "latest.csv differs from $1"; return 1; }; }
quick() {      # refused or stopped well under the RUN_TIMEOUT limit
	[ "$(cat "$work/$1.secs")" -lt 90 ] || { echo "took $(cat "$work/$1.secs")s"; return 1; }
}
loads() {   # what make compare asks of a file: results/ringtrip_csv.py loads it
	python3 -c 'import sys; sys.path.insert(0, "results"); import ringtrip_csv as r; r.load(sys.argv[1])' "$1"
}
no_shell_error() {
	! grep -qiE 'unexpected EOF|syntax error|unterminated|command not found' "$work/$1.out" \
		|| { grep -iE 'unexpected EOF|syntax error|unterminated|command not found' "$work/$1.out"; return 1; }
}

# --- a good run moves latest.csv ----------------------------------------------
mkdir -p "$RESULTS_DIR"
echo "not a result" > "$RESULTS_DIR/latest.csv"
mkrun good "CMDLINE=$SMALL"
f=$(sed -n 's/.*CSV saved to \([^ ]*\) (and .*/\1/p' "$work/good.out")
check "good: make run exits 0" make_ok good
check "good: the capture loads as a complete CSV (as make compare reads it)" loads "${f:-/nonexistent}"
check "good: latest.csv replaced by the capture" latest_is "${f:-/nonexistent}"
check "good: boot_cmdline is the command line asked for (clock=icount added under TCG)" \
	test "$(meta "${f:-/nonexistent}" boot_cmdline)" = "clock=icount $SMALL"
check "good: no temporary file left beside latest.csv" \
	test -z "$(find "$RESULTS_DIR" -name '.latest*')"
good=$f
cp "$RESULTS_DIR/latest.csv" "$work/latest.before"

# --- GRUB-script and shell characters reach the kernel verbatim ----------------
# ; $name ` $( ) | & # * { } < > ~ and a $(shell) for make; runs of blanks
# (spaces, a tab, a newline) become one space: they only separate options
nasty="$SMALL a;b \$kernel \`touch $work/backtick\` \$(shell touch $work/makeshell) \$(CMDLINE) x|y&z  #c"$'\t'"* {d}"$'\n'"<e> ~f \${g}"
norm=$(printf '%s' "$nasty" | tr '\t\n' '  ' | tr -s ' ')
mkrun nasty "CMDLINE=$nasty"
f=$(sed -n 's/.*CSV saved to \([^ ]*\) (and .*/\1/p' "$work/nasty.out")
check "nasty: make run exits 0" make_ok nasty
check "nasty: boot_cmdline equals the command line asked for, byte for byte" \
	test "$(meta "${f:-/nonexistent}" boot_cmdline)" = "clock=icount $norm"
check "nasty: the kernel saw every word (a;b is one unknown option, not a GRUB command end)" \
	grep -q "^# warning: unknown option 'a;b'" "${f:-/nonexistent}"
check "nasty: the options before the specials still applied" \
	test "$(meta "${f:-/nonexistent}" iterations),$(meta "${f:-/nonexistent}" warmup)" = "500,50"
check "nasty: no backtick ran in the shell" test ! -e "$work/backtick"
check "nasty: no \$(shell) ran in make" test ! -e "$work/makeshell"
check "nasty: the blank-collapsing is said" said nasty "blanks in CMDLINE only separate options"
cp "$RESULTS_DIR/latest.csv" "$work/latest.before"

# --- what GRUB cannot pass is refused at once, before any boot -----------------
# (GRUB 2.06's multiboot2 loader hands ' " \ on as \' \" \\)
refused=("x'y" 'say"q"' 'end\' "$nasty x'y \"q\" end\\")
labels=("x'y" 'say"q"' 'trailing backslash' "all of them with the nasty line")
for i in "${!refused[@]}"; do
	c=${refused[$i]}
	n=$(ls "$RESULTS_DIR" | wc -l)
	mkrun refuse$i "CMDLINE=$SMALL $c"
	check "refuse[${labels[$i]}]: make fails with run.sh's exit 104" run_code refuse$i 104
	check "refuse[${labels[$i]}]: says GRUB cannot hand it to the kernel, and nothing booted" \
		bash -c "grep -q 'GRUB cannot hand' '$work/refuse$i.out' && grep -q 'refused before booting' '$work/refuse$i.out' && ! grep -q 'ringtrip: booting' '$work/refuse$i.out'"
	check "refuse[${labels[$i]}]: no shell or make parse error" no_shell_error refuse$i
	check "refuse[${labels[$i]}]: at once" quick refuse$i
	check "refuse[${labels[$i]}]: latest.csv untouched, no capture written" \
		bash -c "cmp -s '$RESULTS_DIR/latest.csv' '$work/latest.before' && [ \$(ls '$RESULTS_DIR' | wc -l) -eq $n ]"
done
mkrun ctl "CMDLINE=$SMALL a$(printf '\r')b"
check "refuse[CR]: a control character is refused (104)" run_code ctl 104
mkrun long "CMDLINE=$SMALL $(printf 'x%.0s' $(seq 600))"
check "refuse[600 bytes]: longer than the kernel keeps is refused (104)" run_code long 104
mkrun badaccel "ACCEL=k;vm" "CMDLINE=$SMALL"
check "refuse[ACCEL=k;vm]: a bad ACCEL is refused (104)" run_code badaccel 104

# --- help is not a result: latest.csv stays -------------------------------------
mkrun help CMDLINE=help
f=$(capture_of help)
check "help: make run exits 0" make_ok help
check "help: latest.csv untouched" latest_is "$work/latest.before"
check "help: the message names the capture, which is the help text (rows=0)" \
	bash -c "[ -n '$f' ] && grep -q '^# help:' '$f' && tail -1 '$f' | grep -q '^# end rows=0 '"
check "help: the message says latest.csv is unchanged" said help "latest.csv is unchanged"

# --- a panic: latest.csv stays, the capture keeps its own name ---------------------
mkrun panic "CMDLINE=$SMALL crash=kernel"
f=$(capture_of panic)
check "panic: make fails with run.sh's exit 2" run_code panic 2
check "panic: latest.csv untouched" latest_is "$work/latest.before"
check "panic: the message names the capture, which has the panic" \
	bash -c "[ -n '$f' ] && [ '$f' != '$RESULTS_DIR/latest.csv' ] && grep -q '^# panic: ' '$f'"

# --- fake QEMUs: KVM failure, QEMU not starting, captures the kernel would not write --
cat > "$work/fakebin/qemu-system-x86_64" <<'FAKE'
#!/usr/bin/env bash
# fake QEMU for tests/boot/make_run.sh; FAKE_QEMU says what it does
cap= prev=
for a in "$@"; do
	[ "$prev" = -serial ] && cap=${a#file:}
	prev=$a
done
echo $$ > "$FAKE_PIDFILE"
case $FAKE_QEMU in
	kvm)      echo "KVM internal error. Suberror: 1" >&2
		  echo "emulation failure" >&2
		  echo "RIP=ffffffff8010e0f5 RFL=00000002 [-------] CPL=0" >&2
		  exec sleep 600 ;;               # paused, as QEMU does
	nostart)  echo "qemu-system-x86_64: -drive file=x: Could not open 'x'" >&2
		  exit 1 ;;
	capture)  cp "$FAKE_CAPTURE" "$cap"       # then isa-debug-exit code 0
		  exit 1 ;;
esac
FAKE
chmod +x "$work/fakebin/qemu-system-x86_64"
fake() { PATH="$PWD/$work/fakebin:$PATH" FAKE_PIDFILE="$work/fake.pid" "$@"; }
: > "$work/fake.iso"
t0=$SECONDS
fake env FAKE_QEMU=kvm bash scripts/qemu-boot.sh "$work/fake.iso" "$work/kvm.csv" kvm 120 2> "$work/kvm.err"
rc=$? secs=$((SECONDS - t0))
check "kvm: qemu-boot.sh exits 103 when QEMU reports a KVM internal error" test "$rc" = 103
check "kvm: well under the time limit (${secs}s of 120)" test "$secs" -lt 60
check "kvm: the message says why and suggests ACCEL=tcg" \
	bash -c "grep -q 'KVM cannot run' '$work/kvm.err' && grep -q 'KVM internal error' '$work/kvm.err' && grep -q 'ACCEL=tcg' '$work/kvm.err'"
check "kvm: QEMU was stopped" bash -c "! kill -0 $(cat "$work/fake.pid") 2>/dev/null"
fake mkrun kvmrun FAKE_QEMU=kvm ACCEL=kvm "CMDLINE=$SMALL"
check "kvm: make run ACCEL=kvm fails with run.sh's exit 103, latest.csv untouched" \
	bash -c "grep -qE '\] Error 103\$' '$work/kvmrun.out' && cmp -s '$RESULTS_DIR/latest.csv' '$work/latest.before'"
check "kvm: make run stopped well under its limit" quick kvmrun
check "kvm: make run's QEMU was stopped" bash -c "! kill -0 $(cat "$work/fake.pid") 2>/dev/null"

fake env FAKE_QEMU=nostart bash scripts/qemu-boot.sh "$work/fake.iso" "$work/nostart.csv" tcg 600 2> "$work/nostart.err"
check "nostart: QEMU exiting 1 with an error is 102, not the kernel's 0" test "$?" = 102

sed 's/^# boot_cmdline=.*/# boot_cmdline=clock=icount iterations=7/' "$good" > "$work/other-cmdline.csv"
fake mkrun mismatch FAKE_QEMU=capture "FAKE_CAPTURE=$work/other-cmdline.csv" "CMDLINE=$SMALL"
check "mismatch: boot_cmdline != asked fails with run.sh's exit 105" run_code mismatch 105
check "mismatch: both command lines are shown" \
	bash -c "grep -qF \"asked:    'clock=icount $SMALL'\" '$work/mismatch.out' && grep -qF \"received: 'clock=icount iterations=7'\" '$work/mismatch.out'"
check "mismatch: latest.csv untouched" latest_is "$work/latest.before"

awk '!/^#/ && ++n == 3 { sub(/,ok,/, ",OK,") } { print }' "$good" > "$work/bad-crc.csv"
fake mkrun badcrc FAKE_QEMU=capture "FAKE_CAPTURE=$work/bad-crc.csv" "CMDLINE=$SMALL"
check "badcrc: a capture whose crc32 does not match fails with run.sh's exit 106" run_code badcrc 106
check "badcrc: the message says why" said badcrc "crc32 mismatch"
check "badcrc: latest.csv untouched" latest_is "$work/latest.before"

check "results/local untouched (RESULTS_DIR honoured)" \
	test -z "$(find results/local -newer "$work/marker" 2>/dev/null)"
