# SPDX-License-Identifier: GPL-2.0
# Node 1 (0x40000000-0xbfffffff): first GiB legacy pmem, second GiB Reserved.
# cmdline: memmap=1G!0x40000000 memmap=1G$0x80000000
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
