#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/system/run.sh [OUTDIR]: the real-system test. Boots the cached
# Debian 12 image (tests/system/image.sh) under QEMU TCG with the image's
# own kernel and initramfs, the memory a user's machine would have (node 1,
# 2 GiB at 0x40000000: its first GiB e820 legacy pmem, memmap=1G!, the
# rest hidden as Reserved, memmap=1G$, so that node 1 has no boot memory;
# the BIOS reserves the top of low memory, 0xbffda000 up, and a pmem range
# reaching it would be split there), the .deb of
# make deb on a second disk; the guest (guest-run.sh) installs it, reboots
# and purges it. The root disk is a snapshot: the cache never changes, the
# reboot keeps what boot 1 did. Prints TAP lines ("system KVER: ...").
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/build/system}
cache=${DAX_KMEM_SYSTEM_CACHE:-/var/cache/dax_kmem/system}
version=$(cat "$top/VERSION")
deb=$top/build/deb/dax-kmem-dkms_${version}_all.deb

t0=$(date +%s)
if ! "$top/tests/system/image.sh" > "$out.image.log" 2>&1; then
	echo "not ok - system: the Debian 12 image builds (see $out.image.log)"
	tail -n 20 "$out.image.log" | sed 's/^/# /'
	exit 0
fi
echo "# system: image ready in $(( $(date +%s) - t0 )) s ($(tail -n 1 "$out.image.log"))"
[ -f "$deb" ] || "$top/scripts/make-deb.sh" > /dev/null 2>&1 ||
	{ echo "not ok - system: make deb"; exit 0; }
kver=$(cat "$cache/kernelrelease")
rm -rf "$out"
mkdir -p "$out/disk"
cp "$deb" "$top/VERSION" "$out/disk/"
cp "$top/tests/system/guest-run.sh" "$out/disk/run.sh"
mke2fs -q -t ext4 -L dax-kmem-test -d "$out/disk" "$out/test.img" 64M

# TCG on a shared 2-core host stalls the one vCPU for tens of seconds
# (seen: a 42 s "soft lockup" in udev-worker, RCU stall warnings during
# boot, before any module): those detectors are off here; the busybox
# scenarios keep them and check every kernel report.
stall="nowatchdog rcupdate.rcu_cpu_stall_suppress=1"
start=$(date +%s)
timeout 2400 qemu-system-x86_64 -accel tcg -cpu max -M pc -smp 1 -m 3G \
	-object memory-backend-ram,id=m0,size=1G \
	-object memory-backend-ram,id=m1,size=2G \
	-numa node,nodeid=0,cpus=0,memdev=m0 \
	-numa node,nodeid=1,memdev=m1 \
	-drive file="$cache/rootfs.img",format=raw,if=virtio,snapshot=on \
	-drive file="$out/test.img",format=raw,if=virtio,readonly=on \
	-kernel "$cache/vmlinuz" -initrd "$cache/initrd.img" \
	-append "root=LABEL=dax-kmem-root rw console=ttyS0 memmap=1G!0x40000000 memmap=1G\$0x80000000 panic=-1 $stall" \
	-display none -monitor none -nic none \
	-serial "file:$out/console.log" -serial "file:$out/tap.log" \
	> "$out/qemu.log" 2>&1
status=$?
secs=$(( $(date +%s) - start ))
tr -d '\r' < "$out/tap.log" 2>/dev/null |
	sed -n -e "s/^ok - /ok - system $kver: /p" -e "s/^not ok - /not ok - system $kver: /p" -e '/^# /p'
if grep -q '^# system-done' "$out/tap.log" 2>/dev/null; then
	echo "ok - system $kver: two boots, install, reboot and purge ran to the end (${secs}s)"
else
	echo "not ok - system $kver: two boots, install, reboot and purge ran to the end (qemu status $status after ${secs}s; $out/console.log)"
	tail -n 30 "$out/console.log" | sed 's/^/# console: /'
fi
if grep -qE 'Oops|BUG:|WARNING:|Kernel panic' "$out/console.log"; then
	echo "not ok - system $kver: kernel logged no oops, BUG or WARNING"
	grep -m 10 -E -A 3 'Oops|BUG:|WARNING:|Kernel panic' "$out/console.log" | sed 's/^/# console: /'
else
	echo "ok - system $kver: kernel logged no oops, BUG or WARNING"
fi
