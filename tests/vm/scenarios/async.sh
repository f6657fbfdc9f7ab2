# SPDX-License-Identifier: GPL-2.0
# Loading is never held while memory is added: insmod of 8 ranges returns
# before they are online, and the documented wait (poll the state files)
# gets all 8 online. And the kernel's own auto-online costs nothing where
# the kernel asks before initialising (6.12): each block's struct pages
# are initialised once, whatever auto_online_blocks says; elsewhere, with
# auto-online on, twice (counted with ftrace on move_pfn_range_to_zone()).
# cmdline: memmap=2G$0x40000000
# timeout: 900

boot=$(fingerprint)

items=
i=0
while [ $i -lt 8 ]; do
	items="$items${items:+,}256M@$(printf '%#x' $((0x40000000 + i * 256 * 1024 * 1024))):1"
	i=$((i + 1))
done
# Every state change sends a change uevent saying where the range is:
# busybox uevent listens on the same netlink socket udev does.
cat > /tmp/uevent.sh <<'LOG'
#!/bin/sh
[ -n "$DAX_KMEM_STATE" ] && echo "$ACTION ${DEVPATH##*/} $DAX_KMEM_STATE $DAX_KMEM_NODE $DAX_KMEM_SOURCE $DAX_KMEM_ERRNO" >> /tmp/uevents
LOG
chmod +x /tmp/uevent.sh
uevent /tmp/uevent.sh &
listener=$!
sleep 1

mark async
timeout 120 insmod "$KO" ranges="$items"
rc=$?
mark async-ret
expect_eq "insmod of 8 ranges succeeds" "$rc" 0
early=$(dmesg_since_mark async | sed '/dax_kmem-test-mark async-ret$/,$d' | grep -c 'dax_kmem dax_kmem\.[0-9]*: node 1: added')
diag "ranges online when insmod returned: $early of 8"
check "insmod returned before the memory was online ($early of 8 ranges online by then)" [ "$early" -lt 8 ]
# The documented wait for scripts is the package's tool (tools/dax-kmem).
dax-kmem wait --timeout 120
expect_eq "dax-kmem wait: exits 0 once all 8 ranges settled online" "$?" 0
list=$(dax-kmem list)
expect_eq "dax-kmem list: a header and 8 ranges" "$(echo "$list" | wc -l)" 9
expect_eq "dax-kmem list: each param range online movable on node 1, 2/2 blocks, 256M, none lost, no error" \
	"$(echo "$list" | awk 'NR > 1 { print $2, $3, $4, $5, $6, $8, $9, $10, $11 }' | sort | uniq -c | tr -s ' ')" \
	" 8 param 1 online movable dram 2/2 256M 0M 0"
json=$(dax-kmem list --json)
expect_eq "dax-kmem list --json: 8 objects, each online with 2 of 2 blocks and 268435456 bytes" \
	"$(echo "$json" | grep -c '"state": "online",.*"blocks_online": 2, "blocks_total": 2, "added_bytes": 268435456,')" 8
expect_eq "dax-kmem list --json: brackets open and close the array" \
	"$(echo "$json" | head -n 1)$(echo "$json" | tail -n 1)" "[]"
states=$(for d in $(devices_of param); do attr "$d" state; done | sort | uniq -c | tr -s ' ')
expect_eq "the documented wait: all 8 ranges online" "$states" " 8 online"
expect_eq "the documented wait: node 1 holds 2 GiB" "$(node_memtotal_kb 1)" $((2 * 1024 * 1024))
d=$(dev_by_range 0x40000000-0x4fffffff)
expect_eq "uevents of $d: adding, then online, with node, source and errno" \
	"$(grep " $d " /tmp/uevents | tr '\n' ';')" "change $d adding 1 param 0;change $d online 1 param 0;"
unbind "$d"
sleep 1
expect_eq "uevents of $d after unbind: removing, then absent" \
	"$(grep " $d " /tmp/uevents | tail -n 2 | tr '\n' ';')" "change $d removing 1 param 0;change $d absent 1 param 0;"
kill $listener
unload
expect_eq "rmmod waits for the removals: boot state" "$(fingerprint)" "$boot"
dax-kmem list > /dev/null 2>&1
expect_eq "dax-kmem list: exits 1 when the module is not loaded" "$?" 1

# A range that settles refused (it lies in boot RAM): wait says so.
load ranges=128M@0x8000000:0
dax-kmem wait --timeout 60 2> /tmp/wait.err
expect_eq "dax-kmem wait: exits 3 when a range settled refused" "$?" 3
check "dax-kmem wait: names the refused range" grep -q 'dax_kmem.0:refused' /tmp/wait.err
d=$(devices_of param)
err=$(attr "$d" last_error)
check "the refused range has an errno ($err)" [ "$err" -lt 0 ]
expect_eq "dax-kmem list: the refused range with its errno" \
	"$(dax-kmem list | awk -v d="$d" '$1 == d { print $4, $11 }')" "refused $err"
unload

# Each block initialised once: move_pfn_range_to_zone() runs once per
# block that comes online, so a refused auto-online that the kernel had
# already prepared would show as a second call.
T=/sys/kernel/tracing
mount -t tracefs nodev $T 2>/dev/null
traced=
grep -qx move_pfn_range_to_zone $T/available_filter_functions 2>/dev/null && traced=1
for policy in online offline; do
	what="auto_online_blocks=$policy, 1 GiB (8 blocks)"
	if [ -z "$traced" ]; then
		skip "$what: each block initialised once" "move_pfn_range_to_zone is not traceable on this kernel"
		continue
	fi
	echo $policy > /sys/devices/system/memory/auto_online_blocks
	echo move_pfn_range_to_zone > $T/set_ftrace_filter
	echo function > $T/current_tracer
	echo > $T/trace
	mark "trace-$policy"
	load ranges=1G@0x40000000:1
	calls=$(grep -c 'move_pfn_range_to_zone' $T/trace)
	echo nop > $T/current_tracer
	d=$(devices_of param)
	check "$what: every block online movable" blocks_online_movable "$d"
	# Kernels without MEM_PREPARE_ONLINE (before 6.8: 6.1; since 6.19:
	# 7.x) ask notifiers only after the memmap is initialised, and the
	# driver adds one block per call (removals must match adds), so the
	# kernel's auto-online after each call initialises every block once
	# more before it is refused; the driver says so once.
	late=no
	[ "$policy" = online ] && ! kernel_between 6.8 6.19 && late=yes
	said=no
	dmesg_since_mark "trace-$policy" |
		grep -q 'dax_kmem: refused an online at pfn .* after its memmap was initialised' && said=yes
	if [ "$late" = yes ]; then
		expect_eq "$what: each block initialised twice, its auto-online refused too late (one add per block)" \
			"$calls" 16
	else
		expect_eq "$what: each block initialised once" "$calls" 8
	fi
	expect_eq "$what: the driver says a refusal came late only on a kernel that asks late" "$said" "$late"
	unload
done
expect_eq "after the trace runs: boot state" "$(fingerprint)" "$boot"
