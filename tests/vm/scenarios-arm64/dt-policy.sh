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
# The memmap goes on the range where the kernel can put it there and take
# it back: not with 16 KiB pages (a block's memmap is no whole number of
# pageblocks), nor where arm64 will not split the vmemmap's mapping to
# offline such a block (arm64 since 6.18); the driver then says so and
# uses DRAM. Which one is expected comes from the page size and the
# kernel's series; sizes come from the driver's figures, not from 4
# KiB-page arithmetic.
mm=$(attr "$n2" memmap) mm_dram=$(attr "$n2" memmap_dram_bytes) mm_range=$(attr "$n2" memmap_range_bytes)
page_kb=$(awk '/^KernelPageSize:/ { print $2; exit }' /proc/self/smaps)
diag "memmap-placement = \"range\": $mm ($mm_dram bytes in DRAM, $mm_range on the range), ${page_kb} KiB pages"
expect=dram
[ "$page_kb" = 4 ] && kernel_between 6.0 6.18 && expect=range
expect_eq "memmap-placement = \"range\": placed where this kernel (${page_kb} KiB pages, $(uname -r)) can" "$mm" "$expect"
if [ "$expect" = range ]; then
	check "memmap-placement = \"range\": on the range, nothing in DRAM" \
		[ "$mm_dram" -eq 0 ] && [ "$mm_range" -gt 0 ]
	expect_eq "memmap-placement = \"range\": node 2 usable size smaller by it" \
		"$(node_memtotal_kb 2)" $(( 1024 * 1024 - mm_range / 1024 ))
else
	check "memmap-placement = \"range\" the kernel cannot honour: DRAM, and dmesg says why" sh -c \
		"[ '$mm $mm_range' = 'dram 0' ] && dmesg | grep -q 'dax_kmem $n2: memmap on the range: .*; it goes to DRAM'"
	expect_eq "memmap-placement = \"range\" the kernel cannot honour: node 2 whole" \
		"$(node_memtotal_kb 2)" $(( 1024 * 1024 ))
fi
expect_eq "no abstract-distance: node 2 at the default (memory_tier22)" "$(tier_of_node 2)" memory_tier22
expect_eq "two distances, two tiers below DRAM" "$(tier_of_node 0) $(tier_of_node 1) $(tier_of_node 2)" \
	"memory_tier4 memory_tier11 memory_tier22"
unload
expect_eq "rmmod: boot state" "$(fingerprint)" "$boot"
expect_eq "rmmod: nodes 1 and 2 in no tier" "$(tier_of_node 1)$(tier_of_node 2)" ""
