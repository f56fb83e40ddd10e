#!/usr/bin/env bash
# deps.sh - make sure the tools ringtrip builds, boots and tests with are
# installed. As root on Debian/Ubuntu it installs what is missing with
# apt-get; otherwise it prints the exact command and fails.
set -euo pipefail

pkgs=(gcc make binutils nasm grub-pc-bin grub-common xorriso mtools
      qemu-system-x86 libcmocka-dev gawk bochs bochsbios vgabios python3 gzip
      grub-efi-amd64-bin ovmf kbd)
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
	echo "run:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
