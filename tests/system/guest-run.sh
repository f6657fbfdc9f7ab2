#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Inside the Debian system image (tests/system/run.sh), run by
# dax-kmem-test.service after every boot from the test disk, TAP on the
# second serial port. Three kinds of slow memory on node 1 (run.sh): e820
# legacy pmem, EFI soft-reserved memory and an ACPI PRP0001 device. Boot
# 1: the package installs and DKMS builds the module; then what a user
# types from the admin guide's "Boot-time configuration" (load at boot,
# claim legacy pmem and soft-reserved memory, keep nd_e820 and dax_hmem
# from taking them) and a reboot. Boot 2: with nothing typed all three
# ranges are online on node 1, and the package purges cleanly.
exec 3>/dev/ttyS1
stty -F /dev/ttyS1 raw -echo 2>/dev/null
state=/var/lib/dax-kmem-test
mkdir -p "$state"
deb=$(ls /mnt/test/dax-kmem-dkms_*_all.deb)
version=$(cat /mnt/test/VERSION)

ok() { echo "ok - $*" >&3; }
not_ok() { echo "not ok - $*" >&3; }
diag() { echo "# $*" >&3; }
check() {
	name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (got '$2', want '$3')"; fi
}
up() { cut -d. -f1 /proc/uptime; }
node1_kb() {
	awk '$3 == "MemTotal:" { print $4 }' /sys/devices/system/node/node1/meminfo 2>/dev/null || echo 0
}
diag_file() { sed 's/^/# /' "$1" >&3; }

phase=$(cat "$state/phase" 2>/dev/null || echo 1)
diag "boot $phase: $(uname -r), test started $(up) s after the kernel"
case "$phase" in
1)
	check "boot 1: systemd-udevd is running" systemctl -q is-active systemd-udevd
	# multi-user.target does not wait for udev's coldplug to finish
	# loading modules (on a loaded host the 6.12 guest got here first).
	udevadm settle --timeout=300
	check "boot 1: udev loaded nd_e820 for the legacy pmem at coldplug" [ -d /sys/module/nd_e820 ]
	check "boot 1: udev loaded dax_hmem for the soft-reserved memory at coldplug" [ -d /sys/module/dax_hmem ]
	check "boot 1: the SSDT's PRP0001 device is there, with no driver" \
		sh -c '[ -e /sys/bus/platform/devices/PRP0001:00 ] && [ ! -e /sys/bus/platform/devices/PRP0001:00/driver ]'
	# 6.12's dax_hmem hands soft-reserved memory to the kernel's own kmem
	# driver (device-dax) at coldplug: "System RAM (kmem)" is not ours.
	grep -q 'System RAM (kmem)' /proc/iomem &&
		diag "boot 1: the kernel's kmem driver onlined memory at coldplug: $(grep -c 'System RAM (kmem)' /proc/iomem) ranges"
	check "boot 1: nothing of dax_kmem in /proc/iomem before the install" sh -c '! grep -q dax_kmem /proc/iomem'
	t0=$(up)
	dpkg -i "$deb" > /root/install.log 2>&1
	rc=$?
	expect_eq "dpkg -i dax-kmem-dkms $version: exit 0 ($(( $(up) - t0 )) s, DKMS build included)" "$rc" 0
	[ "$rc" -eq 0 ] || diag_file /root/install.log
	check "dkms status: dax-kmem/$version installed for $(uname -r)" \
		sh -c "dkms status dax-kmem | grep -q '$version, $(uname -r), .*: installed'"
	expect_eq "modprobe finds the DKMS module (version)" \
		"$(modinfo -F version dax_kmem 2>&1)" "$version"
	check "the module is in updates/dkms" \
		sh -c "modinfo -n dax_kmem | grep -q '/updates/dkms/dax_kmem.ko'"
	# The firmware device is there since boot: a coldplug replay of its
	# uevent is what loads the module at the next boot, by modalias.
	udevadm trigger --action=add /sys/bus/platform/devices/PRP0001:00
	udevadm settle --timeout=120
	check "udev loads dax_kmem by modalias for the PRP0001 device" [ -d /sys/module/dax_kmem ]
	dax-kmem wait --timeout 300
	expect_eq "the ACPI range is online on node 1 (no claim= yet: the others are left alone)" \
		"$(dax-kmem list | awk 'NR > 1 { print $2, $3, $4 }')" "acpi 1 online"
	# What the user types (admin guide, Boot-time configuration).
	sed -i 's/^#dax_kmem$/dax_kmem/' /etc/modules-load.d/dax-kmem.conf
	sed -i -e 's/^#blacklist nd_e820$/blacklist nd_e820/' \
		-e 's/^#blacklist dax_hmem$/blacklist dax_hmem/' \
		-e 's/^#options dax_kmem claim=legacy-pmem$/options dax_kmem claim=legacy-pmem,soft-reserved/' \
		/etc/modprobe.d/dax-kmem.conf
	check "the shipped examples enable as the guide says" \
		sh -c 'grep -qx dax_kmem /etc/modules-load.d/dax-kmem.conf &&
			grep -qx "blacklist nd_e820" /etc/modprobe.d/dax-kmem.conf &&
			grep -qx "blacklist dax_hmem" /etc/modprobe.d/dax-kmem.conf &&
			grep -qx "options dax_kmem claim=legacy-pmem,soft-reserved" /etc/modprobe.d/dax-kmem.conf'
	echo 2 > "$state/phase"
	sync
	diag "boot 1 done at $(up) s: rebooting"
	exec 3>&-
	systemctl reboot
	;;
2)
	dax-kmem wait --timeout 300
	expect_eq "boot 2: dax-kmem wait: every range settled (exit 0)" "$?" 0
	dax-kmem list > /root/list.txt 2>&1
	diag_file /root/list.txt
	check "boot 2, nothing typed: nd_e820 did not load" [ ! -d /sys/module/nd_e820 ]
	check "boot 2, nothing typed: dax_hmem did not load" [ ! -d /sys/module/dax_hmem ]
	expect_eq "boot 2, nothing typed: legacy pmem (1 GiB), soft-reserved (256 MiB) and ACPI (256 MiB) online movable on node 1, every block, none lost" \
		"$(awk 'NR > 1 { print $2, $3, $4, $5, $8, $9, $10, $11 }' /root/list.txt | sort)" \
		"acpi 1 online movable 2/2 256M 0M 0
legacy-pmem 1 online movable 8/8 1024M 0M 0
soft-reserved 1 online movable 2/2 256M 0M 0"
	check "boot 2: the ACPI range's device sits under PRP0001:00" \
		sh -c 'ls -d /sys/bus/platform/devices/PRP0001:00/dax_kmem.* >/dev/null 2>&1'
	check "boot 2: node 1 in a tier below DRAM (memory_tier22)" grep -q 'memory_tier22' /root/list.txt
	expect_eq "boot 2: node 1 holds the 1.5 GiB of slow memory" "$(node1_kb)" 1572864
	lsmem -o RANGE,SIZE,STATE,NODE,ZONES > /root/lsmem.txt 2>&1
	diag_file /root/lsmem.txt
	check "lsmem -o +NODE,ZONES: node 1 online Movable" \
		awk '$3 == "online" && $4 == 1 && $5 == "Movable" { f = 1 } END { exit !f }' /root/lsmem.txt
	numactl -H > /root/numactl.txt 2>&1
	diag_file /root/numactl.txt
	check "numactl -H: node 1 size: 1536 MB" grep -q '^node 1 size: 1536 MB' /root/numactl.txt
	t0=$(up)
	apt-get purge -y dax-kmem-dkms > /root/purge.log 2>&1
	rc=$?
	expect_eq "apt-get purge dax-kmem-dkms: exit 0 ($(( $(up) - t0 )) s)" "$rc" 0
	[ "$rc" -eq 0 ] || diag_file /root/purge.log
	check "after purge: module unloaded" [ ! -d /sys/module/dax_kmem ]
	expect_eq "after purge: node 1 memory gone" "$(node1_kb)" 0
	check "after purge: /proc/iomem has no kmem left" sh -c '! grep -q kmem /proc/iomem'
	check "after purge: the legacy pmem is firmware's again" grep -q 'Persistent Memory (legacy)' /proc/iomem
	check "after purge: the soft-reserved memory is firmware's again" grep -q 'Soft Reserved' /proc/iomem
	check "after purge: no module file, source or /etc file left" \
		sh -c '[ -z "$(find /lib/modules -name "dax_kmem.ko*")" ] && ! ls -d /usr/src/dax-kmem-* 2>/dev/null &&
			[ ! -e /etc/modprobe.d/dax-kmem.conf ] && [ ! -e /etc/modules-load.d/dax-kmem.conf ] &&
			[ ! -e /usr/sbin/dax-kmem ]'
	echo 3 > "$state/phase"
	echo "# system-done" >&3
	exec 3>&-
	sync
	systemctl poweroff
	;;
*)
	systemctl poweroff
	;;
esac
