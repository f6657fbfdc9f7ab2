#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-scenario.sh KVER SCENARIO_FILE OUTDIR
#
# Boots one scenario (see boot.sh) and prints its TAP lines prefixed with
# kernel and scenario. Two cases are added per boot: the scenario finished,
# and the kernel logged no oops, BUG or WARNING.
set -u
kver=$1
scenario=$2
out=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
name=$(basename "$scenario" .sh)
work=$out/$kver/$name
mkdir -p "$work"

ko=$top/build/$kver/dax_kmem.ko
if [ ! -f "$ko" ]; then
	echo "not ok - $kver $name: dax_kmem.ko not built for this kernel"
	exit 0
fi

start=$(date +%s)
"$top/tests/vm/boot.sh" "$kver" "$scenario" "$work"
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
