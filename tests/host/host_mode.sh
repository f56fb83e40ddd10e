#!/usr/bin/env bash
# host_mode.sh - `make host-run`'s program on this Linux machine: the same
# CSV contract and metadata as the bare kernel, self-tests passing, every
# row ok or honestly unsupported, and results/compare accepting two runs.
# Times are real here, so nothing about them is asserted.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/boot/lib.sh

work=build/host-tests
mkdir -p "$work"
bin=build/host/ringtrip-host
for run in 1 2; do
	"$bin" iterations=2000 warmup=200 repeat=2 > "$work/host$run.csv" 2>/dev/null
	echo $? > "$work/host$run.rc"
done
f=$work/host1.csv
check "host: exits 0" test "$(cat "$work/host1.rc")" = 0
check "host: complete CSV (header, columns, trailer, crc32)" csv_well_formed "$f"
for k in cpu_vendor cpu_brand hypervisor clock tsc_invariant tsc_hz tsc_hz_source microcode pmu features iterations warmup repeat timer overhead_tsc mode os cpu; do
	check "host: metadata $k present" test -n "$(meta "$f" $k)"
done
check "host: clock=tsc" test "$(meta "$f" clock)" = tsc

# ---- the environment and the PMU (issue 12): present, and what this machine says
for k in pmu_detail perf_pmu perf_event_paranoid kernel_release kernel_version \
	 kernel_machine kernel_cmdline smt smt_active clocksource cpufreq_driver \
	 cpufreq_governor cpufreq_min_khz cpufreq_max_khz cpufreq_epp cpu_boost \
	 cpu_boost_source; do
	check "host: metadata $k present" test -n "$(meta "$f" $k)"
done
check "host: kernel_release is uname -r" test "$(meta "$f" kernel_release)" = "$(uname -r)"
check "host: kernel_machine is uname -m" test "$(meta "$f" kernel_machine)" = "$(uname -m)"
# a value too long for one line continues under key.2, key.3, ...
joined() {   # joined CSV KEY: the value and its continuations, concatenated
	local v k=2 out
	out=$(meta "$1" "$2")
	while v=$(grep -m1 "^# $2\.$k=" "$1"); do
		out+=${v#"# $2.$k="}
		k=$((k + 1))
	done
	printf '%s' "$out"
}
check "host: kernel_cmdline (continued where long) is /proc/cmdline" \
	test "$(joined "$f" kernel_cmdline)" = "$(tr -c '[:print:]' '?' < /proc/cmdline | sed 's/?$//')"
vuln_check() {   # every vulnerabilities file is a vulnerability.<name> line, word for word
	local d=/sys/devices/system/cpu/vulnerabilities v n=0
	if [ ! -d $d ]; then
		[[ "$(meta "$f" vulnerabilities)" == unavailable:* ]] || { echo "no $d, no unavailable:"; return 1; }
		return 0
	fi
	for v in "$d"/*; do
		[ "$(meta "$f" "vulnerability.${v##*/}")" = "$(cat "$v")" ] ||
			{ echo "${v##*/}: '$(meta "$f" "vulnerability.${v##*/}")' vs '$(cat "$v")'"; return 1; }
		n=$((n + 1))
	done
	[ "$(grep -c '^# vulnerability\.' "$f")" = "$n" ] || { echo "not $n vulnerability lines"; return 1; }
}
check "host: every vulnerabilities file is a vulnerability.<name> line" vuln_check
gov=/sys/devices/system/cpu/cpu$(meta "$f" cpu)/cpufreq/scaling_governor
if [ -r "$gov" ]; then
	check "host: cpufreq_governor is the pinned CPU's governor" \
		test "$(meta "$f" cpufreq_governor)" = "$(cat "$gov")"
else
	check "host: no cpufreq here: cpufreq_governor=unavailable:no-cpufreq" \
		test "$(meta "$f" cpufreq_governor)" = unavailable:no-cpufreq
fi
check "host: cpu_boost is on, off or unavailable:<why>" \
	bash -c "[[ '$(meta "$f" cpu_boost)' =~ ^(on|off|unavailable:.+)$ ]]"
check "host: perf_event_paranoid is /proc/sys/kernel/perf_event_paranoid" \
	test "$(meta "$f" perf_event_paranoid)" = "$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null ||
						     echo unavailable:unreadable)"
pmc_cells() {   # pmc_cells CSV: "status cycles instructions" per row, columns by name
	awk -F, '/^#/ { next }
		!h { for (i = 1; i <= NF; i++) col[$i] = i; h = 1; next }
		{ print $col["status"] " [" $col["median_cycles"] "] [" $col["median_instructions"] "]" }' "$1"
}
cycles_check() {   # counting: cycles and instructions in every ok row; else why not, and none
	local pmu
	pmu=$(meta "$1" pmu)
	if [ "$pmu" = linux-perf ]; then
		[ "$(meta "$1" pmu_counting)" = user+kernel ] || { echo "pmu_counting"; return 1; }
		! pmc_cells "$1" | grep -E '^ok .*\[\]' ||
			{ echo "an ok row without median_cycles/median_instructions"; return 1; }
	else
		[[ "$pmu" =~ ^unavailable:.+ ]] || { echo "pmu=$pmu"; return 1; }
		[ -n "$(meta "$1" pmu_detail)" ] || { echo "no pmu_detail"; return 1; }
		! pmc_cells "$1" | grep -vE ' \[\] \[\]$' || { echo "cycles without a PMU"; return 1; }
	fi
}
check "host: pmu=linux-perf with cycles in every ok row, or unavailable:<why> and none ($(meta "$f" pmu))" \
	cycles_check "$f"
check "host: no CSV line over 511 bytes (long values are continued)" \
	bash -c "! awk 'length(\$0) > 511 { print NR; bad = 1 } END { exit !bad }' '$f'"
check "host: self-tests pass" selftests_all_pass "$f" 1
check "host: linux_syscall getppid is ok" test "$(field "$f" linux_syscall getppid status)" = ok
check "host: linux_vdso clock_gettime is ok" test "$(field "$f" linux_vdso clock_gettime status)" = ok
check "host: linux_int80 is ok or says why not" \
	bash -c "[[ '$(field "$f" linux_int80 getppid status)' =~ ^(ok|unsupported:.*)$ ]]"
check "host: median_ns present (real TSC at tsc_hz)" test -n "$(field "$f" linux_syscall getppid median_ns)"
check "host: histograms add up" hist_matches_samples "$f"
check "host: results/compare reads two host runs" \
	python3 results/compare "$work/host1.csv" "$work/host2.csv"
sed 's/^# mode=host$/# mode=kernel/' "$f" > "$work/edited.csv"
check "host: an edited metadata line is refused (the crc32 covers every line)" \
	bash -c "! cmp -s '$f' '$work/edited.csv' &&
		 python3 results/compare '$f' '$work/edited.csv' 2>&1 >/dev/null | grep -q 'crc32 mismatch'"

# ---- arguments: help, unknown options, cpu=, services=, long lines ----
small=(iterations=200 warmup=20 repeat=1)
hrun() {   # hrun NAME ARGS...: $work/NAME.csv (stdout), .err, .rc
	local name=$1
	shift
	"$bin" "$@" > "$work/$name.csv" 2> "$work/$name.err"
	echo $? > "$work/$name.rc"
}
# "0-2,5" -> "0 1 2 5"
cpulist_expand() {
	local part out=()
	IFS=, read -ra parts <<< "$1"
	for part in "${parts[@]}"; do
		if [[ $part =~ ^([0-9]+)-([0-9]+)$ ]]; then
			mapfile -t -O "${#out[@]}" out < <(seq "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}")
		else
			out+=("$part")
		fi
	done
	printf '%s\n' "${out[@]}" | sort -n | tr '\n' ' '
}
rows_of() { data_rows "$1" | cut -d, -f1,2 | sort | tr '\n' ' '; }
no_csv() {   # no_csv NAME: nothing measured, no CSV line on stdout
	! grep -q '^# ringtrip csv=\|^path,service' "$work/$1.csv" ||
		{ echo "stdout has CSV: $(head -3 "$work/$1.csv")"; return 1; }
	! grep -q '^ensemble' "$work/$1.err" || { echo "the benchmark ran"; return 1; }
}
err_has() { grep -qF -- "$2" "$work/$1.err" || { echo "stderr lacks '$2': $(head -3 "$work/$1.err")"; return 1; }; }
csv_has() { grep -qF -- "$2" "$work/$1.csv" || { echo "CSV lacks '$2'"; return 1; }; }

# the allowed CPUs, from the shell's own affinity (the program inherits it)
allowed_list=$(taskset -cp $$ | sed 's/.*: *//')
allowed=$(cpulist_expand "$allowed_list")
read -ra allowed_arr <<< "$allowed"
lowest=${allowed_arr[0]}
highest=${allowed_arr[${#allowed_arr[@]}-1]}
outside=
for ((c = 0; c < 1024; c++)); do
	[[ " $allowed " == *" $c "* ]] || { outside=$c; break; }
done

for h in help --help -h; do
	hrun "help$h" "${small[@]}" "$h"
	check "host: '$h' exits 0" rc_is "help$h" 0
	check "host: '$h' prints usage with every option and its default" bash -c "
		f=$work/help$h.csv
		grep -q '^usage: ringtrip-host' \$f &&
		for k in iterations= warmup= repeat= paths= services= cpu= perf= help; do
			grep -q \"^  \$k\" \$f || { echo \"usage lacks \$k\"; exit 1; }; done &&
		grep -q '(100000)' \$f && grep -q 'default: the highest-numbered allowed CPU, here $highest' \$f"
	check "host: '$h' runs nothing, prints no CSV" no_csv "help$h"
done

hrun unknown "${small[@]}" foo=1 --bogus
check "host: unknown arguments are warned about and the run goes on (as in the kernel)" rc_is unknown 0
check "host: the warning on stderr names 'foo=1'" err_has unknown "unknown option 'foo=1'"
check "host: the warning on stderr names '--bogus'" err_has unknown "unknown option '--bogus'"
check "host: the warnings are '# warning:' lines in the CSV" \
	bash -c "grep -q \"^# warning: unknown option 'foo=1'\" $work/unknown.csv &&
		 grep -q \"^# warning: unknown option '--bogus'\" $work/unknown.csv"
check "host: CSV with warnings still well formed" csv_well_formed "$work/unknown.csv"

hrun perfoff "${small[@]}" perf=off
check "host: perf=off: pmu=unavailable:perf-off" \
	test "$(meta "$work/perfoff.csv" pmu)" = unavailable:perf-off
check "host: perf=off: no cycles, and pmu_detail says why" cycles_check "$work/perfoff.csv"
hrun perfbad "${small[@]}" perf=maybe
check "host: perf=maybe is warned about, perf stays on" bash -c "
	grep -q \"^# warning: option 'perf=maybe': not on or off; perf=on kept\" $work/perfbad.csv &&
	[ '$(meta "$work/perfbad.csv" pmu)' != unavailable:perf-off ]"

hrun kernelopt "${small[@]}" exit=qemu dump=idt
check "host: bare-kernel options are warned about as ignored" \
	bash -c "grep -q \"^# warning: option 'exit=qemu' is the bare kernel's\" $work/kernelopt.csv"

for bad in -1 abc 99999999999 "" 1.5 +1 0x1; do
	name="cpu=$bad"
	hrun "$name" "${small[@]}" "cpu=$bad"
	check "host: 'cpu=$bad' is refused with exit 2" rc_is "$name" 2
	check "host: 'cpu=$bad' says why" err_has "$name" "cpu=$bad"
	check "host: 'cpu=$bad' measures nothing" no_csv "$name"
done
if [ -n "$outside" ]; then
	hrun cpu-outside "${small[@]}" "cpu=$outside"
	check "host: cpu=$outside (not allowed) is refused with exit 2" rc_is cpu-outside 2
	set=$(sed -n 's/.*allowed set (\([0-9,-]*\)).*/\1/p' "$work/cpu-outside.err")
	check "host: cpu=$outside refusal names the allowed set ($allowed_list)" \
		test "$(cpulist_expand "$set")" = "$allowed"
fi

check "host: default run records cpu=$highest (the highest allowed CPU)" \
	test "$(meta "$f" cpu)" = "$highest"
check "host: default run records cpu_allowed= the affinity set" \
	test "$(cpulist_expand "$(meta "$f" cpu_allowed)")" = "$allowed"
taskset -c "$lowest" "$bin" "${small[@]}" > "$work/taskset.csv" 2>/dev/null
check "host: under 'taskset -c $lowest' the default is cpu=$lowest" \
	test "$(meta "$work/taskset.csv" cpu)" = "$lowest"
hrun cpu-chosen "${small[@]}" "cpu=$lowest"
check "host: cpu=$lowest still chooses" test "$(meta "$work/cpu-chosen.csv" cpu)" = "$lowest"

long600=$(head -c 600 /dev/zero | tr '\0' a)
long20k=$(head -c 20000 /dev/zero | tr '\0' b)
hrun long "${small[@]}" "$long600" "$long20k"
check "host: 600- and 20000-character arguments: warned, exit 0 (not a crash)" rc_is long 0
check "host: long arguments: CSV well formed" csv_well_formed "$work/long.csv"
check "host: long arguments: cmdline= says it was truncated" \
	bash -c "meta() { sed -n \"s/^# \$2=//p\" \"\$1\" | head -1; }; meta $work/long.csv cmdline | grep -q 'truncated'"
check "host: long arguments: no CSV line over 511 bytes" \
	bash -c "! awk 'length(\$0) > 511 { print NR; bad = 1 } END { exit !bad }' $work/long.csv"
hrun longcpu "${small[@]}" "cpu=$long600"
check "host: cpu=<600 digits... > refused with exit 2" rc_is longcpu 2

hrun svc-getppid "${small[@]}" services=getppid
check "host: services=getppid keeps only getppid rows" test "$(rows_of "$work/svc-getppid.csv")" = \
	"linux_int80,baseline linux_int80,getppid linux_syscall,baseline linux_syscall,getppid "
hrun svc-clock "${small[@]}" services=clock_gettime
check "host: services=clock_gettime keeps only linux_vdso rows" \
	test "$(rows_of "$work/svc-clock.csv")" = "linux_vdso,baseline linux_vdso,clock_gettime "
hrun svc-bad "${small[@]}" services=null
check "host: services=null (a kernel service) is warned about" \
	bash -c "grep -q \"^# warning: option 'services=null' names no known service\" $work/svc-bad.csv"
check "host: services=null keeps all rows" test "$(rows_of "$work/svc-bad.csv" | wc -w)" = 6
hrun paths "${small[@]}" paths=linux_syscall
check "host: paths=linux_syscall keeps only its rows" \
	test "$(rows_of "$work/paths.csv")" = "linux_syscall,baseline linux_syscall,getppid "

# make host-run's script: help shows the usage and saves nothing
rm -rf "$work/hr" && mkdir -p "$work/hr"
(cd "$work/hr" && bash "$OLDPWD/scripts/host-run.sh" "$OLDPWD/$bin" help) > "$work/hr.out" 2>&1
echo $? > "$work/hr.rc"
check "host: host-run.sh help exits 0 and prints the usage" \
	bash -c "[ \$(cat $work/hr.rc) = 0 ] && grep -q '^usage: ringtrip-host' $work/hr.out"
check "host: host-run.sh help saves no CSV" \
	test -z "$(ls -A "$work/hr/results/local" 2>/dev/null)"
# ... and a run is saved, whole (it recognises the CSV by its first line)
(cd "$work/hr" && bash "$OLDPWD/scripts/host-run.sh" "$OLDPWD/$bin" "${small[*]}") > "$work/hr-run.out" 2>&1
check "host: host-run.sh saves a run as results/local/latest-host.csv" \
	csv_well_formed "$work/hr/results/local/latest-host.csv"

# the argument handling under AddressSanitizer (a few seconds to build)
asan=$work/ringtrip-host-asan
# shellcheck disable=SC2016  # $(HOST_C) is make's, not the shell's
host_c=$(make -s --no-print-directory --eval 'print-host-c: ; @echo $(HOST_C)' print-host-c)
# shellcheck disable=SC2086  # host_c is a list of files
if gcc -std=gnu11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -I. -Ibuild/gen -o "$asan" $host_c build/host/stubs.o -ldl \
	> "$work/asan-build.log" 2>&1; then
	for args in "help" "cpu=abc" "cpu=-1" "${small[*]} $long600 $long20k services=getppid,x,," \
		    "${small[*]} perf=off" "${small[*]} perf=$long600"; do
		# shellcheck disable=SC2086
		"$asan" $args > /dev/null 2> "$work/asan.err"
		rc=$?
		check "host: ASan/UBSan clean: ${args:0:60} (exit $rc)" bash -c "
			! grep -m3 -E 'AddressSanitizer|runtime error' $work/asan.err &&
			[ $rc -lt 128 ]"
	done
else
	check "host: ASan build" bash -c "tail -5 $work/asan-build.log; false"
fi
