#!/usr/bin/env bash
# fresh-debian.sh REPO COMMAND - run COMMAND (a bash command line) as root in
# a brand-new Debian 12 root: `debootstrap --variant=minbase bookworm` plus
# git and make, nothing else, with REPO's HEAD cloned at /root/ringtrip and
# COMMAND run there. This is what a new user has, and so what .ci/run proves
# the README's commands on: a package the build needs but deps.sh forgets
# fails here, however well stocked the machine running it is.
#
# The minbase root is built once per machine and kept as a tarball under
# /var/cache/ringtrip (RINGTRIP_ROOT_CACHE); every run unpacks a fresh copy.
# The mirror is the machine's own apt source, never a host spelled here.
set -euo pipefail
repo=$(realpath "$1") cmd=$2
cache=${RINGTRIP_ROOT_CACHE:-/var/cache/ringtrip}
base=$cache/bookworm-minbase.tar.gz

die() { echo "fresh-debian: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mounts)"

# the first Debian archive URI in this machine's apt sources (deb822 .sources
# or one-line sources.list) that serves bookworm and is not the security one
mirror() {
	{
		awk '/^URIs:/ { uri = $2 } /^Suites:/ { if ($0 ~ /bookworm( |$)/) print uri }' \
			/etc/apt/sources.list.d/*.sources 2>/dev/null || true
		awk '$1 == "deb" && $0 ~ / bookworm / { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; break } }' \
			/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
	} | grep -v -- '-security' | head -1 || true
}

if [ ! -s "$base" ]; then
	command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"
	url=$(mirror)
	[ -n "$url" ] || die "no bookworm archive in /etc/apt/sources*; cannot debootstrap"
	echo "fresh-debian: debootstrap --variant=minbase bookworm from $url (cached in $base)"
	mkdir -p "$cache"
	tmp=$(mktemp -d /var/tmp/ringtrip-debootstrap.XXXXXX)
	if ! debootstrap --variant=minbase bookworm "$tmp" "$url" >"$tmp.log" 2>&1; then
		tail -20 "$tmp.log" >&2
		rm -rf "$tmp" "$tmp.log"
		die "debootstrap failed"
	fi
	rm -f "$tmp.log" "$tmp"/var/cache/apt/archives/*.deb
	tar -C "$tmp" -czf "$base.tmp" . && mv "$base.tmp" "$base"
	rm -rf "$tmp"
fi

root=$(mktemp -d /var/tmp/ringtrip-root.XXXXXX)
cleanup() {
	for m in mnt/src sys proc dev; do
		mountpoint -q "$root/$m" 2>/dev/null && umount -R "$root/$m" 2>/dev/null
	done
	# only delete once nothing is mounted: never rm -rf through a bind mount
	if ! grep -q " $root/" /proc/mounts; then rm -rf "$root"; fi
}
trap cleanup EXIT
tar -C "$root" -xzf "$base"
chmod 755 "$root"    # the tarball's "." came from mktemp (0700); apt's _apt user must get in
cp /etc/resolv.conf "$root/etc/resolv.conf"
# a chroot has no init: package scripts must not try to start services
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mkdir -p "$root/mnt/src"
mount --bind "$repo" "$root/mnt/src"
mount -o remount,bind,ro "$root/mnt/src"

in_root() {
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive /bin/bash -c "$1"
}
echo "fresh-debian: adding git and make to the fresh root"
in_root 'apt-get update -qq && apt-get install -y -qq --no-install-recommends git make >/dev/null' \
	|| die "apt-get could not install git and make in the fresh root"
in_root 'git config --global --add safe.directory "*" && git clone -q /mnt/src /root/ringtrip' \
	|| die "git clone of $repo failed"
echo "fresh-debian: in /root/ringtrip ($(git -C "$repo" rev-parse --short HEAD)): $cmd"
in_root "cd /root/ringtrip && $cmd"
