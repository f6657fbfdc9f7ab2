# SPDX-License-Identifier: GPL-2.0
# Removal while node 0 cannot take node 1's pages: it must fail safely,
# keep the data and the memory, and succeed by the documented retry once
# room is made.
# cmdline: memmap=1G!0x40000000 memmap=1G$0x80000000
# timeout: 1200

boot=$(fingerprint)
HP=/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages

load claim=legacy-pmem
dev=$(devices_of legacy-pmem)
expect_eq "range online" "$(attr "$dev" state)" online

mkdir -p /mnt/slow
mount -t tmpfs -o size=900M,mpol=bind:1 tmpfs /mnt/slow
# Fresh memory fills from the bottom: a filler takes the lowest blocks,
# the data lands above it, and removing the filler leaves empty blocks
# below the data, so offlining gets somewhere before it fails.
dd if=/dev/zero of=/mnt/slow/filler bs=1M count=256 2>/dev/null
dd if=/dev/urandom of=/mnt/slow/data bs=1M count=400 2>/dev/null
rm /mnt/slow/filler
sum=$(md5sum < /mnt/slow/data)

# Hugetlb pages take node 0's free memory without any risk of OOM, and
# give it back on demand: leave ~160 MiB for 400 MiB of pages to migrate.
# The file stays open: once migration has drained node 0 to its watermark,
# even open() could not allocate, so room is given back through this fd.
exec 4>$HP
pages=0
# fill_node0: hugetlb takes all but ~160 MiB of node 0's free memory.
fill_node0() {
	pages=$(( pages + ($(node_meminfo_kb 0 MemFree) - 160 * 1024) / 2048 ))
	echo $pages >&4
}
# make_headroom: give 128 MiB back, before anything needs the kernel.
make_headroom() { echo $(( pages - 64 )) >&4; pages=$(( pages - 64 )); }

fill_node0
free0=$(node_meminfo_kb 0 MemFree)
check "node 0 has less free memory ($free0 kB) than node 1's data" [ "$free0" -lt $((400 * 1024)) ]

# The atomic online_type first: it must undo the blocks it got offline.
mark offline-busy
timeout -s INT 10 sh -c "echo offline > $DEVS/$dev/online_type" 2>/dev/null
make_headroom
rolled=$(dmesg_since_mark offline-busy | sed -n "s/.*dax_kmem $dev: rolled back \([0-9]*\) offlined blocks to their previous state.*/\1/p")
check "atomic offline under pressure: some blocks went offline, then were rolled back (${rolled:-none})" \
	[ "${rolled:-0}" -ge 1 ]
check "atomic offline under pressure: every block online movable again" blocks_online_movable "$dev"
expect_eq "atomic offline under pressure: state still online" "$(attr "$dev" state)" online
expect_eq "atomic offline under pressure: data intact" "$(md5sum < /mnt/slow/data)" "$sum"

fill_node0
mark remove-busy
timeout -s INT 10 sh -c "echo $dev > $DRV/unbind"
# Kernel headroom first (userspace falls back to node 1, the kernel cannot).
make_headroom

expect_eq "failed removal: device says remove-failed" "$(attr "$dev" state)" remove-failed
why=$(dmesg_since_mark remove-busy | grep "dax_kmem $dev: could not offline")
how=$(dmesg_since_mark remove-busy | grep "dax_kmem $dev: make room")
check "failed removal: dmesg says why ($why)" [ -n "$why" ]
expect_eq "failed removal: dmesg says how to retry" "${how#*retry: }" \
	"echo $dev > $DRV/bind; echo $dev > $DRV/unbind"
expect_eq "failed removal: memory still online on node 1" "$(node_memtotal_kb 1)" 1048576
check "failed removal: blocks still online movable" blocks_online_movable "$dev"
expect_eq "failed removal: data intact" "$(md5sum < /mnt/slow/data)" "$sum"
rmmod dax_kmem 2>/dev/null
check "failed removal: rmmod refused while memory is stranded" loaded

echo 0 >&4
exec 4>&-
echo "$dev" > "$DRV/bind"
expect_eq "retry: bind takes the range back" "$(attr "$dev" state)" online
timeout -s INT 120 sh -c "echo $dev > $DRV/unbind"
expect_eq "retry: unbind now removes it" "$(attr "$dev" state)" absent
expect_eq "retry: node 1 memoryless" "$(node_memtotal_kb 1)" 0
expect_eq "retry: data intact" "$(md5sum < /mnt/slow/data)" "$sum"
umount /mnt/slow
unload
expect_eq "retry: rmmod succeeds" "$?" 0
expect_eq "retry: boot state restored" "$(fingerprint)" "$boot"
