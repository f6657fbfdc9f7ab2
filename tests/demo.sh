#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boot a QEMU board whose slow memory firmware describes, load
# dax_kmem, show memory, node, iomem and tiers before and after.
# DEMO=x86 (default while no other board exists); KVER= picks the kernel
# (default: the newest installed Debian amd64 kernel).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
demo=${DEMO:-x86}
kver=${KVER:-$("$top/scripts/kernels.sh" | tail -n 1)}
case "$demo" in
x86) script=$top/tests/vm/demo/x86-legacy-pmem.sh ;;
*) echo "unknown DEMO=$demo (known: x86)"; exit 2 ;;
esac
work=$top/build/demo/$kver
mkdir -p "$work"
echo "Booting Debian $kver under QEMU TCG: node 0 = 1 GiB RAM, node 1 = firmware-described slow memory"
"$top/tests/vm/boot.sh" "$kver" "$script" "$work"
status=$?
tr -d '\r' < "$work/tap.log" | grep -v '^# scenario-done'
if ! grep -q '^# scenario-done' "$work/tap.log"; then
	echo "demo did not finish (QEMU status $status); kernel log: $work/console.log"
	exit 1
fi
