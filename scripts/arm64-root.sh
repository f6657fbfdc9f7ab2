#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arm64-root.sh: unpacks Debian's arm64 kernels, their headers and an arm64
# busybox into a private root, for cross-building dax_kmem.ko and booting it
# under qemu-system-aarch64. Nothing is installed on the host: an arm64
# kernel package would want an arm64 userland to configure it.
#
# One flavour per installed amd64 kernel (same ABI), so amd64 and arm64 test
# the same kernel source. The root lives outside the repository so that
# clean clones and `make clean` reuse it. apt runs with a private
# configuration in the cache (the host's Debian 12 sources, for arm64):
# the host's dpkg gets no foreign architecture. Idempotent: packages
# already unpacked are not fetched again, and apt-get update runs only
# when a package has to be fetched that the private lists do not know.
#
# Environment: DAX_KMEM_ARM64_CACHE (default /var/cache/dax_kmem/arm64).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${DAX_KMEM_ARM64_CACHE:-/var/cache/dax_kmem/arm64}
debs=$cache/debs
stamps=$cache/stamps
root=$cache/root

die() { echo "arm64-root: $*" >&2; exit 1; }

mkdir -p "$debs" "$stamps" "$root" || die "cannot create $cache"
# Two `make deps` at once would unpack over each other.
exec 9> "$cache/.lock"
flock 9

vers=$("$top/scripts/kernels.sh" | sed 's/-amd64$//')
[ -n "$vers" ] || die "no Debian amd64 kernel installed to match; run scripts/deps.sh"

aptdir=$cache/apt
mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial" || die "cannot create $aptdir"
"$top/scripts/debian-sources.sh" | sed 's/^deb /deb [arch=arm64] /' > "$aptdir/sources.list.new"
[ -s "$aptdir/sources.list.new" ] || die "no Debian 12 archive in the host's apt sources"
cmp -s "$aptdir/sources.list.new" "$aptdir/sources.list" ||
	{ mv "$aptdir/sources.list.new" "$aptdir/sources.list"; rm -rf "$aptdir/lists"/*; }
rm -f "$aptdir/sources.list.new"
apt_opts=(-o "Dir::Etc::sourcelist=$aptdir/sources.list" -o Dir::Etc::sourceparts=-
	-o "Dir::State::Lists=$aptdir/lists" -o "Dir::Cache=$aptdir/cache"
	-o Dir::State::status=/dev/null -o APT::Architectures::=arm64
	-o APT::Architecture=arm64 -o Debug::NoLocking=1)
updated=

# fetch PKG: sets $deb to PKG's .deb in the cache, downloading it first when
# there is none. PKG may carry an :arch qualifier. Not for $(...): it must be
# able to record that apt-get update ran.
fetch() {
	local pkg=$1 name=${1%%:*}
	deb=$(ls -v "$debs/${name}"_*.deb 2>/dev/null | tail -n 1)
	if [ -z "$deb" ]; then
		if [ -z "$updated" ] && ! apt-cache "${apt_opts[@]}" show "$pkg" > /dev/null 2>&1; then
			echo "arm64-root: apt-get update (private arm64 lists in $aptdir)"
			apt-get "${apt_opts[@]}" update -qq || die "apt-get update failed"
			updated=1
		fi
		# apt's sandbox user cannot write to the root-owned cache; the
		# warning about that says nothing about the download.
		echo "arm64-root: downloading $pkg"
		(cd "$debs" && apt-get "${apt_opts[@]}" download -q "$pkg" 2>&1 |
			grep -v 'unsandboxed as root' >&2) || true
		deb=$(ls -v "$debs/${name}"_*.deb 2>/dev/null | tail -n 1)
		[ -n "$deb" ] || die "apt-get download $pkg failed"
	fi
}

# unpack PKG FILE: dpkg -x PKG into the root unless FILE (a path inside the
# root that PKG ships) is there and the last unpack of PKG completed.
unpack() {
	local pkg=$1 file=$2 stamp=$stamps/${1%%:*}
	[ -e "$root/$file" ] && [ -e "$stamp" ] && return 0
	fetch "$pkg"
	echo "arm64-root: unpacking $(basename "$deb")"
	rm -f "$stamp"
	dpkg -x "$deb" "$root" || die "dpkg -x $deb failed"
	[ -e "$root/$file" ] || die "$(basename "$deb") has no /$file"
	: > "$stamp"
}

status=0
for v in $vers; do
	kver=$v-arm64
	hdr=usr/src/linux-headers-$kver
	unpack "linux-image-$kver-unsigned:arm64" "boot/vmlinuz-$kver"
	unpack "linux-headers-$kver:arm64" "$hdr/Makefile"

	# The arch-independent half of the headers: ask the package which one
	# it needs instead of guessing the name.
	fetch "linux-headers-$kver:arm64"
	common=$(dpkg-deb -f "$deb" Depends |
		tr ',' '\n' | sed -n 's/^ *\(linux-headers-[^ ]*-common\).*/\1/p' | head -n 1)
	[ -n "$common" ] || die "linux-headers-$kver names no -common package"
	unpack "$common" "usr/src/$common/Makefile"

	# The headers' Makefile is one line including the -common Makefile by
	# absolute path, which would build against the host's amd64 tree.
	sed -i "s|^include /usr/src/|include $root/usr/src/|" "$root/$hdr/Makefile"

	# scripts and tools are relative links to ../../lib/linux-kbuild-*,
	# i.e. into the root; the host programs there must be amd64, so they
	# come from the host's linux-kbuild package of the same version.
	link=$(readlink "$root/$hdr/scripts")
	kbuild=$(basename "$(dirname "$link")")
	if [ ! -d "/usr/lib/$kbuild" ]; then
		echo "arm64-root: /usr/lib/$kbuild missing: install $kbuild (scripts/deps.sh)" >&2
		status=1
		continue
	fi
	mkdir -p "$root/usr/lib"
	[ "$(readlink "$root/usr/lib/$kbuild")" = "/usr/lib/$kbuild" ] ||
		ln -sfn "/usr/lib/$kbuild" "$root/usr/lib/$kbuild"
	[ -x "$root/$hdr/scripts/basic/fixdep" ] || die "$root/$hdr/scripts does not resolve"

	# The package's postinst would run depmod; modprobe -d needs modules.dep.
	if [ ! -s "$root/lib/modules/$kver/modules.dep" ]; then
		depmod -b "$root" "$kver" || die "depmod for $kver failed"
	fi
done
unpack busybox-static:arm64 bin/busybox

echo "arm64-root: root $root"
for v in $vers; do
	kver=$v-arm64
	echo "arm64-root: $kver image   $root/boot/vmlinuz-$kver"
	echo "arm64-root: $kver config  $root/boot/config-$kver"
	echo "arm64-root: $kver headers $root/usr/src/linux-headers-$kver"
	echo "arm64-root: $kver modules $root/lib/modules/$kver"
done
echo "arm64-root: busybox $root/bin/busybox"
exit $status
