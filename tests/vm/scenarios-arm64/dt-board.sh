# SPDX-License-Identifier: GPL-2.0
# A board whose slow memory is described in Device Tree
# (dts/qemu-arm64-dax-kmem.dtsi): the module loads by modalias, every range
# lands on its node, none twice; unload and reload return to boot state.
# dts: dts/qemu-arm64-dax-kmem.dtsi
# timeout: 1200

boot=$(fingerprint)
expect_eq "nodes 1 and 2 possible at boot" "$(cat /sys/devices/system/node/possible)" 0-2
expect_eq "node 1 memoryless at boot" "$(node_memtotal_kb 1)" 0
expect_eq "node 2 memoryless at boot" "$(node_memtotal_kb 2)" 0

# No insmod: the module must load for the board's own devices.
coldplug_modaliases
check "module loaded by modalias (modprobe of the devices' modaliases)" loaded
check "slow-memory-0 bound to dax_kmem_fw" [ -e "$FWDRV/slow-memory-0" ]
check "slow-memory-1 bound to dax_kmem_fw" [ -e "$FWDRV/slow-memory-1" ]
expect_eq "one device per range: 5 ranges" "$(devices_of dt | wc -w)" 5
expect_eq "no range registered twice" "$(duplicate_ranges)" ""

d=$(dev_by_range 0x80000000-0x9fffffff)
expect_eq "reserved-memory child alone: online" "$(attr "$d" state)" online
expect_eq "reserved-memory child alone: node 1" "$(attr "$d" node)" 1
expect_eq "reserved-memory child alone: 100% of 512 MiB" "$(attr "$d" added_bytes)" 536870912
check "reserved-memory child alone: blocks online movable" blocks_online_movable "$d"

d=$(dev_by_range 0xa0000000-0xafffffff)
expect_eq "memory-region target without compatible: node 1, online" \
	"$(attr "$d" node) $(attr "$d" state)" "1 online"
check "memory-region target: device is a child of its consumer" \
	[ -e "/sys/devices/platform/slow-memory-0/$d" ]
d=$(dev_by_range 0xc0000000-0xdfffffff)
expect_eq "range referred to three times and found by scan: node 2, online" \
	"$(attr "$d" node) $(attr "$d" state)" "2 online"
expect_eq "two reg entries in one node: two devices on node 2, online" \
	"$(attr "$(dev_by_range 0xe0000000-0xe7ffffff)" state) $(attr "$(dev_by_range 0xf0000000-0xf7ffffff)" state)" \
	"online online"
expect_eq "node 1 holds 768 MiB" "$(node_memtotal_kb 1)" $((768 * 1024))
expect_eq "node 2 holds 768 MiB" "$(node_memtotal_kb 2)" $((768 * 1024))

loaded_state=$(fingerprint)
unload
expect_eq "rmmod returns the board to its boot state" "$(fingerprint)" "$boot"

all_same=yes
for i in 1 2 3 4 5 6 7 8 9 10; do
	modprobe dax_kmem || all_same="no (modprobe $i failed)"
	settle || all_same="no (load $i did not settle)"
	[ "$(fingerprint)" = "$loaded_state" ] || all_same="no (load $i: $(fingerprint | head -n 1))"
	[ -z "$(duplicate_ranges)" ] || all_same="no (load $i registered a range twice)"
	unload || all_same="no (rmmod $i failed)"
	[ "$(fingerprint)" = "$boot" ] || all_same="no (unload $i: $(fingerprint | head -n 1))"
done
expect_eq "10 reload cycles: same loaded state each time, boot state after each" "$all_same" yes
