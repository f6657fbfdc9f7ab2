# SPDX-License-Identifier: GPL-2.0
# Input that cannot be memory is refused before anything is reserved
# (drivers/dax_kmem/memcheck.c): PCI host bridge windows, ranges past the
# CPU's physical address width or the pluggable range, a range across the
# edge of a firmware region, and ranges= spans that firmware's e820 map
# does not describe. allow_undescribed=1 lets the last kind in, tainted,
# and nothing else. Spans firmware does describe still load, next to the
# refused ones: node 1 (0x40000000-0xbfffffff) is Reserved for 1 GiB
# (memmap=$), legacy pmem for 512 MiB (memmap=!), and RAM that mem= hides
# from 0xa0000000 (firmware's e820 still lists it as usable; where only the
# kernel's copy can be asked, 7.x, that RAM is refused like any hole).
# cmdline: memmap=1G$0x40000000 memmap=512M!0x80000000 mem=2560M
# timeout: 900

# Main's asynchronous core provides settle; here every probe is done on return.
command -v settle >/dev/null 2>&1 || settle() { :; }

SZ_256M=$((0x10000000))
hex() { printf '%#x' "$1"; }
# The device of a 256 MiB range at START (a number).
dev_256m_at() { dev_by_range "$(hex "$1")-$(hex $(($1 + SZ_256M - 1)))"; }
tainted_user() { [ $(($(cat /proc/sys/kernel/tainted) & 64)) -ne 0 ]; }
not_tainted_user() { ! tainted_user; }

# The first top-level "PCI Bus 0000:00" window that starts at or above
# MIN, from /proc/iomem, as "START END" (nothing hard-coded: QEMU decides
# where its windows go).
pci_window() {
	grep -E '^[0-9a-f]+-[0-9a-f]+ : PCI Bus 0000:00$' /proc/iomem |
	while IFS='- ' read -r s e _; do
		if [ $((0x$s)) -ge $(($1)) ]; then
			echo "$((0x$s)) $((0x$e))"
			break
		fi
	done
}
# The highest block-aligned 256 MiB inside window "START END", if any:
# away from the window's start, so the message must find its whole range.
span_in() {
	[ -n "$1" ] || return
	set -- $1
	top=$((($2 + 1) & ~(SZ_256M - 1)))
	[ $((top - SZ_256M)) -ge "$1" ] && echo $((top - SZ_256M))
}
# What memcheck says of a range in window "START END".
window_msg() {
	set -- $1
	echo "overlaps .mem $(hex "$1")-$(hex "$2")[ a-z0-9]* window., a PCI host bridge window (device MMIO); leave it out of the range"
}

boot=$(fingerprint)
boot_total=$(meminfo_kb MemTotal)
expect_eq "node 1 is memoryless at boot" "$(node_memtotal_kb 1)" 0
check "the kernel is not tainted by the user at boot" not_tainted_user

w32=$(pci_window 0xc0000000)		# the first window above 3 GiB
w64=$(pci_window 0x100000000)		# the 64-bit one, if QEMU made it
win32=$(span_in "$w32")
win64=$(span_in "$w64")
bits=$(sed -n 's/^address sizes[^0-9]*\([0-9]*\) bits physical.*/\1/p' /proc/cpuinfo | head -n 1)
beyond=$((1 << bits))
hole=0x200000000			# 8 GiB: nothing there, in no map
hexes() { for v in $1; do printf '%#x ' "$v"; done; }
diag "PCI windows: $(hexes "$w32")and $(hexes "$w64")(ranges at $(hex "${win32:-0}") and $(hex "${win64:-0}")), $bits physical address bits"
check "a PCI window above 3 GiB with 256 MiB to spare is in /proc/iomem" [ -n "$win32" ]

items="512M@0x40000000:1"		# Reserved (memmap=$)
items="$items,256M@0x80000000:1"	# Persistent Memory (legacy) (memmap=!)
items="$items,256M@0xa8000000:1"	# RAM hidden by mem=
items="$items,256M@0x98000000:1"	# from legacy pmem into the mem= part
items="$items,256M@$(hex "$win32"):1"	# PCI host bridge window
[ -n "$win64" ] && items="$items,256M@$(hex "$win64"):1"
items="$items,256M@$(hex "$beyond"):1"	# past the physical address width
items="$items,256M@$hole:1"		# firmware describes nothing here
load ranges="$items"
expect_eq "load with refused items succeeds" "$?" 0
settle

d=$(dev_by_range 0x40000000-0x5fffffff)
expect_eq "memmap=\$ Reserved (firmware's usable RAM): online" "$(attr "$d" state)" online
# Legacy pmem may hold data: a typed address takes it only with claim=.
expect_refused "memmap=! legacy pmem without claim=" "$(dev_by_range 0x80000000-0x8fffffff)" -1 \
	"lies in .mem 0x80000000-0x9fffffff. (Persistent Memory (legacy)), which may hold data; a range given by address takes it only when loaded with claim=legacy-pmem"
# Which e820 table the driver can ask: firmware's (mem= leaves it alone)
# while the kernel exports e820__mapped_raw_any() to modules (6.x), or,
# where the kernel keeps that one to KVM (7.x), the kernel's copy, which
# has no RAM above mem= at all. The kernel's series says which; the
# driver's refusal of the hole must name that map.
if kernel_between 6.0 7.0; then
	map="firmware's e820 map"
else
	map="the kernel's e820 map (firmware's is not exported)"
fi
said=$(dmesg | grep "dax_kmem $(dev_256m_at $hole):" |
	sed -n 's/.*: not memory in \(.*\), which leaves out .*/\1/p' | head -n 1)
expect_eq "ranges= are checked against the e820 map this kernel exports" "$said" "$map"
d=$(dev_by_range 0xa8000000-0xb7ffffff)
case "$map" in
"the kernel's e820 map"*)
	expect_refused "RAM hidden by mem= (only the kernel's e820 map to ask)" "$d" -22 \
		"not memory in the kernel's e820 map (firmware's is not exported)"
	added=$((512 * 1024)) ours=1
	;;
*)
	expect_eq "RAM hidden by mem=: online" "$(attr "$d" state)" online
	check "RAM hidden by mem=: blocks online movable" blocks_online_movable "$d"
	added=$((768 * 1024)) ours=2
	;;
esac

expect_refused "range across the edge of legacy pmem" \
	"$(dev_by_range 0x98000000-0xa7ffffff)" -16 \
	"runs across the edge of .mem 0x80000000-0x9fffffff. (Persistent Memory (legacy))"
expect_refused "PCI window above 3 GiB" "$(dev_256m_at "$win32")" -16 "$(window_msg "$w32")"
if [ -n "$win64" ]; then
	expect_refused "64-bit PCI window" "$(dev_256m_at "$win64")" -16 "$(window_msg "$w64")"
else
	skip "64-bit PCI window" "QEMU made none"
fi
expect_refused "past the $bits-bit physical address width" "$(dev_256m_at "$beyond")" -34 \
	"beyond the CPU's physical address space, which ends at $(hex $((beyond - 1))) ($bits bits)"
expect_refused "ranges= in a hole firmware does not describe" "$(dev_256m_at $hole)" -22 \
	"not memory in $map, which leaves out .mem 0x200000000-0x20fffffff.; check the range, or load with allow_undescribed=1 if you know it is memory"

expect_eq "MemTotal grows by exactly the described ranges (512M, + 256M of mem= RAM where described)" \
	"$(( $(meminfo_kb MemTotal) - boot_total ))" "$added"
expect_eq "refused ranges left no trace in iomem" "$(grep -c 'dax_kmem' /proc/iomem)" "$ours"
check "no user taint without allow_undescribed" not_tainted_user
unload
settle
expect_eq "rmmod restores the boot state" "$(fingerprint)" "$boot"

# With claim=legacy-pmem the typed part of the region is taken, and
# claim= skips the whole region, part of which is the typed range's,
# however far that range's probe (asynchronous) has got: before, claim=
# read only what was in use, and a region claimed before the typed
# range's probe got a device of its own, refused (-EBUSY, seen on 7.3).
mark claim-part
load ranges=256M@0x80000000:1 claim=legacy-pmem
d=$(dev_by_range 0x80000000-0x8fffffff)
expect_eq "memmap=! legacy pmem with claim=legacy-pmem: online" "$(attr "$d" state)" online
check "memmap=! legacy pmem with claim=legacy-pmem: blocks online movable" blocks_online_movable "$d"
expect_eq "claim= makes no device for the region the typed part is in" "$(devices_of legacy-pmem)" ""
check "claim= says why it skips the region" sh -c "dmesg | sed -n '/dax_kmem-test-mark claim-part\$/,\$p' |
	grep -q 'Persistent Memory (legacy) \[mem 0x80000000-0x9fffffff\] skipped: part of it is dax_kmem.0 \[mem 0x80000000-0x8fffffff\]'"
unload
settle
expect_eq "rmmod after claim=: boot state" "$(fingerprint)" "$boot"

# A typed range that was refused holds nothing: claim= takes the region.
load ranges=512M@0x90000000:1 claim=legacy-pmem
d=$(dev_by_range 0x90000000-0xafffffff)
expect_eq "typed range across the legacy pmem's edge, with claim=: refused" "$(attr "$d" state) $(attr "$d" last_error)" "refused -16"
p=$(devices_of legacy-pmem)
expect_eq "claim= takes the region a refused typed range was in" "$(attr "$p" state 2>/dev/null)" online
expect_eq "claim= after a refused typed range: node 1 holds the 512 MiB region" "$(node_memtotal_kb 1)" $((512 * 1024))
unload
settle
expect_eq "rmmod after claim= and a refused range: boot state" "$(fingerprint)" "$boot"

# The opt-in: the undescribed span goes on (offline: no page of it is ever
# touched, there is nothing behind it), the kernel is tainted, and a PCI
# window is still refused.
load ranges="256M@$hole:1,256M@$(hex "$win32"):1" allow_undescribed=1 online_type=offline
expect_eq "allow_undescribed=1: load succeeds" "$?" 0
settle
d=$(dev_256m_at $hole)
expect_eq "allow_undescribed=1: undescribed span accepted (added offline)" "$(attr "$d" state)" offline
check "allow_undescribed=1: the kernel is tainted (U, bit 6)" tainted_user
if dmesg | grep "dax_kmem $d:" | grep -q "not memory in $map, which leaves out .mem 0x200000000-0x20fffffff.; accepted as allow_undescribed=1 asks, kernel tainted"; then
	ok "allow_undescribed=1: dmesg warns about the span"
else
	not_ok "allow_undescribed=1: dmesg warns about the span"
fi
expect_refused "allow_undescribed=1: a PCI window is still refused" "$(dev_256m_at "$win32")" -16 \
	"a PCI host bridge window"
unload
settle
expect_eq "allow_undescribed=1: rmmod restores the boot state" "$(fingerprint)" "$boot"

# Last: without memcheck this load spins for 2^35 sections in a soft
# lockup and the VM never gets here.
t0=$(cut -d' ' -f1 /proc/uptime)
load ranges=0x4000000000000000@0x4000000000000000:0
rc=$?
t1=$(cut -d' ' -f1 /proc/uptime)
settle
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
diag "insmod of the 4 EiB range took $secs s"
expect_eq "4 EiB range: load succeeds" "$rc" 0
check "4 EiB range: insmod returns within 5 s ($secs s)" \
	awk -v s="$secs" 'BEGIN { exit !(s < 5) }'
expect_refused "4 EiB range: beyond the pluggable range" \
	"$(dev_by_range 0x4000000000000000-0x7fffffffffffffff)" -34 \
	"outside the range memory hotplug can add here, .mem 0x0*-0x[0-9a-f]*.; check the range's address and size"
unload
settle
expect_eq "4 EiB range: rmmod restores the boot state" "$(fingerprint)" "$boot"
