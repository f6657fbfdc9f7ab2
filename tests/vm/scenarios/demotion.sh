# SPDX-License-Identifier: GPL-2.0
# Demotion end to end: node 1 joins a tier below DRAM, and memory pressure
# on node 0 demotes pages to it instead of failing or swapping.
# cmdline: memmap=1G!0x40000000 memmap=1G$0x80000000
# timeout: 900

demoted() { awk '/^pgdemote_/ { s += $2 } END { print s + 0 }' /proc/vmstat; }

load claim=legacy-pmem
expect_eq "node 1 is in a tier below DRAM" "$(tier_of_node 0) $(tier_of_node 1)" "memory_tier4 memory_tier22"
if [ ! -w /sys/kernel/mm/numa/demotion_enabled ]; then
	skip "demotion to the slow tier" "this kernel has no /sys/kernel/mm/numa/demotion_enabled"
else
	echo 1 > /sys/kernel/mm/numa/demotion_enabled
	before=$(demoted)
	# Bound to node 0, so filling it makes node 0 reclaim, not fall back.
	mkdir -p /mnt/fast
	mount -t tmpfs -o size=1200M,mpol=bind:0 tmpfs /mnt/fast
	free0=$(node_meminfo_kb 0 MemFree)
	dd if=/dev/zero of=/mnt/fast/fill bs=1M count=$(( free0 / 1024 + 128 )) 2>/dev/null
	after=$(demoted)
	diag "pgdemote: $before -> $after; node 1 shmem $(node_meminfo_kb 1 Shmem) kB"
	check "pressure on node 0 demotes pages (pgdemote $before -> $after)" [ "$after" -gt "$before" ]
	check "demoted pages live on node 1" [ "$(node_meminfo_kb 1 Shmem)" -gt 0 ]
	rm -f /mnt/fast/fill
	umount /mnt/fast
	echo 0 > /sys/kernel/mm/numa/demotion_enabled
fi
unload
check "after rmmod: node 1 is in no tier" [ -z "$(tier_of_node 1)" ]
