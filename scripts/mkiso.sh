#!/usr/bin/env bash
# mkiso.sh OUT.iso KERNEL.elf [CMDLINE]
# Without CMDLINE: the distributable ISO with grub.cfg's menu.
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
	cat > "$dir/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
if [ "\$grub_platform" = "efi" ]; then
	insmod all_video
	set kernel=/boot/ringtrip-efi.elf
else
	set kernel=/boot/ringtrip.elf
fi
menuentry "ringtrip $3" {
	multiboot2 \$kernel $3
	boot
}
CFG
else
	cp grub.cfg "$dir/boot/grub/grub.cfg"
fi
mkdir -p "$(dirname "$out")"
grub-mkrescue -o "$out" "$dir" >"$dir.log" 2>&1 || { cat "$dir.log" >&2; rm -f "$dir.log"; exit 1; }
rm -f "$dir.log"
