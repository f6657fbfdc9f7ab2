# SPDX-License-Identifier: GPL-2.0
# Data-bearing memory (legacy pmem, Soft Reserved) is taken only with the
# admin's opt-in, claim=, whatever source gives the address: under every
# combination of claim= words, typed ranges (ranges=, new_range, the
# descriptor file) into each kind are refused with EPERM unless claim=
# names it, Reserved memory needs no opt-in, and without any source
# nothing is touched. Node 1: legacy pmem at 0x40000000, Soft Reserved
# at 0x60000000 (512 MiB each), Reserved at 0x80000000 (1 GiB).
# cmdline: memmap=512M!0x40000000 memmap=512M%0x60000000-1+0xefffffff memmap=1G$0x80000000
# timeout: 900

boot=$(fingerprint)
iomem=$(md5sum < /proc/iomem)
load
expect_eq "no source: no device" "$(devices_of | wc -w)" 0
expect_eq "no source: iomem untouched" "$(md5sum < /proc/iomem)" "$iomem"
unload

PMEM_MSG="which may hold data; a range given by address takes it only when loaded with claim=legacy-pmem"
SOFT_MSG="which may hold data; a range given by address takes it only when loaded with claim=soft-reserved"
mkdir -p /lib/firmware
printf '%s\n' "128M@0x58000000:1" "128M@0x78000000:1" "128M@0x98000000:1" > /lib/firmware/perm-ranges
# typed_range NAME RANGE CLAIMED MSG: the device for RANGE is online when
# its kind is CLAIMED (yes/no), else refused with EPERM and MSG, said
# since this load's mark (device names repeat from load to load).
typed_range() {
	d=$(dev_by_range "$2")
	if [ "$3" = yes ]; then
		expect_eq "$1: online" "$(attr "$d" state)" online
		return
	fi
	expect_eq "$1: refused, EPERM" "$(attr "$d" state) $(attr "$d" last_error)" "refused -1"
	if dmesg_since_mark "$mk" | grep "dax_kmem $d:" | grep -qF "$4"; then
		ok "$1: dmesg says '$4'"
	else
		not_ok "$1: dmesg says '$4'"
	fi
}
for claim in none legacy-pmem soft-reserved legacy-pmem,soft-reserved; do
	case ",$claim," in *,legacy-pmem,*) pm=yes ;; *) pm=no ;; esac
	case ",$claim," in *,soft-reserved,*) sr=yes ;; *) sr=no ;; esac
	args=
	[ $claim = none ] || args="claim=$claim"
	c="claim=$claim"
	mk="perm-load-$(echo "$claim" | tr , -)"
	mark "$mk"
	load $args ranges=256M@0x40000000:1,256M@0x60000000:1,256M@0x80000000:1
	typed_range "$c: ranges= into legacy pmem" 0x40000000-0x4fffffff $pm "$PMEM_MSG"
	typed_range "$c: ranges= into Soft Reserved" 0x60000000-0x6fffffff $sr "$SOFT_MSG"
	typed_range "$c: ranges= into Reserved" 0x80000000-0x8fffffff yes ""
	got=$(write_status $DRV/new_range "128M@0x50000000:1")
	if [ $pm = yes ]; then want=ok; else want="Operation not permitted"; fi
	expect_eq "$c: new_range into legacy pmem" "$got" "$want"
	got=$(write_status $DRV/new_range "128M@0x70000000:1")
	if [ $sr = yes ]; then want=ok; else want="Operation not permitted"; fi
	expect_eq "$c: new_range into Soft Reserved" "$got" "$want"
	expect_eq "$c: new_range into Reserved" "$(write_status $DRV/new_range "128M@0x90000000:1")" ok
	mark "$mk-file"
	echo perm-ranges > $DRV/load_ranges 2>/dev/null
	settle
	n=$(dmesg_since_mark "$mk-file" | grep -c "which may hold data")
	want=0
	[ $pm = yes ] || want=$((want + 1))
	[ $sr = yes ] || want=$((want + 1))
	expect_eq "$c: descriptor file: a refusal per unclaimed kind" "$n" "$want"
	for r in 0x58000000-0x5fffffff:$pm 0x78000000-0x7fffffff:$sr 0x98000000-0x9fffffff:yes; do
		if [ "${r#*:}" = yes ]; then
			expect_eq "$c: descriptor file line ${r%:*}: online" "$(attr "$(dev_by_range "${r%:*}")" state)" online
		else
			expect_eq "$c: descriptor file line ${r%:*}: no device left" "$(dev_by_range "${r%:*}")" ""
		fi
	done
	# What is added is exactly the claimed kinds' typed ranges + Reserved.
	want=$(( (256 + 128 + 128) * 1024 ))
	[ $pm = yes ] && want=$((want + (256 + 128 + 128) * 1024))
	[ $sr = yes ] && want=$((want + (256 + 128 + 128) * 1024))
	expect_eq "$c: node 1 holds only what the opt-in allows" "$(node_memtotal_kb 1)" "$want"
	unload
	expect_eq "$c: rmmod: boot state" "$(fingerprint)" "$boot"
done
