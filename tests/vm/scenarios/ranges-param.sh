# SPDX-License-Identifier: GPL-2.0
# ranges= with good and bad items in one load: the bad ones are refused with
# a precise errno and a message, the good ones are added all the same.
# Node 1 (0x40000000-0xbfffffff) is Reserved, none of it boot memory.
# cmdline: memmap=2G$0x40000000
# timeout: 900

boot=$(fingerprint)
boot_total=$(meminfo_kb MemTotal)
expect_eq "node 1 is memoryless at boot" "$(node_memtotal_kb 1)" 0

items="512M@0x40000000:1"		# explicit node
items="$items,300M@0x60100000:1"	# unaligned at both ends
items="$items,64M@0x78000000:1"		# smaller than one block
items="$items,256M@0x80000000:7"	# node not possible
items="$items,256M@0x30000000:1"	# System RAM
items="$items,512M@0x90000000:1"
items="$items,256M@0xa0000000:1"	# overlaps the one before
items="$items,1G@"			# parse error
items="$items,128M@0xb0000000"		# node from firmware (SRAT)
load ranges="$items"
expect_eq "load with bad items succeeds" "$?" 0
expect_eq "one device per well-formed item" "$(devices_of param | wc -w)" 8

d=$(dev_by_range 0x40000000-0x5fffffff)
expect_eq "explicit node: online" "$(attr "$d" state)" online
expect_eq "explicit node: on node 1" "$(attr "$d" node)" 1
expect_eq "explicit node: 512 MiB added" "$(attr "$d" added_bytes)" 536870912
check "explicit node: blocks online movable" blocks_online_movable "$d"

d=$(dev_by_range 0x60100000-0x72cfffff)
expect_eq "unaligned: online" "$(attr "$d" state)" online
expect_eq "unaligned: only the whole block inside is added" "$(attr "$d" added_range)" 0x68000000-0x6fffffff
expect_eq "unaligned: bytes lost to alignment reported" "$(attr "$d" alignment_loss_bytes)" 180355072
if dmesg | grep "dax_kmem $d:" | grep -q "180355072 bytes lost"; then
	ok "unaligned: dmesg reports the bytes lost"
else
	not_ok "unaligned: dmesg reports the bytes lost"
fi

expect_refused "smaller than a block" "$(dev_by_range 0x78000000-0x7bffffff)" -22 "too small"
expect_refused "node 7" "$(dev_by_range 0x80000000-0x8fffffff)" -22 "not possible"
expect_refused "overlapping System RAM" "$(dev_by_range 0x30000000-0x3fffffff)" -16 "overlaps System RAM"
d=$(dev_by_range 0x90000000-0xafffffff)
expect_eq "first of two overlapping ranges: online" "$(attr "$d" state)" online
expect_refused "second of two overlapping ranges" "$(dev_by_range 0xa0000000-0xafffffff)" -16 "overlaps $d"
check "parse error names the item" sh -c 'dmesg | grep -q "ranges= item 8 \"1G@\": start is not a number"'

d=$(dev_by_range 0xb0000000-0xb7ffffff)
expect_eq "no node given: firmware's node 1" "$(attr "$d" node)" 1
expect_eq "no node given: online" "$(attr "$d" state)" online

# 512M + 128M + 512M + 128M
expect_eq "MemTotal grows by exactly what was added" \
	"$(( $(meminfo_kb MemTotal) - boot_total ))" $(( 1280 * 1024 ))
expect_eq "node 1 holds exactly what was added" "$(node_memtotal_kb 1)" $(( 1280 * 1024 ))
expect_eq "refused ranges left no trace in iomem" \
	"$(grep -c 'dax_kmem' /proc/iomem)" 4

# A refused range stays refused when bound again by hand.
d=$(dev_by_range 0x80000000-0x8fffffff)
bind "$d"
expect_eq "manual bind of a refused range fails again" "$?" 1

# Removal by unbind, one range at a time, then re-bind.
d=$(dev_by_range 0x40000000-0x5fffffff)
unbind "$d"
expect_eq "unbind: state absent" "$(attr "$d" state)" absent
expect_eq "unbind: node 1 shrinks by 512 MiB" "$(node_memtotal_kb 1)" $(( 768 * 1024 ))
bind "$d"
expect_eq "re-bind: online again" "$(attr "$d" state)" online

unload
expect_eq "rmmod restores the boot state" "$(fingerprint)" "$boot"
