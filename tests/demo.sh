#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boot a QEMU board whose slow memory firmware describes, let
# dax_kmem add it, show memory, node 1, iomem, tiers and the device's sysfs
# before and after.
#   DEMO=arm64 (default)  arm64 virt board, slow DDR described in Device Tree
#                         (dts/qemu-arm64-demo.dtsi), module loaded by modalias
#   DEMO=x86              x86 PC, node 1 is e820 legacy persistent memory
# KVER= picks the kernel (default: the newest installed one of that arch).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
demo=${DEMO:-arm64}
case "$demo" in
arm64)
	kver=${KVER:-$("$top/scripts/kernels-arm64.sh" | tail -n 1)}
	boot=$top/tests/vm/boot-arm64.sh
	script=$top/tests/vm/demo/arm64-dt.sh
	board="arm64 virt: node 0 = 1 GiB boot RAM, nodes 1-2 = slow DDR in Device Tree"
	;;
x86)
	kver=${KVER:-$("$top/scripts/kernels.sh" | tail -n 1)}
	boot=$top/tests/vm/boot.sh
	script=$top/tests/vm/demo/x86-legacy-pmem.sh
	board="x86 PC: node 0 = 1 GiB boot RAM, node 1 = firmware-described slow memory"
	;;
*)
	echo "unknown DEMO=$demo (known: arm64, x86)"
	exit 2
	;;
esac
[ -n "$kver" ] || { echo "no $demo kernel installed: run 'make deps'"; exit 2; }
work=$top/build/demo/$demo/$kver
mkdir -p "$work"
echo "Booting Debian $kver under QEMU TCG ($board)"
"$boot" "$kver" "$script" "$work"
status=$?
tr -d '\r' < "$work/tap.log" | grep -v '^# scenario-done'
if ! grep -q '^# scenario-done' "$work/tap.log"; then
	echo "demo did not finish (QEMU status $status); kernel log: $work/console.log"
	exit 1
fi
