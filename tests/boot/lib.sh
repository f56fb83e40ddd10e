# lib.sh - assertions over a serial capture, for the boot tests.
# Each check prints "PASS name" or "FAIL name: why"; tests/run.sh counts them.

check() {   # check NAME CONDITION-COMMAND... ; the condition's stderr is the reason
	local name=$1
	shift
	local why
	if why=$("$@" 2>&1); then
		echo "PASS $name"
	else
		echo "FAIL $name: ${why:-condition false}"
	fi
}

# The header a capture must carry: the names of bench/csv.h's column table
# (CSV_COLUMNS_X, one X(name, ...) entry a line), in order - the table the
# kernel and host mode make the header and every row from, so there is no
# copy here to keep in step. The literal contract is pinned once, in
# tests/unit/test_csv.c; tests/results/test_columns.py checks this reading
# against the C compiler's. A wrong reading fails csv_well_formed, never
# passes it.
CSV_HEADER=$(sed -n '/^#define CSV_COLUMNS_X(X)/,/[^\\]$/ s/^[[:space:]]*X(\([A-Za-z0-9_]*\),.*/\1/p' \
	"$(dirname "${BASH_SOURCE[0]}")/../../bench/csv.h" | paste -sd, -)

# the rows every path is measured on: its NOP baseline, then the services of
# kernel/abi.h's BENCH_SERVICES list (the one list; nothing here repeats it)
SERVICES="baseline $(sed -n '/^#define BENCH_SERVICES(X)/,/[^\\]$/ s/^[[:space:]]*X(\([a-z0-9_]*\),.*/\1/p' \
	"$(dirname "${BASH_SOURCE[0]}")/../../kernel/abi.h" | paste -sd' ' -)"

data_rows() { grep -v '^#' "$1" | tail -n +2; }          # CSV rows after the header
# each path's main rows: the first row of each (path, service) - the rows of
# the entry-mitigation matrix (bench/mitig.c) repeat services after them
main_rows() { data_rows "$1" | awk -F, '!seen[$1 "," $2]++'; }
# rows_not_ok CSV [PATH]: "path,service: status" of the rows (of PATH) that
# are not ok - except a matrix row of one toggle (profile "toggle") that
# the CPU cannot run: the matrix reports those as unsupported:<why>, never
# runs them
rows_not_ok() {
	awk -F, -v p="${2:-}" '
		/^#/ { next }
		!h { for (i = 1; i <= NF; i++) col[$i] = i; h = 1; next }
		p != "" && $1 != p { next }
		$4 == "ok" { next }
		("profile" in col) && $col["profile"] == "toggle" && $4 ~ /^unsupported:./ { next }
		{ print $1 "," $2 ": " $4 }' "$1"
}
meta() { sed -n "s/^# $2=//p" "$1" | head -1; }           # value of "# key=value"
field() {   # field CSV PATH SERVICE COLUMN
	awk -F, -v p="$2" -v s="$3" -v c="$4" '
		/^#/ { next }
		!h { for (i = 1; i <= NF; i++) col[$i] = i; h = 1; next }
		$1 == p && $2 == s { print $col[c]; exit }' "$1"
}

# the CSV contract (version 2): first line, only '#' or CSV lines, header,
# trailer with the data-row count and the CRC-32 of every line before it
csv_well_formed() {
	local f=$1 cols
	[ "$(head -1 "$f")" = "# ringtrip csv=2" ] || { echo "first line is '$(head -1 "$f")'"; return 1; }
	local header
	header=$(grep -v '^#' "$f" | head -1)
	[ -n "$CSV_HEADER" ] || { echo "no CSV_HEADER: no CSV_COLUMNS_X table read from bench/csv.h"; return 1; }
	[ "$header" = "$CSV_HEADER" ] || { echo "header is '$header', bench/csv.h's CSV_COLUMNS_X says '$CSV_HEADER'"; return 1; }
	cols=$(echo "$header" | awk -F, '{print NF}')
	local bad
	bad=$(grep -v '^#' "$f" | awk -F, -v n="$cols" 'NF != n { print NR": "$0 }' | head -3)
	[ -z "$bad" ] || { echo "rows with the wrong column count: $bad"; return 1; }
	local last rows
	last=$(tail -1 "$f")
	[[ $last =~ ^#\ end\ rows=([0-9]+)\ crc32=([0-9a-f]{8})$ ]] || { echo "last line is '$last', not the trailer"; return 1; }
	rows=$(data_rows "$f" | wc -l)
	[ "${BASH_REMATCH[1]}" -eq "$rows" ] || { echo "trailer says ${BASH_REMATCH[1]} rows, file has $rows"; return 1; }
	trailer_crc_ok "$f"
}

# the trailer's crc32 is the CRC-32 of every line before it, from the first
# line on, each with its '\n' (gzip's own trailer holds the CRC-32 of its
# input: zlib's, little-endian)
trailer_crc_ok() {
	local f=$1 last want got
	last=$(tail -1 "$f")
	[[ $last =~ \ crc32=([0-9a-f]{8})$ ]] || { echo "last line '$last' carries no crc32="; return 1; }
	want=${BASH_REMATCH[1]}
	got=$(head -n -1 "$f" | gzip -c | tail -c 8 | head -c 4 | od -An -tx4 | tr -d ' \n')
	[ "$got" = "$want" ] || { echo "trailer crc32=$want, the lines before it give $got"; return 1; }
}

selftests_all_pass() {
	local f=$1 min=$2 n
	n=$(grep -c '^# selftest .* pass' "$f")
	grep '^# selftest .* fail' "$f" && return 1
	[ "$n" -ge "$min" ] || { echo "only $n self-tests passed, expected at least $min"; return 1; }
}

# every ok row has histogram lines whose counts add up to its samples. A
# row's key is path,service - with "@variant" on the service for a row not
# under the minimal profile: the profile's name, or the toggle set of a
# toggle or custom row (results/ringtrip_csv.py's row_key())
hist_matches_samples() {
	local f=$1
	awk -F, '
		/^# hist / { sub(/^# hist /, ""); key = $1 "," $2
			     for (i = 3; i <= NF; i++) { split($i, kv, ":"); h[key] += kv[2] }; next }
		/^#/ { next }
		!hdr { hdr = 1; for (i = 1; i <= NF; i++) col[$i] = i; next }
		$4 == "ok" { k = $1 "," $2
			     p = ("profile" in col) ? $col["profile"] : ""
			     if (p != "" && p != "-" && p != "minimal")
				k = k "@" ((p == "linux" || p == "windows") ? p : $col["mitigations"])
			     rows[k] = $5 }
		END { for (k in rows) if (h[k] != rows[k]) { print k ": hist " h[k] " samples " rows[k]; bad = 1 }
		      exit bad }' "$f"
}

# boot NAME FIRMWARE CMDLINE: the ISO with that command line under QEMU TCG
# (bios|uefi) -> $work/NAME.csv and the kernel's exit code in $work/NAME.rc
boot() {
	bash scripts/mkiso.sh "$work/$1.iso" "${ELF:-build/ringtrip.elf}" "$3" || { echo 102 > "$work/$1.rc"; return; }
	bash scripts/qemu-boot.sh "$work/$1.iso" "$work/$1.csv" tcg 600 "$2"
	echo $? > "$work/$1.rc"
	rm -f "$work/$1.iso"
}
rc_is() {
	local rc
	rc=$(cat "$work/$1.rc")
	[ "$rc" = "$2" ] || { echo "exit code $rc, expected $2"; tail -5 "$work/$1.csv"; return 1; }
}
