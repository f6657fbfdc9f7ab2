# SPDX-License-Identifier: GPL-2.0
# Bad Device Tree descriptions (tests/vm/dts/arm64-refused.dtsi): each is
# refused with a message that says what to fix; the good range next to
# them is added all the same; no WARN.
# dts: tests/vm/dts/arm64-refused.dtsi
# timeout: 900

boot=$(fingerprint)
# arm64 firmware names no node for an address: ranges= without :NODE must
# be refused, not put on node 0 (memory_add_physaddr_to_nid()'s answer).
load ranges=128M@0xe8000000
check "module loads despite bad nodes" loaded
expect_refused "ranges= without a node on arm64" "$(dev_by_range 0xe8000000-0xefffffff)" -22 "no NUMA node from param"

d=$(dev_by_range 0x88000000-0x9fffffff)
expect_eq "good range next to bad ones: online on node 1" \
	"$(attr "$d" state) $(attr "$d" node)" "online 1"
# The good range (node 1) and the first of the overlapping pair (node 2).
expect_eq "only the good ranges add memory" "$(node_memtotal_kb 1) $(node_memtotal_kb 2)" "393216 262144"

d=$(dev_by_range 0xa0000000-0xa7ffffff)
expect_refused "no numa-node-id" "$d" -22 "no NUMA node"
check "no numa-node-id: dmesg says how to fix the DT" \
	sh -c 'dmesg | grep -q "no-node@a0000000: no numa-node-id: add numa-node-id = <N>; a node is possible at boot only if"'
d=$(dev_by_range 0xa8000000-0xafffffff)
expect_refused "numa-node-id not possible" "$d" -22 "not possible"
check "numa-node-id not possible: dmesg explains possible nodes" \
	sh -c 'dmesg | grep -q "impossible-node@a8000000: numa-node-id = <5> is not possible (possible: 0-2); a node is possible"'
expect_eq "zero size: no device" "$(dev_by_range 0xb0000000-0xafffffff)" ""
check "zero size: dmesg names the node" \
	sh -c 'dmesg | grep -q "zero-size@b0000000: reg entry 0 has size 0"'
check "reg with the wrong number of cells: dmesg names the node and the cells" \
	sh -c 'dmesg | grep -q "wrong-cells@b8000000: reg has 3 cells, not a multiple of the parent.s #address-cells (2) + #size-cells (2)"'
expect_eq "reg with the wrong number of cells: no device" "$(dev_by_range 0xb8000000-0xbfffffff)" ""
expect_refused "overlapping boot memory (/memory)" "$(dev_by_range 0x78000000-0x87ffffff)" -16 "overlaps System RAM"
expect_refused "overlapping no-map boot memory" "$(dev_by_range 0x68000000-0x6fffffff)" -16 "overlaps boot memory"
expect_refused "smaller than a block" "$(dev_by_range 0xc0000000-0xc3ffffff)" -22 "too small"
first=$(dev_by_range 0xc8000000-0xd7ffffff)
expect_eq "first of two overlapping nodes: online" "$(attr "$first" state)" online
expect_refused "second of two overlapping nodes" "$(dev_by_range 0xd0000000-0xdfffffff)" -16 "overlaps $first"

expect_eq "invalid online-type: no device" "$(dev_by_range 0xf8000000-0xf9ffffff)" ""
check "invalid online-type: dmesg names the property and the allowed values" \
	sh -c 'dmesg | grep -q "bad-policy@f8000000: online-type = \"fast\" is not one of movable, kernel, offline"'

# Wrong type or length: refused, said which property and how to write it.
expect_refused "numa-node-id of two cells" "$(dev_by_range 0xe0000000-0xe7ffffff)" -22 "no NUMA node"
check "numa-node-id of two cells: dmesg says it is not one number" \
	sh -c 'dmesg | grep -q "nid-two-cells@e0000000: numa-node-id is not one 32-bit number: give it as numa-node-id = <N>"'
expect_refused "numa-node-id as a string" "$(dev_by_range 0xf0000000-0xf7ffffff)" -22 "no NUMA node"
check "numa-node-id as a string: dmesg says it is not one number" \
	sh -c 'dmesg | grep -q "nid-string@f0000000: numa-node-id is not one 32-bit number"'
expect_eq "online-type as a cell: no device" "$(dev_by_range 0xfa000000-0xfbffffff)" ""
check "online-type as a cell: dmesg says it is not one string" \
	sh -c 'dmesg | grep -q "/reserved-memory/online-type-cell@fa000000: online-type is not one string: give it as online-type = \"WORD\""'
expect_eq "abstract-distance as a 2-byte string: no device" "$(dev_by_range 0xfc000000-0xfdffffff)" ""
check "abstract-distance as a 2-byte string: dmesg says it is not one number" \
	sh -c 'dmesg | grep -q "adistance-string@fc000000: abstract-distance is not one 32-bit number"'
expect_eq "online-type as a list of two: no device" "$(dev_by_range 0xfe000000-0xffffffff)" ""
check "online-type as a list of two: dmesg says it is not one string" \
	sh -c 'dmesg | grep -q "online-type-list@fe000000: online-type is not one string"'

unload
expect_eq "rmmod returns the board to its boot state" "$(fingerprint)" "$boot"
