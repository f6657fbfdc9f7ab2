#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernel-reports.sh CONSOLE PREFIX SCENARIO
#
# One TAP case per kind of kernel report for one boot of a debug kernel
# (make check-debug; run-scenario.sh with DAX_KMEM_KERNEL_REPORTS=1). A
# failing case quotes the start of the first reports of its kind.
# Reports count from the first load of dax_kmem ("dax_kmem: loading
# out-of-tree module taints kernel", or guest/init's scenario start mark
# if the module never loaded); earlier ones are boot noise, shown as
# diagnostics but not counted. A scenario with "# reports: boot" counts
# everything from the first line. Nothing is filtered out but the first
# WARNING: line a "# kernel-warns: ERE" header names (run-scenario.sh
# says it): the kernel's own, provoked and asserted by the scenario.
set -u
console=$1
prefix=$2
scenario=$3

reports_from=$(sed -n 's/^# reports: //p' "$scenario" | head -n 1)
expected=$(sed -n 's/^# kernel-warns: //p' "$scenario" | head -n 1)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
tr -d '\r' < "$console" > "$log" 2>/dev/null

# Classify every line that starts a report: "LINE KIND", one kind per
# line, the first that matches. A WARN or BUG line right after another
# report's first line is part of it (list_debug and debugobjects report
# through WARN or BUG, a page fault's Oops line follows its BUG line).
classify() {
	awk -v expected="$expected" '
	function kind(s) {
		if (expected != "" && !expected_seen && s ~ ("WARNING: .*" expected)) {
			expected_seen = 1
			return "expected"
		}
		if (s ~ /BUG: KASAN/) return "kasan"
		if (s ~ /possible recursive locking|possible circular locking|inconsistent lock state|suspicious RCU usage|lockdep is turned off|possible irq lock inversion|bad unlock balance|held lock freed|lock held when returning to user space|DEBUG_LOCKS_WARN_ON|trying to register non-static key/) return "lockdep"
		if (s ~ /unreferenced object|Kernel memory leak detector disabled/) return "kmemleak"
		if (s ~ /soft lockup/) return "softlockup"
		if (s ~ /blocked for more than/) return "hungtask"
		if (s ~ /list_add corruption|list_del corruption|list_add double add/) return "list"
		if (s ~ /ODEBUG:/) return "odebug"
		if (s ~ /BUG:|Oops|kernel BUG at|general protection fault|Kernel panic/) return "bug"
		if (s ~ /WARNING: /) return "warning"
		return ""
	}
	{
		k = kind($0)
		if (k == "") next
		# The expected WARNING is not a report: what follows it counts.
		if (k == "expected") { print NR, k; next }
		if ((k == "bug" || k == "warning") && last_nr && NR - last_nr <= 4) next
		# The panic that oops=panic makes of an oops is the same report.
		if ($0 ~ /Kernel panic - not syncing: Fatal exception/ && bug_nr && NR - bug_nr <= 300) next
		print NR, k
		last_nr = NR
		if (k == "bug") bug_nr = NR
	}' "$log"
}

# The first line that counts.
from=1
if [ "$reports_from" != boot ]; then
	from=$(grep -n -m 1 -e 'dax_kmem: loading out-of-tree module taints kernel' "$log" | cut -d: -f1)
	[ -n "$from" ] || from=$(grep -n -m 1 -e 'dax_kmem-test: scenario start' "$log" | cut -d: -f1)
	[ -n "$from" ] || from=1
fi
found=$(classify)

# Boot noise: said, never hidden, not counted. One line per kind.
echo "$found" | awk -v from="$from" 'NF && $1 < from && !seen[$2]++ { print $1, $2 }' |
while read -r nr k; do
	n=$(echo "$found" | awk -v from="$from" -v k="$k" 'NF && $1 < from && $2 == k' | wc -l)
	echo "# $prefix: BOOT NOISE, before dax_kmem was loaded (not counted): $n $k report(s), the first: $(sed -n "${nr}p" "$log")"
done

# quote NR KIND: the report's first lines, then what they did not reach:
# the call trace's reliable frames (not "? ") or, for lockdep, the chain.
quote() {
	local first=$1
	# WARN(cond, fmt) prints its message on the line before "WARNING:".
	if [ "$2" = warning ] && [ "$1" -gt 1 ] &&
		! sed -n "$(($1 - 1))p" "$log" | grep -q 'cut here'; then
		first=$(($1 - 1))
	fi
	sed -n "$first,$(($1 + 14))p" "$log" | sed 's/^/# console: /'
	if [ "$2" = lockdep ]; then
		sed -n "$(($1 + 15)),$(($1 + 300))p" "$log" | grep -m 1 -A 2 'Chain exists of:' |
			sed 's/^/# console: /'
		return
	fi
	sed -n "$(($1 + 15)),$(($1 + 80))p" "$log" | awk '
		/Call Trace:/ && !started { started = 1; print; next }
		started && /<\/TASK>|^[^[ ]/ { exit }
		started && !/\] +\? / && !/<TASK>/ { print; if (++n == 8) exit }' |
		sed 's/^/# console: /'
}

# After a KASAN report or an oops the kernel stops lockdep for the rest of
# the boot ("Disabling lock debugging due to kernel taint"): say so, since
# a lock bug after that point goes unseen.
off=$(grep -n -m 1 -e 'Disabling lock debugging due to kernel taint' "$log" | cut -d: -f1)
[ -z "$off" ] || [ "$off" -lt "$from" ] ||
	echo "# $prefix: lockdep was switched off at console line $off (Disabling lock debugging due to kernel taint): later lock bugs in this boot go unseen"

case_for() {
	local k=$1 name=$2 lines n nr
	lines=$(echo "$found" | awk -v from="$from" -v k="$k" 'NF && $1 >= from && $2 == k { print $1 }')
	n=$(echo "$lines" | grep -c .)
	if [ "$n" -eq 0 ]; then
		echo "ok - $prefix: $name"
		return
	fi
	echo "not ok - $prefix: $name ($n after dax_kmem was loaded)"
	for nr in $(echo "$lines" | head -n 3); do
		quote "$nr" "$k"
	done
	[ "$n" -le 3 ] || echo "# console: ... and $((n - 3)) more (see $console)"
}

case_for kasan "no KASAN report"
case_for lockdep "no lockdep report"
# kmemleak only speaks when asked: without the scan at the end there is
# nothing to count.
scanned=$(grep -c -e 'dax_kmem-test: kmemleak scenario end' "$log")
if [ "$reports_from" = boot ]; then
	scanned=$((scanned + $(grep -c -e 'dax_kmem-test: kmemleak boot end' "$log")))
fi
if [ "$scanned" -gt 0 ]; then
	case_for kmemleak "no kmemleak report (unreferenced object)"
else
	echo "ok - $prefix: no kmemleak report (unreferenced object) # SKIP no kmemleak scan after the scenario"
fi
case_for bug "no BUG or Oops"
case_for warning "no WARNING"
case_for hungtask "no hung task"
case_for softlockup "no soft lockup"
case_for list "no list corruption"
case_for odebug "no ODEBUG report"
