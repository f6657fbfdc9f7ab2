#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/system/run.sh KVER [OUTDIR]: the real-system test on Debian's
# kernel KVER. Boots the cached Debian 12 image of that kernel
# (tests/system/image.sh) under QEMU TCG with the image's
# own kernel and initramfs, the memory a user's machine would have (node 1,
# 2 GiB at 0x40000000, none of it boot memory: its first GiB e820 legacy
# pmem, memmap=1G!; 256 MiB EFI soft-reserved at 0x80000000, memmap=%;
# the rest Reserved, memmap=$, of which an SSDT's PRP0001 device
# (ssdt-slow-memory.asl) describes 256 MiB at 0x90000000; the BIOS
# reserves the top of low memory, 0xbffda000 up, and a pmem range
# reaching it would be split there), the .deb of
# make deb on a second disk; the guest (guest-run.sh) installs it, reboots
# and purges it. The root disk is a snapshot: the cache never changes, the
# reboot keeps what boot 1 did. Prints TAP lines ("system KVER: ...").
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
kver=$1
out=${2:-$top/build/system/$kver}
cache=${DAX_KMEM_SYSTEM_CACHE:-/var/cache/dax_kmem/system}/$kver
version=$(cat "$top/VERSION")
deb=$top/build/deb/dax-kmem-dkms_${version}_all.deb

t0=$(date +%s)
mkdir -p "$(dirname "$out")"
if ! "$top/tests/system/image.sh" "$kver" > "$out.image.log" 2>&1; then
	echo "not ok - system $kver: the Debian 12 image builds (see $out.image.log)"
	tail -n 20 "$out.image.log" | sed 's/^/# /'
	exit 0
fi
echo "# system $kver: image ready in $(( $(date +%s) - t0 )) s ($(tail -n 1 "$out.image.log"))"
[ -f "$deb" ] || "$top/scripts/make-deb.sh" > /dev/null 2>&1 ||
	{ echo "not ok - system $kver: make deb"; exit 0; }
rm -rf "$out"
mkdir -p "$out/disk"
cp "$deb" "$top/VERSION" "$out/disk/"
cp "$top/tests/system/guest-run.sh" "$out/disk/run.sh"
mke2fs -q -t ext4 -L dax-kmem-test -d "$out/disk" "$out/test.img" 64M > "$out/mke2fs.log" 2>&1
iasl -p "$out/ssdt" "$top/tests/system/ssdt-slow-memory.asl" > "$out/iasl.log" 2>&1 ||
	{ echo "not ok - system $kver: iasl tests/system/ssdt-slow-memory.asl"; exit 0; }

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
	-acpitable file="$out/ssdt.aml" \
	-kernel "$cache/vmlinuz" -initrd "$cache/initrd.img" \
	-append "root=LABEL=dax-kmem-root rw console=ttyS0 memmap=1G!0x40000000 memmap=256M%0x80000000-1+0xefffffff memmap=768M\$0x90000000 panic=-1 $stall" \
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
