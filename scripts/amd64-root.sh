#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# amd64-root.sh: unpacks the guest kernels for the amd64 VM scenarios into
# a private root (boot/vmlinuz-KVER, lib/modules/KVER), one per installed
# Debian amd64 headers tree, newest ABI of each series. Installing a
# linux-image package instead would run update-initramfs and update-grub,
# and a 6.12 image would become the host's default kernel at its next boot.
#
# Idempotent: an image already unpacked is not fetched again. Prints the
# paths. Environment: DAX_KMEM_AMD64_CACHE (default /var/cache/dax_kmem/amd64).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${DAX_KMEM_AMD64_CACHE:-/var/cache/dax_kmem/amd64}
debs=$cache/debs
stamps=$cache/stamps
root=$cache/root

die() { echo "amd64-root: $*" >&2; exit 1; }

mkdir -p "$debs" "$stamps" "$root" || die "cannot create $cache"
exec 9> "$cache/.lock"
flock 9

kvers=$("$top/scripts/kernels.sh" --headers)
[ -n "$kvers" ] || die "no Debian amd64 headers installed; run scripts/deps.sh"

updated=
for kver in $kvers; do
	pkg=linux-image-$kver-unsigned
	stamp=$stamps/$pkg
	if [ -e "$stamp" ] && [ -f "$root/boot/vmlinuz-$kver" ]; then
		continue
	fi
	deb=$(ls -v "$debs/${pkg}"_*.deb 2>/dev/null | tail -n 1)
	if [ -z "$deb" ]; then
		if [ -z "$updated" ] && ! apt-cache show "$pkg" > /dev/null 2>&1; then
			apt-get update -qq || die "apt-get update failed"
			updated=1
		fi
		echo "amd64-root: downloading $pkg (not installed: unpacked into $root)"
		# apt's sandbox user cannot write to the root-owned cache; the
		# warning about that says nothing about the download.
		(cd "$debs" && apt-get download -q "$pkg" 2>&1 |
			grep -v 'unsandboxed as root' >&2) || true
		deb=$(ls -v "$debs/${pkg}"_*.deb 2>/dev/null | tail -n 1)
		[ -n "$deb" ] || die "apt-get download $pkg failed"
	fi
	echo "amd64-root: unpacking $(basename "$deb")"
	rm -f "$stamp"
	# A download cut short would fail here at every later run: drop it.
	dpkg -x "$deb" "$root" || { rm -f "$deb"; die "dpkg -x $deb failed (removed; run again)"; }
	[ -f "$root/boot/vmlinuz-$kver" ] || die "$(basename "$deb") has no /boot/vmlinuz-$kver"
	# The package's postinst would run depmod; modprobe -d needs modules.dep.
	depmod -b "$root" "$kver" || die "depmod for $kver failed"
	: > "$stamp"
done

for kver in $kvers; do
	echo "amd64-root: $kver image   $root/boot/vmlinuz-$kver"
	echo "amd64-root: $kver modules $root/lib/modules/$kver"
done
