# SPDX-License-Identifier: GPL-2.0
# Ranges at run time (new_range, remove_range), the descriptor file
# (load_ranges, ranges_file=), known-bad pages from each of those and from
# sysfs, pages poisoned while online, and lockdown. Node 1
# (0x40000000-0xbfffffff) is Reserved, none of it boot memory.
# cmdline: memmap=2G$0x40000000 memory_hotplug.memmap_on_memory=1
# timeout: 1200

boot=$(fingerprint)
boot_hc=$(meminfo_kb HardwareCorrupted)

# refused_write NAME FILE VALUE ERROR PATTERN: the write fails with ERROR,
# dmesg says PATTERN, and no device is left behind.
marks=0
refused_write() {
	before=$(devices_of | wc -w)
	marks=$((marks + 1))
	mark "refused-$marks"
	expect_eq "$1: write fails" "$(write_status "$2" "$3")" "$4"
	if dmesg_since_mark "refused-$marks" | grep -qF -- "$5"; then
		ok "$1: dmesg says '$5'"
	else
		not_ok "$1: dmesg says '$5'"
		dmesg_since_mark "refused-$marks" | sed 's/^/# /' >&3
	fi
	expect_eq "$1: no device left" "$(devices_of | wc -w)" "$before"
}
hc_kb() { echo $(( $(meminfo_kb HardwareCorrupted) - boot_hc )); }

load
expect_eq "load with no ranges" "$(devices_of | wc -w)" 0
expect_eq "new_range is root's only, write-only" "$(stat -c %a $DRV/new_range)" 200
expect_eq "remove_range is root's only, write-only" "$(stat -c %a $DRV/remove_range)" 200
expect_eq "load_ranges is root's only, write-only" "$(stat -c %a $DRV/load_ranges)" 200

# --- new_range and remove_range
expect_eq "new_range: a range with policy keys" \
	"$(write_status $DRV/new_range "512M@0x40000000:1 online_type=offline memmap=dram")" ok
settle
d=$(dev_by_range 0x40000000-0x5fffffff)
expect_eq "new_range: its device says source runtime" "$(attr "$d" source)" runtime
expect_eq "new_range: added" "$(attr "$d" state)" offline
expect_eq "new_range: the online_type key applies" "$(attr "$d" online_type)" offline
expect_eq "new_range: the memmap key applies" "$(attr "$d" memmap)" dram
check "new_range: every block offline" blocks_all "$d" offline
set_online_type "$d" movable
check "new_range: online_type writes work on it" blocks_online_movable "$d"
expect_eq "new_range: node 1 holds 512 MiB" "$(node_memtotal_kb 1)" $(( 512 * 1024 ))

refused_write "new_range: overlap with another range" $DRV/new_range \
	"512M@0x50000000:1" "Device or resource busy" "overlaps $d"
refused_write "new_range: System RAM" $DRV/new_range \
	"256M@0x30000000:1" "Device or resource busy" "overlaps System RAM"
refused_write "new_range: node not possible" $DRV/new_range \
	"256M@0x80000000:7" "Invalid argument" "not possible"
refused_write "new_range: smaller than a block" $DRV/new_range \
	"64M@0x78000000:1" "Invalid argument" "too small"
refused_write "new_range: unknown key" $DRV/new_range \
	"512M@0x60000000:1 zone=movable" "Invalid argument" \
	"new_range: key: not one of online_type, memmap, adistance, bad_pages (column 19)"
refused_write "new_range: bad memmap value" $DRV/new_range \
	"512M@0x60000000:1 memmap=ram" "Invalid argument" "new_range: memmap: not one of dram, range"
refused_write "new_range: key given twice" $DRV/new_range \
	"512M@0x60000000:1 memmap=dram memmap=range" "Invalid argument" "new_range: memmap: given twice"
refused_write "new_range: parse error" $DRV/new_range \
	"1G@" "Invalid argument" "new_range: range: start is not a number"
refused_write "new_range: empty write" $DRV/new_range \
	"" "Invalid argument" "new_range: range: empty item"
refused_write "new_range: two lines in one write" $DRV/new_range \
	"$(printf '512M@0x60000000:1\n512M@0x80000000:1')" "Invalid argument" "new_range: one range per write"
refused_write "new_range: bad page outside the range" $DRV/new_range \
	"512M@0x60000000:1 bad_pages=0x40000000" "Invalid argument" \
	"new_range: bad_pages: an address is outside the range"
refused_write "new_range: 4000 bytes of garbage" $DRV/new_range \
	"$(head -c 4000 /dev/zero | tr '\0' 'x')" "Invalid argument" "new_range: range: too long"

# A NUL inside the write is not the end of the line.
before=$(devices_of | wc -w)
printf '512M@0x60000000:1\000 online_type=kernel\n' > $DRV/new_range 2>/dev/null
expect_eq "new_range: a NUL inside the write is refused" "$?" 1
expect_eq "new_range: a NUL inside the write leaves no device" "$(devices_of | wc -w)" "$before"
refused_write "remove_range: no such device" $DRV/remove_range \
	"dax_kmem.99" "No such device" 'remove_range: no range device "dax_kmem.99"'
expect_eq "remove_range: a runtime range" "$(write_status $DRV/remove_range "$d")" ok
settle
check "remove_range: its device is gone" test ! -e "$DEVS/$d"
expect_eq "remove_range: node 1 is empty again" "$(node_memtotal_kb 1)" 0
expect_eq "remove_range: nothing of dax_kmem left in iomem" "$(grep -c dax_kmem /proc/iomem)" 0

# --- the descriptor file, from the initramfs's /lib/firmware
mkdir -p /lib/firmware/dax_kmem
cat > /lib/firmware/dax_kmem/ranges.txt <<'TABLE'
# slow memory on node 1
256M@0x40000000:1		# a comment after a range
256M@0x50000000:1 memmap=ram

256M@0x60000000:1 online_type=offline
256M@0x40000000:1
bogus
TABLE
mark load-ranges
expect_eq "load_ranges: the file loads" "$(write_status $DRV/load_ranges dax_kmem/ranges.txt)" ok
settle
expect_eq "load_ranges: two good lines, two devices of source file" "$(devices_of file | wc -w)" 2
log=$(dmesg_since_mark load-ranges)
for want in "dax_kmem/ranges.txt:3: memmap: not one of dram, range (column 19)" \
	"dax_kmem/ranges.txt:6: [mem 0x40000000-0x4fffffff] refused (-16)" \
	"dax_kmem/ranges.txt:7: range: size is not a number with optional K/M/G/T suffix (column 1)" \
	"descriptor file dax_kmem/ranges.txt: 2 ranges registered, 3 lines refused"; do
	if echo "$log" | grep -qF -- "$want"; then ok "load_ranges: dmesg says '$want'"; else not_ok "load_ranges: dmesg says '$want'"; fi
done
expect_eq "load_ranges: line 2 online" "$(attr "$(dev_by_range 0x40000000-0x4fffffff)" state)" online
d=$(dev_by_range 0x60000000-0x6fffffff)
expect_eq "load_ranges: line 5 online_type=offline applies" "$(attr "$d" online_type)" offline
check "load_ranges: line 5's blocks are offline" blocks_all "$d" offline
refused_write "load_ranges: a file that does not exist" $DRV/load_ranges \
	"dax_kmem/missing.txt" "No such file or directory" "descriptor file dax_kmem/missing.txt: not found"
refused_write "load_ranges: a name that leaves /lib/firmware" $DRV/load_ranges \
	"../../etc/passwd" "Invalid argument" 'descriptor file "../../etc/passwd": a name under /lib/firmware'
unload
expect_eq "after rmmod: boot state" "$(fingerprint)" "$boot"
load ranges_file=dax_kmem/ranges.txt
expect_eq "ranges_file=: the same two ranges at load" "$(devices_of file | wc -w)" 2
unload
expect_eq "after rmmod: boot state again" "$(fingerprint)" "$boot"

# --- bad pages: 1 GiB with 3 known-bad pages, one where block 0's memmap
# would go (so the memmap goes to DRAM)
bad="0x40001000 0x52345000 0x7ffff000"
load
expect_eq "bad pages: new_range with three" \
	"$(write_status $DRV/new_range "1G@0x40000000:1 memmap=range bad_pages=0x40001000,0x52345000,0x7ffff000")" ok
settle
d=$(dev_by_range 0x40000000-0x7fffffff)
expect_eq "bad pages: online" "$(attr "$d" state)" online
check "bad pages: every block online movable" blocks_online_movable "$d"
expect_eq "bad pages: all of the 1 GiB is added" "$(attr "$d" added_bytes)" 1073741824
expect_eq "bad pages: HardwareCorrupted grows by 12 kB" "$(hc_kb)" 12
# shellcheck disable=SC2086
check "bad pages: the three pages are poisoned, in no LRU" all_poisoned $bad
expect_eq "bad pages: sysfs lists them as bad_pages= takes them" "$(attr "$d" bad_pages)" \
	0x40001000,0x52345000,0x7ffff000
check "bad pages: one in a memmap's place sends the memmap to DRAM" sh -c \
	"dmesg | grep 'dax_kmem $d:' | grep -q 'a bad page lies where a block.s memmap would go'"
expect_eq "bad pages: no memmap on the range" "$(attr "$d" memmap_range_bytes)" 0

# Fill node 1 with tmpfs pages bound to it, to within 24 MiB.
free=$(node_meminfo_kb 1 MemFree)
mkdir -p /mnt/node1
mount -t tmpfs -o size=1G,mpol=bind:1 tmpfs /mnt/node1
dd if=/dev/zero of=/mnt/node1/fill bs=1M count=$(( (free - 24 * 1024) / 1024 )) 2>/dev/null
left=$(node_meminfo_kb 1 MemFree)
check "fill: node 1 is full (MemFree $left kB)" test "$left" -lt $(( 48 * 1024 ))
# shellcheck disable=SC2086
check "fill: the bad pages were never handed out" all_poisoned $bad
rm -f /mnt/node1/fill
umount /mnt/node1

# Pages poisoned while online: the kernel's own sysfs files.
if [ -w /sys/devices/system/memory/hard_offline_page ]; then
	echo 0x60005000 > /sys/devices/system/memory/hard_offline_page
	echo 0x70007000 > /sys/devices/system/memory/soft_offline_page
	bad="$bad 0x60005000 0x70007000"
	expect_eq "runtime poison: bad_pages lists hard- and soft-offlined pages" "$(attr "$d" bad_pages)" \
		0x40001000,0x52345000,0x60005000,0x70007000,0x7ffff000
	expect_eq "runtime poison: HardwareCorrupted 20 kB" "$(hc_kb)" 20
else
	skip "runtime poison: bad_pages lists hard- and soft-offlined pages" "no hard_offline_page (CONFIG_MEMORY_FAILURE off)"
	skip "runtime poison: HardwareCorrupted 20 kB" "no hard_offline_page"
fi
n=$(echo $bad | wc -w)

unbind "$d"
expect_eq "unbind with poisoned pages: memory removed" "$(attr "$d" state)" absent
expect_eq "unbind: node 1 is empty" "$(node_memtotal_kb 1)" 0
check "unbind: a recorded page is named in dmesg" sh -c \
	"dmesg | grep 'dax_kmem $d:' | grep -q 'was poisoned while online: recorded as bad' || [ $n -eq 3 ]"
diag "HardwareCorrupted after the removal: $(hc_kb) kB above boot"
hc_removed=$(hc_kb)
bind "$d"
expect_eq "bind again: online" "$(attr "$d" state)" online
# shellcheck disable=SC2086
check "bind again: every bad page poisoned again" all_poisoned $bad
expect_eq "bind again: HardwareCorrupted counts each once more" "$(hc_kb)" $(( hc_removed + n * 4 ))
saved=$(attr "$d" bad_pages)
expect_eq "bind again: the list is the same" "$(echo "$saved" | tr ',' '\n' | wc -l)" "$n"

# bad_pages written by hand, before binding only.
refused_write "bad_pages: a write while bound" "$DEVS/$d/bad_pages" 0x44444000 \
	"Device or resource busy" "bad_pages: written while the range is bound"
unbind "$d"
refused_write "bad_pages: garbage" "$DEVS/$d/bad_pages" zz "Invalid argument" \
	"bad_pages: an address is not a number"
refused_write "bad_pages: outside the range" "$DEVS/$d/bad_pages" 0x80000000 "Invalid argument" \
	"bad_pages: an address is outside the range"
refused_write "bad_pages: a policy key" "$DEVS/$d/bad_pages" "0x44444000 online_type=kernel" \
	"Invalid argument" "bad_pages: addresses only, comma-separated"
expect_eq "bad_pages: a write while unbound" "$(write_status "$DEVS/$d/bad_pages" 0x44444000)" ok
bind "$d"
check "bad_pages: the written page is poisoned at bind" poisoned 0x44444000
expect_eq "bad_pages: the list holds it" "$(attr "$d" bad_pages | tr ',' '\n' | grep -c 0x44444000)" 1
saved=$(attr "$d" bad_pages)

# Module reload: the list survives as the admin keeps it (here a file).
unload
expect_eq "reload: rmmod with poisoned pages leaves the boot state" "$(fingerprint)" "$boot"
hc_reload=$(hc_kb)
echo "1G@0x40000000:1 bad_pages=$saved" > /lib/firmware/dax_kmem/bad.txt
load ranges_file=dax_kmem/bad.txt
d=$(devices_of file)
expect_eq "reload: online" "$(attr "$d" state)" online
check "reload: every block online movable" blocks_online_movable "$d"
# shellcheck disable=SC2086
check "reload: every bad page poisoned again" all_poisoned $bad 0x44444000
expect_eq "reload: HardwareCorrupted counts each once more" "$(hc_kb)" $(( hc_reload + (n + 1) * 4 ))
expect_eq "reload: bad_pages reads what was saved" "$(attr "$d" bad_pages)" "$saved"

# --- races: new_range and remove_range against bind and unbind, and
# against each other, for a while; then everything is consistent.
race_new_remove() {
	i=0
	while [ $i -lt 12 ]; do
		echo "256M@0x80000000:1" > $DRV/new_range 2>/dev/null
		n=$(dev_by_range 0x80000000-0x8fffffff)
		[ -n "$n" ] && echo "$n" > $DRV/remove_range 2>/dev/null
		i=$((i + 1))
	done
}
race_bind_unbind() {
	i=0
	while [ $i -lt 6 ]; do
		echo "$d" > $DRV/unbind 2>/dev/null
		echo "$d" > $DRV/bind 2>/dev/null
		i=$((i + 1))
	done
}
race_remove_vs_bind() {
	i=0
	while [ $i -lt 12 ]; do
		echo "256M@0x90000000:1" > $DRV/new_range 2>/dev/null
		n=$(dev_by_range 0x90000000-0x9fffffff)
		if [ -n "$n" ]; then
			echo "$n" > $DRV/unbind 2>/dev/null &
			echo "$n" > $DRV/remove_range 2>/dev/null
			wait $!
		fi
		i=$((i + 1))
	done
}
race_new_remove &
r1=$!
race_bind_unbind &
r2=$!
race_remove_vs_bind
wait $r1 $r2
settle 180
# A bind that lost to an unbind leaves the range unbound: bind it once.
[ "$(attr "$d" state)" = online ] || bind "$d"
expect_eq "races: the long-lived range ends online" "$(attr "$d" state)" online
check "races: its blocks all online movable" blocks_online_movable "$d"
expect_eq "races: no device left of the raced ranges" \
	"$(dev_by_range 0x80000000-0x8fffffff)$(dev_by_range 0x90000000-0x9fffffff)" ""
expect_eq "races: no orphan left" "$(cat $DRV/orphans)" ""
expect_eq "races: node 1 holds exactly the 1 GiB range" "$(node_memtotal_kb 1)" $(( 1024 * 1024 ))
expect_eq "races: one System RAM (kmem) in iomem" "$(grep -c 'System RAM (kmem)' /proc/iomem)" 1
# shellcheck disable=SC2086
check "races: every bad page still poisoned" all_poisoned $bad 0x44444000

# rmmod while new_range writes keep coming: no device may outlive the
# module (its range is freed by the exit).
( i=0; while [ $i -lt 200 ]; do echo "256M@0xa0000000:1" > $DRV/new_range 2>/dev/null; i=$((i + 1)); done ) &
racer=$!
unload
wait $racer
left=0
for dev in /sys/bus/platform/devices/dax_kmem.*; do [ -e "$dev" ] && left=$((left + 1)); done
expect_eq "rmmod racing new_range: no dax_kmem device left" "$left" 0
load ranges_file=dax_kmem/bad.txt
d=$(devices_of file)
expect_eq "reload after the race: online" "$(attr "$d" state)" online

# --- lockdown, last: it cannot be lifted, and no unsigned module loads
# under it, so ranges= at load cannot be tried here.
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
if [ -w /sys/kernel/security/lockdown ] && echo integrity > /sys/kernel/security/lockdown; then
	refused_write "lockdown: new_range" $DRV/new_range "256M@0x80000000:1" \
		"Operation not permitted" "new_range refused: the kernel is locked down"
	refused_write "lockdown: load_ranges" $DRV/load_ranges dax_kmem/ranges.txt \
		"Operation not permitted" "descriptor file refused: the kernel is locked down"
	expect_eq "lockdown: the range there stays online" "$(attr "$d" state)" online
	unbind "$d"
	refused_write "lockdown: growing an unbound range" "$DEVS/$d/size" 2G \
		"Operation not permitted" "growing a range refused: the kernel is locked down"
	expect_eq "lockdown: shrinking takes no new address, and works" \
		"$(write_status "$DEVS/$d/size" 512M)" ok
	bind "$d"
	expect_eq "lockdown: bound again with the smaller size" "$(attr "$d" added_bytes)" 536870912
	expect_eq "lockdown: remove_range takes no address, and works" "$(write_status $DRV/remove_range "$d")" ok
	settle
	expect_eq "lockdown: node 1 is empty again" "$(node_memtotal_kb 1)" 0
else
	skip "lockdown: new_range" "this kernel has no lockdown LSM"
fi
skip "lockdown: ranges= at load" "an unsigned module does not load under lockdown; tested: new_range and the file"
unload
expect_eq "rmmod: boot state" "$(fingerprint)" "$boot"
