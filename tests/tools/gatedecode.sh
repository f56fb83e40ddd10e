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
