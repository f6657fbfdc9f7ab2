# SPDX-License-Identifier: GPL-2.0
# The bad-input matrix (reliability): malformed, out-of-range and hostile
# input to every source and interface of an x86 machine, each case with
# its errno and its dmesg line; a good range beside them stays online
# throughout, and nothing is left behind. DT and ACPI properties of the
# wrong type are in dt-refused, dt-bad-pages, acpi and acpi-bad-pages.
# Node 1 (0x40000000-0xbfffffff) is Reserved, none of it boot memory.
# cmdline: memmap=2G$0x40000000
# timeout: 1200

boot=$(fingerprint)
node1_boot_kb=$(node_memtotal_kb 1)
cases=0
marks=0
# bad_write NAME FILE VALUE ERROR PATTERN: one case: the write fails with
# ERROR and dmesg says PATTERN (fixed string).
bad_write() {
	cases=$((cases + 1))
	marks=$((marks + 1))
	mark "bad-$marks"
	got=$(write_status "$2" "$3")
	log=$(dmesg_since_mark "bad-$marks")
	if [ "$got" = "$4" ] && echo "$log" | grep -qF -- "$5"; then
		ok "$1: $4, dmesg says so"
	else
		not_ok "$1: got '$got', want '$4' and '$5' in dmesg"
		echo "$log" | tail -n 5 | sed 's/^/# /' >&3
	fi
}
# bad_item N NAME REASON: ranges= item N was skipped, with REASON.
bad_item() {
	cases=$((cases + 1))
	if dmesg | grep -q "ranges= item $1 .*: $3; item skipped"; then
		ok "ranges= $2: item $1 skipped: $3"
	else
		not_ok "ranges= $2: item $1 skipped: $3"
	fi
}
# refused_range NAME RANGE ERRNO PATTERN: a device for RANGE, refused.
refused_range() {
	cases=$((cases + 1))
	d=$(dev_by_range "$2")
	if [ -n "$d" ] && [ "$(attr "$d" state) $(attr "$d" last_error)" = "refused $3" ] &&
		dmesg | grep "dax_kmem $d:" | grep -q -- "$4"; then
		ok "ranges= $1: refused $3, dmesg says '$4'"
	else
		not_ok "ranges= $1: refused $3, dmesg says '$4' (device '$d': $( [ -n "$d" ] && attr "$d" state) $( [ -n "$d" ] && attr "$d" last_error))"
	fi
}
sentinel_ok() {
	expect_eq "after $1: the good range is untouched" \
		"$(attr "$good" state) $(attr "$good" added_bytes)" "online 268435456"
}
long() { head -c "$1" /dev/zero | tr '\0' "$2"; }

# --- ranges= at load: one item per case, the good ones between them.
items=
n=0
item() { n=$((n + 1)); items="${items:+$items,}$1"; }
item "256M@0xb0000000:1"
item "1G"; i_noat=$n
item "1X@0x40000000"; i_suffix=$n
item "0@0x40000000"; i_zero=$n
item "1G@zz"; i_start=$n
item "1G@0x40000000:x"; i_nodex=$n
item "1G@0x40000000:0x1"; i_nodehex=$n
item "1G@0x40000000:99999"; i_nodehuge=$n
item "1G@0x40000000:-1"; i_nodeneg=$n
item "0xffffffffffffffff@0x2"; i_wrap=$n
item "1T@0xfffffffffff00000"; i_wrap2=$n
item "1G@0x40000000:1x"; i_trail=$n
item "1G@0x40000000:1:2"; i_trail2=$n
item "99999999999999999999@0"; i_overflow=$n
item "@0x40000000"; i_nosize=$n
item "1G@@0x40000000"; i_atat=$n
item ""; i_empty=$n
item "1$(long 200 0)@0"; i_long=$n
item "128M@0x30000000:1"	# System RAM
item "64M@0x48000000:1"		# smaller than a block
item "256M@0x50000000:5"	# node not possible
item "128M@0x58000000:63"	# node below MAX_NUMNODES, not possible
item "256M@0xc0000000:1"	# PCI window
item "256M@0x4000000000000000:1"	# beyond the physical address width
item "256M@0x200000000:1"	# a hole firmware does not describe
item "256M@0x60000000:1"	# good
item "256M@0x60000000:1"	# the same again
item "256M@0x68000000:1"	# overlaps the one before
# The kernel takes string parameters up to 1024 characters: a longer
# ranges= fails the load before the module sees it.
for len in 4096 65536; do
	cases=$((cases + 1))
	mark "long-$len"
	out=$(insmod "$KO" ranges="1$(long "$len" 0)@0" 2>&1)
	if ! loaded && echo "$out" | grep -q "No space left on device" &&
		dmesg_since_mark "long-$len" | grep -q "ranges: string parameter too long"; then
		ok "ranges= of $len characters: the kernel refuses the load (ENOSPC), and says why"
	else
		not_ok "ranges= of $len characters: the kernel refuses the load (ENOSPC), and says why"
		loaded && unload
	fi
done
diag "ranges= below: ${#items} characters"
load ranges="$items"
expect_eq "load with $n items, most of them bad, succeeds" "$?" 0
good=$(dev_by_range 0xb0000000-0xbfffffff)
sentinel_ok "load"
cases=$((cases + 1))
expect_eq "ranges= on a node that is possible but had no memory at boot (node 1): added there" \
	"$node1_boot_kb $(attr "$good" node) $(attr "$good" state)" "0 1 online"
bad_item $i_noat "no @START" "missing @START"
bad_item $i_suffix "unknown suffix" "size is not a number with optional K/M/G/T suffix"
bad_item $i_zero "size 0" "size is zero"
bad_item $i_start "start not a number" "start is not a number"
bad_item $i_nodex "node not a number" "node is not a decimal number below MAX_NUMNODES"
bad_item $i_nodehex "node in hex" "node is not a decimal number below MAX_NUMNODES"
bad_item $i_nodehuge "node 99999" "node is not a decimal number below MAX_NUMNODES"
bad_item $i_nodeneg "node -1" "node is not a decimal number below MAX_NUMNODES"
bad_item $i_wrap "start + size wraps" "range wraps past the end of the address space"
bad_item $i_wrap2 "1T near the top wraps" "range wraps past the end of the address space"
bad_item $i_trail "characters after the node" "unexpected characters after the item"
bad_item $i_trail2 "two nodes" "unexpected characters after the item"
bad_item $i_overflow "size overflows 64 bits" "size is not a number with optional K/M/G/T suffix"
bad_item $i_nosize "no size" "size is not a number with optional K/M/G/T suffix"
bad_item $i_atat "@@" "start is not a number"
bad_item $i_empty "empty item (,,)" "empty item"
bad_item $i_long "a 200-digit size" "size is not a number with optional K/M/G/T suffix"
refused_range "System RAM" 0x30000000-0x37ffffff -16 "overlaps System RAM"
refused_range "sub-block" 0x48000000-0x4bffffff -22 "too small"
refused_range "node 5 not possible" 0x50000000-0x5fffffff -22 "node 5 is not possible"
refused_range "PCI window" 0xc0000000-0xcfffffff -16 "a PCI host bridge window"
refused_range "beyond what hotplug can add" 0x4000000000000000-0x400000000fffffff -34 "outside the range memory hotplug can add here"
refused_range "a hole firmware does not describe" 0x200000000-0x20fffffff -22 "not memory in"
cases=$((cases + 1))
# shellcheck disable=SC2046 # two device names
set -- $(dev_by_range 0x60000000-0x6fffffff)
if [ $# -eq 2 ] && [ "$(attr "$1" state)$(attr "$2" state)" = onlinerefused ] &&
	[ "$(attr "$2" last_error)" = -16 ]; then
	ok "ranges= the same item twice: one online, one refused -16"
else
	not_ok "ranges= the same item twice: one online, one refused -16 ($*)"
fi
refused_range "overlap with another item" 0x68000000-0x77ffffff -16 "overlaps dax_kmem"
refused_range "node 63 not possible" 0x58000000-0x5fffffff -22 "node 63 is not possible"

# --- new_range
bad_write "new_range: empty" $DRV/new_range "" "Invalid argument" "new_range: range: empty item"
bad_write "new_range: blanks" $DRV/new_range "   " "Invalid argument" "new_range: range: empty item"
bad_write "new_range: no @START" $DRV/new_range "1G" "Invalid argument" "new_range: range: missing @START"
bad_write "new_range: size 0" $DRV/new_range "0@0x40000000" "Invalid argument" "new_range: range: size is zero"
bad_write "new_range: wraps" $DRV/new_range "0xffffffffffffffff@0x2" "Invalid argument" \
	"new_range: range: range wraps past the end of the address space"
bad_write "new_range: System RAM" $DRV/new_range "256M@0x30000000:1" "Device or resource busy" "overlaps System RAM"
bad_write "new_range: PCI window" $DRV/new_range "256M@0xc0000000:1" "Device or resource busy" "a PCI host bridge window"
bad_write "new_range: beyond what hotplug can add" $DRV/new_range "256M@0x4000000000000000:1" \
	"Numerical result out of range" "outside the range memory hotplug can add here"
bad_write "new_range: node not possible" $DRV/new_range "256M@0x50000000:5" "Invalid argument" "node 5 is not possible"
bad_write "new_range: smaller than a block" $DRV/new_range "64M@0x48000000:1" "Invalid argument" "too small"
bad_write "new_range: another range's span" $DRV/new_range "256M@0xb0000000:1" "Device or resource busy" "overlaps $good"
bad_write "new_range: a hole firmware does not describe" $DRV/new_range "256M@0x200000000:1" "Invalid argument" "not memory in"
bad_write "new_range: the 64-bit PCI window" $DRV/new_range "256M@0x100000000:1" "Device or resource busy" "a PCI host bridge window"
bad_write "new_range: key without value" $DRV/new_range "256M@0x40000000:1 online_type=" "Invalid argument" \
	"new_range: online_type: needs a value after '='"
bad_write "new_range: value without key" $DRV/new_range "256M@0x40000000:1 =movable" "Invalid argument" \
	"new_range: key: not one of online_type, memmap, adistance, bad_pages"
bad_write "new_range: adistance not a number" $DRV/new_range "256M@0x40000000:1 adistance=abc" "Invalid argument" \
	"new_range: adistance: not a decimal number above 0"
bad_write "new_range: adistance 0" $DRV/new_range "256M@0x40000000:1 adistance=0" "Invalid argument" \
	"new_range: adistance: not a decimal number above 0"
bad_write "new_range: memmap in capitals" $DRV/new_range "256M@0x40000000:1 memmap=DRAM" "Invalid argument" \
	"new_range: memmap: not one of dram, range"
bad_write "new_range: bad_pages empty" $DRV/new_range "256M@0x40000000:1 bad_pages=" "Invalid argument" \
	"new_range: bad_pages: needs a value after '='"
list=
i=0
while [ $i -lt 65 ]; do
	list="${list:+$list,}$(printf '0x%x' $((0x40000000 + i * 4096)))"
	i=$((i + 1))
done
bad_write "new_range: 65 bad pages" $DRV/new_range "256M@0x40000000:1 bad_pages=$list" \
	"Invalid argument" "new_range: bad_pages: more than 64 pages"
bad_write "new_range: online_type twice" $DRV/new_range "256M@0x40000000:1 online_type=movable online_type=kernel" \
	"Invalid argument" "new_range: online_type: given twice"
bad_write "new_range: 4000 bytes" $DRV/new_range "$(long 4000 x)" "Invalid argument" "new_range: range: too long"
bad_write "new_range: 64 KiB" $DRV/new_range "$(long 65536 7)" "Invalid argument" "new_range: range: too long"
bad_write "new_range: two lines" $DRV/new_range "$(printf '256M@0x40000000:1\n256M@0x50000000:1')" \
	"Invalid argument" "new_range: one range per write"
cases=$((cases + 1))
before=$(devices_of | wc -w)
if ! printf '256M@0x40000000:1\000 online_type=kernel\n' > $DRV/new_range 2>/dev/null &&
	[ "$(devices_of | wc -w)" = "$before" ]; then
	ok "new_range: a NUL inside: refused, no device"
else
	not_ok "new_range: a NUL inside: refused, no device"
fi
sentinel_ok "new_range"

# --- remove_range and load_ranges
bad_write "remove_range: no such device" $DRV/remove_range "dax_kmem.999" "No such device" 'no range device "dax_kmem.999"'
bad_write "remove_range: empty" $DRV/remove_range "" "No such device" 'no range device ""'
bad_write "remove_range: 4000 bytes, quoted in part" $DRV/remove_range "$(long 4000 y)" "No such device" \
	"no range device \"$(long 32 y)\""
bad_write "load_ranges: missing file" $DRV/load_ranges "missing.txt" "No such file or directory" "descriptor file missing.txt: not found"
bad_write "load_ranges: absolute path" $DRV/load_ranges "/etc/passwd" "Invalid argument" 'descriptor file "/etc/passwd": a name under /lib/firmware'
bad_write "load_ranges: .." $DRV/load_ranges "../x" "Invalid argument" 'descriptor file "../x": a name under /lib/firmware'
bad_write "load_ranges: empty name" $DRV/load_ranges "" "Invalid argument" 'descriptor file "": a name under /lib/firmware'
mkdir -p /lib/firmware/bad
long 70000 '#' > /lib/firmware/bad/big.txt
bad_write "load_ranges: 70000 bytes" $DRV/load_ranges "bad/big.txt" "File too large" "descriptor file bad/big.txt: 70000 bytes, more than 65536"
printf 'garbage\n1G@\n0@0\n\n# nothing\n' > /lib/firmware/bad/junk.txt
cases=$((cases + 1))
mark junk
if [ "$(write_status $DRV/load_ranges bad/junk.txt)" = ok ] &&
	dmesg_since_mark junk | grep -q "descriptor file bad/junk.txt: 0 ranges registered, 3 lines refused"; then
	ok "load_ranges: a file of bad lines: read, every line refused"
else
	not_ok "load_ranges: a file of bad lines: read, every line refused"
fi
sentinel_ok "remove_range and load_ranges"

# --- each writable attribute: bound ($good), unbound, refused
echo "256M@0x40000000:1" > $DRV/new_range
settle
un=$(dev_by_range 0x40000000-0x4fffffff)
unbind "$un"
ref=$(dev_by_range 0x30000000-0x37ffffff)
for where in "bound:$good" "unbound:$un" "refused:$ref"; do
	w=${where%%:*}
	d=${where#*:}
	bad_write "online_type ($w): a word it is not" "$DEVS/$d/online_type" xyz "Invalid argument" \
		"online_type: \"xyz\" is not one of movable, kernel, offline"
	bad_write "memmap ($w): a word it is not" "$DEVS/$d/memmap" ram "Invalid argument" \
		"memmap: \"ram\" is not one of dram, range"
	bad_write "adistance ($w): not a number" "$DEVS/$d/adistance" abc "Invalid argument" \
		"adistance: \"abc\" is not a number from 1 to 2147483647"
	bad_write "size ($w): not a size" "$DEVS/$d/size" 1G1 "Invalid argument" \
		'size: "1G1" is not a size with optional K/M/G/T suffix'
done
# The same without the newline that echo adds, as a program would write.
# shellcheck disable=SC2034 # read by write_status (lib.sh)
NO_NEWLINE=1
bad_write "online_type: no newline" "$DEVS/$good/online_type" xyz "Invalid argument" \
	'online_type: "xyz" is not one of'
bad_write "size: no newline" "$DEVS/$un/size" 1G1 "Invalid argument" \
	'size: "1G1" is not a size with optional K/M/G/T suffix'
bad_write "adistance: no newline" "$DEVS/$good/adistance" 0 "Invalid argument" \
	'adistance: "0" is not a number from 1'
bad_write "new_range: no newline, no @START" $DRV/new_range "1G" "Invalid argument" \
	"new_range: range: missing @START"
bad_write "remove_range: no newline, no such device" $DRV/remove_range "dax_kmem.999" \
	"No such device" 'no range device "dax_kmem.999"'
cases=$((cases + 1))
# On the unbound range, and a word it does not have yet: kernel.
if [ "$(write_status "$DEVS/$un/online_type" kernel)" = ok ] &&
	[ "$(attr "$un" online_type)" = kernel ]; then
	ok "online_type: a good word without newline is taken"
else
	not_ok "online_type: a good word without newline is taken (online_type $(attr "$un" online_type))"
fi
write_status "$DEVS/$un/online_type" movable > /dev/null
# shellcheck disable=SC2034 # read by write_status (lib.sh)
NO_NEWLINE=
bad_write "online_type: empty" "$DEVS/$good/online_type" "" "Invalid argument" 'online_type: "" is not one of'
bad_write "online_type: in capitals" "$DEVS/$good/online_type" MOVABLE "Invalid argument" 'online_type: "MOVABLE" is not one of'
bad_write "online_type: 4000 bytes, quoted in part" "$DEVS/$good/online_type" "$(long 4000 z)" "Invalid argument" \
	"online_type: \"$(long 32 z)\" is not one of"
bad_write "adistance: 0" "$DEVS/$good/adistance" 0 "Invalid argument" 'adistance: "0" is not a number from 1'
bad_write "adistance: negative" "$DEVS/$good/adistance" -5 "Invalid argument" 'adistance: "-5" is not a number from 1'
bad_write "adistance: past INT_MAX" "$DEVS/$good/adistance" 99999999999 "Invalid argument" 'adistance: "99999999999" is not a number from 1'
bad_write "memmap while bound" "$DEVS/$good/memmap" range "Device or resource busy" \
	"memmap: chosen when the memory is added; unbind the range first"
bad_write "adistance while bound" "$DEVS/$good/adistance" 100 "Device or resource busy" \
	"adistance: chosen when the memory is added; unbind the range first"
bad_write "size: 0" "$DEVS/$good/size" 0 "Invalid argument" "size: 0: unbind the range"
bad_write "size: 4000 bytes" "$DEVS/$good/size" "$(long 4000 9)" "Invalid argument" \
	"size: 4001 bytes written, no size is that long"
bad_write "size: part of a block while bound" "$DEVS/$good/size" 300M "Invalid argument" \
	"size: an added range changes by whole 128 MiB blocks"
bad_write "size: wraps" "$DEVS/$un/size" 0xfffffffffffffff0 "Numerical result out of range" \
	"pass the end of the address space"
bad_write "bad_pages while bound" "$DEVS/$good/bad_pages" 0xb0001000 "Device or resource busy" \
	"bad_pages: written while the range is bound"
bad_write "bad_pages: garbage" "$DEVS/$un/bad_pages" zz "Invalid argument" "bad_pages: an address is not a number"
bad_write "bad_pages: empty" "$DEVS/$un/bad_pages" "" "Invalid argument" "bad_pages: needs a value after '='"
bad_write "bad_pages: outside" "$DEVS/$un/bad_pages" 0x90000000 "Invalid argument" "bad_pages: an address is outside the range"
bad_write "bad_pages: a policy key" "$DEVS/$un/bad_pages" "0x40001000 memmap=dram" "Invalid argument" "bad_pages: addresses only"
# The driver core's bind and unbind: errno only, its own words.
for c in "bind, no such device|$DRV/bind|dax_kmem.999|No such device" \
	"bind, a bound device|$DRV/bind|$good|Device or resource busy" \
	"unbind, an unbound device|$DRV/unbind|$un|No such device" \
	"unbind, no such device|$DRV/unbind|dax_kmem.999|No such device"; do
	cases=$((cases + 1))
	name=${c%%|*}; rest=${c#*|}; file=${rest%%|*}; rest=${rest#*|}; val=${rest%%|*}; want=${rest#*|}
	expect_eq "$name" "$(write_status "$file" "$val")" "$want"
done
sentinel_ok "the attributes"
expect_eq "the unbound range is still unbound, unchanged" "$(attr "$un" state) $(attr "$un" size)" "absent 268435456"

# --- a user who is not root
mkdir -p /etc
echo "root:x:0:0:root:/:/bin/sh" > /etc/passwd
echo "nobody:x:65534:65534:nobody:/:/bin/sh" >> /etc/passwd
echo "root:x:0:" > /etc/group
echo "nogroup:x:65534:" >> /etc/group
as_nobody() { su -s /bin/sh nobody -c "$1" 2>&1; }
for f in range added_range bad_pages; do
	cases=$((cases + 1))
	out=$(as_nobody "cat $DEVS/$good/$f")
	case "$out" in *"Permission denied"*) ok "non-root: reading $f is denied" ;; *) not_ok "non-root: reading $f is denied (got '$out')" ;; esac
done
# Whatever its name, a file that shows root a physical address is root
# only: the module's parameters (ranges= holds this load's items) too.
for f in "$DEVS/$good"/* "$DRV"/* /sys/module/dax_kmem/parameters/*; do
	[ -f "$f" ] || continue
	content=$(cat "$f" 2>/dev/null) || continue
	echo "$content" | grep -qiE '0x[0-9a-f]{5,}|@[0-9]|\[mem ' || continue
	cases=$((cases + 1))
	out=$(as_nobody "cat $f")
	case "$out" in *"Permission denied"*) ok "non-root: reading ${f#/sys/}, which holds addresses, is denied" ;;
	*) not_ok "non-root: reading ${f#/sys/}, which holds addresses, is denied (got '$(echo "$out" | head -c 80)')" ;; esac
done
cases=$((cases + 1))
out=$(as_nobody "cat $DRV/orphans")
case "$out" in *"Permission denied"*) ok "non-root: reading orphans is denied" ;; *) not_ok "non-root: reading orphans is denied (got '$out')" ;; esac
for f in "$DEVS/$good/online_type:offline" "$DEVS/$good/memmap:dram" "$DEVS/$good/adistance:100" \
	"$DEVS/$good/size:512M" "$DEVS/$un/bad_pages:0x40001000" "$DRV/new_range:256M@0x90000000:1" \
	"$DRV/remove_range:$good" "$DRV/load_ranges:bad/junk.txt" "$DRV/unbind:$good" "$DRV/bind:$un"; do
	cases=$((cases + 1))
	file=${f%%:*}
	out=$(as_nobody "echo ${f#*:} > $file")
	case "$out" in *"Permission denied"*) ok "non-root: writing ${file#/sys/bus/platform/} is denied" ;;
	*) not_ok "non-root: writing ${file#/sys/bus/platform/} is denied (got '$out')" ;; esac
done
for f in state source node; do
	cases=$((cases + 1))
	expect_eq "non-root: $f is readable" "$(as_nobody "cat $DEVS/$good/$f")" "$(attr "$good" $f)"
done
sentinel_ok "a user who is not root"
expect_eq "non-root: nothing changed" "$(attr "$un" state) $(devices_of runtime | wc -w)" "absent 1"

diag "reliability: bad-input $cases cases"
check "the matrix has at least 80 cases ($cases)" [ "$cases" -ge 80 ]
unload
expect_eq "rmmod: boot state, nothing left behind" "$(fingerprint)" "$boot"
