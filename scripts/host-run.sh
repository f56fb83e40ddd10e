#!/usr/bin/env bash
# host-run.sh BINARY ARGS - what `make host-run` does: run the host-mode
# harness, save its CSV under results/local/, print the table. `help`
# (or an argument the program refuses) saves nothing: its output is shown
# and its exit status returned.
set -uo pipefail
bin=$1
mkdir -p results/local
out=results/local/$(date -u +%Y%m%dT%H%M%SZ)-host.csv
tmp=$out.part
trap 'rm -f "$tmp"' EXIT
read -ra args <<< "${2:-}"          # split on blanks, no globbing
case " ${args[*]:-} " in
*" help "*|*" --help "*|*" -h "*) ;;
*) echo "ringtrip: host mode on $(uname -sr), args: '${2:-}'" ;;
esac
"$bin" ${args[@]+"${args[@]}"} > "$tmp"
rc=$?
if [[ "$(head -1 "$tmp")" != "# ringtrip csv="* ]]; then
	cat "$tmp"                  # the usage, or nothing after a refusal
	[ $rc -eq 0 ] || echo "ringtrip: host run refused its arguments (exit $rc); nothing saved"
	exit $rc
fi
mv "$tmp" "$out"
cp -f "$out" results/local/latest-host.csv
bash scripts/table.sh "$out"
[ $rc -eq 0 ] && echo "ringtrip: CSV saved to $out (and results/local/latest-host.csv)" \
	      || echo "ringtrip: host run failed (exit $rc); partial CSV in $out"
exit $rc
