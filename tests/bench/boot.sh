#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/bench/boot.sh KVER SCRIPT WORKDIR SIZE_GIB LAYOUT [RUNS [VARIANT]]
#
# The benchmark's variant of tests/vm/boot.sh (which it does not change).
# Same guest (tests/vm/guest/init and lib.sh, fd 3 = plain channel on the
# second serial port), but:
#  - node 0 is 3 GiB of boot RAM at 0 (room for the memmap of 64 GiB in
#    DRAM, 16 MiB per GiB), node 1 is SIZE_GIB GiB at 0x100000000 (4 GiB):
#    on QEMU's pc machine RAM past 3 GiB starts at 4 GiB, so node 1 is one
#    contiguous range;
#  - node 1's backend is reserve=off (MAP_NORESERVE): QEMU allocates guest
#    RAM lazily anyway, and without it the host's overcommit heuristic
#    refuses a 64 GiB mapping on a 24 GiB machine;
#  - LAYOUT "carve" boots with memmap=SIZE!4G (node 1 memoryless, its range
#    "Persistent Memory (legacy)") and memhp_default_state=offline, so every
#    method onlines the memory itself (VARIANT "range" adds
#    memory_hotplug.memmap_on_memory=1, without which the kernel refuses
#    struct pages on hot-added memory); LAYOUT "ram" boots with node 1 as
#    ordinary boot RAM (the reference);
#  - the initramfs also holds Debian's ndctl and daxctl with their ldd
#    libraries, and the Debian modules of the upstream path (nd_e820,
#    nd_pmem, dax_pmem, device_dax, kmem and their dependencies, resolved
#    with modprobe --show-depends) installed under /lib/modules/KVER/kernel
#    with depmod -b, so libkmod finds them; /lib/modules/extra/peer.order
#    lists them in load order for insmod;
#  - /tests/bench.conf gives the guest SIZE_GIB, RUNS, VARIANT, KVER and
#    the topology below.
# The scale runs (tests/bench/scale.sh) change the topology by environment:
#  BENCH_HOT_NODES=N   SIZE_GIB is split evenly over nodes 1..N (default 1),
#                      one contiguous range from 4 GiB still;
#  BENCH_TOP_RAM_GIB=G one more node after them with G GiB of boot RAM
#                      (default 0): x86 picks 2 GiB memory blocks when boot
#                      RAM ends at or above 64 GiB on a 2 GiB boundary;
#  BENCH_ONLINE=default boots with the kernel's own auto-online policy
#                      instead of memhp_default_state=offline;
#  BENCH_RANGE_GIB=G   for the guest: the range is given as ranges= items
#                      of G GiB each (default: the whole SIZE_GIB).
# Exit status: QEMU's, 124 on timeout.
set -u
kver=$1
script=$2
work=$3
size=$4
layout=$5
runs=${6:-3}
variant=${7:-}
hot_nodes=${BENCH_HOT_NODES:-1}
top_ram=${BENCH_TOP_RAM_GIB:-0}
online=${BENCH_ONLINE:-offline}
case "$online" in
default | offline) ;;
*) echo "bench boot.sh: BENCH_ONLINE is default or offline, not '$online'" >&2; exit 2 ;;
esac
range_gib=${BENCH_RANGE_GIB:-$size}
top=$(cd "$(dirname "$0")/../.." && pwd)

ko=$top/build/$kver/dax_kmem.ko
[ -f "$ko" ] || { echo "bench boot.sh: $ko not built" >&2; exit 2; }
# Debian's kernel: image and modules as scripts/amd64-root.sh unpacked them.
kroot=${DAX_KMEM_AMD64_CACHE:-/var/cache/dax_kmem/amd64}/root
[ -f "$kroot/boot/vmlinuz-$kver" ] ||
	{ echo "bench boot.sh: no $kroot/boot/vmlinuz-$kver (make deps)" >&2; exit 2; }

root=$work/root
rm -rf "$root"
mkdir -p "$root"/bin "$root"/tests "$root"/lib/modules/extra "$root/lib/modules/$kver/extra"
cp /bin/busybox "$root"/bin/busybox
cp "$top"/tests/vm/guest/init "$root"/init
cp "$top"/tests/vm/guest/lib.sh "$root"/tests/lib.sh
cp "$script" "$root"/tests/scenario.sh
cp "$top"/tests/bench/guest-common.sh "$root"/tests/bench-common.sh
printf 'SIZE_GIB=%s\nRUNS=%s\nVARIANT=%s\nKVER=%s\nHOT_NODES=%s\nRANGE_GIB=%s\n' \
	"$size" "$runs" "$variant" "$kver" "$hot_nodes" "$range_gib" > "$root"/tests/bench.conf
cp "$ko" "$root"/lib/modules/dax_kmem.ko
cp "$ko" "$root/lib/modules/$kver/extra/dax_kmem.ko"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$kroot/lib/modules/$kver/$f" ] && cp "$kroot/lib/modules/$kver/$f" "$root/lib/modules/$kver/"
done

# The upstream path's modules, dependencies first. -C /dev/null: ndctl's
# modprobe.d "install libnvdimm ..." rule would hide libnvdimm itself.
: > "$root/lib/modules/extra/peer.order"
for m in nd_e820 nd_pmem dax_pmem device_dax kmem; do
	modprobe -C /dev/null -d "$kroot" -S "$kver" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r path; do
	rel=${path#"$kroot"/lib/modules/$kver/}
	rel=${rel%.xz}
	mkdir -p "$root/lib/modules/$kver/$(dirname "$rel")"
	case "$path" in
	*.xz) xz -dc "$path" > "$root/lib/modules/$kver/$rel" ;;
	*) cp "$path" "$root/lib/modules/$kver/$rel" ;;
	esac
	echo "/lib/modules/$kver/$rel" >> "$root/lib/modules/extra/peer.order"
done
depmod -b "$root" "$kver"

# ndctl, daxctl and what they link to (the loader included).
for bin in /usr/bin/ndctl /usr/bin/daxctl; do
	cp "$bin" "$root/bin/"
	ldd "$bin" | grep -oE '/[^ ]+' | while read -r lib; do
		mkdir -p "$root/$(dirname "$lib")"
		cp -L "$lib" "$root/$lib"
	done
done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.gz"

case "$layout" in
carve)
	cmdline="memmap=${size}G!0x100000000"
	[ "$online" = default ] || cmdline="$cmdline memhp_default_state=offline"
	if [ "$variant" = range ]; then
		cmdline="$cmdline memory_hotplug.memmap_on_memory=1"
	fi
	;;
ram) cmdline="" ;;
*) echo "bench boot.sh: layout is carve or ram, not '$layout'" >&2; exit 2 ;;
esac
# Generous: TCG, and the peer path takes seconds per GiB.
deadline=$((240 + size * 8 * runs))

[ $((size % hot_nodes)) -eq 0 ] ||
	{ echo "bench boot.sh: $size GiB do not split over $hot_nodes nodes" >&2; exit 2; }
numa=(-object "memory-backend-ram,id=m0,size=3G" -numa "node,nodeid=0,cpus=0,memdev=m0")
for n in $(seq 1 "$hot_nodes"); do
	numa+=(-object "memory-backend-ram,id=m$n,size=$((size / hot_nodes))G,reserve=off"
		-numa "node,nodeid=$n,memdev=m$n")
done
if [ "$top_ram" -gt 0 ]; then
	n=$((hot_nodes + 1))
	numa+=(-object "memory-backend-ram,id=m$n,size=${top_ram}G,reserve=off"
		-numa "node,nodeid=$n,memdev=m$n")
fi

rm -f "$work/console.log" "$work/tap.log"
timeout "$deadline" qemu-system-x86_64 -accel tcg -cpu max -M pc -smp 1 \
	-m $((3 + size + top_ram))G "${numa[@]}" \
	-kernel "$kroot/boot/vmlinuz-$kver" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 oops=panic loglevel=7 log_buf_len=8M $cmdline" \
	-display none -monitor none -no-reboot \
	-serial "file:$work/console.log" -serial "file:$work/tap.log" \
	> "$work/qemu.log" 2>&1
