#!/usr/bin/env bash
# host-run.sh BINARY ARGS - what `make host-run` does: run the host-mode
# harness, save its CSV under results/local/, print the table.
set -uo pipefail
bin=$1
mkdir -p results/local
out=results/local/$(date -u +%Y%m%dT%H%M%SZ)-host.csv
echo "ringtrip: host mode on $(uname -sr), args: '${2:-}'"
# shellcheck disable=SC2086
"$bin" ${2:-} > "$out"
rc=$?
cp -f "$out" results/local/latest-host.csv
bash scripts/table.sh "$out"
[ $rc -eq 0 ] && echo "ringtrip: CSV saved to $out (and results/local/latest-host.csv)" \
	      || echo "ringtrip: host run failed (exit $rc); partial CSV in $out"
exit $rc
