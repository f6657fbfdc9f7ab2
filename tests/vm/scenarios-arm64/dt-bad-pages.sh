# SPDX-License-Identifier: GPL-2.0
# Known-bad pages from the Device Tree property bad-pages
# (tests/vm/dts/arm64-bad-pages.dtsi): all of the range online, each bad
# page poisoned (HardwareCorrupted, /proc/kpageflags), again after
# unbind/bind and a module reload; a property of the wrong type or with
# an address outside its range refuses that range only.
# cmdline: memory_hotplug.memmap_on_memory=1
# dts: tests/vm/dts/arm64-bad-pages.dtsi
# timeout: 900

boot=$(fingerprint)
boot_hc=$(meminfo_kb HardwareCorrupted)
page_kb=$(awk '/^KernelPageSize:/ { print $2; exit }' /proc/self/smaps)
page=$(( page_kb * 1024 ))
hc_kb() { echo $(( $(meminfo_kb HardwareCorrupted) - boot_hc )); }
# Each address rounded down to this kernel's page.
bad=
for a in 0x80001000 0x92345000 0xbffff000; do
	bad="$bad $(printf '0x%x' $(( a / page * page )))"
done
want_list=$(echo $bad | tr ' ' ',')

load
d=$(dev_by_range 0x80000000-0xbfffffff)
expect_eq "bad-pages: the range is online" "$(attr "$d" state)" online
check "bad-pages: every block online movable" blocks_online_movable "$d"
expect_eq "bad-pages: all of the 1 GiB is added" "$(attr "$d" added_bytes)" 1073741824
expect_eq "bad-pages: HardwareCorrupted grows by three pages" "$(hc_kb)" $(( 3 * page_kb ))
# shellcheck disable=SC2086
check "bad-pages: the three pages are poisoned, in no LRU" all_poisoned $bad
expect_eq "bad-pages: sysfs lists them" "$(attr "$d" bad_pages)" "$want_list"
expect_eq "bad-pages: a bad page in a memmap's place keeps the memmap in DRAM" \
	"$(attr "$d" memmap)" dram
check "bad-pages: 32-bit cells refuse that range, with a message" sh -c \
	"dmesg | grep -q 'memory@c0000000: bad-pages is not an array of 64-bit addresses'"
check "bad-pages: an address outside its only range refuses it, with a message" sh -c \
	"dmesg | grep -q 'memory@d0000000: bad-pages entry 0x80000000 is outside \[mem 0xd0000000-0xdfffffff\]'"
expect_eq "bad-pages: neither got a device" \
	"$(dev_by_range 0xc0000000-0xcfffffff)$(dev_by_range 0xd0000000-0xdfffffff)" ""
expect_eq "bad-pages: the good range beside them is online" \
	"$(attr "$(dev_by_range 0xe0000000-0xffffffff)" state)" online

unbind "$d"
expect_eq "unbind: memory removed" "$(attr "$d" state)" absent
bind "$d"
# shellcheck disable=SC2086
check "bind again: every bad page poisoned again" all_poisoned $bad
expect_eq "bind again: HardwareCorrupted three pages" "$(hc_kb)" $(( 3 * page_kb ))
unload
expect_eq "rmmod: boot state" "$(fingerprint)" "$boot"
load
# shellcheck disable=SC2086
check "reload: every bad page poisoned again" all_poisoned $bad
expect_eq "reload: HardwareCorrupted three pages" "$(hc_kb)" $(( 3 * page_kb ))
unload
expect_eq "rmmod: boot state again" "$(fingerprint)" "$boot"
