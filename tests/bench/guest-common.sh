# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the bench's guest scripts (sourced after lib.sh).
# Each measured run prints one line to fd 3:
#   bench method=M run=N key=value ...
# Times come from dmesg timestamps (the kernel's clock, µs) of marks written
# to /dev/kmsg right before and after each step, so the shell's own start-up
# costs (fork, exec) are inside the figure, as a user would see them.
. /tests/bench.conf

# Timestamp (s) of the mark line NAME, and of the first line matching
# PATTERN after it.
mark_ts() { dmesg | grep -m1 "dax_kmem-test-mark $1\$" | sed 's/^\[ *\([0-9.]*\)\].*/\1/'; }
stamp_after() { dmesg_since_mark "$1" | grep -m1 -- "$2" | sed 's/^\[ *\([0-9.]*\)\].*/\1/'; }
# secs A B: B - A in seconds (empty when either is missing).
secs() {
	[ -n "$1" ] && [ -n "$2" ] || return 0
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b - a }'
}
result() { echo "bench $*" >&3; }
# since TAG PATTERN: seconds from mark TAG to the first PATTERN after it.
since() { secs "$(mark_ts "$1")" "$(stamp_after "$1" "$2")"; }
# What the driver logs once every block of a range is online, and once
# a range is gone (for the guest-*.sh that source this file).
# shellcheck disable=SC2034
ADDED='dax_kmem\.[0-9]*: node [0-9]*: added \[mem'
# shellcheck disable=SC2034
REMOVED='dax_kmem.*removed'
# Memory blocks of node 1 that are online.
node1_online_blocks() {
	n=0
	for b in /sys/devices/system/node/node1/memory*; do
		[ -e "$b/state" ] && [ "$(cat "$b/state")" = online ] && n=$((n + 1))
	done
	echo $n
}
