#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/system/image.sh KVER: a small Debian 12 system (systemd, udev,
# kmod, Debian's kernel KVER and its headers, dkms) as an ext4 disk image,
# built with mmdebstrap from the host's Debian 12 apt sources
# (scripts/debian-sources.sh) and cached in
# /var/cache/dax_kmem/system/KVER (DAX_KMEM_SYSTEM_CACHE): rootfs.img, and
# the image's own vmlinuz and initrd.img for QEMU's -kernel/-initrd. KVER
# is one of scripts/kernels.sh's, so the image has the kernel the VM
# scenarios test. Rebuilt only when KVER, this script or the test's
# systemd unit changes. Nothing on the host is installed.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
kver=$1
cache=${DAX_KMEM_SYSTEM_CACHE:-/var/cache/dax_kmem/system}/$kver
key=$( (cat "$0" "$top/tests/system/dax-kmem-test.service"; echo "$kver") | sha256sum | cut -c1-16)
if [ -f "$cache/key" ] && [ "$(cat "$cache/key")" = "$key" ] && [ -f "$cache/rootfs.img" ]; then
	echo "system image: cached ($cache)"
	exit 0
fi
command -v mmdebstrap >/dev/null || { echo "system image: mmdebstrap missing (make deps)" >&2; exit 2; }
# The image's apt sources are the host's Debian 12 ones.
mapfile -t sources < <("$top/scripts/debian-sources.sh")
[ ${#sources[@]} -gt 0 ] || { echo "system image: no Debian 12 archive in the host's apt sources" >&2; exit 2; }

rm -rf "$cache/root" "$cache/rootfs.img" "$cache/key"
# The layout before one image per kernel kept a 6.1 image one level up.
(cd "${cache%/*}" && rm -f rootfs.img vmlinuz initrd.img key kernelrelease mmdebstrap.log) 2>/dev/null || true
mkdir -p "$cache"
start=$(date +%s)
echo "system image: mmdebstrap bookworm, $kver, from: ${sources[*]} (log: $cache/mmdebstrap.log)"
mmdebstrap --variant=minbase --aptopt='APT::Install-Recommends "false"' \
	--include="systemd-sysv,udev,kmod,initramfs-tools,linux-image-$kver,linux-headers-$kver,dkms,numactl,util-linux,procps,e2fsprogs" \
	--customize-hook='echo dax-kmem-test > "$1/etc/hostname"' \
	--customize-hook='echo "/dev/vda / ext4 defaults 0 1" > "$1/etc/fstab"' \
	--customize-hook='chroot "$1" passwd -d root' \
	--customize-hook='mkdir -p "$1/etc/systemd/system/multi-user.target.wants"' \
	--customize-hook="cp '$top/tests/system/dax-kmem-test.service' \"\$1/etc/systemd/system/\"" \
	--customize-hook='ln -s ../dax-kmem-test.service "$1/etc/systemd/system/multi-user.target.wants/"' \
	bookworm "$cache/root" "${sources[@]}" > "$cache/mmdebstrap.log" 2>&1
cp -L "$cache/root/vmlinuz" "$cache/vmlinuz"
cp -L "$cache/root/initrd.img" "$cache/initrd.img"
ls "$cache/root/lib/modules" > "$cache/kernelrelease"
[ "$(cat "$cache/kernelrelease")" = "$kver" ] ||
	{ echo "system image: the image holds $(cat "$cache/kernelrelease"), not $kver" >&2; exit 1; }
# ext4 straight from the directory: no loop device, no mount.
mke2fs -q -t ext4 -L dax-kmem-root -d "$cache/root" "$cache/rootfs.img" 3G
rm -rf "$cache/root"
echo "$key" > "$cache/key"
echo "system image: built in $(( $(date +%s) - start )) s: $(du -h --apparent-size "$cache/rootfs.img" | cut -f1) ($(du -h "$cache/rootfs.img" | cut -f1) used), kernel $(cat "$cache/kernelrelease")"
