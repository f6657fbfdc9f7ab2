# SPDX-License-Identifier: GPL-2.0
# Concurrency: for 60 s, shells at once bind and unbind one range, flip
# another's online type, offline and online the blocks of all three by
# hand as an admin would, with the kernel's auto-online set to online,
# and rmmod and insmod in the middle. Afterwards the state is consistent,
# each range reaches its configured type, and the kernel's own
# memory-hotplug selftest (mem-on-off-test.sh) passes over the added
# blocks. Node 1 (0x40000000-0xbfffffff) is Reserved.
# cmdline: memmap=2G$0x40000000
# modules: memory-notifier-error-inject
# binaries: bash bc
# kselftest: memory-hotplug/mem-on-off-test.sh
# timeout: 1500
# check-kernels: bookworm

boot=$(fingerprint)
SECONDS_RUN=60
RANGES=256M@0x40000000:1,256M@0x50000000:1,256M@0x60000000:1
AUTO=/sys/devices/system/memory/auto_online_blocks
auto_was=$(cat $AUTO)
now() { cut -d. -f1 /proc/uptime; }

load ranges=$RANGES
da=$(dev_by_range 0x40000000-0x4fffffff)
db=$(dev_by_range 0x50000000-0x5fffffff)
dc=$(dev_by_range 0x60000000-0x6fffffff)
echo offline > "$DEVS/$dc/online_type"
settle
expect_eq "three ranges: two online, one offline" \
	"$(attr "$da" state) $(attr "$db" state) $(attr "$dc" state)" "online online offline"
echo online > $AUTO

# Under lockdep (make check-debug) an admin's write to a block's state
# file that overlaps the kernel removing that block's device reads as
# "possible circular locking dependency": kn->active --> cpu_hotplug_lock
# --> mem_hotplug_lock (seen on 6.12.118). state_store() only trylocks
# the device hotplug lock that remove_memory() holds, and restarts the
# write: no deadlock, but lockdep cannot tell, and switches itself off
# for the rest of the boot. There the admin's writes and the removals
# (unbind, rmmod) take turns, under a mkdir lock; everything else still
# overlaps. On Debian's kernels nothing waits for anything.
if [ -e /proc/lockdep ]; then
	take_turn() { until mkdir /tmp/turn 2>/dev/null; do usleep 20000; done; }
	give_turn() { rmdir /tmp/turn; }
	diag "lockdep: the admin's block writes and the removals take turns"
else
	take_turn() { :; }
	give_turn() { :; }
fi
# until_removed DEV: waits while DEV's removal runs.
until_removed() {
	while [ "$(cat "$DEVS/$1/state" 2>/dev/null)" = removing ]; do
		usleep 50000
	done
}

end=$(( $(now) + SECONDS_RUN ))
# Each shell counts its writes and the ones the kernel took: a storm in
# which every write failed would test nothing.
# Shell 1: bind/unbind range a.
( n=0 took=0; while [ "$(now)" -lt $end ]; do
	take_turn
	echo "$da" > $DRV/unbind 2>/dev/null && took=$((took + 1))
	until_removed "$da"
	give_turn
	echo "$da" > $DRV/bind 2>/dev/null && took=$((took + 1))
	n=$((n + 2))
done; echo $n $took > /tmp/binds ) &
# Shell 2: range b's online type, offline / movable. Not kernel: the
# kernel's own allocations land in ZONE_NORMAL and pin it (seen: offline
# -EBUSY ever after), which is the kernel's to refuse, not ours to test.
( n=0 took=0; while [ "$(now)" -lt $end ]; do
	for t in offline movable; do
		echo $t > "$DEVS/$db/online_type" 2>/dev/null && took=$((took + 1))
		n=$((n + 1))
		usleep 200000
	done
done; echo $n $took > /tmp/types ) &
# Shell 3: an admin offlining and onlining blocks 8-13 by hand.
# A linear congruential generator picks block and word: the dash that
# these scripts are linted as has no $RANDOM.
( n=0 took=0 seed=1; while [ "$(now)" -lt $end ]; do
	seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
	blk=/sys/devices/system/memory/memory$((8 + (seed >> 16) % 6))/state
	if [ $(( (seed >> 8) % 2 )) -eq 0 ]; then w=offline; else w=online_movable; fi
	take_turn
	echo $w > $blk 2>/dev/null && took=$((took + 1))
	give_turn
	n=$((n + 1))
	usleep 100000
done; echo $n $took > /tmp/admin ) &
# Shell 4 (this one): rmmod and insmod in the middle.
sleep $((SECONDS_RUN / 2))
take_turn
check "rmmod in the middle returns" unload
give_turn
check "insmod again in the middle" load ranges=$RANGES
wait
read -r binds binds_took < /tmp/binds
read -r types types_took < /tmp/types
read -r admin admin_took < /tmp/admin
diag "concurrency: in ${SECONDS_RUN} s, bind/unbind writes $binds_took of $binds taken, online_type writes $types_took of $types, admin block writes $admin_took of $admin"
check "the storm: some bind and unbind writes were taken ($binds_took of $binds)" [ "${binds_took:-0}" -ge 2 ]
check "the storm: some online_type writes were taken ($types_took of $types)" [ "${types_took:-0}" -ge 2 ]
check "the storm: some admin block writes were taken ($admin_took of $admin)" [ "${admin_took:-0}" -ge 1 ]
echo "$auto_was" > $AUTO
settle
da=$(dev_by_range 0x40000000-0x4fffffff)
db=$(dev_by_range 0x50000000-0x5fffffff)
dc=$(dev_by_range 0x60000000-0x6fffffff)

# Consistent: nothing in flight, no orphan, one device per range, the
# state file agrees with the blocks, iomem and node 1 with what is added.
check "afterwards: nothing in flight" settle 5
expect_eq "afterwards: no orphan" "$(cat $DRV/orphans 2>/dev/null)" ""
expect_eq "afterwards: no range held twice" "$(duplicate_ranges)" ""
online_blocks=0 present=0 bound=0
for d in $da $db $dc; do
	st=$(attr "$d" state)
	[ -L "$DEVS/$d/driver" ] && bound=$((bound + 1))
	[ "$st" = absent ] && continue
	on=0 off=0
	blocks=$(attr "$d" memory_blocks)
	i=${blocks%-*}
	while [ "$i" -le "${blocks#*-}" ]; do
		if [ "$(cat /sys/devices/system/memory/memory$i/state)" = online ]; then on=$((on + 1)); else off=$((off + 1)); fi
		i=$((i + 1))
	done
	present=$((present + 1))
	online_blocks=$((online_blocks + on))
	if [ $off -eq 0 ]; then want=online; elif [ $on -eq 0 ]; then want=offline; else want=partial; fi
	expect_eq "afterwards: $d's state matches its blocks ($on online, $off offline)" "$st" "$want"
done
expect_eq "afterwards: one System RAM (kmem) per added range" "$(grep -c 'System RAM (kmem)' /proc/iomem)" "$present"
expect_eq "afterwards: node 1 holds exactly the online blocks" "$(node_memtotal_kb 1)" $((online_blocks * 128 * 1024))

# Each range, its type written once more after the storm, reaches it: a
# bound, b movable, c offline as configured (the admin's hand onlining
# of c's blocks is not the module's to undo by itself).
[ -L "$DEVS/$da/driver" ] || bind "$da"
[ "$(attr "$da" state)" = absent ] && { unbind "$da"; bind "$da"; }
set_online_type "$da" movable
set_online_type "$db" movable
set_online_type "$dc" offline
check "type written again: a every block online movable" blocks_all "$da" Movable
check "type written again: b every block online movable" blocks_all "$db" Movable
check "type written again: c every block offline" blocks_all "$dc" offline
expect_eq "afterwards: last_error 0 for all" "$(attr "$da" last_error) $(attr "$db" last_error) $(attr "$dc" last_error)" "0 0 0"

# The kernel's memory-hotplug selftest, its list of hot-pluggable blocks
# narrowed to the ranges' blocks 9-12 (boot memory is not ours to test):
# online the offline ones, offline and online half, then the same with
# memory-notifier-error-inject failing each direction.
st=/tests/kselftest/mem-on-off-test.sh
# The selftest onlines offline blocks with "online", the kernel's default
# zone: for c's offline blocks that is ZONE_NORMAL, which kernel
# allocations may pin for good (seen on the debug kernel: c then stayed
# System RAM at rmmod). With every block online movable first, its
# re-onlines land in ZONE_MOVABLE, but only between movable neighbours:
# the kernel keeps the zone a block lies inside the span of, and a lowest
# or highest block offlined falls outside it (seen on the debug kernel:
# block 8 came back in ZONE_NORMAL, a slab page pinned it, and rmmod left
# range a as System RAM). So blocks 8 and 13 stay out of the list.
set_online_type "$dc" movable
if [ ! -f $st ]; then
	skip "mem-on-off-test.sh" "not in linux-source-6.12"
else
	sed -i 's|for memory in $SYSFS/devices/system/memory/memory\*; do|for memory in $SYSFS/devices/system/memory/memory9 $SYSFS/devices/system/memory/memory1[0-2]; do|' $st
	check "mem-on-off-test.sh: narrowed to blocks 9-12" grep -q 'memory/memory9 .*memory/memory1\[0-2\]; do' $st
	mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
	/usr/bin/bash $st -r 50 > /tmp/st.log 2>&1
	rc=$?
	sed 's/^/# /' /tmp/st.log >&3
	expect_eq "mem-on-off-test.sh -r 50 over the ranges' blocks passes" "$rc" 0
	check "mem-on-off-test.sh: its error-injection part ran" sh -c '! grep -q "skip extra tests" /tmp/st.log'
	settle
	expect_eq "after the selftest: no orphan" "$(cat $DRV/orphans 2>/dev/null)" ""
fi
unload
expect_eq "rmmod: boot state" "$(fingerprint)" "$boot"
