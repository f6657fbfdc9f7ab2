# SPDX-License-Identifier: GPL-2.0
# Node 1 (0x40000000-0xbfffffff): first GiB legacy pmem, second GiB Reserved.
# cmdline: memmap=1G!0x40000000 memmap=1G$0x80000000
# modules: nd_e820 nd_pmem
# timeout: 900

GIB_KB=1048576
boot=$(fingerprint)
boot_total=$(meminfo_kb MemTotal)
expect_eq "node 1 is memoryless at boot" "$(node_memtotal_kb 1)" 0
expect_eq "node 1 is possible at boot" "$(cat /sys/devices/system/node/possible)" 0-1

# Without the opt-in, firmware ranges are not ours to take.
iomem_before=$(md5sum < /proc/iomem)
load
expect_eq "without claim=: no legacy-pmem device" "$(devices_of legacy-pmem | wc -l)" 0
expect_eq "without claim=: /proc/iomem unchanged" "$(md5sum < /proc/iomem)" "$iomem_before"
unload

for policy in offline online; do
	echo $policy > /sys/devices/system/memory/auto_online_blocks
	mark "claim-$policy"
	load claim=legacy-pmem
	dev=$(devices_of legacy-pmem)
	expect_eq "auto_online_blocks=$policy: one legacy-pmem device" "$(echo "$dev" | wc -w)" 1
	expect_eq "auto_online_blocks=$policy: state online" "$(attr "$dev" state)" online
	expect_eq "auto_online_blocks=$policy: MemTotal grows by exactly 1 GiB" \
		"$(( $(meminfo_kb MemTotal) - boot_total ))" $GIB_KB
	expect_eq "auto_online_blocks=$policy: node 1 holds exactly 1 GiB" "$(node_memtotal_kb 1)" $GIB_KB
	check "auto_online_blocks=$policy: every block online movable" blocks_online_movable "$dev"
	check "auto_online_blocks=$policy: iomem shows System RAM (kmem) in the range" \
		grep -q '^    40000000-7fffffff : System RAM (kmem)' /proc/iomem
	expect_eq "auto_online_blocks=$policy: sysfs added_bytes" "$(attr "$dev" added_bytes)" 1073741824
	expect_eq "auto_online_blocks=$policy: sysfs alignment_loss_bytes" "$(attr "$dev" alignment_loss_bytes)" 0
	expect_eq "auto_online_blocks=$policy: sysfs node" "$(attr "$dev" node)" 1
	expect_eq "auto_online_blocks=$policy: sysfs memory_blocks" "$(attr "$dev" memory_blocks)" 8-15
	unload
	expect_eq "auto_online_blocks=$policy: rmmod restores the boot state" "$(fingerprint)" "$boot"
done

# memmap on the range needs memory_hotplug.memmap_on_memory=1, which this
# boot lacks: the kernel would quietly use DRAM; the driver says so.
load claim=legacy-pmem memmap=range
dev=$(devices_of legacy-pmem)
expect_eq "memmap=range without the boot option: falls back to DRAM" "$(attr "$dev" memmap) $(attr "$dev" state)" "dram online"
check "memmap=range without the boot option: dmesg says why" \
	sh -c "dmesg | grep -q 'dax_kmem $dev: memmap on the range needs memory_hotplug.memmap_on_memory=1 at boot; it goes to DRAM'"
unload

# What udev does on a real system (tests/system/): nd_e820 and nd_pmem
# take the legacy pmem first. dax_kmem skips it, naming the owner, and
# the admin guide's hand-over (unbind the owner's device, then claim)
# gives it the range without a reboot.
refs() { lsmod | awk -v m="$1" '$1 == m { print $3 }'; }
if load_kmod nd_e820 && load_kmod nd_pmem; then
	refs_before="nd_e820 $(refs nd_e820) nd_pmem $(refs nd_pmem)"
	mark owned
	load claim=legacy-pmem
	expect_eq "owned by nd_e820: no range device" "$(devices_of legacy-pmem | wc -w)" 0
	line=$(dmesg_since_mark owned | grep 'Persistent Memory (legacy) .* skipped: owned by')
	diag "$line"
	check "owned by nd_e820: skipped, the owner and its driver named" \
		sh -c "echo '$line' | grep -q 'skipped: owned by e820_pmem (driver e820_pmem)'"
	unload
	# A typed range into the namespace: in use, whatever claim= says;
	# not the EPERM that would send the admin to claim= in vain.
	mark typed-owned
	load ranges=256M@0x40000000:1
	d=$(dev_by_range 0x40000000-0x4fffffff)
	expect_eq "typed range into pmem a namespace holds: refused, EBUSY" \
		"$(attr "$d" state) $(attr "$d" last_error)" "refused -16"
	# nd_pmem's namespace maps its pages (ZONE_DEVICE): the presence
	# check, which comes first, names them.
	check "typed range into pmem a namespace holds: dmesg says it is in use" sh -c \
		"dmesg | sed -n '/dax_kmem-test-mark typed-owned\$/,\$p' | grep 'dax_kmem $d:' | grep -q 'overlaps boot memory or memory already added\|in use by a driver or the kernel\|, in use'"
	unload
	expect_eq "skipping it leaves no reference on the owner's modules" \
		"nd_e820 $(refs nd_e820) nd_pmem $(refs nd_pmem)" "$refs_before"
	# The nvdimm bus nd_e820 registers pins it: rmmod alone cannot.
	rmmod nd_e820 2>/dev/null
	expect_eq "nd_e820 bound: rmmod refuses (its bus holds it)" "$?" 1
	echo e820_pmem > /sys/bus/platform/drivers/e820_pmem/unbind
	expect_eq "the guide's hand-over: unbind e820_pmem from its driver" "$?" 0
	rmmod nd_pmem && rmmod nd_e820
	expect_eq "after the unbind, nd_pmem and nd_e820 unload" "$?" 0
	load claim=legacy-pmem
	d=$(devices_of legacy-pmem)
	expect_eq "the guide's hand-over: claimed, online on node 1, 1 GiB" \
		"$(attr "$d" state) $(attr "$d" node) $(node_memtotal_kb 1)" "online 1 $GIB_KB"
	unload
	expect_eq "after the hand-over and rmmod: node 1 empty again" "$(node_memtotal_kb 1)" 0
else
	not_ok "nd_e820 and nd_pmem load (Debian modules shipped into the initramfs)"
fi
