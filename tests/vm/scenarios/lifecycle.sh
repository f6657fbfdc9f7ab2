# SPDX-License-Identifier: GPL-2.0
# Load/unload cycles, data in the hot-added memory surviving its removal,
# and the add+online time for 1 GiB.
# cmdline: memmap=1G!0x40000000 memmap=1G$0x80000000
# timeout: 1200

boot=$(fingerprint)

# dmesg timestamp (s) of the first line matching PATTERN after mark NAME.
stamp_after() {
	dmesg_since_mark "$1" | grep -m1 "$2" | sed 's/^\[ *\([0-9.]*\)\].*/\1/'
}

all_same=yes
timed=yes
first_loaded=
for i in 1 2 3 4 5 6 7 8 9 10; do
	mark "cycle-$i"
	load claim=legacy-pmem || all_same="no (load $i failed)"
	loaded_state="$(fingerprint)"
	[ -n "$first_loaded" ] || first_loaded=$loaded_state
	[ "$loaded_state" = "$first_loaded" ] || all_same="no (cycle $i loaded state differs)"
	t0=$(stamp_after "cycle-$i" "dax_kmem-test-mark")
	t1=$(stamp_after "cycle-$i" "node 1: added .*, movable,")
	[ -n "$t0" ] && [ -n "$t1" ] || timed="no (cycle $i: no add line after the mark)"
	diag "cycle $i: load to 1 GiB online movable: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f s", b - a }')"
	unload || all_same="no (unload $i failed)"
	[ "$(fingerprint)" = "$boot" ] || all_same="no (cycle $i left $(fingerprint | head -n 1))"
done
expect_eq "10 load/unload cycles: identical, each back to the boot state" "$all_same" yes
expect_eq "every cycle's add+online was timed from the driver's log" "$timed" yes
expect_eq "cycles: loaded state grows node 1 by exactly 1 GiB" \
	"$(echo "$first_loaded" | sed -n 's/.*node1=\([0-9]*\).*/\1/p')" 1048576

# Data written into the hot-added memory must survive its removal. The
# removal migrates 256 MiB: on the debug kernel one block's offline took
# longer than the default 10 s, was interrupted, and rmmod then left the
# range as System RAM (as documented), so the scenario allows 120 s.
load claim=legacy-pmem
echo 120 > /sys/module/dax_kmem/parameters/offline_timeout
mkdir -p /mnt/slow
mount -t tmpfs -o size=512M,mpol=bind:1 tmpfs /mnt/slow
dd if=/dev/urandom of=/mnt/slow/data bs=1M count=256 2>/dev/null
before=$(md5sum < /mnt/slow/data)
shmem1=$(node_meminfo_kb 1 Shmem)
check "tmpfs file lives on node 1 ($shmem1 kB shmem there)" [ "$shmem1" -ge $((256 * 1024)) ]
mark remove-with-data
unload
expect_eq "rmmod with data on node 1 succeeds" "$?" 0
expect_eq "node 1 memoryless after rmmod" "$(node_memtotal_kb 1)" 0
expect_eq "file checksum unchanged after removal" "$(md5sum < /mnt/slow/data)" "$before"
umount /mnt/slow
expect_eq "after the data test: boot state" "$(fingerprint)" "$boot"
