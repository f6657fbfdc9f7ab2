# SPDX-License-Identifier: GPL-2.0
# device_hotplug_lock held by someone else (tests/debug/modules/
# hotplug_lock_holder.c does the holding):
# - a bind under it, as the ACPI core binds a device that appears through
#   a bus check: the probe must not wait for the lock (the memory is added
#   by the worker once it is free). A probe that adds memory itself
#   deadlocks: the write never returns.
# - an offline of the PRP0001 device under it, as an ACPI eject starts: it
#   is refused (-EPERM) while the device holds memory, nothing changes.
# - the lock held for a while, as by an admin's slow offline elsewhere: a
#   removal waits for it, and that wait does not count against
#   offline_timeout.
# cmdline: memmap=2G$0x40000000
# acpi: tests/vm/acpi/ssdt-dax-kmem.asl
# timeout: 900

HOLDER=/sys/module/hotplug_lock_holder/parameters
TIMEOUT=/sys/module/dax_kmem/parameters/offline_timeout

# under_lock VERB DEV: writes DEV to the holder's VERB file; fails when the
# write has not returned after 60 s (the deadlock), else returns its status.
under_lock() {
	rm -f /tmp/holder.rc
	(echo "$2" > "$HOLDER/$1" 2>/dev/null; echo $? > /tmp/holder.new
	 mv /tmp/holder.new /tmp/holder.rc) &
	i=0
	while [ ! -f /tmp/holder.rc ] && [ $i -lt 600 ]; do
		usleep 100000
		i=$((i + 1))
	done
	if [ ! -f /tmp/holder.rc ]; then
		diag "$1 $2 under device_hotplug_lock did not return in 60 s"
		return 124
	fi
	return "$(cat /tmp/holder.rc)"
}

boot=$(fingerprint)
check "the holder module loads" insmod /lib/modules/test/hotplug_lock_holder.ko

load
d=$(dev_by_range 0x40000000-0x7fffffff)
prp=$(basename "$(readlink -f "$DEVS/$d/..")")
expect_eq "SLM0's range online after load" "$(attr "$d" state)" online
total=$(node_memtotal_kb 1)

# 1. The range device bound with the lock held.
unbind "$d"
expect_eq "range device: unbound" "$(attr "$d" state)" absent
expect_eq "range device: node 1 lost its 1 GiB" "$(node_memtotal_kb 1)" $((total - 1024 * 1024))
check "range device: bind with device_hotplug_lock held returns" under_lock attach "$d"
settle
expect_eq "range device: online once the lock is free" "$(attr "$d" state)" online
expect_eq "range device: node 1 as before" "$(node_memtotal_kb 1)" "$total"

# 2. An eject's first step: the PRP0001 device offlined under the lock.
under_lock offline "$prp"
expect_eq "eject: offline of $prp under device_hotplug_lock refused (EPERM)" "$?" 1
expect_eq "eject: SLM0's range still online" "$(attr "$d" state)" online
expect_eq "eject: node 1 unchanged" "$(node_memtotal_kb 1)" "$total"

# 3. A removal while another task holds the lock for 8 s, offline_timeout
# 3 s: the removal waits and then succeeds.
echo 3 > $TIMEOUT
(echo 8 > "$HOLDER/hold") &
usleep 500000
mark contended
unbind "$d"
expect_eq "contended lock: removed after the wait, not timed out" \
	"$(attr "$d" state) $(attr "$d" last_error)" "absent 0"
expect_eq "contended lock: node 1 lost its 1 GiB" "$(node_memtotal_kb 1)" $((total - 1024 * 1024))
expect_eq "contended lock: no offline failure logged" \
	"$(dmesg_since_mark contended | grep -c "dax_kmem $d: .*failed")" 0
wait
echo 10 > $TIMEOUT
bind "$d"
expect_eq "range device: bound again normally" "$(attr "$d" state)" online

# 4. The PRP0001 parent unbound (its range goes in the background, shown
# in orphans until then), then bound with the lock held (the bus check):
# its probe registers the range device, whose probe runs under the lock.
echo "$prp" > "$FWDRV/unbind"
settle
check "parent unbound: its range device is gone" [ ! -e "$DEVS/$d" ]
expect_eq "parent unbound: node 1 lost SLM0's 1 GiB" \
	"$(node_memtotal_kb 1)" $((total - 1024 * 1024))
expect_eq "parent unbound: no orphan is left" "$(cat "$DRV/orphans")" ""
check "bus check: parent bound with device_hotplug_lock held returns" \
	under_lock attach "$prp"
settle
d=$(dev_by_range 0x40000000-0x7fffffff)
expect_eq "bus check: SLM0's range online" "$(attr "$d" state)" online
expect_eq "bus check: node 1 as before" "$(node_memtotal_kb 1)" "$total"
unload
expect_eq "boot state after rmmod" "$(fingerprint)" "$boot"
