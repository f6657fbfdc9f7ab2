#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# boot-arm64.sh KVER SCRIPT WORKDIR
#
# The arm64 twin of boot.sh: boots Debian's arm64 kernel KVER (unpacked by
# scripts/arm64-root.sh) on QEMU's virt board under TCG with three NUMA
# nodes of 1 GiB each (node 0 at 0x40000000 with cpu 0; node 1 at
# 0x80000000 with cpu 1; node 2 at 0xc0000000 with no cpu, as a slow
# memory controller would be) and runs SCRIPT inside as a child of init.
# The command line always has mem=1G, so nodes 1 and 2 are possible (their
# /memory nodes name them) but hold no boot memory. What the script writes to fd 3 lands in
# WORKDIR/tap.log (a virtio-serial port, /dev/vport0p1), the kernel console (PL011,
# ttyAMA0) in WORKDIR/console.log.
#
# Header lines of SCRIPT: "# cmdline:" (appended after mem=1G and the console
# settings), "# modules:" (Debian arm64 modules to ship, with their
# dependencies), "# timeout:" (seconds for the whole boot), and "# dts:" (a
# path relative to the repository). The dts file is a fragment in dts
# syntax without /dts-v1/: it is compiled after QEMU's own tree, so it may
# add or extend nodes at the root (e.g. create /reserved-memory) and refer
# to labels it defines itself. dtc's warnings go to WORKDIR/dtc.log; QEMU's
# decompiled tree brings some of its own, marked with its file name
# qemu-virt.dts. DAX_KMEM_QEMU_CPU replaces the cortex-a57 (a 16 KiB page
# kernel needs one with that granule, e.g. max).
# Exit status: QEMU's, 124 on timeout, 2 when the bench cannot be set up.
set -u
kver=$1
script=$2
work=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
a64=${DAX_KMEM_ARM64_CACHE:-/var/cache/dax_kmem/arm64}/root

header() { sed -n "s/^# $1: //p" "$script" | head -n 1; }
cmdline=$(header cmdline)
modules=$(header modules)
deadline=$(header timeout)
deadline=${deadline:-600}
dts=$(header dts)

fail() { echo "boot-arm64.sh: $*" >&2; exit 2; }

ko=$top/build/arm64/$kver/dax_kmem.ko
[ -f "$ko" ] || fail "$ko not built"
image=$a64/boot/vmlinuz-$kver
[ -f "$image" ] || fail "$image missing; run scripts/arm64-root.sh"
moddir=$a64/lib/modules/$kver
[ -n "$dts" ] && { [ -f "$top/$dts" ] || fail "$script names missing $dts"; }

mkdir -p "$work" "$work/modprobe.d"	# empty: the host's modprobe.d is not the guest's
rm -f "$work/console.log" "$work/tap.log" "$work/dtc.log" "$work/board.dtb"

# The board, shared by the DTB dump and the boot: the DTB must describe
# exactly the machine that runs it.
# shellcheck disable=SC2054 # commas belong to QEMU's option syntax
board=(-cpu "${DAX_KMEM_QEMU_CPU:-cortex-a57}" -accel tcg -smp 2 -m 3G
	-object memory-backend-ram,id=m0,size=1G
	-object memory-backend-ram,id=m1,size=1G
	-object memory-backend-ram,id=m2,size=1G
	-numa node,nodeid=0,cpus=0,memdev=m0
	-numa node,nodeid=1,cpus=1,memdev=m1
	-numa node,nodeid=2,memdev=m2
	-display none -monitor none -nic none)

qemu-system-aarch64 -machine "virt,dumpdtb=$work/qemu-virt.dtb" "${board[@]}" \
	> "$work/qemu-dump.log" 2>&1 || fail "QEMU could not dump its DTB: $(cat "$work/qemu-dump.log")"
dtc -q -I dtb -O dts -o "$work/qemu-virt.dts" "$work/qemu-virt.dtb" ||
	fail "dtc could not decompile QEMU's DTB"
# Includes rather than an overlay: dtc 1.6.1 then merges the fragment into
# the tree like any dts source, checks it in the context of its parents,
# and the fragment may create nodes that QEMU's tree lacks.
{
	echo "/include/ \"$work/qemu-virt.dts\""
	[ -z "$dts" ] || echo "/include/ \"$top/$dts\""
} > "$work/board.dts"
dtc -I dts -O dtb -o "$work/board.dtb" "$work/board.dts" 2> "$work/dtc.log" ||
	fail "dtc could not compile $work/board.dts: $(cat "$work/dtc.log")"

root=$work/root
rm -rf "$root"
mkdir -p "$root"/bin "$root"/tests "$root"/lib/modules/extra "$root/lib/modules/$kver/extra"
cp "$a64"/bin/busybox "$root"/bin/busybox
cp "$top"/tests/vm/guest/init "$root"/init
cp "$top"/tests/vm/guest/lib.sh "$root"/tests/lib.sh
cp "$script" "$root"/tests/scenario.sh
cp "$ko" "$root"/lib/modules/dax_kmem.ko

# ship MOD: copies MOD and its dependencies (decompressed: busybox insmod
# reads no .xz) to /lib/modules/extra and prints their guest paths in load
# order. Built-in modules print nothing.
ship() {
	modprobe -C "$work/modprobe.d" -d "$a64" -S "$kver" --show-depends "$1" | awk '$1 == "insmod" { print $2 }' |
	while read -r path; do
		base=$(basename "$path")
		base=${base%.xz}
		case "$path" in
		*.xz) xz -dc "$path" > "$root/lib/modules/extra/$base" ;;
		*) cp "$path" "$root/lib/modules/extra/$base" ;;
		esac
		echo "/lib/modules/extra/$base"
	done
	[ "${PIPESTATUS[0]}" -eq 0 ]
}
for m in $modules; do
	ship "$m" > "$root/lib/modules/extra/$m.order" || fail "no module $m for $kver"
done
# The TAP channel's drivers: init loads them before it opens fd 3. Whether
# they are modules differs between kernels (6.1: both; 6.12: virtio_mmio).
: > "$root/lib/modules/tap.order"
for m in virtio_mmio virtio_console; do
	ship "$m" >> "$root/lib/modules/tap.order" || fail "no module $m for $kver"
done

# dax_kmem as an installed module too, so that modprobe in the guest finds
# it by name and by modalias, as udev would.
cp "$ko" "$root/lib/modules/$kver/extra/dax_kmem.ko"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$moddir/$f" ] && cp "$moddir/$f" "$root/lib/modules/$kver/"
done
depmod -b "$root" "$kver" || fail "depmod -b $root $kver failed"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.gz"

timeout "$deadline" qemu-system-aarch64 -machine virt "${board[@]}" -no-reboot \
	-dtb "$work/board.dtb" \
	-kernel "$image" -initrd "$work/initrd.gz" \
	-append "console=ttyAMA0 panic=-1 oops=panic loglevel=7 mem=1G dax_kmem_tap=vport0p1 $cmdline" \
	-serial "file:$work/console.log" \
	-chardev "file,id=tap,path=$work/tap.log" \
	-device virtio-serial-device -device virtserialport,chardev=tap,name=tap \
	> "$work/qemu.log" 2>&1
