#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-scenario.sh KVER SCENARIO_FILE OUTDIR
#
# Boots Debian's amd64 kernel KVER under QEMU TCG with two NUMA nodes
# (node 0: 1 GiB of boot RAM; node 1: 2 GiB at 0x40000000 that the
# scenario's memmap= carves out, so node 1 is memoryless at boot), runs one
# scenario inside, and prints its TAP lines prefixed with kernel and
# scenario. Extra cases per boot: the scenario finished, and the kernel
# logged no oops, BUG or WARNING.
set -u
kver=$1
scenario=$2
out=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
name=$(basename "$scenario" .sh)
work=$out/$kver/$name
mkdir -p "$work"
rm -rf "$work/root"

header() { sed -n "s/^# $1: //p" "$scenario" | head -n 1; }
cmdline=$(header cmdline)
modules=$(header modules)
deadline=$(header timeout)
deadline=${deadline:-600}

ko=$top/build/$kver/dax_kmem.ko
if [ ! -f "$ko" ]; then
	echo "not ok - $kver $name: dax_kmem.ko not built for this kernel"
	exit 0
fi

root=$work/root
mkdir -p "$root"/bin "$root"/tests "$root"/lib/modules/extra
cp /bin/busybox "$root"/bin/busybox
cp "$top"/tests/vm/guest/init "$root"/init
cp "$top"/tests/vm/guest/lib.sh "$root"/tests/lib.sh
cp "$scenario" "$root"/tests/scenario.sh
cp "$ko" "$root"/lib/modules/dax_kmem.ko
for m in $modules; do
	: > "$root/lib/modules/extra/$m.order"
	modprobe -S "$kver" --show-depends "$m" | awk '$1 == "insmod" { print $2 }' |
	while read -r path; do
		base=$(basename "$path")
		base=${base%.xz}
		case "$path" in
		*.xz) xz -dc "$path" > "$root/lib/modules/extra/$base" ;;
		*) cp "$path" "$root/lib/modules/extra/$base" ;;
		esac
		echo "/lib/modules/extra/$base" >> "$root/lib/modules/extra/$m.order"
	done
done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.gz"

rm -f "$work/console.log" "$work/tap.log"
start=$(date +%s)
timeout "$deadline" qemu-system-x86_64 -accel tcg -cpu max -M pc -smp 1 -m 3G \
	-object memory-backend-ram,id=m0,size=1G \
	-object memory-backend-ram,id=m1,size=2G \
	-numa node,nodeid=0,cpus=0,memdev=m0 \
	-numa node,nodeid=1,memdev=m1 \
	-kernel "/boot/vmlinuz-$kver" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 oops=panic loglevel=7 $cmdline" \
	-display none -monitor none -no-reboot \
	-serial "file:$work/console.log" -serial "file:$work/tap.log" \
	> "$work/qemu.log" 2>&1
status=$?
secs=$(( $(date +%s) - start ))

prefix="$kver $name"
tr -d '\r' < "$work/tap.log" 2>/dev/null |
	sed -n -e "s/^ok - /ok - $prefix: /p" -e "s/^not ok - /not ok - $prefix: /p" \
		-e '/^# /p'
if grep -q '^# scenario-done' "$work/tap.log" 2>/dev/null; then
	echo "ok - $prefix: VM ran the whole scenario (${secs}s)"
else
	echo "not ok - $prefix: VM did not finish the scenario (qemu status $status after ${secs}s; log $work/console.log)"
	tail -n 40 "$work/console.log" | sed 's/^/# console: /'
fi
if grep -qE 'Oops|BUG:|WARNING:|Kernel panic' "$work/console.log"; then
	echo "not ok - $prefix: kernel logged no oops, BUG or WARNING"
	grep -m 20 -E -A 3 'Oops|BUG:|WARNING:|Kernel panic' "$work/console.log" | sed 's/^/# console: /'
else
	echo "ok - $prefix: kernel logged no oops, BUG or WARNING"
fi
