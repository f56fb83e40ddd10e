#!/usr/bin/env bash
# gatedecode.sh - build/gatedecode from the shell: the seed document's two
# IDT gates (Windows 10 2004, vectors 0 and 2) decode as the seed decodes
# them, in both of its input forms; bad input is refused with exit 2.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh
g=build/gatedecode

out0=$($g '6b628e00`0010a100' '00000000`fffff801')
check "gatedecode: seed vector 0 handler 0xfffff8016b62a100" grep -q 'offset=0xfffff8016b62a100 ' <<<"$out0"
check "gatedecode: seed vector 0 is a 64-bit interrupt gate (type 0xe), DPL 0, P 1, IST 0" \
	grep -q 'selector=0x0010 ist=0 type=0xe (64-bit interrupt gate) dpl=0 p=1' <<<"$out0"
check "gatedecode: the seed's 'TYPE 6' is the 32-bit reading" grep -q 'legacy-type=6' <<<"$out0"
out2=$(printf '2: 6b628e03`0010a240 00000000`fffff801\n' | $g)
check "gatedecode: seed vector 2 (NMI) from stdin: IST 3, handler 0xfffff8016b62a240" \
	grep -q '^vector=0x02 .*offset=0xfffff8016b62a240 selector=0x0010 ist=3 type=0xe' <<<"$out2"
seg=$($g 0x00af9a000000ffff)
check "gatedecode: a 64-bit code segment" grep -q 'type=0xa (code, execute/read) s=1 dpl=0 p=1 l=1' <<<"$seg"
$g 'zz`0010a100' '00000000`fffff801' >/dev/null 2>"$PWD/build/gd.err"
check "gatedecode: a bad word exits 2 and names it" \
	bash -c "[ $? -eq 2 ] && grep -q 'zz' build/gd.err"

# One descriptor pasted as one argument, or a whole WinDbg `dq` line
# (address, then the two qwords): the words are the same, so the output must
# be byte-for-byte what the two-argument form prints.
same() {   # same GOT WANT
	[ "$1" = "$2" ] || { printf 'got  %s\nwant %s\n' "$1" "$2"; return 1; }
}
ref=$($g '6b628e03`0010a240' '00000000`fffff801' </dev/null)
check "gatedecode: two-argument reference for vector 2: handler 0xfffff8016b62a240, IST 3" \
	grep -q '^raw=0x6b628e030010a240 0x00000000fffff801 offset=0xfffff8016b62a240 selector=0x0010 ist=3 type=0xe' <<<"$ref"
check "gatedecode: one argument, WinDbg pair with backticks" \
	same "$($g '6b628e03`0010a240 00000000`fffff801' </dev/null)" "$ref"
check "gatedecode: one argument, pair without backticks (16 digits / 0x)" \
	same "$($g '6b628e030010a240  0x00000000fffff801' </dev/null)" "$ref"
check "gatedecode: one argument, dq line (address skipped)" \
	same "$($g 'fffff801`6b6a2000  6b628e03`0010a240 00000000`fffff801' </dev/null)" "$ref"
check "gatedecode: one argument, dq line with a bare 16-digit address" \
	same "$($g 'fffff8016b6a2000 6b628e03`0010a240 00000000`fffff801' </dev/null)" "$ref"
check "gatedecode: a dq line as three arguments" \
	same "$($g 'fffff801`6b6a2000' '6b628e03`0010a240' '00000000`fffff801' </dev/null)" "$ref"
dq=$(printf '%s\n' 'fffff801`6b6a2020  6b628e03`0010a240 00000000`fffff801' \
	'2: fffff801`6b6a2020  6b628e03`0010a240 00000000`fffff801' | $g)
check "gatedecode: dq lines on stdin, bare and labelled" \
	same "$dq" "$ref"$'\n'"vector=0x02 $ref"
help=$($g --help)
check "gatedecode: --help names the one-argument pair and the dq line" \
	bash -c "grep -qF \"'LO HI'\" <<<\"\$1\" && grep -qF \"'ADDR LO HI'\" <<<\"\$1\"" _ "$help"

# garbage: exit 2, a message on stderr naming the problem, no crash
refused() {   # refused PATTERN ARGS...  (ARGS empty: the input is on stdin)
	local err rc
	err=$($g "${@:2}" 2>&1 >/dev/null)
	rc=$?
	[ $rc -eq 2 ] || { echo "exit $rc, expected 2 (stderr: $err)"; return 1; }
	grep -qF -- "$1" <<<"$err" || { echo "stderr '$err' lacks '$1'"; return 1; }
}
check "gatedecode: four words in one argument are refused" \
	refused "too many words" '0x1 0x2 0x3 0x4' </dev/null
check "gatedecode: a dq address alone is not a gate (--gate, one word)" \
	refused "needs two words" --gate 'fffff801`6b6a2000' </dev/null
check "gatedecode: non-hex in a pasted pair is refused" \
	refused "bad word" '6b628e03`0010a24g 00000000`fffff801' </dev/null
check "gatedecode: a qword over 64 bits is refused" \
	refused "wider than 64 bits" '6b628e030010a2400 00000000`fffff801' </dev/null
check "gatedecode: an empty argument is refused" refused "empty argument" ' ' </dev/null
check "gatedecode: empty stdin is refused" refused "no descriptor" < <(printf '\n# only a comment\n')
check "gatedecode: a four-word line on stdin is refused with its line number" \
	refused "line 1: too many words" < <(echo 'fffff801`6b6a2000 0x1 0x2 0x3')
