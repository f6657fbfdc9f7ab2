# SPDX-License-Identifier: GPL-2.0
# EFI soft-reserved memory: claimed with claim=soft-reserved, left alone
# when dax_hmem already owns it.
# cmdline: memmap=1G%0x40000000-1+0xefffffff memmap=1G$0x80000000
# modules: dax_hmem
# timeout: 900

boot=$(fingerprint)
expect_eq "node 1 is memoryless at boot" "$(node_memtotal_kb 1)" 0
# Since 7.1 Soft Reserved is in iomem only once hmem or CXL own it; the
# kernel's e820 map says so either way.
check "the kernel has Soft Reserved memory (iomem, or its e820 map)" sh -c \
	"grep -q 'Soft Reserved' /proc/iomem || dmesg | grep -q 'user: .mem 0x0*40000000-0x0*7fffffff.  *soft reserved'"

load claim=soft-reserved
d=$(devices_of soft-reserved)
expect_eq "claim=soft-reserved: one device" "$(echo "$d" | wc -w)" 1
expect_eq "claim=soft-reserved: online" "$(attr "$d" state)" online
expect_eq "claim=soft-reserved: node 1 from firmware" "$(attr "$d" node)" 1
expect_eq "claim=soft-reserved: node 1 holds 1 GiB" "$(node_memtotal_kb 1)" 1048576
check "claim=soft-reserved: blocks online movable" blocks_online_movable "$d"
unload
expect_eq "rmmod restores the boot state" "$(fingerprint)" "$boot"

load claim=bogus,soft-reserved
check "unknown claim= word is named" sh -c 'dmesg | grep -q "claim=: unknown kind \"bogus\""'
expect_eq "unknown claim= word does not stop the known one" "$(devices_of soft-reserved | wc -w)" 1
unload

if load_kmod dax_hmem; then
	check "dax_hmem bound to the hmem device" sh -c 'ls -d /sys/bus/platform/drivers/hmem/hmem.* >/dev/null 2>&1'
	iomem=$(md5sum < /proc/iomem)
	load claim=soft-reserved
	expect_eq "owned by dax_hmem: no device" "$(devices_of soft-reserved | wc -w)" 0
	check "owned by dax_hmem: skipped with a message naming it" \
		sh -c 'dmesg | grep -q "Soft Reserved .* skipped: owned by hmem.* (driver hmem)"'
	unload
	expect_eq "owned by dax_hmem: iomem unchanged" "$(md5sum < /proc/iomem)" "$iomem"

	# driver_override must not make either driver parse a foreign device.
	hmem=$(basename "$(ls -d /sys/bus/platform/drivers/hmem/hmem.* | head -n 1)")
	load
	echo "$hmem" > /sys/bus/platform/drivers/hmem/unbind
	iomem=$(md5sum < /proc/iomem)
	for drv in dax_kmem dax_kmem_fw; do
		echo "$drv" > "$DEVS/$hmem/driver_override"
		mark "override-$drv"
		echo "$hmem" > "/sys/bus/platform/drivers/$drv/bind" 2>/dev/null
		expect_eq "driver_override=$drv on $hmem: the bind is refused" "$?" 1
		check "driver_override=$drv on $hmem: not bound" [ ! -e "/sys/bus/platform/drivers/$drv/$hmem" ]
		check "driver_override=$drv on $hmem: refused with a message" \
			sh -c "dmesg | sed -n '/dax_kmem-test-mark override-$drv\$/,\$p' | grep -qE '$drv $hmem: not (a dax_kmem range device|compatible with linux,dax-kmem)'"
	done
	echo > "$DEVS/$hmem/driver_override"
	unload
	expect_eq "driver_override: iomem unchanged" "$(md5sum < /proc/iomem)" "$iomem"
else
	not_ok "dax_hmem loads"
fi
