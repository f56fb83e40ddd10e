#!/usr/bin/env bash
# entries.sh - every GRUB menu entry and every path on its own boots to a
# complete CSV. The menu entries are read from grub.cfg and the path names
# from the kernel's own `help`, so a new entry or path is tested without
# anyone remembering to add it here. QEMU TCG with -icount (BIOS; one
# entry also under UEFI, where grub.cfg picks the framebuffer kernel), and
# Bochs for the paths TCG cannot run. Nothing here is about time.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh

work=build/boot-tests/entries
rm -rf "$work"
mkdir -p "$work"
# small counts first: an entry's own options come after them and win
SMALL="clock=icount iterations=300 warmup=30 repeat=1"

# --- the menu entries ------------------------------------------------------
# entry I of grub.cfg as the default, no timeout, SMALL in front of its options
menu_cfg() {
	sed -e 's/^set timeout=.*/set timeout=0/' -e "s/^set default=.*/set default=$1/" \
	    -e "s/multiboot2 \$kernel/multiboot2 \$kernel $SMALL/" grub.cfg
}
mapfile -t titles < <(sed -n 's/^menuentry "\(.*\)" {$/\1/p' grub.cfg)
mapfile -t entry_args < <(awk '/^menuentry /{ m = 1 } m && /multiboot2 \$kernel/ {
	sub(/.*multiboot2 \$kernel ?/, ""); print; m = 0 }' grub.cfg)
check "menu: grub.cfg has entries, each with one multiboot2 line" \
	bash -c "[ ${#titles[@]} -gt 0 ] && [ ${#titles[@]} -eq ${#entry_args[@]} ]"

# boot_menu NAME INDEX FIRMWARE: grub.cfg's entry INDEX -> $work/NAME.{csv,rc}
boot_menu() {
	menu_cfg "$2" > "$work/$1.cfg"
	if ! grep -q "multiboot2 \$kernel $SMALL" "$work/$1.cfg" ||
	   ! grep -q "^set default=$2$" "$work/$1.cfg"; then
		echo 103 > "$work/$1.rc"     # grub.cfg's shape changed: see menu_cfg
		return
	fi
	GRUB_CFG=$work/$1.cfg bash scripts/mkiso.sh "$work/$1.iso" build/ringtrip.elf ||
		{ echo 102 > "$work/$1.rc"; return; }
	bash scripts/qemu-boot.sh "$work/$1.iso" "$work/$1.csv" tcg 600 "$3" 2>/dev/null
	echo $? > "$work/$1.rc"
	rm -f "$work/$1.iso"
}

# two boots at a time (the machine has two cores; each QEMU uses one)
jobs_max=2
run_bg() {
	while [ "$(jobs -rp | wc -l)" -ge $jobs_max ]; do wait -n; done
	"$@" &
}

for i in "${!titles[@]}"; do
	run_bg boot_menu "menu$i" "$i" bios
done
run_bg boot_menu menu-uefi 1 uefi      # the quick run, through grub.cfg's efi branch

# rows_ok_or_why CSV: every row's status is ok or unsupported:<why>
rows_ok_or_why() {
	local bad
	bad=$(data_rows "$1" | awk -F, '$4 != "ok" && $4 !~ /^unsupported:./')
	[ -z "$bad" ] || { echo "rows neither ok nor unsupported: $bad"; return 1; }
}
# rows_all_ok CSV: it has rows, and every one is ok
rows_all_ok() {
	local bad
	[ -n "$(data_rows "$1")" ] || { echo "no rows"; return 1; }
	bad=$(rows_not_ok "$1")
	[ -z "$bad" ] || { echo "rows not ok: $bad"; return 1; }
}
uefi_framebuffer_csv() {
	csv_well_formed "$1" && grep -q '^# framebuffer=rgb' "$1"
}

# paths_of CSV: the path column of its rows, sorted and unique
paths_of() { data_rows "$1" | cut -d, -f1 | sort -u | tr '\n' ' ' | sed 's/ $//'; }
# the names in a paths= option, sorted (all of them when there is none)
wanted_paths() {
	local p
	p=$(printf '%s\n' "$1" | tr ' ' '\n' | sed -n 's/^paths=//p' | tail -1)
	[ -n "$p" ] && printf '%s\n' "$p" | tr ',' '\n' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

check_menu() {   # NAME TITLE ARGS
	local f=$work/$1.csv what="menu '$2'"
	case " $3 " in
	*" help "*)
		check "$what: exits 0" rc_is "$1" 0
		check "$what: lists the options and the path names" \
			bash -c "grep -q '^# help: .*iterations=' '$f' && grep -q '^# help: paths: ' '$f'"
		check "$what: ends with a trailer of no rows" \
			grep -qE '^# end rows=0 crc32=[0-9a-f]{8}$' <(tail -n 1 "$f")
		;;
	*" exit=reboot "*)
		# QEMU runs with -no-reboot: the reset ends it without the kernel's code
		check "$what: resets after a complete CSV" rc_is "$1" 101
		check "$what: complete CSV" csv_well_formed "$f"
		check "$what: every self-test passes" selftests_all_pass "$f" 10
		;;
	*)
		check "$what: exits 0" rc_is "$1" 0
		check "$what: complete CSV" csv_well_formed "$f"
		check "$what: every self-test passes" selftests_all_pass "$f" 10
		local want
		want=$(wanted_paths "$3")
		[ -n "$want" ] && check "$what: rows for exactly its paths ($want)" \
			test "$(paths_of "$f")" = "$want"
		;;
	esac
}

# --- every path alone ------------------------------------------------------
# the names come from the kernel: a help boot prints its path table
boot help bios "help"
read -r -a all_paths < <(sed -n 's/^# help: paths: //p' "$work/help.csv")
check "paths: the kernel's help lists its paths" test ${#all_paths[@]} -ge 10

for p in "${all_paths[@]}"; do
	run_bg boot "path-$p" bios "$SMALL paths=$p"       # lib.sh
done

# Bochs (Intel model) for what TCG reports as unsupported
bochs_path() {   # PATH
	bash scripts/mkiso.sh "$work/bochs-$1.iso" build/ringtrip.elf "$SMALL paths=$1 exit=bochs" &&
		bash scripts/bochs-boot.sh "$work/bochs-$1.iso" "$work/bochs-$1.csv" tigerlake 600 2>/dev/null
	echo $? > "$work/bochs-$1.rc"
	rm -f "$work/bochs-$1.iso"
}
BOCHS_ONLY="shadow_pcid sysenter"
for p in $BOCHS_ONLY; do
	run_bg bochs_path "$p"
done
wait

for i in "${!titles[@]}"; do
	check_menu "menu$i" "${titles[$i]}" "${entry_args[$i]}"
done
check "menu '${titles[1]}' under UEFI: exits 0" rc_is menu-uefi 0
check "menu '${titles[1]}' under UEFI: complete CSV from the framebuffer kernel" \
	uefi_framebuffer_csv "$work/menu-uefi.csv"

for p in "${all_paths[@]}"; do
	f=$work/path-$p.csv
	check "paths=$p alone: exits 0" rc_is "path-$p" 0
	check "paths=$p alone: complete CSV" csv_well_formed "$f"
	check "paths=$p alone: every self-test passes" selftests_all_pass "$f" 10
	check "paths=$p alone: rows for $p only" test "$(paths_of "$f")" = "$p"
	check "paths=$p alone: its rows say ok or why not" rows_ok_or_why "$f"
done
for p in $BOCHS_ONLY; do
	f=$work/bochs-$p.csv
	check "paths=$p alone on Bochs: the kernel ended the run" rc_is "bochs-$p" 0
	check "paths=$p alone on Bochs: complete CSV" csv_well_formed "$f"
	check "paths=$p alone on Bochs: every self-test passes" selftests_all_pass "$f" 10
	check "paths=$p alone on Bochs: every row is ok" rows_all_ok "$f"
done

# grub.cfg offers every path the kernel lists, alone or in a group entry
menu_paths=$(printf '%s\n' "${entry_args[@]}" | tr ' ' '\n' | sed -n 's/^paths=//p' | tr ',' '\n' | sort -u)
for p in "${all_paths[@]}"; do
	check "menu: grub.cfg has an entry that runs $p" grep -qx "$p" <(printf '%s\n' "$menu_paths")
done

# the README's path tables describe every path the kernel lists, and the
# help says what each one mirrors (its declaration's PATH_MIRRORS)
for p in "${all_paths[@]}"; do
	check "README: the path tables have a row for $p" grep -q "^| \`$p\` |" README.md
	check "help: says what $p mirrors" grep -q "^# help:   $p: ." "$work/help.csv"
done
