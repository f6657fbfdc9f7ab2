# SPDX-License-Identifier: GPL-2.0
# make demo (x86): node 1's 1 GiB is described by firmware as legacy
# persistent memory (e820 type 12, here via memmap=1G!0x40000000), which the
# boot kernel leaves alone. dax_kmem turns it into System RAM on node 1.
# cmdline: memmap=1G!0x40000000 memmap=1G$0x80000000
# timeout: 600

say() { echo "$*" >&3; }
show() {
	say "--- $1"
	say "MemTotal:           $(meminfo_kb MemTotal) kB"
	if [ -e /sys/devices/system/node/node1/meminfo ]; then
		grep -E 'MemTotal|MemFree' /sys/devices/system/node/node1/meminfo >&3
	else
		say "node 1:             possible, no memory (no sysfs node yet)"
	fi
	say "nodes with memory:  $(cat /sys/devices/system/node/has_memory)"
	say "/proc/iomem around node 1:"
	grep -iE 'persistent|kmem|dax_kmem|40000000' /proc/iomem | sed 's/^/    /' >&3
	say "memory tiers:"
	for t in /sys/devices/virtual/memory_tiering/memory_tier*; do
		[ -e "$t/nodelist" ] && say "    $(basename "$t"): nodes $(cat "$t/nodelist")"
	done
}

show "before: boot state"
say ""
say "# insmod dax_kmem.ko claim=legacy-pmem"
t0=$(cut -d' ' -f1 /proc/uptime)
insmod "$KO" claim=legacy-pmem
t1=$(cut -d' ' -f1 /proc/uptime)
say "(insmod took $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s, TCG)"
dmesg | grep 'dax_kmem dax_kmem' | sed 's/^/    /' >&3
say ""
show "after: dax_kmem loaded"
dev=$(devices_of legacy-pmem)
say "device $dev sysfs:"
for a in source node state memory_blocks added_bytes alignment_loss_bytes range added_range; do
	say "    $a: $(cat "$DEVS/$dev/$a")"
done
say "zones of its blocks: $(for b in 8 9 10 11 12 13 14 15; do cat /sys/devices/system/memory/memory$b/valid_zones; done | sort | uniq -c | tr -s ' ')"
say ""
say "# rmmod dax_kmem"
rmmod dax_kmem
show "after rmmod: back to the boot state"
