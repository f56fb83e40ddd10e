#!/usr/bin/env bash
# mkiso.sh OUT.iso KERNEL.elf [CMDLINE]
# Without CMDLINE: the distributable ISO with grub.cfg's menu (or the menu
# file GRUB_CFG names: the boot tests' copy with one entry as the default).
# With CMDLINE (even empty): a one-entry ISO that boots at once with that
# command line - what make run and the tests boot.
# The ISO boots through BIOS (grub-pc-bin) and UEFI (grub-efi-amd64-bin) and
# carries both kernels; GRUB picks ringtrip-efi.elf (framebuffer) under UEFI
# and ringtrip.elf (VGA text) under BIOS. KERNEL-efi.elf must sit beside
# KERNEL.elf.
set -euo pipefail
out=$1 elf=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$elf" "$dir/boot/ringtrip.elf"
cp "${elf%.elf}-efi.elf" "$dir/boot/ringtrip-efi.elf"
if [ $# -ge 3 ]; then
	# GRUB script quoting (issue 9). The command line is split into words at
	# blanks (GRUB passes multiboot2's arguments on joined by one space, and
	# would wrap a word that contains a space in double quotes), and each word
	# goes into grub.cfg single-quoted: inside '...' GRUB 2.06 expands
	# nothing - ; $ ` | & # { } are literal - and a ' is written '\''.
	# What GRUB cannot pass verbatim: its multiboot2 loader hands ' " \ to
	# the kernel with a backslash in front (x'y arrives as x\'y); run.sh
	# refuses those. Globbing is off for the split: a * stays a *.
	gq() { local q="'\\''"; printf "'%s'" "${1//\'/$q}"; }
	set -f
	# shellcheck disable=SC2206  # the split is the point
	words=($3)
	set +f
	args=""
	for w in ${words[@]+"${words[@]}"}; do
		args+=" $(gq "$w")"
	done
	cat > "$dir/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
if [ "\$grub_platform" = "efi" ]; then
	insmod all_video
	set kernel=/boot/ringtrip-efi.elf
else
	set kernel=/boot/ringtrip.elf
fi
menuentry $(gq "ringtrip${args:+ ${words[*]}}") {
	multiboot2 \$kernel$args
	boot
}
CFG
else
	cp "${GRUB_CFG:-grub.cfg}" "$dir/boot/grub/grub.cfg"
fi
mkdir -p "$(dirname "$out")"
grub-mkrescue -o "$out" "$dir" >"$dir.log" 2>&1 || { cat "$dir.log" >&2; rm -f "$dir.log"; exit 1; }
rm -f "$dir.log"
