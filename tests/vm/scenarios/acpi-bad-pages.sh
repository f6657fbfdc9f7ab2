# SPDX-License-Identifier: GPL-2.0
# Known-bad pages from an ACPI _DSD property (tests/vm/acpi/ssdt-bad-pages.asl):
# all of the range added, each bad page out of use; a bad property
# refuses its range only; remove_range leaves firmware's ranges alone.
# cmdline: memmap=2G$0x40000000 nokaslr
# acpi: tests/vm/acpi/ssdt-bad-pages.asl
# timeout: 900

boot=$(fingerprint)
boot_hc=$(meminfo_kb HardwareCorrupted)
hc_kb() { echo $(( $(meminfo_kb HardwareCorrupted) - boot_hc )); }
bad="0x40001000 0x52345000 0x7ffff000"

coldplug_modaliases
check "module loaded by modalias" loaded
d=$(dev_by_range 0x40000000-0x7fffffff)
expect_eq "_DSD bad-pages: the range is online" "$(attr "$d" state)" online
check "_DSD bad-pages: every block online movable" blocks_online_movable "$d"
expect_eq "_DSD bad-pages: HardwareCorrupted grows by 12 kB" "$(hc_kb)" 12
# shellcheck disable=SC2086
check "_DSD bad-pages: the three pages are poisoned" all_poisoned $bad
expect_eq "_DSD bad-pages: sysfs lists them" "$(attr "$d" bad_pages)" 0x40001000,0x52345000,0x7ffff000
check "_DSD bad-pages outside the range: refused, with a message" sh -c \
	"dmesg | grep -q 'bad-pages entry 0x40000000 is outside \[mem 0x80000000-0x8fffffff\]'"
check "_DSD bad-pages as a string: refused, with a message" sh -c \
	"dmesg | grep -q 'bad-pages is not an array of 64-bit addresses'"
expect_eq "neither got a range device" \
	"$(dev_by_range 0x80000000-0x8fffffff)$(dev_by_range 0x90000000-0x9fffffff)" ""

out=$(sh -c "echo $d > $DRV/remove_range" 2>&1)
expect_eq "remove_range of a firmware range: refused" "${out##*: }" "Operation not permitted"
check "remove_range of a firmware range: dmesg says why" sh -c \
	"dmesg | grep -q 'remove_range: $d is firmware.s: it goes with its firmware device; unbind it instead'"
expect_eq "remove_range of a firmware range: it stays online" "$(attr "$d" state)" online

unbind "$d"
bind "$d"
# shellcheck disable=SC2086
check "bind again: every bad page poisoned again" all_poisoned $bad
expect_eq "bind again: HardwareCorrupted 12 kB" "$(hc_kb)" 12

# A size write does not make firmware's range the user's: still refused
# (it once was not: the device its ACPI parent owns went with a write).
check "shrink the firmware range to 768M" write_then_settle "$DEVS/$d/size" 768M
out=$(sh -c "echo $d > $DRV/remove_range" 2>&1)
expect_eq "remove_range after a size write: refused" "${out##*: }" "Operation not permitted"
check "remove_range after a size write: the device stays" test -e "$DEVS/$d"
expect_eq "remove_range after a size write: online" "$(attr "$d" state)" online
unbind "$d"
bind "$d"
expect_eq "shrunk firmware range binds again: online, 768 MiB" "$(attr "$d" state) $(attr "$d" added_bytes)" "online 805306368"
unload
expect_eq "rmmod: boot state" "$(fingerprint)" "$boot"
