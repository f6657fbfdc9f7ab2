#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/system/image.sh: a small Debian 12 system (systemd, udev, kmod,
# Debian's 6.1 kernel and its headers, dkms) as an ext4 disk image, built
# with mmdebstrap from the host's Debian mirror and cached in
# /var/cache/dax_kmem/system (DAX_KMEM_SYSTEM_CACHE): rootfs.img, and the
# image's own vmlinuz and initrd.img for QEMU's -kernel/-initrd. Rebuilt
# only when this script changes. Nothing on the host is installed.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${DAX_KMEM_SYSTEM_CACHE:-/var/cache/dax_kmem/system}
key=$(sha256sum "$0" | cut -c1-16)
if [ -f "$cache/key" ] && [ "$(cat "$cache/key")" = "$key" ] && [ -f "$cache/rootfs.img" ]; then
	echo "system image: cached ($cache)"
	exit 0
fi
command -v mmdebstrap >/dev/null || { echo "system image: mmdebstrap missing (make deps)" >&2; exit 2; }
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
mirror=${mirror:-$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)}
[ -n "$mirror" ] || { echo "system image: no Debian mirror in the host's apt sources" >&2; exit 2; }

rm -rf "$cache/root" "$cache/rootfs.img" "$cache/key"
mkdir -p "$cache"
start=$(date +%s)
echo "system image: mmdebstrap bookworm from $mirror (log: $cache/mmdebstrap.log)"
mmdebstrap --variant=minbase --aptopt='APT::Install-Recommends "false"' \
	--include=systemd-sysv,udev,kmod,initramfs-tools,linux-image-amd64,linux-headers-amd64,dkms,numactl,util-linux,procps,e2fsprogs \
	--customize-hook='echo dax-kmem-test > "$1/etc/hostname"' \
	--customize-hook='echo "/dev/vda / ext4 defaults 0 1" > "$1/etc/fstab"' \
	--customize-hook='chroot "$1" passwd -d root' \
	--customize-hook='mkdir -p "$1/etc/systemd/system/multi-user.target.wants"' \
	--customize-hook="cp '$top/tests/system/dax-kmem-test.service' \"\$1/etc/systemd/system/\"" \
	--customize-hook='ln -s ../dax-kmem-test.service "$1/etc/systemd/system/multi-user.target.wants/"' \
	bookworm "$cache/root" "deb $mirror bookworm main" > "$cache/mmdebstrap.log" 2>&1
cp -L "$cache/root/vmlinuz" "$cache/vmlinuz"
cp -L "$cache/root/initrd.img" "$cache/initrd.img"
ls "$cache/root/lib/modules" > "$cache/kernelrelease"
# ext4 straight from the directory: no loop device, no mount.
mke2fs -q -t ext4 -L dax-kmem-root -d "$cache/root" "$cache/rootfs.img" 3G
rm -rf "$cache/root"
echo "$key" > "$cache/key"
echo "system image: built in $(( $(date +%s) - start )) s: $(du -h --apparent-size "$cache/rootfs.img" | cut -f1) ($(du -h "$cache/rootfs.img" | cut -f1) used), kernel $(cat "$cache/kernelrelease")"
