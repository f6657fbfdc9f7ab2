#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Installs everything build, demo, lint and tests need from Debian's archive.
# Idempotent: packages already present are not touched, and apt is not
# asked at all when nothing is missing.
set -e
pkgs="build-essential bc bison flex kmod cpio xz-utils gzip busybox-static
qemu-system-x86 sparse linux-source-6.12
linux-image-amd64 linux-headers-amd64
linux-image-6.12-amd64 linux-headers-6.12-amd64"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps: all present"
	exit 0
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# No recommends: a kernel image would otherwise pull firmware and bootloaders.
apt-get install -y -qq --no-install-recommends $missing
