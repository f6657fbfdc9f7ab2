#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-scenario.sh KVER SCENARIO_FILE OUTDIR [arm64]
#
# Boots one scenario (see boot.sh, or boot-arm64.sh with "arm64") and prints
# its TAP lines prefixed with kernel and scenario ("arm64 KVER SCENARIO" on
# arm64). Two cases are added per boot: the scenario finished, and the
# kernel logged no oops, BUG or WARNING. On arm64, a scenario with a
# "# dts:" fragment adds a third: dtc reported no warning in that fragment.
# With DAX_KMEM_KERNEL_REPORTS=1 (make check-debug), the second is one case
# per kind of kernel report instead (tests/vm/kernel-reports.sh).
set -u
kver=$1
scenario=$2
out=$3
arch=${4:-x86}
top=$(cd "$(dirname "$0")/../.." && pwd)
name=$(basename "$scenario" .sh)

case "$arch" in
x86)
	work=$out/$kver/$name
	ko=${DAX_KMEM_KO:-$top/build/$kver/dax_kmem.ko}
	# make test-modules: at /lib/modules/test in the guest.
	if [ -z "${DAX_KMEM_TEST_MODULES:-}" ] && [ -f "$top/build/$kver/test-modules/mem_fault.ko" ]; then
		export DAX_KMEM_TEST_MODULES=$top/build/$kver/test-modules
	fi
	boot=$top/tests/vm/boot.sh
	prefix="$kver $name"
	;;
arm64)
	work=$out/arm64/$kver/$name
	ko=$top/build/arm64/$kver/dax_kmem.ko
	boot=$top/tests/vm/boot-arm64.sh
	prefix="arm64 $kver $name"
	;;
*)
	echo "run-scenario.sh: unknown architecture '$arch' (x86 or arm64)" >&2
	exit 2
	;;
esac
mkdir -p "$work"

# A 7.x kernel lives in scripts/trixie-root.sh's cache, not on the host.
trixie=${DAX_KMEM_TRIXIE_CACHE:-/var/cache/dax_kmem/trixie}
if [ "$arch" = x86 ] && [ -f "$trixie/root/usr/lib/modules/$kver/vmlinuz" ]; then
	export DAX_KMEM_KERNEL_IMAGE=${DAX_KMEM_KERNEL_IMAGE:-$trixie/root/usr/lib/modules/$kver/vmlinuz}
	export DAX_KMEM_MODULES_ROOT=${DAX_KMEM_MODULES_ROOT:-$trixie/root}
fi
if [ "$arch" = arm64 ] && [ -f "$trixie/arm64/root/boot/vmlinuz-$kver" ]; then
	export DAX_KMEM_ARM64_CACHE=$trixie/arm64
	# QEMU's cortex-a57 has no 16 KiB granule.
	case "$kver" in *-16k) export DAX_KMEM_QEMU_CPU=${DAX_KMEM_QEMU_CPU:-max,pauth-impdef=on} ;; esac
fi

if [ ! -f "$ko" ]; then
	echo "not ok - $prefix: dax_kmem.ko not built for this kernel"
	exit 0
fi

start=$(date +%s)
"$boot" "$kver" "$scenario" "$work"
status=$?
secs=$(( $(date +%s) - start ))

tr -d '\r' < "$work/tap.log" 2>/dev/null |
	sed -n -e "s/^ok - /ok - $prefix: /p" -e "s/^not ok - /not ok - $prefix: /p" \
		-e '/^# /p'
if grep -q '^# scenario-done' "$work/tap.log" 2>/dev/null; then
	echo "ok - $prefix: VM ran the whole scenario (${secs}s)"
else
	echo "not ok - $prefix: VM did not finish the scenario (qemu status $status after ${secs}s; log $work/console.log)"
	tail -n 40 "$work/console.log" | sed 's/^/# console: /'
fi
# "# kernel-warns: ERE": one WARNING the kernel itself gives for what the
# scenario provokes (the scenario asserts it). The first WARNING: line
# that matches is named here and not counted; a second one, and every
# other report, is.
expected=$(sed -n 's/^# kernel-warns: //p' "$scenario" | head -n 1)
# A soft lockup is a "BUG:" line; a hung task is an INFO: line of its own.
kernel_report='Oops|BUG:|WARNING:|Kernel panic|blocked for more than [0-9]+ seconds'
reports() {
	if [ -n "$expected" ]; then
		awk -v re="WARNING: .*$expected" '!done && $0 ~ re { done = 1; next } { print }' "$work/console.log"
	else
		cat "$work/console.log"
	fi
}
if [ -n "$expected" ]; then
	n=$(grep -cE "WARNING: .*$expected" "$work/console.log")
	echo "# $prefix: $n WARNING(s) matching '$expected'; the first, the kernel's that the scenario provokes and asserts, is not counted"
fi
if [ -n "${DAX_KMEM_KERNEL_REPORTS:-}" ]; then
	"$top/tests/vm/kernel-reports.sh" "$work/console.log" "$prefix" "$scenario"
elif reports | grep -qE "$kernel_report"; then
	echo "not ok - $prefix: kernel logged no oops, BUG, WARNING or hung task"
	reports | grep -m 20 -E -A 3 "$kernel_report" | sed 's/^/# console: /'
else
	echo "ok - $prefix: kernel logged no oops, BUG, WARNING or hung task"
fi

[ "$arch" = arm64 ] && [ -f "$work/dtc.log" ] || exit 0
# QEMU's decompiled tree has warnings of its own (phandles that dts source
# would write as references are plain numbers there): count them, but only
# the fragment's are ours to fix. Fragments under dts/ must be clean;
# deliberately bad ones live elsewhere and only get counted.
qemu_warnings=$(grep -cF "$work/qemu-virt.dts:" "$work/dtc.log")
[ "$qemu_warnings" -eq 0 ] ||
	echo "# $prefix: dtc: $qemu_warnings warnings in QEMU's own tree ($work/dtc.log)"
dts=$(sed -n 's/^# dts: //p' "$scenario" | head -n 1)
[ -n "$dts" ] || exit 0
# Everything not in QEMU's tree is the fragment's doing, including checks
# dtc skips because of it ("Failed prerequisite", reported on board.dtb).
ours=$(grep Warning "$work/dtc.log" | grep -vF "$work/qemu-virt.dts:")
case "$dts" in
dts/*)
	if [ -n "$ours" ]; then
		echo "not ok - $prefix: dtc reports no warning in $dts"
		echo "$ours" | sed 's/^/# dtc: /'
	else
		echo "ok - $prefix: dtc reports no warning in $dts"
	fi
	;;
*)
	[ -z "$ours" ] ||
		echo "# $prefix: dtc: $(echo "$ours" | wc -l) warnings in $dts ($work/dtc.log)"
	;;
esac
