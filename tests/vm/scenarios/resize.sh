# SPDX-License-Identifier: GPL-2.0
# Growing and shrinking an added range at its end through its size file:
# by whole blocks, all of a change or none, each grow checked as a new
# range would be; a shrink of memory in use fails safely and keeps every
# byte. Node 1 (0x40000000-0xbfffffff) is Reserved, none of it boot memory.
# cmdline: memmap=2G$0x40000000 memory_hotplug.memmap_on_memory=1
# timeout: 1200

boot=$(fingerprint)
HP=/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages
marks=0
# refused_size NAME DEV VALUE ERROR PATTERN: the write fails with ERROR,
# dmesg says PATTERN, and the range is as it was.
refused_size() {
	marks=$((marks + 1))
	mark "resize-$marks"
	was="$(attr "$2" size) $(attr "$2" added_bytes) $(attr "$2" state)"
	expect_eq "$1: write fails" "$(write_status "$DEVS/$2/size" "$3")" "$4"
	settle
	if dmesg_since_mark "resize-$marks" | grep -qF -- "$5"; then
		ok "$1: dmesg says '$5'"
	else
		not_ok "$1: dmesg says '$5'"
		dmesg_since_mark "resize-$marks" | sed 's/^/# /' >&3
	fi
	expect_eq "$1: the range is as it was" \
		"$(attr "$2" size) $(attr "$2" added_bytes) $(attr "$2" state)" "$was"
}
kmem_lines() { grep -c 'System RAM (kmem)' /proc/iomem; }
resize() {
	echo "$2" > "$DEVS/$1/size"
	rc=$?
	settle
	return $rc
}

load ranges=512M@0x40000000:1,256M@0x80000000:1
d=$(dev_by_range 0x40000000-0x5fffffff)
d2=$(dev_by_range 0x80000000-0x8fffffff)
expect_eq "two ranges online" "$(attr "$d" state) $(attr "$d2" state)" "online online"
expect_eq "size reads the range's size" "$(attr "$d" size)" 536870912

check "grow 512M to 1G" resize "$d" 1G
expect_eq "grow: online" "$(attr "$d" state)" online
expect_eq "grow: 1 GiB added" "$(attr "$d" added_bytes)" 1073741824
expect_eq "grow: the range file follows" "$(attr "$d" range)" 0x40000000-0x7fffffff
check "grow: every block online movable, the new ones too" blocks_online_movable "$d"
expect_eq "grow: node 1 holds 1 GiB + 256 MiB" "$(node_memtotal_kb 1)" $(( 1280 * 1024 ))
expect_eq "grow: still one System RAM (kmem) resource per range" "$(kmem_lines)" 2
expect_eq "grow: last_error 0" "$(attr "$d" last_error)" 0

refused_size "grow into another range" "$d" 1280M "Device or resource busy" \
	"size: [mem 0x80000000-0x8fffffff] overlaps $d2"
refused_size "grow by part of a block" "$d" 1088M "Invalid argument" \
	"size: an added range changes by whole 128 MiB blocks"
refused_size "size that is no number" "$d" 1Q "Invalid argument" \
	'size: "1Q" is not a size with optional K/M/G/T suffix'
refused_size "size 0" "$d" 0 "Invalid argument" \
	"size: 0: unbind the range, or remove_range it, instead"
# Two size writes at once: one wins, the other is refused, and the size,
# the reservation and what is added agree afterwards.
echo 512M > "$DEVS/$d2/size" 2>/dev/null &
echo 768M > "$DEVS/$d2/size" 2>/dev/null
wait
settle
size=$(attr "$d2" size)
diag "two size writes at once: $size bytes won"
expect_eq "two size writes at once: what is added is the size" "$(attr "$d2" added_bytes)" "$size"
expect_eq "two size writes at once: the reservation is the size" \
	"$(grep -c "80000000-$(printf '%x' $(( 0x80000000 + size - 1 ))) : $d2" /proc/iomem)" 1
check "two size writes at once: one of them won" [ "$size" -gt 268435456 ]
# A block an admin took offline by hand stays so when the range grows.
first=$(attr "$d2" memory_blocks)
first=${first%-*}
last=$(attr "$d2" memory_blocks)
last=${last#*-}
echo offline > /sys/devices/system/memory/memory$first/state
check "grow with a block offlined by hand" resize "$d2" $(( size + 134217728 ))
expect_eq "grow: the admin's offline block stays offline" \
	"$(cat /sys/devices/system/memory/memory$first/state)" offline
expect_eq "grow: the new block is online" \
	"$(cat /sys/devices/system/memory/memory$((last + 1))/state)" online
echo online_movable > /sys/devices/system/memory/memory$first/state
check "grow the second to the end of node 1" resize "$d2" 1G
expect_eq "grow to the end: 1 GiB added" "$(attr "$d2" added_bytes)" 1073741824
refused_size "grow into the PCI window above node 1" "$d2" 1280M "Device or resource busy" \
	"[mem 0xc0000000-0xcfffffff]: overlaps [mem 0xc0000000-0xfebfffff window], a PCI host bridge window"

check "shrink 1G to 768M" resize "$d" 768M
expect_eq "shrink: online" "$(attr "$d" state)" online
expect_eq "shrink: 768 MiB added" "$(attr "$d" added_bytes)" 805306368
expect_eq "shrink: the range file follows" "$(attr "$d" range)" 0x40000000-0x6fffffff
expect_eq "shrink: iomem's reservation follows" \
	"$(grep -c "40000000-6fffffff : $d" /proc/iomem)" 1
expect_eq "shrink: node 1 holds 768 MiB + 1 GiB" "$(node_memtotal_kb 1)" $(( 1792 * 1024 ))
check "shrink: the freed span can be a new range" sh -c \
	"echo '256M@0x70000000:1' > $DRV/new_range"
settle
d3=$(dev_by_range 0x70000000-0x7fffffff)
expect_eq "shrink: the new range there is online" "$(attr "$d3" state)" online
echo "$d3" > $DRV/remove_range
settle

# Shrinking memory in use, while node 0 cannot take it: fails safely.
unbind "$d2"
if dmesg | grep -q "KernelAddressSanitizer initialized"; then
	skip "shrink of memory in use" "KASAN allocates shadow from the drained node 0 to roll back an offline (see remove-busy)"
else
	echo 3 > /sys/module/dax_kmem/parameters/offline_timeout
	mkdir -p /mnt/slow
	mount -t tmpfs -o size=740M,mpol=bind:1 tmpfs /mnt/slow
	# As in remove-busy: a filler takes the lowest blocks, the data lands
	# above it, 208 MiB of it in the tail (512M-768M) a shrink to 512M
	# would remove.
	dd if=/dev/zero of=/mnt/slow/filler bs=1M count=300 2>/dev/null
	dd if=/dev/urandom of=/mnt/slow/data bs=1M count=420 2>/dev/null
	rm /mnt/slow/filler
	sum=$(md5sum < /mnt/slow/data)
	# Hugetlb pages take node 0's free memory without a risk of OOM:
	# ~100 MiB left for the tail's 208 MiB (160 MiB against 144 MiB let
	# the shrink succeed on 6.1). As in remove-busy, the shell forks
	# nothing while the offline drains node 0 to its watermark; room
	# comes back through an open fd, with builtins.
	exec 4>$HP
	pages=$(( ($(node_meminfo_kb 0 MemFree) - 100 * 1024) / 2048 ))
	echo $pages >&4
	free0=$(node_meminfo_kb 0 MemFree)
	check "shrink of memory in use: node 0 has less free memory ($free0 kB) than the tail's data" \
		[ "$free0" -lt $((208 * 1024)) ]
	mark shrink-busy
	echo 512M > "$DEVS/$d/size"
	expect_eq "shrink of memory in use: the write is taken" "$?" 0
	nap 15
	echo 0 >&4
	exec 4>&-
	settle 60
	expect_eq "shrink of memory in use: last_error says it was interrupted (EINTR)" "$(attr "$d" last_error)" -4
	expect_eq "shrink of memory in use: the size stays" "$(attr "$d" size)" 805306368
	expect_eq "shrink of memory in use: all 768 MiB stay added, online" \
		"$(attr "$d" added_bytes) $(attr "$d" state)" "805306368 online"
	check "shrink of memory in use: every block online movable" blocks_online_movable "$d"
	checked=0
	expect_eq "shrink of memory in use: every byte kept" "$(md5sum < /mnt/slow/data)" "$sum" &&
		checked=$((checked + 420))
	check "shrink of memory in use: dmesg says it failed" sh -c \
		"dmesg | sed -n '/dax_kmem-test-mark shrink-busy\$/,\$p' | grep -q 'dax_kmem $d: size 512 MiB: failed'"
	# Migrating a full 128 MiB block under TCG can take longer than 3 s.
	echo 30 > /sys/module/dax_kmem/parameters/offline_timeout
	check "shrink once node 0 has room" resize "$d" 512M
	expect_eq "shrink once node 0 has room: 512 MiB added" "$(attr "$d" added_bytes)" 536870912
	expect_eq "shrink once node 0 has room: every byte kept" "$(md5sum < /mnt/slow/data)" "$sum" &&
		checked=$((checked + 420))
	rm /mnt/slow/data
	umount /mnt/slow
	# Only what read back intact.
	diag "reliability: bytes checksummed $(( checked * 1048576 ))"
fi

# The memmap on the range: each grown block carries its own.
echo "256M@0x90000000:1 memmap=range" > $DRV/new_range
settle
d4=$(dev_by_range 0x90000000-0x9fffffff)
mm=$(attr "$d4" memmap_range_bytes)
check "memmap on the range: grow 256M to 512M" resize "$d4" 512M
expect_eq "memmap on the range: grown, online" "$(attr "$d4" added_bytes) $(attr "$d4" state)" "536870912 online"
expect_eq "memmap on the range: twice the memmap on the range" "$(attr "$d4" memmap_range_bytes)" $(( mm * 2 ))
check "memmap on the range: every block online movable" blocks_online_movable "$d4"
check "memmap on the range: shrink back to 256M" resize "$d4" 256M
expect_eq "memmap on the range: shrunk" "$(attr "$d4" added_bytes) $(attr "$d4" memmap_range_bytes)" "268435456 $mm"
# Bad pages across a shrink and a grow, and in a new block's memmap.
unbind "$d4"
resize "$d4" 512M
echo 0xa4444000 > "$DEVS/$d4/bad_pages"
bind "$d4"
check "bad page: poisoned once bound" poisoned 0xa4444000
check "bad page: shrink to 256M" resize "$d4" 256M
expect_eq "bad page: outside after the shrink, not shown" "$(attr "$d4" bad_pages)" ""
check "bad page: grow back to 512M" resize "$d4" 512M
check "bad page: poisoned again after the grow" poisoned 0xa4444000
unbind "$d4"
echo 0xa8001000 > "$DEVS/$d4/bad_pages"
resize "$d4" 384M
bind "$d4"
expect_eq "bad page in a future block's memmap: the range's memmap on the range" "$(attr "$d4" memmap)" range
mark memmap-bad
resize "$d4" 512M
expect_eq "bad page in a new block's memmap: the grow fails (EINVAL)" "$(attr "$d4" last_error)" -22
expect_eq "bad page in a new block's memmap: the size stays" "$(attr "$d4" added_bytes)" 402653184
check "bad page in a new block's memmap: dmesg says why" sh -c \
	"dmesg | sed -n '/dax_kmem-test-mark memmap-bad\$/,\$p' | grep -q \"a bad page lies where a new block's memmap would go\""
echo "$d4" > $DRV/remove_range
settle
bind "$d2"

unbind "$d"
check "unbound: size can be set, checked at the next bind" resize "$d" 640M
bind "$d"
expect_eq "bind with the new size: 640 MiB added" "$(attr "$d" added_bytes)" 671088640

# A size write the moment the state reads settled, as a script that polls
# the state file does: an unchanged size, so only a refusal shows. Polled
# with builtins and no pause, to read the state as soon as it changes
# (polled that way, 6.12 once read "absent" while the worker still held
# the range, and refused the next size write with EBUSY).
# wait_settled DEV: 0 when DEV's state left adding/changing/removing.
wait_settled() {
	local st up until
	read -r up _ < /proc/uptime
	until=$(( ${up%%.*} + 60 ))
	while read -r st < "$DEVS/$1/state"; do
		case "$st" in
		adding | changing | removing) ;;
		*) return 0 ;;
		esac
		read -r up _ < /proc/uptime
		[ "${up%%.*}" -lt "$until" ] || return 1
	done
	return 1
}
size2=$(attr "$d2" size)
refusals=0 rounds=0 lost=0
while [ $rounds -lt 40 ]; do
	echo "$d2" > "$DRV/unbind"
	wait_settled "$d2" || lost=$((lost + 1))
	echo "$size2" > "$DEVS/$d2/size" 2>/dev/null || refusals=$((refusals + 1))
	echo "$d2" > "$DRV/bind"
	wait_settled "$d2" || lost=$((lost + 1))
	echo "$size2" > "$DEVS/$d2/size" 2>/dev/null || refusals=$((refusals + 1))
	rounds=$((rounds + 1))
done
expect_eq "settled at once: 40 unbinds and 40 binds each settled in 60 s" "$lost" 0
expect_eq "settled at once: 80 size writes right after, none refused" "$refusals" 0
expect_eq "settled at once: online, all of its size added" "$(attr "$d2" state) $(attr "$d2" added_bytes)" "online $size2"
unload
expect_eq "rmmod: boot state" "$(fingerprint)" "$boot"

# A 1 GiB-aligned range, which x86 maps with one 1 GiB page, shrunk and
# then removed: every removal must match what was added (once, a kernel
# BUG in __offline_isolated_pages when the first block went offline).
load ranges=1G@0x40000000:1
d=$(dev_by_range 0x40000000-0x7fffffff)
check "1 GiB-aligned range: shrink to 768M" resize "$d" 768M
expect_eq "1 GiB-aligned range: 768 MiB added" "$(attr "$d" added_bytes)" 805306368
unbind "$d"
expect_eq "1 GiB-aligned range shrunk: unbind removes it" "$(attr "$d" state) $(node_memtotal_kb 1)" "absent 0"
bind "$d"
expect_eq "1 GiB-aligned range shrunk: binds again, 768 MiB" "$(attr "$d" state) $(attr "$d" added_bytes)" "online 805306368"
unload
expect_eq "1 GiB-aligned range: rmmod, boot state" "$(fingerprint)" "$boot"
