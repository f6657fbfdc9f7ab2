# SPDX-License-Identifier: GPL-2.0
# ACPI PRP0001 devices with the binding's compatible in _DSD
# (tests/vm/acpi/ssdt-dax-kmem.asl, one device per case): the module loads
# by modalias, good ranges land on their node, each bad table is refused
# with a message and nothing else is affected.
# nokaslr: one device's range (0x30000000-0x3fffffff) lies in boot RAM on
# purpose. KASLR puts the kernel image anywhere from 0x05600000 to about
# 0x37000000 here (12 boots); when the image straddles 0x30000000 the
# ACPI core cannot nest that range under System RAM and makes no platform
# device for it ("platform device creation failed: -16", once in about 10
# boots), so dax_kmem's own refusal would go untested.
# cmdline: memmap=2G$0x40000000 nokaslr
# acpi: tests/vm/acpi/ssdt-dax-kmem.asl
# timeout: 900

boot=$(fingerprint)
expect_eq "node 1 memoryless at boot" "$(node_memtotal_kb 1)" 0
check "SSDT made PRP0001 devices" [ -e /sys/bus/platform/devices/PRP0001:00 ]

coldplug_modaliases
check "module loaded by modalias (modprobe of the devices' modaliases)" loaded
expect_eq "no range registered twice" "$(duplicate_ranges)" ""

# ACPI device of a range device: its parent.
acpi_path_of() { cat "/sys/bus/platform/devices/$1/../firmware_node/path" 2>/dev/null; }
# The PRP0001 device whose _CRS lists START-END.
prp_of_range() { basename "$(readlink -f "$DEVS/$(dev_by_range "$1")/..")"; }

d=$(dev_by_range 0x40000000-0x7fffffff)
expect_eq "one range, _PXM 1: online on node 1" "$(attr "$d" state) $(attr "$d" node)" "online 1"
expect_eq "one range, _PXM 1: 100% of 1 GiB added" "$(attr "$d" added_bytes)" 1073741824
check "one range, _PXM 1: blocks online movable" blocks_online_movable "$d"
expect_eq "one range: source acpi" "$(attr "$d" source)" acpi
expect_eq "one range: the device belongs to \\_SB.SLM0" "$(acpi_path_of "$d")" '\_SB_.SLM0'

expect_eq "two ranges in one _CRS: two devices, both online" \
	"$(attr "$(dev_by_range 0x80000000-0x8fffffff)" state) $(attr "$(dev_by_range 0x90000000-0x9fffffff)" state)" \
	"online online"
d=$(dev_by_range 0xa0000000-0xafffffff)
expect_eq "no _PXM, SRAT covers the range: node 1 from SRAT" "$(attr "$d" node)" 1
expect_eq "_DSD online-type \"offline\": added, every block offline" "$(attr "$d" state)" offline

expect_refused "no _PXM and no SRAT entry" "$(dev_by_range 0x200000000-0x20fffffff)" -22 "no NUMA node"
check "no _PXM and no SRAT entry: dmesg says to add _PXM" \
	sh -c 'dmesg | grep -q "no _PXM and no SRAT entry covers it: add _PXM to the device"'

# PRP0001 devices that describe nothing usable are refused themselves.
prp_refused() {
	dmesg | grep "dax_kmem_fw $1: _CRS describes no usable memory range" >/dev/null &&
		[ ! -e "$FWDRV/$1" ]
}
slm() { for p in /sys/bus/platform/devices/PRP0001:*; do
	[ "$(cat "$p/firmware_node/path")" = "\\_SB_.$1" ] && basename "$p"; done; }
check "no _CRS: device refused with a message" prp_refused "$(slm SLM4)"
check "I/O-only _CRS: device refused with a message" prp_refused "$(slm SLM5)"
check "I/O-only _CRS: the port is noted as not memory" \
	sh -c "dmesg | grep -q 'dax_kmem_fw $(slm SLM5): _CRS entry 0 \[io  0x0f00-0x0f0f\] is not memory; ignored'"
check "zero-length range: device refused with a message" prp_refused "$(slm SLM6)"
check "zero-length range: dmesg says zero length" \
	sh -c "dmesg | grep -q 'dax_kmem_fw $(slm SLM6): _CRS descriptor 0 is memory of zero length'"
expect_refused "range inside System RAM" "$(dev_by_range 0x30000000-0x3fffffff)" -16 "overlaps System RAM"

first=$(dev_by_range 0xb0000000-0xbfffffff | head -n 1)
second=$(dev_by_range 0xb0000000-0xbfffffff | tail -n 1)
expect_eq "two devices, same range: one online" "$(attr "$first" state)" online
expect_refused "two devices, same range: the other" "$second" -16 "overlaps $first"

expect_eq "node 1 holds exactly the good online ranges (1.75 GiB)" "$(node_memtotal_kb 1)" $((1792 * 1024))
check "no WARN or oops so far" sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
expect_eq "each refusal is logged once" \
	"$(dmesg | grep -c 'dax_kmem dax_kmem.*: \[mem 0x30000000-0x3fffffff\]: overlaps System RAM')" 1

unload
expect_eq "removal restores the boot state" "$(fingerprint)" "$boot"
modprobe dax_kmem
settle
expect_eq "modprobe again: node 1 holds 1.75 GiB again" "$(node_memtotal_kb 1)" $((1792 * 1024))
unload
expect_eq "second removal restores the boot state" "$(fingerprint)" "$boot"
