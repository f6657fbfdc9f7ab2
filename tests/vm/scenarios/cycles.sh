# SPDX-License-Identifier: GPL-2.0
# Cycles and drift: 200 unbind/bind, 50 load/unload and 100 add/remove
# of different ranges at run time, half with the memmap in DRAM, half on
# the range. Afterwards /proc/iomem, MemTotal, per-node MemTotal and the
# block count equal the boot values exactly, and DRAM does not drift:
# node 0's free memory (with per-CPU lists and reclaimable slab) is
# within 1 MiB of where it was, and unreclaimable slab within 256 KiB.
# Node 1 (0x40000000-0xbfffffff) is Reserved.
# cmdline: memmap=2G$0x40000000 memory_hotplug.memmap_on_memory=1
# timeout: 1500
# check-kernels: bookworm

boot=$(fingerprint)
BINDS=200 LOADS=50 ADDS=100
# The debug kernel (kmemleak, which init leaves mounted; KASAN, lockdep)
# makes every cycle many times slower: the whole count did not finish
# there in the scenario's time. A fifth still repeats each path enough
# for kmemleak to show a leak per cycle; the drift limits stay the same.
[ ! -e /sys/kernel/debug/kmemleak ] || BINDS=40 LOADS=10 ADDS=20
# node0_dram_kb: free, per-CPU lists and reclaimable slab, caches dropped.
node0_dram_kb() {
	drop_caches
	echo $(($(node0_free_kb) + $(node_meminfo_kb 0 SReclaimable)))
}
unreclaimable_kb() { node_meminfo_kb 0 SUnreclaim; }
seconds() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.1f", b - a }'; }

# --- unbind/bind ----------------------------------------------------
load ranges=128M@0x40000000:1
d=$(dev_by_range 0x40000000-0x47ffffff)
expect_eq "range online" "$(attr "$d" state)" online
t0=$(seconds)
i=0 bad=0 failed_cycles=0
while [ $i -lt $BINDS ]; do
	was=$bad
	echo "$d" > $DRV/unbind
	settle
	[ "$(attr "$d" state)" = absent ] || bad=$((bad + 1))
	echo "$d" > $DRV/bind
	settle
	[ "$(attr "$d" state)" = online ] || bad=$((bad + 1))
	[ $bad -eq $was ] || failed_cycles=$((failed_cycles + 1))
	i=$((i + 1))
done
expect_eq "$BINDS unbind/bind ($(elapsed "$t0") s): every unbind absent, every bind online" "$bad" 0
check "after $BINDS unbind/bind: every block online movable" blocks_online_movable "$d"
expect_eq "after $BINDS unbind/bind: node 1 holds 128 MiB" "$(node_memtotal_kb 1)" $((128 * 1024))
expect_eq "after $BINDS unbind/bind: one System RAM (kmem)" "$(grep -c 'System RAM (kmem)' /proc/iomem)" 1
unload
expect_eq "after $BINDS unbind/bind and rmmod: boot state" "$(fingerprint)" "$boot"

# --- load/unload ----------------------------------------------------
t0=$(seconds)
i=0 bad=0
while [ $i -lt $LOADS ]; do
	was=$bad
	load ranges=128M@0x40000000:1,128M@0x60000000:1 || bad=$((bad + 1))
	[ "$(node_memtotal_kb 1)" = $((256 * 1024)) ] || bad=$((bad + 1))
	unload || bad=$((bad + 1))
	[ "$(node_memtotal_kb 1)" = 0 ] || bad=$((bad + 1))
	[ $bad -eq $was ] || failed_cycles=$((failed_cycles + 1))
	i=$((i + 1))
done
expect_eq "$LOADS load/unload of two ranges ($(elapsed "$t0") s): each added all, removed all" "$bad" 0
expect_eq "after $LOADS load/unload: boot state" "$(fingerprint)" "$boot"

# --- add/remove at run time, both memmap placements -----------------
# One of 8 different 128 MiB spans each time, memmap in DRAM and on the
# range in turn; one warm-up round of each first, so that what the first
# add of a kind allocates for good (slab caches, the node's structures)
# is not counted as drift.
load
add_remove() {
	echo "128M@$1:1 memmap=$2" > $DRV/new_range || return 1
	settle
	nd=$(dev_by_range "$(printf '%#x-%#x' "$1" $(($1 + 0x8000000 - 1)))")
	[ -n "$nd" ] && [ "$(attr "$nd" state)" = online ] || return 1
	[ "$(attr "$nd" memmap)" = "$2" ] || return 1
	echo "$nd" > $DRV/remove_range || return 1
	settle
	[ -z "$(dev_by_range "$(printf '%#x-%#x' "$1" $(($1 + 0x8000000 - 1)))")" ]
}
add_remove 0x40000000 dram
add_remove 0x48000000 range
dram0=$(node0_dram_kb)
slab0=$(unreclaimable_kb)
t0=$(seconds)
i=0 bad=0
while [ $i -lt $ADDS ]; do
	start=$((0x40000000 + (i % 8) * 0x8000000))
	# Every span gets both placements: 8 in DRAM, then 8 on the range.
	if [ $((i / 8 % 2)) -eq 0 ]; then mm=dram; else mm=range; fi
	add_remove $start $mm || { bad=$((bad + 1)) failed_cycles=$((failed_cycles + 1)); diag "add/remove $i: $start memmap=$mm failed"; }
	i=$((i + 1))
done
took=$(elapsed "$t0")
dram1=$(node0_dram_kb)
slab1=$(unreclaimable_kb)
expect_eq "$ADDS add/remove of 8 spans, both memmap placements ($took s): each online, each removed" "$bad" 0
drift=$((dram0 - dram1))
sdrift=$((slab1 - slab0))
diag "reliability: drift $(uname -r): node 0 DRAM $drift kB, unreclaimable slab $sdrift kB over $ADDS add/remove"
check "$ADDS add/remove: node 0 DRAM drift $drift kB <= 1024 kB" [ "$drift" -le 1024 ]
check "$ADDS add/remove: unreclaimable slab drift $sdrift kB <= 256 kB" [ "$sdrift" -le 256 ]
unload
expect_eq "after $ADDS add/remove and rmmod: boot state" "$(fingerprint)" "$boot"
# Only the cycles that passed every check.
diag "reliability: cycles $((BINDS + LOADS + ADDS - failed_cycles))"
