# SPDX-License-Identifier: GPL-2.0
# Data under load: a checksummed working set on the range (files in a
# tmpfs bound to node 1, and stress-ng's anonymous-memory writer bound to
# node 1, verifying its own pattern) while stress-ng stresses node 0's
# memory: an online-type change, a removal and rmmod keep every byte.
# When node 0 cannot take the pages, the removal fails safely and the
# automatic retry finishes once room is made: remove-busy.sh shows that,
# with its data checksummed. Node 1 (0x40000000-0xbfffffff) is Reserved.
# cmdline: memmap=2G$0x40000000
# binaries: stress-ng
# timeout: 1500
# check-kernels: bookworm

boot=$(fingerprint)
SN=/usr/bin/stress-ng
R=0x40000000-0x7fffffff
bytes=0
mkdir -p /mnt/slow

# fill MIB: the working set, MIB of random files in a tmpfs bound to node 1.
fill() {
	mount -t tmpfs -o size=1G,mpol=bind:1 tmpfs /mnt/slow
	i=0
	while [ $i -lt $(($1 / 32)) ]; do
		dd if=/dev/urandom of=/mnt/slow/f$i bs=1M count=32 2>/dev/null
		i=$((i + 1))
	done
	set_mib=$1
	sums=$(md5sum /mnt/slow/f*)
}
# verify NAME: every file reads back as written; counts the bytes only
# then, so the summary's figure is what was checked and found intact.
verify() {
	if expect_eq "$1: every byte of the $set_mib MiB working set kept" "$(md5sum /mnt/slow/f*)" "$sums"; then
		bytes=$((bytes + set_mib * 1048576))
	fi
}
drop_set() { rm -f /mnt/slow/f*; umount /mnt/slow; }
# on_node1_kb: how much of node 1 is in use.
on_node1_kb() { echo $(($(node_memtotal_kb 1) - $(node_meminfo_kb 1 MemFree))); }
# load_start: stress-ng's writer on node 1 (verifying) and a memory
# stressor on node 0.
# SCHED_IDLE: one vCPU, and the migration is what is under test.
load_start() {
	$SN --sched idle --vm 1 --vm-bytes 64M --vm-keep --verify --mbind 1 --timeout 1200 > /tmp/writer.log 2>&1 &
	writer=$!
	$SN --sched idle --vm 1 --vm-bytes 128M --mbind 0 --timeout 1200 > /tmp/stress.log 2>&1 &
	stress=$!
	# The writer's 64 MiB on node 1 before anything moves: on a loaded
	# host (make check's other lane) it took longer than 5 s to fault in.
	waited=0
	while [ "$(on_node1_kb)" -lt $((set_mib * 1024 + 56 * 1024)) ] && [ $waited -lt 120 ]; do
		sleep 1
		waited=$((waited + 1))
	done
}
# load_stop NAME: both stop cleanly and the writer found no bad byte.
load_stop() {
	kill -INT $writer $stress
	wait $writer
	wrc=$?
	wait $stress
	src=$?
	if expect_eq "$1: stress-ng's node 1 writer verified its memory" "$wrc $(grep -c '^stress-ng: fail:' /tmp/writer.log)" "0 0"; then
		bytes=$((bytes + 64 * 1048576))
	fi
	expect_eq "$1: stress-ng's node 0 stressor ran to the end" "$src" 0
}

load ranges=1G@0x40000000:1
d=$(dev_by_range $R)
expect_eq "range online" "$(attr "$d" state)" online
# The writer dirties its pages all the time: under TCG a block can go
# longer than the default 10 s without the offline making progress, and
# with the host loaded (make check's other lane, CI) longer than 60 s:
# one 128 MiB block took 60 s when 4 guests shared the 2 cores.
echo 300 > /sys/module/dax_kmem/parameters/offline_timeout
# A change under load may take each block up to that long: on the debug
# kernel the offline of 1 GiB under load outlasted settle's 120 s.
# shellcheck disable=SC2034 # read by settle (lib.sh)
SETTLE_S=900

# --- online type movable -> offline -> movable, under load ----------
fill 128
load_start
used=$(on_node1_kb)
diag "working set on node 1: $used kB in use, after ${waited} s"
check "working set on node 1 (at least 180 MiB in use)" [ "$used" -ge $((180 * 1024)) ]
set_online_type "$d" offline
expect_eq "online_type offline under load: done" "$(attr "$d" online_type) $(attr "$d" last_error)" "offline 0"
check "online_type offline under load: every block offline" blocks_all "$d" offline
verify "online_type offline under load"
load_stop "online_type offline under load"
set_online_type "$d" movable
check "online_type movable again: every block online movable" blocks_online_movable "$d"
drop_set

# --- removal under load -------------------------------------------
fill 128
load_start
unbind "$d"
expect_eq "unbind under load: removed" "$(attr "$d" state) $(attr "$d" last_error)" "absent 0"
expect_eq "unbind under load: node 1 empty" "$(node_memtotal_kb 1)" 0
verify "unbind under load"
load_stop "unbind under load"
drop_set
bind "$d"

# --- rmmod under load ---------------------------------------------
fill 128
load_start
check "rmmod under load" unload
expect_eq "rmmod under load: node 1 empty" "$(node_memtotal_kb 1)" 0
verify "rmmod under load"
load_stop "rmmod under load"
drop_set
expect_eq "after rmmod under load: boot state" "$(fingerprint)" "$boot"
diag "reliability: bytes checksummed $bytes"
