# SPDX-License-Identifier: GPL-2.0
# -ENOMEM from the add itself, node 0 too full for a memmap in DRAM.
# dax_kmem reports add-failed with -ENOMEM and leaves no block, resource
# or memory behind, and a retry once node 0 has room adds the whole
# range. The kernel WARNs (x86 add_pages(), WARN_ON_ONCE): this scenario
# asserts it, and it is the one report of the boot not counted as a
# failure (kernel-warns).
# cmdline: memmap=2G$0x40000000
# timeout: 600
# kernel-warns: arch/x86/mm/init_64[.]c:[0-9]+ (at )?add_pages[+]0x
# (6.x: "at FILE:LINE add_pages+0x..", 7.x: "FILE:LINE at add_pages+0x..")

kmem_lines() { grep -c 'System RAM (kmem)' /proc/iomem; }

# --- -ENOMEM from the add: node 0 has no room for a memmap in DRAM ------
# Hugetlb takes node 0's free memory down to ~12 MiB above its min
# watermark, which the 16 MiB memmap of a 1 GiB range cannot fit in
# (vmemmap allocations fail instead of calling the OOM killer). While the
# worker's add drains node 0 to the watermark, the shell must not fork:
# the module is loaded before (an insmod then met the OOM killer on 7.3),
# the range comes through new_range with a builtin echo, and the shell
# waits on a FIFO with a builtin read, then gives the memory back.
load
HP=/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages
mkfifo /tmp/pause
exec 5<>/tmp/pause
wm=$(awk '$1 == "Node" { n = $2 } n == "0," && $1 == "min" { s += $2 } END { print s * 4 }' /proc/zoneinfo)
free0=$(node_meminfo_kb 0 MemFree)
mark enomem
exec 4>$HP
echo $(((free0 - wm - 12 * 1024) / 2048)) >&4
echo "1G@0x80000000:1" > "$DRV/new_range"
# busybox ash has read -t; dash, which shellcheck checks as, has not.
# shellcheck disable=SC3045
read -r -t 10 _ <&5
echo 0 >&4
exec 4>&- 5>&-
settle
dn=$(dev_by_range 0x80000000-0xbfffffff)
expect_eq "add with node 0 full (${free0} kB free before, min watermark ${wm} kB): state add-failed" "$(attr "$dn" state)" add-failed
expect_eq "add with node 0 full: last_error ENOMEM" "$(attr "$dn" last_error)" -12
[ "$(attr "$dn" last_error)" != -12 ] || diag "reliability: faults injected 1"
expect_eq "add with node 0 full: no System RAM (kmem)" "$(kmem_lines)" 0
expect_eq "add with node 0 full: node 1 has no memory" "$(node_memtotal_kb 1)" 0
expect_eq "add with node 0 full: no block of the range present" \
	"$(ls -d /sys/devices/system/memory/memory1[6-9] /sys/devices/system/memory/memory2[0-3] 2>/dev/null | wc -l)" 0
if dmesg_since_mark enomem | grep -q "dax_kmem $dn: add_memory_driver_managed failed at +0x[0-9a-f]* (-12)\|dax_kmem $dn: memory[0-9]*: online_movable failed (-12)"; then
	ok "add with node 0 full: dmesg says the add failed with -12"
else
	not_ok "add with node 0 full: dmesg says the add failed with -12"
	dmesg_since_mark enomem | grep dax_kmem | sed 's/^/# /' >&3
fi
# What the kernel does, recorded: x86's add_pages() WARNs (once a boot)
# on a failed __add_pages(), and __add_pages() does not take back the
# sections it set up before the one that failed. dax_kmem adds one
# memory block a call, and here a block is one section (128 MiB), so
# nothing of the failed call is left: the retry finds the span free.
# (With memory blocks of several sections, 2 GiB on large x86 machines,
# such a remnant would make the retry refused until reboot: issue 14.)
check "the kernel WARNs in add_pages on the failed add" sh -c \
	"dmesg | sed -n '/dax_kmem-test-mark enomem\$/,\$p' | grep -qE 'WARNING: .*arch/x86/mm/init_64[.]c:[0-9]+ (at )?add_pages[+]0x'"
mark enomem-retry
unbind "$dn"
bind "$dn"
expect_eq "retry once node 0 has room: online" "$(attr "$dn" state) $(attr "$dn" last_error)" "online 0"
check "retry: every block online movable" blocks_online_movable "$dn"
expect_eq "retry: node 1 holds the 1 GiB" "$(node_memtotal_kb 1)" $((1024 * 1024))
unload
