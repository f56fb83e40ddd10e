#!/usr/bin/env bash
# accel.sh [ACCEL] - print kvm or tcg, and on stderr why.
# /dev/kvm alone proves nothing: under PVM (a software hypervisor) it exists
# but runs guest Ring 0 in hardware Ring 3, where sysretq, swapgs and
# mov cr3 fault. So KVM only with vmx/svm in /proc/cpuinfo and an openable
# /dev/kvm; otherwise TCG with -icount shift=0 (instruction counts).
want=${1:-}
if [ -n "$want" ]; then
	case $want in
		kvm|tcg) echo "$want"; echo "accel: $want (ACCEL=$want)" >&2; exit 0 ;;
		*) echo "accel: ACCEL must be kvm or tcg, not '$want'" >&2; exit 1 ;;
	esac
fi
if grep -qwE 'vmx|svm' /proc/cpuinfo 2>/dev/null && { exec 3<>/dev/kvm; } 2>/dev/null; then
	echo kvm
	echo "accel: kvm (hardware virtualization: numbers are TSC ticks on this CPU)" >&2
else
	echo tcg
	echo "accel: tcg with -icount shift=0 (no vmx/svm here: numbers are instruction counts, not time)" >&2
fi
