#!/usr/bin/env bash
# run.sh UNIT_BINARIES... - everything `make test` runs: the host unit tests
# (cmocka), then the QEMU and Bochs boot tests (the FRED one only where a
# FRED-capable Bochs is found). Ends with "N passed, N failed" and a
# non-zero exit status if anything failed.
set -uo pipefail
pass=0 fail=0

for bin in "$@"; do
	out=$("$bin" 2>&1)
	rc=$?
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	p=${p:-0} f=${f:-0}
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1    # crashed before cmocka could count
	fi
	[ "$f" -gt 0 ] && printf '%s\n' "$out" | grep -E '^\[  (ERROR|FAILED|  LINE) ' | sed 's/^/    /'
	echo "unit ${bin#build/}: $p passed, $f failed"
	pass=$((pass + p)) fail=$((fail + f))
done

# the results/ tools (Python unittest): passed = ran - failed - errors - skipped.
# Debian's interpreter where there is one: deps.sh installs pandas and
# matplotlib for it, and a python3 earlier on PATH (pyenv, a venv) may lack them.
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
py_out=$("$py" -m unittest discover -s tests/results 2>&1)
ran=$(printf '%s\n' "$py_out" | sed -n 's/^Ran \([0-9]*\) test.*/\1/p')
pf=$(printf '%s\n' "$py_out" | sed -n 's/.*failures=\([0-9]*\).*/\1/p')
pe=$(printf '%s\n' "$py_out" | sed -n 's/.*errors=\([0-9]*\).*/\1/p')
ps=$(printf '%s\n' "$py_out" | sed -n 's/.*skipped=\([0-9]*\).*/\1/p')
ran=${ran:-0} pf=${pf:-0} pe=${pe:-0} ps=${ps:-0}
[ "$ran" -eq 0 ] && pe=1    # did not even start
[ $((pf + pe)) -gt 0 ] && printf '%s\n' "$py_out" | grep -E '^(FAIL|ERROR):' | sed 's/^/    /'
[ "$ps" -gt 0 ] && printf '%s\n' "$py_out" | grep -i 'skip' | sed 's/^/    /' | head -5
echo "python tests/results: $((ran - pf - pe - ps)) passed, $((pf + pe)) failed, $ps skipped"
pass=$((pass + ran - pf - pe - ps)) fail=$((fail + pf + pe))

# shown as they run (through a dup of stderr: `tee /dev/stderr` would reopen
# and truncate a log file that stderr points at) and kept for the count
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# one script per line: adding one is a one-line change
boot_scripts=(
	tests/boot/qemu_tcg.sh
	tests/boot/firmware.sh
	tests/boot/bochs.sh
	tests/boot/fred.sh
	tests/boot/entries.sh
	tests/boot/measurement.sh
	tests/boot/mitigations.sh
	tests/boot/make_run.sh
	tests/boot/ports.sh
	tests/boot/hardening.sh
	tests/boot/qr.sh
	tests/host/host_mode.sh
	tests/tools/gatedecode.sh
	tests/tools/build.sh
	tests/tools/new_path.sh
)
for t in "${boot_scripts[@]}"; do
	bash "$t" 2>&1
	rc=$?
	# a script that dies before its checks must not pass by saying nothing
	[ $rc -eq 0 ] || echo "FAIL $t: the script itself exited $rc"
done | tee "$log" >&2
boot_out=$(cat "$log")
bp=$(printf '%s\n' "$boot_out" | grep -c '^PASS ')
bf=$(printf '%s\n' "$boot_out" | grep -c '^FAIL ')
pass=$((pass + bp)) fail=$((fail + bf))
# a script that could not run here says "skipped: why" on a line of its own
# (fred.sh without a FRED-capable Bochs): neither a pass nor a failure, but
# repeated here, as it was, so the summary does not hide it
printf '%s\n' "$boot_out" | grep '^skipped: '

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
