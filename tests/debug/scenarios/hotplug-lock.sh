# SPDX-License-Identifier: GPL-2.0
# Probe and remove called with device_hotplug_lock held, as the ACPI core
# calls them for a device that appears through a bus check or is ejected
# (tests/debug/modules/hotplug_lock_holder.c does the holding). Neither may
# wait for that lock: the memory is added and removed by the worker once
# the lock is free. A probe or remove that adds or removes memory itself
# deadlocks here (the write never returns; lockdep reports recursive
# locking on device_hotplug_lock).
# cmdline: memmap=2G$0x40000000
# acpi: tests/vm/acpi/ssdt-dax-kmem.asl
# timeout: 900

HOLDER=/sys/module/hotplug_lock_holder/parameters

# under_lock VERB DEV: writes DEV to the holder's VERB file; fails when the
# write has not returned after 60 s (the deadlock), else returns its status.
under_lock() {
	rm -f /tmp/holder.rc
	(echo "$2" > "$HOLDER/$1" 2>/dev/null; echo $? > /tmp/holder.rc) &
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

# SLM0's range device, bound and unbound with the lock held.
load
d=$(dev_by_range 0x40000000-0x7fffffff)
prp=$(basename "$(readlink -f "$DEVS/$d/..")")
expect_eq "SLM0's range online after load" "$(attr "$d" state)" online
total=$(node_memtotal_kb 1)
unbind "$d"
expect_eq "range device: unbound" "$(attr "$d" state)" absent
expect_eq "range device: node 1 lost its 1 GiB" "$(node_memtotal_kb 1)" $((total - 1024 * 1024))
check "range device: bind with device_hotplug_lock held returns" under_lock attach "$d"
settle
expect_eq "range device: online once the lock is free" "$(attr "$d" state)" online
expect_eq "range device: node 1 as before" "$(node_memtotal_kb 1)" "$total"
check "range device: unbind with device_hotplug_lock held returns" under_lock release "$d"
settle
expect_eq "range device: removed once the lock is free" "$(attr "$d" state)" absent
expect_eq "range device: node 1 lost its 1 GiB again" "$(node_memtotal_kb 1)" $((total - 1024 * 1024))
bind "$d"
expect_eq "range device: bound again normally" "$(attr "$d" state)" online

# The PRP0001 parent: its firmware driver's probe registers the range
# device, whose probe then runs with the lock still held (the bus check),
# and its remove unregisters it (the eject). The memory of a range whose
# device is gone is removed by the worker; the driver's orphans file
# shows it until then.
check "PRP0001: eject (parent unbound with device_hotplug_lock held) returns" \
	under_lock release "$prp"
settle
check "PRP0001: after the eject its range device is gone" [ ! -e "$DEVS/$d" ]
expect_eq "PRP0001: after the eject node 1 lost SLM0's 1 GiB" \
	"$(node_memtotal_kb 1)" $((total - 1024 * 1024))
expect_eq "PRP0001: after the eject no orphan is left" "$(cat "$DRV/orphans")" ""
check "PRP0001: bus check (parent bound with device_hotplug_lock held) returns" \
	under_lock attach "$prp"
settle
d=$(dev_by_range 0x40000000-0x7fffffff)
expect_eq "PRP0001: after the bus check SLM0's range online" "$(attr "$d" state)" online
expect_eq "PRP0001: after the bus check node 1 as before" "$(node_memtotal_kb 1)" "$total"
unload
expect_eq "boot state after rmmod" "$(fingerprint)" "$boot"
