# SPDX-License-Identifier: GPL-2.0
# Range policy on x86: online type per range (whatever auto_online_blocks
# says), atomic online_type changes with rollback on a forced failure,
# memmap placement, memory tiers by abstract distance, memory groups, and
# refused values. Node 1 (0x40000000-0xbfffffff) is Reserved.
# cmdline: memmap=2G$0x40000000 memory_hotplug.memmap_on_memory=1
# modules: memory-notifier-error-inject
# timeout: 1200

boot=$(fingerprint)
mount -t debugfs none /sys/kernel/debug 2>/dev/null
load_kmod memory-notifier-error-inject

# memmap placement, first thing in a fresh boot: 6.1 keeps a removed
# range's memmap and reuses it when the same range comes back, so each
# placement is measured on its own fresh GiB, across the whole insmod.
memmap_cost_kb() {
	drop_caches
	before=$(node0_free_kb)
	load ranges="$1" memmap="$2"
	drop_caches
	echo $((before - $(node0_free_kb)))
}
# A KASAN kernel (make check-debug) gives every GiB that comes online
# 128 MiB of shadow from DRAM wherever the memmap goes, and its module
# (instrumented, with shadow of its own) is about twice the size: that
# is the kernel's, not the placement's. KASAN's quarantine and kmemleak's
# metadata also move MemFree by half a MiB from run to run (2428 kB once,
# under 2048 before): 4 MiB there, still a quarter of what the memmap in
# DRAM costs (the control below).
shadow_kb=0
budget_kb=1024
if dmesg | grep -q "KernelAddressSanitizer initialized"; then
	shadow_kb=$((1024 * 1024 / 8))
	budget_kb=4096
fi
cost=$(( $(memmap_cost_kb 1G@0x80000000:1 range) - shadow_kb ))
d=$(dev_by_range 0x80000000-0xbfffffff)
diag "memmap=range: node 0 gave $cost kB for insmod + 1 GiB (KASAN shadow of $shadow_kb kB not counted)"
check "memmap=range: node 0 free memory drops by <= $budget_kb kB ($cost kB, module included)" [ "$cost" -le "$budget_kb" ]
expect_eq "memmap=range: placed on the range" "$(attr "$d" memmap)" range
expect_eq "memmap=range: no DRAM for it" "$(attr "$d" memmap_dram_bytes)" 0
expect_eq "memmap=range: 16 MiB of the range for it" "$(attr "$d" memmap_range_bytes)" 16777216
expect_eq "memmap=range: usable size is smaller by the memmap" "$(node_memtotal_kb 1)" $(( (1024 - 16) * 1024 ))
unload
expect_eq "memmap=range: rmmod restores the boot state" "$(fingerprint)" "$boot"
cost=$(( $(memmap_cost_kb 1G@0x40000000:1 dram) - shadow_kb ))
d=$(dev_by_range 0x40000000-0x7fffffff)
diag "memmap=dram: node 0 gave $cost kB for insmod + 1 GiB (KASAN shadow of $shadow_kb kB not counted)"
check "memmap=dram (control): node 0 pays ~16 MiB ($cost kB)" [ "$cost" -ge $((14 * 1024)) ]
expect_eq "memmap=dram: sysfs says 16 MiB of DRAM" "$(attr "$d" memmap_dram_bytes)" 16777216
expect_eq "memmap=dram: all of the range usable" "$(node_memtotal_kb 1)" 1048576
unload
expect_eq "memmap=dram: rmmod restores the boot state" "$(fingerprint)" "$boot"


# Tiers chosen at load, while node 1 has no memory: the distance is
# applied; a second one for the same node is refused.
load ranges=512M@0x40000000:1 adistance=1500
expect_eq "tier: adistance=1500 puts node 1 in memory_tier11" "$(tier_of_node 1)" memory_tier11
unload
load ranges=512M@0x40000000:1,512M@0x60000000:1
m=$(dev_by_range 0x40000000-0x5fffffff)
k=$(dev_by_range 0x60000000-0x7fffffff)
unbind "$k"
echo 1500 > "$DEVS/$k/adistance"
bind "$k"
expect_eq "tier: a second distance on the same node is refused" "$(attr "$k" state) $(attr "$k" last_error)" "refused -22"
unload


# Online type: the policy wins over the global default, either way.
echo online > /sys/devices/system/memory/auto_online_blocks
load ranges=512M@0x40000000:1,512M@0x60000000:1 online_type=offline
m=$(dev_by_range 0x40000000-0x5fffffff)
k=$(dev_by_range 0x60000000-0x7fffffff)
check "online_type=offline beats auto_online_blocks=online: blocks offline" blocks_all "$m" offline
expect_eq "online_type=offline: state offline, nothing in MemTotal" \
	"$(attr "$m" state) $(node_memtotal_kb 1)" "offline 0"
set_online_type "$m" movable
expect_eq "sysfs online_type=movable: write succeeds" "$?" 0
check "sysfs online_type=movable: every block online movable" blocks_all "$m" Movable
set_online_type "$k" kernel
check "sysfs online_type=kernel: every block online in Normal" blocks_all "$k" Normal
expect_eq "zoneinfo: node 1 Movable manages 512 MiB" "$(zone_managed_kb 1 Movable)" 524288
expect_eq "zoneinfo: node 1 Normal manages 512 MiB" "$(zone_managed_kb 1 Normal)" 524288
expect_eq "online_type reads what is in force" \
	"$(attr "$m" online_type) $(attr "$k" online_type)" "movable kernel"

set_online_type "$m" offline
check "atomic offline: every block offline" blocks_all "$m" offline
expect_eq "atomic offline: node 1 keeps only the kernel range" "$(node_memtotal_kb 1)" 524288
set_online_type "$m" movable
check "atomic online again: every block online movable" blocks_all "$m" Movable

# A forced failure leaves every block where it was, and says so.
inject=/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_OFFLINE/error
if [ -w "$inject" ]; then
	mark inject
	echo -12 > "$inject"
	set_online_type "$m" offline
	rc=$?
	echo 0 > "$inject"
	expect_eq "forced offline failure: the request is taken" "$rc" 0
	expect_eq "forced offline failure: last_error says ENOMEM" "$(attr "$m" last_error)" -12
	expect_eq "forced offline failure: state and online_type unchanged" \
		"$(attr "$m" state) $(attr "$m" online_type)" "online movable"
	check "forced offline failure: every block still online movable" blocks_all "$m" Movable
	check "forced offline failure: dmesg reports it" \
		sh -c "dmesg | sed -n '/dax_kmem-test-mark inject\$/,\$p' | grep -q 'dax_kmem $m: online_type offline: failed (-12), every block is back where it was'"

	# A failed change moves back only what it moved: the range's two
	# lowest blocks, offlined by hand, must stay offline when the change
	# fails at block 2, whether it skipped them first or never got there.
	blocks=$(attr "$m" memory_blocks)
	hand="/sys/devices/system/memory/memory${blocks%-*} /sys/devices/system/memory/memory$((${blocks%-*} + 1))"
	for b in $hand; do echo offline > "$b/state"; done
	echo -12 > "$inject"
	set_online_type "$m" offline
	echo 0 > "$inject"
	expect_eq "forced failure after two blocks offlined by hand: they stay offline" \
		"$(for b in $hand; do cat "$b/state"; done | tr '\n' ' ')" "offline offline "
	for b in $hand; do echo online_movable > "$b/state"; done
	check "forced failure after two blocks offlined by hand: the others stay movable" \
		blocks_all "$m" Movable
else
	not_ok "notifier-error-inject is loaded and writable"
fi

# Bad values are refused with the allowed ones named; nothing changes.
mark typo
echo fast > "$DEVS/$m/online_type" 2>/dev/null
expect_eq "online_type=fast refused (EINVAL)" "$?" 1
expect_eq "online_type=fast: one log line that names the word and the allowed ones" \
	"$(dmesg_since_mark typo | grep -c "dax_kmem $m: online_type: \"fast\" is not one of movable, kernel, offline")" 1
echo 1500 > "$DEVS/$m/adistance" 2>/dev/null
expect_eq "adistance while added refused (EBUSY)" "$?" 1
check "memory group: each range is one, with an id" \
	[ -n "$(attr "$m" memory_group)" -a "$(attr "$m" memory_group)" != "$(attr "$k" memory_group)" ]

# Tiers: the node joins a tier below DRAM, moves with its distance, and
# leaves when its memory goes.
expect_eq "tier: node 0 is DRAM (memory_tier4)" "$(tier_of_node 0)" memory_tier4
expect_eq "tier: node 1 at the default distance 2880 (memory_tier22)" "$(tier_of_node 1)" memory_tier22
expect_eq "tier: adistance reads 2880" "$(attr "$m" adistance)" 2880
# Removal offlines whatever is online, even a block onlined by hand in a
# range whose policy is offline.
set_online_type "$m" offline
blocks=$(attr "$m" memory_blocks)
echo online_movable > /sys/devices/system/memory/memory$((${blocks%-*} + 3))/state
expect_eq "by hand: a block of an offline range onlined" \
	"$(cat /sys/devices/system/memory/memory$((${blocks%-*} + 3))/state)" online
expect_eq "by hand: the range's state says so (partial)" "$(attr "$m" state)" partial
mark unload
unload
expect_eq "rmmod with a block onlined by hand: unloaded" "$(loaded && echo loaded)" ""
# ZONE_NORMAL takes unmovable allocations, so the kernel-zone range may be
# impossible to remove: the debug kernel puts slab pages there. rmmod then
# leaves it as System RAM, said once at KERN_CRIT.
stuck=$(dmesg_since_mark unload | grep -c "dax_kmem $k: could not offline .* while unloading")
if [ "$stuck" -gt 0 ] && dmesg_since_mark unload | grep -q "page dumped because: unmovable page"; then
	expect_eq "rmmod, kernel-zone range with an unmovable page: said once" "$stuck" 1
	expect_eq "rmmod, kernel-zone range with an unmovable page: its 512 MiB stay on node 1" \
		"$(node_memtotal_kb 1)" 524288
	skip "after rmmod: boot state" "the kernel put an unmovable page into the ZONE_NORMAL range"
	skip "after rmmod: the slow tier is gone" "the ZONE_NORMAL range stays on node 1"
	# What is left is the state later sections come back to.
	boot=$(fingerprint)
else
	expect_eq "rmmod: no range left behind" "$stuck" 0
	expect_eq "after rmmod: boot state" "$(fingerprint)" "$boot"
	check "after rmmod: the slow tier is gone" [ ! -e /sys/devices/virtual/memory_tiering/memory_tier22 ]
fi

if insmod "$KO" online_type=fast 2>/dev/null; then
	not_ok "module parameter online_type=fast refused"
	rmmod dax_kmem
else
	check "module parameter online_type=fast refused, named" \
		sh -c 'dmesg | grep -q "online_type=fast: not one of movable, kernel, offline"'
fi

# Per-range configuration applied at every boot: the package's udev rule
# runs "dax-kmem apply DEVICE" for each range device that appears, with
# /etc/dax-kmem/ranges.conf keyed by source and physical start.
# Above 0x80000000: clear of a kernel-zone range rmmod had to leave.
cat > /tmp/ranges.conf <<'CONF'
# source start settings
param 0x80000000 memmap=range online_type=kernel  # the first range
param 0xb0000000 online_type=offline
CONF
load ranges=512M@0x80000000:1,512M@0xa0000000:1
m=$(dev_by_range 0x80000000-0x9fffffff)
k=$(dev_by_range 0xa0000000-0xbfffffff)
mark apply1
DAX_KMEM_CONF=/tmp/ranges.conf dax-kmem apply "$m"
expect_eq "dax-kmem apply: exits 0" "$?" 0
DAX_KMEM_CONF=/tmp/ranges.conf dax-kmem apply "$k"
expect_eq "dax-kmem apply: a range the file does not name: exits 0" "$?" 0
settle
expect_eq "dax-kmem apply: the named range re-added with memmap=range, online kernel" \
	"$(attr "$m" state) $(attr "$m" memmap) $(attr "$m" memmap_range_bytes) $(attr "$m" online_type)" \
	"online range 8388608 kernel"
check "dax-kmem apply: every block of the named range online in Normal" blocks_all "$m" Normal
expect_eq "dax-kmem apply: the other range keeps the defaults" \
	"$(attr "$k" state) $(attr "$k" memmap) $(attr "$k" online_type)" "online dram movable"
expect_eq "dax-kmem apply: the named range was added once more" \
	"$(dmesg_since_mark apply1 | grep -c "dax_kmem $m: node 1: added")" 1
mark apply2
DAX_KMEM_CONF=/tmp/ranges.conf dax-kmem apply
expect_eq "dax-kmem apply again: exits 0" "$?" 0
settle
expect_eq "dax-kmem apply again: nothing re-added or changed" \
	"$(dmesg_since_mark apply2 | grep -c "dax_kmem dax_kmem")" 0
echo "param 0x80000000 colour=blue" > /tmp/bad.conf
DAX_KMEM_CONF=/tmp/bad.conf dax-kmem apply 2>/dev/null
expect_eq "dax-kmem apply: an unknown setting exits 5" "$?" 5
mark apply-unload
unload
# The named range is in ZONE_NORMAL too (online_type=kernel).
if dmesg_since_mark apply-unload | grep -q "dax_kmem $m: could not offline .* while unloading" &&
   dmesg_since_mark apply-unload | grep -q "page dumped because: unmovable page"; then
	skip "after dax-kmem apply and rmmod: boot state" "the kernel put an unmovable page into the ZONE_NORMAL range"
else
	expect_eq "after dax-kmem apply and rmmod: boot state" "$(fingerprint)" "$boot"
fi
