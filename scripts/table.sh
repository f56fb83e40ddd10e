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
/^# (profile|mitigations)=/ { sub(/^# /, "  "); print; next }
/^path,/ { for (i = 1; i <= NF; i++) col[$i] = i; hdr = 1
	   printf "\n  %-14s %-12s %-4s %-16s %9s %9s %9s %9s %9s\n", "path", "service", "args", "status", "min", "median", "mean", "p99", "max"; next }
# the main rows: the first of each (path, service); the rest is the entry
# mitigations matrix, summarised below
hdr && !seen[$1 "," $2]++ {
	printf "  %-14s %-12s %-4s %-16s %9s %9s %9s %9s %9s\n", $col["path"], $col["service"], $col["args"], $col["status"], $col["min"], $col["median"], $col["mean"], $col["p99"], $col["max"]
}
hdr && ("profile" in col) && $col["service"] == "null" {
	p = $col["path"]; pr = $col["profile"]; v = $col["status"] == "ok" ? $col["median"] : "-"
	if (!(p in known)) { known[p] = 1; order[++np] = p }
	if (pr == "toggle") { tog[p, $col["mitigations"]] = v; if (!($col["mitigations"] in tseen)) { tseen[$col["mitigations"]] = 1; tname[++nt] = $col["mitigations"] } }
	else if (!((p, pr) in prof)) prof[p, pr] = v
}
END {
	if (nt) {
		printf "\n  null under each profile (minimal: the crossing and the dispatcher alone):\n"
		printf "  %-14s %9s %9s %9s\n", "path", "minimal", "linux", "windows"
		for (i = 1; i <= np; i++) {
			p = order[i]
			printf "  %-14s %9s %9s %9s\n", p, prof[p, "minimal"], prof[p, "linux"], prof[p, "windows"]
		}
		printf "\n  what each toggle alone adds to minimal null (- where this CPU cannot run it):\n  %-14s", "path"
		for (t = 1; t <= nt; t++) printf " %s", tname[t]
		printf "\n"
		for (i = 1; i <= np; i++) {
			p = order[i]; printf "  %-14s", p
			for (t = 1; t <= nt; t++) {
				v = tog[p, tname[t]]; b = prof[p, "minimal"]
				cell = (v == "-" || b == "-" || v == "") ? "-" : sprintf("%+d", v - b)
				printf " %*s", length(tname[t]), cell
			}
			printf "\n"
		}
	}
	printf "\n  self-tests: %d run, %d failed\n", n, bad
}
' "$f"
clock=$(sed -n 's/^# clock=//p' "$f")
[ "$clock" = icount ] && echo "  (clock=icount: every number is a count of guest instructions, not time)"
exit 0
