#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Installs everything build, demo, lint and tests need from Debian's archive
# (libelf-dev and libssl-dev: make debug-kernel builds linux-source-6.12),
# then unpacks the guest kernels, amd64 (scripts/amd64-root.sh) and arm64
# (scripts/arm64-root.sh), and the 7.x ones with their Debian 13 build root
# (scripts/trixie-root.sh). No kernel image is installed on the host.
# Idempotent: packages already present are not touched, and apt is not
# asked at all when nothing is missing.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

pkgs="build-essential bc bison flex kmod cpio xz-utils gzip zstd busybox-static
qemu-system-x86 sparse linux-source-6.12 libelf-dev libssl-dev
linux-headers-amd64 linux-headers-6.12-amd64
gcc-aarch64-linux-gnu qemu-system-arm device-tree-compiler dt-schema
acpica-tools mmdebstrap
ndctl daxctl gnuplot-nox python3 procps
dkms dh-dkms debhelper fakeroot openssl python3-docutils python3-sphinx shellcheck yamllint
clang-14 libclang-rt-14-dev llvm-14 stress-ng
e2fsprogs"

updated=
install_missing() {
	local missing='' p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	if [ -z "$updated" ]; then
		apt-get update -qq
		updated=1
	fi
	# No recommends: a kernel image would otherwise pull firmware and bootloaders.
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
}

# shellcheck disable=SC2086
install_missing $pkgs

# The arm64 headers' scripts and tools are amd64 host binaries from the
# linux-kbuild package of the same upstream version. The kbuild package is
# named after the series (6.1) or after the full ABI (6.12.NNN+deb12),
# whichever the installed amd64 headers use: follow what is installed
# rather than naming a version here.
kbuild=
for h in /usr/src/linux-headers-*-amd64; do
	[ -f "$h/Makefile" ] || continue
	v=${h#/usr/src/linux-headers-}
	v=${v%-amd64}
	case "$v" in
	6.1.0-*) kbuild="$kbuild linux-kbuild-6.1" ;;
	*+deb*) kbuild="$kbuild linux-kbuild-$v" ;;
	*) echo "deps: no rule for the kbuild package of $v, skipped" >&2 ;;
	esac
done
# shellcheck disable=SC2046,SC2086
install_missing $(echo $kbuild | tr ' ' '\n' | sort -u)
[ -n "$updated" ] || echo "deps: all present"

# The guest kernels: unpacked into /var/cache/dax_kmem, never installed,
# so the host's /boot and its default kernel stay as they are.
"$top/scripts/amd64-root.sh"
"$top/scripts/arm64-root.sh"
# Debian's newest 7.x kernels and the Debian 13 root that builds for them.
"$top/scripts/trixie-root.sh"
