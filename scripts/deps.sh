#!/usr/bin/env bash
# deps.sh - make sure everything `make run` and `make test` use is installed.
# As root on Debian/Ubuntu it installs what is missing with apt-get;
# otherwise it prints the exact command and fails. .ci/run proves this list
# on a brand-new `debootstrap --variant=minbase` Debian 12 root, so a package
# that only happens to be on a developer's machine cannot hide here.
# `deps.sh PKG...` does the same for a caller's own list instead
# (scripts/bochs-fred.sh: what building Bochs needs).
set -euo pipefail

# Each package with what of it the build or the tests use. --no-install-
# recommends is used below, so every file we read must come from a package
# named here, not from one that is merely recommended.
pkgs=(
	gcc libc6-dev          # kernel and host tools; libc6-dev: stdint.h etc. for host builds
	make binutils nasm     # ld, objcopy, strings; the entry stubs
	grub-common            # grub-file, grub-mkrescue
	grub-pc-bin            # BIOS GRUB modules for the hybrid ISO
	grub-efi-amd64-bin     # UEFI GRUB modules
	xorriso mtools         # grub-mkrescue's ISO and EFI image writers
	console-setup-linux    # /usr/share/consolefonts/Lat15-VGA16.psf.gz (the framebuffer font)
	gzip gawk              # zcat of the font; the boot tests' CSV checks
	qemu-system-x86        # make run, the boot tests
	ovmf                   # /usr/share/ovmf/OVMF.fd: the UEFI boot test
	bochs bochsbios vgabios # Intel CPU models: PCID, 64-bit SYSENTER
	libcmocka-dev          # host unit tests
	python3                # results/compare, results/plot, the QEMU monitor helper
	python3-pandas         # results/ringtrip_csv.py's DataFrame loader and its tests
	python3-matplotlib     # results/plot
	python3-scipy          # results/compare: Mann-Whitney U (its own fallback is checked against it)
	util-linux             # taskset, unshare (host mode, the Bochs tests)
	zbar-tools             # zbarimg: reads the QR results screen back (unit and boot tests)
	qrencode               # a second QR encoder: test_qr compares capacities with it
)
[ $# -gt 0 ] && pkgs=("$@")
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
		|| missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "ringtrip needs: ${missing[*]} (Debian package names); install them with your package manager" >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "ringtrip needs these packages: ${missing[*]}" >&2
	echo "run:  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
