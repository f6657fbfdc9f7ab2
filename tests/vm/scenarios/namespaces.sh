# SPDX-License-Identifier: GPL-2.0
# The caller's view of the file system decides nothing: rmmod from a
# chroot without /sys, and bind, unbind and online_type from a mount
# namespace whose /sys is unmounted (sysfs mounted elsewhere), work exactly
# as from the initial namespace.
# cmdline: memmap=1G!0x40000000 memmap=1G$0x80000000
# timeout: 600

boot=$(fingerprint)

rescue=/tmp/rescue
mkdir -p $rescue/bin
cp /bin/busybox $rescue/bin/busybox
load claim=legacy-pmem
dev=$(devices_of legacy-pmem)
expect_eq "range online" "$(attr "$dev" state)" online
chroot $rescue /bin/busybox test -e /sys/devices
expect_eq "the chroot has no /sys" "$?" 1
chroot $rescue /bin/busybox timeout 120 /bin/busybox rmmod dax_kmem
expect_eq "rmmod from a chroot without /sys succeeds" "$?" 0
expect_eq "rmmod from a chroot without /sys: boot state" "$(fingerprint)" "$boot"
check "rmmod from a chroot: nothing stranded" sh -c '! dmesg | grep -q "stays System RAM until reboot"'

load claim=legacy-pmem
dev=$(devices_of legacy-pmem)
# In a private mount namespace: /sys unmounted, sysfs at /mnt/sys instead.
in_ns() {
	unshare -m sh -c "umount -l /sys && mkdir -p /mnt/sys && mount -t sysfs sysfs /mnt/sys && $1"
}
in_ns "test ! -e /sys/devices && echo $dev > /mnt/sys/bus/platform/drivers/dax_kmem/unbind"
expect_eq "unbind from a namespace without /sys: the write succeeds" "$?" 0
settle
expect_eq "unbind from a namespace without /sys: removed" "$(attr "$dev" state) $(node_memtotal_kb 1)" "absent 0"
in_ns "echo $dev > /mnt/sys/bus/platform/drivers/dax_kmem/bind"
expect_eq "bind from a namespace without /sys: the write succeeds" "$?" 0
settle
expect_eq "bind from a namespace without /sys: online again" "$(attr "$dev" state)" online
check "bind from a namespace without /sys: blocks online movable" blocks_online_movable "$dev"
in_ns "echo offline > /mnt/sys/bus/platform/devices/$dev/online_type"
settle
check "online_type from a namespace without /sys: every block offline" blocks_all "$dev" offline
expect_eq "online_type from a namespace without /sys: last_error 0" "$(attr "$dev" last_error)" 0
set_online_type "$dev" movable
unload
expect_eq "after the namespace cases: boot state" "$(fingerprint)" "$boot"
