# SPDX-License-Identifier: GPL-2.0
# Policy from Device Tree properties (dts/qemu-arm64-policy.dtsi): they
# beat the module parameters, sysfs beats them, and two distances put two
# slow nodes in two tiers.
# cmdline: memory_hotplug.memmap_on_memory=1
# dts: dts/qemu-arm64-policy.dtsi
# timeout: 900

boot=$(fingerprint)
load online_type=movable
n1=$(dev_by_range 0x80000000-0xbfffffff)
n2=$(dev_by_range 0xc0000000-0xffffffff)
expect_eq "online-type = \"offline\" beats online_type=movable: node 1 offline" \
	"$(attr "$n1" state) $(node_memtotal_kb 1)" "offline 0"
check "online-type = \"offline\": every block offline" blocks_all "$n1" offline
set_online_type "$n1" movable
check "sysfs beats the DT property: every block online movable" blocks_all "$n1" Movable
expect_eq "abstract-distance = <1500>: node 1 in memory_tier11" "$(tier_of_node 1)" memory_tier11
expect_eq "memmap-placement = \"range\": on the range" \
	"$(attr "$n2" memmap) $(attr "$n2" memmap_dram_bytes) $(attr "$n2" memmap_range_bytes)" "range 0 16777216"
expect_eq "memmap-placement = \"range\": node 2 usable size smaller by it" "$(node_memtotal_kb 2)" $(( (1024 - 16) * 1024 ))
expect_eq "no abstract-distance: node 2 at the default (memory_tier22)" "$(tier_of_node 2)" memory_tier22
expect_eq "two distances, two tiers below DRAM" "$(tier_of_node 0) $(tier_of_node 1) $(tier_of_node 2)" \
	"memory_tier4 memory_tier11 memory_tier22"
unload
expect_eq "rmmod: boot state" "$(fingerprint)" "$boot"
expect_eq "rmmod: nodes 1 and 2 in no tier" "$(tier_of_node 1)$(tier_of_node 2)" ""
