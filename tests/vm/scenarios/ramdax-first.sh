# SPDX-License-Identifier: GPL-2.0
# Since 6.19 the kernel's ramdax driver can own the legacy pmem device
# (e820_pmem) that nd_e820 owned before. Where ramdax has it first,
# claim=legacy-pmem skips the range with a message naming the owner and
# takes nothing; once ramdax lets go, the same claim takes the range.
# Kernels without ramdax report the cases as skipped. Node 1 as in
# legacy-pmem.sh: first GiB legacy pmem, second GiB Reserved.
# cmdline: memmap=1G!0x40000000 memmap=1G$0x80000000
# modules: ramdax
# timeout: 600

GIB_KB=1048576
PDEV=/sys/bus/platform/devices/e820_pmem
RAMDAX=/sys/bus/platform/drivers/ramdax
boot=$(fingerprint)
cases="ramdax owns e820_pmem;claim= skips the range;dmesg names the owner;node 1 stays memoryless;claim= takes it after ramdax unbinds"

skip_all() {
	echo "$cases" | tr ';' '\n' | while read -r c; do skip "$c" "$1"; done
}

# Whether the kernel has ramdax is its series' fact, not the harness's:
# a 6.19+ kernel whose ramdax did not reach the guest is a failure.
if kernel_between 6.0 6.19; then
	skip_all "no ramdax module in this kernel (it arrived in 6.19)"
elif [ ! -s /lib/modules/extra/ramdax.order ]; then
	not_ok "ramdax shipped to the guest (no ramdax module found for $(uname -r))"
elif ! load_kmod ramdax; then
	not_ok "ramdax loads"
elif [ ! -d "$PDEV" ]; then
	skip_all "no e820_pmem device (memmap=! made no legacy pmem)"
else
	# ramdax may bind by itself; else the admin's way, driver_override.
	if [ ! -e "$PDEV/driver" ]; then
		echo ramdax > "$PDEV/driver_override"
		echo e820_pmem > "$RAMDAX/bind" 2>/dev/null
	fi
	expect_eq "ramdax owns e820_pmem" "$(basename "$(readlink "$PDEV/driver")")" ramdax

	mark ramdax-owns
	iomem_before=$(md5sum < /proc/iomem)
	load claim=legacy-pmem
	expect_eq "claim= skips the range" "$(devices_of legacy-pmem | wc -l)" 0
	check "dmesg names the owner" sh -c \
		"dmesg | sed -n '/dax_kmem-test-mark ramdax-owns/,\$p' | grep -q 'skipped: owned by e820_pmem (driver ramdax)'"
	expect_eq "node 1 stays memoryless" "$(node_memtotal_kb 1)" 0
	unload
	expect_eq "ramdax owns it: /proc/iomem unchanged by load and unload" \
		"$(md5sum < /proc/iomem)" "$iomem_before"

	echo e820_pmem > "$RAMDAX/unbind"
	echo > "$PDEV/driver_override"
	load claim=legacy-pmem
	dev=$(devices_of legacy-pmem)
	expect_eq "claim= takes it after ramdax unbinds" \
		"$(echo "$dev" | wc -w) $(attr "$dev" state 2>/dev/null) $(node_memtotal_kb 1)" "1 online $GIB_KB"
	unload
	expect_eq "rmmod restores the boot state" "$(fingerprint)" "$boot"
fi
