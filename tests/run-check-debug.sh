#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-check-debug.sh [SCENARIO...]
#
# Everything `make check-debug` runs: a boot of the debug kernel
# (scripts/debug-kernel.sh) without the module, then every x86 VM scenario
# on it (or only the SCENARIO files given), each boot adding one TAP case
# per kind of kernel report (tests/vm/kernel-reports.sh). Ends like make
# check: N passed, N failed, N skipped.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${DAX_KMEM_DEBUG_CACHE:-/var/cache/dax_kmem/debug}
out=${VM_OUT:-$top/build/vm}
kver=$(cat "$cache/kernelrelease" 2>/dev/null)

export DAX_KMEM_KERNEL_IMAGE=$cache/root/boot/vmlinuz-$kver
export DAX_KMEM_MODULES_ROOT=$cache/root
export DAX_KMEM_KO=$top/build/debug/$kver/dax_kmem.ko
export DAX_KMEM_TEST_MODULES=$top/build/debug/$kver/test-modules
# -cpu max makes this kernel log a KASAN wild-memory-access from
# handle_edge_irq in early boot under TCG; qemu64 boots clean.
export DAX_KMEM_QEMU_CPU=${DAX_KMEM_QEMU_CPU:-qemu64}
# KASAN, lockdep and kmemleak under TCG: a boot takes a minute to /init
# and the kmemleak scans another; the slowest scenario (lifecycle) took
# 347 s of its 1200.
export DAX_KMEM_TIMEOUT_SCALE=${DAX_KMEM_TIMEOUT_SCALE:-2}
export DAX_KMEM_KERNEL_REPORTS=1

if [ $# -eq 0 ]; then
	set -- "$top"/tests/debug/scenarios/*.sh "$top"/tests/vm/scenarios/*.sh
fi
{
	if [ -z "$kver" ] || [ ! -f "$DAX_KMEM_KERNEL_IMAGE" ]; then
		echo "not ok - debug: no debug kernel in $cache; run 'make debug-kernel'"
	else
		echo "# debug kernel $kver: $DAX_KMEM_KERNEL_IMAGE, -cpu $DAX_KMEM_QEMU_CPU, timeouts x$DAX_KMEM_TIMEOUT_SCALE"
		# Side by side, DAX_KMEM_LANES at a time (tests/vm/run-jobs.sh).
		for scenario in "$@"; do
			echo "$kver $scenario"
		done | "$top/tests/vm/run-jobs.sh" "$out"
	fi
} | "$top/tests/tap-summary.sh"
