#!/usr/bin/env bash
# table.sh CSV - the capture as a table people can read: metadata, self-test
# summary, and the rows with the columns that matter.
f=$1
[ -s "$f" ] || { echo "table: $f is empty" >&2; exit 1; }
awk -F, '
/^# (cpu_brand|hypervisor|clock|iterations|warmup|overhead_tsc)=/ { sub(/^# /, "  "); print; next }
/^# warning/ { print "  " substr($0, 3); next }
/^# dump / { print "  " substr($0, 3); next }
/^# help:/ { print "  " substr($0, 3); next }
/^# panic|^# error/ { print "  " substr($0, 3); next }
/^# selftest / { n++; if ($0 ~ / fail/) { bad++; print "  " substr($0, 3) } ; next }
/^#/ { next }
/^path,/ { for (i = 1; i <= NF; i++) col[$i] = i; hdr = 1
	   printf "\n  %-14s %-12s %-4s %-16s %9s %9s %9s %9s %9s\n", "path", "service", "args", "status", "min", "median", "mean", "p99", "max"; next }
hdr { printf "  %-14s %-12s %-4s %-16s %9s %9s %9s %9s %9s\n", $col["path"], $col["service"], $col["args"], $col["status"], $col["min"], $col["median"], $col["mean"], $col["p99"], $col["max"] }
END { printf "\n  self-tests: %d run, %d failed\n", n, bad }
' "$f"
clock=$(sed -n 's/^# clock=//p' "$f")
[ "$clock" = icount ] && echo "  (clock=icount: every number is a count of guest instructions, not time)"
exit 0
